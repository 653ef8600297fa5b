// Plain values the origin-API core speaks: a request in, a response out, and the ports it is handed (store, logger).
// Trust boundary: everything in ApiRequest is attacker-controlled; the ports are trusted code supplied by an adapter.

export interface ApiRequest {
  readonly method: string;
  /** Raw (still percent-encoded) path, e.g. `/api/files/users%2F...`. */
  readonly path: string;
  readonly query: URLSearchParams;
  /** Lower-case header names; repeated headers joined with `, ` (as Lambda function URLs do). */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** At most `maxRequestBytes + 1` bytes: adapters stop reading there so that the core can answer 413. */
  readonly body: Uint8Array | undefined;
  /** Correlates log lines; never derived from a secret. */
  readonly requestId: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type LogFields = Readonly<Record<string, string | number | boolean | undefined>>;

/** Structured logger: callers pass event names and non-secret fields only (never tokens or presigned URLs). */
export interface Logger {
  info(event: string, fields: LogFields): void;
  error(event: string, fields: LogFields): void;
}

interface StoredObject {
  readonly key: string;
  readonly size: number;
  readonly lastModifiedMs: number;
}

interface ObjectPage {
  /** In key order (S3 lists keys in UTF-8 binary order). */
  readonly objects: readonly StoredObject[];
  /** More keys follow the last one returned. */
  readonly truncated: boolean;
}

/** The S3 operations the core needs; `nowMs` is the signing time, so tests can sign in the past. */
export interface ObjectStore {
  presignPut(input: {
    key: string;
    contentType: string;
    contentLength: number;
    expiresInSeconds: number;
    nowMs: number;
  }): Promise<string>;
  presignPost(input: {
    key: string;
    contentType: string;
    maxBytes: number;
    expiresInSeconds: number;
    nowMs: number;
  }): Promise<{ url: string; fields: Readonly<Record<string, string>> }>;
  presignGet(input: { key: string; expiresInSeconds: number; nowMs: number }): Promise<string>;
  exists(key: string): Promise<boolean>;
  list(input: { prefix: string; maxKeys: number; startAfter: string | undefined }): Promise<ObjectPage>;
  delete(key: string): Promise<void>;
}

export interface PurposeRule {
  /** Lower-case `type/subtype` values, no parameters. */
  readonly contentTypes: readonly string[];
  readonly maxBytes: number;
}

/** The validated `originApi` section (see origin-api/config.ts and docs/origin-api.md). */
export interface OriginApiOptions {
  readonly bucket: string;
  readonly region: string;
  /** Local S3 stand-in (path-style addressing); undefined for real S3. */
  readonly endpoint: string | undefined;
  readonly keyPrefix: string;
  /**
   * The one issuer whose users keep the folder layout of earlier versions (`keyPrefix` + base64url(sub) + `/`), so
   * that an upgrade moves no file; every other issuer's users live under `keyPrefix` + base64url(iss) + `.`.
   * @default null: every issuer scoped
   */
  readonly legacyFolderIssuer: string | null;
  readonly uploadTtlSeconds: number;
  readonly downloadTtlSeconds: number;
  readonly maxRequestBytes: number;
  readonly purposes: ReadonlyMap<string, PurposeRule>;
}
