// Targets are judged from the measurements only: a missing measurement is a MISS, never a pass by default.
import { describe, expect, it } from 'vitest';
import type { CaseResult } from '../../bench/measure.ts';
import { summarise } from '../../bench/stats.ts';
import { BUNDLE_BUDGET_BYTES, evaluateTargets } from '../../bench/targets.ts';
import type { Measured } from '../../bench/targets.ts';

function caseAt(id: string, medianUs: number): CaseResult {
  return { id, label: id, summary: summarise([medianUs]), roundMediansUs: [medianUs] };
}

function measured(medians: Record<string, number>, extra: Partial<Measured> = {}): Measured {
  const cases = Object.entries(medians).map(([id, us]) => caseAt(id, us));
  return { cases, bundles: [], cold: [], ...extra };
}

const verdicts = (m: Measured, mode: 'bench' | 'soak' = 'bench') =>
  Object.fromEntries(evaluateTargets(m, mode).map((t) => [t.id, t.verdict]));

const fast = {
  'floor.cfVerify': 40,
  'naive.mint.browser': 1000,
  'edge.mint.browser.hit': 20,
  'edge.pass.cookies.miss': 60,
  'edge.pass.url.miss': 70,
  'edge.pass.cookies.hit': 5,
  'edge.pass.url.hit': 8,
};

describe('evaluateTargets', () => {
  it('passes speed targets met by the measured ratios', () => {
    const v = verdicts(measured(fast));
    expect(v).toMatchObject({
      'mint.browser.warm.vsNaive': 'PASS',
      'pass.cookies.miss.vsFloor': 'PASS',
      'pass.url.miss.vsFloor': 'PASS',
      'pass.cookies.hit.vsFloor': 'PASS',
      'pass.url.hit.vsFloor': 'PASS',
    });
  });

  it.each([
    ['mint.browser.warm.vsNaive', 'edge.mint.browser.hit', 101],
    ['pass.cookies.miss.vsFloor', 'edge.pass.cookies.miss', 81],
    ['pass.cookies.hit.vsFloor', 'edge.pass.cookies.hit', 11],
  ])('misses %s when %s takes %d µs', (target, id, us) => {
    expect(verdicts(measured({ ...fast, [id]: us }))[target]).toBe('MISS');
  });

  it('misses every target whose measurement is absent (nothing passes by default)', () => {
    const results = evaluateTargets(measured({}), 'bench');
    expect(results.length).toBeGreaterThan(0);
    for (const t of results) {
      expect(t.verdict).toBe('MISS');
      expect(t.value).toBeUndefined();
    }
  });

  it('judges the bundle budget at 64 KiB inclusive', () => {
    const bundle = (bytes: number) => [{ name: 'edgepass', outfile: 'x', bytes, gzipBytes: 1 }];
    expect(verdicts(measured(fast, { bundles: bundle(BUNDLE_BUDGET_BYTES) }))['bundle.bytes']).toBe('PASS');
    expect(verdicts(measured(fast, { bundles: bundle(BUNDLE_BUDGET_BYTES + 1) }))['bundle.bytes']).toBe('MISS');
  });

  it('counts any error, timeout or non-2xx under load as a miss', () => {
    const load = {
      target: 't',
      connections: 1,
      warmupRequests: 1,
      durationSeconds: 1,
      requestsTotal: 10,
      requestsPerSec: 10,
      latencyP50Ms: 1,
      latencyP99Ms: 1,
      errors: 0,
      timeouts: 0,
      non2xx: 1,
      heapAfterWarmupMb: 5,
      heapAfterRunMb: 5.5,
      rssAfterWarmupMb: 50,
      rssAfterRunMb: 50,
    };
    const v = verdicts(
      measured(fast, {
        loads: [
          { load, loadNote: 'stack' },
          { load: { ...load, non2xx: 0 }, loadNote: 'edge' },
        ],
      }),
    );
    expect(v['load.stack.failures']).toBe('MISS');
    expect(v['load.stack.heapGrowthMiB']).toBe('PASS');
    expect(v['load.edge.failures']).toBe('PASS');
  });

  it('judges only memory in soak mode, flat meaning at most 2 MiB of growth', () => {
    const soak = (growth: number) => ({
      decisions: 100,
      seconds: 1,
      heapStartMb: 10,
      heapEndMb: 10 + growth,
      heapGrowthMb: growth,
      rssStartMb: 50,
      rssEndMb: 50,
      checkpoints: [],
      outcomes: {},
    });
    expect(verdicts(measured({}, { soak: soak(1.5) }), 'soak')).toEqual({ 'soak.heapGrowthMiB': 'PASS' });
    expect(verdicts(measured({}, { soak: soak(2.5) }), 'soak')).toEqual({ 'soak.heapGrowthMiB': 'MISS' });
  });
});
