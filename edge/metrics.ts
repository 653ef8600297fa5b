// Decision metrics in CloudWatch Embedded Metric Format (EMF): members appended to the handler's one JSON log line,
// which CloudWatch Logs turns into metrics with no API call per request. Dimensions hold our own codes only (a
// bounded set: unknown reasons count as `other`), never viewer text. The infra dashboard reads the names from here.
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

/** Every reason code the core and its verifiers decide with (docs/edge.md, "Reason codes and logs"). */
export const REASON_CODES: readonly string[] = [
  'not_protected',
  'signed_url_valid',
  'signed_cookies_valid',
  'link_not_needed',
  'signed_url_minted',
  'cookies_minted',
  'cookies_granted',
  'signed_out',
  'sign_out_unconfirmed',
  'no_ticket',
  'cookies_blocked',
  ...[
    'missing',
    'too_large',
    'malformed',
    'alg_not_allowed',
    'unknown_kid',
    'jwks_unavailable',
    'bad_signature',
    'expired',
    'not_yet_valid',
    'missing_exp',
    'bad_issuer',
    'bad_audience',
    'bad_type',
    'crit_unsupported',
    'lifetime_too_long',
    'invalid',
  ].map((code) => `token_${code}`),
  ...[
    'missing_key',
    'malformed',
    'too_large',
    'unknown_key',
    'bad_signature',
    'expired',
    'not_yet_valid',
    'resource_mismatch',
    'ip_mismatch',
  ].map((code) => `cf_${code}`),
  'path_unsafe',
  'path_bad_attraction',
  'path_incomplete',
  'host_not_allowed',
  'grant_bad_request',
  'endpoint_not_found',
  'method_not_allowed',
  'cors_preflight_allowed',
  'cors_origin_not_allowed',
  'cors_preflight_invalid',
  'cors_method_not_allowed',
  'internal_error',
  ...[
    'sign_in',
    'refreshed',
    'refresh_failed',
    'signed_in',
    'state_missing',
    'state_mismatch',
    'idp_error',
    'bad_callback',
    'token_error',
    'timeout',
    'token_too_large',
    'token_invalid_response',
    'nonce_mismatch',
  ].map((code) => `oidc_${code}`),
];
/** The Reason dimension of a code outside REASON_CODES. */
export const OTHER_REASON = 'other';

const KNOWN = new Set(REASON_CODES);
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
  const code = KNOWN.has(decision.reason) ? decision.reason : OTHER_REASON;
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
