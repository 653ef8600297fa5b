// Builds the local OpenID Provider (oidc-provider, a certified implementation) as the stack configures it: one
// public client (the demo's audience), authorization code + PKCE S256 only, refresh tokens, RP-initiated logout,
// and a tickets claim from the dev user's profile. Dev only; keys and storage come in from local/oidc/local-op.ts.
// @ts-expect-error -- oidc-provider 9 ships no type declarations: ./oidc-types.ts declares the part used here.
import * as untyped from 'oidc-provider';
import type { JWK } from 'jose';
import type { AdapterClass } from './memory-adapter.ts';
import { OIDC_PREFIX } from './issuer.ts';
import { errorPage, signedOutPage, signOutPage } from './pages.ts';
import type { Client, Grant, KoaContext, Provider, ProviderConstructor } from './oidc-types.ts';
import { ticketsOf } from './users.ts';

/** The provider's constructor with the types of ./oidc-types.ts (the tests' in-process provider uses it too). */
export const { Provider: OidcProvider } = untyped as unknown as { readonly Provider: ProviderConstructor };

export interface ProviderOptions {
  readonly issuer: string;
  /** Private keys; retired ones marked verify-only (key-set.ts providerJwks). */
  readonly jwks: { readonly keys: readonly JWK[] };
  readonly adapter: AdapterClass;
  /** Signs the provider's cookies; the same list for every Provider the stack builds, so cookies survive a rotation. */
  readonly cookieKeys: readonly string[];
  readonly client: {
    readonly id: string;
    readonly redirectUris: readonly string[];
    readonly postLogoutRedirectUris: readonly string[];
  };
  /** Every claim name the protected paths read tickets from (`tickets`); each carries the profile's tickets. */
  readonly ticketClaims: readonly string[];
}

const TTL_SECONDS = { AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, Interaction: 600, Session: 86_400 };
const REFRESH_TOKEN_TTL_SECONDS = 14 * 86_400;
const GRANT_TTL_SECONDS = 14 * 86_400;

/** Consent is implicit for the local client: its grant always covers what it asked for (no consent prompt). */
async function localGrant(ctx: KoaContext, clientId: string): Promise<Grant | undefined> {
  const { client, session, result, provider } = ctx.oidc;
  const accountId = session?.accountId;
  if (client?.clientId !== clientId || accountId === undefined) return undefined;
  const grantId = result?.consent?.grantId ?? session?.grantIdFor(clientId);
  const grant =
    (grantId === undefined ? undefined : await provider.Grant.find(grantId)) ??
    new provider.Grant({ clientId, accountId });
  grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
  grant.addOIDCClaims([...ctx.oidc.requestParamClaims]);
  await grant.save();
  return grant;
}

function features(clientId: string) {
  return {
    devInteractions: { enabled: false },
    revocation: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource: (ctx: KoaContext, form: string) => {
        ctx.type = 'html';
        ctx.body = signOutPage(form, ctx.oidc.client?.clientId === clientId);
      },
      postLogoutSuccessSource: (ctx: KoaContext) => {
        ctx.type = 'html';
        ctx.body = signedOutPage();
      },
    },
  };
}

export function createProvider(options: ProviderOptions): Provider {
  const { id, redirectUris, postLogoutRedirectUris } = options.client;
  const ticketClaims = [...new Set(options.ticketClaims)];
  return new OidcProvider(options.issuer, {
    adapter: options.adapter,
    jwks: { keys: options.jwks.keys.map((key) => ({ ...key })) },
    cookies: { keys: [...options.cookieKeys] },
    clients: [
      {
        client_id: id,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [...redirectUris],
        post_logout_redirect_uris: [...postLogoutRedirectUris],
        id_token_signed_response_alg: 'ES256',
      },
    ],
    // The tickets come with `openid` itself, into the ID token (conformIdTokenClaims off) and userinfo.
    claims: { openid: ['sub', ...ticketClaims] },
    conformIdTokenClaims: false,
    findAccount: (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: () => ({ sub, ...Object.fromEntries(ticketClaims.map((name) => [name, [...ticketsOf(sub)]])) }),
    }),
    features: features(id),
    interactions: {
      url: (_ctx: unknown, interaction: { uid: string }) => `${OIDC_PREFIX}/interaction/${interaction.uid}`,
    },
    loadExistingGrant: (ctx: KoaContext) => localGrant(ctx, id),
    issueRefreshToken: (_ctx: unknown, client: Client) => client.grantTypeAllowed('refresh_token'),
    pkce: { required: () => true },
    // Browser apps may call the token endpoint from the client's own origin only.
    clientBasedCORS: (_ctx: unknown, origin: string) => redirectUris.some((uri) => new URL(uri).origin === origin),
    renderError: (ctx: KoaContext, out: Record<string, unknown>) => {
      ctx.type = 'html';
      ctx.body = errorPage(out);
    },
    ttl: { ...TTL_SECONDS, RefreshToken: REFRESH_TOKEN_TTL_SECONDS, Grant: GRANT_TTL_SECONDS },
  });
}
