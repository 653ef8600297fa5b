// How much of everything one run does: full (about three minutes on 2 shared cores), --quick, or --soak.
import { inputsNeeded } from './measure.ts';
import type { Plan } from './measure.ts';
import type { InputSizes } from './fixtures/inputs.ts';

interface LoadShape {
  readonly connections: number;
  readonly warmupRequests: number;
  readonly durationSeconds: number;
}

export interface Settings {
  readonly name: 'full' | 'quick' | 'soak';
  readonly plan: Plan;
  readonly sizes: Omit<InputSizes, 'freshTokenPools'>;
  readonly coldRuns: number;
  /** The local stack (emulator + s3rver origin), then the edge alone behind a bare server. */
  readonly load: { readonly stack: LoadShape; readonly edge: LoadShape };
  readonly soakDecisions: number;
  readonly soakWarmup: number;
}

/** Cache-miss cases spend ~0.1–1 ms per operation, so their pools are sized for fewer operations per round. */
const MISS_OPS_PER_ROUND = { full: 250, quick: 40 };

function sized(plan: Plan, missOps: number): Settings['sizes'] {
  const fresh = inputsNeeded({ ...plan, maxOpsPerRound: missOps });
  return { freshSignatures: fresh, freshTokens: fresh };
}

export function planFor(quick: boolean, soak: boolean): Settings {
  if (soak) {
    // Pools well beyond the caches' 1,024 entries, so an unbounded cache would show in the heap. The warm-up (12,000
    // decisions: 2,400 churned signatures, 1,200 churned tokens) fills every bounded cache before the first reading.
    const plan = { rounds: 1, budgetMs: 0, maxOpsPerRound: 0, warmupOps: 0 };
    const none = { connections: 0, warmupRequests: 0, durationSeconds: 0 };
    const load = { stack: none, edge: none };
    const sizes = { freshSignatures: 8192, freshTokens: 4096 };
    return { name: 'soak', plan, sizes, coldRuns: 0, load, soakDecisions: 1_000_000, soakWarmup: 12_000 };
  }
  const plan = quick
    ? { rounds: 2, budgetMs: 60, maxOpsPerRound: 5_000, warmupOps: 20 }
    : { rounds: 5, budgetMs: 300, maxOpsPerRound: 50_000, warmupOps: 200 };
  const missOps = quick ? MISS_OPS_PER_ROUND.quick : MISS_OPS_PER_ROUND.full;
  return {
    name: quick ? 'quick' : 'full',
    plan,
    sizes: sized(plan, missOps),
    coldRuns: quick ? 5 : 21,
    // Warm-ups count requests, not seconds: V8 optimises a function (TurboFan) once it has run often enough, so the
    // optimised code of the request path (IAM evaluator, SigV4, s3rver, koa, node:http, the bundle; bounded by the
    // code, 2.3–2.7 MiB of heap on the stack) arrives with requests. On the stack it stops growing within ~6,000
    // requests; the former 5 s warm-up was 250–1,500 of them on 2 shared cores (docs/benchmarks.md, the findings on
    // the local stack's heap under load).
    load: quick
      ? {
          stack: { connections: 10, warmupRequests: 500, durationSeconds: 3 },
          edge: { connections: 10, warmupRequests: 10_000, durationSeconds: 3 },
        }
      : {
          stack: { connections: 20, warmupRequests: 8_000, durationSeconds: 30 },
          edge: { connections: 20, warmupRequests: 30_000, durationSeconds: 30 },
        },
    soakDecisions: 0,
    soakWarmup: 0,
  };
}
