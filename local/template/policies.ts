// Reads the distribution's cache, origin request and response headers policies from the synthesized template into
// plain rules the local CloudFront emulator applies. Source of the shapes: CloudFormation Template Reference,
// AWS::CloudFront::CachePolicy / OriginRequestPolicy / ResponseHeadersPolicy; managed policies: Developer Guide,
// "Use managed cache policies".
import { EdgepassError } from '../../common/errors.ts';
import type { CfnTemplate } from './intrinsics.ts';

export interface ForwardRule {
  /** none | whitelist | all | allExcept | allViewer | allViewerAndWhitelistCloudFront (headers) */
  readonly behavior: string;
  /** Lower-case for headers; as written for cookies and query strings. */
  readonly names: readonly string[];
}

/** What CloudFront includes in the origin request: the cache key's values plus the origin request policy's. */
export interface ForwardRules {
  readonly headers: readonly ForwardRule[];
  readonly cookies: readonly ForwardRule[];
  readonly queryStrings: readonly ForwardRule[];
}

export interface CorsRules {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly allowCredentials: boolean;
  readonly maxAgeSec: number | undefined;
  readonly originOverride: boolean;
}

export interface ResponseHeaders {
  readonly name: string;
  readonly cors: CorsRules | undefined;
  /** Header name, value, and whether it replaces the origin's value (Override). */
  readonly headers: readonly (readonly [string, string, boolean])[];
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const items = (value: unknown): string[] => {
  const list = obj(value)['Items'] ?? value;
  return Array.isArray(list) ? list.map(String) : [];
};

/** Managed cache policies the app may reference by id (Developer Guide, "Use managed cache policies"). */
const MANAGED_CACHE_POLICIES: Readonly<Record<string, ForwardRules>> = {
  // Managed-CachingDisabled: nothing in the cache key.
  '4135ea2d-6df8-44a3-9df3-4b5a84be39ad': { headers: [], cookies: [], queryStrings: [] },
  // Managed-CachingOptimized: nothing but the normalised Accept-Encoding.
  '658327ea-f89d-4fab-a63d-7e88639e58f6': { headers: [], cookies: [], queryStrings: [] },
};

function referenced(template: CfnTemplate, value: unknown, type: string): Json | undefined {
  const ref = obj(value)['Ref'];
  if (typeof ref !== 'string') return undefined;
  const resource = template.Resources[ref];
  if (resource?.Type !== type) throw new EdgepassError('template_unsupported', `${ref} is not a ${type}`);
  return obj(resource.Properties);
}

function rule(config: unknown, behaviorKey: string, listKey: string, lower: boolean): ForwardRule[] {
  const raw = obj(config)[behaviorKey];
  const behavior = typeof raw === 'string' ? raw : 'none';
  const names = items(obj(config)[listKey]).map((n) => (lower ? n.toLowerCase() : n));
  return behavior === 'none' ? [] : [{ behavior, names }];
}

function cacheKeyRules(template: CfnTemplate, id: unknown): ForwardRules {
  if (typeof id === 'string') {
    const managed = MANAGED_CACHE_POLICIES[id];
    if (managed === undefined) throw new EdgepassError('template_unsupported', `unknown managed cache policy ${id}`);
    return managed;
  }
  const config = obj(referenced(template, id, 'AWS::CloudFront::CachePolicy')?.['CachePolicyConfig']);
  const key = obj(config['ParametersInCacheKeyAndForwardedToOrigin']);
  return {
    headers: rule(key['HeadersConfig'], 'HeaderBehavior', 'Headers', true),
    cookies: rule(key['CookiesConfig'], 'CookieBehavior', 'Cookies', false),
    queryStrings: rule(key['QueryStringsConfig'], 'QueryStringBehavior', 'QueryStrings', false),
  };
}

/** The cache key's values and the origin request policy's, together (Developer Guide, "Control origin requests"). */
export function forwardRules(template: CfnTemplate, behaviour: Json): ForwardRules {
  const cache = cacheKeyRules(template, behaviour['CachePolicyId']);
  const id = behaviour['OriginRequestPolicyId'];
  if (typeof id === 'string') throw new EdgepassError('template_unsupported', `managed origin request policy ${id}`);
  const config = obj(referenced(template, id, 'AWS::CloudFront::OriginRequestPolicy')?.['OriginRequestPolicyConfig']);
  return {
    headers: [...cache.headers, ...rule(config['HeadersConfig'], 'HeaderBehavior', 'Headers', true)],
    cookies: [...cache.cookies, ...rule(config['CookiesConfig'], 'CookieBehavior', 'Cookies', false)],
    queryStrings: [
      ...cache.queryStrings,
      ...rule(config['QueryStringsConfig'], 'QueryStringBehavior', 'QueryStrings', false),
    ],
  };
}

function corsRules(value: unknown): CorsRules | undefined {
  if (value === undefined) return undefined;
  const cors = obj(value);
  const maxAge = cors['AccessControlMaxAgeSec'];
  return {
    allowOrigins: items(cors['AccessControlAllowOrigins']),
    allowMethods: items(cors['AccessControlAllowMethods']),
    allowHeaders: items(cors['AccessControlAllowHeaders']),
    exposeHeaders: items(cors['AccessControlExposeHeaders']),
    allowCredentials: cors['AccessControlAllowCredentials'] === true,
    maxAgeSec: typeof maxAge === 'number' ? maxAge : undefined,
    originOverride: cors['OriginOverride'] === true,
  };
}

/** The header lines each security header setting produces (Developer Guide, "Understand response headers policies"). */
function securityHeaders(value: unknown): [string, string, boolean][] {
  const config = obj(value);
  const lines: [string, string, boolean][] = [];
  const add = (key: string, name: string, text: (c: Json) => string) => {
    const setting = config[key];
    if (setting !== undefined) lines.push([name, text(obj(setting)), obj(setting)['Override'] === true]);
  };
  add('StrictTransportSecurity', 'Strict-Transport-Security', (c) =>
    [
      `max-age=${String(c['AccessControlMaxAgeSec'])}`,
      ...(c['IncludeSubdomains'] === true ? ['includeSubDomains'] : []),
      ...(c['Preload'] === true ? ['preload'] : []),
    ].join('; '),
  );
  add('ContentTypeOptions', 'X-Content-Type-Options', () => 'nosniff');
  add('FrameOptions', 'X-Frame-Options', (c) => String(c['FrameOption']));
  add('ReferrerPolicy', 'Referrer-Policy', (c) => String(c['ReferrerPolicy']));
  add('ContentSecurityPolicy', 'Content-Security-Policy', (c) => String(c['ContentSecurityPolicy']));
  return lines;
}

export function responseHeaders(template: CfnTemplate, id: unknown): ResponseHeaders | undefined {
  if (id === undefined) return undefined;
  if (typeof id === 'string') throw new EdgepassError('template_unsupported', `managed response headers policy ${id}`);
  const config = obj(
    referenced(template, id, 'AWS::CloudFront::ResponseHeadersPolicy')?.['ResponseHeadersPolicyConfig'],
  );
  const customItems = obj(config['CustomHeadersConfig'])['Items'];
  const custom = (Array.isArray(customItems) ? customItems : []).map((item: unknown) => {
    const header = obj(item);
    return [String(header['Header']), String(header['Value']), header['Override'] === true] as const;
  });
  return {
    name: String(config['Name']),
    cors: corsRules(config['CorsConfig']),
    headers: [...securityHeaders(config['SecurityHeadersConfig']), ...custom],
  };
}
