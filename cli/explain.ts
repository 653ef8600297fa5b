// Step-by-step explanation of a CloudFront signed URL or cookie set, built from common/cloudfront's parsing helpers
// (the verdict itself comes from its verifier). Untrusted input; secrets appear only as short, redacted prefixes.
import { fromCloudFrontBase64 } from '../common/cloudfront/base64.ts';
import { cidrContains } from '../common/cloudfront/ipv4.ts';
import { keyKind } from '../common/cloudfront/keys.ts';
import type { TrustedKeys } from '../common/cloudfront/keys.ts';
import { parsePolicy } from '../common/cloudfront/policy.ts';
import type { ParsedPolicy } from '../common/cloudfront/policy.ts';
import { matchesResource } from '../common/cloudfront/resource.ts';
import type { Presented } from '../common/cloudfront/signed-request.ts';
import type { CloudFrontResult } from '../common/cloudfront/verify.ts';

export type StepStatus = 'pass' | 'fail' | 'skip';

export interface Step {
  readonly check: 'key id' | 'hash' | 'policy' | 'signature' | 'expiry' | 'start' | 'resource' | 'ip';
  readonly status: StepStatus;
  readonly detail: string;
}

export interface Facts {
  readonly resource: string;
  readonly clientIp: string | undefined;
  readonly nowS: number;
}

/** Enough of a secret to tell two apart, never enough to replay: six characters and the length. */
function redact(value: string): string {
  return value.length <= 8 ? `(${value.length} chars)` : `${value.slice(0, 6)}… (${value.length} chars)`;
}

export const iso = (epochS: number): string => new Date(epochS * 1000).toISOString().replace('.000Z', 'Z');

function keyStep(p: Presented, trusted: TrustedKeys): Step {
  if (p.keyPairId === undefined) return { check: 'key id', status: 'fail', detail: 'no Key-Pair-Id given' };
  const key = trusted.get(p.keyPairId);
  if (key === undefined) {
    const known = [...trusted.keys()].join(', ');
    return { check: 'key id', status: 'fail', detail: `${p.keyPairId} is not trusted (trusted: ${known})` };
  }
  return { check: 'key id', status: 'pass', detail: `${p.keyPairId} is trusted (${keyKind(key) ?? 'unknown'})` };
}

function hashStep(p: Presented): Step {
  if (p.hashAlgorithm === undefined) return { check: 'hash', status: 'pass', detail: 'SHA1 (default, none given)' };
  if (p.hashAlgorithm === 'SHA1' || p.hashAlgorithm === 'SHA256') {
    return { check: 'hash', status: 'pass', detail: p.hashAlgorithm };
  }
  return { check: 'hash', status: 'fail', detail: `Hash-Algorithm must be SHA1 or SHA256` };
}

/** Custom policies travel as CloudFront base64 of UTF-8 JSON; canned ones are rebuilt from Expires. */
function readPolicy(p: Presented, resource: string): { step: Step; policy?: ParsedPolicy } {
  const fail = (detail: string) => ({ step: { check: 'policy', status: 'fail', detail } as const });
  if ((p.expires === undefined) === (p.policy === undefined)) return fail('needs exactly one of Expires or Policy');
  if (p.expires !== undefined) {
    if (!/^(0|[1-9][0-9]{0,14})$/.test(p.expires)) return fail('Expires is not whole epoch seconds');
    const policy = { resource, dateLessThan: Number(p.expires) };
    return { step: { check: 'policy', status: 'pass', detail: `canned, Expires=${p.expires}` }, policy };
  }
  const bytes = fromCloudFrontBase64(p.policy ?? '');
  if (bytes === undefined) return fail(`Policy is not CloudFront base64 ${redact(p.policy ?? '')}`);
  const policy = parsePolicy(bytes.toString('utf8'));
  if (policy === undefined) return fail('Policy does not decode to a single-statement CloudFront policy');
  return { step: { check: 'policy', status: 'pass', detail: `custom, ${bytes.length} bytes of JSON` }, policy };
}

const conditionReasons = new Set(['cf_expired', 'cf_not_yet_valid', 'cf_resource_mismatch', 'cf_ip_mismatch']);

/** The verifier checks the signature before dates, resource and IP, so its verdict tells us the signature's fate. */
function signatureStep(p: Presented, verdict: CloudFrontResult): Step {
  if (p.signature === undefined) return { check: 'signature', status: 'fail', detail: 'no Signature given' };
  const shown = redact(p.signature);
  if (fromCloudFrontBase64(p.signature) === undefined) {
    return { check: 'signature', status: 'fail', detail: `${shown} is not CloudFront base64` };
  }
  if (verdict.ok || conditionReasons.has(verdict.reason)) {
    return { check: 'signature', status: 'pass', detail: `${shown} matches the policy and key` };
  }
  if (verdict.reason === 'cf_bad_signature') {
    const why =
      p.expires === undefined
        ? 'does not match: the Policy changed after signing, another key, or another hash'
        : 'does not match: canned policy, so the URL itself is signed; it changed, or another key or hash';
    return { check: 'signature', status: 'fail', detail: `${shown} ${why}` };
  }
  return { check: 'signature', status: 'skip', detail: `${shown} not checked (an earlier check failed)` };
}

function dateSteps(policy: ParsedPolicy, nowS: number): Step[] {
  const end = policy.dateLessThan;
  const expiry: Step =
    nowS < end
      ? { check: 'expiry', status: 'pass', detail: `valid until ${iso(end)} (${end - nowS} s left)` }
      : { check: 'expiry', status: 'fail', detail: `expired at ${iso(end)} (${nowS - end} s ago)` };
  const start = policy.dateGreaterThan;
  if (start === undefined) return [expiry, { check: 'start', status: 'skip', detail: 'no DateGreaterThan' }];
  const startStep: Step =
    nowS >= start
      ? { check: 'start', status: 'pass', detail: `valid since ${iso(start)}` }
      : { check: 'start', status: 'fail', detail: `not valid before ${iso(start)} (${start - nowS} s from now)` };
  return [expiry, startStep];
}

function cidrText(policy: ParsedPolicy): string {
  const cidr = policy.sourceIp;
  if (cidr === undefined) return '';
  const n = cidr.network;
  return `${[n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')}/${cidr.prefixLength}`;
}

function resourceStep(policy: ParsedPolicy, facts: Facts, canned: boolean): Step {
  if (canned) return { check: 'resource', status: 'pass', detail: 'canned policy: the URL itself is the resource' };
  const matches = matchesResource(policy.resource, facts.resource);
  const verb = matches ? 'matches' : 'does not match';
  return { check: 'resource', status: matches ? 'pass' : 'fail', detail: `${policy.resource} ${verb} this URL` };
}

function conditionSteps(policy: ParsedPolicy, facts: Facts, canned: boolean): Step[] {
  const resource = resourceStep(policy, facts, canned);
  let ip: Step = { check: 'ip', status: 'skip', detail: 'no IpAddress condition' };
  if (policy.sourceIp !== undefined) {
    const cidr = cidrText(policy);
    if (facts.clientIp === undefined) ip = { check: 'ip', status: 'fail', detail: `needs a viewer in ${cidr} (--ip)` };
    else {
      const inside = cidrContains(policy.sourceIp, facts.clientIp);
      ip = {
        check: 'ip',
        status: inside ? 'pass' : 'fail',
        detail: `${facts.clientIp} ${inside ? 'is' : 'is not'} in ${cidr}`,
      };
    }
  }
  return [...dateSteps(policy, facts.nowS), resource, ip];
}

/** Every check CloudFront makes, in its order, each with a readable outcome. */
export function explain(p: Presented, trusted: TrustedKeys, facts: Facts, verdict: CloudFrontResult): Step[] {
  const { step, policy } = readPolicy(p, facts.resource);
  const steps = [keyStep(p, trusted), hashStep(p), step, signatureStep(p, verdict)];
  return policy === undefined ? steps : [...steps, ...conditionSteps(policy, facts, p.expires !== undefined)];
}
