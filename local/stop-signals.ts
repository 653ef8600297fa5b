// Stops the local stack on SIGINT or SIGTERM. One request to stop can arrive twice: Ctrl-C reaches the terminal's
// whole process group (npm and this process), and npm also forwards SIGINT and SIGTERM to its script. The first
// signal closes every server and exits 0; a repeat within `repeatMs` is that same request; a later one, or a stop
// that takes longer than `forceAfterMs`, exits at once (1) rather than leave the user waiting.

type StopSignal = 'SIGINT' | 'SIGTERM';

export interface SignalSource {
  on(signal: StopSignal, listener: (signal: StopSignal) => void): unknown;
}

export interface StopOnSignalsOptions {
  /** `process`, or a stand-in in tests. */
  readonly source: SignalSource;
  readonly stop: () => Promise<void>;
  readonly exit: (code: number) => void;
  readonly log: (line: string) => void;
  readonly nowMs: () => number;
  /** A second signal this soon after the first is the same request (default 1000 ms). */
  readonly repeatMs?: number;
  /** A stop still running after this long is abandoned (default 10,000 ms). */
  readonly forceAfterMs?: number;
}

export function stopOnSignals(options: StopOnSignalsOptions): void {
  const { source, stop, exit, log, nowMs } = options;
  const repeatMs = options.repeatMs ?? 1_000;
  const forceAfterMs = options.forceAfterMs ?? 10_000;
  let firstAtMs: number | undefined;
  const onSignal = (signal: StopSignal) => {
    if (firstAtMs === undefined) {
      firstAtMs = nowMs();
      log(`${signal}: stopping the local stack...`);
      setTimeout(() => {
        log(`the local stack did not stop within ${String(forceAfterMs)} ms: exiting anyway`);
        exit(1);
      }, forceAfterMs).unref();
      stop().then(
        () => {
          log('stopped.');
          exit(0);
        },
        () => {
          exit(1);
        },
      );
    } else if (nowMs() - firstAtMs >= repeatMs) {
      log(`${signal} again: exiting without waiting for the servers to close`);
      exit(1);
    }
  };
  source.on('SIGINT', onSignal);
  source.on('SIGTERM', onSignal);
}
