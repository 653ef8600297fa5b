// The Cache-Control of protected media: one rule for the edge's configuration parser and the CDK construct, which
// sets it on every protected response. Operator input, checked at build and synth time.

/** Shared caches never keep it, the browser revalidates before each reuse (the edge decides again). */
export const DEFAULT_PROTECTED_CACHE_CONTROL = 'private, no-cache';

const DIRECTIVES = /^[a-z-]+(=[0-9]{1,10})?$/;
/** Directives that let a shared cache keep the response (RFC 9111 §5.2.2.6, §5.2.2.10, and `immutable`'s pairing). */
const SHARED = ['public', 's-maxage'];

/** Why `value` is not a safe Cache-Control for protected media, or undefined when it is. */
export function protectedCacheControlProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 128) return 'must be a Cache-Control value of at most 128 characters';
  const directives = value.split(',').map((part) => part.trim().toLowerCase());
  if (!directives.every((directive) => DIRECTIVES.test(directive))) {
    return 'must be comma-separated Cache-Control directives, such as "private, no-cache"';
  }
  const names = directives.map((directive) => directive.split('=')[0]);
  if (names.some((name) => SHARED.includes(name ?? ''))) return 'must not let shared caches keep protected media';
  if (!names.includes('private') && !names.includes('no-store')) return 'must include "private" or "no-store"';
  return undefined;
}
