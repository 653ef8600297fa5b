// One question to AWS's policy evaluation logic, as implemented by @cloud-copilot/iam-simulate: may this principal
// do this action on this resource, given the identity policies, the resource policy and the request context?
// Dev only (the library is AGPL-licensed and never part of a deployed bundle). Policies come from the template.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { Simulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from './template/services.ts';
import { LOCAL_ACCOUNT_ID } from './template/intrinsics.ts';

export interface IamRequest {
  /** A role session ARN, a service principal such as `cloudfront.amazonaws.com`, or the anonymous principal. */
  readonly principal: Simulation['request']['principal'];
  readonly action: string;
  readonly resource: string;
  readonly identityPolicies: readonly { readonly name: string; readonly policy: PolicyDocument }[];
  readonly resourcePolicy: PolicyDocument | undefined;
  readonly context: Readonly<Record<string, string | readonly string[]>>;
}

export type IamVerdict =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly reason: 'explicit-deny' | 'implicit-deny' | 'not-evaluated';
      readonly why?: string;
    };

/** The decision; an input the evaluator refuses (an unknown action or context key) is `not-evaluated`: fail closed. */
export async function evaluate(request: IamRequest, accountId: string = LOCAL_ACCOUNT_ID): Promise<IamVerdict> {
  const simulation: Simulation = {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId },
      contextVariables: Object.fromEntries(
        Object.entries(request.context).map(([k, v]) => [k, typeof v === 'string' ? v : [...v]]),
      ),
    },
    identityPolicies: request.identityPolicies.map((p) => ({ name: p.name, policy: p.policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: request.resourcePolicy,
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') {
    return { allowed: false, reason: 'not-evaluated', why: `evaluator error ${result.errors.message}` };
  }
  // A `*` in a resource makes the simulator treat the ARN as a pattern (one simulation per matching policy pattern)
  // while AWS takes it literally: refused, a known local difference (stricter than AWS, never looser).
  if (result.resultType !== 'single') {
    return { allowed: false, reason: 'not-evaluated', why: 'wildcard character in the resource' };
  }
  switch (result.overallResult) {
    case 'Allowed':
      return { allowed: true };
    case 'ExplicitlyDenied':
      return { allowed: false, reason: 'explicit-deny' };
    case 'ImplicitlyDenied':
      return { allowed: false, reason: 'implicit-deny' };
  }
}
