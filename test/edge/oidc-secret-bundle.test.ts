// Sign-in at the edge with the client secret in the signing key's Secrets Manager secret (`oidc.clientSecret
// { jsonKey }`), through the real bundle: a loopback Secrets Manager that checks SigV4 hands out one SecretString,
// and the real OpenID Provider (oidc-provider on loopback) is the oracle that the secret arrived, by Basic or in
// the form. A wrong secret is refused by the provider; a missing member means no exchange at all.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MockInstance } from 'vitest';
import type { EdgeHandler } from '../../edge/handler.ts';
import { buildEdgeBundle } from '../../esbuild.config.mjs';
import { CLIENT_ID, followToClient, startOidcProvider } from '../helpers/oidc-provider.ts';
import type { TestProvider } from '../helpers/oidc-provider.ts';
import { createIdp, signToken } from '../helpers/tokens.ts';
import { startSecretsManagerForBundles } from './fake-secrets-manager.ts';
import type { Answer, FakeSecretsManager } from './fake-secrets-manager.ts';
import { cloudFrontKey, HOST } from './fixture.ts';
import { reasonOf } from './flow.ts';
import {
  answer,
  APP_AUDIENCE,
  CALLBACK,
  callbackWith,
  jarOf,
  location,
  navigation,
  ORIGIN,
  randomSecret,
  startSignIn,
  urlOf,
} from './oidc-world.ts';

const REGION = 'eu-west-1';
const ARN = `arn:aws:secretsmanager:${REGION}:123456789012:secret:edgepass/k202611-AbC123`;
const MEMBER = 'oidcClientSecret';
const idp = createIdp('provider-key');
const cf = cloudFrontKey();
const basicSecret = randomSecret();
const postSecret = randomSecret();
const dir = mkdtempSync(join(tmpdir(), 'edgepass-oidc-secret-'));
let basic: TestProvider;
let post: TestProvider;
let fake: FakeSecretsManager;
let builds = 0;
let log: MockInstance<(line: unknown) => void>;
/** Every URL the bundle fetched (the Secrets Manager call and the token endpoint). */
let fetched: string[] = [];

beforeAll(async () => {
  const registration = { idp, redirectUris: [CALLBACK], postLogoutRedirectUris: [`${ORIGIN}/`] };
  basic = await startOidcProvider({ ...registration, clientSecret: basicSecret });
  post = await startOidcProvider({
    ...registration,
    clientSecret: postSecret,
    tokenEndpointAuthMethod: 'client_secret_post',
  });
  fake = await startSecretsManagerForBundles(REGION, ARN);
});

afterEach(() => {
  log.mockRestore();
});

afterAll(async () => {
  await Promise.all([basic.close(), post.close(), fake.close()]);
  rmSync(dir, { recursive: true, force: true });
});

/** The signing key and, as member `oidcClientSecret`, the client secret: the SecretString of the docs' recipe. */
const both = (clientSecret: string): Answer => ({
  kind: 'secret',
  secretString: JSON.stringify({ privateKeyPem: cf.privateKeyPem, [MEMBER]: clientSecret }),
});

function config(provider: TestProvider, method: 'client_secret_basic' | 'client_secret_post') {
  return {
    domainNames: [HOST],
    jwt: { issuer: provider.issuer, audience: APP_AUDIENCE, algorithms: ['ES256'], jwks: provider.jwks },
    signer: {
      keyPairId: cf.keyPairId,
      privateKeySecret: { secretId: ARN, region: REGION },
      publicKeyPem: cf.publicKeyPem,
    },
    protectedPaths: [
      {
        pattern: '/attractions/{attraction}/',
        ticketClaim: 'tickets',
        cookieTtlSeconds: 3600,
        signedUrlTtlSeconds: 60,
      },
    ],
    oidc: {
      issuer: provider.issuer,
      clientId: CLIENT_ID,
      clientSecret: { jsonKey: MEMBER },
      tokenEndpointAuthMethod: method,
      scopes: ['openid', 'tickets'],
      authorizationEndpoint: provider.authorizationEndpoint,
      tokenEndpoint: provider.tokenEndpoint,
    },
  };
}

/** A fresh bundle (its own module scope: its own cold start, whose one GetSecretValue the fake answers). */
async function coldStart(provider: TestProvider, method: 'client_secret_basic' | 'client_secret_post', first: Answer) {
  fake.answer = first;
  fake.calls.length = 0;
  fetched = [];
  builds += 1;
  const outfile = join(dir, `b${String(builds)}`, 'index.mjs');
  await buildEdgeBundle({ config: config(provider, method), outfile, secretsEndpointForTests: fake.endpoint });
  log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  // The bundle keeps the fetch it found at module scope: this one records where it went.
  const realFetch = globalThis.fetch;
  vi.stubGlobal('fetch', (input: string | URL | Request, init?: RequestInit) => {
    fetched.push(urlOf(input));
    return realFetch(input, init);
  });
  try {
    return ((await import(pathToFileURL(outfile).href)) as { handler: EdgeHandler }).handler;
  } finally {
    vi.unstubAllGlobals();
  }
}

/** From the navigation to the provider and back: the callback's answer (the provider signs alice in at once). */
async function signIn(handler: EdgeHandler, provider: TestProvider) {
  const { stateCookie, authorizationUrl } = await startSignIn({ handler });
  const returned = await followToClient(authorizationUrl.href, provider.issuer);
  return callbackWith({ handler }, returned.search.slice(1), { 'edgepass-oidc': stateCookie });
}

const lines = () => log.mock.calls.map((call) => String(call[0]));
/** The reason of the last decision line (key events have none). */
const lastReason = () =>
  lines()
    .map((line) => (JSON.parse(line) as { reason?: string }).reason)
    .filter((reason) => reason !== undefined)
    .at(-1);
const keyEvents = () =>
  lines()
    .map((line) => JSON.parse(line) as { event?: string; error?: string })
    .filter((line) => line.event !== undefined);

describe('a client secret read from the signing key’s secret', () => {
  it.each([
    ['client_secret_basic', () => basic, basicSecret],
    ['client_secret_post', () => post, postSecret],
  ] as const)(
    'reaches the provider by %s: it issues the ID token, and the one secret fetch also signs',
    async (method, providerOf, clientSecret) => {
      const provider = providerOf();
      const handler = await coldStart(provider, method, both(clientSecret));
      const response = await signIn(handler, provider);
      expect([response.status, lastReason()]).toEqual([302, 'oidc_signed_in']);
      const session = jarOf(response)['session'] ?? '';
      expect(session).toMatch(/^ey/);
      // The session earns CloudFront cookies signed with the key from the same SecretString.
      const back = navigation({ uri: '/attractions/42/index.html', cookies: { session } });
      const minted = await answer({ handler }, back);
      expect(location(minted)).toMatch(/^\/attractions\/42\/index\.html\?edgepass_cc=/);
      expect(jarOf(minted)['CloudFront-Signature']).toBeDefined();
      expect(fake.calls).toEqual([{ signatureOk: true, secretId: ARN }]);
      expect(fetched.filter((url) => url === provider.tokenEndpoint)).toHaveLength(1);
      expect(lines().join('\n')).not.toContain(clientSecret);
    },
  );

  it('is waited for when the callback comes before GetSecretValue has answered', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((done) => (release = done));
    const { secretString } = both(basicSecret) as { secretString: string };
    const handler = await coldStart(basic, 'client_secret_basic', { kind: 'hold', release: held, secretString });
    const callback = signIn(handler, basic);
    const early = await Promise.race([callback, new Promise((done) => setTimeout(done, 300, 'waiting'))]);
    expect(early).toBe('waiting');
    expect(fetched).not.toContain(basic.tokenEndpoint);
    release();
    const response = await callback;
    expect([response.status, lastReason()]).toEqual([302, 'oidc_signed_in']);
  });

  it('that is wrong is refused by the provider: a page with Try again, no session', async () => {
    const handler = await coldStart(basic, 'client_secret_basic', both(randomSecret()));
    const response = await signIn(handler, basic);
    expect([response.status, reasonOf(response)]).toEqual([502, 'oidc_token_error']);
    expect(response.body).toContain('Try again');
    expect(jarOf(response)['session']).toBeUndefined();
    expect(fetched).toContain(basic.tokenEndpoint);
  });

  it('missing from the secret fails the load: no exchange at all, a 503 page, and signing fails with it', async () => {
    const handler = await coldStart(basic, 'client_secret_basic', {
      kind: 'secret',
      secretString: JSON.stringify({ privateKeyPem: cf.privateKeyPem, clientSecret: basicSecret }),
    });
    const response = await signIn(handler, basic);
    expect([response.status, reasonOf(response)]).toEqual([503, 'oidc_secret_unavailable']);
    expect(response.body).toContain('Try again');
    expect(response.headers['location']).toBeUndefined();
    expect(fetched).not.toContain(basic.tokenEndpoint);
    expect(keyEvents()).toMatchObject([{ event: 'key_failed', error: 'no_client_secret' }]);
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: basic.issuer, aud: APP_AUDIENCE, iat: now, exp: now + 600, tickets: ['42'] };
    const token = await signToken({ claims, kid: idp.kid, key: idp.privateKey });
    const signing = await answer(
      { handler },
      { uri: '/attractions/42/a.ts', headers: { authorization: `Bearer ${token}` } },
    );
    expect(signing.status).toBe(503);
    expect(lines().join('\n')).not.toContain(basicSecret);
  });
});
