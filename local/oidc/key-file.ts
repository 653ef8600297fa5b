// The local provider's persisted state: the issuer it last served and its signing keys, in one 0600 JSON file in the
// git-ignored state folder (`oidc-provider.json`). Read by the stack, `edgepass token` and `/_dev/token`, written by
// the stack on start and on rotation. Trust boundary: the file is ours but may be damaged; it is checked, never trusted.
import { createPrivateKey, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { EdgepassError } from '../../common/errors.ts';
import { generateKeyPair } from '../../common/keypair.ts';
import { writePrivateFile } from '../../common/private-files.ts';
import { prune } from './key-set.ts';
import type { EcPrivateJwk, KeySet, StoredKey } from './key-set.ts';

const FILE = 'oidc-provider.json';

export interface ProviderState {
  readonly issuer: string;
  readonly keys: KeySet;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function readKey(raw: unknown): StoredKey | undefined {
  if (!isRecord(raw) || typeof raw['kid'] !== 'string' || !isRecord(raw['privateJwk'])) return undefined;
  const jwk = raw['privateJwk'];
  if (jwk['kty'] !== 'EC' || jwk['crv'] !== 'P-256' || !['x', 'y', 'd'].every((k) => typeof jwk[k] === 'string')) {
    return undefined;
  }
  const until = raw['publishedUntilMs'];
  if (until !== undefined && typeof until !== 'number') return undefined;
  const privateJwk = { kty: 'EC', crv: 'P-256', x: jwk['x'], y: jwk['y'], d: jwk['d'] } as EcPrivateJwk;
  const key = { kid: raw['kid'], privateJwk };
  return until === undefined ? key : { ...key, publishedUntilMs: until };
}

/** The state in `dir`, or undefined before the provider first ran; a damaged file fails loudly (never its content). */
export function readProviderState(dir: string): ProviderState | undefined {
  const path = join(dir, FILE);
  if (!existsSync(path)) return undefined;
  const damaged = () => new EdgepassError('dev_state_oidc', `${path} is damaged: delete it to start with a new key`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw damaged();
  }
  if (!isRecord(raw) || typeof raw['issuer'] !== 'string' || !Array.isArray(raw['keys'])) throw damaged();
  const keys = raw['keys'].map(readKey);
  const [current, ...retired] = keys.filter((key) => key !== undefined);
  const oneSigner =
    current?.publishedUntilMs === undefined && retired.every((key) => key.publishedUntilMs !== undefined);
  if (current === undefined || !oneSigner || retired.length + 1 !== keys.length) {
    throw damaged();
  }
  return { issuer: raw['issuer'], keys: { keys: [current, ...retired] } };
}

/** Written whole to a temporary file, then renamed: a reader never sees half a key set. */
export function writeProviderState(dir: string, state: ProviderState): void {
  const path = join(dir, FILE);
  writePrivateFile(`${path}.tmp`, `${JSON.stringify({ issuer: state.issuer, keys: state.keys.keys }, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

/** A fresh ES256 signing key with a random kid. */
export function newSigningKey(): StoredKey {
  return storedKey(generateKeyPair('ec-p256').privateKey, `dev-${randomBytes(4).toString('hex')}`);
}

export function storedKey(privateKey: KeyObject, kid: string): StoredKey {
  const { crv, x, y, d } = privateKey.export({ format: 'jwk' });
  if (crv !== 'P-256' || x === undefined || y === undefined || d === undefined) {
    throw new EdgepassError('dev_state_oidc', 'the dev IdP key must be an ECDSA P-256 private key (ES256)');
  }
  return { kid, privateJwk: { kty: 'EC', crv, x, y, d } };
}

export function signingKeyObject(key: StoredKey): KeyObject {
  return createPrivateKey({ key: { ...key.privateJwk }, format: 'jwk' });
}

/**
 * The provider's keys for a start at `issuer`: those persisted (retired keys past their grace dropped), or `seed` (the
 * dev state's first IdP key) when the provider never ran from this folder. The issuer is recorded for `edgepass token`.
 */
export function openKeys(
  dir: string,
  issuer: string,
  seed: { readonly privateKey: KeyObject; readonly kid: string },
  nowMs: number,
): KeySet {
  const keys = prune(readProviderState(dir)?.keys ?? { keys: [storedKey(seed.privateKey, seed.kid)] }, nowMs);
  writeProviderState(dir, { issuer, keys });
  return keys;
}
