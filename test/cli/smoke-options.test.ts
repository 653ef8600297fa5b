// `edgepass smoke`'s command line, in-process through cli/main.ts: every mistake exits 2 naming the option, never
// echoing a value (it may be the token); the token comes from one source; an unreachable target exits 1.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Io } from '../../cli/io.ts';
import { main } from '../../cli/main.ts';
import { useTempDir } from './run.ts';

const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJzbW9rZSIsImV4cCI6MTkwMDAwMDYwMH0.U2VjcmV0U2lnbmF0dXJlMDEyMzQ1';
const NOW_MS = 1_900_000_000_000;
const BASE = ['smoke', '--url', 'https://cdn.example.test', '--attraction', 'giants-causeway'];

const tmp = useTempDir((dir) => {
  writeFileSync(join(dir, 'token.txt'), `${TOKEN}\n`);
});

async function cli(args: readonly string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const io: Io = {
    out: (text) => (out += text),
    err: (text) => (err += text),
    cwd: tmp.dir,
    nowMs: () => NOW_MS,
    env,
    interrupted: () => new Promise<void>(() => undefined),
  };
  const code = await main(args, io);
  return { code, out, err };
}

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

describe('edgepass smoke usage errors exit 2', () => {
  it.each([
    { args: ['smoke', '--attraction', 'a', '--token', TOKEN], says: '--url is required' },
    {
      args: ['smoke', '--url', `http://cdn.example.test/?t=${TOKEN}`],
      says: '--url must use https (http only on loopback)',
    },
    { args: ['smoke', '--url', `https://cdn.example.test/${TOKEN}`], says: '--url must be an origin only' },
    { args: ['smoke', '--url', TOKEN], says: '--url must be an absolute URL' },
    { args: [...BASE], says: 'a token is required: --token-file FILE, EDGEPASS_SMOKE_TOKEN, or --token' },
    { args: [...BASE, '--token', TOKEN, '--token-file', 'token.txt'], says: 'give --token or --token-file, not both' },
    { args: [...BASE, '--token', `x${TOKEN}.x`], says: 'the token from --token is not a JWT' },
    {
      args: [...BASE, '--token-file', 'token.txt', '--attraction', '../x'],
      says: '--attraction must be an attraction id',
    },
    { args: [...BASE, '--token-file', 'token.txt', '--other-attraction', 'giants-causeway'], says: 'must differ' },
    { args: [...BASE, '--token-file', 'token.txt', '--path', 'a/../b'], says: '--path must be a path of URL-safe' },
    { args: [...BASE, '--token-file', 'token.txt', '--prefix', 'attractions'], says: '--prefix must be a path' },
    { args: [...BASE, '--token-file', 'token.txt', '--session-cookie', 'a;b'], says: '--session-cookie must be' },
    {
      args: [...BASE, '--token-file', 'token.txt', '--upload-method', 'PATCH'],
      says: '--upload-method must be one of',
    },
    {
      args: [...BASE, '--token-file', 'token.txt', '--upload-type', 'png'],
      says: '--upload-type must be a media type',
    },
    { args: [...BASE, '--token-file', 'token.txt', '--timeout', '0'], says: '--timeout must be a whole number from 1' },
  ])('$says', async ({ args, says }) => {
    const result = await cli(args, {});
    expect(result.code).toBe(2);
    expect(result.err).toContain(says);
    expect(result.out).toBe('');
    expect(result.err).not.toContain(TOKEN.split('.')[2]);
  });

  it('reads the token from EDGEPASS_SMOKE_TOKEN when no option names one', async () => {
    const result = await cli(BASE, { EDGEPASS_SMOKE_TOKEN: 'not a jwt' });
    expect(result.code).toBe(2);
    expect(result.err).toContain('the token from EDGEPASS_SMOKE_TOKEN is not a JWT');
  });

  it('prints its help with exit code 0', async () => {
    const result = await cli(['smoke', '--help']);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^Usage: edgepass smoke --url URL --attraction ID/);
    expect(result.out).toContain('EDGEPASS_SMOKE_TOKEN');
  });
});

describe('edgepass smoke against nothing', () => {
  it('exits 1 with every step failed as no answer, and warns about --token in shell history', async () => {
    const url = `http://127.0.0.1:${String(await closedPort())}`;
    const result = await cli(['smoke', '--url', url, '--attraction', 'giants-causeway', '--token', TOKEN]);
    expect(result.code).toBe(1);
    expect(result.err).toContain('--token lands in shell history');
    expect(result.out).toContain('token: expires in 600 s (read from its claims, not verified; never printed)');
    expect(result.out).toMatch(/^public file +200 +no answer \(ECONNREFUSED\) +\d+ +FAIL$/m);
    expect(result.out).toMatch(/^FAILED: 0 passed, \d+ failed, \d+ skipped$/m);
    expect(result.out + result.err).not.toContain(TOKEN.split('.')[2]);
  });
});
