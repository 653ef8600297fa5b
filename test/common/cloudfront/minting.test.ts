// What we agree to mint: exact policy bytes, resources that never cover a whole host, URLs in wire form.
import { describe, expect, it } from 'vitest';
import { cannedPolicy, customPolicy, parsePolicy } from '../../../common/cloudfront/policy.ts';
import { assertMintableResource, matchesResource, toWireUrl } from '../../../common/cloudfront/resource.ts';
import { signedCookies, signedUrl } from '../../../common/cloudfront/sign.ts';
import { cloudFrontKeys, signerOf } from '../../helpers/cloudfront-keys.ts';

const { rsa } = cloudFrontKeys();
const signer = signerOf(rsa);
const expires = 1_800_000_600;
const url = 'https://cdn.example.com/media/a/clip.mp4';

describe('policy bytes', () => {
  it('writes the canned policy exactly as CloudFront rebuilds it', () => {
    expect(cannedPolicy(`${url}?v=1`, expires)).toBe(
      `{"Statement":[{"Resource":"${url}?v=1","Condition":{"DateLessThan":{"AWS:EpochTime":${expires}}}}]}`,
    );
  });

  it('writes custom conditions in the SDK order', () => {
    const policy = customPolicy({
      resource: `${url}*`,
      dateLessThan: expires,
      dateGreaterThan: 5,
      sourceIp: '10.0.0.0/8',
    });
    expect(policy).toBe(
      `{"Statement":[{"Resource":"${url}*","Condition":{"DateLessThan":{"AWS:EpochTime":${expires}},` +
        `"DateGreaterThan":{"AWS:EpochTime":5},"IpAddress":{"AWS:SourceIp":"10.0.0.0/8"}}}]}`,
    );
    expect(parsePolicy(policy)).toEqual({
      resource: `${url}*`,
      dateLessThan: expires,
      dateGreaterThan: 5,
      sourceIp: { network: 0x0a000000, prefixLength: 8 },
    });
  });

  it.each([
    ['DateGreaterThan not before DateLessThan', { dateGreaterThan: expires }],
    ['fractional expiry', { dateLessThan: expires + 0.5 }],
    ['negative start', { dateGreaterThan: -1 }],
    ['IPv6 source', { sourceIp: '2001:db8::/32' }],
    ['octet over 255', { sourceIp: '256.0.0.1' }],
    ['prefix over 32', { sourceIp: '10.0.0.0/33' }],
    ['leading zero octet', { sourceIp: '010.0.0.1' }],
  ])('refuses %s', (_name, change) => {
    expect(() => customPolicy({ resource: `${url}*`, dateLessThan: expires, ...change })).toThrow(TypeError);
  });
});

describe('assertMintableResource', () => {
  it.each([
    '*',
    'https://*',
    'https://cdn.example.com/*',
    'https://cdn.example.com*',
    'https://cdn.example.com/?*',
    'https://cdn.example.com/??*',
    '*://cdn.example.com/media/*',
    'https://*.example.com/media/*',
    'https://cdn.exampl?.com/media/*',
    'https://cdn.example.com',
    'ftp://cdn.example.com/media/*',
    'HTTPS://cdn.example.com/media/*',
    'https://cdn.example.com/a b/*',
    'https://cdn.example.com/café/*',
  ])('refuses %s', (resource) => {
    expect(() => {
      assertMintableResource(resource);
    }).toThrow(TypeError);
  });

  it.each([
    'https://cdn.example.com/media/a/*',
    'https://cdn.example.com/m*',
    'https://cdn.example.com/?x*',
    'https://cdn.example.com/media/a/clip.mp4',
    'https://cdn.example.com/',
    'http://cdn.example.com:8080/media/*',
  ])('accepts %s', (resource) => {
    expect(() => {
      assertMintableResource(resource);
    }).not.toThrow();
  });
});

describe('signedUrl refuses what CloudFront or our verifier would refuse', () => {
  const wildcard = customPolicy({ resource: 'https://cdn.example.com/media/a/*', dateLessThan: expires });
  it.each([
    ['a URL that is already signed', `${url}?Expires=1`, { expiresEpochSeconds: expires }],
    ['a URL carrying Hash-Algorithm', `${url}?Hash-Algorithm=SHA256`, { expiresEpochSeconds: expires }],
    ['an empty query string', `${url}?`, { expiresEpochSeconds: expires }],
    ['a fragment', `${url}#t=10`, { expiresEpochSeconds: expires }],
    ['a policy that does not cover the URL', 'https://cdn.example.com/media/b/x.mp4', { policy: wildcard }],
    ['a policy that covers the whole host', url, { policy: wildcard.replace('/media/a/*', '/*') }],
    ['a policy our parser refuses', url, { policy: wildcard.replace('"Condition"', '"Conditions"') }],
    [
      'a policy over 2 KiB',
      `${url}?p=x`,
      { policy: customPolicy({ resource: `${url}?p=${'x'.repeat(2048)}*`, dateLessThan: expires }) },
    ],
    ['a signed URL over 8,192 characters', `${url}?p=${'x'.repeat(8000)}`, { expiresEpochSeconds: expires }],
  ] as const)('refuses %s', (_name, target, options) => {
    expect(() => signedUrl(signer, target, options)).toThrow(TypeError);
  });
});

describe('signedCookies', () => {
  it('names the canned cookies CloudFront expects and omits Hash-Algorithm for SHA-1', () => {
    const names = signedCookies(signer, { resource: url, expiresEpochSeconds: expires }).map((c) => c.name);
    expect(names).toEqual(['CloudFront-Expires', 'CloudFront-Signature', 'CloudFront-Key-Pair-Id']);
  });

  it('adds CloudFront-Hash-Algorithm=SHA256 for SHA-256', () => {
    const policy = customPolicy({ resource: 'https://cdn.example.com/media/a/*', dateLessThan: expires });
    const cookies = signedCookies(signerOf(rsa, 'SHA256'), { policy });
    expect(cookies.map((c) => c.name)).toEqual([
      'CloudFront-Policy',
      'CloudFront-Signature',
      'CloudFront-Key-Pair-Id',
      'CloudFront-Hash-Algorithm',
    ]);
    expect(cookies.at(-1)?.value).toBe('SHA256');
  });

  it.each([`${url}*`, `${url}?v=1`])('refuses a canned cookie for %s', (resource) => {
    expect(() => signedCookies(signer, { resource, expiresEpochSeconds: expires })).toThrow(TypeError);
  });

  it('refuses a custom cookie policy that covers the whole host', () => {
    const policy = `{"Statement":[{"Resource":"https://cdn.example.com/*","Condition":{"DateLessThan":{"AWS:EpochTime":${expires}}}}]}`;
    expect(() => signedCookies(signer, { policy })).toThrow(TypeError);
  });
});

describe('toWireUrl', () => {
  it.each([
    ['drops the fragment', 'https://cdn.example.com/a.mp4#t=10', 'https://cdn.example.com/a.mp4'],
    ['lower-cases the host', 'https://CDN.Example.com/A.mp4', 'https://cdn.example.com/A.mp4'],
    [
      'encodes an apostrophe in the query only',
      "https://cdn.example.com/it's?q='",
      "https://cdn.example.com/it's?q=%27",
    ],
    [
      'keeps + and existing escapes',
      'https://cdn.example.com/a+b%2f?x=a+b%2B',
      'https://cdn.example.com/a+b%2f?x=a+b%2B',
    ],
    ['writes an IDN host as punycode', 'https://bücher.example/a', 'https://xn--bcher-kva.example/a'],
    ['adds the root path', 'https://cdn.example.com', 'https://cdn.example.com/'],
  ])('%s', (_name, input, expected) => {
    expect(toWireUrl(input)).toBe(expected);
  });

  it.each(['ftp://cdn.example.com/a', 'not a url', 'https://user:pw@cdn.example.com/a'])('refuses %s', (input) => {
    expect(() => toWireUrl(input)).toThrow(TypeError);
  });
});

describe('matchesResource on adversarial input', () => {
  it('refuses a long near-miss without backtracking', () => {
    const pattern = `https://cdn.example.com/${'*a'.repeat(500)}*b`;
    const text = `https://cdn.example.com/${'a'.repeat(8000)}`;
    expect(matchesResource(pattern, text)).toBe(false);
    expect(matchesResource(pattern, `${text}b`)).toBe(true);
  });
});
