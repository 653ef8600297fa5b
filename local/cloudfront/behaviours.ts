// Cache behaviours of the local distribution: which path goes through the function, CloudFront's own signed
// URL/cookie check, or straight to an origin. Mirrors the deployed distribution (dev tool, not a CDN).
import type { ProtectedPath } from '../../edge/config.ts';

export interface HttpOrigin {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

export type Behaviour =
  /** The viewer-request function runs, then the S3 origin serves what the request (maybe rewritten) names. */
  | { readonly pathPattern: string; readonly kind: 'function' }
  /** Restricted with a trusted key group: CloudFront checks the signature before anything else. */
  | { readonly pathPattern: string; readonly kind: 'native' }
  /** A custom origin such as the origin API or the dev identity provider; every method is forwarded. */
  | { readonly pathPattern: string; readonly kind: 'proxy'; readonly origin: HttpOrigin }
  /** Public content: the S3 origin with an origin path (the default behaviour, `*`), no function. */
  | { readonly pathPattern: string; readonly kind: 'public'; readonly originPath: string };

/**
 * CloudFront path patterns: case-sensitive, `*` matches zero or more characters and `?` exactly one
 * (Developer Guide, "Path pattern"). Patterns are tried in order; the default `*` comes last.
 */
export function matchesPathPattern(pattern: string, path: string): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's').test(path);
}

export interface LocalOrigins {
  readonly api: HttpOrigin;
  /** The dev identity provider (local only, never deployed). */
  readonly dev: HttpOrigin;
}

/**
 * The deployed distribution serves public content from the bucket's `/public` origin path (infra/edge-pass.ts,
 * `publicOriginPath`): whatever spelling reaches the default behaviour (`/%61ttractions/...`, which S3 would
 * decode), it can only name keys under `public/`, never a protected object.
 */
export const PUBLIC_ORIGIN_PATH = '/public';

/** The behaviours of the deployed distribution (infra/edge-pass.ts), plus `/_dev/*` for the dev identity provider. */
export function localBehaviours(protectedPaths: readonly ProtectedPath[], origins: LocalOrigins): Behaviour[] {
  const guarded = protectedPaths.map((p): Behaviour => ({
    pathPattern: `${p.prefix}*`,
    kind: p.enforcement === 'native' ? 'native' : 'function',
  }));
  return [
    ...guarded,
    { pathPattern: '/_edgepass/*', kind: 'function' },
    { pathPattern: '/api/*', kind: 'proxy', origin: origins.api },
    { pathPattern: '/_dev/*', kind: 'proxy', origin: origins.dev },
    { pathPattern: '*', kind: 'public', originPath: PUBLIC_ORIGIN_PATH },
  ];
}

export function selectBehaviour(behaviours: readonly Behaviour[], uri: string): Behaviour | undefined {
  return behaviours.find((b) => matchesPathPattern(b.pathPattern, uri));
}
