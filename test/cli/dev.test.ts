// `edgepass dev` end to end: the real binary starts the local stack on the ports of `npm start`'s variables, and what
// `token`, `sign-url` and `sign-cookies` print is accepted by it (tampering is not); a taken port is one line naming
// its variable; Ctrl-C (SIGINT) stops it cleanly with exit code 0.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, isListening, listening, occupy } from '../helpers/ports.ts';
import { BIN, runCli, tempDir } from './run.ts';

const MEDIA = '/attractions/giants-causeway/waves.m4a';

let dir: string;
let remove: () => void;
let child: ChildProcess;
let cdn: string;
let banner = '';
let stderr = '';
let ports: { PORT: number; S3_PORT: number; API_PORT: number; IDP_PORT: number };
let childEnv: NodeJS.ProcessEnv;
const APP_ORIGIN = 'http://localhost:3000';

function waitForBanner(proc: ChildProcess): Promise<string> {
  return new Promise((resolveUrl, reject) => {
    let out = '';
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /CDN \(.*?\)\s+(http:\/\/localhost:\d+)/.exec(out)?.[1];
      banner = out;
      if (url !== undefined && out.includes('Press Ctrl-C')) resolveUrl(url);
    });
    proc.once('exit', (code) => {
      reject(new Error(`edgepass dev exited early with ${String(code)}: ${stderr.slice(-500)}`));
    });
  });
}

beforeAll(async () => {
  ({ dir, remove } = tempDir());
  const [PORT = 0, S3_PORT = 0, API_PORT = 0, IDP_PORT = 0] = await freePorts(4);
  ports = { PORT, S3_PORT, API_PORT, IDP_PORT };
  const env = { ...process.env, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
  childEnv = { ...env, APP_ORIGINS: APP_ORIGIN };
  child = spawn(process.execPath, [BIN, 'dev'], {
    cwd: dir,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
  it('listens where PORT, S3_PORT, API_PORT and IDP_PORT say, and allows APP_ORIGINS, as npm start does', async () => {
    expect(cdn).toBe(`http://localhost:${String(ports.PORT)}`);
    expect(banner).toContain(`http://127.0.0.1:${String(ports.S3_PORT)}`);
    expect(banner).toContain(`http://127.0.0.1:${String(ports.API_PORT)}`);
    expect(banner).toContain(`http://127.0.0.1:${String(ports.IDP_PORT)}`);
    expect(banner).toMatch(new RegExp(`app origins allowed \\(APP_ORIGINS\\)\\s+${APP_ORIGIN}\n`));
    expect(await listening(Object.values(ports))).toEqual(Object.values(ports));
  });

  it('says in one line which variable to change when its port is taken, and exits 1', async () => {
    const [free = 0] = await freePorts(1);
    const blocker = await occupy(free);
    try {
      const viaEnv = await runCli(['dev'], dir, { PORT: String(free) });
      expect(viaEnv.code).toBe(1);
      expect(viaEnv.stderr).toBe(
        `edgepass dev: port ${String(free)} (PORT) is in use on 127.0.0.1; set PORT to a free port, or 0 to pick one\n`,
      );
      // --port wins over PORT.
      const viaOption = await runCli(['dev', '--port', String(free)], dir, { PORT: String(ports.PORT) });
      expect(viaOption.code).toBe(1);
      expect(viaOption.stderr).toContain(`port ${String(free)} (PORT) is in use`);
      const bad = await runCli(['dev'], dir, { S3_PORT: 'four' });
      expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('S3_PORT must be a port number') });
    } finally {
      await blocker.close();
    }
  });

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

  // `npx edgepass dev` runs the CLI under `sh -c`, and npm's SIGTERM ends that shell only: the CLI notices that its
  // parent is gone and stops as on a signal, rather than serving on, orphaned. Same ports and folder: no new synthesis.
  it('stops when the shell it runs under is gone, as under npx', async () => {
    const shell = spawn('sh', ['-c', '"$0" "$1" dev; true', process.execPath, BIN], {
      cwd: dir,
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await waitForBanner(shell).catch(() => undefined);
    expect(await isListening(ports.PORT)).toBe(true);
    shell.kill('SIGTERM');
    let open = true;
    for (let i = 0; i < 100 && open; i += 1) {
      await new Promise((done) => setTimeout(done, 200));
      open = await isListening(ports.PORT);
    }
    expect(open).toBe(false);
  }, 120_000);
});
