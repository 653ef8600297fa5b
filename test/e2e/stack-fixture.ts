// Test fixture: the whole local stack on free loopback ports with a fresh state folder (new dev keys), and every
// log line it writes (emulator, origin API, and the edge bundle's console.log) kept so tests can check them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { ensureDevState } from '../../local/dev-state.ts';
import type { DevState } from '../../local/dev-state.ts';
import { startStack } from '../../local/start.ts';
import type { Stack, StackOptions } from '../../local/start.ts';

export interface TestStack {
  readonly stack: Stack;
  readonly cdn: string;
  readonly state: DevState;
  /** Every line logged so far: tests assert that no secret ever appears in them. */
  readonly logs: string[];
  stop(): Promise<void>;
}

export async function startTestStack(
  options: Pick<StackOptions, 'adjustConfig' | 'appOrigins' | 'idpKeyGraceSeconds' | 'nowMs'> = {},
): Promise<TestStack> {
  const stateDir = await mkdtemp(join(tmpdir(), 'edgepass-stack-'));
  const logs: string[] = [];
  // The edge bundle logs through console.log (Lambda@Edge's CloudWatch stream): collect instead of printing.
  const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    logs.push(args.map(String).join(' '));
  });
  const stack = await startStack({ ...options, port: 0, stateDir, log: (line) => logs.push(line) });
  return {
    stack,
    cdn: stack.urls.cdn,
    state: ensureDevState(stateDir),
    logs,
    async stop() {
      await stack.stop();
      spy.mockRestore();
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

/** Signs in through the dev identity provider as an app would, returning the bearer token. */
export async function devToken(cdn: string, user: string, tickets: readonly string[]): Promise<string> {
  const res = await fetch(`${cdn}/_dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user, tickets }),
  });
  if (res.status !== 200) throw new Error(`dev token: HTTP ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}
