// The round-robin runner: every operation timed and checked, rounds interleaved, cache-miss pools never reused.
import { describe, expect, it } from 'vitest';
import { inputsNeeded, runCases } from '../../bench/measure.ts';
import type { BenchCase, Plan } from '../../bench/measure.ts';

const plan: Plan = { rounds: 3, budgetMs: 1_000, maxOpsPerRound: 5, warmupOps: 2 };

function recorder(id: string, inputs: number, log: string[]): BenchCase {
  return {
    id,
    label: id,
    inputs,
    op: (i) => {
      log.push(`${id}:${i}`);
      return Promise.resolve(i);
    },
    check: (r) => (typeof r === 'number' ? undefined : 'not a number'),
  };
}

describe('runCases', () => {
  it('runs prepare outside the timed section and hands its result to op', async () => {
    let nowMs = 0;
    const seen: unknown[] = [];
    const prepared: BenchCase = {
      id: 'p',
      label: 'p',
      inputs: Infinity,
      prepare: (i) => {
        nowMs += 1_000; // a slow preparation must not show in the samples
        return { event: i };
      },
      op: (_i, input) => {
        seen.push(input);
        nowMs += 0.002;
        return 1;
      },
      check: () => undefined,
    };
    const [result] = await runCases([prepared], { ...plan, budgetMs: 1e9 }, () => nowMs);
    expect(seen.slice(0, 3)).toEqual([{ event: 0 }, { event: 1 }, { event: 2 }]);
    expect(result?.summary.maxUs).toBeCloseTo(2, 6);
  });

  it('warms every case up, then interleaves rounds, and keeps only the timed samples', async () => {
    const log: string[] = [];
    const results = await runCases([recorder('a', Infinity, log), recorder('b', Infinity, log)], plan);
    expect(log.slice(0, 4)).toEqual(['a:0', 'a:1', 'b:0', 'b:1']);
    expect(log.slice(4, 6)).toEqual(['a:2', 'a:3']);
    expect(log[9]).toBe('b:2');
    expect(results.map((r) => [r.id, r.summary.n, r.roundMediansUs.length])).toEqual([
      ['a', 15, 3],
      ['b', 15, 3],
    ]);
    for (const r of results) expect(r.summary.minUs).toBeGreaterThanOrEqual(0);
  });

  it('never uses an input of a finite pool twice, and shares the pool out over the rounds', async () => {
    const log: string[] = [];
    const size = inputsNeeded({ ...plan, maxOpsPerRound: 2 });
    expect(size).toBe(2 + 3 * 2);
    const [result] = await runCases([recorder('miss', size, log)], plan);
    expect(new Set(log).size).toBe(log.length);
    expect(log).toHaveLength(size);
    expect(result?.summary.n).toBe(6);
    expect(result?.roundMediansUs).toHaveLength(3);
  });

  it('stops a case at once when an outcome is wrong (a fast error path must not pass for a result)', async () => {
    const wrong: BenchCase = { id: 'x', label: 'x', inputs: Infinity, op: () => 'denied', check: () => 'status 403' };
    await expect(runCases([wrong], plan)).rejects.toThrow('x: unexpected outcome on input 0: status 403');
  });

  it('reports a pool too small for the plan instead of reusing inputs', async () => {
    await expect(runCases([recorder('tiny', 3, [])], plan)).rejects.toThrow('tiny: ran out of inputs');
  });

  it('times each operation alone with the clock it is given', async () => {
    let nowMs = 0;
    const timed: BenchCase = {
      id: 't',
      label: 't',
      inputs: Infinity,
      op: (i) => {
        nowMs += (i + 1) / 1000; // operation i takes i + 1 µs
        return i;
      },
      check: () => undefined,
    };
    const fast = { rounds: 2, budgetMs: 1_000, maxOpsPerRound: 3, warmupOps: 1 };
    const [result] = await runCases([timed], fast, () => nowMs);
    // Warm-up is input 0; round 1 times inputs 1-3 (2, 3, 4 µs), round 2 inputs 4-6 (5, 6, 7 µs).
    expect(result?.roundMediansUs.map(Math.round)).toEqual([3, 6]);
    expect(Math.round(result?.summary.medianUs ?? 0)).toBe(5);
    expect(Math.round(result?.summary.maxUs ?? 0)).toBe(7);
  });

  it('stops a round when its time budget is spent', async () => {
    let nowMs = 0;
    const slow: BenchCase = { id: 's', label: 's', inputs: Infinity, op: () => (nowMs += 10), check: () => undefined };
    const [result] = await runCases(
      [slow],
      { rounds: 1, budgetMs: 25, maxOpsPerRound: 100, warmupOps: 0 },
      () => nowMs,
    );
    expect(result?.summary.n).toBe(3);
  });
});
