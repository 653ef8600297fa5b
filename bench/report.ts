// Presents one run: a plain-text table for people, a JSON summary for machines, and the Markdown results section
// of docs/benchmarks.md. Formatting only; every number comes from the measurements passed in.
import type { BundleFacts } from './bundle.ts';
import type { CaseResult } from './measure.ts';
import type { ColdResult } from './suites/cold-start.ts';
import type { LoadRun } from './suites/load-target.ts';
import type { SoakResult } from './suites/soak.ts';
import { ratio, round3 } from './stats.ts';
import type { TargetResult } from './targets.ts';

export interface Machine {
  readonly date: string;
  readonly command: string;
  readonly node: string;
  readonly nproc: number;
  readonly cpu: string;
  readonly loadAvgStart: readonly number[];
  readonly loadAvgEnd: readonly number[];
  readonly seconds: number;
}

export interface Report {
  readonly machine: Machine;
  readonly mode: 'full' | 'quick' | 'soak';
  readonly bundles: readonly BundleFacts[];
  readonly cases: readonly CaseResult[];
  readonly cold: readonly ColdResult[];
  /** The local stack under load, then the edge alone; empty with --no-load. */
  readonly loads?: readonly LoadRun[] | undefined;
  readonly soak?: SoakResult | undefined;
  readonly logLines?: number | undefined;
  readonly targets: readonly TargetResult[];
}

const us = (v: number): string => (v >= 1000 ? `${round3(v / 1000)} ms` : `${round3(v)} µs`);
const pad = (text: string, width: number): string => text.padEnd(width);

function caseRows(report: Report): string[][] {
  const floor = report.cases.find((c) => c.id === 'floor.cfVerify')?.summary.medianUs;
  return report.cases.map((c) => {
    const s = c.summary;
    const spread = `${us(Math.min(...c.roundMediansUs))}–${us(Math.max(...c.roundMediansUs))}`;
    const vsFloor = ratio(s.medianUs, floor);
    const ops = String(Math.round(s.opsPerSec));
    return [
      c.id,
      us(s.medianUs),
      us(s.p99Us),
      ops,
      spread,
      String(s.n),
      vsFloor === undefined ? '' : `${round3(vsFloor)}×`,
    ];
  });
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => pad(c, widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

const CASE_HEADER = ['operation', 'median', 'p99', 'ops/s', 'round medians', 'n', '÷ raw verify'];

function targetLine(t: TargetResult): string {
  const value = t.value === undefined ? 'not measured' : String(round3(t.value));
  return `${t.verdict}  ${t.text}: ${value} (target ${t.comparison} ${t.limit})`;
}

export function textReport(report: Report): string {
  const m = report.machine;
  const out = [`edgepass bench (${report.mode}) — ${m.date}, node ${m.node}, ${m.nproc} × ${m.cpu}`];
  out.push(`load average ${m.loadAvgStart.join(' ')} → ${m.loadAvgEnd.join(' ')}; ${round3(m.seconds)} s`, '');
  if (report.cases.length > 0) out.push(...table(CASE_HEADER, caseRows(report)), '');
  for (const b of report.bundles) out.push(`bundle ${b.name}: ${b.bytes} B minified, ${b.gzipBytes} B gzip`);
  for (const c of report.cold) {
    out.push(
      `cold ${c.name}: wall ${round3(c.wallMedianMs)} ms (+${round3(c.overBareMs)} over bare), cpu ` +
        `${round3(c.cpuMedianMs)} ms (+${round3(c.cpuOverBareMs)}), import ${round3(c.importMedianMs)} ms, ` +
        `first request ${round3(c.firstRequestMedianMs)} ms, rss ${round3(c.rssMedianMb)} MB`,
    );
  }
  for (const { load: l, loadNote } of report.loads ?? []) {
    out.push(
      `load, ${loadNote}: ${Math.round(l.requestsPerSec)} req/s over ${l.durationSeconds} s with ${l.connections} ` +
        `connections after ${l.warmupRequests} warm-up requests, ` +
        `p50 ${l.latencyP50Ms} ms, p99 ${l.latencyP99Ms} ms, ${l.requestsTotal} requests, ${l.errors} errors, ` +
        `${l.timeouts} timeouts, ${l.non2xx} non-2xx; heap ${round3(l.heapAfterWarmupMb)} → ${round3(l.heapAfterRunMb)} MiB, ` +
        `rss ${round3(l.rssAfterWarmupMb)} → ${round3(l.rssAfterRunMb)} MiB`,
    );
  }
  const s = report.soak;
  if (s !== undefined) {
    out.push(
      `soak: ${s.decisions} decisions in ${round3(s.seconds)} s; heap ${round3(s.heapStartMb)} → ${round3(s.heapEndMb)} MiB ` +
        `(checkpoints ${s.checkpoints.map((c) => round3(c.heapMb)).join(', ')}); outcomes ${JSON.stringify(s.outcomes)}`,
    );
  }
  out.push('', ...report.targets.map(targetLine));
  return out.join('\n');
}

/** The JSON summary: rounded numbers, stable ids; the same data as the text report. */
export function jsonReport(report: Report): string {
  const cases = report.cases.map((c) => ({
    id: c.id,
    label: c.label,
    ...c.summary,
    roundMediansUs: c.roundMediansUs,
  }));
  const targets = report.targets.map((t) => ({ ...t, value: t.value ?? null }));
  return JSON.stringify({ ...report, cases, targets }, (_k, v: unknown) => (typeof v === 'number' ? round3(v) : v), 2);
}
