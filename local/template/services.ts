// Reads what the local S3 gate and the local function URL enforce from the synthesized template: the buckets (CORS
// rules, bucket policy), the function behind each function URL (code, environment, role policies, invoke permissions).
import { EdgepassError } from '../../common/errors.ts';
import { resolveString, resolveValue } from './intrinsics.ts';
import type { CfnResource, CfnTemplate, LocalIds } from './intrinsics.ts';
import { localDistributionId } from './distribution.ts';

export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Record<string, unknown>[];
}

export interface BucketModel {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** CloudFormation's CorsRules shape, resolved. */
  readonly corsRules: readonly Record<string, unknown>[];
  readonly policy: PolicyDocument | undefined;
}

export interface FunctionUrlModel {
  readonly urlLogicalId: string;
  readonly authType: string;
  readonly functionArn: string;
  readonly s3Key: string;
  readonly handler: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly role: { readonly arn: string; readonly policies: readonly { name: string; policy: PolicyDocument }[] };
  /** The function's resource policy, built from its AWS::Lambda::Permission resources. */
  readonly resourcePolicy: PolicyDocument;
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const refOf = (value: unknown): string | undefined => {
  const o = obj(value);
  const getAtt: unknown = o['Fn::GetAtt'];
  const name: unknown =
    typeof o['Ref'] === 'string' ? o['Ref'] : Array.isArray(getAtt) ? (getAtt as unknown[])[0] : undefined;
  return typeof name === 'string' ? name : undefined;
};

/** Local physical ids: bucket names are the logical id in lower case (S3 bucket naming rules), stable per template. */
export function localIds(region: string): LocalIds {
  return {
    region,
    physical: (logicalId: string, resource: CfnResource) => {
      if (resource.Type === 'AWS::S3::Bucket') return logicalId.toLowerCase().slice(0, 63);
      if (resource.Type === 'AWS::CloudFront::Distribution') return localDistributionId(logicalId);
      return logicalId;
    },
    attribute: (logicalId: string, resource: CfnResource, name: string) => {
      const lower = logicalId.toLowerCase();
      if (resource.Type === 'AWS::S3::Bucket' && name.endsWith('DomainName'))
        return `${lower}.s3.${region}.amazonaws.com`;
      if (resource.Type === 'AWS::Lambda::Url' && name === 'FunctionUrl')
        return `https://${lower}.lambda-url.${region}.on.aws/`;
      return undefined;
    },
  };
}

function ofType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

export function readBuckets(template: CfnTemplate, ids: LocalIds): BucketModel[] {
  const policies = ofType(template, 'AWS::S3::BucketPolicy');
  return ofType(template, 'AWS::S3::Bucket').map(([logicalId, resource]) => {
    const props = obj(resource.Properties);
    const policy = policies.find(([, p]) => refOf(obj(p.Properties)['Bucket']) === logicalId)?.[1];
    const rules = obj(props['CorsConfiguration'])['CorsRules'];
    const name = ids.physical(logicalId, resource);
    return {
      logicalId,
      name,
      arn: `arn:aws:s3:::${name}`,
      corsRules: Array.isArray(rules) ? (resolveValue(template, ids, rules) as Json[]) : [],
      policy:
        policy === undefined
          ? undefined
          : (resolveValue(template, ids, obj(policy.Properties)['PolicyDocument']) as PolicyDocument),
    };
  });
}

function rolePolicies(template: CfnTemplate, ids: LocalIds, roleId: string) {
  const role = obj(template.Resources[roleId]?.Properties);
  if (role['ManagedPolicyArns'] !== undefined) {
    throw new EdgepassError('template_unsupported', `managed policies on ${roleId} are not evaluated locally`);
  }
  const inline = (Array.isArray(role['Policies']) ? role['Policies'] : []).map((p: unknown) => ({
    name: String(obj(p)['PolicyName']),
    policy: resolveValue(template, ids, obj(p)['PolicyDocument']) as PolicyDocument,
  }));
  const attached = ofType(template, 'AWS::IAM::Policy')
    .filter(([, p]) => (obj(p.Properties)['Roles'] as unknown[] | undefined)?.some((r) => refOf(r) === roleId))
    .map(([name, p]) => ({
      name,
      policy: resolveValue(template, ids, obj(p.Properties)['PolicyDocument']) as PolicyDocument,
    }));
  return [...inline, ...attached];
}

/** Lambda permissions are statements of the function's resource policy (Lambda Developer Guide, "Resource-based policies"). */
function resourcePolicy(template: CfnTemplate, ids: LocalIds, urlId: string, functionArn: string): PolicyDocument {
  const statements = ofType(template, 'AWS::Lambda::Permission')
    .filter(
      ([, p]) =>
        refOf(obj(p.Properties)['FunctionName']) === urlId || refOf(obj(p.Properties)['FunctionName']) === functionArn,
    )
    .map(([sid, p]) => {
      const props = obj(p.Properties);
      const conditions: Json = {};
      if (props['SourceArn'] !== undefined)
        conditions['ArnLike'] = { 'AWS:SourceArn': resolveString(template, ids, props['SourceArn']) };
      if (props['InvokedViaFunctionUrl'] === true) conditions['Bool'] = { 'lambda:InvokedViaFunctionUrl': 'true' };
      const authType = props['FunctionUrlAuthType'];
      if (typeof authType === 'string') conditions['StringEquals'] = { 'lambda:FunctionUrlAuthType': authType };
      return {
        Sid: sid,
        Effect: 'Allow',
        Principal: { Service: String(props['Principal']) },
        Action: String(props['Action']),
        Resource: functionArn,
        Condition: conditions,
      };
    });
  return { Version: '2012-10-17', Statement: statements };
}

export function readFunctionUrls(template: CfnTemplate, ids: LocalIds): FunctionUrlModel[] {
  return ofType(template, 'AWS::Lambda::Url').map(([urlLogicalId, url]) => {
    const props = obj(url.Properties);
    const fnId = refOf(props['TargetFunctionArn']) ?? '';
    const fn = obj(template.Resources[fnId]?.Properties);
    const roleId = refOf(fn['Role']) ?? '';
    const functionArn = resolveString(template, ids, props['TargetFunctionArn']);
    const environment = resolveValue(template, ids, obj(obj(fn['Environment'])['Variables'])) as Record<string, string>;
    return {
      urlLogicalId,
      authType: String(props['AuthType']),
      functionArn,
      s3Key: String(obj(fn['Code'])['S3Key']),
      handler: String(fn['Handler']),
      environment,
      role: { arn: resolveString(template, ids, fn['Role']), policies: rolePolicies(template, ids, roleId) },
      resourcePolicy: resourcePolicy(template, ids, urlLogicalId, functionArn),
    };
  });
}
