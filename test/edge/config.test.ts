// parseConfig: the documented example shape is accepted; every problem is reported at once; no silent security defaults.
import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/errors.ts';
import { parseConfig } from '../../edge/config.ts';
import { createKeySource } from '../../edge/key-source/baked.ts';
import { createIdp } from '../helpers/tokens.ts';
import { cloudFrontKey, rawConfig } from './fixture.ts';

const idp = createIdp();
const cf = cloudFrontKey();
const valid = rawConfig(idp, cf);

function problemsOf(raw: unknown): readonly string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const without = (key: string): Record<string, unknown> =>
  Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key));

describe('parseConfig', () => {
  it("derives the baked signer's public key, and the key source imports its private pair once, on first use", () => {
    const { signer } = parseConfig(valid);
    expect(signer.publicKeyPem).toBe(cf.publicKeyPem);
    const source = createKeySource(signer);
    const imported = source.current();
    expect(createPublicKey(imported?.privateKey ?? '').export({ type: 'spki', format: 'pem' })).toBe(cf.publicKeyPem);
    // Imported once, then the same signer on every request.
    expect(source.current()).toBe(imported);
  });

  it('accepts the documented keys and applies the documented defaults', () => {
    const config = parseConfig(valid);
    expect(config.domainNames).toEqual(['cdn.example.test']);
    expect(config.viewerProtocol).toBe('https');
    expect(config.signatureReuseSeconds).toBe(60);
    expect(config.loginUrl).toBeNull();
    expect(config.trustedKeys).toEqual([]);
    expect(config.protectedPaths[0]).toMatchObject({
      prefix: '/attractions/',
      placeholder: 'attraction',
      enforcement: 'edge',
    });
    expect(config.jwt.issuers[0]?.audience).toBe('edgepass-demo');
  });

  it('tolerates the originApi and deployment sections owned by other parsers', () => {
    expect(() =>
      parseConfig({ ...valid, originApi: { bucket: 'b' }, deployment: { region: 'eu-west-1' } }),
    ).not.toThrow();
  });

  it('reports every problem at once', () => {
    const problems = problemsOf({
      ...valid,
      domainNames: ['CDN.Example.test:443'],
      signer: { keyPairId: 'lower-case', privateKeyPem: 'not a pem' },
      viewerProtocol: 'ftp',
      surprise: true,
      protectedPaths: [{ pattern: '/attractions/{a}/{b}/', ticketClaim: 'tickets', cookieTtlSeconds: 0 }],
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('domainNames[0]'),
        expect.stringContaining('signer.keyPairId'),
        expect.stringContaining('signer.privateKeyPem'),
        expect.stringContaining('viewerProtocol'),
        'surprise is not a known setting',
        expect.stringContaining('protectedPaths[0].pattern'),
        expect.stringContaining('protectedPaths[0].cookieTtlSeconds'),
        expect.stringContaining('protectedPaths[0].signedUrlTtlSeconds'),
      ]),
    );
    expect(problems.length).toBeGreaterThanOrEqual(8);
  });

  it.each(['signer', 'jwt', 'domainNames', 'protectedPaths'])('requires %s', (key) => {
    expect(problemsOf(without(key)).some((p) => p.startsWith(key))).toBe(true);
  });

  it.each(['issuer', 'audience', 'algorithms', 'jwks'])('has no silent default for jwt.%s', (key) => {
    const jwt = Object.fromEntries(Object.entries(valid['jwt'] as object).filter(([k]) => k !== key));
    expect(problemsOf({ ...valid, jwt }).some((p) => p.startsWith(`jwt.${key}`))).toBe(true);
  });

  it('accepts audience null as the explicit opt-out', () => {
    expect(
      parseConfig({ ...valid, jwt: { ...(valid['jwt'] as object), audience: null } }).jwt.issuers[0]?.audience,
    ).toBeNull();
  });

  it('never quotes key material in a problem', () => {
    const problems = problemsOf({ ...valid, signer: { keyPairId: 'K1', privateKeyPem: cf.publicKeyPem } });
    expect(problems.join('\n')).not.toContain('BEGIN');
  });

  it('refuses keys CloudFront does not accept (RSA-1024)', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    const problems = problemsOf({ ...valid, signer: { keyPairId: 'K2JCJMDEHXQW5F', privateKeyPem: small.toString() } });
    expect(problems).toEqual([expect.stringContaining('RSA-2048 or ECDSA P-256')]);
  });

  it('allows viewerProtocol http only when every domain name is loopback', () => {
    expect(problemsOf({ ...valid, viewerProtocol: 'http' })).toEqual([expect.stringContaining('loopback')]);
    const local = { ...valid, viewerProtocol: 'http', domainNames: ['localhost', 'cdn.localhost', '127.0.0.1'] };
    expect(parseConfig(local).viewerProtocol).toBe('http');
  });

  it.each([
    ['javascript:alert(1)'],
    ['//evil.example/login'],
    ['/\\evil.example/login'],
    ['http://id.example.test/login'],
    ['https://id.example.test/login#frag'],
    [42],
  ])('refuses loginUrl %s', (loginUrl) => {
    expect(problemsOf({ ...valid, loginUrl })).toEqual([expect.stringContaining('loginUrl')]);
  });

  it('reads the shared top-level appOrigins list, empty by default', () => {
    expect(parseConfig(valid).appOrigins).toEqual([]);
    const origins = ['https://app.example.test', 'http://localhost:5173'];
    expect(parseConfig({ ...valid, appOrigins: origins }).appOrigins).toEqual(origins);
    expect(problemsOf({ ...valid, appOrigins: ['http://app.example.test'], surprise: 1 })).toEqual([
      'surprise is not a known setting',
      'appOrigins[0] must use https (http only for localhost or 127.0.0.1)',
    ]);
  });

  it.each([['/signin'], ['/_dev/login'], ['/login?app=demo']])(
    'accepts loginUrl %s, a path on the CDN host',
    (loginUrl) => {
      expect(parseConfig({ ...valid, loginUrl }).loginUrl).toBe(loginUrl);
    },
  );

  it('accepts an https loginUrl with its own query', () => {
    expect(parseConfig({ ...valid, loginUrl: 'https://id.example.test/login?app=demo' }).loginUrl).toBe(
      'https://id.example.test/login?app=demo',
    );
  });

  it.each([
    ['/attractions/', 'no placeholder'],
    ['/{attraction}/', 'no static segment'],
    ['/attractions/{attraction}', 'no trailing slash'],
    ['/attractions/x{attraction}/', 'placeholder not a whole segment'],
    ['/attractions/{attraction}/photos/', 'placeholder not last'],
    ['/a/../{attraction}/', 'dot segment'],
    ['/_edgepass/{attraction}/', 'reserved prefix'],
  ])('refuses pattern %s (%s)', (pattern) => {
    const paths = [{ pattern, ticketClaim: 'tickets', cookieTtlSeconds: 60, signedUrlTtlSeconds: 60 }];
    expect(problemsOf({ ...valid, protectedPaths: paths }).some((p) => p.includes('pattern'))).toBe(true);
  });

  it('refuses overlapping protected prefixes', () => {
    const base = { ticketClaim: 'tickets', cookieTtlSeconds: 60, signedUrlTtlSeconds: 60 };
    const paths = [
      { ...base, pattern: '/media/{attraction}/' },
      { ...base, pattern: '/media/vip/{attraction}/' },
    ];
    expect(problemsOf({ ...valid, protectedPaths: paths })).toEqual([expect.stringContaining('overlaps')]);
  });

  it('accepts trusted rotation keys and refuses duplicates of the signer or each other', () => {
    const old = cloudFrontKey('KOLDKEY0000001');
    const ok = parseConfig({ ...valid, trustedKeys: [{ keyPairId: old.keyPairId, publicKeyPem: old.publicKeyPem }] });
    expect(ok.trustedKeys.map((k) => k.keyPairId)).toEqual(['KOLDKEY0000001']);
    const dup = [{ keyPairId: cf.keyPairId, publicKeyPem: cf.publicKeyPem }];
    expect(problemsOf({ ...valid, trustedKeys: dup })).toEqual([expect.stringContaining('listed twice')]);
  });

  it('refuses a session cookie name that CloudFront owns', () => {
    expect(problemsOf({ ...valid, sessionCookieName: 'CloudFront-Policy' })).toEqual([
      expect.stringContaining('sessionCookieName'),
    ]);
  });

  it('refuses a non-object document', () => {
    expect(problemsOf([])).toEqual(['the configuration must be a JSON object']);
  });

  it.each([
    ['private, max-age=300', undefined],
    ['no-store', undefined],
    ['public, max-age=60', 'protectedCacheControl must not let shared caches keep protected media'],
    ['private, s-maxage=60', 'protectedCacheControl must not let shared caches keep protected media'],
    ['max-age=60', 'protectedCacheControl must include "private" or "no-store"'],
    [
      'private; evil',
      'protectedCacheControl must be comma-separated Cache-Control directives, such as "private, no-cache"',
    ],
  ])('checks protectedCacheControl %j (shared caches must never keep protected media)', (value, problem) => {
    const raw = { ...valid, protectedCacheControl: value };
    if (problem === undefined) expect(parseConfig(raw).protectedCacheControl).toBe(value);
    else expect(problemsOf(raw)).toEqual([problem]);
  });

  it("defaults protectedCacheControl to 'private, no-cache' (the browser revalidates, the edge decides again)", () => {
    expect(parseConfig(valid).protectedCacheControl).toBe('private, no-cache');
  });
});
