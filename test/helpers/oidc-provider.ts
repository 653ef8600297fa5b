// A real OpenID Provider (npm oidc-provider v9) on a loopback port for the edge's sign-in tests: one client
// `edgepass-demo` (code flow, PKCE, refresh tokens, RP-initiated logout), a `tickets` scope and claim carried in the
// ID token, and an interaction that signs in `provider.account` at once (no login form to drive). Keys come from the
// caller (generated per test file). The constructor and its types are the local stack's (local/oidc/).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { OidcProvider } from '../../local/oidc/provider.ts';
import type { Provider } from '../../local/oidc/oidc-types.ts';
import type { JSONWebKeySet } from 'jose';
import type { TestIdp } from './tokens.ts';

export const CLIENT_ID = 'edgepass-demo';

export interface ProviderOptions {
  /** The provider's ID-token signing key (ES256). */
  readonly idp: TestIdp;
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris: readonly string[];
  /** A confidential client with this secret; absent: a public client (PKCE alone). */
  readonly clientSecret?: string;
  /** How the client with a secret authenticates at the token endpoint. @default 'client_secret_basic' */
  readonly tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
}

export interface TestProvider {
  readonly issuer: string;
  readonly jwks: JSONWebKeySet;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly endSessionEndpoint: string;
  /** Who the next interaction signs in, and their tickets. */
  account: { sub: string; tickets: string[] };
  close(): Promise<void>;
}

function providerConfig(options: ProviderOptions, self: { provider?: TestProvider }) {
  const { idp, clientSecret, tokenEndpointAuthMethod = 'client_secret_basic' } = options;
  const signingKey = { ...idp.privateKey.export({ format: 'jwk' }), kid: idp.kid, alg: 'ES256', use: 'sig' };
  return {
    clients: [
      {
        client_id: CLIENT_ID,
        ...(clientSecret === undefined
          ? { token_endpoint_auth_method: 'none' }
          : { client_secret: clientSecret, token_endpoint_auth_method: tokenEndpointAuthMethod }),
        redirect_uris: [...options.redirectUris],
        post_logout_redirect_uris: [...options.postLogoutRedirectUris],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], tickets: ['tickets'] },
    // The tickets claim goes into the ID token itself: the edge reads it there (the session is the ID token).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    // Like most providers outside the spec's strict reading: a refresh token whenever the client may use one
    // (oidc-provider otherwise drops offline_access unless prompt=consent).
    issueRefreshToken: (_ctx: unknown, client: { grantTypeAllowed: (type: string) => boolean }) =>
      Promise.resolve(client.grantTypeAllowed('refresh_token')),
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    findAccount: (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: () => ({ sub: id, tickets: self.provider?.account.tickets ?? [] }),
    }),
  };
}

/** Starts the provider on 127.0.0.1 (a free port) and answers every interaction by signing `account` in. */
export async function startOidcProvider(options: ProviderOptions): Promise<TestProvider> {
  const self: { provider?: TestProvider; oidc?: Provider } = {};
  const server = http.createServer((req, res) => {
    const { oidc } = self;
    if (oidc === undefined) return;
    if (!(req.url ?? '').startsWith('/interaction/')) {
      void oidc.callback()(req, res);
      return;
    }
    void completeInteraction(oidc, req, res, self.provider?.account.sub ?? 'alice').catch(() => {
      res.statusCode = 500;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  self.oidc = new OidcProvider(issuer, providerConfig(options, self));
  const publicJwk = { ...options.idp.publicKey.export({ format: 'jwk' }), kid: options.idp.kid, alg: 'ES256' };
  self.provider = {
    issuer,
    jwks: { keys: [publicJwk] },
    authorizationEndpoint: `${issuer}/auth`,
    tokenEndpoint: `${issuer}/token`,
    endSessionEndpoint: `${issuer}/session/end`,
    account: { sub: 'alice', tickets: ['42'] },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
  return self.provider;
}

/** Login and consent at once: a grant for every scope and the tickets claim the client asked for. */
async function completeInteraction(oidc: Provider, req: http.IncomingMessage, res: http.ServerResponse, sub: string) {
  const details = await oidc.interactionDetails(req, res);
  const grant = new oidc.Grant({ accountId: sub, clientId: String(details.params['client_id']) });
  grant.addOIDCScope(String(details.params['scope']));
  grant.addOIDCClaims(['tickets']);
  const grantId = await grant.save();
  await oidc.interactionFinished(
    req,
    res,
    { login: { accountId: sub }, consent: { grantId } },
    {
      mergeWithLastSubmission: false,
    },
  );
}

/**
 * Follows the provider's redirects as a browser would (keeping its cookies) from an authorization URL until one
 * leaves the provider: the redirect back to the client, returned as a URL (with `code` and `state`, or `error`).
 */
export async function followToClient(authorizationUrl: string, issuer: string): Promise<URL> {
  const jar = new Map<string, string>();
  let url = authorizationUrl;
  for (let hop = 0; hop < 10; hop += 1) {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { redirect: 'manual', headers: cookie === '' ? {} : { cookie } });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    await response.arrayBuffer();
    const location = response.headers.get('location');
    if (location === null) throw new Error(`the provider answered ${String(response.status)} without a redirect`);
    const next = new URL(location, url);
    if (!next.href.startsWith(issuer)) return next;
    url = next.href;
  }
  throw new Error('too many redirects at the provider');
}
