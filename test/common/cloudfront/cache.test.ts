// The verified-signature cache: a warm request skips crypto.verify, yet dates, resource and IP are judged every time.
// node:crypto's real verify is wrapped in a spy only to count calls; it still does the work.
import type * as NodeCrypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { customPolicy } from '../../../common/cloudfront/policy.ts';
import { signedCookies, signedUrl } from '../../../common/cloudfront/sign.ts';
import { createVerifier } from '../../../common/cloudfront/verify.ts';
import { cloudFrontKeys, signerOf, trustedKeysOf } from '../../helpers/cloudfront-keys.ts';

const spy = vi.hoisted(() => ({ verifyCalls: 0 }));

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof NodeCrypto>();
  const realVerify = actual.verify as (...args: unknown[]) => unknown;
  const verify = ((...args: unknown[]) => {
    spy.verifyCalls += 1;
    return realVerify(...args);
  }) as typeof actual.verify;
  return { ...actual, default: { ...actual, verify }, verify };
});

const { rsa } = cloudFrontKeys();
const now = 1_800_000_000;
const expires = now + 600;
const clientIp = '192.0.2.10';
const resource = 'https://cdn.example.com/media/a/*';
const policy = customPolicy({ resource, dateLessThan: expires, dateGreaterThan: now - 5, sourceIp: '192.0.2.0/24' });
const url = signedUrl(signerOf(rsa), 'https://cdn.example.com/media/a/clip.mp4', { policy });
const cookies = new Map(signedCookies(signerOf(rsa), { policy }).map((c) => [c.name, c.value]));

function counted<T>(run: () => T): { result: T; calls: number } {
  const before = spy.verifyCalls;
  const result = run();
  return { result, calls: spy.verifyCalls - before };
}

describe('verified-signature cache', () => {
  it('verifies once, then serves warm requests without crypto.verify', () => {
    const verifier = createVerifier(trustedKeysOf(rsa), { cacheEntries: 10 });
    const facts = { url, clientIp, nowEpochSeconds: now };
    expect(counted(() => verifier.verifyUrl(facts))).toMatchObject({ result: { ok: true }, calls: 1 });
    expect(counted(() => verifier.verifyUrl(facts))).toMatchObject({ result: { ok: true }, calls: 0 });
  });

  it('still judges date, IP and resource on a warm entry', () => {
    const verifier = createVerifier(trustedKeysOf(rsa), { cacheEntries: 10 });
    const facts = { url: 'https://cdn.example.com/media/a/x.ts', clientIp, nowEpochSeconds: now, cookies };
    expect(counted(() => verifier.verifyCookies(facts)).calls).toBe(1);
    const cases = [
      [{ nowEpochSeconds: expires }, 'cf_expired'],
      [{ nowEpochSeconds: now - 6 }, 'cf_not_yet_valid'],
      [{ clientIp: '198.51.100.1' }, 'cf_ip_mismatch'],
      [{ url: 'https://cdn.example.com/media/b/x.ts' }, 'cf_resource_mismatch'],
    ] as const;
    for (const [change, reason] of cases) {
      expect(counted(() => verifier.verifyCookies({ ...facts, ...change }))).toEqual({
        result: { ok: false, reason },
        calls: 0,
      });
    }
  });

  it('never caches a failed verification', () => {
    const verifier = createVerifier(trustedKeysOf(rsa), { cacheEntries: 10 });
    const signature = new URL(url).searchParams.get('Signature')!;
    const forged = url.replace(
      signature,
      `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`,
    );
    expect(forged).not.toBe(url);
    const facts = { url: forged, clientIp, nowEpochSeconds: now };
    expect(counted(() => verifier.verifyUrl(facts))).toEqual({
      result: { ok: false, reason: 'cf_bad_signature' },
      calls: 1,
    });
    expect(counted(() => verifier.verifyUrl(facts))).toEqual({
      result: { ok: false, reason: 'cf_bad_signature' },
      calls: 1,
    });
  });

  it("verifies in full a signature that shares the cached one's ending, and keeps the genuine entry", () => {
    const verifier = createVerifier(trustedKeysOf(rsa), { cacheEntries: 10 });
    const facts = { url, clientIp, nowEpochSeconds: now };
    expect(counted(() => verifier.verifyUrl(facts)).calls).toBe(1);
    // Same last 24 characters (the cache key), another first character: a different signature.
    const signature = new URL(url).searchParams.get('Signature')!;
    const forged = url.replace(signature, `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`);
    expect(counted(() => verifier.verifyUrl({ ...facts, url: forged }))).toEqual({
      result: { ok: false, reason: 'cf_bad_signature' },
      calls: 1,
    });
    expect(counted(() => verifier.verifyUrl(facts))).toMatchObject({ result: { ok: true }, calls: 0 });
  });

  it('is bounded: the least recently used entry is evicted', () => {
    const verifier = createVerifier(trustedKeysOf(rsa), { cacheEntries: 1 });
    const other = signedUrl(signerOf(rsa), 'https://cdn.example.com/media/a/other.mp4', {
      expiresEpochSeconds: expires,
    });
    const a = { url, clientIp, nowEpochSeconds: now };
    const b = { url: other, clientIp, nowEpochSeconds: now };
    expect([a, b, a, b].map((facts) => counted(() => verifier.verifyUrl(facts)).calls)).toEqual([1, 1, 1, 1]);
  });

  it('can be disabled with cacheEntries: 0', () => {
    const verifier = createVerifier(trustedKeysOf(rsa), { cacheEntries: 0 });
    const facts = { url, clientIp, nowEpochSeconds: now };
    expect([facts, facts].map((f) => counted(() => verifier.verifyUrl(f)).calls)).toEqual([1, 1]);
  });

  it('does not let a changed key map change an existing verifier', () => {
    const keys = new Map(trustedKeysOf(rsa));
    const verifier = createVerifier(keys, { cacheEntries: 10 });
    keys.delete(rsa.keyPairId);
    expect(verifier.verifyUrl({ url, clientIp, nowEpochSeconds: now }).ok).toBe(true);
  });
});
