// Verifies CloudFront signed URLs and signed cookies exactly as CloudFront would, for a viewer-request guard.
// Trust boundary: url, cookies and clientIp come from the viewer; trusted keys and the clock come from the caller.
import { Lru } from '../lru.ts';
import { deny, importTrusted, judge } from './judge.ts';
import type { CloudFrontResult, JudgeContext, RequestFacts, VerifiedEntry } from './judge.ts';
import type { TrustedKeys } from './keys.ts';
import { maxUrlLength, presentedCookies, splitSignedUrl } from './signed-request.ts';
import type { CookieSource } from './signed-request.ts';

export type { CloudFrontReason, CloudFrontResult, RequestFacts } from './judge.ts';

export interface CloudFrontVerifier {
  verifyUrl(request: RequestFacts): CloudFrontResult;
  verifyCookies(request: RequestFacts & { readonly cookies: CookieSource }): CloudFrontResult;
  /** CloudFront's precedence: a URL carrying any signing parameter is judged as a signed URL, cookies ignored. */
  verifyRequest(request: RequestFacts & { readonly cookies: CookieSource }): CloudFrontResult;
}

export interface VerifierOptions {
  /** Verified signatures remembered (LRU); 0 disables the cache. */
  readonly cacheEntries: number;
}

function assertFacts(facts: RequestFacts): void {
  if (typeof facts.url !== 'string' || typeof facts.clientIp !== 'string') {
    throw new TypeError('url and clientIp must be strings');
  }
  if (!Number.isFinite(facts.nowEpochSeconds)) throw new TypeError('nowEpochSeconds must be a finite number');
}

function verifyUrl(ctx: JudgeContext, facts: RequestFacts): CloudFrontResult {
  assertFacts(facts);
  if (facts.url.length > maxUrlLength) return deny('cf_too_large');
  const split = splitSignedUrl(facts.url);
  if (split.kind === 'unsigned') return deny('cf_missing_key');
  if (split.kind === 'duplicate') return deny('cf_malformed');
  return judge(ctx, split.presented, split.resource, facts, 'url');
}

/** Cookies: the resource is the whole request URL, query included (there are no signing parameters to strip). */
function verifyCookies(ctx: JudgeContext, facts: RequestFacts & { readonly cookies: CookieSource }): CloudFrontResult {
  assertFacts(facts);
  if (facts.url.length > maxUrlLength) return deny('cf_too_large');
  const presented = presentedCookies(facts.cookies);
  if (presented === undefined) return deny('cf_missing_key');
  return judge(ctx, presented, facts.url, facts, 'cookies');
}

/** Keys are copied and checked once here; later changes to the caller's map do not reach this verifier. */
export function createVerifier(trustedKeys: TrustedKeys, options: VerifierOptions): CloudFrontVerifier {
  const ctx: JudgeContext = {
    keys: importTrusted(trustedKeys),
    cache: options.cacheEntries === 0 ? undefined : new Lru<string, VerifiedEntry>(options.cacheEntries),
  };
  return {
    verifyUrl: (facts) => verifyUrl(ctx, facts),
    verifyCookies: (facts) => verifyCookies(ctx, facts),
    verifyRequest: (facts) =>
      splitSignedUrl(facts.url).kind === 'unsigned' ? verifyCookies(ctx, facts) : verifyUrl(ctx, facts),
  };
}
