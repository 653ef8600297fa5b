// `edgepass smoke` through the real binary against the local stack (one start for the file): every step passes with
// a ticketed token; a token without the ticket, or one holding the "other" attraction too, fails the rows that say
// so; and no output ever holds the token, a CloudFront signature or a presigned URL.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devToken, startTestStack } from '../e2e/stack-fixture.ts';
import type { TestStack } from '../e2e/stack-fixture.ts';
import { BIN, tempDir } from './run.ts';
import type { CliResult } from './run.ts';

const GIANTS = 'giants-causeway';
const TITANIC = 'titanic-belfast';

let t: TestStack;
let dir: string;
let remove: () => void;
let token: string;
const outputs: string[] = [];

beforeAll(async () => {
  ({ dir, remove } = tempDir());
  t = await startTestStack();
  token = await devToken(t.cdn, 'smoke', [GIANTS]);
});
afterAll(async () => {
  await t.stop();
  remove();
});

/** The binary with the token in EDGEPASS_SMOKE_TOKEN (as an operator would pass it), its output kept. */
function smoke(args: readonly string[], smokeToken: string): Promise<CliResult> {
  const env = { ...process.env, EDGEPASS_SMOKE_TOKEN: smokeToken };
  return new Promise((done) => {
    execFile(process.execPath, [BIN, 'smoke', ...args], { cwd: dir, env, timeout: 60_000 }, (error, stdout, stderr) => {
      outputs.push(stdout, stderr);
      done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

const full = () => [
  '--url',
  t.cdn,
  '--attraction',
  GIANTS,
  '--other-attraction',
  TITANIC,
  '--upload-purpose',
  'passport',
];

interface JsonRow {
  step: string;
  got: string;
  result: string;
}
const rowsOf = (result: CliResult): JsonRow[] => (JSON.parse(result.stdout) as { steps: JsonRow[] }).steps;
const row = (rows: readonly JsonRow[], step: string) => rows.find((r) => r.step === step);

const STEPS = [
  'public file',
  'protected, no credentials',
  'bearer → signed URL',
  'signed URL → bytes',
  'signed URL, one char changed',
  'session → cookies',
  'cookies → bytes',
  'grant → cookies',
  'grant cookies → bytes',
  'other attraction, bearer',
  'other attraction, cookies',
  'upload: request',
  'upload: send bytes',
  'upload: presigned GET',
  'upload: bytes back',
  'upload: delete',
  'upload: gone',
  'sign-out',
];

describe('edgepass smoke against the local stack', () => {
  it('passes every step with a ticketed token and exits 0, printing a table', async () => {
    const result = await smoke(['--url', t.cdn.replace('localhost', '127.0.0.1'), ...full().slice(2)], token);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    for (const step of STEPS) {
      expect(lines.find((line) => line.startsWith(`${step}  `))).toMatch(/ PASS$/);
    }
    expect(result.stdout).toContain(`OK: ${String(STEPS.length)} passed, 0 failed, 0 skipped`);
  });

  it('passes with --json, a token file and a form upload', async () => {
    const file = join(dir, 'token.txt');
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    const args = [...full(), '--upload-method', 'POST', '--upload-type', 'image/jpeg', '--json'];
    const result = await smoke([...args, '--token-file', file], 'ignored.when.file');
    expect(result.code).toBe(0);
    const rows = rowsOf(result);
    expect(rows.map((r) => r.step)).toEqual(STEPS);
    expect(rows.every((r) => r.result === 'PASS')).toBe(true);
    expect(row(rows, 'upload: send bytes')?.got).toMatch(/^204, \d+ B$/);
    expect(row(rows, 'upload: bytes back')?.got).toMatch(/^200 image\/jpeg, \d+ B, same bytes$/);
  });

  it('fails the protected rows, and exits 1, for a token without the ticket', async () => {
    const result = await smoke([...full(), '--json'], await devToken(t.cdn, 'smoke', [TITANIC]));
    expect(result.code).toBe(1);
    const rows = rowsOf(result);
    const failed = rows.filter((r) => r.result === 'FAIL').map((r) => [r.step, r.got]);
    expect(failed).toEqual([
      ['bearer → signed URL', '403 no_ticket'],
      ['session → cookies', '403 no_ticket'],
      ['grant → cookies', '403 no_ticket'],
      ['other attraction, bearer', '302: the token has a ticket for it'],
    ]);
    expect(row(rows, 'signed URL → bytes')).toMatchObject({ result: 'SKIP', got: 'skipped: no signed URL' });
    expect(row(rows, 'upload: bytes back')?.result).toBe('PASS');
  });

  it('fails only the other-attraction row when the token holds that ticket too', async () => {
    const result = await smoke([...full(), '--json'], await devToken(t.cdn, 'smoke', [GIANTS, TITANIC]));
    expect(result.code).toBe(1);
    const failed = rowsOf(result).filter((r) => r.result !== 'PASS');
    expect(failed).toEqual([
      expect.objectContaining({
        step: 'other attraction, bearer',
        result: 'FAIL',
        got: '302: the token has a ticket for it',
      }),
    ]);
  });

  it('never prints the token, a CloudFront signature or a presigned URL', async () => {
    const signatures = async () => {
      const signed = await fetch(`${t.cdn}/attractions/${GIANTS}/index.html`, {
        headers: { authorization: `Bearer ${token}` },
        redirect: 'manual',
      });
      const session = await fetch(`${t.cdn}/attractions/${GIANTS}/index.html`, {
        headers: { cookie: `session=${token}` },
        redirect: 'manual',
      });
      const cookies = session.headers
        .getSetCookie()
        .map((line) => /^CloudFront-(?:Signature|Policy)=([^;]+)/.exec(line)?.[1]);
      return [
        new URL(signed.headers.get('location')!).searchParams.get('Signature')!,
        ...cookies.filter((c) => c !== undefined),
      ];
    };
    const before = await signatures();
    const result = await smoke(full(), token);
    const json = await smoke([...full(), '--json', '--upload-method', 'POST'], token);
    const secrets = [...before, ...(await signatures())];
    expect(secrets.length).toBeGreaterThanOrEqual(6);
    expect([result.code, json.code]).toEqual([0, 0]);
    const printed = outputs.join('\n');
    for (const secret of [token, ...secrets]) expect(printed).not.toContain(secret);
    for (const marker of ['Signature=', 'X-Amz-Signature', 'X-Amz-Credential', 'Policy=', t.stack.urls.s3]) {
      expect(printed).not.toContain(marker);
    }
  });
});
