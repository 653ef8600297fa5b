// Fixture for the sign-in-at-the-edge suites: a handler configured with `oidc` against a given token endpoint (the
// real provider of test/helpers/oidc-provider.ts, or a fake), a real clock (the provider's tokens are dated now),
// navigations as a browser sends them, and the Set-Cookie lines read back as a cookie jar would.
import { randomBytes } from 'node:crypto';
import { parseConfig } from '../../edge/config.ts';
import { oidcFlow } from '../../edge/core/oidc.ts';
import { createHandler } from '../../edge/handler.ts';
import type { EdgeHandler } from '../../edge/handler.ts';
import { createKeySource } from '../../edge/key-source/baked.ts';
import { asResponse, setCookies, viewerRequest } from '../helpers/events.ts';
import type { Generated, ViewerRequestInput } from '../helpers/events.ts';
import { createIdp, signToken } from '../helpers/tokens.ts';
import type { TestIdp } from '../helpers/tokens.ts';
import { cloudFrontKey, HOST } from './fixture.ts';
import type { CloudFrontKey } from './fixture.ts';

export const ORIGIN = `https://${HOST}`;
export const CALLBACK = `${ORIGIN}/_edgepass/callback`;
/** The app's own audience: ID tokens (audience = the client id) are accepted only as the session cookie. */
export const APP_AUDIENCE = 'edgepass-api';

export interface OidcWorld {
  readonly idp: TestIdp;
  readonly cf: CloudFrontKey;
  readonly handler: EdgeHandler;
  readonly logs: string[];
  readonly fetchCalls: string[];
  /** An app JWT of the same issuer (audience APP_AUDIENCE), as today's integrations send it. */
  appToken(claims?: Record<string, unknown>): Promise<string>;
}

export interface Endpoints {
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly endSessionEndpoint?: string;
}

/** The URL a fetch was called with, whichever form it came in. */
export const urlOf = (input: string | URL | Request): string =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;

export const randomSecret = (): string => randomBytes(24).toString('base64url');

export function oidcWorld(
  endpoints: Endpoints,
  oidc: Record<string, unknown> = {},
  keys: { idp?: TestIdp; cf?: CloudFrontKey } = {},
  jwtExtra: Record<string, unknown> = {},
): OidcWorld {
  const idp = keys.idp ?? createIdp();
  const cf = keys.cf ?? cloudFrontKey();
  const { issuer } = endpoints;
  const config = parseConfig({
    domainNames: [HOST],
    jwt: { issuer, audience: APP_AUDIENCE, algorithms: ['ES256'], jwks: idp.jwks, ...jwtExtra },
    signer: { keyPairId: cf.keyPairId, privateKeyPem: cf.privateKeyPem },
    protectedPaths: [
      {
        pattern: '/attractions/{attraction}/',
        ticketClaim: 'tickets',
        cookieTtlSeconds: 3600,
        signedUrlTtlSeconds: 60,
      },
    ],
    oidc: { clientId: 'edgepass-demo', scopes: ['openid', 'tickets'], ...endpoints, ...oidc },
  });
  const logs: string[] = [];
  const fetchCalls: string[] = [];
  const handler = createHandler(config, {
    clock: () => Date.now(),
    logger: (line) => logs.push(line),
    keySource: createKeySource(config.signer),
    fetch: (input, init) => {
      fetchCalls.push(urlOf(input));
      return fetch(input, init);
    },
    oidcFlow,
  });
  const appToken = (claims: Record<string, unknown> = {}) => {
    const now = Math.floor(Date.now() / 1000);
    const base = { iss: issuer, aud: APP_AUDIENCE, sub: 'app-user', iat: now - 5, exp: now + 3600, tickets: ['42'] };
    return signToken({ claims: { ...base, ...claims }, kid: idp.kid, key: idp.privateKey });
  };
  return { idp, cf, handler, logs, fetchCalls, appToken };
}

/** A top-level navigation (what a person's browser sends), plus any headers given. */
export function navigation(input: ViewerRequestInput): ViewerRequestInput {
  return { ...input, headers: { 'sec-fetch-mode': 'navigate', 'sec-fetch-site': 'none', ...input.headers } };
}

/** Anything with the edge handler: an OidcWorld, or a built bundle's module. */
type WithHandler = Pick<OidcWorld, 'handler'>;

export async function answer(world: WithHandler, input: ViewerRequestInput): Promise<Generated> {
  const response = asResponse(await world.handler(viewerRequest(input)));
  if (response === undefined) throw new Error('expected a generated response, got a pass-through');
  return response;
}

export const location = (response: Generated): string => response.headers['location']?.[0] ?? '';

/** The cookies a browser would now hold from this response (expired ones left out). */
export function jarOf(response: Generated): Record<string, string> {
  const jar: Record<string, string> = {};
  for (const [name, { value, attributes }] of setCookies(response)) {
    if (!attributes.includes('Max-Age=0')) jar[name] = value;
  }
  return jar;
}

/** The Set-Cookie attributes of `name`, or undefined when the response does not set it. */
export function cookieAttributes(response: Generated, name: string): string | undefined {
  return setCookies(response).get(name)?.attributes;
}

/** Starts a sign-in for `back` and returns the state cookie and the authorization URL it redirects to. */
export async function startSignIn(world: WithHandler, back = '/attractions/42/index.html') {
  const response = await answer(
    world,
    navigation({ uri: '/_edgepass/sign-in', querystring: `return=${encodeURIComponent(back)}` }),
  );
  const stateCookie = jarOf(response)['edgepass-oidc'] ?? '';
  return { response, stateCookie, authorizationUrl: new URL(location(response)) };
}

/** Runs the callback as the provider's redirect back arrives, with the browser's state cookie. */
export function callbackWith(world: WithHandler, query: string, cookies: Record<string, string>): Promise<Generated> {
  return answer(
    world,
    navigation({
      uri: '/_edgepass/callback',
      querystring: query,
      cookies,
      headers: { 'sec-fetch-site': 'cross-site' },
    }),
  );
}
