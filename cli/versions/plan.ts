// Which Lambda@Edge versions `edgepass versions prune` may delete, decided from plain lists (no AWS calls here):
// $LATEST never, a version a CloudFront behaviour or the stack names never, the newest N never; the rest may go.

/** One version of the function, as ListVersionsByFunction describes it. */
export interface EdgeVersion {
  /** `$LATEST` or a version number. */
  readonly version: string;
  /** The qualified ARN (`…:function:name:7`); what CloudFront's LambdaFunctionARN names. */
  readonly arn: string;
  /** Lambda's LastModified (ISO 8601), as returned. */
  readonly lastModified: string;
  readonly codeSha256: string;
  readonly codeSizeBytes: number;
}

/** A Lambda@Edge association of one cache behaviour of one distribution. */
export interface Association {
  readonly distributionId: string;
  /** The behaviour's path pattern, or `(default)` for the default cache behaviour. */
  readonly behaviour: string;
  readonly eventType: string;
  readonly functionArn: string;
}

export type KeepReason = 'latest' | 'in-use' | 'stack' | 'newest';
export type Decision = { readonly action: 'keep'; readonly reason: KeepReason } | { readonly action: 'delete' };

export interface PlannedVersion extends EdgeVersion {
  readonly usedBy: readonly Association[];
  /** True when the stack's AuthorizerVersionArn output names this version (its current deployment). */
  readonly inStack: boolean;
  readonly decision: Decision;
}

export interface PlanInput {
  readonly versions: readonly EdgeVersion[];
  /** Every Lambda@Edge association found in the account's distributions (of any function). */
  readonly associations: readonly Association[];
  /** The stack's current version ARN, when the stack was looked up and has the output. */
  readonly stackVersionArn: string | undefined;
  /** How many of the newest numbered versions to keep whatever references them (at least 1). */
  readonly keep: number;
}

const NUMBERED = /^[1-9][0-9]{0,9}$/;

/** Newest first: `$LATEST`, then numbered versions by number, descending (numbers only grow: Lambda never reuses). */
function newestFirst(a: EdgeVersion, b: EdgeVersion): number {
  const rank = (v: EdgeVersion) => (NUMBERED.test(v.version) ? Number(v.version) : Number.MAX_SAFE_INTEGER);
  return rank(b) - rank(a);
}

function decide(version: EdgeVersion, used: boolean, inStack: boolean, newest: ReadonlySet<string>): Decision {
  // Anything that is not a plain version number (only `$LATEST` in practice) is never deleted.
  if (!NUMBERED.test(version.version)) return { action: 'keep', reason: 'latest' };
  if (used) return { action: 'keep', reason: 'in-use' };
  if (inStack) return { action: 'keep', reason: 'stack' };
  if (newest.has(version.version)) return { action: 'keep', reason: 'newest' };
  return { action: 'delete' };
}

/** Every version, newest first, with what uses it and whether prune may delete it. */
export function planVersions(input: PlanInput): PlannedVersion[] {
  if (!Number.isSafeInteger(input.keep) || input.keep < 1) throw new TypeError('keep must be a whole number >= 1');
  const sorted = [...input.versions].sort(newestFirst);
  const numbered = sorted.filter((v) => NUMBERED.test(v.version));
  const newest = new Set(numbered.slice(0, input.keep).map((v) => v.version));
  return sorted.map((version) => {
    // CloudFront names a version by its full qualified ARN (it refuses $LATEST and aliases for Lambda@Edge).
    const usedBy = input.associations.filter((a) => a.functionArn === version.arn);
    const inStack = input.stackVersionArn === version.arn;
    return { ...version, usedBy, inStack, decision: decide(version, usedBy.length > 0, inStack, newest) };
  });
}

/** The versions prune would delete, oldest first (the order it deletes them in). */
export function toDelete(plan: readonly PlannedVersion[]): PlannedVersion[] {
  return plan.filter((v) => v.decision.action === 'delete').reverse();
}
