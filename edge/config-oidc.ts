// Validates the optional `oidc` section: sign-in at the edge with an OpenID Provider (code flow with PKCE). Untrusted
// input from the config file; problems never quote the client secret. Absent: browsers sign in as before.
import type { JwtOptions, LinkTokenOptions } from '../common/jwt/index.ts';
import { at, checkKeys, isRecord, readInt, readString } from './config-fields.ts';
import type { Json, Problems } from './config-fields.ts';

type ClientAuth = 'none' | 'client_secret_basic' | 'client_secret_post';
type RedirectParameter = 'post_logout_redirect_uri' | 'logout_uri';

/**
 * The client secret kept beside the CloudFront signing key: member `jsonKey` of that Secrets Manager secret's JSON
 * SecretString (named as CloudFormation's `{{resolve:secretsmanager:<arn>:SecretString:<json-key>}}` names one), read
 * by the same GetSecretValue call at cold start.
 */
export interface SecretMember {
  readonly jsonKey: string;
}

export interface OidcConfig {
  /** One of the `jwt` issuers: its entry's keys and algorithms verify the ID token (audience = clientId). */
  readonly issuer: string;
  readonly clientId: string;
  /** Baked like `signer.privateKeyPem` (a string), read with the signing key's secret, or null for a public client. */
  readonly clientSecret: string | SecretMember | null;
  readonly tokenEndpointAuthMethod: ClientAuth;
  /** Always holds `openid`, and `offline_access` when refresh tokens are kept. */
  readonly scopes: readonly string[];
  /** null: discovered once by the build from `<issuer>/.well-known/openid-configuration` (edge/oidc-discovery.ts). */
  readonly authorizationEndpoint: string | null;
  readonly tokenEndpoint: string | null;
  /** RP-initiated logout on sign-out; null: sign-out ends the edge's session only. Never discovered. */
  readonly endSessionEndpoint: string | null;
  /**
   * The end-session parameter that names where the provider sends the person back: `post_logout_redirect_uri`
   * (OpenID Connect RP-Initiated Logout 1.0 §2), or `logout_uri` for Amazon Cognito's `/logout` (Cognito Developer
   * Guide, "The managed login sign-out endpoint").
   */
  readonly endSessionRedirectParameter: RedirectParameter;
  readonly tokenTimeoutMs: number;
  readonly maxTokenResponseBytes: number;
  /** How long the refresh token cookie lives; null: refresh tokens are neither asked for nor kept. */
  readonly refreshTokenTtlSeconds: number | null;
}

const KEYS = [
  'issuer',
  'clientId',
  'clientSecret',
  'tokenEndpointAuthMethod',
  'scopes',
  'authorizationEndpoint',
  'tokenEndpoint',
  'endSessionEndpoint',
  'endSessionRedirectParameter',
  'tokenTimeoutMs',
  'maxTokenResponseBytes',
  'refreshTokenTtlSeconds',
  'offlineAccess',
];
const WHERE = 'oidc';
// RFC 6749 §3.3 scope-token; client_id is printable ASCII (§2.2, VSCHAR), bounded.
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]{1,64}$/;
const CLIENT_ID = { pattern: /^[\x20-\x7e]{1,256}$/, hint: 'printable ASCII (at most 256 characters)' };
// A JSON member name an operator can type and jq can address as `.name`; `privateKeyPem` is the signing key itself.
const JSON_KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

const isLoopback = (host: string): boolean => host === 'localhost' || host === '127.0.0.1' || host === '[::1]';

/** Why `raw` is not a usable endpoint URL (https, or http on loopback; no fragment or credentials), or undefined. */
export function endpointProblem(raw: unknown): string | undefined {
  let url: URL | undefined;
  try {
    url = typeof raw === 'string' ? new URL(raw) : undefined;
  } catch {
    url = undefined;
  }
  const httpOk = url?.protocol === 'http:' && isLoopback(url.hostname);
  if (url === undefined || (url.protocol !== 'https:' && !httpOk) || url.hash !== '' || url.username !== '') {
    return 'must be an absolute https URL without fragment or credentials (http only on loopback)';
  }
  return undefined;
}

function readEndpoint(raw: Json, key: string, problems: Problems): string | null {
  const value = raw[key];
  if (value === undefined) return null;
  const problem = endpointProblem(value);
  if (problem !== undefined) problems.push(`${at(WHERE, key)} ${problem}`);
  return problem === undefined ? (value as string) : null;
}

/**
 * Whether a refresh-token sign-in asks for `offline_access` (OpenID Connect Core §11): true by default, as Auth0, Okta
 * and Entra ID need it; `false` for a provider that issues refresh tokens without it and refuses scopes its client
 * does not allow (Amazon Cognito). Only with `refreshTokenTtlSeconds`.
 */
function readOfflineAccess(raw: Json, problems: Problems): boolean {
  const value = raw['offlineAccess'];
  if (value === undefined) return true;
  if (typeof value !== 'boolean') problems.push('oidc.offlineAccess must be true or false');
  else if (raw['refreshTokenTtlSeconds'] === undefined) {
    problems.push('oidc.offlineAccess applies only with refreshTokenTtlSeconds (refresh tokens kept)');
  }
  return value !== false;
}

function readRedirectParameter(raw: Json, problems: Problems): RedirectParameter {
  const value = raw['endSessionRedirectParameter'] ?? 'post_logout_redirect_uri';
  if (value !== 'post_logout_redirect_uri' && value !== 'logout_uri') {
    problems.push('oidc.endSessionRedirectParameter must be "post_logout_redirect_uri" or "logout_uri" (Cognito)');
  } else if (raw['endSessionRedirectParameter'] !== undefined && raw['endSessionEndpoint'] === undefined) {
    problems.push('oidc.endSessionRedirectParameter applies only with endSessionEndpoint');
  }
  return value as RedirectParameter;
}

function readScopes(raw: Json, refresh: boolean, problems: Problems): string[] {
  const value = raw['scopes'] ?? ['openid'];
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string' && SCOPE.test(s)) || value.length > 16) {
    problems.push('oidc.scopes must be a list of at most 16 scope names (RFC 6749 §3.3)');
    return [];
  }
  const scopes = [...new Set(value as string[])];
  if (!scopes.includes('openid')) problems.push('oidc.scopes must include "openid"');
  if (refresh && !scopes.includes('offline_access')) scopes.push('offline_access');
  return scopes;
}

/**
 * A string (baked), or `{ "jsonKey": "<member>" }`: only when the signing key comes from Secrets Manager, whose
 * SecretString must then be JSON holding `privateKeyPem` and that member (edge/key-source/secret-loader.ts).
 * Problems name the setting, never its value.
 */
function readClientSecret(root: Json, raw: Json, problems: Problems): string | SecretMember | null | undefined {
  const value = raw['clientSecret'];
  if (value === undefined) return null;
  if (!isRecord(value)) {
    if (typeof value === 'string' && value !== '') return value;
    problems.push(
      'oidc.clientSecret must be a non-empty string or { "jsonKey": "<member of the signing key\'s secret>" }',
    );
    return undefined;
  }
  checkKeys(value, ['jsonKey'], 'oidc.clientSecret', problems);
  const jsonKey = value['jsonKey'];
  const signer = root['signer'];
  if (typeof jsonKey !== 'string' || !JSON_KEY.test(jsonKey) || jsonKey === 'privateKeyPem') {
    problems.push(
      'oidc.clientSecret.jsonKey must name a JSON member (a letter or _, then letters, digits or _; at most 64) other than privateKeyPem',
    );
  } else if (!isRecord(signer) || signer['privateKeySecret'] === undefined) {
    problems.push(
      'oidc.clientSecret { jsonKey } needs signer.privateKeySecret (deployment.privateKey.source "secretsManager"): the member is read from the signing key\'s secret',
    );
  } else {
    return { jsonKey };
  }
  return undefined;
}

function readClientAuth(raw: Json, hasSecret: boolean, problems: Problems): ClientAuth {
  const value = raw['tokenEndpointAuthMethod'] ?? (hasSecret ? 'client_secret_basic' : 'none');
  const methods: readonly unknown[] = ['none', 'client_secret_basic', 'client_secret_post'];
  if (!methods.includes(value)) {
    problems.push('oidc.tokenEndpointAuthMethod must be "none", "client_secret_basic" or "client_secret_post"');
  } else if ((value === 'none') === hasSecret) {
    problems.push('oidc.tokenEndpointAuthMethod "none" goes without clientSecret, the others need it');
  }
  return value as ClientAuth;
}

function checkIssuer(issuer: string, jwt: JwtOptions | undefined, problems: Problems): void {
  if (jwt !== undefined && !jwt.issuers.some((entry) => entry.issuer === issuer)) {
    problems.push('oidc.issuer must be one of the jwt issuers (its keys verify the ID token)');
  }
}

/** The `oidc` section, or null when absent (sign-in at the edge off). */
export function parseOidc(
  root: Json,
  jwt: JwtOptions | undefined,
  links: LinkTokenOptions | null,
  problems: Problems,
): OidcConfig | null | undefined {
  const raw = root['oidc'];
  if (raw === undefined || raw === null) return null;
  if (!isRecord(raw)) {
    problems.push('oidc must be an object { issuer, clientId, ... } (or absent)');
    return undefined;
  }
  const before = problems.length;
  checkKeys(raw, KEYS, WHERE, problems);
  const issuer = readString(raw, 'issuer', WHERE, problems) ?? '';
  const clientId = readString(raw, 'clientId', WHERE, problems, CLIENT_ID) ?? '';
  checkIssuer(issuer, jwt, problems);
  if (links !== null && links.audience === clientId) problems.push('oidc.clientId must not be linkTokens.audience');
  const clientSecret = readClientSecret(root, raw, problems);
  const refreshTokenTtlSeconds =
    raw['refreshTokenTtlSeconds'] === undefined
      ? null
      : readInt(raw, 'refreshTokenTtlSeconds', WHERE, problems, { min: 60, max: 7_776_000 });
  const config = {
    issuer,
    clientId,
    clientSecret,
    tokenEndpointAuthMethod: readClientAuth(raw, raw['clientSecret'] !== undefined, problems),
    scopes: readScopes(raw, readOfflineAccess(raw, problems) && raw['refreshTokenTtlSeconds'] !== undefined, problems),
    authorizationEndpoint: readEndpoint(raw, 'authorizationEndpoint', problems),
    tokenEndpoint: readEndpoint(raw, 'tokenEndpoint', problems),
    endSessionEndpoint: readEndpoint(raw, 'endSessionEndpoint', problems),
    endSessionRedirectParameter: readRedirectParameter(raw, problems),
    // Lambda@Edge gives a viewer-request function 5 s in all (reference/cloudfront.md): the exchange gets at most 2.5.
    tokenTimeoutMs: readInt(raw, 'tokenTimeoutMs', WHERE, problems, { min: 100, max: 2500, fallback: 2000 }),
    maxTokenResponseBytes: readInt(raw, 'maxTokenResponseBytes', WHERE, problems, {
      min: 1024,
      max: 65_536,
      fallback: 16_384,
    }),
    refreshTokenTtlSeconds: refreshTokenTtlSeconds ?? null,
  };
  if (problems.length > before) return undefined;
  return config as OidcConfig;
}
