// Build time only: fills in the `oidc` endpoints the configuration leaves out from the provider's discovery document
// (OpenID Connect Discovery 1.0 §4), fetched once, so the bundle bakes them and a cold start makes no network call.
// Trust boundary: the document comes from the network; its issuer must be ours and its endpoints pass the config rules.
import { ConfigError } from '../common/errors.ts';
import type { EdgeConfig } from './config.ts';
import { endpointProblem } from './config-oidc.ts';

const TIMEOUT_MS = 10_000;

/** `<issuer>/.well-known/openid-configuration`, the issuer's trailing `/` removed first (Discovery §4). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
}

async function fetchDocument(url: string, fetchImpl: typeof fetch): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetchImpl(url, { redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    throw new ConfigError([`oidc: the discovery document ${url} could not be fetched`], 'edge configuration');
  }
  const json: unknown = response.ok ? await response.json().catch(() => undefined) : undefined;
  if (typeof json !== 'object' || json === null) {
    throw new ConfigError([`oidc: ${url} did not answer a JSON document (HTTP ${String(response.status)})`]);
  }
  return json as Record<string, unknown>;
}

/** The config with `authorizationEndpoint` and `tokenEndpoint` set; fetches only when one of them is missing. */
export async function resolveOidcEndpoints(config: EdgeConfig, fetchImpl: typeof fetch = fetch): Promise<EdgeConfig> {
  const { oidc } = config;
  if (oidc === null || (oidc.authorizationEndpoint !== null && oidc.tokenEndpoint !== null)) return config;
  const url = discoveryUrl(oidc.issuer);
  const doc = await fetchDocument(url, fetchImpl);
  const problems: string[] = [];
  // Discovery §4.3: the document's issuer must be exactly the one it was fetched for.
  if (doc['issuer'] !== oidc.issuer) problems.push(`oidc: ${url} names another issuer`);
  const pick = (given: string | null, key: string): string => {
    if (given !== null) return given;
    const problem = endpointProblem(doc[key]);
    if (problem !== undefined) problems.push(`oidc: the discovered ${key} ${problem}`);
    return typeof doc[key] === 'string' ? doc[key] : '';
  };
  const authorizationEndpoint = pick(oidc.authorizationEndpoint, 'authorization_endpoint');
  const tokenEndpoint = pick(oidc.tokenEndpoint, 'token_endpoint');
  if (problems.length > 0) throw new ConfigError(problems, 'edge configuration');
  return { ...config, oidc: { ...oidc, authorizationEndpoint, tokenEndpoint } };
}
