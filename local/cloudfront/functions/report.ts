// Reads the sandbox's end-of-run report (one JSON string built inside the context: untrusted) into the run's outcome
// and logs. Reasons say what happened without quoting the function's values or messages, which may carry tokens.
import { isRecord } from './fields.ts';
import type { Raw } from './fields.ts';
import { MAX_LOG_BYTES, WALL_CLOCK_GUARD_MS } from './limits.ts';
import { applyFunctionResult } from './result.ts';
import type { FunctionEvent, FunctionOutcome, FunctionRun } from './types.ts';

interface Report {
  readonly result: Raw;
  readonly logs: readonly string[];
  readonly logsTruncated: boolean;
  /** From the handler call to its settling, when both clock readings came back. */
  readonly elapsedMicros: number | undefined;
}

function elapsedOf(timing: unknown): number | undefined {
  if (!isRecord(timing)) return undefined;
  const { startedNs, settledNs } = timing;
  if (typeof startedNs !== 'string' || typeof settledNs !== 'string') return undefined;
  if (!/^\d{1,20}$/.test(startedNs) || !/^\d{1,20}$/.test(settledNs)) return undefined;
  const nanos = BigInt(settledNs) - BigInt(startedNs);
  return nanos > 0n ? Number(nanos) / 1_000 : undefined;
}

function parseReport(report: unknown): Report | undefined {
  if (typeof report !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(report);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || !isRecord(parsed['result'])) return undefined;
  const logs: unknown[] = Array.isArray(parsed['logs']) ? parsed['logs'] : [];
  return {
    result: parsed['result'],
    logs: logs.filter((line): line is string => typeof line === 'string'),
    logsTruncated: parsed['logsTruncated'] === true,
    elapsedMicros: elapsedOf(parsed['timing']),
  };
}

/** Cuts the log at MAX_LOG_BYTES of UTF-8 (the sandbox already stops at as many characters). */
function capLogs(lines: readonly string[], truncated: boolean): Pick<FunctionRun, 'logs' | 'logsTruncated'> {
  const logs: string[] = [];
  let room = MAX_LOG_BYTES;
  for (const line of lines) {
    let kept = line;
    while (Buffer.byteLength(kept) > room) kept = kept.slice(0, -1);
    if (kept.length > 0 || line.length === 0) logs.push(kept);
    room -= Buffer.byteLength(kept);
    if (kept !== line) return { logs, logsTruncated: true };
  }
  return { logs, logsTruncated: truncated };
}

/** How the host's evaluation of a run ended: normally, cut off by the wall-clock guard, or with anything else thrown. */
export type Evaluation = 'ok' | 'timed-out' | 'broke';

const failed = (reason: string): FunctionOutcome => ({ kind: 'failed', failure: 'execution-error', reason });

/** An error's name is quoted only when it looks like one (TypeError, MyError): a thrown object may hold anything. */
const errorName = (name: unknown): string =>
  typeof name === 'string' && /^[A-Za-z][\w$]{0,63}$/.test(name) ? name : 'an error';

function outcomeOf(
  report: Report | undefined,
  evaluation: Evaluation,
  event: FunctionEvent,
  receivedQuerystring: string | undefined,
): FunctionOutcome {
  if (evaluation === 'timed-out') {
    const reason = `the function ran longer than the local guard of ${WALL_CLOCK_GUARD_MS} ms`;
    return { kind: 'failed', failure: 'limit-exceeded', reason };
  }
  if (evaluation === 'broke' || report === undefined) return failed('the function broke the runtime');
  switch (report.result['status']) {
    case 'returned':
      return applyFunctionResult(event, report.result['value'], receivedQuerystring);
    case 'threw':
      return failed(`the function threw ${errorName(report.result['error'])}`);
    case 'pending':
      return failed('the handler returned a promise that never settled');
    case 'unserialisable':
      return { kind: 'invalid', reason: 'the function returned a value that cannot be read as a request or response' };
    default:
      return failed('the runtime reported an unknown state');
  }
}

/** `wallMicros` (the whole evaluation, watchdog included) stands in when the handler never settled. */
export function readReport(
  report: unknown,
  evaluation: Evaluation,
  event: FunctionEvent,
  receivedQuerystring: string | undefined,
  wallMicros: number,
): Omit<FunctionRun, 'hostStalls'> {
  const parsed = parseReport(report);
  return {
    outcome: outcomeOf(parsed, evaluation, event, receivedQuerystring),
    elapsedMicros: (evaluation === 'ok' ? parsed?.elapsedMicros : undefined) ?? wallMicros,
    ...capLogs(parsed?.logs ?? [], parsed?.logsTruncated ?? false),
  };
}
