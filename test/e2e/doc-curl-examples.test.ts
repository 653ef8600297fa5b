// The shell examples of README.md, docs/local-stack.md and docs/cli.md run against a started stack: their variable
// assignments and curl commands run in bash, as written (http://localhost:8080 is pointed at the test stack), and a
// `curl -i` whose comment starts with a status (`# 403 no_ticket`) must get that status, and the reason code its body
// names (the JSON `reason`, or the code on the HTML page: not a header, whose words differ, e.g. insufficient_scope).
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fencedBlocks, logicalLines } from '../helpers/doc-examples.ts';
import type { Block } from '../helpers/doc-examples.ts';
import { runInBash } from '../helpers/doc-shell.ts';
import { tempDir } from '../cli/run.ts';
import { startTestStack } from './stack-fixture.ts';
import type { TestStack } from './stack-fixture.ts';

const DOCS = ['README.md', 'docs/local-stack.md', 'docs/cli.md'];
const HAS_TOOLS = ['bash', 'curl'].every((tool) => spawnSync(tool, ['--version']).status === 0);
if (!HAS_TOOLS && process.env['CI'] === undefined) {
  console.warn('doc examples: bash or curl is missing, skipping (in CI this fails)');
}

/** curl, with the docs' CDN address turned into the test stack's. */
const CURL_TO_TEST_STACK = `
curl() {
  local args=() arg
  for arg in "$@"; do args+=("\${arg//http:\\/\\/localhost:8080/$EDGEPASS_DOC_CDN}"); done
  command curl --silent --max-time 20 "\${args[@]}"
}
`;

interface Line {
  readonly command: string;
  /** From a `# 302 …` / `# 403 no_ticket` comment. */
  readonly expect?: { readonly status: number; readonly reason?: string };
}

/** The runnable lines of a block: assignments and curl commands; `npm start`, `open` and the like are the reader's. */
function runnable(block: Block): Line[] {
  return logicalLines(block.lines).flatMap((text): Line[] => {
    const [, command = text, comment = ''] = /^(.*?)\s{2,}#\s*(.*)$/s.exec(text) ?? [];
    if (!/^(curl\s|[A-Z_]+=)/.test(command)) return [];
    const status = /^(\d{3})\b(?:\s+([a-z]+(?:_[a-z]+)+))?/.exec(comment);
    if (status === null) return [{ command }];
    const reason = status[2];
    return [{ command, expect: { status: Number(status[1]), ...(reason === undefined ? {} : { reason }) } }];
  });
}

/** The reason code in a `curl -i` answer's body: `reason` of the JSON apps get, or the code on the HTML page. */
function reasonIn(output: readonly string[]): string | undefined {
  const blank = output.findIndex((l) => l.trim() === '');
  const body = blank < 0 ? '' : output.slice(blank + 1).join('\n');
  try {
    const parsed = JSON.parse(body) as { reason?: unknown };
    if (typeof parsed.reason === 'string') return parsed.reason;
  } catch {
    // not JSON: the HTML page names the code
  }
  return /Code: <code>([a-z_]+)<\/code>/.exec(body)?.[1];
}

const blocks = DOCS.flatMap(fencedBlocks)
  .filter((b) => ['sh', 'bash', ''].includes(b.lang))
  .map((block) => ({ where: `${block.file}:${String(block.line)}`, lines: runnable(block) }))
  .filter((b) => b.lines.some((line) => line.expect !== undefined));

let stack: TestStack;

beforeAll(async () => {
  if (HAS_TOOLS) stack = await startTestStack();
}, 180_000);

afterAll(async () => {
  if (HAS_TOOLS) await stack.stop();
});

describe.skipIf(!HAS_TOOLS && process.env['CI'] === undefined)('shell examples in the docs', () => {
  it('has examples with expected statuses in every doc', () => {
    for (const file of DOCS)
      expect(
        blocks.some((b) => b.where.startsWith(`${file}:`)),
        file,
      ).toBe(true);
    expect(blocks.flatMap((b) => b.lines.filter((l) => l.expect !== undefined)).length).toBeGreaterThanOrEqual(5);
  });

  it.each(blocks)('$where answers as its comments say', async ({ lines }) => {
    const { dir, remove } = tempDir();
    try {
      const env = { EDGEPASS_DOC_CDN: stack.cdn, EDGEPASS_STATE_DIR: stack.stack.stateDir };
      const run = await runInBash(
        lines.map((l) => l.command),
        dir,
        env,
        CURL_TO_TEST_STACK,
      );
      lines.forEach((line, i) => {
        if (line.expect === undefined) return;
        const output = (run.outputs[i] ?? []).join('\n');
        const context = `${line.command}\n${output.slice(0, 600)}\n${run.stderr.slice(-600)}`;
        expect(line.command, 'a line with an expected status uses curl -i').toMatch(/^curl\s+(.*\s)?-i\s/);
        expect(/^HTTP\/[\d.]+ (\d{3})/.exec(output)?.[1], context).toBe(String(line.expect.status));
        if (line.expect.reason !== undefined) expect(reasonIn(run.outputs[i] ?? []), context).toBe(line.expect.reason);
      });
    } finally {
      remove();
    }
  });
});
