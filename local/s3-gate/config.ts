// Checks the gate's options up front, every problem collected and reported at once (ConfigError), including each
// policy run once through the evaluator so that a malformed policy fails at start, not as a 500 on some request.
import { anonymousPrincipal, runSimulation } from '@cloud-copilot/iam-simulate';
import { ConfigError } from '../../common/errors.ts';
import { registeredElsewhere } from './credentials.ts';
import type { CorsRule, GateBucket, GatePrincipal, PolicyDocument, S3GateOptions } from './types.ts';

const CORS_METHODS = new Set(['GET', 'PUT', 'HEAD', 'POST', 'DELETE']);
const stars = (text: string) => text.split('*').length - 1;

function corsProblems(bucket: string, rules: readonly CorsRule[]): string[] {
  const problems: string[] = [];
  rules.forEach((rule, i) => {
    const at = `bucket ${bucket} CORS rule ${i}`;
    if (rule.AllowedOrigins.length === 0) problems.push(`${at}: AllowedOrigins is empty`);
    if (rule.AllowedMethods.length === 0) problems.push(`${at}: AllowedMethods is empty`);
    for (const m of rule.AllowedMethods) if (!CORS_METHODS.has(m)) problems.push(`${at}: method ${m} is not allowed`);
    // "can contain at most one * wildcard character" (S3 User Guide, "Elements of a CORS configuration").
    for (const o of [...rule.AllowedOrigins, ...(rule.AllowedHeaders ?? [])]) {
      if (stars(o) > 1) problems.push(`${at}: ${o} has more than one *`);
    }
    if (rule.MaxAge !== undefined && !(Number.isInteger(rule.MaxAge) && rule.MaxAge >= 0)) {
      problems.push(`${at}: MaxAge must be a non-negative integer`);
    }
  });
  return problems;
}

function bucketProblems(buckets: readonly GateBucket[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const b of buckets) {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(b.name))
      problems.push(`bucket name ${b.name} is not a valid S3 name`);
    if (seen.has(b.name)) problems.push(`bucket ${b.name} is listed twice`);
    seen.add(b.name);
    if (b.arn !== `arn:aws:s3:::${b.name}`) problems.push(`bucket ${b.name}: arn must be arn:aws:s3:::${b.name}`);
    problems.push(...corsProblems(b.name, b.corsRules));
  }
  return problems;
}

function principalProblems(principals: readonly GatePrincipal[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const p of principals) {
    const name = p.kind === 'role' ? p.arn : p.service;
    if (p.accessKeyId === '' || p.secretAccessKey === '') problems.push(`${name}: empty access key id or secret`);
    if (seen.has(p.accessKeyId)) problems.push(`${name}: access key id used by another principal`);
    seen.add(p.accessKeyId);
    if (p.kind === 'role' && !/^arn:aws:iam::\d{12}:role\/.+/.test(p.arn)) problems.push(`${name}: not a role ARN`);
    if (p.kind === 'service') {
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/.test(p.service))
        problems.push(`${name}: not a service principal`);
      if (!/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+/.test(p.sourceArn)) problems.push(`${name}: bad sourceArn`);
    }
  }
  for (const id of registeredElsewhere(principals)) {
    problems.push(`access key id ${id} is already registered with s3rver (its dummy pair, or a gate not closed)`);
  }
  return problems;
}

/** Runs one evaluation with the policy in place: the evaluator validates policy grammar before evaluating. */
async function policyProblem(subject: string, accountId: string, policy: PolicyDocument, identity: boolean) {
  const result = await runSimulation(
    {
      request: {
        principal: identity ? `arn:aws:iam::${accountId}:role/probe` : anonymousPrincipal,
        action: 's3:GetObject',
        resource: { resource: 'arn:aws:s3:::probe/probe', accountId },
        contextVariables: {},
      },
      identityPolicies: identity ? [{ name: subject, policy }] : [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: identity ? undefined : policy,
    },
    {},
  );
  return result.resultType === 'error' ? `${subject}: ${JSON.stringify(result.errors)}` : undefined;
}

export async function checkGateOptions(options: S3GateOptions): Promise<void> {
  const problems: string[] = [];
  if (!/^\d{12}$/.test(options.accountId)) problems.push('accountId must be 12 digits');
  const { port } = options.upstream;
  if (!(Number.isInteger(port) && port > 0 && port < 65536)) problems.push('upstream.port must be a TCP port');
  const max = options.maxFormBytes;
  if (max !== undefined && !(Number.isInteger(max) && max > 0))
    problems.push('maxFormBytes must be a positive integer');
  problems.push(...bucketProblems(options.buckets), ...principalProblems(options.principals));
  const probes = [
    ...options.buckets.map((b) =>
      b.policy ? policyProblem(`bucket ${b.name} policy`, options.accountId, b.policy, false) : undefined,
    ),
    ...options.principals.flatMap((p) =>
      p.kind === 'role'
        ? p.identityPolicies.map((ip) =>
            policyProblem(`${p.arn} policy ${ip.name}`, options.accountId, ip.policy, true),
          )
        : [],
    ),
  ];
  const settled = await Promise.all(probes.filter((probe) => probe !== undefined));
  for (const problem of settled) if (problem !== undefined) problems.push(problem);
  if (problems.length > 0) throw new ConfigError(problems, 'S3 gate options');
}
