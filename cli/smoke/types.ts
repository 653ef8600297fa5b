// The smoke test's plain values: what to check (a plan built from the command line), what it may use (an injected
// fetch and clock), and what it reports (one row per step). Rows hold statuses and reason codes, never secrets.

export type Outcome = 'PASS' | 'FAIL' | 'SKIP';

export interface Row {
  readonly step: string;
  /** What a healthy deployment answers, e.g. `302 to a signed URL, same host`. */
  readonly expected: string;
  /** What came back: status, reason code and a few safe facts (sizes, lifetimes), already masked. */
  readonly got: string;
  readonly ms: number;
  readonly result: Outcome;
}

export interface UploadPlan {
  /** An origin API purpose (`originApi.purposes`), e.g. `passport`. */
  readonly purpose: string;
  readonly contentType: string;
  readonly method: 'PUT' | 'POST';
  readonly filename: string;
  /** The bytes to send and expect back: unique per run, so reading back an older object cannot pass. */
  readonly body: Uint8Array<ArrayBuffer>;
}

export interface SmokePlan {
  /** `https://host[:port]` (http only on loopback), no path. */
  readonly origin: string;
  /** The operator's JWT: sent only to `origin`, never printed. */
  readonly token: string;
  readonly attraction: string;
  /** An attraction the token has no ticket for; its step is skipped when absent. */
  readonly otherAttraction: string | undefined;
  /** The protected prefix, `/attractions/` (`protectedPaths[].pattern` without the placeholder). */
  readonly prefix: string;
  /** The object under the attraction, relative: `index.html`. */
  readonly path: string;
  /** A public path, absolute: `/`. */
  readonly publicPath: string;
  readonly sessionCookie: string;
  /** The upload round trip through `/api`; skipped when absent. */
  readonly upload: UploadPlan | undefined;
  readonly timeoutMs: number;
}

export interface SmokeDeps {
  readonly fetch: typeof fetch;
  /** Wall clock in milliseconds: step times and the lifetimes of what the deployment hands out. */
  readonly nowMs: () => number;
}

export interface SmokeReport {
  readonly ok: boolean;
  readonly rows: readonly Row[];
}
