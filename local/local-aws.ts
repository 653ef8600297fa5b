// The AWS side of the local stack, built from the synthesized template: s3rver with the template's buckets behind the
// S3 gate (the bucket policy, the role policies and the CORS rules enforced), and each Lambda function URL with its
// resource policy and its function, the origin API, running as its role. Dev credentials, new at every start.
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { join } from 'node:path';
import { createFunctionUrlHandler, appFromEnvironment } from '../origin-api/handler.ts';
import type { Endpoint } from './cloudfront/from-template.ts';
import { createFunctionUrlServer } from './function-url.ts';
import type { FunctionUrlCaller } from './function-url.ts';
import { createS3Gate } from './s3-gate/index.ts';
import type { GatePrincipal, GateRole } from './s3-gate/index.ts';
import { localS3Client, startLocalS3 } from './s3.ts';
import { seedDemoContent } from './seed.ts';
import { LOCAL_ACCOUNT_ID } from './template/intrinsics.ts';
import type { CfnTemplate } from './template/intrinsics.ts';
import type { DistributionModel } from './template/distribution.ts';
import { localIds, readBuckets, readFunctionUrls } from './template/services.ts';
import type { BucketModel, FunctionUrlModel } from './template/services.ts';
import { LOCAL_DEPLOY_REGION } from './template/synth.ts';
import { withCdnPort } from './cdn-origins.ts';
import { PORT_VARIABLES } from './stack-env.ts';

const HOST = '127.0.0.1';
/** A random secret for a local principal's dev access key (loopback only, new at every start). */
const devSecret = (): string => randomBytes(20).toString('base64url');
const CLOUDFRONT = 'cloudfront.amazonaws.com';

export interface LocalAws {
  /** The S3 endpoint every caller uses (the gate). */
  readonly s3: Endpoint;
  readonly s3Url: string;
  readonly apiUrl: string;
  readonly bucketName: (logicalId: string) => string;
  readonly functionUrl: (urlLogicalId: string) => Endpoint;
  readonly oac: { readonly credentials: { accessKeyId: string; secretAccessKey: string }; readonly region: string };
}

export interface LocalAwsOptions {
  readonly template: CfnTemplate;
  /** The template's distribution: its S3 origins are seeded, its ARN is CloudFront's aws:SourceArn. */
  readonly distribution: DistributionModel;
  readonly stateDir: string;
  /** The CDN's port: the template's loopback CDN origins (no port) stand for it in CORS rules. */
  readonly cdnPort: number;
  readonly ports: { readonly s3: number | undefined; readonly api: number | undefined };
  readonly nowMs: () => number;
  readonly log: (line: string) => void;
  readonly listen: (server: http.Server, port: number | undefined, variable: string) => Promise<number>;
  readonly onStop: (stop: () => Promise<void>) => void;
}

function roleFor(fn: FunctionUrlModel, index: number): GateRole {
  return {
    kind: 'role',
    arn: fn.role.arn,
    accessKeyId: `LOCALROLE${String(index).padStart(3, '0')}`,
    secretAccessKey: devSecret(),
    identityPolicies: fn.role.policies,
  };
}

async function startS3(options: LocalAwsOptions, buckets: readonly BucketModel[], principals: GatePrincipal[]) {
  const s3rver = await startLocalS3({
    directory: join(options.stateDir, 's3'),
    port: 0,
    buckets: buckets.map((b) => ({ name: b.name })),
  });
  options.onStop(() => s3rver.close());
  // Content is an operator's upload (with the account's admin credentials, straight to S3), not a request of ours.
  const admin = localS3Client(s3rver.endpoint);
  const origins = new Set(
    options.distribution.behaviours.flatMap((b) => (b.origin.kind === 's3' ? [b.origin.bucketLogicalId] : [])),
  );
  for (const bucket of buckets) if (origins.has(bucket.logicalId)) await seedDemoContent(admin, bucket.name);
  admin.destroy();
  const gate = await createS3Gate({
    upstream: { host: HOST, port: s3rver.port },
    accountId: LOCAL_ACCOUNT_ID,
    buckets: buckets.map((b) => ({
      name: b.name,
      arn: b.arn,
      policy: b.policy,
      corsRules: withCdnPort(b.corsRules, options.cdnPort),
    })),
    principals,
    // Loopback is plain http; the template's bucket policy denies requests without TLS (documented override).
    context: { 'aws:SecureTransport': 'true' },
    log: (line) => {
      options.log(`S3 ${line}`);
    },
    nowMs: options.nowMs,
  });
  options.onStop(() => gate.close());
  const port = await options.listen(gate.server, options.ports.s3, PORT_VARIABLES.s3Port);
  return { host: HOST, port };
}

async function startFunctionUrl(
  options: LocalAwsOptions,
  fn: FunctionUrlModel,
  role: GateRole,
  s3Url: string,
  callers: ReadonlyMap<string, FunctionUrlCaller>,
) {
  const logger = (level: string) => (event: string, fields: Readonly<Record<string, unknown>>) => {
    options.log(`origin API ${level} ${event} ${JSON.stringify(fields)}`);
  };
  const app = appFromEnvironment(
    { ...fn.environment, AWS_REGION: LOCAL_DEPLOY_REGION },
    {
      deps: {
        credentials: { accessKeyId: role.accessKeyId, secretAccessKey: role.secretAccessKey },
        clock: options.nowMs,
        logger: { info: logger('info'), error: logger('error') },
      },
      endpoint: s3Url,
    },
  );
  const server = createFunctionUrlServer({
    functionArn: fn.functionArn,
    resourcePolicy: fn.resourcePolicy,
    callers,
    handler: createFunctionUrlHandler(app),
    nowMs: options.nowMs,
    log: options.log,
  });
  return options.listen(server, options.ports.api, PORT_VARIABLES.apiPort);
}

export async function startLocalAws(options: LocalAwsOptions): Promise<LocalAws> {
  const ids = localIds(LOCAL_DEPLOY_REGION);
  const buckets = readBuckets(options.template, ids);
  const functionUrls = readFunctionUrls(options.template, ids);
  const oac = { accessKeyId: 'LOCALCLOUDFRONTOAC', secretAccessKey: devSecret() };
  const sourceArn = `arn:aws:cloudfront::${LOCAL_ACCOUNT_ID}:distribution/${options.distribution.id}`;
  const roles = functionUrls.map(roleFor);
  const principals: GatePrincipal[] = [{ kind: 'service', service: CLOUDFRONT, ...oac, sourceArn }, ...roles];
  const s3 = await startS3(options, buckets, principals);
  const s3Url = `http://${s3.host}:${String(s3.port)}`;
  const callers = new Map([
    [oac.accessKeyId, { secretAccessKey: oac.secretAccessKey, principal: CLOUDFRONT, sourceArn }],
  ]);
  const urlPorts = new Map<string, number>();
  for (const [index, fn] of functionUrls.entries()) {
    const role = roles[index];
    if (role !== undefined) urlPorts.set(fn.urlLogicalId, await startFunctionUrl(options, fn, role, s3Url, callers));
  }
  const byLogicalId = new Map(buckets.map((b) => [b.logicalId, b.name]));
  return {
    s3,
    s3Url,
    apiUrl: `http://${HOST}:${String(urlPorts.values().next().value ?? 0)}`,
    bucketName: (logicalId) => byLogicalId.get(logicalId) ?? logicalId.toLowerCase(),
    functionUrl: (urlLogicalId) => ({ host: HOST, port: urlPorts.get(urlLogicalId) ?? 0 }),
    oac: { credentials: oac, region: LOCAL_DEPLOY_REGION },
  };
}
