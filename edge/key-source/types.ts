// The contract between the bundle entry and the two private-key sources (baked, Secrets Manager) that the build
// selects through the virtual module `edgepass:key-source`. Trust boundary: a source hands out only imported keys.
import type { Signer } from '../../common/cloudfront/keys.ts';
import { EdgepassError } from '../../common/errors.ts';
import type { SignerConfig } from '../config-keys.ts';
import type { OidcConfig } from '../config-oidc.ts';

export interface KeySource {
  /** The signer once it is loaded; never waits. */
  current(): Signer | undefined;
  /** Waits for the signer; rejects with an EdgepassError `key_unavailable` while the source fails or backs off (fail closed). */
  ready(nowMs: number): Promise<Signer>;
  /**
   * Present when the source also holds the OpenID Provider client secret (`oidc.clientSecret { jsonKey }`, Secrets
   * Manager only): waits as ready() does, and resolves to '' while the load fails (never rejects).
   */
  readonly clientSecret?: (nowMs: number) => Promise<string>;
}

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string | undefined;
}

export interface KeySourceDeps {
  /** Epoch milliseconds. */
  readonly clock: () => number;
  /** One JSON line per load attempt; never a key, secret or credential. */
  readonly logger: (line: string) => void;
  /**
   * The entry's process environment, read only by a source that needs the Lambda role's credentials
   * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN: Lambda Developer Guide, "Defined runtime
   * environment variables").
   */
  readonly environment: () => Readonly<Record<string, string | undefined>>;
  readonly fetch: typeof fetch;
}

/**
 * @public the signature both key sources export, checked by virtual.d.ts. `oidc` tells the Secrets Manager source
 * whether the secret also holds the client secret (`oidc.clientSecret { jsonKey }`); the baked source ignores it.
 */
export type CreateKeySource = (signer: SignerConfig, deps: KeySourceDeps, oidc?: OidcConfig | null) => KeySource;

/**
 * The signing key is not there: code `key_pending` while it is on its way (the handler waits for the source and
 * decides again), `key_unavailable` when loading failed (a signing request answers 503, never an unsigned grant).
 * A plain EdgepassError rather than a class of its own: every byte counts against the 64 KiB bundle budget.
 */
export function keyError(code: 'key_pending' | 'key_unavailable', reason = ''): never {
  throw new EdgepassError(code, reason);
}
