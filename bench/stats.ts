// Summary statistics for benchmark samples (pure: numbers in, numbers out; no clock, no I/O).
// Percentiles use the nearest-rank method on sorted samples, so a reported p99 is always a value actually observed.

export interface Summary {
  readonly n: number;
  readonly minUs: number;
  readonly medianUs: number;
  readonly p99Us: number;
  readonly maxUs: number;
  /** Inter-quartile range (p75 - p25): the spread we report beside the median. */
  readonly iqrUs: number;
  /** Operations per second at the median latency (one operation at a time). */
  readonly opsPerSec: number;
}

function assertSamples(samples: readonly number[]): void {
  if (samples.length === 0) throw new TypeError('samples must not be empty');
  if (!samples.every(Number.isFinite)) throw new TypeError('samples must be finite numbers');
}

function sortedCopy(samples: readonly number[]): number[] {
  return [...samples].sort((a, b) => a - b);
}

/** Nearest-rank percentile of already sorted values: the smallest value with at least p% of samples at or below it. */
function rank(sorted: readonly number[], p: number): number {
  const index = Math.max(0, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.min(index, sorted.length - 1)]!;
}

export function percentile(samples: readonly number[], p: number): number {
  assertSamples(samples);
  if (!Number.isFinite(p) || p < 0 || p > 100) throw new TypeError('p must be within 0..100');
  return rank(sortedCopy(samples), p);
}

/** The middle value, or the mean of the two middle values for an even count. */
export function median(samples: readonly number[]): number {
  assertSamples(samples);
  const sorted = sortedCopy(samples);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Summarises per-operation durations given in microseconds. */
export function summarise(samplesUs: readonly number[]): Summary {
  assertSamples(samplesUs);
  const sorted = sortedCopy(samplesUs);
  const medianUs = median(sorted);
  return {
    n: sorted.length,
    minUs: sorted[0]!,
    medianUs,
    p99Us: rank(sorted, 99),
    maxUs: sorted[sorted.length - 1]!,
    iqrUs: rank(sorted, 75) - rank(sorted, 25),
    opsPerSec: medianUs > 0 ? 1e6 / medianUs : Number.POSITIVE_INFINITY,
  };
}

/** `a / b`, as the ratio the targets compare; undefined when either side is missing or b is zero. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || b === 0) return undefined;
  return a / b;
}

/** Rounds for display and JSON: 3 significant digits (whole numbers kept whole), enough for a shared machine. */
export function round3(value: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 6)));
}
