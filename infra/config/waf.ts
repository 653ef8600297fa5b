// `deployment.waf`: the rate-based AWS WAF rule in front of the distribution, on unless explicitly opted out.
// Every edge-enforced request invokes Lambda@Edge (1,000 concurrent executions per region by default), and WAF
// runs before the viewer-request function, so a per-IP rate limit is the cheap guard against a flood.
import { checkKeys, isRecord, readInt } from '../../edge/config-fields.ts';
import type { Json, Problems } from '../../edge/config-fields.ts';
import { DEFAULT_RATE_LIMIT, RATE_LIMIT_RANGE, WINDOW_SECONDS } from '../waf.ts';
import type { EdgePassRateLimit } from '../waf.ts';

/** At most `requestsPerIp` requests from one IP address in any `windowSeconds`; more are answered 429 by WAF. */
export type RateLimit = EdgePassRateLimit;

const HINT =
  'deployment.waf must be { "requestsPerIp": n, "windowSeconds": 60 | 120 | 300 | 600 } or false (no web ACL)';

/**
 * The rate limit to deploy, or null: `false` (the documented opt-out) or an operator's own `webAclArn`, which the
 * two exclude each other (add a rate-based rule to that ACL instead). Absent: the default, 2,000 per 5 minutes.
 */
export function parseWaf(obj: Json, ownWebAcl: boolean, problems: Problems): RateLimit | null | undefined {
  const raw = obj['waf'];
  if (raw === false) return null;
  if (raw === undefined) return ownWebAcl ? null : DEFAULT_RATE_LIMIT;
  if (ownWebAcl) {
    problems.push(
      'deployment.waf and deployment.webAclArn exclude each other: put the rate-based rule in that web ACL',
    );
    return undefined;
  }
  if (!isRecord(raw)) {
    problems.push(HINT);
    return undefined;
  }
  checkKeys(raw, ['requestsPerIp', 'windowSeconds'], 'deployment.waf', problems);
  const fallback = DEFAULT_RATE_LIMIT;
  const requestsPerIp = readInt(raw, 'requestsPerIp', 'deployment.waf', problems, {
    ...RATE_LIMIT_RANGE,
    fallback: fallback.requestsPerIp,
  });
  const windowSeconds = raw['windowSeconds'] ?? fallback.windowSeconds;
  if (typeof windowSeconds !== 'number' || !WINDOW_SECONDS.includes(windowSeconds)) {
    problems.push('deployment.waf.windowSeconds must be 60, 120, 300 or 600');
    return undefined;
  }
  return requestsPerIp === undefined ? undefined : { requestsPerIp, windowSeconds };
}
