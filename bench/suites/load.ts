// The edge under load: autocannon sends pass-through requests (valid signed cookies and signed URLs, several users
// and objects) to a server in a child process (the local stack, or the fallback), which reports its heap after GC.
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import type { ChildMessage, ParentMessage } from '../load-server.ts';

export interface LoadRequest {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface LoadOptions {
  /** What served the load, stated in the report (the local stack, or the fallback server). */
  readonly target: string;
  /** `stack`: the local stack with its state in `where`; `bundle`: the fallback server running the bundle `where`. */
  readonly server: { readonly mode: 'stack' | 'bundle'; readonly where: string };
  /** Requests for the server's base URL (the stack's signatures cover its own host and port). */
  readonly requestsFor: (baseUrl: string) => Promise<readonly LoadRequest[]>;
  readonly connections: number;
  /** Requests answered before the first heap reading (a count, not seconds: see bench/plan.ts). */
  readonly warmupRequests: number;
  readonly durationSeconds: number;
}

export interface LoadResult {
  readonly target: string;
  readonly connections: number;
  readonly warmupRequests: number;
  readonly durationSeconds: number;
  readonly requestsTotal: number;
  readonly requestsPerSec: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly non2xx: number;
  readonly heapAfterWarmupMb: number;
  readonly heapAfterRunMb: number;
  readonly rssAfterWarmupMb: number;
  readonly rssAfterRunMb: number;
}

const MB = 1024 * 1024;

/** The next message of type `want` from the child; rejects if the child exits first. */
function waitFor(child: ChildProcess, want: ChildMessage['type']): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => {
      reject(new Error(`load server exited early (${String(code)})`));
    };
    const onMessage = (reply: ChildMessage): void => {
      if (reply.type !== want) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(reply);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function memory(child: ChildProcess): Promise<{ heapMb: number; rssMb: number }> {
  const reply = waitFor(child, 'memory');
  child.send({ type: 'memory' } satisfies ParentMessage);
  const message = await reply;
  if (message.type !== 'memory') throw new Error('unexpected reply from the load server');
  return { heapMb: message.heapUsedBytes / MB, rssMb: message.rssBytes / MB };
}

function startServer(server: LoadOptions['server']): { child: ChildProcess; ready: Promise<string> } {
  const child = fork(join(import.meta.dirname, '..', 'load-server.ts'), [server.mode, server.where], {
    execArgv: ['--expose-gc', '--import', import.meta.resolve('tsx')],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = waitFor(child, 'ready').then((m) => (m.type === 'ready' ? m.url : ''));
  return { child, ready };
}

/** Asks the child to stop its servers and waits for it to exit (killing it after 10 s). */
async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  if (child.connected) child.send({ type: 'stop' } satisfies ParentMessage);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { child, ready } = startServer(options.server);
  try {
    const url = await ready;
    const requests = (await options.requestsFor(url)).map((r) => ({ method: 'GET', path: r.path, headers: r.headers }));
    const shared = { url, connections: options.connections, requests };
    // `amount` waits for every answer, so the warm-up ends with nothing in flight.
    await autocannon({ ...shared, amount: options.warmupRequests });
    const before = await memory(child);
    const run = await autocannon({ ...shared, duration: options.durationSeconds });
    const after = await memory(child);
    return {
      target: options.target,
      connections: options.connections,
      warmupRequests: options.warmupRequests,
      durationSeconds: options.durationSeconds,
      requestsTotal: run.requests.total,
      requestsPerSec: run.requests.average,
      latencyP50Ms: run.latency.p50,
      latencyP99Ms: run.latency.p99,
      errors: run.errors,
      timeouts: run.timeouts,
      non2xx: run.non2xx,
      heapAfterWarmupMb: before.heapMb,
      heapAfterRunMb: after.heapMb,
      rssAfterWarmupMb: before.rssMb,
      rssAfterRunMb: after.rssMb,
    };
  } finally {
    await stopServer(child);
  }
}
