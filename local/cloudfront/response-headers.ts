// Applies a behaviour's response headers policy to what the origin answered (Developer Guide, "Understand response
// headers policies": CORS headers for a CORS request whose Origin is allowed; security and custom headers, each
// replacing the origin's value only with Override). Input: our template's policy and the origin's header lines.
import type { ResponseHeaders } from '../template/policies.ts';

export interface CorsRequest {
  readonly method: string;
  /** The viewer's Origin header, if any. */
  readonly origin: string | undefined;
  /** Set on a CORS preflight (OPTIONS with Access-Control-Request-Method). */
  readonly requestMethod: string | undefined;
}

type Lines = [string, string][];

const isCors = (name: string) => name.toLowerCase().startsWith('access-control-');

function corsLines(policy: ResponseHeaders, request: CorsRequest): Lines | undefined {
  const cors = policy.cors;
  const origin = request.origin;
  if (cors === undefined || origin === undefined) return undefined;
  const any = cors.allowOrigins.includes('*');
  if (!any && !cors.allowOrigins.includes(origin)) return undefined;
  const lines: Lines = [['Access-Control-Allow-Origin', any ? '*' : origin]];
  if (cors.allowCredentials) lines.push(['Access-Control-Allow-Credentials', 'true']);
  const preflight = request.method === 'OPTIONS' && request.requestMethod !== undefined;
  if (preflight) {
    lines.push(['Access-Control-Allow-Methods', cors.allowMethods.join(', ')]);
    if (cors.allowHeaders.length > 0) lines.push(['Access-Control-Allow-Headers', cors.allowHeaders.join(', ')]);
    if (cors.maxAgeSec !== undefined) lines.push(['Access-Control-Max-Age', String(cors.maxAgeSec)]);
  } else if (cors.exposeHeaders.length > 0) {
    lines.push(['Access-Control-Expose-Headers', cors.exposeHeaders.join(', ')]);
  }
  return lines;
}

export function applyResponseHeaders(policy: ResponseHeaders | undefined, request: CorsRequest, origin: Lines): Lines {
  if (policy === undefined) return origin;
  let lines = origin;
  const cors = corsLines(policy, request);
  const originHasCors = origin.some(([name]) => name.toLowerCase() === 'access-control-allow-origin');
  if (cors !== undefined && (policy.cors?.originOverride === true || !originHasCors)) {
    lines = [...lines.filter(([name]) => !isCors(name)), ...cors];
  }
  for (const [name, value, override] of policy.headers) {
    const present = lines.some(([n]) => n.toLowerCase() === name.toLowerCase());
    if (override) lines = [...lines.filter(([n]) => n.toLowerCase() !== name.toLowerCase()), [name, value]];
    else if (!present) lines = [...lines, [name, value]];
  }
  return lines;
}
