// SigV4 for the local stack, with the AWS SDK's own signer (@smithy/signature-v4): CloudFront's origin access
// control signs origin requests with it, and the local function URL verifies them by signing again (AWS General
// Reference, "Signature Version 4 signing process"). Loopback dev credentials only; never logs a signature.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ChecksumConstructor } from '@smithy/types';

/** node:crypto SHA-256 (or HMAC-SHA-256 with a secret) in the shape the SDK's signer takes. */
export class NodeSha256 {
  readonly #secret: string | Uint8Array | undefined;
  #hash: Hash | ReturnType<typeof createHmac>;

  constructor(secret?: string | Uint8Array) {
    this.#secret = secret;
    this.#hash = this.#fresh();
  }

  #fresh() {
    return this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret);
  }

  update(data: string | Uint8Array): void {
    this.#hash.update(data);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }

  reset(): void {
    this.#hash = this.#fresh();
  }
}

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface SignableRequest {
  readonly method: string;
  readonly hostname: string;
  readonly port: number;
  /** Path as sent (percent-encoded), without the query. */
  readonly path: string;
  readonly query: Record<string, string | string[]>;
  /** Lower-case names; must hold `x-amz-content-sha256` (the payload hash, or UNSIGNED-PAYLOAD). */
  readonly headers: Record<string, string>;
}

/** A raw query string as the signer takes it (names and values decoded, repeated names as lists). */
export function queryRecord(rawQuery: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  if (rawQuery === '') return query;
  for (const pair of rawQuery.split('&')) {
    const eq = pair.indexOf('=');
    const decode = (text: string) => {
      try {
        return decodeURIComponent(text);
      } catch {
        return text;
      }
    };
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const prior = query[name];
    query[name] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
  }
  return query;
}

export const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

function signer(credentials: Credentials, region: string, service: string): SignatureV4 {
  // S3 signs the path as sent; other services escape it once more (SigV4: "Create a canonical request").
  return new SignatureV4({
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    region,
    service,
    sha256: NodeSha256 as unknown as ChecksumConstructor,
    uriEscapePath: service !== 's3',
    applyChecksum: false,
  });
}

/** The request's headers with `authorization` and `x-amz-date` added (and `host`). */
export async function signRequest(
  request: SignableRequest,
  credentials: Credentials,
  scope: { readonly region: string; readonly service: string; readonly date: Date },
): Promise<Record<string, string>> {
  const host = `${request.hostname}:${String(request.port)}`;
  const signed = await signer(credentials, scope.region, scope.service).sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: request.hostname,
      port: request.port,
      path: request.path,
      query: request.query,
      headers: { ...request.headers, host },
    },
    { signingDate: scope.date },
  );
  return signed.headers;
}

const CREDENTIAL =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

export interface SignedBy {
  readonly accessKeyId: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
}

/** Parses an Authorization header; undefined when it is not a SigV4 header. */
export function parseAuthorization(header: string | undefined): (SignedBy & { signature: string }) | undefined {
  const match = header === undefined ? null : CREDENTIAL.exec(header);
  if (match === null) return undefined;
  const [, accessKeyId = '', , region = '', service = '', signed = '', signature = ''] = match;
  return { accessKeyId, region, service, signedHeaders: signed.split(';'), signature };
}

/**
 * Verifies a SigV4-signed request by signing its signed headers again with the secret of its access key. Returns
 * who signed it, or a reason. Dates more than 15 minutes off are refused, as AWS does (RequestTimeTooSkewed).
 */
export async function verifyRequest(
  request: SignableRequest & { readonly authorization: string | undefined },
  secretOf: (accessKeyId: string) => string | undefined,
  nowMs: number,
): Promise<{ ok: true; by: SignedBy } | { ok: false; reason: string }> {
  const parsed = parseAuthorization(request.authorization);
  if (parsed === undefined) return { ok: false, reason: 'missing or malformed SigV4 Authorization' };
  const secret = secretOf(parsed.accessKeyId);
  if (secret === undefined) return { ok: false, reason: 'unknown access key' };
  const amzDate = request.headers['x-amz-date'] ?? '';
  if (!/^\d{8}T\d{6}Z$/.test(amzDate)) return { ok: false, reason: 'missing x-amz-date' };
  const iso = `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13)}`;
  const when = new Date(iso);
  if (Math.abs(when.getTime() - nowMs) > 15 * 60_000) return { ok: false, reason: 'request time too skewed' };
  const headers: Record<string, string> = {};
  for (const name of parsed.signedHeaders) headers[name] = request.headers[name] ?? '';
  delete headers['host'];
  const resigned = await signRequest(
    { ...request, headers },
    { accessKeyId: parsed.accessKeyId, secretAccessKey: secret },
    { region: parsed.region, service: parsed.service, date: when },
  );
  const expected = parseAuthorization(resigned['authorization'])?.signature ?? '';
  const same =
    expected.length === parsed.signature.length &&
    timingSafeEqual(Buffer.from(expected), Buffer.from(parsed.signature));
  return same ? { ok: true, by: parsed } : { ok: false, reason: 'signature does not match' };
}
