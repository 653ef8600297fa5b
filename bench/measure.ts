// Runs benchmark cases round-robin and times every operation on its own, so that all cases of one run share the
// same machine load (ratios stay fair on a shared machine). Each result is checked: a wrong outcome aborts the case.
import { performance } from 'node:perf_hooks';
import { median, summarise } from './stats.ts';
import type { Summary } from './stats.ts';

export interface BenchCase {
  /** Stable id used by targets and JSON, e.g. `edge.pass.cookies.hit`. */
  readonly id: string;
  readonly label: string;
  /**
   * Builds the i-th input outside the timed section (e.g. deserialises an event, as the Lambda runtime does before
   * each invocation); its result is handed to op. Optional: without it op receives undefined.
   */
  readonly prepare?: (i: number) => unknown;
  /** One operation on the i-th input (i counts from 0 over warm-up and all rounds). */
  readonly op: (i: number, prepared: unknown) => unknown;
  /** Why a result is not the expected outcome, or undefined when it is. Runs outside the timed section. */
  readonly check: (result: unknown) => string | undefined;
  /** Inputs available; a case never reuses an input when this is finite (cache-miss variants). */
  readonly inputs: number;
}

export interface Plan {
  readonly rounds: number;
  /** Time budget per case per round, in milliseconds. */
  readonly budgetMs: number;
  /** Cap on operations per case per round (and the pool size a cache-miss case needs). */
  readonly maxOpsPerRound: number;
  readonly warmupOps: number;
}

export interface CaseResult {
  readonly id: string;
  readonly label: string;
  readonly summary: Summary;
  /** The median of each round: how far the centre moved while the machine's load changed. */
  readonly roundMediansUs: readonly number[];
}

/** Inputs a cache-miss case must have so that no input is used twice under this plan. */
export function inputsNeeded(plan: Plan): number {
  return plan.warmupOps + plan.rounds * plan.maxOpsPerRound;
}

interface Progress {
  next: number;
  readonly samples: number[];
  readonly roundMedians: number[];
}

/** Milliseconds from an arbitrary origin: performance.now, or a fake clock in tests. */
export type Clock = () => number;

async function once(bench: BenchCase, i: number, now: Clock): Promise<number> {
  const prepared = bench.prepare?.(i);
  const start = now();
  const pending = bench.op(i, prepared);
  const result = pending instanceof Promise ? await pending : pending;
  const elapsedUs = (now() - start) * 1000;
  const wrong = bench.check(result);
  if (wrong !== undefined) throw new Error(`${bench.id}: unexpected outcome on input ${i}: ${wrong}`);
  return elapsedUs;
}

/** A finite pool is shared out evenly over the rounds, so the last round still has never-seen inputs. */
function capPerRound(bench: BenchCase, plan: Plan): number {
  if (!Number.isFinite(bench.inputs)) return plan.maxOpsPerRound;
  return Math.min(plan.maxOpsPerRound, Math.floor((bench.inputs - plan.warmupOps) / plan.rounds));
}

async function runRound(bench: BenchCase, progress: Progress, plan: Plan, now: Clock): Promise<void> {
  const round: number[] = [];
  const deadline = now() + plan.budgetMs;
  const cap = capPerRound(bench, plan);
  while (round.length < cap && progress.next < bench.inputs) {
    round.push(await once(bench, progress.next++, now));
    if (now() > deadline) break;
  }
  if (round.length === 0) throw new Error(`${bench.id}: ran out of inputs`);
  progress.samples.push(...round);
  progress.roundMedians.push(median(round));
}

/** Warms every case up, then interleaves the rounds: case A, case B, …, case A, case B, … */
export async function runCases(
  cases: readonly BenchCase[],
  plan: Plan,
  now: Clock = () => performance.now(),
): Promise<CaseResult[]> {
  const progress = cases.map((): Progress => ({ next: 0, samples: [], roundMedians: [] }));
  for (const [index, bench] of cases.entries()) {
    const p = progress[index]!;
    while (p.next < Math.min(plan.warmupOps, bench.inputs)) await once(bench, p.next++, now);
  }
  for (let r = 0; r < plan.rounds; r++) {
    for (const [index, bench] of cases.entries()) await runRound(bench, progress[index]!, plan, now);
  }
  return cases.map((bench, index) => ({
    id: bench.id,
    label: bench.label,
    summary: summarise(progress[index]!.samples),
    roundMediansUs: progress[index]!.roundMedians,
  }));
}
