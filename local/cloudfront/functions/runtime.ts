// Compiles and runs CloudFront Functions code (cloudfront-js-2.0) for the local emulator in a node:vm context with
// string code generation and WebAssembly off, never in the host realm. The code is our own, from the synthesized
// template; the event is viewer data. Only strings cross between the realms (see bridge.ts and prelude.ts).
import { randomBytes } from 'node:crypto';
import { types } from 'node:util';
import vm from 'node:vm';
import { EdgepassError } from '../../../common/errors.ts';
import { hostBridge } from './bridge.ts';
import { MAX_LOG_BYTES, MAX_RUN_ATTEMPTS, RUNAWAY_CPU_SHARE, WALL_CLOCK_GUARD_MS } from './limits.ts';
import { PRELUDE_SOURCE } from './prelude.ts';
import { readReport } from './report.ts';
import type { Evaluation } from './report.ts';
import { prepareSource } from './source.ts';
import type { FunctionSource } from './source.ts';
import type { FunctionEvent, FunctionRun } from './types.ts';

/** A function compiled once: its top-level code has run (once, as in CloudFront) and `handler` is defined. */
export interface CompiledFunction {
  readonly name: string;
  /** UTF-8 size of the FunctionCode, checked against the 10 KB quota. */
  readonly codeBytes: number;
}

interface Sandbox {
  readonly context: vm.Context;
  readonly runName: string;
  readonly finish: vm.Script;
}

const sandboxes = new WeakMap<CompiledFunction, Sandbox>();

export interface RunOptions {
  /** What the function's Date reports as now for the whole run. @default Date.now() */
  readonly nowMs?: number;
  /** The viewer's raw query string, forwarded as is when the function leaves the query unchanged. */
  readonly receivedQuerystring?: string;
  /** This thread's CPU time in microseconds, which tells a runaway function from a host stall. @default threadCpuMicros */
  readonly cpuMicros?: () => number;
}

interface Evaluated {
  readonly evaluation: Evaluation;
  /** The script's completion value, when it completed. */
  readonly value?: unknown;
}

/** Runs a script under the guard; a thrown value is classified without touching anything the function made. */
function evaluate(script: vm.Script, context: vm.Context): Evaluated {
  try {
    return { evaluation: 'ok', value: script.runInContext(context, { timeout: WALL_CLOCK_GUARD_MS }) as unknown };
  } catch (error) {
    // node:vm's timeout error carries its code as an own data property. Reading a descriptor of a native error that
    // is not a proxy runs no code of the function's (no getter, no trap), whatever realm the error comes from.
    if (!types.isNativeError(error) || types.isProxy(error)) return { evaluation: 'broke' };
    const code = Object.getOwnPropertyDescriptor(error, 'code');
    return { evaluation: code !== undefined && code.value === 'ERR_SCRIPT_EXECUTION_TIMEOUT' ? 'timed-out' : 'broke' };
  }
}

/** This thread's CPU time (Node 22.19+); the whole process's where that is missing, which only counts more. */
function threadCpuMicros(): number {
  const host = process as { threadCpuUsage?: () => NodeJS.CpuUsage };
  const usage = typeof host.threadCpuUsage === 'function' ? host.threadCpuUsage() : process.cpuUsage();
  return usage.user + usage.system;
}

function createSandbox(name: string, nowMs: number): Sandbox {
  // A null-prototype global: with a plain object, `this.constructor.constructor` would be the host's Function.
  const context = vm.createContext(Object.create(null) as object, {
    name: `cloudfront-function:${name}`,
    codeGeneration: { strings: false, wasm: false },
    microtaskMode: 'afterEvaluate',
  });
  const runName = `__edgepass_runner_${randomBytes(8).toString('hex')}`;
  const install: unknown = new vm.Script(PRELUDE_SOURCE, { filename: 'cloudfront-js-2.0-prelude.js' }).runInContext(
    context,
  );
  if (typeof install !== 'function') throw new Error('the runtime prelude did not evaluate to a function');
  (install as (...args: unknown[]) => unknown)(hostBridge, runName, nowMs, MAX_LOG_BYTES);
  return { context, runName, finish: new vm.Script(`${runName}.finish()`) };
}

function compileError(code: string, name: string, why: string): EdgepassError {
  return new EdgepassError(code, `CloudFront Function ${name}: ${why}`);
}

/**
 * Checks the source (runtime, 10 KB quota, import forms), compiles it in strict mode as CloudFront does, and runs
 * its top-level code once, with Date reading `nowMs`. Throws EdgepassError: function_runtime_unsupported,
 * function_too_large, function_dynamic_import, function_syntax_error, function_top_level_failed, function_no_handler.
 */
export function compileFunction(source: FunctionSource, nowMs: number = Date.now()): CompiledFunction {
  const code = prepareSource(source);
  let script: vm.Script;
  try {
    // Same first line, so positions in errors still match the template's code.
    script = new vm.Script(`'use strict';${code}`, { filename: `${source.name}.js` });
  } catch (error) {
    const why = error instanceof SyntaxError ? error.message : 'the code does not compile';
    throw compileError('function_syntax_error', source.name, why);
  }
  const sandbox = createSandbox(source.name, nowMs);
  const topLevel = evaluate(script, sandbox.context).evaluation;
  if (topLevel !== 'ok') {
    const why = topLevel === 'timed-out' ? `top-level code ran over ${WALL_CLOCK_GUARD_MS} ms` : 'top-level code threw';
    throw compileError('function_top_level_failed', source.name, why);
  }
  if (vm.runInContext("typeof handler === 'function'", sandbox.context) !== true) {
    throw compileError('function_no_handler', source.name, 'the code defines no function named handler');
  }
  const compiled: CompiledFunction = Object.freeze({ name: source.name, codeBytes: Buffer.byteLength(source.code) });
  sandboxes.set(compiled, sandbox);
  return compiled;
}

interface Attempt {
  readonly evaluation: Evaluation;
  readonly report: unknown;
  readonly wallMicros: number;
  /** Cut off by the guard while this thread was mostly off the CPU: the host stalled, not the function. */
  readonly stalled: boolean;
}

function attemptRun(sandbox: Sandbox, call: vm.Script, cpuMicros: () => number): Attempt {
  const cpuStarted = cpuMicros();
  const started = process.hrtime.bigint();
  const { evaluation } = evaluate(call, sandbox.context);
  const wallMicros = Number(process.hrtime.bigint() - started) / 1_000;
  // finish() serialises what the function returned, which may run its code (toJSON): the same guard applies.
  const finish = evaluate(sandbox.finish, sandbox.context);
  const cutOff = evaluation === 'timed-out' || finish.evaluation === 'timed-out';
  const onCpu = cpuMicros() - cpuStarted;
  const stalled = cutOff && onCpu < WALL_CLOCK_GUARD_MS * 1_000 * RUNAWAY_CPU_SHARE;
  return { evaluation, report: finish.evaluation === 'ok' ? finish.value : undefined, wallMicros, stalled };
}

/**
 * Runs the handler on a copy of the event (sync or async: the context's microtasks are drained within the run, and a
 * promise still pending after that can never settle, as there are no timers or I/O) and checks what it returned.
 * A run cut off by a host stall is run again (each run starts from a fresh state: `run` resets it).
 */
export function runFunction(compiled: CompiledFunction, event: FunctionEvent, options: RunOptions = {}): FunctionRun {
  const sandbox = sandboxes.get(compiled);
  if (sandbox === undefined) throw new TypeError('runFunction needs a function made by compileFunction');
  const nowMs = options.nowMs ?? Date.now();
  if (!Number.isFinite(nowMs)) throw new TypeError('nowMs must be a finite number');
  const call = new vm.Script(`${sandbox.runName}.run(${JSON.stringify(JSON.stringify(event))}, ${nowMs});`);
  for (let hostStalls = 0; ; hostStalls += 1) {
    const attempt = attemptRun(sandbox, call, options.cpuMicros ?? threadCpuMicros);
    if (!attempt.stalled || hostStalls + 1 >= MAX_RUN_ATTEMPTS) {
      const { report, evaluation, wallMicros } = attempt;
      return { ...readReport(report, evaluation, event, options.receivedQuerystring, wallMicros), hostStalls };
    }
  }
}
