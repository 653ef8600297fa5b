// The numbers the local CloudFront Functions runtime enforces or reports, each with the AWS page it follows.
// Pure constants and one helper; nothing here touches viewer data.

/** The only runtime emulated: the one the deployed `/api/*` function uses (CloudFormation FunctionConfig.Runtime). */
export const SUPPORTED_RUNTIME = 'cloudfront-js-2.0';

/**
 * "Maximum function size: 10 KB", not adjustable (Developer Guide, "Quotas on CloudFront Functions"). Read as
 * 10 × 1024 bytes of UTF-8 function code; a function of exactly 10,240 bytes is accepted.
 */
export const MAX_FUNCTION_BYTES = 10 * 1024;

/** "Function logs in CloudFront Functions are truncated at 10 KB" (Developer Guide, "Restrictions on CloudFront Functions"). */
export const MAX_LOG_BYTES = 10 * 1024;

/**
 * CloudFront Functions have a sub-millisecond budget, reported as compute utilization, a share of a maximum time AWS
 * does not publish (Developer Guide, "Restrictions on CloudFront Functions": compute utilization; "Differences
 * between CloudFront Functions and Lambda@Edge": submillisecond). Locally, 1 ms of wall clock stands in for 100 %.
 */
export const COMPUTE_BUDGET_MICROS = 1_000;

/**
 * Wall-clock guard: a run longer than this is cut off and fails as CloudFront's limit-exceeded error (503). It only
 * has to stop runaway code, so it is far above the budget: at 50 ms, a pass-through run was cut off once on a loaded
 * two-core machine (the watchdog counts time the process spends descheduled). The budget itself is only reported
 * (see `exceedsComputeBudget`).
 */
export const WALL_CLOCK_GUARD_MS = 250;

/**
 * The watchdog counts wall time, so a host stall (the process descheduled on a busy machine: 400 to 750 ms were seen
 * on two loaded cores, in runs whose handler settled in 40 µs) can outlast the guard in a healthy run. A cut-off run
 * is the function's only when this thread was on the CPU for at least this share of the guard; otherwise the host
 * stalled, and the run is tried again, up to `MAX_RUN_ATTEMPTS` in all (then it fails like any cut-off run).
 */
export const RUNAWAY_CPU_SHARE = 0.5;
export const MAX_RUN_ATTEMPTS = 3;

/** The URI with its query string must stay under 8,192 characters (Developer Guide, "Restrictions on all edge functions"). */
export const MAX_URI_CHARS = 8_192;

/** True when a run took longer than CloudFront's budget: the emulator logs a warning, the run still counts. */
export function exceedsComputeBudget(elapsedMicros: number): boolean {
  return elapsedMicros > COMPUTE_BUDGET_MICROS;
}
