// Cold start: a fresh `node` process that imports a bundle and answers one viewer request, against bare node start-up.
// Wall time is measured from spawn to exit by the parent; the child reports import and first-request times itself.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CloudFrontRequestEvent } from 'aws-lambda';
import { median } from '../stats.ts';

export interface ColdMode {
  readonly name: string;
  /** Absolute path of the bundle to import; undefined for bare node. */
  readonly bundle?: string;
  readonly event?: CloudFrontRequestEvent;
  /** The first decision expected: a status such as `302`, or `pass` for the request passed through. */
  readonly expect: string;
}

export interface ColdResult {
  readonly name: string;
  readonly runs: number;
  readonly wallMedianMs: number;
  readonly wallMinMs: number;
  readonly wallMaxMs: number;
  readonly importMedianMs: number;
  readonly firstRequestMedianMs: number;
  readonly rssMedianMb: number;
  /**
   * Median over runs of (this mode's wall time − bare node's in the same run). Modes run back to back within a run,
   * so a slow spell of the shared machine lands on both sides of each difference; a difference of two medians
   * would not cancel it.
   */
  readonly overBareMs: number;
  readonly cpuMedianMs: number;
  /** The same paired median for CPU time (user + system) of the child. */
  readonly cpuOverBareMs: number;
}

// Plain ESM run by plain node (no tsx). Every mode, bare node included, reads and parses its event file and starts
// the clock, so the harness's own work (file read, JSON, perf_hooks) is in the baseline and not charged to a bundle;
// what bare node skips is exactly the import and the first call. The handler's own log lines go to stdout as in
// Lambda, so the report is the last line, marked.
const CHILD = `import { readFileSync } from 'node:fs';
const [eventFile, bundle] = process.argv.slice(2);
let importMs = 0, firstMs = 0, status = 'none';
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const t0 = performance.now();
if (bundle) {
  const { handler } = await import(bundle);
  const t1 = performance.now();
  const result = await handler(event);
  firstMs = performance.now() - t1;
  importMs = t1 - t0;
  status = result !== null && typeof result === 'object' && 'status' in result ? String(result.status) : 'pass';
}
const usage = process.resourceUsage();
const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
process.stdout.write('\\nBENCH ' + JSON.stringify({ importMs, firstMs, status, cpuMs, rssMb: process.memoryUsage().rss / 1048576 }));
`;

interface ChildReport {
  readonly wallMs: number;
  readonly importMs: number;
  readonly firstMs: number;
  readonly status: string;
  readonly rssMb: number;
  /** User + system CPU time of the whole child up to its report: what load from others cannot inflate much. */
  readonly cpuMs: number;
}

function runChild(child: string, mode: ColdMode, eventFile: string): ChildReport {
  const args = mode.bundle === undefined ? [child, eventFile] : [child, eventFile, mode.bundle];
  const start = performance.now();
  const out = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 30_000 });
  const wallMs = performance.now() - start;
  if (out.status !== 0) throw new Error(`cold start of ${mode.name} failed (exit ${String(out.status)})`);
  const line = out.stdout.split('\n').findLast((l) => l.startsWith('BENCH '));
  if (line === undefined) throw new Error(`cold start of ${mode.name} printed no report`);
  const report = JSON.parse(line.slice('BENCH '.length)) as Omit<ChildReport, 'wallMs'>;
  const expected = mode.bundle === undefined ? 'none' : mode.expect;
  if (report.status !== expected) throw new Error(`cold start of ${mode.name}: got ${report.status}, want ${expected}`);
  return { ...report, wallMs };
}

/** Runs every mode `runs` times, interleaved (bare, A, B, bare, A, B…) so load changes hit all modes alike. */
export function measureColdStarts(modes: readonly ColdMode[], runs: number, dir: string): ColdResult[] {
  const child = join(dir, 'cold-child.mjs');
  writeFileSync(child, CHILD);
  const eventFiles = modes.map((mode, i) => {
    const file = join(dir, `cold-event-${i}.json`);
    writeFileSync(file, JSON.stringify(mode.event ?? {}));
    return file;
  });
  const reports = modes.map((): ChildReport[] => []);
  for (let r = 0; r < runs; r++) {
    modes.forEach((mode, i) => reports[i]!.push(runChild(child, mode, eventFiles[i]!)));
  }
  const bare = reports[modes.findIndex((mode) => mode.bundle === undefined)];
  const pairedOver = (list: readonly ChildReport[], pick: (x: ChildReport) => number): number =>
    bare === undefined ? NaN : median(list.map((x, r) => pick(x) - pick(bare[r]!)));
  return modes.map((mode, i) => {
    const list = reports[i]!;
    const wall = list.map((x) => x.wallMs);
    const wallMedianMs = median(wall);
    const cpuMedianMs = median(list.map((x) => x.cpuMs));
    return {
      name: mode.name,
      runs: list.length,
      wallMedianMs,
      wallMinMs: Math.min(...wall),
      wallMaxMs: Math.max(...wall),
      importMedianMs: median(list.map((x) => x.importMs)),
      firstRequestMedianMs: median(list.map((x) => x.firstMs)),
      rssMedianMb: median(list.map((x) => x.rssMb)),
      overBareMs: pairedOver(list, (x) => x.wallMs),
      cpuMedianMs,
      cpuOverBareMs: pairedOver(list, (x) => x.cpuMs),
    };
  });
}
