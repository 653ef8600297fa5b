// The local stack's configuration document: the dev state's JSON plus what a local deployment needs (loopback host
// names, sign-in at the edge with the local provider, app origins, the deployment section, and the local provider's
// issuer and keys). The issuer carries the CDN port, so a template is reused from run to run on the same port and keys.
// Validated by the same parsers as a real deployment.
import { createPublicKey } from 'node:crypto';
import type { EdgeConfig } from '../edge/config.ts';
import { parseConfig } from '../edge/config.ts';
import { DEV_LINK_AUDIENCE } from './dev-state.ts';
import { localEndpoints } from './oidc/issuer.ts';
import { LOCAL_DEPLOY_REGION, LOCAL_STACK_NAME } from './template/synth.ts';

export interface StackConfig {
  /** The whole document (edge, origin API and deployment sections): what the CDK app synthesizes. */
  readonly document: Record<string, unknown>;
  readonly edge: EdgeConfig;
}

export type AdjustConfig = (raw: Record<string, unknown>) => Record<string, unknown>;

/** The running local provider's issuer (it carries the CDN port) and the keys it publishes at start. */
export interface LocalIdpTrust {
  readonly issuer: string;
  readonly jwks: { readonly keys: readonly object[] };
}

/**
 * The dev config's JWT trust with the local provider's issuer and published keys: one issuer for everything local.
 * The first entry is the dev IdP's (a list may add others, say a real IdP, which are kept as they are).
 */
function withLocalIdp(jwt: unknown, idp: LocalIdpTrust | undefined): unknown {
  if (idp === undefined) return jwt;
  // The baked keys are the seed; on an unknown kid (after `edgepass dev rotate-idp-keys`) the edge and the origin API
  // fetch the provider's JWKS once, as a deployment does with its IdP's jwksUri (docs/edge.md).
  const local = (entry: unknown) => ({
    ...(entry as object),
    issuer: idp.issuer,
    jwks: { keys: [...idp.jwks.keys] },
    jwksUri: `${idp.issuer}/jwks`,
  });
  return Array.isArray(jwt) ? jwt.map((entry, i) => (i === 0 ? local(entry) : (entry as unknown))) : local(jwt);
}

/** The first `jwt` entry: the local provider's once `withLocalIdp` has run (its audience is the local client). */
function firstEntry(jwt: unknown): { readonly issuer?: unknown; readonly audience?: unknown } {
  return (Array.isArray(jwt) ? (jwt[0] as unknown) : jwt) ?? {};
}

/**
 * Sign-in at the edge with the local provider (local/oidc/): its public client `edgepass-demo` (the dev audience),
 * PKCE, a refresh token kept for a day, and RP-initiated logout. Endpoints are given, so the build never fetches
 * discovery.
 */
function localOidc(jwt: unknown): Record<string, unknown> {
  const { issuer, audience: clientId } = firstEntry(jwt);
  const endpoints = typeof issuer === 'string' ? localEndpoints(issuer) : {};
  return { issuer, clientId, ...endpoints, refreshTokenTtlSeconds: REFRESH_TOKEN_TTL_SECONDS };
}

const REFRESH_TOKEN_TTL_SECONDS = 86_400;

export function stackConfig(
  devConfig: Record<string, unknown>,
  appOrigins: readonly string[],
  adjust: AdjustConfig = (raw) => raw,
  idp?: LocalIdpTrust,
): StackConfig {
  const signer = devConfig['signer'] as { privateKeyPem: string };
  const publicKeyPem = createPublicKey(signer.privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  const jwt = withLocalIdp(devConfig['jwt'], idp);
  const raw: Record<string, unknown> = {
    ...devConfig,
    jwt,
    // Both loopback spellings, so curl to 127.0.0.1 works as well as a browser on localhost (ports are ignored).
    domainNames: ['localhost', '127.0.0.1'],
    viewerProtocol: 'http',
    // Browsers sign in at the edge, through the local provider (`loginUrl` and `oidc` exclude each other).
    oidc: localOidc(jwt),
    // Links on, as a deployment would configure them: `edgepass token --link` makes one.
    linkTokens: { audience: DEV_LINK_AUDIENCE },
    appOrigins: [...appOrigins],
    originApi: {
      keyPrefix: 'uploads/',
      purposes: { passport: { contentTypes: ['image/png', 'image/jpeg'], maxBytes: 5 * 1024 * 1024 } },
    },
    deployment: {
      stackName: LOCAL_STACK_NAME,
      region: LOCAL_DEPLOY_REGION,
      privateKey: { source: 'inline' },
      publicKeys: [{ name: 'dev', publicKeyPem }],
      // No regional alarm stacks: the local stack reads the main template only, and each region would add a stack
      // to every synthesis. The main stack keeps its alarms, topic and dashboard (template resources it ignores).
      monitoring: { regions: [] },
    },
  };
  // The adjusted document is validated like any other: a bad adjustment fails here, all problems at once.
  const adjusted = adjust(raw);
  return { document: adjusted, edge: parseConfig(adjusted) };
}
