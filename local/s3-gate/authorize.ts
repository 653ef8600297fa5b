// Authorisation by a real IAM policy evaluator (@cloud-copilot/iam-simulate): the caller's identity policies and the
// bucket policy, same-account when the role's account owns the bucket (IAM User Guide, "Policy evaluation logic":
// an explicit deny wins, an allow in either policy suffices). Fails closed on any evaluator error.
import { anonymousPrincipal } from '@cloud-copilot/iam-simulate';
import type { Simulation } from '@cloud-copilot/iam-simulate';
import { evaluate as evaluatePolicies } from '../iam.ts';
import type { IamVerdict } from '../iam.ts';
import type { GateBucket, GateRole, GateService } from './types.ts';

export type Caller =
  | { readonly kind: 'role'; readonly role: GateRole }
  | { readonly kind: 'service'; readonly service: GateService }
  | { readonly kind: 'anonymous' };

export type Verdict = IamVerdict;

const SESSION_NAME = 'edgepass-local';

/** `arn:aws:iam::123:role/path/Name` → `Name`, for logs and the session ARN. */
export function roleName(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf('/') + 1);
}

export function callerName(caller: Caller): string {
  switch (caller.kind) {
    case 'role':
      return roleName(caller.role.arn);
    case 'service':
      return caller.service.service;
    case 'anonymous':
      return 'anonymous';
  }
}

const accountOf = (arn: string) => arn.split(':')[4] ?? '';

/**
 * Keys AWS sets for the caller (IAM User Guide, "AWS global condition context keys"). A role's credentials are a role
 * session, so the request principal is the assumed-role ARN; CloudFront OAC requests carry aws:SourceArn/SourceAccount.
 */
export function callerContext(caller: Caller): Record<string, string> {
  switch (caller.kind) {
    case 'role':
      return {
        'aws:PrincipalArn': caller.role.arn,
        'aws:PrincipalAccount': accountOf(caller.role.arn),
        'aws:PrincipalType': 'AssumedRole',
        'aws:PrincipalIsAWSService': 'false',
      };
    case 'service':
      return {
        'aws:PrincipalServiceName': caller.service.service,
        'aws:PrincipalIsAWSService': 'true',
        'aws:SourceArn': caller.service.sourceArn,
        'aws:SourceAccount': accountOf(caller.service.sourceArn),
      };
    case 'anonymous':
      return {};
  }
}

function principalOf(caller: Caller): Simulation['request']['principal'] {
  switch (caller.kind) {
    case 'role':
      return `arn:aws:sts::${accountOf(caller.role.arn)}:assumed-role/${roleName(caller.role.arn)}/${SESSION_NAME}`;
    case 'service':
      return caller.service.service;
    case 'anonymous':
      return anonymousPrincipal;
  }
}

export interface Question {
  readonly caller: Caller;
  readonly action: string;
  readonly resource: string;
  readonly bucket: GateBucket;
  readonly context: Readonly<Record<string, string>>;
}

export function evaluate(question: Question, accountId: string): Promise<Verdict> {
  const { caller } = question;
  return evaluatePolicies(
    {
      principal: principalOf(caller),
      action: question.action,
      resource: question.resource,
      identityPolicies: caller.kind === 'role' ? caller.role.identityPolicies : [],
      resourcePolicy: question.bucket.policy,
      context: question.context,
    },
    accountId,
  );
}
