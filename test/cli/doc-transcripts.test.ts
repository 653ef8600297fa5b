// The `console` transcripts in docs/cli.md are run as written, in bash in a fresh folder (new dev keys), and what
// each command prints must match the doc line for line; `…` in the doc stands for what differs from run to run (key
// ids, signatures, dates, paths). A doc example that stops matching a real run fails here.
import { describe, expect, it } from 'vitest';
import { fencedBlocks, mismatches, transcript } from '../helpers/doc-examples.ts';
import { runInBash } from '../helpers/doc-shell.ts';
import { tempDir } from './run.ts';

const blocks = fencedBlocks('docs/cli.md').filter((b) => b.lang === 'console');

describe('docs/cli.md transcripts', () => {
  it('has transcripts to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(3);
  });

  it.each(blocks.map((b) => ({ where: `${b.file}:${String(b.line)}`, block: b })))(
    '$where prints what the doc shows',
    async ({ block }) => {
      const steps = transcript(block);
      const { dir, remove } = tempDir();
      try {
        const run = await runInBash(
          steps.map((s) => s.command),
          dir,
        );
        steps.forEach((step, i) => {
          expect(mismatches(step.expected, run.outputs[i] ?? []), `$ ${step.command}\n${run.stderr}`).toEqual([]);
        });
      } finally {
        remove();
      }
    },
  );
});
