// Decision metrics in CloudWatch Embedded Metric Format (EMF): members appended to the handler's one JSON log line,
// which CloudWatch Logs turns into metrics with no API call per request. Dimensions hold our own codes only (a
// bounded set: anything not shaped like a code counts as `other`), never viewer text. The infra dashboard reads the names from here.
import type { Decision } from './core/types.ts';

/**
 * CloudWatch namespace, metric and dimension names. Decisions are counted by outcome and reason and by outcome
 * alone; the authorizer's own run time (ElapsedMs) by outcome only, which keeps custom metrics few (each series of
 * a namespace, dimensions and values is one custom metric, billed per region).
 */
export const EDGE_METRICS = {
  namespace: 'EdgePass',
  decisions: 'Decisions',
  elapsed: 'ElapsedMs',
  outcome: 'Outcome',
  reason: 'Reason',
} as const;

/** pass: served as is; mint: signed cookies or a signed URL handed out; answer: an endpoint's own reply. */
export const OUTCOMES = ['pass', 'mint', 'deny', 'answer', 'error'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The Reason dimension of anything not shaped like one of our codes. */
export const OTHER_REASON = 'other';

/**
 * Our reason codes are snake_case literals of the source, all in REASON_CODES (a test scans edge/core for them), so
 * the Reason dimension stays a bounded set without shipping that list in the bundle: a value of any other shape (no
 * code of ours) counts as `other`, and viewer text never becomes a dimension.
 */
const CODE_SHAPE = /^[a-z]+(?:_[a-z0-9]+){0,5}$/;
const MINTS = new Set(['signed_url_minted', 'cookies_minted', 'cookies_granted']);
const ANSWERS = new Set([
  'link_not_needed',
  'signed_out',
  'cors_preflight_allowed',
  'oidc_sign_in',
  'oidc_signed_in',
  'oidc_refreshed',
]);

/** By reason, not status: a sign-in redirect for an expired token (302) is a denial all the same. */
export function outcomeOf(decision: Decision): Outcome {
  if (decision.kind === 'pass') return 'pass';
  if (decision.status >= 500) return 'error';
  if (MINTS.has(decision.reason)) return 'mint';
  return ANSWERS.has(decision.reason) ? 'answer' : 'deny';
}

const { namespace, decisions, elapsed, outcome, reason } = EDGE_METRICS;
// The metric directives never change: serialised once (EMF specification: `_aws.CloudWatchMetrics`, an array of
// { Namespace, Dimensions: string[][], Metrics: { Name, Unit }[] }; CloudWatch User Guide, "Specification: Embedded
// metric format").
const DIRECTIVES = JSON.stringify([
  { Namespace: namespace, Dimensions: [[outcome, reason], [outcome]], Metrics: [{ Name: decisions, Unit: 'Count' }] },
  { Namespace: namespace, Dimensions: [[outcome]], Metrics: [{ Name: elapsed, Unit: 'Milliseconds' }] },
]);

export interface MetricFacts {
  /** Epoch milliseconds of the decision: the metrics' timestamp. */
  readonly timestampMs: number;
  readonly elapsedMs: number;
  /** What this line counts for: 1, or 1/rate for a sampled line (so sums stay unbiased). */
  readonly weight: number;
}

/**
 * The EMF members for one decision, to append inside the log line's object (`,"Outcome":…,"_aws":{…}`): dimension
 * values as strings, metric values as numbers at the root, as the specification requires.
 */
export function metricMembers(decision: Decision, facts: MetricFacts): string {
  if (!Number.isFinite(facts.elapsedMs) || !Number.isFinite(facts.timestampMs)) return '';
  const code = CODE_SHAPE.test(decision.reason) ? decision.reason : OTHER_REASON;
  return (
    `,"${outcome}":"${outcomeOf(decision)}","${reason}":"${code}"` +
    `,"${decisions}":${String(facts.weight)},"${elapsed}":${String(facts.elapsedMs)}` +
    `,"_aws":{"Timestamp":${String(Math.floor(facts.timestampMs))},"CloudWatchMetrics":${DIRECTIVES}}`
  );
}

/**
 * A sampler: the weight of this request's metrics, or undefined when it carries none. At rate 1 every line counts
 * once; at rate r a line carries metrics with probability r and counts 1/r, so the Decisions sum is unbiased.
 */
export function createSampler(rate: number, random: () => number): () => number | undefined {
  if (!(rate > 0 && rate <= 1)) throw new TypeError('the metrics sample rate must be in (0, 1]');
  if (rate === 1) return () => 1;
  const weight = 1 / rate;
  return () => (random() < rate ? weight : undefined);
}
