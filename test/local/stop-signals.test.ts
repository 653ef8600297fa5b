// Stopping on SIGINT/SIGTERM (local/stop-signals.ts), with a stand-in for `process` and a frozen clock: the first
// signal stops the stack and exits 0, a duplicate delivery is ignored, a later signal or a hung stop forces exit 1.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { stopOnSignals } from '../../local/stop-signals.ts';

function harness(stop: () => Promise<void>) {
  const source = new EventEmitter();
  const exits: number[] = [];
  const lines: string[] = [];
  const clock = { nowMs: 1_000_000 };
  const stops = vi.fn(stop);
  stopOnSignals({
    source: {
      on: (signal, listener) =>
        source.on(signal, () => {
          listener(signal);
        }),
    },
    stop: stops,
    exit: (code) => exits.push(code),
    log: (line) => lines.push(line),
    nowMs: () => clock.nowMs,
  });
  return { source, exits, lines, clock, stops };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('stopping on signals', () => {
  it.each(['SIGINT', 'SIGTERM'])('stops every server on %s, then exits 0', async (signal) => {
    const h = harness(() => Promise.resolve());
    h.source.emit(signal);
    await settle();
    expect(h.stops).toHaveBeenCalledOnce();
    expect(h.exits).toEqual([0]);
    expect(h.lines).toEqual([`${signal}: stopping the local stack...`, 'stopped.']);
  });

  it('treats a second signal within a second as the same request (Ctrl-C reaches npm and the stack)', async () => {
    let finish: () => void = () => undefined;
    const h = harness(
      () =>
        new Promise<void>((resolve) => {
          finish = resolve;
        }),
    );
    h.source.emit('SIGINT');
    h.clock.nowMs += 50;
    h.source.emit('SIGINT');
    expect(h.stops).toHaveBeenCalledOnce();
    expect(h.exits).toEqual([]);
    finish();
    await settle();
    expect(h.exits).toEqual([0]);
  });

  it('exits at once, with 1, on a signal after the first second of a stop', () => {
    const h = harness(() => new Promise<void>(() => undefined));
    h.source.emit('SIGTERM');
    h.clock.nowMs += 1_500;
    h.source.emit('SIGINT');
    expect(h.exits).toEqual([1]);
    expect(h.lines.at(-1)).toContain('SIGINT again');
  });

  it('gives up on a stop that hangs for 10 s', () => {
    const h = harness(() => new Promise<void>(() => undefined));
    h.source.emit('SIGTERM');
    vi.advanceTimersByTime(9_999);
    expect(h.exits).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(h.exits).toEqual([1]);
  });

  it('exits 1 when a server fails to close', async () => {
    const h = harness(() => Promise.reject(new Error('close failed')));
    h.source.emit('SIGTERM');
    await settle();
    expect(h.exits).toEqual([1]);
  });
});
