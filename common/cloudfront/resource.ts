// URLs and `Resource` patterns: which URL bytes get signed, which patterns we agree to mint, and CloudFront's
// `*`/`?` wildcard match. Inputs here are viewer-controlled; the matcher is linear in the URL (bit-parallel NFA).

// Characters a request target may carry unencoded (RFC 3986 unreserved + reserved), plus `%HH` escapes.
const wireUrl = /^https?:\/\/[A-Za-z0-9.-]+(?::[0-9]{1,5})?\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;

/** True when `url` is `http(s)://host/…` in the exact form a viewer sends on the wire (ASCII, escapes well formed). */
export function isWireUrl(url: string): boolean {
  return wireUrl.test(url);
}

/**
 * The bytes a browser sends for `url` (WHATWG URL serialisation, fragment dropped): spaces, quotes, `'` in the query
 * and non-ASCII become `%HH`, existing escapes are kept. Use it before signing a URL that did not come from a viewer.
 * This, not the SDK's re-encoding, is what CloudFront later compares (see docs/cloudfront-signing.md).
 */
export function toWireUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('url is not an absolute URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new TypeError('url must be http or https');
  parsed.hash = '';
  const href = parsed.href.endsWith('#') ? parsed.href.slice(0, -1) : parsed.href;
  if (!isWireUrl(href)) throw new TypeError('url cannot be expressed in wire form');
  return href;
}

export function assertWireUrl(url: string): void {
  if (!isWireUrl(url)) throw new TypeError('url must be http(s)://host/path in wire form (see toWireUrl)');
}

const mintable = /^https?:\/\/[A-Za-z0-9.-]+(?::[0-9]{1,5})?\/(.*)$/s;

/**
 * Refuses (TypeError) a resource we must never mint: a lone `*`, a wildcard in the scheme or host, or a `*` with no
 * literal path character before it (`https://host/*`, `https://host/?*`), which would cover the whole host.
 * Scheme wildcards (`*://…`) are refused too: `*` crosses `/`, so `*://h/p/*` also matches `https://other/?x=://h/p/`.
 */
export function assertMintableResource(resource: string): void {
  if (!isWireUrl(resource)) throw new TypeError('resource must be http(s)://host/path in wire form');
  const path = mintable.exec(resource)?.[1] ?? '';
  const star = path.indexOf('*');
  if (star !== -1 && !/[^?]/.test(path.slice(0, star))) {
    throw new TypeError('resource wildcard would cover a whole host');
  }
}

interface Nfa {
  readonly words: number;
  readonly loops: Uint32Array;
  readonly any: Uint32Array;
  readonly literal: ReadonlyMap<number, Uint32Array>;
  readonly accept: number;
}

function setBit(bits: Uint32Array, index: number): void {
  bits[index >> 5] = ((bits[index >> 5] ?? 0) | (1 << (index & 31))) >>> 0;
}

// State i = "i non-star pattern characters matched"; a `*` before character i is a self-loop on state i.
function compile(pattern: string): Nfa {
  const tokens: number[] = [];
  const loopStates: number[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const code = pattern.charCodeAt(i);
    if (code === 42) loopStates.push(tokens.length);
    else tokens.push(code);
  }
  const words = (tokens.length >> 5) + 1;
  const loops = new Uint32Array(words);
  const any = new Uint32Array(words);
  const literal = new Map<number, Uint32Array>();
  for (const s of loopStates) setBit(loops, s);
  tokens.forEach((code, i) => {
    let mask: Uint32Array = any;
    if (code !== 63) {
      mask = literal.get(code) ?? new Uint32Array(words);
      literal.set(code, mask);
    }
    setBit(mask, i + 1);
  });
  return { words, loops, any, literal, accept: tokens.length };
}

/**
 * CloudFront wildcard match: `*` is zero or more characters (crossing `/`), `?` exactly one, everything else literal
 * (AWS Developer Guide, "Values that you specify in the policy statement for a signed URL that uses a custom policy").
 * O(url.length × pattern.length / 32), no backtracking. Patterns only reach here from signed policies.
 */
export function matchesResource(pattern: string, url: string): boolean {
  return resourceMatcher(pattern)(url);
}

/** A pattern prepared once: the verifier keeps one with each verified policy, so a cache hit runs no regex. */
export type ResourceMatcher = (url: string) => boolean;

export function resourceMatcher(pattern: string): ResourceMatcher {
  // Fast paths for the shapes we mint: an exact URL, or a literal prefix followed by one trailing `*`.
  const firstWildcard = pattern.search(/[*?]/);
  if (firstWildcard === -1) return (url) => url === pattern;
  if (firstWildcard === pattern.length - 1 && pattern.endsWith('*')) {
    const prefix = pattern.slice(0, -1);
    return (url) => url.startsWith(prefix);
  }
  const nfa = compile(pattern);
  return (url) => runNfa(nfa, url);
}

function runNfa(nfa: Nfa, url: string): boolean {
  let state = new Uint32Array(nfa.words);
  let next = new Uint32Array(nfa.words);
  state[0] = 1;
  for (let p = 0; p < url.length; p++) {
    const lit = nfa.literal.get(url.charCodeAt(p));
    let carry = 0;
    let alive = 0;
    for (let w = 0; w < nfa.words; w++) {
      const current = state[w] ?? 0;
      const step = ((current << 1) | carry) & ((nfa.any[w] ?? 0) | (lit?.[w] ?? 0));
      next[w] = (step | (current & (nfa.loops[w] ?? 0))) >>> 0;
      carry = current >>> 31;
      alive |= next[w] ?? 0;
    }
    if (alive === 0) return false;
    [state, next] = [next, state];
  }
  return ((state[nfa.accept >> 5] ?? 0) & (1 << (nfa.accept & 31))) !== 0;
}
