// What of a viewer request reaches the origin: the headers, cookies and query strings the behaviour's cache and
// origin request policies name, nothing else (Developer Guide, "Control origin requests with a policy", "Origin
// request policy settings"). Input is the viewer's request after the viewer-request function; untrusted.
import type { ForwardRule, ForwardRules } from '../template/policies.ts';

/**
 * Headers CloudFront itself handles on GET and HEAD (range requests, conditional requests) and sends to the origin
 * whatever the policy says (Developer Guide, "Use range GETs", "Caching content based on request headers"). The
 * emulator has no cache, so it asks the origin the same question.
 */
const CLOUDFRONT_MANAGED = new Set([
  'range',
  'if-range',
  'if-none-match',
  'if-modified-since',
  'if-match',
  'if-unmodified-since',
]);
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'host',
]);

function allowed(rules: readonly ForwardRule[], name: string, compare: (a: string, b: string) => boolean): boolean {
  return rules.some((rule) => {
    const listed = rule.names.some((n) => compare(n, name));
    switch (rule.behavior) {
      case 'all':
      case 'allViewer':
        return true;
      case 'allViewerAndWhitelistCloudFront':
        return !name.startsWith('cloudfront-') || listed;
      case 'allExcept':
        return !listed;
      case 'whitelist':
        return listed;
      default:
        return false;
    }
  });
}

const sameHeader = (a: string, b: string) => a.toLowerCase() === b;
const sameName = (a: string, b: string) => a === b;

/** Header lines (name as sent, value) that the origin receives; Cookie is rebuilt by `forwardCookies`. */
export function forwardHeaders(rules: ForwardRules, lines: readonly (readonly [string, string])[]) {
  return lines.filter(([name]) => {
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || lower === 'cookie') return false;
    return CLOUDFRONT_MANAGED.has(lower) || allowed(rules.headers, lower, sameHeader);
  });
}

/** The Cookie header for the origin, or undefined when no cookie may be forwarded. */
export function forwardCookies(rules: ForwardRules, cookieHeader: string | undefined): string | undefined {
  if (cookieHeader === undefined) return undefined;
  const kept = cookieHeader
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part !== '' && allowed(rules.cookies, part.slice(0, Math.max(part.indexOf('='), 0)), sameName));
  return kept.length === 0 ? undefined : kept.join('; ');
}

/** The raw query string for the origin (parameters kept in order and as sent), '' when none may be forwarded. */
export function forwardQuery(rules: ForwardRules, rawQuery: string): string {
  if (rawQuery === '') return '';
  return rawQuery
    .split('&')
    .filter((pair) => {
      const eq = pair.indexOf('=');
      const raw = eq < 0 ? pair : pair.slice(0, eq);
      let name: string;
      try {
        name = decodeURIComponent(raw.replace(/\+/g, ' '));
      } catch {
        name = raw;
      }
      return allowed(rules.queryStrings, name, sameName);
    })
    .join('&');
}
