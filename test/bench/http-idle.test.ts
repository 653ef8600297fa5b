// The load server's idle wait: a heap reading must not start while a request is still being answered.
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { trackHttpIdle } from '../../bench/http-idle.ts';

const idle = trackHttpIdle();
let server: Server | undefined;

/** A loopback server that holds every response until the test releases it. */
async function holdingServer(): Promise<{ url: string; held: Promise<ServerResponse> }> {
  let hold: (res: ServerResponse) => void = () => undefined;
  const held = new Promise<ServerResponse>((resolve) => (hold = resolve));
  server = createServer((_req, res) => {
    hold(res);
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${String(port)}/`, held };
}

afterEach(async () => {
  const running = server;
  server = undefined;
  if (running === undefined) return;
  running.closeAllConnections();
  await new Promise((resolve) => running.close(resolve));
});

describe('trackHttpIdle', () => {
  it('settles only after the open response has ended and the quiet window has passed', async () => {
    const { url, held } = await holdingServer();
    const answered = fetch(url).then((r) => r.text());
    const res = await held;
    let ended = false;
    const settled = idle.settled({ quietMs: 50, maxWaitMs: 10_000 }).then((open) => ({ open, ended }));
    setTimeout(() => {
      ended = true;
      res.end('done');
    }, 100);
    expect(await settled).toEqual({ open: 0, ended: true });
    expect(await answered).toBe('done');
  });

  it('reports the requests still open when the wait runs out', async () => {
    const { url, held } = await holdingServer();
    const answered = fetch(url).then((r) => r.text());
    const res = await held;
    expect(await idle.settled({ quietMs: 50, maxWaitMs: 200 })).toBe(1);
    res.end('late');
    expect(await answered).toBe('late');
  });
});
