// Cache behaviours of the local distribution as the emulator runs them: built from the synthesized template
// (local/template/), plus the one local-only `/_dev/*` behaviour for the dev identity provider. Dev tool, not a CDN.
import type { ForwardRules, ResponseHeaders } from '../template/policies.ts';
import type { OriginTarget } from './origin.ts';
import type { OriginResponseHandler } from './origin-response.ts';
import type { ViewerRequestRunner } from './viewer-request.ts';

export interface LocalBehaviour {
  /** CloudFront path pattern; `*` for the default behaviour. */
  readonly pathPattern: string;
  readonly allowedMethods: readonly string[];
  /** Trusted key groups: CloudFront itself checks signed URLs or cookies before anything else runs. */
  readonly restricted: boolean;
  readonly viewerRequest: ViewerRequestRunner | undefined;
  /** Runs on the origin's answer before the response headers policy (Lambda@Edge origin response). */
  readonly originResponse: OriginResponseHandler | undefined;
  readonly forward: ForwardRules;
  readonly responseHeaders: ResponseHeaders | undefined;
  readonly origin: OriginTarget;
}

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

export function selectBehaviour(behaviours: readonly LocalBehaviour[], uri: string): LocalBehaviour | undefined {
  return behaviours.find((b) => matchesPathPattern(b.pathPattern, uri));
}

const ALL_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'];
const EVERYTHING: ForwardRules = {
  headers: [{ behavior: 'allViewer', names: [] }],
  cookies: [{ behavior: 'all', names: [] }],
  queryStrings: [{ behavior: 'all', names: [] }],
};

/** The local-only dev identity provider: every method and every header, cookie and query string; never deployed. */
export function devIdpBehaviour(host: string, port: number): LocalBehaviour {
  return {
    pathPattern: '/_dev/*',
    allowedMethods: ALL_METHODS,
    restricted: false,
    viewerRequest: undefined,
    originResponse: undefined,
    forward: EVERYTHING,
    responseHeaders: undefined,
    origin: {
      name: 'dev identity provider',
      host,
      port,
      pathPrefix: '',
      defaultRootObject: undefined,
      signer: undefined,
      custom: true,
    },
  };
}
