// Writes the results of a run into docs/benchmarks.md between two markers, leaving the hand-written text around
// them untouched (`npm run bench -- --write-docs`, or `-- --soak --write-docs` for the soak section).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { textReport } from './report.ts';
import type { Report } from './report.ts';

const DOCS = resolve(import.meta.dirname, '..', 'docs', 'benchmarks.md');

function section(report: Report): string {
  const m = report.machine;
  return [
    `Run finished ${m.date} (${Math.round(m.seconds)} s) on ${m.nproc} × ${m.cpu}, node ${m.node}, load average ${m.loadAvgStart.join(' ')} at start.`,
    `Command: \`${m.command}\`.`,
    '',
    '```text',
    textReport(report),
    '```',
  ].join('\n');
}

/** Replaces the block for this mode (`bench` or `soak`); returns the file written. */
export function writeDocs(report: Report, file: string = DOCS): string {
  const kind = report.mode === 'soak' ? 'soak' : 'bench';
  const start = `<!-- ${kind}-results:start -->`;
  const end = `<!-- ${kind}-results:end -->`;
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a === -1 || b < a) throw new Error(`${join('docs', 'benchmarks.md')} has no ${start} … ${end} block`);
  // Blank lines around the block, as Prettier formats Markdown, so a regenerated file stays formatted.
  writeFileSync(file, `${text.slice(0, a + start.length)}\n\n${section(report)}\n\n${text.slice(b)}`);
  return file;
}
