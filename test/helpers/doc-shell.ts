// Runs doc examples in bash as a reader would, with `edgepass` (and `npx edgepass`) bound to this checkout's binary,
// and splits the output per command. Loopback only: a doc example is never allowed to reach further.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT } from './doc-examples.ts';

const BIN = resolve(ROOT, 'bin/edgepass.mjs');
const MARK = '@@edgepass-doc-step';

/** Shell functions defined before the examples run: the CLI from this checkout, and nothing else through npx. */
const PRELUDE = `
edgepass() { "$EDGEPASS_DOC_NODE" "$EDGEPASS_DOC_BIN" "$@"; }
npx() { if [ "$1" = edgepass ]; then shift; edgepass "$@"; else echo "doc test: npx $1 is not allowed" >&2; return 127; fi; }
`;

export interface ShellRun {
  /** stdout of each command, split into lines (a final empty line dropped). */
  readonly outputs: readonly (readonly string[])[];
  readonly stderr: string;
}

export function runInBash(
  commands: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
  prelude = '',
): Promise<ShellRun> {
  const script = [PRELUDE, prelude, ...commands.flatMap((c, i) => [`printf '%s\\n' '${MARK} ${String(i)}'`, c])];
  const child = spawn('bash', ['--noprofile', '--norc', '-c', script.join('\n')], {
    cwd,
    env: { ...process.env, ...env, EDGEPASS_DOC_NODE: process.execPath, EDGEPASS_DOC_BIN: BIN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((done, fail) => {
    child.once('error', fail);
    child.once('close', () => {
      const outputs = commands.map((_, i) => {
        const start = stdout.indexOf(`${MARK} ${String(i)}\n`);
        const next = stdout.indexOf(`${MARK} ${String(i + 1)}\n`);
        if (start < 0) return [];
        const text = stdout.slice(start + `${MARK} ${String(i)}\n`.length, next < 0 ? undefined : next);
        const lines = text.split('\n');
        if (lines.at(-1) === '') lines.pop();
        return lines;
      });
      done({ outputs, stderr });
    });
  });
}
