// The EdgePass construct's props and their up-front check. The props come from a validated configuration, but
// the construct is reusable, so it checks them again and reports every problem at once (cdk-nag/solutions style).
import { protectedCacheControlProblem } from '../common/cache-control.ts';
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import type { PriceClass } from 'aws-cdk-lib/aws-cloudfront';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CLOSED_ORIGIN_PATH } from './bucket-access.ts';
import { RATE_LIMIT_RANGE, WINDOW_SECONDS } from './waf.ts';
import type { EdgePassRateLimit } from './waf.ts';

/** One protected path prefix; it becomes the cache behaviour `${prefix}*`. */
export interface EdgePassProtectedPath {
  /** Static prefix that the function guards, e.g. `/attractions/` (from pattern `/attractions/{attraction}/`). */
  readonly prefix: string;
  /**
   * `edge`: the viewer-request function guards the behaviour (direct hits are auto-authorised).
   * `native`: the behaviour is restricted with the trusted key group; CloudFront checks signatures itself.
   */
  readonly enforcement: 'edge' | 'native';
}

export interface EdgePassProps {
  /** Protected path prefixes, one cache behaviour each. */
  readonly protectedPaths: readonly EdgePassProtectedPath[];
  /**
   * CloudFront public key ids the key group trusts: the active signer's id and those still accepted (rotation).
   * The public keys themselves are deployed beforehand (EdgePassKeysStack), see docs/deploy.md.
   */
  readonly keyPairIds: readonly string[];
  /** The built edge bundle (single ESM file exporting `handler`), alone in its directory (the Lambda asset). */
  readonly edgeBundleFile: string;
  /** The built origin API bundle (single ESM file exporting `handler`), alone in its directory. */
  readonly originApiBundleFile: string;
  /**
   * The Secrets Manager secret holding the signing key, when the edge bundle reads it at cold start; the edge
   * function's role may then read exactly this secret (and decrypt with `kmsKeyArn`, a customer managed key).
   * @default - none: the key is baked into the edge bundle
   */
  readonly signingKeySecret?: { readonly secretArn: string; readonly kmsKeyArn?: string };
  /** S3 key prefix the origin API may read and write, e.g. `uploads/`. */
  readonly originApiPrefix: string;
  /**
   * Environment for the origin API function; `EDGEPASS_BUCKET` (the bucket's name) is always added.
   * @default - none
   */
  readonly originApiEnvironment?: Readonly<Record<string, string>>;
  /**
   * Browser origins of the apps: allowed by the bucket's CORS (presigned uploads and downloads), by `/api/*`, and
   * with credentials by the protected paths and `/_edgepass/*` (CORS).
   * @default - none: no CORS for apps
   */
  readonly appOrigins?: readonly string[];
  /**
   * Origins the distribution serves pages from: `https://<each domain name>`; allowed by the bucket's CORS so a
   * CDN-hosted page can upload (and read) with presigned URLs.
   * @default - none
   */
  readonly cdnOrigins?: readonly string[];
  /**
   * Custom domain and its ACM certificate (in us-east-1).
   * @default - the distribution's own `*.cloudfront.net` name
   */
  readonly domain?: { readonly name: string; readonly certificateArn: string };
  /**
   * `Cache-Control` of every protected response (set over the object's own): must keep shared caches out (`private`
   * or `no-store`). `no-cache` makes the browser ask the CDN before each reuse, so the edge decides again (a signed-out
   * browser is refused on reload) at the cost of one request and one edge invocation per reuse.
   * @default 'private, no-cache'
   */
  readonly protectedCacheControl?: string;
  /**
   * Your own AWS WAF web ACL (scope CLOUDFRONT) to attach instead of the one `rateLimit` creates.
   * @default - none: the construct creates one (see `rateLimit`)
   */
  readonly webAclArn?: string;
  /**
   * The per-IP rate limit of the web ACL the construct creates in us-east-1 and attaches, unless `webAclArn` is
   * given; `false` attaches none. Every edge-enforced request invokes Lambda@Edge (1,000 concurrent executions per
   * region by default) and WAF runs before it, so this is the guard against a flood (and costs a web ACL and a rule
   * per month plus a charge per million requests: AWS WAF pricing).
   * @default { requestsPerIp: 2000, windowSeconds: 300 }
   */
  readonly rateLimit?: EdgePassRateLimit | false;
  /**
   * Edge locations that serve the distribution.
   * @default PriceClass.PRICE_CLASS_ALL
   */
  readonly priceClass?: PriceClass;
  /**
   * Bucket folder served by the default (public) behaviour, as an origin path. Keeping public content in its own
   * folder means no encoded-path trick on the default behaviour can reach protected or uploaded objects.
   * @default '/public'
   */
  readonly publicOriginPath?: string;
  /**
   * Rollback pin: the distribution runs this existing numbered version of the authorizer (a full version ARN in
   * us-east-1, e.g. one `edgepass versions list` shows) instead of the version this synth publishes. The function
   * and its new version are still deployed; only the distribution's associations change.
   * @default - the version published from `edgeBundleFile`
   */
  readonly authorizerVersionArn?: string;
  /**
   * The authorizer's function name. A fixed name lets alarms and log groups in every region name its replicas
   * (`us-east-1.<name>`) without a cross-region lookup; changing it replaces the function.
   * @default - a name CloudFormation generates
   */
  readonly authorizerFunctionName?: string;
  /**
   * How long the origin API's log group keeps logs.
   * @default RetentionDays.ONE_MONTH
   */
  readonly originApiLogRetention?: RetentionDays;
}

const RESERVED = ['/api/', '/_edgepass/'];
// A browser origin (RFC 6454): https with a host and optional port, nothing after it (CORS compares it verbatim, and
// never a wildcard). Plain http only on loopback, the local stack's one override (edge config `viewerProtocol`,
// which also treats `*.localhost` as loopback).
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const PORT = '(?::\\d{1,5})?';
const ORIGIN = new RegExp(
  `^https://${LABEL}(?:\\.${LABEL})*${PORT}$|^http://(?:(?:${LABEL}\\.)*localhost|127\\.0\\.0\\.1)${PORT}$`,
);
// Lambda caps all environment variables together at 4 KB (Lambda Developer Guide, "Quotas").
const MAX_ENV_BYTES = 4096;

function checkBundle(file: string, what: string, problems: string[]): void {
  const ext = extname(file);
  if (ext !== '.mjs' && ext !== '.js') problems.push(`${what} must be a .mjs or .js file`);
  try {
    if (!statSync(file).isFile()) problems.push(`${what} ${file} is not a file`);
    // The whole directory becomes the code package: anything else in it would ship too (a key file, say).
    const others = readdirSync(dirname(file)).filter((name) => name !== basename(file));
    if (others.length > 0) problems.push(`${what} must be alone in its directory (found ${others.length} other)`);
  } catch {
    problems.push(`${what} ${file} does not exist`);
  }
}

function checkPaths(paths: readonly EdgePassProtectedPath[], problems: string[]): void {
  if (paths.length === 0) problems.push('protectedPaths must list at least one path');
  const seen = new Set<string>();
  for (const path of paths) {
    if (!/^(?:\/[A-Za-z0-9_~-][A-Za-z0-9_.~-]{0,63})+\/$/.test(path.prefix)) {
      problems.push(`protectedPaths prefix "${path.prefix}" must look like /attractions/`);
    }
    if (RESERVED.some((r) => path.prefix.startsWith(r))) problems.push(`protectedPaths "${path.prefix}" is reserved`);
    if (seen.has(path.prefix)) problems.push(`protectedPaths "${path.prefix}" is listed twice`);
    seen.add(path.prefix);
  }
}

function checkOrigins(name: string, origins: readonly string[] | undefined, problems: string[]): void {
  for (const origin of origins ?? []) {
    if (!ORIGIN.test(origin)) {
      problems.push(`${name} "${origin}" must be an https origin without path (http only on localhost or 127.0.0.1)`);
    }
  }
}

function envBytes(props: EdgePassProps): number {
  const env = { ...props.originApiEnvironment, EDGEPASS_BUCKET: 'x'.repeat(63) };
  return Object.entries(env).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
}

function checkRateLimit(props: EdgePassProps, problems: string[]): void {
  const limit = props.rateLimit;
  if (limit === undefined || limit === false) return;
  if (props.webAclArn !== undefined) problems.push('rateLimit and webAclArn exclude each other');
  const { min, max } = RATE_LIMIT_RANGE;
  if (!Number.isInteger(limit.requestsPerIp) || limit.requestsPerIp < min || limit.requestsPerIp > max) {
    problems.push(`rateLimit.requestsPerIp must be an integer from ${min} to ${max} (AWS WAF)`);
  }
  if (!WINDOW_SECONDS.includes(limit.windowSeconds)) {
    problems.push('rateLimit.windowSeconds must be 60, 120, 300 or 600 (AWS WAF)');
  }
}

/** Every problem with the props, empty when they are usable. */
export function checkProps(props: EdgePassProps): string[] {
  const problems: string[] = [];
  checkPaths(props.protectedPaths, problems);
  const ids = new Set(props.keyPairIds);
  if (ids.size === 0 || ids.size > 5) problems.push('keyPairIds must name 1 to 5 keys (CloudFront key group quota)');
  if (ids.size !== props.keyPairIds.length) problems.push('keyPairIds must not repeat an id');
  for (const id of ids) if (!/^[A-Z0-9]{6,64}$/.test(id)) problems.push(`keyPairIds "${id}" is not a public key id`);
  checkBundle(props.edgeBundleFile, 'edgeBundleFile', problems);
  checkBundle(props.originApiBundleFile, 'originApiBundleFile', problems);
  if (!/^(?:[A-Za-z0-9_-][A-Za-z0-9_.-]{0,62}\/){1,8}$/.test(props.originApiPrefix)) {
    problems.push('originApiPrefix must look like "uploads/"');
  }
  if (envBytes(props) > MAX_ENV_BYTES) problems.push(`originApiEnvironment exceeds Lambda's ${MAX_ENV_BYTES} bytes`);
  checkOrigins('appOrigins', props.appOrigins, problems);
  const cacheProblem =
    props.protectedCacheControl === undefined ? undefined : protectedCacheControlProblem(props.protectedCacheControl);
  if (cacheProblem !== undefined) problems.push(`protectedCacheControl ${cacheProblem}`);
  checkOrigins('cdnOrigins', props.cdnOrigins, problems);
  checkRateLimit(props, problems);
  if (props.domain !== undefined && !props.domain.certificateArn.includes(':acm:us-east-1:')) {
    problems.push('domain.certificateArn must be an ACM certificate in us-east-1');
  }
  const secret = props.signingKeySecret;
  if (secret !== undefined && !/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:\S+$/.test(secret.secretArn)) {
    problems.push('signingKeySecret.secretArn must be a full Secrets Manager secret ARN');
  }
  if (secret?.kmsKeyArn !== undefined && !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/\S+$/.test(secret.kmsKeyArn)) {
    problems.push('signingKeySecret.kmsKeyArn must be a KMS key ARN');
  }
  if (props.publicOriginPath !== undefined && !/^(\/[A-Za-z0-9_-]+)+$/.test(props.publicOriginPath)) {
    problems.push('publicOriginPath must look like /public');
  }
  // The public folder must neither hold nor lie inside protected or uploaded objects, or the default behaviour would
  // serve them (and CloudFront, which may read the public folder, could read uploads); nor lie in the folder of the
  // closed origin that `/_edgepass/*` reads (infra/bucket-access.ts), which must stay unreadable.
  const publicFolder = `${props.publicOriginPath ?? '/public'}/`;
  const apart = [...props.protectedPaths.map((p) => p.prefix), `/${props.originApiPrefix}`, `${CLOSED_ORIGIN_PATH}/`];
  if (apart.some((prefix) => prefix.startsWith(publicFolder) || publicFolder.startsWith(prefix))) {
    problems.push(
      `protected paths, originApiPrefix and ${CLOSED_ORIGIN_PATH}/ must not overlap the public folder ${publicFolder}`,
    );
  }
  const pinned = props.authorizerVersionArn;
  if (pinned !== undefined && !/^arn:aws[a-z-]*:lambda:us-east-1:\d{12}:function:[\w-]{1,64}:[1-9]\d*$/.test(pinned)) {
    problems.push('authorizerVersionArn must be a numbered Lambda version ARN in us-east-1');
  }
  const name = props.authorizerFunctionName;
  if (name !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(name)) {
    problems.push('authorizerFunctionName must be 1 to 64 letters, digits, - or _ (a Lambda function name)');
  }
  const apiPath = `/${props.originApiPrefix}`;
  if (props.protectedPaths.some((p) => apiPath.startsWith(p.prefix) || p.prefix.startsWith(apiPath))) {
    problems.push('originApiPrefix must not overlap a protected path (the API would write protected content)');
  }
  return problems;
}
