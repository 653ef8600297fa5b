// Renders `edgepass versions` as an on-call engineer reads it: one row per version, newest first, with when it was
// last modified, its code hash and size, which distribution behaviours use it, and what prune does (or did) with it.
import type { DeleteOutcome } from './aws.ts';
import type { KeepReason, PlannedVersion } from './plan.ts';

/** `list`: what prune would do; `dry-run`: prune without --yes; `deleted`: prune --yes, with each outcome. */
export type Mode = 'list' | 'dry-run' | 'deleted';

export interface RenderInput {
  readonly plan: readonly PlannedVersion[];
  readonly mode: Mode;
  readonly keep: number;
  /** The stack whose AuthorizerVersionArn was read, if any. */
  readonly stackName: string | undefined;
  readonly outcomes: ReadonlyMap<string, DeleteOutcome>;
}

const HEADERS = ['VERSION', 'LAST MODIFIED (UTC)', 'CODE SHA-256', 'SIZE', 'USED BY', 'ACTION'] as const;

function keepText(reason: KeepReason, keep: number): string {
  switch (reason) {
    case 'latest':
      return 'keep ($LATEST, never deleted)';
    case 'in-use':
      return 'keep (in use)';
    case 'stack':
      return "keep (stack's current version)";
    case 'newest':
      return `keep (newest ${keep})`;
  }
}

function outcomeText(outcome: DeleteOutcome | undefined): string {
  switch (outcome?.kind) {
    case 'deleted':
      return 'deleted';
    case 'replicated':
      return 'not deleted: replicas remain, retry in a few hours';
    case 'gone':
      return 'already deleted';
    case 'failed':
      return `FAILED: ${outcome.reason}`;
    case undefined:
      return 'not attempted';
  }
}

function actionText(row: PlannedVersion, input: RenderInput): string {
  if (row.decision.action === 'keep') return keepText(row.decision.reason, input.keep);
  if (input.mode === 'list') return 'prunable';
  if (input.mode === 'dry-run') return 'would delete (dry run)';
  return outcomeText(input.outcomes.get(row.version));
}

/** `2026-12-03T10:12:44.123+0000` (Lambda's form) as `2026-12-03 10:12`; anything else as given. */
function when(lastModified: string): string {
  const ms = Date.parse(lastModified.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? lastModified : new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KiB`;
}

function usedBy(row: PlannedVersion, stackName: string | undefined): string[] {
  const lines = row.usedBy.map((a) => `${a.distributionId} ${a.behaviour} (${a.eventType})`);
  if (row.inStack) lines.push(`stack ${stackName ?? '?'}`);
  return lines.length === 0 ? ['-'] : lines;
}

/** Rows of cells, where a cell may hold several lines; columns padded to their widest line. */
function table(rows: readonly (readonly (readonly string[])[])[]): string {
  const widths = HEADERS.map((_, c) =>
    Math.max(...rows.map((row) => Math.max(...(row[c] ?? ['']).map((l) => l.length)))),
  );
  const out: string[] = [];
  for (const row of rows) {
    const height = Math.max(...row.map((cell) => cell.length));
    for (let line = 0; line < height; line += 1) {
      const cells = row.map((cell, c) => (cell[line] ?? '').padEnd(c === row.length - 1 ? 0 : (widths[c] ?? 0)));
      out.push(cells.join('  ').trimEnd());
    }
  }
  return `${out.join('\n')}\n`;
}

export function renderPlan(input: RenderInput): string {
  const rows = input.plan.map((row) => [
    [row.version],
    [when(row.lastModified)],
    [row.codeSha256 === '' ? '-' : `${row.codeSha256.slice(0, 12)}…`],
    [size(row.codeSizeBytes)],
    usedBy(row, input.stackName),
    [actionText(row, input)],
  ]);
  return table([HEADERS.map((h) => [h]), ...rows]);
}

/** The closing lines: what was (or would be) deleted, and what to do next. */
export function renderSummary(input: RenderInput): string {
  const prunable = input.plan.filter((v) => v.decision.action === 'delete');
  const inUse = input.plan.filter((v) => v.usedBy.length > 0).length;
  const head = `${input.plan.length} versions (with $LATEST), ${inUse} in use by CloudFront.`;
  if (prunable.length === 0) return `${head} Nothing to prune (keeping the newest ${input.keep}).\n`;
  if (input.mode === 'list') {
    return `${head} ${prunable.length} prunable: "edgepass versions prune" shows the plan, "--yes" deletes them.\n`;
  }
  if (input.mode === 'dry-run') {
    return `${head} Dry run: nothing was deleted; ${prunable.length} would be. Run again with --yes to delete them.\n`;
  }
  const count = (kind: DeleteOutcome['kind']) => [...input.outcomes.values()].filter((o) => o.kind === kind).length;
  const lines = [`${head} Deleted ${count('deleted') + count('gone')} of ${prunable.length}.`];
  if (count('replicated') > 0) {
    lines.push(
      `${count('replicated')} still replicated: CloudFront removes replicas a few hours after the last association ` +
        'is removed; run the same prune again later.',
    );
  }
  if (count('failed') > 0) lines.push(`${count('failed')} FAILED: see the ACTION column.`);
  return `${lines.join('\n')}\n`;
}
