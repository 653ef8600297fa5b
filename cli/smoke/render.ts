// Prints a smoke report as a table (people) or JSON (scripts, CI). Rows are already masked by the recorder; the
// header names the target and attraction, never the token.
import type { Row, SmokeReport } from './types.ts';

export interface ReportHeading {
  readonly origin: string;
  readonly attraction: string;
  readonly object: string;
  /** What the token's own claims say about its lifetime (read, not verified), e.g. `expires in 3599 s`. */
  readonly token: string;
}

const COLUMNS = ['step', 'expected', 'got', 'ms', 'result'] as const;

function cells(row: Row): Record<(typeof COLUMNS)[number], string> {
  return { step: row.step, expected: row.expected, got: row.got, ms: String(row.ms), result: row.result };
}

function counts(report: SmokeReport): string {
  const count = (result: Row['result']) => report.rows.filter((row) => row.result === result).length;
  return `${String(count('PASS'))} passed, ${String(count('FAIL'))} failed, ${String(count('SKIP'))} skipped`;
}

export function renderTable(heading: ReportHeading, report: SmokeReport): string {
  const rows = report.rows.map(cells);
  const width = (column: (typeof COLUMNS)[number]) => Math.max(column.length, ...rows.map((r) => r[column].length));
  const line = (values: Record<(typeof COLUMNS)[number], string>) =>
    COLUMNS.map((c) => (c === 'ms' ? values[c].padStart(width(c)) : values[c].padEnd(width(c))))
      .join('  ')
      .trimEnd();
  const header = Object.fromEntries(COLUMNS.map((c) => [c, c])) as Record<(typeof COLUMNS)[number], string>;
  return [
    `edgepass smoke: ${heading.origin}, attraction ${heading.attraction}, object ${heading.object}`,
    `token: ${heading.token} (read from its claims, not verified; never printed)`,
    '',
    line(header),
    ...rows.map(line),
    '',
    `${report.ok ? 'OK' : 'FAILED'}: ${counts(report)}`,
    '',
  ].join('\n');
}

export function renderJson(heading: ReportHeading, report: SmokeReport): string {
  return `${JSON.stringify({ ok: report.ok, ...heading, steps: report.rows }, null, 2)}\n`;
}
