// The verifier accepts what CloudFront accepts: SDK-minted URLs and cookies, the AWS documentation's policy shapes,
// ECDSA and SHA-256 signatures, and CloudFront's precedence of signed URLs over cookies.
import { getSignedCookies, getSignedUrl } from '@aws-sdk/cloudfront-signer';
import { verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromCloudFrontBase64, toCloudFrontBase64 } from '../../../common/cloudfront/base64.ts';
import type { HashAlgorithm } from '../../../common/cloudfront/keys.ts';
import { customPolicy } from '../../../common/cloudfront/policy.ts';
import { signPolicy, signedCookies, signedUrl } from '../../../common/cloudfront/sign.ts';
import { createVerifier } from '../../../common/cloudfront/verify.ts';
import { cloudFrontKeys, signerOf, trustedKeysOf } from '../../helpers/cloudfront-keys.ts';

const { rsa, ec } = cloudFrontKeys();
const verifier = createVerifier(trustedKeysOf(rsa, ec), { cacheEntries: 100 });
const now = 1_800_000_000;
const expires = now + 600;
const clientIp = '192.0.2.10';
const hashes: HashAlgorithm[] = ['SHA1', 'SHA256'];

const facts = (url: string, ip = clientIp) => ({ url, clientIp: ip, nowEpochSeconds: now });
const cookieRecord = (cookies: Record<string, string | number | undefined>) =>
  Object.fromEntries(Object.entries(cookies).map(([k, v]) => [k, String(v)]));

const sdkInputs = [
  'https://cdn.example.com/media/a/clip.mp4',
  'https://cdn.example.com/images/image.jpg?size=large&license=yes',
  "https://cdn.example.com/it's/o'clock.mp4?q=it's",
  'https://cdn.example.com/a b/c d.mp4?q=a b&r=a+b',
  'https://cdn.example.com/café/naïve.mp4?q=é',
  'https://cdn.example.com/a:b@c/d;e=f,g.mp4',
  'https://cdn.example.com/a?x=b=c&y=/p:q',
  'https://cdn.example.com/%41%7e/x?flag',
];

describe.each(hashes)('accepts what @aws-sdk/cloudfront-signer mints with %s', (algorithm) => {
  const sdk = { keyPairId: rsa.keyPairId, privateKey: rsa.privatePem, algorithm } as const;
  const dateLessThan = new Date(expires * 1000);

  it.each(sdkInputs)('canned URL from %s', (url) => {
    const signed = getSignedUrl({ ...sdk, url, dateLessThan });
    expect(verifier.verifyUrl(facts(signed))).toEqual({
      ok: true,
      via: 'url',
      keyPairId: rsa.keyPairId,
      expiresEpochSeconds: expires,
    });
  });

  it.each(sdkInputs)('custom URL with start date and IP from %s', (url) => {
    const signed = getSignedUrl({
      ...sdk,
      url,
      dateLessThan,
      dateGreaterThan: new Date(now * 1000),
      ipAddress: '192.0.2.0/24',
    });
    expect(verifier.verifyUrl(facts(signed)).ok).toBe(true);
    expect(verifier.verifyUrl(facts(signed, '198.51.100.1'))).toEqual({ ok: false, reason: 'cf_ip_mismatch' });
  });

  it('canned cookies for the exact URL', () => {
    const url = 'https://cdn.example.com/media/a/clip.mp4';
    const cookies = cookieRecord({ ...getSignedCookies({ ...sdk, url, dateLessThan }) });
    expect(verifier.verifyCookies({ ...facts(url), cookies })).toMatchObject({ ok: true, via: 'cookies' });
    expect(verifier.verifyCookies({ ...facts(`${url}x`), cookies })).toEqual({ ok: false, reason: 'cf_bad_signature' });
  });

  it('wildcard custom cookies for any URL under the resource', () => {
    const policy = customPolicy({ resource: 'https://cdn.example.com/media/a/*', dateLessThan: expires });
    const cookies = new Map(Object.entries(cookieRecord({ ...getSignedCookies({ ...sdk, policy }) })));
    const under = verifier.verifyCookies({ ...facts('https://cdn.example.com/media/a/seg/1.ts?v=2'), cookies });
    expect(under).toMatchObject({ ok: true, via: 'cookies' });
    const outside = verifier.verifyCookies({ ...facts('https://cdn.example.com/media/b/1.ts'), cookies });
    expect(outside).toEqual({ ok: false, reason: 'cf_resource_mismatch' });
  });
});

describe('accepts the AWS documentation shapes', () => {
  const signer = signerOf(rsa);
  // "Create a signed URL using a custom policy": whitespace, CRLF and IpAddress/DateGreaterThan before DateLessThan.
  const docPolicy = [
    '{ \r\n   "Statement": [{ \r\n      "Resource":"https://d111111abcdef8.cloudfront.net/image.jpg?color=red&size=medium", \r\n',
    '      "Condition":{ \r\n         "IpAddress":{"AWS:SourceIp":"192.0.2.10/32"},\r\n',
    `         "DateGreaterThan":{"AWS:EpochTime":${now - 60}},\r\n         "DateLessThan":{"AWS:EpochTime":${expires}}\r\n`,
    '      } \r\n   }] \r\n}\r\n',
  ].join('');

  it('a custom policy with free whitespace and key order, parameters in the documented order', () => {
    const base = 'https://d111111abcdef8.cloudfront.net/image.jpg?color=red&size=medium';
    const url = `${base}&Policy=${toCloudFrontBase64(docPolicy)}&Signature=${signPolicy(signer, docPolicy)}&Key-Pair-Id=${rsa.keyPairId}`;
    expect(verifier.verifyUrl(facts(url))).toMatchObject({ ok: true, expiresEpochSeconds: expires });
  });

  it('a canned URL whose signing parameters sit between the viewer parameters', () => {
    const base = 'https://d111111abcdef8.cloudfront.net/images/image.jpg?color=red&size=large';
    const signed = signedUrl(signer, base, { expiresEpochSeconds: expires });
    const params = signed.slice(base.length + 1);
    const url = `https://d111111abcdef8.cloudfront.net/images/image.jpg?color=red&${params}&size=large`;
    expect(verifier.verifyUrl(facts(url)).ok).toBe(true);
  });

  it('a lone * resource, as CloudFront would (we never mint one)', () => {
    const policy = `{"Statement":[{"Resource":"*","Condition":{"DateLessThan":{"AWS:EpochTime":${expires}}}}]}`;
    const url = `https://any.example/x?Policy=${toCloudFrontBase64(policy)}&Key-Pair-Id=${rsa.keyPairId}&Signature=${signPolicy(signer, policy)}`;
    expect(verifier.verifyUrl(facts(url)).ok).toBe(true);
    expect(() => customPolicy({ resource: '*', dateLessThan: expires })).toThrow(TypeError);
  });
});

describe.each(hashes)('ECDSA P-256 with %s', (hash) => {
  const signer = signerOf(ec, hash);
  const url = 'https://cdn.example.com/media/a/clip.mp4?v=1';

  it('produces DER signatures that plain crypto.verify accepts', () => {
    const policy = customPolicy({ resource: url, dateLessThan: expires });
    const signature = fromCloudFrontBase64(signPolicy(signer, policy))!;
    expect(signature[0]).toBe(0x30);
    const algorithm = hash === 'SHA256' ? 'sha256' : 'sha1';
    expect(verify(algorithm, Buffer.from(policy), { key: ec.publicKey, dsaEncoding: 'der' }, signature)).toBe(true);
    expect(verify(algorithm, Buffer.from(`${policy} `), { key: ec.publicKey, dsaEncoding: 'der' }, signature)).toBe(
      false,
    );
  });

  it('mints randomised signatures that our verifier accepts, as URLs and as cookies', () => {
    const first = signedUrl(signer, url, { expiresEpochSeconds: expires });
    const second = signedUrl(signer, url, { expiresEpochSeconds: expires });
    expect(first).not.toBe(second);
    expect(verifier.verifyUrl(facts(first))).toMatchObject({ ok: true, keyPairId: ec.keyPairId });
    expect(verifier.verifyUrl(facts(second))).toMatchObject({ ok: true, keyPairId: ec.keyPairId });
    const policy = customPolicy({
      resource: 'https://cdn.example.com/media/a/*',
      dateLessThan: expires,
      sourceIp: clientIp,
    });
    const cookies = new Map(signedCookies(signer, { policy }).map((c) => [c.name, c.value]));
    expect(cookies.has('CloudFront-Hash-Algorithm')).toBe(hash === 'SHA256');
    expect(verifier.verifyCookies({ ...facts(url), cookies })).toMatchObject({ ok: true, via: 'cookies' });
  });
});

describe('precedence and time bounds', () => {
  const signer = signerOf(rsa, 'SHA256');
  const url = 'https://cdn.example.com/media/a/clip.mp4';
  const policy = customPolicy({
    resource: 'https://cdn.example.com/media/*',
    dateLessThan: expires,
    dateGreaterThan: now,
  });
  const cookies = new Map(signedCookies(signer, { policy }).map((c) => [c.name, c.value]));

  it('judges by cookies when the URL carries no signing parameter', () => {
    expect(verifier.verifyRequest({ ...facts(`${url}?v=1`), cookies })).toMatchObject({ ok: true, via: 'cookies' });
  });

  it('ignores valid cookies once the URL carries any signing parameter', () => {
    const result = verifier.verifyRequest({ ...facts(`${url}?Expires=${expires}`), cookies });
    expect(result).toEqual({ ok: false, reason: 'cf_missing_key' });
  });

  it('accepts from DateGreaterThan on and until one second before DateLessThan', () => {
    expect(verifier.verifyCookies({ ...facts(url), nowEpochSeconds: now, cookies }).ok).toBe(true);
    expect(verifier.verifyCookies({ ...facts(url), nowEpochSeconds: expires - 1, cookies }).ok).toBe(true);
  });
});
