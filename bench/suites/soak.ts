// Soak: a million decisions through the built bundle, cycling through more distinct signatures and tokens than any
// cache holds, with the heap read after forced GC at checkpoints. Run with --expose-gc (npm run bench -- --soak).
import { performance } from 'node:perf_hooks';
import type { CloudFrontRequestEvent } from 'aws-lambda';
import { SESSION_COOKIE } from '../fixtures/config.ts';
import { statusOf, viewerRequest } from '../fixtures/events.ts';
import type { Inputs } from '../fixtures/inputs.ts';
import { ATTRACTIONS } from '../fixtures/inputs.ts';
import { objectUri } from '../fixtures/signed.ts';
import { ticketsOf } from '../fixtures/tokens.ts';
import type { Handler } from './edge.ts';

export interface SoakResult {
  readonly decisions: number;
  readonly seconds: number;
  readonly heapStartMb: number;
  readonly heapEndMb: number;
  readonly heapGrowthMb: number;
  readonly rssStartMb: number;
  readonly rssEndMb: number;
  readonly checkpoints: readonly { readonly decisions: number; readonly heapMb: number }[];
  /** Decisions per expected outcome (`pass`, `302`, `401`). */
  readonly outcomes: Readonly<Record<string, number>>;
}

export const SOAK_TOKEN_POOL = 'soak';
const MB = 1024 * 1024;

interface Step {
  readonly event: CloudFrontRequestEvent;
  readonly expect: string;
}

/**
 * One slot per percent. Churn: 20 cookie passes cycling through more signatures than the verified-signature cache
 * holds, 10 browser mints cycling through more tokens than the token cache holds. Warm traffic: 20 cookie passes,
 * 40 signed-URL passes, 5 app mints of warm users. And 5 denials of forged tokens.
 */
function schedule(inputs: Inputs): (i: number) => Step {
  const churn = inputs.freshCookieRequests.map((r) => viewerRequest({ uri: r.uri, cookies: r.cookies }));
  const mints = inputs
    .freshTokens(SOAK_TOKEN_POOL)
    .map((f) => viewerRequest({ uri: objectUri(f.popular, 1), cookies: { [SESSION_COOKIE]: f.token } }));
  const cookies = inputs.cookieRequests.map((r) => viewerRequest({ uri: r.uri, cookies: r.cookies }));
  const urls = inputs.urlRequests.map((r) => viewerRequest({ uri: r.uri, querystring: r.querystring }));
  const apps = inputs.tokens.map((t, u) =>
    viewerRequest({ uri: objectUri(ticketsOf(u, ATTRACTIONS)[0]!, 2), authorization: `Bearer ${t}` }),
  );
  const forged = inputs.forgedTokens.map((t) =>
    viewerRequest({ uri: objectUri('a0', 3), authorization: `Bearer ${t}` }),
  );
  const pick = (list: CloudFrontRequestEvent[], k: number, expect: string): Step => ({
    event: list[k % list.length]!,
    expect,
  });
  return (i) => {
    const slot = i % 100;
    const hundreds = Math.floor(i / 100);
    // Churning slots walk their pools in order, so every pool entry is used before any repeats.
    if (slot < 20) return pick(churn, hundreds * 20 + slot, 'pass');
    if (slot < 30) return pick(mints, hundreds * 10 + slot - 20, '302');
    if (slot < 50) return pick(cookies, i, 'pass');
    if (slot < 90) return pick(urls, i, 'pass');
    if (slot < 95) return pick(apps, i, '302');
    return pick(forged, i, '401');
  };
}

/** Forces garbage collection; `node --expose-gc` provides one as globalThis.gc. */
type Gc = () => void;

function heapAfterGc(gc: Gc): { heapMb: number; rssMb: number } {
  gc();
  gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapMb: heapUsed / MB, rssMb: rss / MB };
}

/**
 * Warms up with `warmup` decisions (caches fill to their bound), reads the heap, then runs `decisions` more with a
 * checkpoint every tenth. An unbounded cache would grow between the first and last reading.
 */
export interface SoakOptions {
  readonly decisions: number;
  readonly warmup: number;
  readonly gc: Gc;
}

export async function runSoak(run: Handler, inputs: Inputs, options: SoakOptions): Promise<SoakResult> {
  const { decisions, warmup, gc } = options;
  const step = schedule(inputs);
  const outcomes: Record<string, number> = {};
  const once = async (i: number): Promise<void> => {
    const { event, expect } = step(i);
    const result = await run(event);
    const got = statusOf(result) === undefined ? 'pass' : String(statusOf(result));
    if (got !== expect) throw new Error(`soak decision ${i}: got ${got}, want ${expect}`);
    outcomes[got] = (outcomes[got] ?? 0) + 1;
  };
  for (let i = 0; i < warmup; i++) await once(i);
  const start = heapAfterGc(gc);
  const checkpoints: { decisions: number; heapMb: number }[] = [];
  const every = Math.max(1, Math.floor(decisions / 10));
  const began = performance.now();
  for (let i = 0; i < decisions; i++) {
    await once(warmup + i);
    if ((i + 1) % every === 0) checkpoints.push({ decisions: i + 1, heapMb: heapAfterGc(gc).heapMb });
  }
  const seconds = (performance.now() - began) / 1000;
  const end = heapAfterGc(gc);
  return {
    decisions,
    seconds,
    heapStartMb: start.heapMb,
    heapEndMb: end.heapMb,
    heapGrowthMb: end.heapMb - start.heapMb,
    rssStartMb: start.rssMb,
    rssEndMb: end.rssMb,
    checkpoints,
    outcomes,
  };
}
