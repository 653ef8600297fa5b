// Resolves the CloudFormation intrinsic functions the synthesized edgepass template uses (Ref, Fn::GetAtt, Fn::Join,
// Fn::Select, Fn::Split, Fn::Sub) against local stand-ins for physical ids. Input is our own synthesized template.
import { EdgepassError } from '../../common/errors.ts';

export type Cfn = unknown;
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, Cfn>;
}
export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
}

/** The local account and partition stand in for the deploying account (CloudFormation pseudo parameters). */
export const LOCAL_ACCOUNT_ID = '000000000000';

export interface LocalIds {
  readonly region: string;
  /** Physical id per logical id (bucket names, distribution id, …): what `Ref` returns locally. */
  readonly physical: (logicalId: string, resource: CfnResource) => string;
  /** `Fn::GetAtt` values that only the running stack knows (a function URL, a bucket's domain name). */
  readonly attribute: (logicalId: string, resource: CfnResource, name: string) => string | undefined;
}

const pseudo = (ids: LocalIds): Record<string, string> => ({
  'AWS::AccountId': LOCAL_ACCOUNT_ID,
  'AWS::Partition': 'aws',
  'AWS::Region': ids.region,
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'local',
});

function unsupported(what: string): never {
  throw new EdgepassError('template_unsupported', `the local stack cannot resolve ${what} in the synthesized template`);
}

/** Resolves one value of the template: objects and arrays recursively, intrinsics to strings. */
export function resolveValue(template: CfnTemplate, ids: LocalIds, value: Cfn): Cfn {
  if (Array.isArray(value)) return value.map((item) => resolveValue(template, ids, item));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value);
  const [name, arg] = entries[0] ?? [];
  if (entries.length === 1 && name !== undefined && (name === 'Ref' || name.startsWith('Fn::'))) {
    return resolveIntrinsic(template, ids, name, arg);
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, resolveValue(template, ids, v)]));
}

export function resolveString(template: CfnTemplate, ids: LocalIds, value: Cfn): string {
  const resolved = resolveValue(template, ids, value);
  if (typeof resolved !== 'string')
    unsupported(`a non-string value where a string is needed (${JSON.stringify(value)})`);
  return resolved;
}

function resourceOf(template: CfnTemplate, logicalId: string): CfnResource {
  return template.Resources[logicalId] ?? unsupported(`a reference to the unknown resource ${logicalId}`);
}

function ref(template: CfnTemplate, ids: LocalIds, name: string): string {
  const fromPseudo = pseudo(ids)[name];
  if (fromPseudo !== undefined) return fromPseudo;
  return ids.physical(name, resourceOf(template, name));
}

/** The ARN-shaped attributes follow each service's ARN format (AWS General Reference, "Amazon Resource Names"). */
function getAtt(template: CfnTemplate, ids: LocalIds, logicalId: string, attribute: string): string {
  const resource = resourceOf(template, logicalId);
  const special = ids.attribute(logicalId, resource, attribute);
  if (special !== undefined) return special;
  const id = ids.physical(logicalId, resource);
  const region = ids.region;
  switch (`${resource.Type}.${attribute}`) {
    case 'AWS::S3::Bucket.Arn':
      return `arn:aws:s3:::${id}`;
    case 'AWS::IAM::Role.Arn':
      return `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${id}`;
    case 'AWS::Lambda::Function.Arn':
    case 'AWS::Lambda::Url.FunctionArn':
      return `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${id}`;
    case 'AWS::Logs::LogGroup.Arn':
      return `arn:aws:logs:${region}:${LOCAL_ACCOUNT_ID}:log-group:${id}:*`;
    case 'AWS::CloudFront::Function.FunctionARN':
      return `arn:aws:cloudfront::${LOCAL_ACCOUNT_ID}:function/${id}`;
    case 'AWS::CloudFront::OriginAccessControl.Id':
    case 'AWS::CloudFront::Distribution.Id':
      return id;
    default:
      return unsupported(`Fn::GetAtt ${resource.Type}.${attribute}`);
  }
}

function resolveIntrinsic(template: CfnTemplate, ids: LocalIds, name: string, arg: Cfn): string | string[] {
  const str = (v: Cfn) => resolveString(template, ids, v);
  switch (name) {
    case 'Ref':
      return typeof arg === 'string' ? ref(template, ids, arg) : unsupported('a Ref to a non-string');
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = Array.isArray(arg) ? (arg as unknown[]) : String(arg).split('.');
      return getAtt(template, ids, String(logicalId), String(attribute));
    }
    case 'Fn::Join': {
      const [separator, parts] = arg as [string, Cfn[]];
      return parts.map(str).join(separator);
    }
    case 'Fn::Select': {
      const [index, list] = arg as [number | string, Cfn];
      const values = resolveValue(template, ids, list);
      const picked = Array.isArray(values) ? (values as unknown[])[Number(index)] : undefined;
      return typeof picked === 'string' ? picked : unsupported('Fn::Select out of range');
    }
    case 'Fn::Split': {
      const [separator, source] = arg as [string, Cfn];
      return str(source).split(separator);
    }
    case 'Fn::Sub':
      return typeof arg === 'string'
        ? arg.replace(/\$\{([^}]+)\}/g, (_, key: string) => ref(template, ids, key))
        : unsupported('Fn::Sub with variables');
    default:
      return unsupported(name);
  }
}
