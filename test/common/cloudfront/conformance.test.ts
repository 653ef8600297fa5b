// Byte-exact conformance of our RSA signing with @aws-sdk/cloudfront-signer (deterministic PKCS#1 v1.5 output).
import { getSignedCookies, getSignedUrl } from '@aws-sdk/cloudfront-signer';
import { describe, expect, it } from 'vitest';
import { fromCloudFrontBase64 } from '../../../common/cloudfront/base64.ts';
import type { HashAlgorithm } from '../../../common/cloudfront/keys.ts';
import { customPolicy } from '../../../common/cloudfront/policy.ts';
import { toWireUrl } from '../../../common/cloudfront/resource.ts';
import { signedCookies, signedUrl } from '../../../common/cloudfront/sign.ts';
import { cloudFrontKeys, signerOf } from '../../helpers/cloudfront-keys.ts';

const { rsa } = cloudFrontKeys();
const expires = 1_900_000_000;
const starts = 1_899_990_000;
const hashes: HashAlgorithm[] = ['SHA1', 'SHA256'];

function sdkUrl(url: string, algorithm: HashAlgorithm, extra: { dateGreaterThan?: number; ipAddress?: string } = {}) {
  return getSignedUrl({
    url,
    keyPairId: rsa.keyPairId,
    privateKey: rsa.privatePem,
    dateLessThan: new Date(expires * 1000),
    algorithm,
    ...(extra.dateGreaterThan === undefined ? {} : { dateGreaterThan: new Date(extra.dateGreaterThan * 1000) }),
    ...(extra.ipAddress === undefined ? {} : { ipAddress: extra.ipAddress }),
  });
}

function cookieMap(cookies: readonly { name: string; value: string }[]): Record<string, string> {
  return Object.fromEntries(cookies.map((c) => [c.name, c.value]));
}

function sdkCookieMap(cookies: Record<string, string | number | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(cookies).map(([k, v]) => [k, String(v)]));
}

// URLs already in wire form, which the SDK leaves untouched.
const wireUrls = [
  'https://d111111abcdef8.cloudfront.net/media/a/clip.mp4',
  'https://d111111abcdef8.cloudfront.net/images/image.jpg?size=large&license=yes',
  "https://cdn.example.com/it's/o'clock.mp4",
  'https://cdn.example.com/a*b/c.mp4',
  'https://cdn.example.com/a(b)!/c~.mp4?x=(y)!*',
  'https://cdn.example.com/a%20b/caf%C3%A9.mp4?q=a%20b&r=a+b',
];

describe.each(hashes)('signed URLs with %s match the SDK byte for byte', (hash) => {
  const signer = signerOf(rsa, hash);

  it.each(wireUrls)('canned policy for %s', (url) => {
    expect(signedUrl(signer, url, { expiresEpochSeconds: expires })).toBe(sdkUrl(url, hash));
  });

  it.each(wireUrls)('custom policy with a start date and an IP range for %s', (url) => {
    const policy = customPolicy({
      resource: url,
      dateLessThan: expires,
      dateGreaterThan: starts,
      sourceIp: '192.0.2.0/24',
    });
    const ours = signedUrl(signer, url, { policy });
    expect(ours).toBe(sdkUrl(url, hash, { dateGreaterThan: starts, ipAddress: '192.0.2.0/24' }));
    const policyParam = new URL(ours).searchParams.get('Policy') ?? '';
    expect(fromCloudFrontBase64(policyParam)?.toString('utf8')).toBe(policy);
  });

  it('writes a bare IPv4 address as /32, as the SDK does', () => {
    const url = wireUrls[0]!;
    const policy = customPolicy({ resource: url, dateLessThan: expires, sourceIp: '203.0.113.7' });
    expect(policy).toContain('"AWS:SourceIp":"203.0.113.7/32"');
    expect(signedUrl(signer, url, { policy })).toBe(sdkUrl(url, hash, { ipAddress: '203.0.113.7' }));
  });

  it('signs a caller-supplied wildcard policy like the SDK', () => {
    const policy = customPolicy({ resource: 'https://cdn.example.com/media/a/*', dateLessThan: expires });
    const url = 'https://cdn.example.com/media/a/part-1.ts?v=2';
    const sdk = getSignedUrl({ url, policy, keyPairId: rsa.keyPairId, privateKey: rsa.privatePem, algorithm: hash });
    expect(signedUrl(signer, url, { policy })).toBe(sdk);
  });

  function sdkCannedCookies(url: string) {
    const dateLessThan = new Date(expires * 1000);
    return getSignedCookies({
      url,
      keyPairId: rsa.keyPairId,
      privateKey: rsa.privatePem,
      dateLessThan,
      algorithm: hash,
    });
  }

  it.each(wireUrls.filter((u) => !/[*?]/.test(u)))('produces the same canned cookies as the SDK for %s', (url) => {
    const sdk = sdkCannedCookies(url);
    expect(sdk['CloudFront-Expires']).toBe(expires);
    expect(cookieMap(signedCookies(signer, { resource: url, expiresEpochSeconds: expires }))).toEqual(
      sdkCookieMap({ ...sdk }),
    );
  });

  it('produces the same custom (wildcard) cookies as the SDK', () => {
    const policy = customPolicy({
      resource: 'https://cdn.example.com/media/a/*',
      dateLessThan: expires,
      sourceIp: '198.51.100.0/24',
    });
    const sdk = getSignedCookies({ policy, keyPairId: rsa.keyPairId, privateKey: rsa.privatePem, algorithm: hash });
    expect(cookieMap(signedCookies(signer, { policy }))).toEqual(sdkCookieMap({ ...sdk }));
    expect('CloudFront-Hash-Algorithm' in sdk).toBe(hash === 'SHA256');
  });
});

// Raw URLs whose SDK encoding is exactly what a browser sends (WHATWG URL): the fixes for #8113 (`'` in the query
// becomes %27), #8277 (space → %20, `+` kept) and non-ASCII → UTF-8 escapes. We reach the same bytes via toWireUrl.
const agreeing = [
  "https://cdn.example.com/it's/o'clock.mp4?q=it's",
  'https://cdn.example.com/a b/c d.mp4?q=a b&r=a+b',
  'https://cdn.example.com/café/naïve.mp4?q=é',
];

// Raw URLs the SDK rewrites although a browser would send them unchanged (RFC 3986 allows these bytes).
const disagreeing = [
  ['path +', 'https://cdn.example.com/a+b/c.mp4', 'https://cdn.example.com/a%2Bb/c.mp4'],
  [
    'path : @ ; = ,',
    'https://cdn.example.com/a:b@c/d;e=f,g.mp4',
    'https://cdn.example.com/a%3Ab%40c/d%3Be%3Df%2Cg.mp4',
  ],
  ['query = / :', 'https://cdn.example.com/a?x=b=c&y=/p:q', 'https://cdn.example.com/a?x=b%3Dc&y=%2Fp%3Aq'],
  ['escaped unreserved', 'https://cdn.example.com/%41%7e/x', 'https://cdn.example.com/A~/x'],
  ['valueless parameter', 'https://cdn.example.com/a?flag&x=', 'https://cdn.example.com/a?flag=&x='],
] as const;

describe('URL normalisation before signing', () => {
  const signer = signerOf(rsa);

  it.each(agreeing)('reaches the SDK bytes for %s through toWireUrl', (raw) => {
    expect(signedUrl(signer, toWireUrl(raw), { expiresEpochSeconds: expires })).toBe(sdkUrl(raw, 'SHA1'));
  });

  it.each(disagreeing)('keeps the viewer bytes where the SDK rewrites them (%s)', (_label, raw, sdkBase) => {
    const sdk = sdkUrl(raw, 'SHA1');
    expect(sdk.startsWith(`${sdkBase}${sdkBase.includes('?') ? '&' : '?'}Expires=`)).toBe(true);
    const ours = signedUrl(signer, toWireUrl(raw), { expiresEpochSeconds: expires });
    expect(ours.startsWith(`${raw}${raw.includes('?') ? '&' : '?'}Expires=`)).toBe(true);
    expect(ours).not.toBe(sdk);
    // The SDK's rewritten URL is itself stable on the wire, so both URLs work when requested exactly as returned.
    expect(toWireUrl(sdkBase)).toBe(sdkBase);
  });

  it('refuses a URL that is not in wire form instead of guessing an encoding', () => {
    expect(() => signedUrl(signer, 'https://cdn.example.com/a b.mp4', { expiresEpochSeconds: expires })).toThrow(
      TypeError,
    );
    expect(() => signedUrl(signer, 'https://cdn.example.com/café.mp4', { expiresEpochSeconds: expires })).toThrow(
      TypeError,
    );
  });

  it('refuses the canned wildcard cookie the SDK silently produces (#4516)', () => {
    const resource = 'https://cdn.example.com/media/a/*';
    const sdk = getSignedCookies({
      url: resource,
      keyPairId: rsa.keyPairId,
      privateKey: rsa.privatePem,
      dateLessThan: new Date(expires * 1000),
    });
    expect(sdk['CloudFront-Expires']).toBe(expires);
    expect(() => signedCookies(signer, { resource, expiresEpochSeconds: expires })).toThrow(TypeError);
  });

  it('refuses a non-ASCII cookie resource that the SDK signs raw and CloudFront could never match', () => {
    const raw = 'https://cdn.example.com/café.mp4';
    const sdk = getSignedCookies({
      url: raw,
      keyPairId: rsa.keyPairId,
      privateKey: rsa.privatePem,
      dateLessThan: new Date(expires * 1000),
    });
    expect(sdk['CloudFront-Signature']).toBeTypeOf('string');
    expect(() => signedCookies(signer, { resource: raw, expiresEpochSeconds: expires })).toThrow(TypeError);
    expect(() => signedCookies(signer, { resource: toWireUrl(raw), expiresEpochSeconds: expires })).not.toThrow();
  });
});
