// Reads the examples out of the docs so tests can run them: fenced blocks, `$ command` transcripts with their output
// (`…` stands for text that differs from run to run), and shell lines whose comment states the expected status.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface Block {
  readonly file: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  readonly lines: readonly string[];
}

export function fencedBlocks(file: string): Block[] {
  const text = readFileSync(resolve(ROOT, file), 'utf8').split('\n');
  const blocks: Block[] = [];
  let open: { line: number; lang: string; lines: string[] } | undefined;
  text.forEach((raw, index) => {
    const fence = /^```(\S*)\s*$/.exec(raw);
    if (open === undefined && fence !== null) open = { line: index + 1, lang: fence[1] ?? '', lines: [] };
    else if (open !== undefined && raw.startsWith('```')) {
      blocks.push({ file, ...open });
      open = undefined;
    } else open?.lines.push(raw);
  });
  return blocks;
}

/** Joins `\`-continued lines into one command line each. */
export function logicalLines(lines: readonly string[]): string[] {
  const joined: string[] = [];
  let pending = '';
  for (const line of lines) {
    if (line.endsWith('\\')) pending += `${line.slice(0, -1)}\n`;
    else {
      joined.push(pending + line);
      pending = '';
    }
  }
  if (pending !== '') joined.push(pending);
  return joined;
}

export interface Step {
  readonly command: string;
  readonly expected: readonly string[];
}

/** A `console` block: `$ command` lines (continued with `\`), each followed by the output it prints. */
export function transcript(block: Block): Step[] {
  const steps: { command: string; expected: string[] }[] = [];
  for (const line of logicalLines(block.lines)) {
    if (line.startsWith('$ ')) steps.push({ command: line.slice(2), expected: [] });
    else if (steps.length > 0) steps[steps.length - 1]?.expected.push(line);
    else throw new Error(`${block.file}:${String(block.line)}: a transcript starts with "$ "`);
  }
  for (const step of steps) while (step.expected.at(-1) === '') step.expected.pop();
  return steps;
}

/** An expected output line as a pattern: `…` is any run of characters (the real output may print `…` too). */
export function linePattern(expected: string): RegExp {
  const parts = expected.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`);
}

/** Output lines that do not match, as "expected / actual" pairs; a different count is a mismatch too. */
export function mismatches(expected: readonly string[], actual: readonly string[]): string[] {
  const problems: string[] = [];
  const count = Math.max(expected.length, actual.length);
  for (let i = 0; i < count; i += 1) {
    const want = expected[i];
    const got = actual[i];
    if (want === undefined || got === undefined || !linePattern(want).test(got)) {
      problems.push(`line ${String(i + 1)}:\n  doc: ${want ?? '(nothing)'}\n  run: ${got ?? '(nothing)'}`);
    }
  }
  return problems;
}
