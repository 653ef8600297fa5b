// The `oidc` section: parsed once with every problem collected, endpoints discovered by the build when left out
// (against the real provider), and a bundle that bakes them so its cold start makes no network call.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../common/errors.ts';
import { parseConfig } from '../../edge/config.ts';
import type { EdgeHandler } from '../../edge/handler.ts';
import { resolveOidcEndpoints } from '../../edge/oidc-discovery.ts';
import { buildEdgeBundle } from '../../esbuild.config.mjs';
import { asResponse, viewerRequest } from '../helpers/events.ts';
import { startOidcProvider } from '../helpers/oidc-provider.ts';
import type { TestProvider } from '../helpers/oidc-provider.ts';
import { createIdp } from '../helpers/tokens.ts';
import { cloudFrontKey, rawConfig } from './fixture.ts';
import { CALLBACK, ORIGIN, urlOf } from './oidc-world.ts';

const idp = createIdp('provider-key');
const cf = cloudFrontKey();
const dir = mkdtempSync(join(tmpdir(), 'edgepass-oidc-'));
let provider: TestProvider;

beforeAll(async () => {
  provider = await startOidcProvider({ idp, redirectUris: [CALLBACK], postLogoutRedirectUris: [`${ORIGIN}/`] });
});

afterAll(async () => {
  await provider.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The fixture's config with `jwt` at the provider and the given `oidc` section. */
function withOidc(oidc: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const jwt = { issuer: provider.issuer, audience: 'edgepass-api', algorithms: ['ES256'], jwks: provider.jwks };
  return rawConfig(idp, cf, { jwt, oidc, ...extra });
}

function problemsOf(raw: unknown): readonly string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseConfig: oidc', () => {
  it('is off when absent', () => {
    expect(parseConfig(rawConfig(idp, cf)).oidc).toBeNull();
  });

  it('applies its defaults', () => {
    const oidc = parseConfig(withOidc({ issuer: provider.issuer, clientId: 'edgepass-demo' })).oidc;
    expect(oidc).toEqual({
      issuer: provider.issuer,
      clientId: 'edgepass-demo',
      clientSecret: null,
      tokenEndpointAuthMethod: 'none',
      scopes: ['openid'],
      authorizationEndpoint: null,
      tokenEndpoint: null,
      endSessionEndpoint: null,
      endSessionRedirectParameter: 'post_logout_redirect_uri',
      tokenTimeoutMs: 2000,
      maxTokenResponseBytes: 16_384,
      refreshTokenTtlSeconds: null,
    });
  });

  it('asks for offline_access when refresh tokens are kept, and authenticates with a secret by Basic', () => {
    const oidc = parseConfig(
      withOidc({ issuer: provider.issuer, clientId: 'c', clientSecret: 's', refreshTokenTtlSeconds: 3600 }),
    ).oidc;
    expect(oidc?.scopes).toEqual(['openid', 'offline_access']);
    expect(oidc?.tokenEndpointAuthMethod).toBe('client_secret_basic');
  });

  it('leaves offline_access out when told to (offlineAccess: false, a Cognito app client), only with refresh', () => {
    const base = { issuer: provider.issuer, clientId: 'c', refreshTokenTtlSeconds: 3600 };
    expect(parseConfig(withOidc({ ...base, offlineAccess: false })).oidc?.scopes).toEqual(['openid']);
    expect(parseConfig(withOidc({ ...base, offlineAccess: true })).oidc?.scopes).toEqual(['openid', 'offline_access']);
    expect(() => parseConfig(withOidc({ issuer: provider.issuer, clientId: 'c', offlineAccess: false }))).toThrow(
      'oidc.offlineAccess applies only with refreshTokenTtlSeconds',
    );
    expect(() => parseConfig(withOidc({ ...base, offlineAccess: 'no' }))).toThrow(
      'oidc.offlineAccess must be true or false',
    );
  });

  it("names the return address logout_uri for Cognito's /logout when told to, only with endSessionEndpoint", () => {
    const base = { issuer: provider.issuer, clientId: 'c', endSessionEndpoint: 'https://auth.example.test/logout' };
    expect(parseConfig(withOidc(base)).oidc?.endSessionRedirectParameter).toBe('post_logout_redirect_uri');
    const cognito = withOidc({ ...base, endSessionRedirectParameter: 'logout_uri' });
    expect(parseConfig(cognito).oidc?.endSessionRedirectParameter).toBe('logout_uri');
    expect(() => parseConfig(withOidc({ ...base, endSessionRedirectParameter: 'redirect_uri' }))).toThrow(
      'oidc.endSessionRedirectParameter must be "post_logout_redirect_uri" or "logout_uri" (Cognito)',
    );
    const withoutEndpoint = { issuer: provider.issuer, clientId: 'c', endSessionRedirectParameter: 'logout_uri' };
    expect(() => parseConfig(withOidc(withoutEndpoint))).toThrow(
      'oidc.endSessionRedirectParameter applies only with endSessionEndpoint',
    );
  });

  it('reports every problem at once', () => {
    const problems = problemsOf(
      withOidc(
        {
          issuer: 'https://not-a-jwt-issuer.example/',
          clientId: 'edgepass-link',
          scopes: ['profile'],
          tokenEndpointAuthMethod: 'client_secret_post',
          authorizationEndpoint: 'http://idp.example/auth',
          tokenEndpoint: 'https://user:pw@idp.example/token',
          tokenTimeoutMs: 4000,
          maxTokenResponseBytes: 10,
          refreshTokenTtlSeconds: 1,
          extra: true,
        },
        { loginUrl: 'https://login.example/', linkTokens: { audience: 'edgepass-link' } },
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'oidc.extra is not a known setting',
        'oidc.issuer must be one of the jwt issuers (its keys verify the ID token)',
        'oidc.clientId must not be linkTokens.audience',
        'oidc.scopes must include "openid"',
        'oidc.tokenEndpointAuthMethod "none" goes without clientSecret, the others need it',
        'oidc.authorizationEndpoint must be an absolute https URL without fragment or credentials (http only on loopback)',
        'oidc.tokenEndpoint must be an absolute https URL without fragment or credentials (http only on loopback)',
        'oidc.tokenTimeoutMs must be an integer from 100 to 2500',
        'oidc.maxTokenResponseBytes must be an integer from 1024 to 65536',
        'oidc.refreshTokenTtlSeconds must be an integer from 60 to 7776000',
        'loginUrl and oidc exclude each other (oidc signs in at the edge)',
      ]),
    );
  });

  it('never quotes the client secret in a problem', () => {
    const problems = problemsOf(
      withOidc({
        issuer: provider.issuer,
        clientId: 'c',
        clientSecret: 'very-secret-value',
        tokenEndpointAuthMethod: 'x',
      }),
    );
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).not.toContain('very-secret-value');
  });
});

describe("parseConfig: oidc.clientSecret from the signing key's secret ({ jsonKey })", () => {
  const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:edgepass/cf-key-AbC123';
  const secretSigner = {
    keyPairId: cf.keyPairId,
    privateKeySecret: { secretId: ARN, region: 'eu-west-1' },
    publicKeyPem: cf.publicKeyPem,
  };
  const section = (clientSecret: unknown, extra: Record<string, unknown> = {}) => ({
    issuer: provider.issuer,
    clientId: 'edgepass-demo',
    clientSecret,
    ...extra,
  });

  it('is accepted with signer.privateKeySecret, authenticating by Basic unless told otherwise', () => {
    const basic = parseConfig(withOidc(section({ jsonKey: 'oidcClientSecret' }), { signer: secretSigner })).oidc;
    expect(basic).toMatchObject({
      clientSecret: { jsonKey: 'oidcClientSecret' },
      tokenEndpointAuthMethod: 'client_secret_basic',
    });
    const post = section({ jsonKey: 'oidc_client_secret' }, { tokenEndpointAuthMethod: 'client_secret_post' });
    expect(parseConfig(withOidc(post, { signer: secretSigner })).oidc?.tokenEndpointAuthMethod).toBe(
      'client_secret_post',
    );
  });

  it('keeps a baked string working beside a Secrets Manager signer (unchanged)', () => {
    const oidc = parseConfig(withOidc(section('baked-secret-value'), { signer: secretSigner })).oidc;
    expect(oidc?.clientSecret).toBe('baked-secret-value');
  });

  // [what, clientSecret, other oidc settings, with the Secrets Manager signer, the one problem expected]
  it.each([
    [
      'a baked signing key (nothing to read the member from)',
      { jsonKey: 'oidcClientSecret' },
      {},
      false,
      'oidc.clientSecret { jsonKey } needs signer.privateKeySecret (deployment.privateKey.source "secretsManager")',
    ],
    ['an empty member name', { jsonKey: '' }, {}, true, 'oidc.clientSecret.jsonKey must name a JSON member'],
    ['the signing key itself', { jsonKey: 'privateKeyPem' }, {}, true, 'other than privateKeyPem'],
    [
      'a member name jq cannot address as .name',
      { jsonKey: 'oidc.client-secret' },
      {},
      true,
      'oidc.clientSecret.jsonKey must name a JSON member',
    ],
    ['no member name', {}, {}, true, 'oidc.clientSecret.jsonKey must name a JSON member'],
    [
      'another key beside jsonKey',
      { jsonKey: 'a', versionStage: 'AWSCURRENT' },
      {},
      true,
      'oidc.clientSecret.versionStage is not a known setting',
    ],
    [
      'tokenEndpointAuthMethod none',
      { jsonKey: 'a' },
      { tokenEndpointAuthMethod: 'none' },
      true,
      'oidc.tokenEndpointAuthMethod "none" goes without clientSecret, the others need it',
    ],
    [
      'a value that is neither a string nor { jsonKey }',
      ['not', 'a', 'secret'],
      {},
      true,
      'oidc.clientSecret must be a non-empty string or { "jsonKey": "<member of the signing key\'s secret>" }',
    ],
    ['an empty string', '', {}, false, 'oidc.clientSecret must be a non-empty string or { "jsonKey"'],
  ])('refuses %s', (_name, clientSecret, oidcExtra, secretKey, expected) => {
    const problems = problemsOf(withOidc(section(clientSecret, oidcExtra), secretKey ? { signer: secretSigner } : {}));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(expected);
  });

  it('never quotes what was given for the secret', () => {
    const given = ['s3cret-in-a-list-1234', { jsonKey: 'oidcClientSecret', value: 's3cret-beside-the-key' }, 12345678];
    for (const clientSecret of given) {
      const problems = problemsOf(withOidc(section(clientSecret))).join('\n');
      expect(problems).not.toMatch(/s3cret|12345678/);
    }
  });
});

describe('discovery at build time', () => {
  it('fills in the endpoints from the provider once', async () => {
    const calls: string[] = [];
    const counting: typeof fetch = (input, init) => {
      calls.push(urlOf(input));
      return fetch(input, init);
    };
    const config = parseConfig(withOidc({ issuer: provider.issuer, clientId: 'edgepass-demo' }));
    const resolved = await resolveOidcEndpoints(config, counting);
    expect(resolved.oidc).toMatchObject({
      authorizationEndpoint: provider.authorizationEndpoint,
      tokenEndpoint: provider.tokenEndpoint,
      endSessionEndpoint: null,
    });
    expect(calls).toEqual([`${provider.issuer}/.well-known/openid-configuration`]);
  });

  it('makes no call when both endpoints are given (offline synth)', async () => {
    const config = parseConfig(
      withOidc({
        issuer: provider.issuer,
        clientId: 'c',
        authorizationEndpoint: 'https://a/',
        tokenEndpoint: 'https://t/',
      }),
    );
    const never = vi.fn<typeof fetch>();
    expect(await resolveOidcEndpoints(config, never)).toBe(config);
    expect(never).not.toHaveBeenCalled();
  });

  it('refuses a document that names another issuer', async () => {
    const config = parseConfig(withOidc({ issuer: provider.issuer, clientId: 'c' }));
    const lying: typeof fetch = () =>
      Promise.resolve(
        Response.json({ issuer: 'https://evil.example', authorization_endpoint: 'https://evil.example/a' }),
      );
    await expect(resolveOidcEndpoints(config, lying)).rejects.toThrow(/names another issuer/);
  });
});

describe('the built bundle', () => {
  it('bakes the discovered endpoints and makes no network call at cold start or sign-in', async () => {
    const outfile = join(dir, 'index.mjs');
    await buildEdgeBundle({
      config: withOidc({ issuer: provider.issuer, clientId: 'edgepass-demo', scopes: ['openid', 'tickets'] }),
      outfile,
    });
    expect(readFileSync(outfile, 'utf8')).toContain(provider.authorizationEndpoint);
    const fetchSpy = vi.fn<typeof fetch>(() => Promise.reject(new Error('no network at cold start')));
    vi.stubGlobal('fetch', fetchSpy);
    try {
      const { handler } = (await import(pathToFileURL(outfile).href)) as { handler: EdgeHandler };
      const navigate = { 'sec-fetch-mode': 'navigate' };
      const first = asResponse(await handler(viewerRequest({ uri: '/attractions/42/', headers: navigate })));
      expect(first?.headers['location']).toEqual(['/_edgepass/sign-in?return=%2Fattractions%2F42%2F']);
      const signIn = asResponse(
        await handler(viewerRequest({ uri: '/_edgepass/sign-in', querystring: 'return=%2F', headers: navigate })),
      );
      expect(signIn?.headers['location']?.[0]?.startsWith(`${provider.authorizationEndpoint}?`)).toBe(true);
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('without oidc leaves the sign-in code out', async () => {
    const outfile = join(dir, 'plain.mjs');
    await buildEdgeBundle({ config: rawConfig(idp, cf), outfile });
    expect(readFileSync(outfile, 'utf8')).not.toContain('code_challenge');
  });
});
