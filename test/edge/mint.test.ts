// Minting: expiry rules (never past now + ttl nor the ticket end, shared within a reuse bucket) and byte-exact
// agreement with @aws-sdk/cloudfront-signer for the same policy (RSA PKCS#1 v1.5 is deterministic).
import { getSignedCookies, getSignedUrl } from '@aws-sdk/cloudfront-signer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../edge/config.ts';
import { expiryFor, mintCookies, mintUrl } from '../../edge/core/mint.ts';
import { createRuntime } from '../../edge/core/runtime.ts';
import { createKeySource } from '../../edge/key-source/baked.ts';
import { createIdp } from '../helpers/tokens.ts';
import { cloudFrontKey, HOST, NOW_S, rawConfig } from './fixture.ts';

const cf = cloudFrontKey();

describe('expiryFor', () => {
  const inputs = fc.record({
    nowS: fc.integer({ min: 1_600_000_000, max: 2_000_000_000 }),
    ttl: fc.integer({ min: 2, max: 604_800 }),
    reuse: fc.integer({ min: 1, max: 3600 }),
    ticketIn: fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: null }),
  });

  it('is never later than now + ttl nor the ticket end, and always in the future', () => {
    fc.assert(
      fc.property(inputs, ({ nowS, ttl, reuse, ticketIn }) => {
        const end = ticketIn === null ? null : nowS + ticketIn;
        const exp = expiryFor(nowS, ttl, end, reuse);
        expect(exp).toBeLessThanOrEqual(nowS + ttl);
        if (end !== null) expect(exp).toBeLessThanOrEqual(end);
        expect(exp).toBeGreaterThan(nowS);
        // A grant lives at least half its ttl unless the ticket ends sooner.
        if (end === null || end >= nowS + ttl) expect(exp - nowS).toBeGreaterThanOrEqual(Math.floor(ttl / 2));
      }),
    );
  });

  it('gives everyone entering in the same bucket the same expiry', () => {
    const first = 1_767_225_600; // a multiple of 60
    const seen = new Set([0, 1, 30, 59].map((offset) => expiryFor(first + offset, 3600, null, 60)));
    expect([...seen]).toEqual([first + 3600]);
    expect(expiryFor(first + 60, 3600, null, 60)).toBe(first + 3660);
  });

  it("never outlives the token's exp, and stays in the future while the token is valid", () => {
    fc.assert(
      fc.property(inputs, fc.integer({ min: 1, max: 1_000_000 }), ({ nowS, ttl, reuse, ticketIn }, expIn) => {
        const end = ticketIn === null ? null : nowS + ticketIn;
        const exp = expiryFor(nowS, ttl, end, reuse, nowS + expIn);
        expect(exp).toBeLessThanOrEqual(nowS + expIn);
        expect(exp).toBeGreaterThan(nowS);
      }),
    );
  });

  it('uses the ticket end itself when it comes first', () => {
    expect(expiryFor(NOW_S, 3600, NOW_S + 125, 60)).toBe(NOW_S + 125);
  });
});

describe('minted signatures', () => {
  const idp = createIdp();
  const config = parseConfig(rawConfig(idp, cf));
  const runtime = createRuntime(config, { keySource: createKeySource(config.signer) });
  const sdkKey = { keyPairId: cf.keyPairId, privateKey: cf.privateKeyPem };

  it('cookies equal the SDK output for the same custom policy', () => {
    const grant = mintCookies(runtime, `https://${HOST}`, '/attractions/42/', NOW_S + 3600, NOW_S);
    const policy = JSON.stringify({
      Statement: [
        {
          Resource: `https://${HOST}/attractions/42/*`,
          Condition: { DateLessThan: { 'AWS:EpochTime': NOW_S + 3600 } },
        },
      ],
    });
    const sdk = getSignedCookies({ ...sdkKey, policy });
    expect(Object.fromEntries(grant.cookies.map((c) => [c.name, c.value]))).toEqual(sdk);
    expect(grant.setCookies[0]).toBe(
      `CloudFront-Policy=${sdk['CloudFront-Policy'] ?? ''}; Path=/attractions/42/; Max-Age=3600; Secure; HttpOnly; SameSite=Lax`,
    );
  });

  it('signed URLs equal the SDK output for the same canned policy', () => {
    const url = `https://${HOST}/attractions/42/clip.mp4?quality=hd&lang=en`;
    const ours = mintUrl(runtime, url, NOW_S + 60);
    expect(ours).toBe(getSignedUrl({ ...sdkKey, url, dateLessThan: new Date((NOW_S + 60) * 1000) }));
  });

  it('reuses one signature per policy', () => {
    const a = mintCookies(runtime, `https://${HOST}`, '/attractions/7/', NOW_S + 600, NOW_S);
    const b = mintCookies(runtime, `https://${HOST}`, '/attractions/7/', NOW_S + 600, NOW_S + 30);
    expect(b.cookies).toBe(a.cookies);
    expect(b.setCookies[0]).toContain('Max-Age=570');
  });
});
