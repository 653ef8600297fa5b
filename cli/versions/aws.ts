// The AWS side of `edgepass versions`: the only file that calls the SDK (Lambda, CloudFront, CloudFormation) and
// translates its shapes and errors into the plain values of plan.ts. Trust boundary: AWS answers are data; error
// messages come from AWS and never hold credentials, which the SDK's default chain (or --profile) supplies.
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudFrontClient, ListDistributionsCommand } from '@aws-sdk/client-cloudfront';
import type { DistributionSummary, LambdaFunctionAssociations } from '@aws-sdk/client-cloudfront';
import { DeleteFunctionCommand, LambdaClient, ListVersionsByFunctionCommand } from '@aws-sdk/client-lambda';
import { EdgepassError } from '../../common/errors.ts';
import type { Association, EdgeVersion } from './plan.ts';

export interface AwsTarget {
  /** Region of the function and its stack: us-east-1 for Lambda@Edge. */
  readonly region: string;
  /** Another endpoint for every service (a local emulator, the tests' fake), like the AWS CLI's --endpoint-url. */
  readonly endpoint: string | undefined;
  /** A named profile of the shared AWS config files instead of the default credential chain. */
  readonly profile: string | undefined;
}

export interface AwsClients {
  readonly lambda: LambdaClient;
  readonly cloudfront: CloudFrontClient;
  readonly cloudformation: CloudFormationClient;
  readonly close: () => void;
}

export function awsClients(target: AwsTarget): AwsClients {
  const common = {
    ...(target.endpoint === undefined ? {} : { endpoint: target.endpoint }),
    ...(target.profile === undefined ? {} : { profile: target.profile }),
  };
  const lambda = new LambdaClient({ region: target.region, ...common });
  // CloudFront is global; its API is signed for us-east-1 (CloudFront API Reference, "Signing requests").
  const cloudfront = new CloudFrontClient({ region: 'us-east-1', ...common });
  const cloudformation = new CloudFormationClient({ region: target.region, ...common });
  const close = () => {
    for (const client of [lambda, cloudfront, cloudformation]) client.destroy();
  };
  return { lambda, cloudfront, cloudformation, close };
}

/** A bounded, single-line rendering of an AWS or network error: its name, HTTP status and AWS's own message. */
function describeError(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  if (name === 'CredentialsProviderError') {
    return 'no AWS credentials found (use --profile, AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)';
  }
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? ` (HTTP ${e.$metadata.httpStatusCode})` : '';
  const message = typeof e.message === 'string' ? e.message.replace(/\p{Cc}+/gu, ' ').slice(0, 300) : '';
  return `${name}${status}${message === '' ? '' : `: ${message}`}`;
}

function failure(operation: string, error: unknown): EdgepassError {
  return new EdgepassError('cli_aws', `${operation} failed: ${describeError(error)}`);
}

/** Pages are bounded: a service that kept returning a marker would otherwise loop for ever. */
const MAX_PAGES = 1000;

/** Every version of the function, $LATEST included (ListVersionsByFunction, paginated by Marker/NextMarker). */
export async function listVersions(lambda: LambdaClient, functionName: string): Promise<EdgeVersion[]> {
  const versions: EdgeVersion[] = [];
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const input = { FunctionName: functionName, ...(marker === undefined ? {} : { Marker: marker }) };
    const out = await lambda.send(new ListVersionsByFunctionCommand(input)).catch((error: unknown) => {
      throw failure('ListVersionsByFunction', error);
    });
    for (const v of out.Versions ?? []) {
      if (v.Version === undefined || v.FunctionArn === undefined) continue;
      versions.push({
        version: v.Version,
        arn: v.FunctionArn,
        lastModified: v.LastModified ?? '',
        codeSha256: v.CodeSha256 ?? '',
        codeSizeBytes: v.CodeSize ?? 0,
      });
    }
    marker = out.NextMarker;
    if (marker === undefined || marker === '') return versions;
  }
  throw new EdgepassError('cli_aws', `ListVersionsByFunction returned more than ${MAX_PAGES} pages`);
}

function associationsOf(
  distributionId: string,
  behaviour: string,
  list: LambdaFunctionAssociations | undefined,
): Association[] {
  return (list?.Items ?? []).map((a) => ({
    distributionId,
    behaviour,
    eventType: a.EventType ?? '?',
    functionArn: a.LambdaFunctionARN ?? '',
  }));
}

/** The Lambda@Edge associations of every behaviour of one distribution (ListDistributions gives them in full). */
function distributionAssociations(summary: DistributionSummary): Association[] {
  const id = summary.Id ?? '?';
  const behaviours = summary.CacheBehaviors?.Items ?? [];
  return [
    ...associationsOf(id, '(default)', summary.DefaultCacheBehavior?.LambdaFunctionAssociations),
    ...behaviours.flatMap((b) => associationsOf(id, b.PathPattern ?? '?', b.LambdaFunctionAssociations)),
  ];
}

export interface Distributions {
  readonly count: number;
  readonly associations: readonly Association[];
}

/**
 * Every distribution of the account and its Lambda@Edge associations (ListDistributions, paginated by
 * Marker/NextMarker; each DistributionSummary carries DefaultCacheBehavior and CacheBehaviors with their
 * LambdaFunctionAssociations: CloudFront API Reference, "ListDistributions", "DistributionSummary").
 */
export async function listDistributions(cloudfront: CloudFrontClient): Promise<Distributions> {
  const associations: Association[] = [];
  let count = 0;
  let marker: string | undefined;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const input = marker === undefined ? {} : { Marker: marker };
    const out = await cloudfront.send(new ListDistributionsCommand(input)).catch((error: unknown) => {
      throw failure('ListDistributions', error);
    });
    const list = out.DistributionList;
    for (const summary of list?.Items ?? []) {
      count += 1;
      associations.push(...distributionAssociations(summary));
    }
    marker = list?.NextMarker;
    if (list?.IsTruncated !== true || marker === undefined || marker === '') return { count, associations };
  }
  throw new EdgepassError('cli_aws', `ListDistributions returned more than ${MAX_PAGES} pages`);
}

export interface StackFunction {
  readonly stackName: string;
  readonly functionName: string;
  /** Absent on stacks deployed before edgepass output it. */
  readonly versionArn: string | undefined;
}

/** The stack's outputs, or undefined when no such stack exists (CloudFormation's ValidationError "does not exist"). */
async function stackOutputs(cfn: CloudFormationClient, name: string): Promise<Map<string, string> | undefined> {
  try {
    const out = await cfn.send(new DescribeStacksCommand({ StackName: name }));
    const stack = out.Stacks?.[0];
    if (stack === undefined) return undefined;
    return new Map((stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
  } catch (error) {
    const e = error as { name?: unknown; message?: unknown };
    if (e.name === 'ValidationError' && typeof e.message === 'string' && e.message.includes('does not exist')) {
      return undefined;
    }
    throw failure('DescribeStacks', error);
  }
}

/**
 * The authorizer of an edgepass deployment: CDK puts it in `<stackName>-edge` (us-east-1) when the app region is
 * another, else in `<stackName>` itself; both output AuthorizerFunctionName (and, since retention, the version).
 */
export async function functionOfStack(cfn: CloudFormationClient, stackName: string): Promise<StackFunction> {
  const candidates = stackName.endsWith('-edge') ? [stackName] : [`${stackName}-edge`, stackName];
  for (const candidate of candidates) {
    const outputs = await stackOutputs(cfn, candidate);
    if (outputs === undefined) continue;
    const functionName = outputs.get('AuthorizerFunctionName');
    if (functionName === undefined || functionName === '') {
      throw new EdgepassError('cli_aws', `stack ${candidate} has no output AuthorizerFunctionName`);
    }
    return { stackName: candidate, functionName, versionArn: outputs.get('AuthorizerVersionArn') };
  }
  throw new EdgepassError('cli_aws', `no stack ${candidates.join(' or ')} in this region (see --region)`);
}

export type DeleteOutcome =
  | { readonly kind: 'deleted' }
  | { readonly kind: 'replicated' }
  | { readonly kind: 'gone' }
  | { readonly kind: 'failed'; readonly reason: string };

/**
 * DeleteFunction with a Qualifier deletes that version only (Lambda API Reference, "DeleteFunction"). While
 * CloudFront still holds replicas, Lambda refuses with InvalidParameterValueException "Lambda was unable to delete
 * … because it is a replicated function"; replicas go a few hours after the last association is removed (CloudFront
 * Developer Guide, "Delete Lambda@Edge functions and replicas"), so that is an outcome to retry later, not a failure.
 */
export async function deleteVersion(
  lambda: LambdaClient,
  functionArn: string,
  version: string,
): Promise<DeleteOutcome> {
  // Never $LATEST (that would need no qualifier and delete the whole function): plan.ts only offers numbers.
  if (!/^[1-9][0-9]*$/.test(version)) throw new TypeError('only a numbered version can be deleted');
  try {
    await lambda.send(new DeleteFunctionCommand({ FunctionName: functionArn, Qualifier: version }));
    return { kind: 'deleted' };
  } catch (error) {
    const e = error as { name?: unknown; message?: unknown };
    const message = typeof e.message === 'string' ? e.message : '';
    if (e.name === 'InvalidParameterValueException' && /replicated function/i.test(message)) {
      return { kind: 'replicated' };
    }
    if (e.name === 'ResourceNotFoundException') return { kind: 'gone' };
    return { kind: 'failed', reason: describeError(error) };
  }
}
