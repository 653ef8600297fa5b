// The benchmark's statistics: nearest-rank percentiles, medians, summaries and ratios (no timing here).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { median, percentile, ratio, round3, summarise } from '../../bench/stats.ts';

const samples = fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 });

describe('median', () => {
  it.each([
    [[5], 5],
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[10, 10, 1, 1000], 10],
  ])('of %j is %d', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });
});

describe('percentile (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => 100 - i); // 100 … 1, unsorted

  it.each([
    [0, 1],
    [1, 1],
    [50, 50],
    [99, 99],
    [99.5, 100],
    [100, 100],
  ])('p%d of 1…100 is %d', (p, expected) => {
    expect(percentile(hundred, p)).toBe(expected);
  });

  it('p99 of ten samples is the largest (a rank cannot fall between samples)', () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 1000], 99)).toBe(1000);
  });

  it('is always one of the samples, and grows with p', () => {
    fc.assert(
      fc.property(
        samples,
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (xs, a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          expect(xs).toContain(percentile(xs, lo));
          expect(percentile(xs, lo)).toBeLessThanOrEqual(percentile(xs, hi));
        },
      ),
    );
  });

  it.each([[[]], [[1, Number.NaN]], [[1, Number.POSITIVE_INFINITY]]])('refuses samples %j', (xs) => {
    expect(() => percentile(xs, 50)).toThrow(TypeError);
  });

  it.each([-1, 101, Number.NaN])('refuses p = %d', (p) => {
    expect(() => percentile([1, 2], p)).toThrow(TypeError);
  });
});

describe('summarise', () => {
  it('reports min, median, p99, max, IQR and ops/s of microsecond samples', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i + 1); // 1 … 100 µs
    expect(summarise(xs)).toEqual({
      n: 100,
      minUs: 1,
      medianUs: 50.5,
      p99Us: 99,
      maxUs: 100,
      iqrUs: 50,
      opsPerSec: 1e6 / 50.5,
    });
  });

  it('orders its fields for any samples: min ≤ median ≤ p99 ≤ max', () => {
    fc.assert(
      fc.property(samples, (xs) => {
        const s = summarise(xs);
        expect(s.n).toBe(xs.length);
        expect(s.minUs).toBeLessThanOrEqual(s.medianUs);
        expect(s.medianUs).toBeLessThanOrEqual(s.p99Us);
        expect(s.p99Us).toBeLessThanOrEqual(s.maxUs);
        expect(s.iqrUs).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe('ratio and rounding', () => {
  it('divides, and gives undefined for a missing side or a zero divisor', () => {
    expect(ratio(10, 4)).toBe(2.5);
    expect(ratio(undefined, 4)).toBeUndefined();
    expect(ratio(4, undefined)).toBeUndefined();
    expect(ratio(4, 0)).toBeUndefined();
  });

  it.each([
    [123456, 123456],
    [1234.56, 1235],
    [12.3456, 12.3],
    [0.0123456, 0.0123],
    [0, 0],
  ])('rounds %d to %d', (value, expected) => {
    expect(round3(value)).toBe(expected);
  });
});
