// The local provider's key set and its file: a rotation keeps one signer and publishes the previous key until its
// grace ends; nothing private is published; the file is the owner's only, and a damaged one fails closed without
// quoting its content.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newSigningKey, readProviderState, writeProviderState } from '../../local/oidc/key-file.ts';
import { providerJwks, prune, publicJwks, rotate } from '../../local/oidc/key-set.ts';
import type { KeySet } from '../../local/oidc/key-set.ts';

const NOW_MS = 1_800_000_000_000;
const GRACE_MS = 86_400_000;
const first = newSigningKey();
const start: KeySet = { keys: [first] };

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgepass-oidc-keys-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the provider key set', () => {
  const fresh = newSigningKey();
  const rotation = rotate(start, fresh, NOW_MS, GRACE_MS);

  it('makes the fresh key the signer and publishes the previous one until the grace ends', () => {
    expect(rotation).toMatchObject({ previousKid: first.kid, currentKid: fresh.kid });
    expect(rotation.previousPublishedUntilMs).toBe(NOW_MS + GRACE_MS);
    expect(publicJwks(prune(rotation.set, NOW_MS + GRACE_MS - 1)).keys.map((k) => k.kid)).toEqual([
      fresh.kid,
      first.kid,
    ]);
    expect(publicJwks(prune(rotation.set, NOW_MS + GRACE_MS)).keys.map((k) => k.kid)).toEqual([fresh.kid]);
  });

  it('never publishes private material, and lets oidc-provider sign with the current key only', () => {
    expect(publicJwks(rotation.set).keys.every((k) => k.d === undefined)).toBe(true);
    expect(providerJwks(rotation.set).keys.map((k) => k.key_ops)).toEqual([undefined, ['verify']]);
  });
});

describe('the provider state file', () => {
  it('round-trips, owner-only (0600)', () => {
    const dir = tempDir();
    const state = {
      issuer: 'http://localhost:8080/_dev/oidc',
      keys: rotate(start, newSigningKey(), NOW_MS, GRACE_MS).set,
    };
    writeProviderState(dir, state);
    expect(statSync(join(dir, 'oidc-provider.json')).mode & 0o777).toBe(0o600);
    expect(readProviderState(dir)).toEqual(state);
  });

  it.each([
    ['not JSON', '{"issuer": "x", "keys": [{"d": "SECRET-VALUE"'],
    ['no signer', JSON.stringify({ issuer: 'x', keys: [] })],
    ['two signers', JSON.stringify({ issuer: 'x', keys: [first, first] })],
    ['a retired signer', JSON.stringify({ issuer: 'x', keys: [{ ...first, publishedUntilMs: 1 }] })],
    [
      'an RSA key',
      JSON.stringify({ issuer: 'x', keys: [{ kid: 'k', privateJwk: { kty: 'RSA', d: 'SECRET-VALUE' } }] }),
    ],
  ])('refuses a file with %s, without quoting it', (_name, text) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'oidc-provider.json'), text);
    expect(() => readProviderState(dir)).toThrow(/is damaged: delete it/);
    expect(() => readProviderState(dir)).not.toThrow(/SECRET-VALUE/);
  });
});
