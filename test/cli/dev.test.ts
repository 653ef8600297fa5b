// `edgepass dev` end to end: the real binary starts the local stack, and what `token`, `sign-url` and `sign-cookies`
// print is accepted by it (tampering is not); Ctrl-C (SIGINT) stops it cleanly with exit code 0.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, tempDir } from './run.ts';

const MEDIA = '/attractions/giants-causeway/waves.m4a';

let dir: string;
let remove: () => void;
let child: ChildProcess;
let cdn: string;
let stderr = '';

function waitForBanner(proc: ChildProcess): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    let out = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /CDN \(.*?\)\s+(http:\/\/localhost:\d+)/.exec(out)?.[1];
      if (url !== undefined && out.includes('Press Ctrl-C')) resolveUrl(url);
    });
    proc.once('exit', (code) => {
      reject(new Error(`edgepass dev exited early with ${String(code)}: ${stderr.slice(-500)}`));
    });
  });
}

beforeAll(async () => {
  ({ dir, remove } = tempDir());
  child = spawn(process.execPath, [BIN, 'dev', '--port', '0'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  cdn = await waitForBanner(child);
});

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  remove();
});

const status = async (url: string, headers: Record<string, string> = {}) =>
  (await fetch(url, { headers, redirect: 'manual' })).status;

describe('edgepass dev', () => {
  it('accepts a token from edgepass token: a redirect to a signed URL that then serves the file', async () => {
    const token = (await runCli(['token', '--sub', 'alice', '--tickets', 'giants-causeway'], dir)).stdout.trim();
    const response = await fetch(`${cdn}${MEDIA}`, {
      headers: { authorization: `Bearer ${token}` },
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    const location = response.headers.get('location') ?? '';
    expect(location).toContain('Signature=');
    expect(await status(new URL(location, cdn).href)).toBe(200);
    const other = (await runCli(['token', '--sub', 'bob', '--tickets', 'titanic-belfast'], dir)).stdout.trim();
    expect(await status(`${cdn}${MEDIA}`, { authorization: `Bearer ${other}` })).toBe(403);
  });

  it('serves a URL from edgepass sign-url and refuses it once tampered', async () => {
    const signed = (await runCli(['sign-url', `${cdn}${MEDIA}`, '--ttl', '60'], dir)).stdout.trim();
    expect(await status(signed)).toBe(200);
    expect(await status(signed.replace('Expires=', 'Expires=1'))).toBe(403);
  });

  it('serves a path under the pattern of edgepass sign-cookies', async () => {
    const args = ['sign-cookies', `${cdn}/attractions/giants-causeway/*`, '--format', 'header'];
    const cookie = (await runCli(args, dir)).stdout.trim();
    expect(await status(`${cdn}${MEDIA}`, { cookie })).toBe(200);
  });

  it('stops on SIGINT with exit code 0', async () => {
    const exited = new Promise<number | null>((done) => child.once('exit', done));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toContain('stopped.');
  });
});
