// Rejection matrix: every way a signed URL or cookie set can be wrong, each asserting its reason code.
import { describe, expect, it } from 'vitest';
import { toCloudFrontBase64 } from '../../../common/cloudfront/base64.ts';
import { customPolicy } from '../../../common/cloudfront/policy.ts';
import { signPolicy, signedCookies, signedUrl } from '../../../common/cloudfront/sign.ts';
import { createVerifier } from '../../../common/cloudfront/verify.ts';
import type { CloudFrontReason, CloudFrontResult } from '../../../common/cloudfront/verify.ts';
import { cloudFrontKeys, signerOf, trustedKeysOf } from '../../helpers/cloudfront-keys.ts';

const { rsa, ec, otherRsa } = cloudFrontKeys();
const verifier = createVerifier(trustedKeysOf(rsa, ec), { cacheEntries: 100 });
const now = 1_800_000_000;
const expires = now + 600;
const ip = '192.0.2.10';
const base = 'https://cdn.example.com/media/a/clip.mp4';
const sha1 = signerOf(rsa);
const sha256 = signerOf(rsa, 'SHA256');

const verifyUrl = (url: string, clientIp = ip, nowEpochSeconds = now) =>
  verifier.verifyUrl({ url, clientIp, nowEpochSeconds });
const verifyCookies = (cookies: Record<string, string>, url = base) =>
  verifier.verifyCookies({ url, clientIp: ip, nowEpochSeconds: now, cookies });

const canned = (url = base, exp = expires) => signedUrl(sha1, url, { expiresEpochSeconds: exp });
const statement = (resource: string, condition: string) =>
  `{"Statement":[{"Resource":"${resource}","Condition":{${condition}}}]}`;
const validCondition = `"DateLessThan":{"AWS:EpochTime":${expires}}`;
/** A URL carrying `policy` signed by our trusted key, so only the policy's content can be at fault. */
const withPolicy = (policy: string, url = base, signer = sha1) =>
  `${url}?Policy=${toCloudFrontBase64(policy)}&Key-Pair-Id=${signer.keyPairId}&Signature=${signPolicy(signer, policy)}`;
const custom = (input: Partial<Parameters<typeof customPolicy>[0]>, url = base) =>
  signedUrl(sha1, url, { policy: customPolicy({ resource: base, dateLessThan: expires, ...input }) });
const replaceParam = (url: string, name: string, value: string) =>
  url.replace(new RegExp(`([?&]${name}=)[^&]*`), `$1${value}`);
const dropParam = (url: string, name: string) => url.replace(new RegExp(`&${name}=[^&]*`), '');
/** Changes a character whose six bits all count, so the text stays canonical base64 but the bytes differ. */
const flipMiddle = (text: string) => `${text.slice(0, 10)}${text[10] === 'A' ? 'B' : 'A'}${text.slice(11)}`;
const cookies = (input: Parameters<typeof signedCookies>[1], signer = sha1) =>
  Object.fromEntries(signedCookies(signer, input).map((c) => [c.name, c.value]));
const wildcardCookies = () =>
  cookies({ policy: customPolicy({ resource: 'https://cdn.example.com/media/a/*', dateLessThan: expires }) });
const signatureOf = (url: string) => new URL(url).searchParams.get('Signature') ?? '';

const rows: { name: string; run: () => CloudFrontResult; reason: CloudFrontReason }[] = [
  // Missing pieces
  { name: 'URL without signing parameters', run: () => verifyUrl(`${base}?v=1`), reason: 'cf_missing_key' },
  {
    name: 'URL without Key-Pair-Id',
    run: () => verifyUrl(dropParam(canned(), 'Key-Pair-Id')),
    reason: 'cf_missing_key',
  },
  { name: 'URL without Signature', run: () => verifyUrl(dropParam(canned(), 'Signature')), reason: 'cf_malformed' },
  {
    name: 'URL with neither Expires nor Policy',
    run: () => verifyUrl(canned().replace(/\?Expires=\d+&/, '?')),
    reason: 'cf_malformed',
  },
  {
    name: 'URL with both Expires and Policy',
    run: () => verifyUrl(`${custom({})}&Expires=${expires}`),
    reason: 'cf_malformed',
  },
  {
    name: 'URL with a repeated Signature',
    run: () => verifyUrl(`${canned()}&Signature=${signatureOf(canned())}`),
    reason: 'cf_malformed',
  },
  {
    name: 'valueless Expires parameter',
    run: () => verifyUrl(canned().replace(/Expires=\d+/, 'Expires')),
    reason: 'cf_malformed',
  },
  { name: 'no CloudFront cookies at all', run: () => verifyCookies({ session: 'x' }), reason: 'cf_missing_key' },
  {
    name: 'cookies without Key-Pair-Id',
    run: () => verifyCookies({ ...wildcardCookies(), 'CloudFront-Key-Pair-Id': undefined } as never),
    reason: 'cf_missing_key',
  },
  {
    name: 'cookies without Signature',
    run: () => {
      const c = wildcardCookies();
      delete c['CloudFront-Signature'];
      return verifyCookies(c);
    },
    reason: 'cf_malformed',
  },
  {
    name: 'cookies with both Expires and Policy',
    run: () => verifyCookies({ ...wildcardCookies(), 'CloudFront-Expires': String(expires) }),
    reason: 'cf_malformed',
  },
  // Keys and signatures
  {
    name: 'unknown key pair id',
    run: () => verifyUrl(replaceParam(canned(), 'Key-Pair-Id', 'K2NOBODY')),
    reason: 'cf_unknown_key',
  },
  {
    name: 'signed by an untrusted key under its own id',
    run: () => verifyUrl(signedUrl(signerOf(otherRsa), base, { expiresEpochSeconds: expires })),
    reason: 'cf_unknown_key',
  },
  {
    name: 'signed by an untrusted key under a trusted id',
    run: () =>
      verifyUrl(signedUrl({ ...signerOf(otherRsa), keyPairId: rsa.keyPairId }, base, { expiresEpochSeconds: expires })),
    reason: 'cf_bad_signature',
  },
  {
    name: 'RSA signature presented under the EC key id',
    run: () => verifyUrl(replaceParam(canned(), 'Key-Pair-Id', ec.keyPairId)),
    reason: 'cf_bad_signature',
  },
  {
    name: 'tampered Expires',
    run: () => verifyUrl(replaceParam(canned(), 'Expires', String(expires + 1))),
    reason: 'cf_bad_signature',
  },
  {
    name: 'tampered policy (later expiry)',
    run: () =>
      verifyUrl(
        replaceParam(
          custom({}),
          'Policy',
          toCloudFrontBase64(customPolicy({ resource: base, dateLessThan: expires + 9 })),
        ),
      ),
    reason: 'cf_bad_signature',
  },
  {
    name: 'tampered signature',
    run: () => verifyUrl(replaceParam(canned(), 'Signature', flipMiddle(signatureOf(canned())))),
    reason: 'cf_bad_signature',
  },
  {
    name: 'signature of the wrong length',
    run: () => verifyUrl(replaceParam(canned(), 'Signature', 'AAAA')),
    reason: 'cf_bad_signature',
  },
  {
    name: 'SHA-1 signature claiming SHA256',
    run: () => verifyUrl(`${canned()}&Hash-Algorithm=SHA256`),
    reason: 'cf_bad_signature',
  },
  {
    name: 'SHA-256 signature without Hash-Algorithm',
    run: () => verifyUrl(dropParam(signedUrl(sha256, base, { expiresEpochSeconds: expires }), 'Hash-Algorithm')),
    reason: 'cf_bad_signature',
  },
  {
    name: 'canned cookie presented for another URL',
    run: () => verifyCookies(cookies({ resource: base, expiresEpochSeconds: expires }), `${base}?v=2`),
    reason: 'cf_bad_signature',
  },
  // Encoding and hash algorithm
  {
    name: 'signature that is not base64',
    run: () => verifyUrl(replaceParam(canned(), 'Signature', '!!!!')),
    reason: 'cf_malformed',
  },
  {
    name: 'signature in standard, not CloudFront, base64',
    run: () => verifyUrl(replaceParam(canned(), 'Signature', signatureOf(canned()).replace(/_/g, '='))),
    reason: 'cf_malformed',
  },
  {
    name: 'signature without padding',
    run: () => verifyUrl(replaceParam(canned(), 'Signature', signatureOf(canned()).replace(/_+$/, ''))),
    reason: 'cf_malformed',
  },
  {
    name: 'non-canonical base64 (unused bits set)',
    run: () =>
      verifyUrl(
        replaceParam(
          canned(),
          'Signature',
          signatureOf(canned()).replace(
            /(.)__$/,
            (_m, c: string) => `${c === 'A' ? 'B' : c === 'Q' ? 'R' : c === 'g' ? 'h' : 'x'}__`,
          ),
        ),
      ),
    reason: 'cf_malformed',
  },
  {
    name: 'percent-encoded signature',
    run: () => {
      const url = signedUrl(signerOf(ec), base, { expiresEpochSeconds: expires });
      const sig = signatureOf(url);
      return verifyUrl(replaceParam(url, 'Signature', `%${sig.charCodeAt(0).toString(16)}${sig.slice(1)}`));
    },
    reason: 'cf_malformed',
  },
  {
    // The signature covers the policy without the BOM; the bytes presented carry one. Signed over these exact bytes
    // or not, a BOM is not JSON whitespace, so the policy is malformed either way.
    name: 'policy bytes with a leading UTF-8 BOM',
    run: () => {
      const policy = statement(base, validCondition);
      const url = withPolicy(policy);
      return verifyUrl(replaceParam(url, 'Policy', toCloudFrontBase64(`\uFEFF${policy}`)));
    },
    reason: 'cf_malformed',
  },
  {
    name: 'policy signed with a leading UTF-8 BOM',
    run: () => verifyUrl(withPolicy(`\uFEFF${statement(base, validCondition)}`)),
    reason: 'cf_malformed',
  },
  {
    name: 'policy that is not base64',
    run: () => verifyUrl(replaceParam(custom({}), 'Policy', 'e30=')),
    reason: 'cf_malformed',
  },
  { name: 'unknown Hash-Algorithm', run: () => verifyUrl(`${canned()}&Hash-Algorithm=MD5`), reason: 'cf_malformed' },
  {
    name: 'lower-case Hash-Algorithm',
    run: () => verifyUrl(signedUrl(sha256, base, { expiresEpochSeconds: expires }).replace('SHA256', 'sha256')),
    reason: 'cf_malformed',
  },
  {
    name: 'unknown CloudFront-Hash-Algorithm cookie',
    run: () => verifyCookies({ ...wildcardCookies(), 'CloudFront-Hash-Algorithm': 'SHA512' }),
    reason: 'cf_malformed',
  },
  {
    name: 'Expires with a leading zero',
    run: () => verifyUrl(replaceParam(canned(), 'Expires', `0${expires}`)),
    reason: 'cf_malformed',
  },
  { name: 'negative Expires', run: () => verifyUrl(replaceParam(canned(), 'Expires', '-1')), reason: 'cf_malformed' },
  // Policy content (validly signed, so only the content is at fault)
  { name: 'policy that is not JSON', run: () => verifyUrl(withPolicy('{"Statement":')), reason: 'cf_malformed' },
  {
    name: 'policy bytes that are not UTF-8',
    run: () =>
      verifyUrl(
        `${base}?Policy=${toCloudFrontBase64(Buffer.from([0xff, 0xfe]))}&Key-Pair-Id=${rsa.keyPairId}&Signature=${signatureOf(canned())}`,
      ),
    reason: 'cf_malformed',
  },
  {
    name: 'policy with two statements',
    run: () =>
      verifyUrl(
        withPolicy(
          `{"Statement":[${statement(base, validCondition).slice(14, -2)},${statement(base, validCondition).slice(14, -2)}]}`,
        ),
      ),
    reason: 'cf_malformed',
  },
  {
    name: 'policy without Resource',
    run: () => verifyUrl(withPolicy(`{"Statement":[{"Condition":{${validCondition}}}]}`)),
    reason: 'cf_malformed',
  },
  {
    name: 'policy without DateLessThan',
    run: () => verifyUrl(withPolicy(statement(base, `"DateGreaterThan":{"AWS:EpochTime":${now - 5}}`))),
    reason: 'cf_malformed',
  },
  {
    name: 'policy with a quoted epoch time',
    run: () => verifyUrl(withPolicy(statement(base, `"DateLessThan":{"AWS:EpochTime":"${expires}"}`))),
    reason: 'cf_malformed',
  },
  {
    name: 'policy with a fractional epoch time',
    run: () => verifyUrl(withPolicy(statement(base, `"DateLessThan":{"AWS:EpochTime":${expires}.5}`))),
    reason: 'cf_malformed',
  },
  {
    name: 'policy with an IPv6 source',
    run: () => verifyUrl(withPolicy(statement(base, `${validCondition},"IpAddress":{"AWS:SourceIp":"2001:db8::/32"}`))),
    reason: 'cf_malformed',
  },
  {
    name: 'policy with a list of sources',
    run: () => verifyUrl(withPolicy(statement(base, `${validCondition},"IpAddress":{"AWS:SourceIp":["${ip}/32"]}`))),
    reason: 'cf_malformed',
  },
  {
    name: 'policy with an unknown condition',
    run: () => verifyUrl(withPolicy(statement(base, `${validCondition},"StringEquals":{"aws:Referer":"x"}`))),
    reason: 'cf_malformed',
  },
  // Size bounds, checked before decoding or crypto
  {
    name: 'oversized policy',
    run: () => verifyUrl(replaceParam(custom({}), 'Policy', 'A'.repeat(2736))),
    reason: 'cf_too_large',
  },
  {
    name: 'oversized signature',
    run: () => verifyUrl(replaceParam(canned(), 'Signature', 'A'.repeat(348))),
    reason: 'cf_too_large',
  },
  {
    name: 'oversized key pair id',
    run: () => verifyUrl(replaceParam(canned(), 'Key-Pair-Id', 'K'.repeat(129))),
    reason: 'cf_too_large',
  },
  {
    name: 'oversized URL',
    run: () => verifyUrl(`${base}?pad=${'x'.repeat(8192)}&${canned().split('?')[1]!}`),
    reason: 'cf_too_large',
  },
  {
    name: 'oversized cookie policy',
    run: () => verifyCookies({ ...wildcardCookies(), 'CloudFront-Policy': 'A'.repeat(4000) }),
    reason: 'cf_too_large',
  },
  // Dates
  { name: 'expired at exactly DateLessThan', run: () => verifyUrl(canned(), ip, expires), reason: 'cf_expired' },
  { name: 'expired after DateLessThan', run: () => verifyUrl(custom({}), ip, expires + 3600), reason: 'cf_expired' },
  {
    name: 'not yet valid before DateGreaterThan',
    run: () => verifyUrl(custom({ dateGreaterThan: now + 1 })),
    reason: 'cf_not_yet_valid',
  },
  // Resource
  {
    name: 'canned URL with another path',
    run: () => verifyUrl(canned().replace('clip.mp4', 'clip.mp3')),
    reason: 'cf_bad_signature',
  },
  {
    name: 'canned URL with a parameter added after signing',
    run: () => verifyUrl(`${canned()}&extra=1`),
    reason: 'cf_bad_signature',
  },
  {
    name: 'custom URL with a parameter added after signing',
    run: () => verifyUrl(`${custom({})}&extra=1`),
    reason: 'cf_resource_mismatch',
  },
  {
    name: 'custom URL moved to another host',
    run: () => verifyUrl(custom({}).replace('cdn.example.com', 'cdn.example.org')),
    reason: 'cf_resource_mismatch',
  },
  {
    name: 'custom URL over http instead of https',
    run: () => verifyUrl(custom({}).replace('https:', 'http:')),
    reason: 'cf_resource_mismatch',
  },
  {
    name: 'custom URL with a case change in the path',
    run: () => verifyUrl(custom({}).replace('clip', 'Clip')),
    reason: 'cf_resource_mismatch',
  },
  // Wildcards
  {
    name: 'wildcard: folder itself without trailing slash',
    run: () => verifyCookies(wildcardCookies(), 'https://cdn.example.com/media/a'),
    reason: 'cf_resource_mismatch',
  },
  {
    name: 'wildcard: sibling folder sharing a prefix',
    run: () => verifyCookies(wildcardCookies(), 'https://cdn.example.com/media/ab/x.ts'),
    reason: 'cf_resource_mismatch',
  },
  {
    name: 'wildcard: prefix matched in the query only',
    run: () => verifyCookies(wildcardCookies(), 'https://cdn.example.com/other?u=https://cdn.example.com/media/a/x'),
    reason: 'cf_resource_mismatch',
  },
  {
    name: 'wildcard: ? needs exactly one character (none)',
    run: () =>
      verifyUrl(
        withPolicy(
          statement('https://cdn.example.com/media/a/?.ts', validCondition),
          'https://cdn.example.com/media/a/.ts',
        ),
      ),
    reason: 'cf_resource_mismatch',
  },
  {
    name: 'wildcard: ? needs exactly one character (two)',
    run: () =>
      verifyUrl(
        withPolicy(
          statement('https://cdn.example.com/media/a/?.ts', validCondition),
          'https://cdn.example.com/media/a/10.ts',
        ),
      ),
    reason: 'cf_resource_mismatch',
  },
  {
    name: 'wildcard: host is literal',
    run: () => verifyCookies(wildcardCookies(), 'https://evil.example/media/a/x.ts'),
    reason: 'cf_resource_mismatch',
  },
  // IP address
  {
    name: 'client outside the CIDR',
    run: () => verifyUrl(custom({ sourceIp: '192.0.2.0/28' }), '192.0.2.16'),
    reason: 'cf_ip_mismatch',
  },
  {
    name: 'client one address off a /32',
    run: () => verifyUrl(custom({ sourceIp: ip }), '192.0.2.11'),
    reason: 'cf_ip_mismatch',
  },
  {
    name: 'IPv6 client against an IPv4 condition',
    run: () => verifyUrl(custom({ sourceIp: '0.0.0.0/0' }), '2001:db8::1'),
    reason: 'cf_ip_mismatch',
  },
  {
    name: 'IPv4-mapped IPv6 client',
    run: () => verifyUrl(custom({ sourceIp: ip }), `::ffff:${ip}`),
    reason: 'cf_ip_mismatch',
  },
  {
    name: 'unparseable client address',
    run: () => verifyUrl(custom({ sourceIp: ip }), '192.0.2.010'),
    reason: 'cf_ip_mismatch',
  },
];

describe('rejects', () => {
  it.each(rows)('$name with $reason', ({ run, reason }) => {
    expect(run()).toEqual({ ok: false, reason });
  });
});

describe('the matrix rows are near misses, not noise', () => {
  it('accepts the unmodified fixtures', () => {
    expect(verifyUrl(canned()).ok).toBe(true);
    expect(verifyUrl(custom({ sourceIp: '192.0.2.0/28', dateGreaterThan: now })).ok).toBe(true);
    expect(
      verifyUrl(
        withPolicy(
          statement('https://cdn.example.com/media/a/?.ts', validCondition),
          'https://cdn.example.com/media/a/1.ts',
        ),
      ).ok,
    ).toBe(true);
    expect(verifyCookies(wildcardCookies(), 'https://cdn.example.com/media/a/x.ts').ok).toBe(true);
    expect(verifyUrl(custom({ sourceIp: '0.0.0.0/0' }), '203.0.113.9').ok).toBe(true);
  });
});
