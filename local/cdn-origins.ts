// The one place the local stack rewrites a rule read from the template: the CDN's own origins. A deployment serves
// `https://<domain name>`; the local CDN serves `http://localhost:<port>` and `http://127.0.0.1:<port>`, and the
// template (port-free, so it is reused between runs) names them without the port. Documented in docs/local-stack.md.
import type { CorsRule } from './s3-gate/index.ts';

const LOOPBACK_WITHOUT_PORT = /^http:\/\/(localhost|127\.0\.0\.1)$/;

/** `http://localhost` → `http://localhost:<cdnPort>` in each rule's AllowedOrigins; everything else as written. */
export function withCdnPort(rules: readonly Record<string, unknown>[], cdnPort: number): CorsRule[] {
  return rules.map((rule) => {
    const origins = Array.isArray(rule['AllowedOrigins']) ? (rule['AllowedOrigins'] as string[]) : [];
    const allowed = origins.map((o) => (LOOPBACK_WITHOUT_PORT.test(o) ? `${o}:${String(cdnPort)}` : o));
    return { ...(rule as unknown as CorsRule), AllowedOrigins: allowed };
  });
}
