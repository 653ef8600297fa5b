// A tiny run of every benchmark against the real built bundle: results must be well formed and every scenario must
// reach the outcome it claims to measure. No timing is asserted (speed targets live in `npm run bench`).
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildEdge } from '../../bench/bundle.ts';
import type { BundleFacts } from '../../bench/bundle.ts';
import { benchConfig } from '../../bench/fixtures/config.ts';
import { buildInputs } from '../../bench/fixtures/inputs.ts';
import type { Inputs } from '../../bench/fixtures/inputs.ts';
import { generateBenchKeys } from '../../bench/fixtures/keys.ts';
import { writeDocs } from '../../bench/markdown.ts';
import { inputsNeeded, runCases } from '../../bench/measure.ts';
import { jsonReport, textReport } from '../../bench/report.ts';
import type { Report } from '../../bench/report.ts';
import { baselineCases } from '../../bench/suites/baselines.ts';
import { measureColdStarts } from '../../bench/suites/cold-start.ts';
import { edgeCases, FRESH_TOKEN_POOLS } from '../../bench/suites/edge.ts';
import type { Handler } from '../../bench/suites/edge.ts';
import { runLoad } from '../../bench/suites/load.ts';
import { loadRequests, stackLoad } from '../../bench/suites/load-target.ts';
import { planFor } from '../../bench/plan.ts';
import { buildPeers } from '../../bench/suites/peers.ts';
import { runSoak, SOAK_TOKEN_POOL } from '../../bench/suites/soak.ts';
import { evaluateTargets } from '../../bench/targets.ts';

// A budget no op reaches even on a loaded machine: every round runs its 3 ops, so the log-line count is exact.
const plan = { rounds: 2, budgetMs: 60_000, maxOpsPerRound: 3, warmupOps: 1 };
const tinyLoad = { connections: 2, warmupRequests: 20, durationSeconds: 1 };
let dir: string;
let edge: BundleFacts;
let inputs: Inputs;
let handler: Handler;
/** The bundle logs one JSON line per decision through console.log; the test keeps them to inspect. */
const logLines: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'edgepass-bench-test-'));
  const keys = generateBenchKeys();
  edge = await buildEdge(benchConfig(keys), dir);
  const fresh = inputsNeeded(plan);
  const pools = [...FRESH_TOKEN_POOLS, SOAK_TOKEN_POOL];
  inputs = await buildInputs(keys, Math.floor(Date.now() / 1000), {
    freshSignatures: fresh,
    freshTokens: fresh,
    freshTokenPools: pools,
  });
  ({ handler } = (await import(edge.outfile)) as { handler: Handler });
  vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
    logLines.push(String(line));
  });
});

afterAll(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

describe('a tiny run of each benchmark', () => {
  it('in-process: every edge scenario and baseline reaches its outcome and yields a summary', async () => {
    const cases = [...edgeCases(inputs, handler), ...baselineCases(inputs)];
    logLines.length = 0;
    const results = await runCases(cases, plan);
    // One log line per edge decision (the bench counts them), none carrying a token or a signature.
    const edgeOps = edgeCases(inputs, handler).length * (plan.warmupOps + plan.rounds * plan.maxOpsPerRound);
    expect(logLines).toHaveLength(edgeOps);
    const secrets = [...inputs.tokens, ...inputs.cookieRequests.map((r) => r.signature)];
    expect(logLines.filter((line) => secrets.some((s) => line.includes(s)))).toEqual([]);
    expect(results.map((r) => r.id)).toEqual(cases.map((c) => c.id));
    expect(results.map((r) => r.id)).toEqual(
      expect.arrayContaining(['edge.pass.cookies.miss', 'naive.mint.browser', 'floor.cfVerify']),
    );
    for (const r of results) {
      expect(r.summary.n).toBe(plan.rounds * plan.maxOpsPerRound);
      expect(r.roundMediansUs).toHaveLength(plan.rounds);
      expect(Number.isFinite(r.summary.medianUs) && r.summary.medianUs > 0).toBe(true);
      expect(r.summary.p99Us).toBeGreaterThanOrEqual(r.summary.medianUs);
    }
    const report: Report = {
      machine: {
        date: 'd',
        command: 'c',
        node: 'n',
        nproc: 2,
        cpu: 'cpu',
        loadAvgStart: [0],
        loadAvgEnd: [0],
        seconds: 1,
      },
      mode: 'quick',
      bundles: [edge],
      cases: results,
      cold: [],
      targets: evaluateTargets({ cases: results, bundles: [edge], cold: [] }, 'bench'),
    };
    const json = JSON.parse(jsonReport(report)) as {
      cases: { id: string; medianUs: number }[];
      targets: { verdict: string }[];
    };
    expect(json.cases).toHaveLength(results.length);
    expect(json.targets.every((t) => t.verdict === 'PASS' || t.verdict === 'MISS')).toBe(true);
    expect(textReport(report)).toMatch(/^(PASS|MISS) {2}edge bundle, minified bytes: \d+ \(target <= 65536\)$/m);
  }, 60_000);

  it('cold start: bare node and every bundle answer their first request in a fresh process', async () => {
    const peers = await buildPeers(inputs, edge.outfile, dir);
    expect(peers.bundles.map((b) => b.name)).toEqual(['naive', 'cognito-at-edge']);
    const results = measureColdStarts(peers.modes, 1, dir);
    expect(results.map((r) => r.name)).toEqual(peers.modes.map((m) => m.name));
    expect(results[0]?.overBareMs).toBe(0);
    for (const r of results.slice(1)) {
      expect(r.importMedianMs).toBeGreaterThan(0);
      expect(r.firstRequestMedianMs).toBeGreaterThan(0);
    }
  }, 60_000);

  it('load (fallback): autocannon through a server running the bundle sees only 2xx, and the server reports its heap', async () => {
    const result = await runLoad({
      target: 'test',
      server: { mode: 'bundle', where: edge.outfile },
      requestsFor: () => Promise.resolve(loadRequests(inputs)),
      ...tinyLoad,
    });
    expect(result.requestsTotal).toBeGreaterThan(0);
    expect([result.errors, result.timeouts, result.non2xx]).toEqual([0, 0, 0]);
    expect(result.heapAfterRunMb).toBeGreaterThan(0);
  }, 60_000);

  it('load (local stack): pass-through requests signed with the stack’s dev key all succeed', async () => {
    const settings = { ...planFor(true, false), load: { stack: tinyLoad, edge: tinyLoad } };
    const { load, loadNote } = await stackLoad(inputs, edge.outfile, dir, settings);
    expect(loadNote).toMatch(/^local stack/);
    expect(load.requestsTotal).toBeGreaterThan(0);
    expect([load.errors, load.timeouts, load.non2xx]).toEqual([0, 0, 0]);
  }, 60_000);

  it('soak: decisions follow the schedule and the heap is read at ten checkpoints', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const result = await runSoak(handler, inputs, { decisions: 200, warmup: 20, gc });
    expect(Object.values(result.outcomes).reduce((a, b) => a + b, 0)).toBe(220);
    // Per hundred: 80 passes, 15 mints (302), 5 denials (401); the last 20 fall in the churning pass slots.
    expect(result.outcomes).toEqual({ pass: 180, '302': 30, '401': 10 });
    expect(result.checkpoints.map((c) => c.decisions)).toEqual([20, 40, 60, 80, 100, 120, 140, 160, 180, 200]);
  }, 60_000);

  it('writes the results between the markers of the docs file and keeps the text around them', () => {
    const file = join(dir, 'benchmarks.md');
    writeFileSync(file, 'intro\n<!-- bench-results:start -->\nold\n<!-- bench-results:end -->\noutro\n');
    const machine = {
      date: '2026-01-01',
      command: 'npm run bench',
      node: 'v20',
      nproc: 2,
      cpu: 'cpu',
      loadAvgStart: [1],
      loadAvgEnd: [1],
      seconds: 1,
    };
    writeDocs({ machine, mode: 'full', bundles: [edge], cases: [], cold: [], targets: [] }, file);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('intro\n<!-- bench-results:start -->\n\nRun finished 2026-01-01 (1 s) on 2 × cpu')).toBe(
      true,
    );
    expect(text).not.toContain('old');
    expect(text.endsWith('```\n\n<!-- bench-results:end -->\noutro\n')).toBe(true);
  });
});
