// Fixtures for the infra tests: a configuration with keys generated per test run (temp dir, never committed),
// real bundles built with the project's builders, and one synthesis of the whole app; or the EdgePass construct
// alone with placeholder bundles, for what the app does not vary.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair } from '../../common/keypair.ts';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/app.ts';
import type { EdgePassApp } from '../../infra/app.ts';
import { buildBundles } from '../../infra/bundles.ts';
import type { Bundles } from '../../infra/bundles.ts';
import { resolveConfig } from '../../infra/config/load.ts';
import type { EdgePassConfig } from '../../infra/config/load.ts';
import { EdgePass } from '../../infra/edge-pass.ts';
import type { EdgePassProps } from '../../infra/edge-pass.ts';
import { exampleDocument } from '../../infra/example-config.ts';

export interface Fixture {
  readonly dir: string;
  readonly document: Record<string, unknown>;
  readonly privateKeyPem: string;
  readonly publicKeyPem: string;
}

export function rsaPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKeyPem, publicKeyPem } = generateKeyPair('rsa-2048');
  return { privateKeyPem, publicKeyPem };
}

let shared: { privateKeyPem: string; publicKeyPem: string } | undefined;
const made: string[] = [];

/** Deletes every fixture directory (they hold generated private keys and built bundles). */
export function removeFixtures(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A valid example document in a fresh temp dir, with its private key file beside it (keys made once per file). */
export function fixture(): Fixture {
  const dir = mkdtempSync(join(tmpdir(), 'edgepass-infra-'));
  made.push(dir);
  shared ??= rsaPair();
  const { privateKeyPem, publicKeyPem } = shared;
  writeFileSync(join(dir, 'cloudfront-private.pem'), privateKeyPem, { mode: 0o600 });
  const idp = generateKeyPair('ec-p256');
  const jwk = { ...idp.publicKey.export({ format: 'jwk' }), kid: 'test-1', alg: 'ES256' };
  return { dir, document: exampleDocument(publicKeyPem, jwk), privateKeyPem, publicKeyPem };
}

/** The deployment section of a document, for tests that change it. */
export function deploymentOf(document: Record<string, unknown>): Record<string, unknown> {
  return document['deployment'] as Record<string, unknown>;
}

export const WEB_ACL = 'arn:aws:wafv2:us-east-1:111122223333:global/webacl/edge/00000000-0000-4000-8000-000000000000';

/** Turns the example into a minimal deployment in us-east-1: no custom domain, no app origins, a web ACL, one path. */
export function makeMinimal(f: Fixture): void {
  const deployment = deploymentOf(f.document);
  deployment['region'] = 'us-east-1';
  deployment['stackName'] = 'EdgePassMinimal';
  deployment['webAclArn'] = WEB_ACL;
  deployment['priceClass'] = 'PriceClass_100';
  delete deployment['domain'];
  delete f.document['appOrigins'];
  f.document['protectedPaths'] = (f.document['protectedPaths'] as unknown[]).slice(0, 1);
  // Browsers may reuse media for 5 minutes without asking (fewer edge invocations, sign-out takes up to 5 min).
  f.document['protectedCacheControl'] = 'private, max-age=300';
}

/** A stand-in code package: a handler file alone in its own folder (for tests that never run the code). */
export function placeholderBundle(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `edgepass-${name}-`));
  made.push(dir);
  mkdirSync(join(dir, name));
  const file = join(dir, name, 'index.mjs');
  writeFileSync(file, 'export const handler = async () => ({});\n');
  return file;
}

/** The EdgePass construct alone in a stack (eu-west-1), with placeholder bundles: its template, without the app. */
export function edgePassTemplate(props: Partial<EdgePassProps>): Template {
  const outdir = mkdtempSync(join(tmpdir(), 'edgepass-construct-'));
  made.push(outdir);
  const stack = new Stack(new App({ outdir }), 'Construct', { env: { region: 'eu-west-1' } });
  new EdgePass(stack, 'EdgePass', {
    protectedPaths: [{ prefix: '/attractions/', enforcement: 'edge' }],
    keyPairIds: ['K2JCJMDEHXQW5F'],
    edgeBundleFile: placeholderBundle('edge'),
    originApiBundleFile: placeholderBundle('api'),
    originApiPrefix: 'uploads/',
    ...props,
  });
  return Template.fromStack(stack);
}

export interface Synthesised {
  readonly config: EdgePassConfig;
  readonly bundles: Bundles;
  readonly built: EdgePassApp;
  readonly main: Stack;
  /** The us-east-1 stack CDK adds for the Lambda@Edge function (none when the app's region is us-east-1). */
  readonly edgeStack: Stack | undefined;
}

/** Builds the real bundles and the app for `document`, synthesising it once into a temp dir. */
export async function synthesise(f: Fixture): Promise<Synthesised> {
  const config = resolveConfig(f.document, f.dir);
  const { metricsSampleRate } = config.deployment.monitoring;
  const bundles = await buildBundles(config.raw, join(f.dir, 'bundles'), { metricsSampleRate });
  const built = buildApp({ config, bundles, appProps: { outdir: join(f.dir, 'cdk.out') } });
  built.app.synth();
  const main = built.main;
  if (main === undefined) throw new Error('the main stack was not created');
  const edgeId = `${main.stackName}-edge`;
  const edgeStack = built.app.node.children.find((c): c is Stack => c instanceof Stack && c.node.id === edgeId);
  return { config, bundles, built, main, edgeStack };
}

/**
 * cdk-nag's findings of one level in every stack of the app, read from the cloud assembly it was synthesised into.
 * (The assertions' Annotations.fromStack synthesises the whole app again on every call: slow with many stacks.)
 */
export function nagFindings(app: App, level: 'error' | 'warning'): string[] {
  return app.synth().stacks.flatMap((stack) =>
    stack.messages
      .filter((m) => m.entry.type === `aws:cdk:${level}`)
      .map((m) => `${stack.stackName} ${m.id}: ${JSON.stringify(m.entry.data).slice(0, 100)}`)
      .filter((line) => line.includes('AwsSolutions-')),
  );
}

/** The media bucket's CORS rules as the template must carry them for `origins` (reads, then uploads). */
export function bucketCorsRules(origins: readonly string[]): Record<string, unknown>[] {
  return [
    {
      Id: 'read',
      AllowedOrigins: origins,
      AllowedMethods: ['GET', 'HEAD'],
      AllowedHeaders: ['range', 'x-amz-*'],
      ExposedHeaders: ['ETag', 'Content-Range', 'Accept-Ranges'],
      MaxAge: 600,
    },
    {
      Id: 'upload',
      AllowedOrigins: origins,
      AllowedMethods: ['PUT', 'POST'],
      AllowedHeaders: ['content-type', 'x-amz-*'],
      ExposedHeaders: ['ETag'],
      MaxAge: 600,
    },
  ];
}
