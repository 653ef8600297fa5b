// parseConfig: the one validator of the deployment's JSON document for the edge (used by the build, the CDK app
// and the tests). Untrusted input; every problem is collected and thrown once as a ConfigError.
import { parseAppOrigins } from '../common/app-origins.ts';
import { DEFAULT_PROTECTED_CACHE_CONTROL, protectedCacheControlProblem } from '../common/cache-control.ts';
import { ConfigError } from '../common/errors.ts';
import { parseJwtOptions, parseLinkTokens } from '../common/jwt/index.ts';
import type { JwtOptions, LinkTokenOptions } from '../common/jwt/index.ts';
import { at, isRecord, readArray, readChoice, readInt, readString } from './config-fields.ts';
import type { Json, Problems } from './config-fields.ts';
import { parseSigner, parseTrustedKeys } from './config-keys.ts';
import type { SignerConfig, TrustedKeyConfig } from './config-keys.ts';
import { parseOidc } from './config-oidc.ts';
import type { OidcConfig } from './config-oidc.ts';
import { parseProtectedPaths } from './config-paths.ts';
import type { ProtectedPath } from './config-paths.ts';

export type { ProtectedPath } from './config-paths.ts';

export interface EdgeConfig {
  readonly domainNames: readonly string[];
  readonly jwt: JwtOptions;
  /** `?token=` links: their own audience and a short lifetime; null: links off. */
  readonly linkTokens: LinkTokenOptions | null;
  readonly signer: SignerConfig;
  readonly trustedKeys: readonly TrustedKeyConfig[];
  readonly sessionCookieName: string;
  readonly loginUrl: string | null;
  readonly viewerProtocol: 'https' | 'http';
  readonly signatureReuseSeconds: number;
  readonly protectedPaths: readonly ProtectedPath[];
  /** Browser origins allowed to call protected paths and /_edgepass/ across origins (exact `Origin` values). */
  readonly appOrigins: readonly string[];
  /** `Cache-Control` of protected media, set by the distribution (the CDK construct); the function never sends it. */
  readonly protectedCacheControl: string;
  /** Sign-in at the edge with an OpenID Provider; null: navigations without a session go to `loginUrl` (or a 401). */
  readonly oidc: OidcConfig | null;
}

const EDGE_KEYS = [
  'domainNames',
  'jwt',
  'linkTokens',
  'signer',
  'trustedKeys',
  'sessionCookieName',
  'loginUrl',
  'viewerProtocol',
  'signatureReuseSeconds',
  'protectedPaths',
  'appOrigins',
  'protectedCacheControl',
  'oidc',
];
/** Sections owned by other parsers of the same document (origin-api/, infra/). */
const FOREIGN_KEYS = ['originApi', 'deployment'];

const hostName = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
const cookieName = { pattern: /^[A-Za-z0-9_-]{1,64}$/, hint: 'letters, digits, _ or - (at most 64)' };

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1';
}

function parseDomainNames(root: Json, problems: Problems): string[] {
  const names: string[] = [];
  readArray(root, 'domainNames', '', problems, 1).forEach((name, index) => {
    if (typeof name === 'string' && hostName.test(name)) names.push(name);
    else problems.push(`domainNames[${index}] must be a lower-case host name without port or wildcard`);
  });
  return names;
}

/** A path on the CDN host itself, e.g. `/signin`: never `//host` or `/\\host`, which browsers read as another host. */
const SAME_HOST_PATH = /^\/(?![/\\])[A-Za-z0-9._~!$&'()*+,;=:@%/-]*(?:\?[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?$/;

/**
 * The login page is fixed: only `return_to` (a relative path) is ever appended. Either an absolute https URL without
 * fragment or credentials (http only on loopback), or a path on the CDN host (the local stack's `/_dev/login`).
 */
function parseLoginUrl(root: Json, problems: Problems): string | null | undefined {
  const raw = root['loginUrl'];
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string' && SAME_HOST_PATH.test(raw)) return raw;
  let url: URL | undefined;
  try {
    url = typeof raw === 'string' ? new URL(raw) : undefined;
  } catch {
    url = undefined;
  }
  const httpOk = url?.protocol === 'http:' && isLoopbackHost(url.hostname);
  if (url === undefined || (url.protocol !== 'https:' && !httpOk) || url.hash !== '' || url.username !== '') {
    problems.push(
      'loginUrl must be an absolute https URL without fragment or credentials (http only on loopback), or a path such as /signin',
    );
    return undefined;
  }
  return url.href;
}

function parseSession(root: Json, problems: Problems): string | undefined {
  if (root['sessionCookieName'] === undefined) return 'session';
  const name = readString(root, 'sessionCookieName', '', problems, cookieName);
  if (name?.toLowerCase().startsWith('cloudfront-') === true) {
    problems.push('sessionCookieName must not start with CloudFront- (those cookies belong to CloudFront)');
  }
  return name;
}

function checkProtocol(protocol: string | undefined, domains: readonly string[], problems: Problems): void {
  if (protocol === 'http' && !domains.every(isLoopbackHost)) {
    problems.push('viewerProtocol "http" is allowed only when every domain name is loopback (local stack)');
  }
}

function collect(root: Json, problems: Problems): EdgeConfig | undefined {
  for (const key of Object.keys(root)) {
    if (!EDGE_KEYS.includes(key) && !FOREIGN_KEYS.includes(key)) problems.push(`${at('', key)} is not a known setting`);
  }
  const domainNames = parseDomainNames(root, problems);
  const jwt = parseJwtOptions(root['jwt'], problems, 'jwt');
  const linkTokens = parseLinkTokens(root['linkTokens'], jwt, problems);
  const signer = parseSigner(root, problems);
  const trustedKeys = parseTrustedKeys(root, signer?.keyPairId, problems);
  const sessionCookieName = parseSession(root, problems);
  const loginUrl = parseLoginUrl(root, problems);
  const viewerProtocol = readChoice(root, 'viewerProtocol', '', problems, ['https', 'http'] as const, 'https');
  checkProtocol(viewerProtocol, domainNames, problems);
  const signatureReuseSeconds = readInt(root, 'signatureReuseSeconds', '', problems, {
    min: 1,
    max: 3600,
    fallback: 60,
  });
  const protectedPaths = parseProtectedPaths(root, problems);
  const appOrigins = parseAppOrigins(root['appOrigins'], problems);
  const protectedCacheControl = root['protectedCacheControl'] ?? DEFAULT_PROTECTED_CACHE_CONTROL;
  const cacheProblem = protectedCacheControlProblem(protectedCacheControl);
  if (cacheProblem !== undefined) problems.push(`protectedCacheControl ${cacheProblem}`);
  const oidc = parseOidc(root, jwt, linkTokens, problems);
  if (root['oidc'] != null && typeof loginUrl === 'string')
    problems.push('loginUrl and oidc exclude each other (oidc signs in at the edge)');
  if (
    problems.length > 0 ||
    jwt === undefined ||
    signer === undefined ||
    sessionCookieName === undefined ||
    loginUrl === undefined ||
    oidc === undefined ||
    viewerProtocol === undefined ||
    signatureReuseSeconds === undefined
  ) {
    return undefined;
  }
  const common = { domainNames, jwt, linkTokens, signer, trustedKeys, sessionCookieName, loginUrl, viewerProtocol };
  return {
    ...common,
    signatureReuseSeconds,
    protectedPaths,
    appOrigins,
    protectedCacheControl: protectedCacheControl as string,
    oidc,
  };
}

/** Validates the whole edge configuration; throws one ConfigError listing every problem. */
export function parseConfig(raw: unknown): EdgeConfig {
  const problems: Problems = [];
  if (!isRecord(raw)) throw new ConfigError(['the configuration must be a JSON object'], 'edge configuration');
  const config = collect(raw, problems);
  if (config === undefined || problems.length > 0) {
    throw new ConfigError(problems.length > 0 ? problems : ['incomplete configuration'], 'edge configuration');
  }
  return config;
}
