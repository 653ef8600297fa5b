// Loads the private key (and, when configured, the OpenID Provider client secret beside it) once per container from a
// secret fetcher, checks the key against the baked public key, and retries failures with an exponential backoff. Pure:
// the fetcher, clock and logger are arguments. Trust boundary: the fetched secret text; parsed here, never logged.
import { createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { importSigner } from '../../common/cloudfront/keys.ts';
import type { Signer } from '../../common/cloudfront/keys.ts';
import type { SecretSignerConfig } from '../config-keys.ts';
import { EdgepassError } from '../../common/errors.ts';
import { keyError } from './types.ts';
import type { KeySource } from './types.ts';

/** Resolves to the SecretString; rejects with an Error whose message is a short code (never response text). */
export type SecretFetcher = () => Promise<string>;

export interface LoaderDeps {
  readonly clock: () => number;
  readonly logger: (line: string) => void;
}

/** Throws an Error carrying only a short code (`http_403`, `network`, `key_mismatch`…). */
export function fail(code: string): never {
  throw new Error(code);
}

// First retry after 1 s, doubling up to 60 s: a broken secret or grant costs one call a minute per container,
// not one per signing request (no hammering of the regional endpoint).
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60_000;

/**
 * The SecretString's members: a PEM alone is `{ privateKeyPem }`; JSON is `{ "privateKeyPem": "…", … }`, whose other
 * members may hold the OpenID Provider client secret (Secrets Manager caps a SecretString at 64 KiB). Unreadable: {}.
 */
export function secretMembers(secret: string): Record<string, unknown> {
  try {
    return secret.trim().startsWith('{') ? (JSON.parse(secret) as Record<string, unknown>) : { privateKeyPem: secret };
  } catch {
    return {};
  }
}

const spki = (key: KeyObject | string) => createPublicKey(key).export({ type: 'spki', format: 'der' });

/** Imports the fetched key; throws a coded Error when it is unreadable or not the baked public key's pair. */
export function importSecretSigner(config: SecretSignerConfig, members: Record<string, unknown>): Signer {
  let signer: Signer;
  try {
    const pem = members['privateKeyPem'];
    // Reads keyPairId, privateKeyPem and hashAlgorithm.
    signer = importSigner({ ...config, privateKeyPem: typeof pem === 'string' ? pem : fail('bad_secret') });
  } catch {
    return fail('bad_secret');
  }
  // CloudFront verifies with the key group's public key: grants signed with any other key would all be refused.
  return spki(signer.privateKey).equals(spki(config.publicKeyPem)) ? signer : fail('key_mismatch');
}

/** The member `oidc.clientSecret { jsonKey }` names: a non-empty string, else the whole load fails (`no_client_secret`). */
function clientSecretOf(members: Record<string, unknown>, jsonKey: string): string {
  const value = members[jsonKey];
  return typeof value === 'string' && value !== '' ? value : fail('no_client_secret');
}

/** `clientSecretKey`: the secret must also hold that member (the OpenID Provider client secret), or nothing loads. */
export function createSecretLoader(
  config: SecretSignerConfig,
  fetchSecret: SecretFetcher,
  deps: LoaderDeps,
  clientSecretKey?: string,
): KeySource {
  let signer: Signer | undefined;
  let clientSecret = '';
  let inFlight: Promise<Signer> | undefined;
  let failures = 0;
  let retryAtMs = 0;
  let error = '';
  const log = (fields: object) => {
    deps.logger(JSON.stringify(fields));
  };
  const settle = (caught: unknown): never => {
    inFlight = undefined;
    failures += 1;
    const retryInMs = Math.min(FIRST_BACKOFF_MS * 2 ** (failures - 1), MAX_BACKOFF_MS);
    retryAtMs = deps.clock() + retryInMs;
    error = caught instanceof Error && /^[a-z0-9_]{1,24}$/.test(caught.message) ? caught.message : 'failed';
    log({ event: 'key_failed', error, retryInMs });
    return keyError('key_unavailable', error);
  };
  // The fetch's latency shows in the first invocation's duration (the Lambda REPORT line), so it is not logged here.
  const attempt = (): Promise<Signer> =>
    (inFlight = fetchSecret()
      .then((secret) => {
        const members = secretMembers(secret);
        const loaded = importSecretSigner(config, members);
        // Both or nothing: signing would work without the member, but one failure with one code is easier to act on.
        if (clientSecretKey !== undefined) clientSecret = clientSecretOf(members, clientSecretKey);
        return (signer = loaded);
      })
      .then((loaded) => {
        log({ event: 'key_loaded' });
        return loaded;
      }, settle));
  // Started at once (the bundle's module scope): the key is usually there before the first signing request.
  attempt().catch(() => undefined);
  const ready = (nowMs: number): Promise<Signer> =>
    signer !== undefined
      ? Promise.resolve(signer)
      : (inFlight ?? (nowMs < retryAtMs ? Promise.reject(new EdgepassError('key_unavailable', error)) : attempt()));
  const source: KeySource = { current: () => signer, ready };
  // Only when the secret holds it; '' while the load fails (the token request then sends nothing).
  if (clientSecretKey === undefined) return source;
  return {
    ...source,
    clientSecret: (nowMs) =>
      ready(nowMs).then(
        () => clientSecret,
        () => '',
      ),
  };
}
