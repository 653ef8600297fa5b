// Knows when a load server's process has gone quiet: every node:http server in it (the CDN, the S3 gate, s3rver, the
// function URL) reports its requests on diagnostics_channel, so a heap reading can wait out the requests in flight.
// Bench only; nothing here answers a request.
import { subscribe } from 'node:diagnostics_channel';
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export interface IdleOptions {
  /** How long no request may have started or ended before the process counts as idle. */
  readonly quietMs: number;
  /** When to give up waiting (the caller reads anyway; a busy reading can only make growth look larger). */
  readonly maxWaitMs: number;
}

export interface HttpIdle {
  /** Resolves with the number of requests still open: 0 once idle, more if `maxWaitMs` passed first. */
  settled(options: IdleOptions): Promise<number>;
}

/**
 * Counts open server responses. A response closes as soon as its client goes away, which autocannon does mid-request
 * when its duration ends, while the handler may still be forwarding to the next hop: hence a quiet window as well as
 * a zero count (the next hop is a request of its own, in this process, and starts within the window).
 */
export function trackHttpIdle(nowMs: () => number = () => performance.now()): HttpIdle {
  let open = 0;
  let lastChangeMs = nowMs();
  const changed = (by: number) => {
    open += by;
    lastChangeMs = nowMs();
  };
  subscribe('http.server.request.start', (message) => {
    changed(1);
    (message as { response: ServerResponse }).response.once('close', () => {
      changed(-1);
    });
  });
  return {
    async settled({ quietMs, maxWaitMs }) {
      const deadline = nowMs() + maxWaitMs;
      while (nowMs() < deadline) {
        if (open === 0 && nowMs() - lastChangeMs >= quietMs) return 0;
        await sleep(Math.min(quietMs, 50));
      }
      return open;
    },
  };
}
