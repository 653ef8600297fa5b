// One question to AWS's policy evaluation logic, as implemented by @cloud-copilot/iam-simulate: may this principal
// do this action on this resource, given the identity policies, the resource policy and the request context?
// Dev only (the library is AGPL-licensed and never part of a deployed bundle). Policies come from the template.
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from './template/services.ts';
import { LOCAL_ACCOUNT_ID } from './template/intrinsics.ts';

export interface IamRequest {
  /** A role ARN, or a service principal such as `cloudfront.amazonaws.com`. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly identityPolicies: readonly { readonly name: string; readonly policy: PolicyDocument }[];
  readonly resourcePolicy: PolicyDocument | undefined;
  readonly context: Readonly<Record<string, string | readonly string[]>>;
}

export type IamDecision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied' | 'Error';

/** The decision; an input the evaluator refuses (an unknown action or context key) is an `Error`: fail closed. */
export async function evaluate(request: IamRequest): Promise<IamDecision> {
  const result = await runSimulation(
    {
      identityPolicies: request.identityPolicies.map((p) => ({ name: p.name, policy: p.policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(request.resourcePolicy === undefined ? {} : { resourcePolicy: request.resourcePolicy }),
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: LOCAL_ACCOUNT_ID },
        contextVariables: Object.fromEntries(
          Object.entries(request.context).map(([k, v]) => [k, typeof v === 'string' ? v : [...v]]),
        ),
      },
    },
    {},
  );
  return result.resultType === 'error' ? 'Error' : result.overallResult;
}
