// Where the local OpenID Provider lives: under `/_dev/oidc` on the CDN's own origin, so a browser reaches it through
// the emulator. Its issuer therefore carries the CDN port; everything local (the edge's trust, `/_dev/token`,
// `edgepass token`) reads it from here.

/** The path the dev IdP server mounts the provider on (behind the CDN's `/_dev/*` behaviour). */
export const OIDC_PREFIX = '/_dev/oidc';

/** `http://localhost:<port>/_dev/oidc`: the one issuer of the local stack. */
export function localIssuer(cdnPort: number): string {
  return `http://localhost:${String(cdnPort)}${OIDC_PREFIX}`;
}

/**
 * The local client's redirect URIs on the CDN origin (the edge's callback, and the home page after sign-out), under
 * both loopback names the local distribution serves (`domainNames`: localhost and 127.0.0.1): the edge builds its
 * callback from the host the browser used.
 */
export function localClientUris(cdnPort: number): {
  readonly redirectUris: readonly string[];
  readonly postLogoutRedirectUris: readonly string[];
} {
  const origins = ['localhost', '127.0.0.1'].map((host) => `http://${host}:${String(cdnPort)}`);
  return {
    redirectUris: origins.map((origin) => `${origin}/_edgepass/callback`),
    postLogoutRedirectUris: origins.map((origin) => `${origin}/`),
  };
}

/** The provider's endpoints below its issuer (oidc-provider's default routes), for the edge's `oidc` section. */
export function localEndpoints(issuer: string): {
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly endSessionEndpoint: string;
} {
  return {
    authorizationEndpoint: `${issuer}/auth`,
    tokenEndpoint: `${issuer}/token`,
    endSessionEndpoint: `${issuer}/session/end`,
  };
}
