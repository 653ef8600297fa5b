// The authorizer's pure entry point: one viewer request in, one Decision out. Paths outside every protected prefix
// pass untouched; protected paths and /_edgepass/ need a configured host; everything else is a decision step.
import { deny, checkedAuthority, createContext } from './context.ts';
import type { Context } from './context.ts';
import { authorize } from './authorize.ts';
import { ENDPOINT_METHODS, isPreflight, MEDIA_METHODS, preflight, withCors } from './cors.ts';
import { endpoint } from './endpoints.ts';
import { classifyPath } from './paths.ts';
import type { PathMatch } from './paths.ts';
import type { Runtime } from './runtime.ts';
import type { Decision, EdgeRequest } from './types.ts';

type GuardedPath = Exclude<PathMatch, { kind: 'outside' }>;

export async function decide(rt: Runtime, req: EdgeRequest): Promise<Decision> {
  const match = classifyPath(req.uri, rt.config.protectedPaths);
  if (match.kind === 'outside') return { kind: 'pass', reason: 'not_protected', rewrite: null };
  const authority = checkedAuthority(req.host, rt.config.domainNames);
  const ctx = createContext(rt, req, authority ?? 'invalid.invalid');
  if (authority === undefined) return withCors(deny(ctx, { reason: 'host_not_allowed' }), ctx.appOrigin);
  // A preflight carries no credentials (Fetch Standard, "CORS-preflight request"): answered alone, never authorised.
  if (isPreflight(req)) return preflight(ctx, match.kind === 'endpoint' ? ENDPOINT_METHODS : MEDIA_METHODS);
  return withCors(await guard(ctx, match), ctx.appOrigin);
}

function guard(ctx: Context, match: GuardedPath): Promise<Decision> | Decision {
  switch (match.kind) {
    case 'refused':
      return deny(ctx, { reason: match.reason });
    case 'endpoint':
      return endpoint(ctx, match.name);
    case 'protected':
      return authorize(ctx, match.path, match.attraction);
    default:
      return assertNever(match);
  }
}

function assertNever(value: never): never {
  throw new TypeError(`unexpected path match ${JSON.stringify(value)}`);
}
