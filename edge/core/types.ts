// Plain values in and out of the pure authorizer core: no AWS event shapes, no clock, no environment.
// Trust boundary: every field of EdgeRequest comes from the viewer (except nowMs and requestId) and is untrusted.

/** Header name (lower case) → values, as many as the viewer sent. */
export type HeaderMap = Readonly<Record<string, readonly string[] | undefined>>;

export interface EdgeRequest {
  readonly method: string;
  /** The Host header as sent (a port is kept). */
  readonly host: string;
  /** Path as CloudFront received it, still percent-encoded. */
  readonly uri: string;
  /** Query string without `?`, still percent-encoded. */
  readonly rawQuery: string;
  readonly headers: HeaderMap;
  readonly clientIp: string;
  readonly requestId: string;
  readonly nowMs: number;
}

/** What a log line may say about a decision: never a token, cookie value, signature or key. */
export interface DecisionLog {
  readonly reason: string;
  readonly kid?: string | undefined;
  readonly iss?: string | undefined;
  readonly keyPairId?: string | undefined;
}

interface Rewrite {
  readonly uri: string;
  readonly rawQuery: string;
  /** The Cookie header to forward, or null to drop it. */
  readonly cookieHeader: string | null;
}

export type Decision =
  | (DecisionLog & { readonly kind: 'pass'; readonly rewrite: Rewrite | null })
  | (DecisionLog & {
      readonly kind: 'respond';
      readonly status: number;
      /** Lower-case header name → values; each value becomes its own header line. */
      readonly headers: Readonly<Record<string, readonly string[]>>;
      readonly body: string;
    });

/**
 * Who we answer: `browser` is a navigation without an Authorization header (short HTML pages, sign-in redirects);
 * `app` is everything else, a browser app's fetch included (JSON it can read).
 */
export type Audience = 'app' | 'browser';
