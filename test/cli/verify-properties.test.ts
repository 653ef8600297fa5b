// Properties of sign-url + verify, run in-process through cli/main.ts (the same code the binary runs) so that
// hundreds of cases stay fast: any changed character of a signed URL is rejected, and a signature is never echoed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main } from '../../cli/main.ts';
import type { Io } from '../../cli/io.ts';
import { useTempDir, writeKeyPair } from './run.ts';
import type { KeyFiles } from './run.ts';

const KEY_ID = 'K2JCJMDEHXQW5F';
const EXPIRES = 1_900_000_000;
const NOW_MS = (EXPIRES - 600) * 1000;

let keys: Record<'rsa' | 'ec', KeyFiles>;

const tmp = useTempDir((dir) => {
  keys = { rsa: writeKeyPair(dir, 'rsa', 'rsa'), ec: writeKeyPair(dir, 'ec', 'ec') };
});

async function cli(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = {
    out: (text) => (out += text),
    err: (text) => (err += text),
    cwd: tmp.dir,
    env: {},
    nowMs: () => NOW_MS,
    interrupted: () => new Promise<void>(() => undefined),
  };
  const code = await main(args, io);
  return { code, out, err };
}

async function sign(kind: 'rsa' | 'ec', extra: readonly string[]): Promise<string> {
  const url = 'https://media.example.com/attractions/giants-causeway/seg-001.ts?v=2';
  const args = ['sign-url', url, '--key-pair-id', KEY_ID, '--private-key', keys[kind].privatePath, ...extra];
  const result = await cli([...args, '--expires', String(EXPIRES)]);
  expect(result.code).toBe(0);
  return result.out.trim();
}

const verifyArgs = (kind: 'rsa' | 'ec') => [
  '--public-key',
  `${KEY_ID}=${keys[kind].publicPath}`,
  '--ip',
  '203.0.113.5',
];
const urlChar = fc.constantFrom(...'abcXYZ019-_~.%&=?/:'.split(''));

describe('verify (properties)', () => {
  it.each([
    { kind: 'rsa' as const, extra: [] },
    { kind: 'rsa' as const, extra: ['--ip', '203.0.113.0/24', '--hash', 'SHA256'] },
    { kind: 'ec' as const, extra: ['--starts', String(EXPIRES - 3600)] },
  ])('rejects a $kind signed URL with any one character changed ($extra)', async ({ kind, extra }) => {
    const signed = await sign(kind, extra);
    expect((await cli(['verify', signed, ...verifyArgs(kind)])).code).toBe(0);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: signed.length - 1 }), urlChar, async (index, char) => {
        fc.pre(signed[index] !== char);
        const tampered = `${signed.slice(0, index)}${char}${signed.slice(index + 1)}`;
        // `--` ends the options, so a tampered URL starting with `-` is still the URL, not an option.
        const result = await cli(['verify', ...verifyArgs(kind), '--', tampered]);
        expect(result.code).toBe(1);
        expect(result.out).toMatch(/^INVALID: cf_[a-z_]+: /m);
      }),
      { numRuns: 150 },
    );
  });

  it('never prints more than six characters of the signature', async () => {
    const signed = await sign('rsa', []);
    const signature = new URL(signed).searchParams.get('Signature') ?? '';
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: EXPIRES - 10_000, max: EXPIRES + 10_000 }), async (now) => {
        const result = await cli(['verify', signed, ...verifyArgs('rsa'), '--now', String(now)]);
        expect(result.code).toBe(now < EXPIRES ? 0 : 1);
        expect(result.out + result.err).not.toContain(signature.slice(0, 7));
      }),
      { numRuns: 30 },
    );
  });
});
