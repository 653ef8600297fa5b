// The targets, each judged from numbers measured in this run. A target whose inputs were not measured is a
// MISS (never a pass by default); thresholds the issue leaves open ("far below", "flat") are stated here, once.
import type { BundleFacts } from './bundle.ts';
import type { CaseResult } from './measure.ts';
import type { ColdResult } from './suites/cold-start.ts';
import type { LoadRun } from './suites/load-target.ts';
import type { SoakResult } from './suites/soak.ts';
import { ratio } from './stats.ts';

export interface TargetResult {
  readonly id: string;
  readonly text: string;
  /** The measured value in the target's unit (ratio, bytes, ms, MiB); undefined when not measured. */
  readonly value: number | undefined;
  readonly limit: number;
  readonly comparison: '<=' | '>=';
  readonly verdict: 'PASS' | 'MISS';
}

export interface Measured {
  readonly cases: readonly CaseResult[];
  readonly bundles: readonly BundleFacts[];
  readonly cold: readonly ColdResult[];
  readonly loads?: readonly LoadRun[] | undefined;
  readonly soak?: SoakResult | undefined;
}

/** "Far below one raw verification" taken as at most a quarter of it; "flat memory" as at most 2 MiB of heap. */
const FAR_BELOW_RATIO = 0.25;
const FLAT_HEAP_MIB = 2;
export const BUNDLE_BUDGET_BYTES = 64 * 1024;

function judge(id: string, text: string, value: number | undefined, comparison: '<=' | '>=', limit: number) {
  const ok = value !== undefined && Number.isFinite(value) && (comparison === '<=' ? value <= limit : value >= limit);
  return { id, text, value, limit, comparison, verdict: ok ? 'PASS' : 'MISS' } satisfies TargetResult;
}

function medianOf(m: Measured, id: string): number | undefined {
  return m.cases.find((c) => c.id === id)?.summary.medianUs;
}

function speedTargets(m: Measured): TargetResult[] {
  const floor = medianOf(m, 'floor.cfVerify');
  const vsFloor = (id: string) => ratio(medianOf(m, id), floor);
  return [
    judge(
      'mint.browser.warm.vsNaive',
      'warm browser mint vs naive (x faster)',
      ratio(medianOf(m, 'naive.mint.browser'), medianOf(m, 'edge.mint.browser.hit')),
      '>=',
      10,
    ),
    judge(
      'pass.cookies.miss.vsFloor',
      'pass-through cookies, cache miss / raw verify',
      vsFloor('edge.pass.cookies.miss'),
      '<=',
      2,
    ),
    judge(
      'pass.url.miss.vsFloor',
      'pass-through signed URL, cache miss / raw verify',
      vsFloor('edge.pass.url.miss'),
      '<=',
      2,
    ),
    judge(
      'pass.cookies.hit.vsFloor',
      'pass-through cookies, cache hit / raw verify',
      vsFloor('edge.pass.cookies.hit'),
      '<=',
      FAR_BELOW_RATIO,
    ),
    judge(
      'pass.url.hit.vsFloor',
      'pass-through signed URL, cache hit / raw verify',
      vsFloor('edge.pass.url.hit'),
      '<=',
      FAR_BELOW_RATIO,
    ),
  ];
}

function startTargets(m: Measured): TargetResult[] {
  const bytes = m.bundles.find((b) => b.name === 'edgepass')?.bytes;
  const cold = (name: string) => m.cold.find((c) => c.name === name)?.overBareMs;
  return [
    judge('bundle.bytes', 'edge bundle, minified bytes', bytes, '<=', BUNDLE_BUDGET_BYTES),
    judge(
      'cold.pass.overBareMs',
      'cold import + first pass-through, ms over bare node',
      cold('edgepass.pass'),
      '<=',
      30,
    ),
    judge(
      'cold.mint.overBareMs',
      'cold import + first browser mint, ms over bare node',
      cold('edgepass.mint'),
      '<=',
      30,
    ),
  ];
}

function memoryTargets(m: Measured): TargetResult[] {
  const out: TargetResult[] = [];
  for (const [i, { load }] of (m.loads ?? []).entries()) {
    const name = i === 0 ? 'stack' : 'edge';
    const { errors, timeouts, non2xx, heapAfterRunMb, heapAfterWarmupMb } = load;
    const failures = errors + timeouts + non2xx;
    out.push(judge(`load.${name}.failures`, `load (${name}): errors + timeouts + non-2xx`, failures, '<=', 0));
    const growth = heapAfterRunMb - heapAfterWarmupMb;
    out.push(
      judge(`load.${name}.heapGrowthMiB`, `load (${name}): heap growth after GC, MiB`, growth, '<=', FLAT_HEAP_MIB),
    );
  }
  if (m.soak !== undefined) {
    out.push(
      judge(
        'soak.heapGrowthMiB',
        `soak: heap growth over ${m.soak.decisions} decisions, MiB`,
        m.soak.heapGrowthMb,
        '<=',
        FLAT_HEAP_MIB,
      ),
    );
  }
  return out;
}

export function evaluateTargets(m: Measured, mode: 'bench' | 'soak'): TargetResult[] {
  return mode === 'soak' ? memoryTargets(m) : [...speedTargets(m), ...startTargets(m), ...memoryTargets(m)];
}
