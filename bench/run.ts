// `npm run bench`: builds the real edge bundle with a generated config into a temp dir and measures it in-process,
// cold, under load and (with --soak) over a million decisions. Flags: --quick, --json, --soak, --write-docs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { buildEdge } from './bundle.ts';
import type { BundleFacts } from './bundle.ts';
import { benchConfig } from './fixtures/config.ts';
import { buildInputs } from './fixtures/inputs.ts';
import type { Inputs } from './fixtures/inputs.ts';
import { generateBenchKeys } from './fixtures/keys.ts';
import { writeDocs } from './markdown.ts';
import { runCases } from './measure.ts';
import { planFor } from './plan.ts';
import type { Settings } from './plan.ts';
import { jsonReport, textReport } from './report.ts';
import type { Machine, Report } from './report.ts';
import { baselineCases } from './suites/baselines.ts';
import { measureColdStarts } from './suites/cold-start.ts';
import { edgeCases, FRESH_TOKEN_POOLS } from './suites/edge.ts';
import type { Handler } from './suites/edge.ts';
import { edgeServerLoad, stackLoad } from './suites/load-target.ts';
import type { LoadRun } from './suites/load-target.ts';
import { buildPeers } from './suites/peers.ts';
import { runSoak, SOAK_TOKEN_POOL } from './suites/soak.ts';
import { evaluateTargets } from './targets.ts';

const args = new Set(process.argv.slice(2));
const known = ['--quick', '--json', '--soak', '--write-docs', '--no-load'];
const unknown = [...args].filter((a) => !known.includes(a));
const say = (line: string): void => {
  (args.has('--json') ? process.stderr : process.stdout).write(`${line}\n`);
};

/** Imports the bundle with its per-decision log line counted instead of printed (the I/O is not ours to time). */
async function importHandler(outfile: string): Promise<{ handler: Handler; lines: () => number }> {
  const { handler } = (await import(pathToFileURL(outfile).href)) as { handler: Handler };
  let count = 0;
  console.log = () => {
    count++;
  };
  return { handler, lines: () => count };
}

function machine(started: number, loadAvgStart: number[]): Machine {
  const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  return {
    date: new Date().toISOString(),
    command,
    node: process.version,
    nproc: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    loadAvgStart,
    loadAvgEnd: loadavg().map((v) => Math.round(v * 100) / 100),
    seconds: (performance.now() - started) / 1000,
  };
}

type Measured = Omit<Report, 'machine' | 'targets'>;

interface Setup {
  readonly s: Settings;
  readonly dir: string;
  readonly edge: BundleFacts;
  readonly inputs: Inputs;
  readonly handler: Handler;
  readonly lines: () => number;
}

async function prepare(s: Settings, dir: string): Promise<Setup> {
  say(`building the edge bundle and generating inputs (${s.name})…`);
  const keys = generateBenchKeys();
  const edge = await buildEdge(benchConfig(keys), dir);
  const pools = s.name === 'soak' ? [SOAK_TOKEN_POOL] : [...FRESH_TOKEN_POOLS];
  const inputs = await buildInputs(keys, Math.floor(Date.now() / 1000), { ...s.sizes, freshTokenPools: pools });
  return { s, dir, edge, inputs, ...(await importHandler(edge.outfile)) };
}

async function soakMode({ s, edge, inputs, handler, lines }: Setup): Promise<Measured> {
  say(`soak: ${s.soakDecisions} decisions…`);
  const gc = globalThis.gc;
  if (typeof gc !== 'function') throw new Error('the soak needs node --expose-gc');
  const options = {
    decisions: s.soakDecisions,
    warmup: s.soakWarmup,
    gc: () => {
      gc();
    },
  };
  const result = await runSoak(handler, inputs, options);
  return { mode: 'soak', bundles: [edge], cases: [], cold: [], soak: result, logLines: lines() };
}

async function benchMode({ s, dir, edge, inputs, handler, lines }: Setup): Promise<Measured> {
  say('in-process: edge bundle and baselines, interleaved rounds…');
  const cases = await runCases([...edgeCases(inputs, handler), ...baselineCases(inputs)], s.plan);
  const logLines = lines();
  say('cold start: fresh processes…');
  const peers = await buildPeers(inputs, edge.outfile, dir);
  const cold = measureColdStarts(peers.modes, s.coldRuns, dir);
  const loads: LoadRun[] = [];
  if (!args.has('--no-load')) {
    say(`load: autocannon, ${s.load.stack.durationSeconds} s against the local stack…`);
    loads.push(await stackLoad(inputs, edge.outfile, dir, s));
    say(`load: autocannon, ${s.load.edge.durationSeconds} s against the edge alone…`);
    loads.push(await edgeServerLoad(inputs, edge.outfile, s));
  }
  return { mode: s.name, bundles: [edge, ...peers.bundles], cases, cold, loads, logLines };
}

/** Forced GC makes heap readings comparable: the soak re-runs this script under node --expose-gc. */
function rerunWithGc(): void {
  const argv = ['--expose-gc', '--import', import.meta.resolve('tsx'), ...process.argv.slice(1)];
  process.exitCode = spawnSync(process.execPath, argv, { stdio: 'inherit' }).status ?? 1;
}

async function main(): Promise<void> {
  if (unknown.length > 0) throw new TypeError(`unknown option ${unknown.join(' ')} (known: ${known.join(' ')})`);
  const soak = args.has('--soak');
  if (soak && typeof globalThis.gc !== 'function') {
    rerunWithGc();
    return;
  }
  const started = performance.now();
  const loadAvgStart = loadavg().map((v) => Math.round(v * 100) / 100);
  const dir = mkdtempSync(join(tmpdir(), 'edgepass-bench-'));
  try {
    const setup = await prepare(planFor(args.has('--quick'), soak), dir);
    const measured = soak ? await soakMode(setup) : await benchMode(setup);
    const targets = evaluateTargets(measured, soak ? 'soak' : 'bench');
    const report: Report = { ...measured, machine: machine(started, loadAvgStart), targets };
    say(textReport(report));
    if (args.has('--json')) process.stdout.write(`${jsonReport(report)}\n`);
    if (args.has('--write-docs')) say(`wrote ${writeDocs(report)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
