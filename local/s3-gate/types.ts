// The gate's public value types: plain, already-resolved values read from the synthesized template (another part of
// the local stack fills them). Nothing here is trusted from a request.

export type { PolicyDocument } from '../template/services.ts';
import type { PolicyDocument } from '../template/services.ts';

/** One bucket CORS rule in CloudFormation's shape (`AWS::S3::Bucket` `CorsConfiguration.CorsRules`). */
export interface CorsRule {
  readonly AllowedOrigins: readonly string[];
  readonly AllowedMethods: readonly string[];
  readonly AllowedHeaders?: readonly string[];
  readonly ExposedHeaders?: readonly string[];
  readonly MaxAge?: number;
  readonly Id?: string;
}

export interface GateBucket {
  /** The local bucket name (path-style: `/<name>/<key>`). */
  readonly name: string;
  /** `arn:aws:s3:::<name>`. */
  readonly arn: string;
  /** The bucket policy (`AWS::S3::BucketPolicy` `PolicyDocument`), or undefined when the bucket has none. */
  readonly policy: PolicyDocument | undefined;
  /** The bucket's CORS rules in order; empty when the bucket has no CORS configuration. */
  readonly corsRules: readonly CorsRule[];
}

/** A role the local stack's code runs as (its SigV4 key pair stands in for the role session's credentials). */
export interface GateRole {
  readonly kind: 'role';
  /** `arn:aws:iam::<account>:role/<path/>Name`. */
  readonly arn: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly identityPolicies: readonly { readonly name: string; readonly policy: PolicyDocument }[];
}

/** An AWS service calling on a resource's behalf, e.g. CloudFront origin access control. */
export interface GateService {
  readonly kind: 'service';
  /** The service principal, e.g. `cloudfront.amazonaws.com`. */
  readonly service: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Put in the request context as `aws:SourceArn`, as S3 does for OAC (the distribution ARN). */
  readonly sourceArn: string;
}

export type GatePrincipal = GateRole | GateService;

export interface S3GateOptions {
  /** The s3rver behind the gate; its buckets must be created without CORS configs (the gate is the only source). */
  readonly upstream: { readonly host: string; readonly port: number };
  /** The account that owns the buckets: same-account evaluation when it equals a role's account. */
  readonly accountId: string;
  readonly buckets: readonly GateBucket[];
  readonly principals: readonly GatePrincipal[];
  /**
   * Local overrides of request context keys, applied last, e.g. `{ 'aws:SecureTransport': 'true' }` because loopback
   * is plain http. Every override is a documented difference from AWS.
   * @default {} (no overrides: `aws:SecureTransport` is `false` over http)
   */
  readonly context?: Readonly<Record<string, string>>;
  /**
   * Largest browser POST upload body buffered for its form fields; bigger uploads get S3's `EntityTooLarge`.
   * @default 6 MiB + 64 KiB of form overhead
   */
  readonly maxFormBytes?: number;
  /** One line per request; never a query value, signature, credential or token. @default no logging */
  readonly log?: (line: string) => void;
  /** The clock for `aws:CurrentTime`/`aws:EpochTime` and POST policy expiry. @default Date.now */
  readonly nowMs?: () => number;
}
