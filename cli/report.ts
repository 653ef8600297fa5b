// Renders `edgepass verify`'s findings as plain text: one line per check, then the verifier's verdict.
// Input is already redacted (see explain.ts); the URL shown is the resource, without signing parameters.
import type { CloudFrontReason, CloudFrontResult } from '../common/cloudfront/verify.ts';
import { iso } from './explain.ts';
import type { Step, StepStatus } from './explain.ts';

export interface Report {
  readonly resource: string;
  readonly via: string;
  readonly steps: readonly Step[];
  readonly verdict: CloudFrontResult;
  readonly ignoredCookies: boolean;
}

const marks: Readonly<Record<StepStatus, string>> = { pass: 'ok  ', fail: 'FAIL', skip: '--  ' };

// What each verifier reason means (CloudFront Developer Guide, "Use signed URLs" / "Use signed cookies").
const reasons: Readonly<Record<CloudFrontReason, string>> = {
  cf_missing_key: 'no signing parameters or CloudFront cookies were found (or no Key-Pair-Id)',
  cf_malformed: 'the signing parameters are malformed, duplicated or incomplete',
  cf_too_large: 'a signing value is larger than any CloudFront accepts',
  cf_unknown_key: 'the key pair id is not trusted',
  cf_bad_signature: 'the signature does not match the policy',
  cf_expired: 'the policy has expired',
  cf_not_yet_valid: 'the policy is not valid yet',
  cf_resource_mismatch: 'the policy does not cover this URL',
  cf_ip_mismatch: 'the viewer IP is outside the policy',
};

/** Which step a verifier reason points at, to catch an explanation that disagrees with the verdict. */
const stepOf: Readonly<Partial<Record<CloudFrontReason, Step['check']>>> = {
  cf_unknown_key: 'key id',
  cf_bad_signature: 'signature',
  cf_expired: 'expiry',
  cf_not_yet_valid: 'start',
  cf_resource_mismatch: 'resource',
  cf_ip_mismatch: 'ip',
};

function agrees(report: Report): boolean {
  const failed = report.steps.filter((s) => s.status === 'fail').map((s) => s.check);
  if (report.verdict.ok) return failed.length === 0;
  const expected = stepOf[report.verdict.reason];
  return expected === undefined || failed.includes(expected);
}

export function renderReport(report: Report): string {
  const lines = [`Checking ${report.resource}`, `  credentials: ${report.via}`];
  if (report.ignoredCookies) lines.push('  note: the URL is signed, so CloudFront ignores the cookies');
  for (const step of report.steps) lines.push(`  [${marks[step.status]}] ${step.check.padEnd(9)} ${step.detail}`);
  const { verdict } = report;
  if (verdict.ok) {
    const until = iso(verdict.expiresEpochSeconds);
    lines.push(`VALID: CloudFront would accept this (${verdict.via}, key ${verdict.keyPairId}, until ${until})`);
  } else {
    lines.push(`INVALID: ${verdict.reason}: ${reasons[verdict.reason]}`);
  }
  if (!agrees(report)) lines.push('note: the step list and the verifier disagree; the verdict above is what counts');
  return `${lines.join('\n')}\n`;
}
