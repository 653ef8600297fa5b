// `npm start` as the README runs it (npm, then the stack's own node process): SIGTERM or SIGINT to the npm process,
// or SIGTERM to the stack's process, closes every port and ends npm within seconds; a taken port is one line and
// exit 1, no stack trace. The state folder is a temporary one (EDGEPASS_STATE_DIR), warmed once so starts reuse it.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../../local/start.ts';
import { freePorts, listening, occupy } from '../helpers/ports.ts';

const ROOT = resolve(import.meta.dirname, '../..');
/** Finding the stack's own process reads /proc (Linux). */
const HAS_PROC = existsSync('/proc/self/stat');
/** "Within a few seconds": a clean stop takes well under one on an idle machine. */
const STOP_BUDGET_MS = 8_000;

interface Run {
  readonly npm: ChildProcess;
  readonly ports: readonly number[];
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

let stateDir: string;
const runs: Run[] = [];

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'edgepass-npm-start-'));
  const stack = await startStack({ port: 0, stateDir });
  await stack.stop();
}, 180_000);

afterEach(() => {
  // Whatever a failed test left running goes with its whole process group, even once npm itself has exited.
  for (const run of runs.splice(0)) {
    try {
      if (run.npm.pid !== undefined) process.kill(-run.npm.pid, 'SIGKILL');
    } catch {
      // ESRCH: nothing left in the group.
    }
  }
});

afterAll(async () => {
  await rm(stateDir, { recursive: true, force: true });
});

function npmStart(ports: readonly number[]): Run {
  const [port, s3, api, idp] = ports.map(String);
  const env = { ...process.env, PORT: port, S3_PORT: s3, API_PORT: api, IDP_PORT: idp, EDGEPASS_STATE_DIR: stateDir };
  // Its own process group, so that a failed test can still stop everything it started.
  const npm = spawn('npm', ['start'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const collect = (chunk: Buffer) => {
    text += chunk.toString();
  };
  npm.stdout.on('data', collect);
  npm.stderr.on('data', collect);
  const exited = new Promise<number | null>((done) => {
    npm.once('exit', (code) => {
      done(code);
    });
  });
  const run = { npm, ports, output: () => text, exited };
  runs.push(run);
  return run;
}

async function started(run: Run): Promise<void> {
  for (;;) {
    if (run.output().includes('Press Ctrl-C to stop.')) return;
    if (run.npm.exitCode !== null) throw new Error(`npm start exited early:\n${run.output().slice(-1000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Milliseconds until no port answers, and until npm has exited. */
async function stopTimes(
  run: Run,
  since: number,
): Promise<{ portsClosedMs: number; exitedMs: number; code: number | null }> {
  while ((await listening(run.ports)).length > 0) {
    if (Date.now() - since > STOP_BUDGET_MS) throw new Error(`still listening: ${String(await listening(run.ports))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const portsClosedMs = Date.now() - since;
  const code = await run.exited;
  return { portsClosedMs, exitedMs: Date.now() - since, code };
}

/** The child processes of `pid`, from /proc (Linux). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis.
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('npm start', () => {
  const cases = [
    { signal: 'SIGTERM', to: 'npm' },
    { signal: 'SIGINT', to: 'npm' },
    { signal: 'SIGTERM', to: 'the stack' },
  ] as const;
  it.each(cases.filter((c) => c.to === 'npm' || HAS_PROC))(
    'stops every server on $signal to $to',
    async ({ signal, to }) => {
      const run = npmStart(await freePorts(4));
      await started(run);
      expect(await listening(run.ports)).toEqual(run.ports);
      const npmPid = run.npm.pid ?? 0;
      const target = to === 'npm' ? npmPid : (childrenOf(npmPid)[0] ?? 0);
      expect(target).toBeGreaterThan(0);
      const since = Date.now();
      process.kill(target, signal);
      const times = await stopTimes(run, since);
      expect(times.exitedMs).toBeLessThan(STOP_BUDGET_MS);
      expect(times.code).toBe(0);
      expect(run.output()).toContain(`${signal}: stopping the local stack...\nstopped.`);
    },
    120_000,
  );

  it('exits 1 with one line naming S3_PORT when that port is taken', async () => {
    const ports = await freePorts(4);
    const blocker = await occupy(ports[1] ?? 0);
    try {
      const run = npmStart(ports);
      expect(await run.exited).toBe(1);
      const lines = run
        .output()
        .split('\n')
        .filter((line) => line.startsWith('edgepass'));
      expect(lines).toEqual([
        `edgepass: the local stack could not start: port ${String(ports[1])} (S3_PORT) is in use on 127.0.0.1; set S3_PORT to a free port, or 0 to pick one`,
      ]);
      expect(run.output()).not.toMatch(/^\s+at /m);
      expect(await listening(ports.filter((p) => p !== ports[1]))).toEqual([]);
    } finally {
      await blocker.close();
    }
  }, 120_000);
});
