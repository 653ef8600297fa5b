// Reads the CloudFront distribution of the synthesized template into the model the local emulator runs: behaviours
// in order (default last), their origins, forwarding rules, response headers, edge functions and key groups.
// Shapes: CloudFormation Template Reference, AWS::CloudFront::Distribution (DistributionConfig, CacheBehavior, Origin).
import { createHash } from 'node:crypto';
import { EdgepassError } from '../../common/errors.ts';
import { readTemplateFunctions } from '../cloudfront/functions/index.ts';
import type { CfnResource, CfnTemplate } from './intrinsics.ts';
import { forwardRules, responseHeaders } from './policies.ts';
import type { ForwardRules, ResponseHeaders } from './policies.ts';

export type ViewerRequestCode =
  /** Lambda@Edge: the function version's code, as the S3 key of its asset, and its handler (`index.handler`). */
  | {
      readonly kind: 'lambda-edge';
      readonly functionLogicalId: string;
      readonly s3Key: string;
      readonly handler: string;
    }
  /** CloudFront Functions: the code and runtime straight from the template. */
  | { readonly kind: 'cloudfront-function'; readonly name: string; readonly code: string; readonly runtime: string };

/** The Lambda@Edge code of a behaviour's origin-response trigger (edgepass: the authorizer's not-found pages). */
export type LambdaEdgeCode = Extract<ViewerRequestCode, { kind: 'lambda-edge' }>;

export type OriginModel =
  | { readonly id: string; readonly kind: 's3'; readonly bucketLogicalId: string; readonly originPath: string }
  | { readonly id: string; readonly kind: 'lambda-url'; readonly urlLogicalId: string; readonly originPath: string };

export interface BehaviourModel {
  /** `*` for the default behaviour. */
  readonly pathPattern: string;
  readonly viewerProtocolPolicy: string;
  readonly allowedMethods: readonly string[];
  readonly origin: OriginModel;
  /** Signed by origin access control (SigV4) with signing behaviour `always`. */
  readonly originAccessControl: boolean;
  readonly forward: ForwardRules;
  readonly responseHeaders: ResponseHeaders | undefined;
  readonly viewerRequest: ViewerRequestCode | undefined;
  readonly originResponse: LambdaEdgeCode | undefined;
  /** Key pair ids of the trusted key groups: CloudFront itself checks signed URLs and cookies. */
  readonly trustedKeyPairIds: readonly string[];
}

export interface DistributionModel {
  readonly logicalId: string;
  readonly id: string;
  /** The object CloudFront requests for `/` (DistributionConfig.DefaultRootObject). */
  readonly defaultRootObject: string | undefined;
  readonly behaviours: readonly BehaviourModel[];
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function unsupported(what: string): never {
  throw new EdgepassError('template_unsupported', `the local stack does not emulate ${what}`);
}

/** A distribution id in CloudFront's shape (E + 13 upper-case letters or digits), stable per logical id. */
export function localDistributionId(logicalId: string): string {
  return `E${createHash('sha256').update(logicalId).digest('hex').slice(0, 13).toUpperCase()}`;
}

/** Every logical id that `value` names through Ref or Fn::GetAtt. */
function namedResources(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) namedResources(item, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') out.push(inner);
      else if (key === 'Fn::GetAtt' && Array.isArray(inner)) out.push(String(inner[0]));
      else namedResources(inner, out);
    }
  }
  return out;
}

function resourceOfType(template: CfnTemplate, value: unknown, type: string): [string, CfnResource] | undefined {
  for (const id of namedResources(value)) {
    const resource = template.Resources[id];
    if (resource?.Type === type) return [id, resource];
  }
  return undefined;
}

function originOf(template: CfnTemplate, origin: Json): OriginModel {
  const id = String(origin['Id']);
  const originPath = typeof origin['OriginPath'] === 'string' ? origin['OriginPath'] : '';
  const bucket = resourceOfType(template, origin['DomainName'], 'AWS::S3::Bucket');
  if (bucket !== undefined && origin['S3OriginConfig'] !== undefined) {
    return { id, kind: 's3', bucketLogicalId: bucket[0], originPath };
  }
  const url = resourceOfType(template, origin['DomainName'], 'AWS::Lambda::Url');
  if (url !== undefined) return { id, kind: 'lambda-url', urlLogicalId: url[0], originPath };
  return unsupported(`the origin ${id}`);
}

function lambdaEdge(template: CfnTemplate, association: Json): LambdaEdgeCode {
  const version = resourceOfType(template, association['LambdaFunctionARN'], 'AWS::Lambda::Version');
  const fn = version && resourceOfType(template, version[1].Properties?.['FunctionName'], 'AWS::Lambda::Function');
  if (fn === undefined) return unsupported('a Lambda@Edge association without a function version in this stack');
  const props = obj(fn[1].Properties);
  const s3Key = obj(props['Code'])['S3Key'];
  if (typeof s3Key !== 'string') return unsupported('Lambda code that is not an asset');
  return { kind: 'lambda-edge', functionLogicalId: fn[0], s3Key, handler: String(props['Handler']) };
}

function cloudFrontFunction(template: CfnTemplate, association: Json): ViewerRequestCode {
  const fn = resourceOfType(template, association['FunctionARN'], 'AWS::CloudFront::Function');
  // The one reader of AWS::CloudFront::Function (it refuses code the local runtime could not run as deployed).
  const found = fn === undefined ? undefined : readTemplateFunctions(template).find((f) => f.logicalId === fn[0]);
  if (found === undefined) return unsupported('a function association without its function');
  return { kind: 'cloudfront-function', name: found.name, code: found.code, runtime: found.runtime };
}

/**
 * The edge code of a behaviour by event type: viewer request (Lambda@Edge or a CloudFront Function) and origin
 * response (Lambda@Edge); edgepass uses no other event type, so any other is refused loudly.
 */
function edgeCode(template: CfnTemplate, behaviour: Json) {
  const associations = [
    ...list(behaviour['LambdaFunctionAssociations']).map((a) => ({ a: obj(a), lambda: true })),
    ...list(behaviour['FunctionAssociations']).map((a) => ({ a: obj(a), lambda: false })),
  ];
  let viewerRequest: ViewerRequestCode | undefined;
  let originResponse: LambdaEdgeCode | undefined;
  for (const { a, lambda } of associations) {
    if (a['EventType'] === 'viewer-request')
      viewerRequest = lambda ? lambdaEdge(template, a) : cloudFrontFunction(template, a);
    else if (a['EventType'] === 'origin-response' && lambda) originResponse = lambdaEdge(template, a);
    else unsupported(`a ${String(a['EventType'])} association`);
  }
  return { viewerRequest, originResponse };
}

function keyPairIds(template: CfnTemplate, behaviour: Json): string[] {
  return list(behaviour['TrustedKeyGroups']).flatMap((group) => {
    const found = resourceOfType(template, group, 'AWS::CloudFront::KeyGroup');
    return found === undefined ? [] : list(obj(obj(found[1].Properties)['KeyGroupConfig'])['Items']).map(String);
  });
}

function behaviourOf(template: CfnTemplate, behaviour: Json, origins: Json[]): BehaviourModel {
  const target = origins.find((o) => o['Id'] === behaviour['TargetOriginId']);
  if (target === undefined)
    return unsupported(`a behaviour whose origin ${String(behaviour['TargetOriginId'])} is missing`);
  return {
    pathPattern: typeof behaviour['PathPattern'] === 'string' ? behaviour['PathPattern'] : '*',
    viewerProtocolPolicy: String(behaviour['ViewerProtocolPolicy']),
    allowedMethods: list(behaviour['AllowedMethods'] ?? ['GET', 'HEAD']).map(String),
    origin: originOf(template, target),
    originAccessControl: target['OriginAccessControlId'] !== undefined,
    forward: forwardRules(template, behaviour),
    responseHeaders: responseHeaders(template, behaviour['ResponseHeadersPolicyId']),
    ...edgeCode(template, behaviour),
    trustedKeyPairIds: keyPairIds(template, behaviour),
  };
}

/** The one distribution of the template. */
export function readDistribution(template: CfnTemplate): DistributionModel {
  const found = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::CloudFront::Distribution');
  const [entry] = found;
  if (entry === undefined || found.length > 1) return unsupported('a template without exactly one distribution');
  const [logicalId, resource] = entry;
  const config = obj(obj(resource.Properties)['DistributionConfig']);
  const origins = list(config['Origins']).map(obj);
  const behaviours = [...list(config['CacheBehaviors']).map(obj), obj(config['DefaultCacheBehavior'])];
  return {
    logicalId,
    id: localDistributionId(logicalId),
    defaultRootObject: typeof config['DefaultRootObject'] === 'string' ? config['DefaultRootObject'] : undefined,
    behaviours: behaviours.map((b) => behaviourOf(template, b, origins)),
  };
}
