// Runs smoke steps one at a time and keeps one row each: timing, PASS/FAIL/SKIP, and what came back with every
// secret the run has seen (token, cookie values, signatures, presigned URLs) masked, whatever a step wrote.
import type { Outcome, Row, SmokeDeps } from './types.ts';

export type Verdict<T> = { readonly ok: true; readonly got: string; readonly value: T } | Failed;
interface Failed {
  readonly ok: false;
  readonly got: string;
}

export const pass = <T>(got: string, value: T): Verdict<T> => ({ ok: true, got, value });
export const fail = (got: string): Failed => ({ ok: false, got });

export const REDACTED = '[redacted]';
/** Shorter values (an emptied cookie, a `0`) are not secrets and would mask harmless text. */
const MIN_SECRET_CHARS = 8;

/**
 * Why a step could not judge an answer: none came (a timeout, or the system error code: `ECONNREFUSED`,
 * `CERT_HAS_EXPIRED`), or its JSON was unreadable. Never the error's message, which may quote a URL.
 */
export function describeError(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'SyntaxError') return 'an answer that is not JSON';
  if (name === 'TimeoutError' || name === 'AbortError') return 'no answer (timeout)';
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  const code = typeof cause?.code === 'string' ? cause.code : (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code)) return `no answer (${code})`;
  return `no answer (${name === '' ? 'error' : name})`;
}

export class Recorder {
  readonly #rows: Row[] = [];
  readonly #secrets = new Set<string>();
  readonly #nowMs: () => number;

  constructor(deps: Pick<SmokeDeps, 'nowMs'>) {
    this.#nowMs = deps.nowMs;
  }

  /** Values never to print: each is masked wherever it appears, as are its URI-encoded forms. */
  secret(...values: readonly (string | undefined)[]): void {
    for (const value of values) {
      if (value === undefined || value.length < MIN_SECRET_CHARS) continue;
      this.#secrets.add(value);
      this.#secrets.add(encodeURIComponent(value));
    }
  }

  #mask(text: string): string {
    let masked = text;
    // Longest first, so a URL is masked whole before a signature inside it.
    for (const value of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      masked = masked.replaceAll(value, REDACTED);
    }
    return masked;
  }

  /** Runs one step: a thrown error (no answer, bad JSON) fails it; returns the step's value when it passed. */
  async step<T>(step: string, expected: string, run: () => Promise<Verdict<T>>): Promise<T | undefined> {
    const startMs = this.#nowMs();
    let verdict: Verdict<T>;
    try {
      verdict = await run();
    } catch (error) {
      verdict = fail(describeError(error));
    }
    this.#add(step, expected, verdict.got, verdict.ok ? 'PASS' : 'FAIL', this.#nowMs() - startMs);
    return verdict.ok ? verdict.value : undefined;
  }

  skip(step: string, expected: string, why: string): void {
    this.#add(step, expected, `skipped: ${why}`, 'SKIP', 0);
  }

  /** Every row, masked again with every secret seen by the end (a later step may learn one an earlier printed). */
  rows(): Row[] {
    return this.#rows.map((row) => ({ ...row, got: this.#mask(row.got), expected: this.#mask(row.expected) }));
  }

  #add(step: string, expected: string, got: string, result: Outcome, ms: number): void {
    this.#rows.push({ step, expected, got, ms: Math.max(0, Math.round(ms)), result });
  }
}
