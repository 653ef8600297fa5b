// Synthesizes the real CDK app (infra/) for the local stack's configuration, or reuses the last synthesis when
// neither the configuration nor the code it is built from changed (content hash). Dev only; writes to the state folder.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makePrivateDir, PRIVATE_FILE_MODE, restrictTree } from '../../common/private-files.ts';
import type { CfnTemplate } from './intrinsics.ts';

/** The local deployment: one stack in us-east-1, so the Lambda@Edge function sits in the same template. */
export const LOCAL_STACK_NAME = 'EdgePassLocal';
export const LOCAL_DEPLOY_REGION = 'us-east-1';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** What the template and its bundles are built from: a change in any of these synthesizes again. */
const SOURCES = ['infra', 'edge', 'common', 'origin-api', 'esbuild.config.mjs', 'package-lock.json'];

export interface Synthesized {
  readonly template: CfnTemplate;
  /** The cloud assembly folder (cdk.out) of this synthesis. */
  readonly assemblyDir: string;
  /** True when an earlier synthesis with the same inputs was reused. */
  readonly reused: boolean;
  readonly elapsedMs: number;
}

function hashTree(hash: ReturnType<typeof createHash>, path: string): void {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) hashTree(hash, join(path, name));
    return;
  }
  hash.update(path.slice(root.length)).update('\0').update(readFileSync(path)).update('\0');
}

/** The content hash of a document and the sources: equal hashes give equal templates and bundles. */
export function synthesisKey(document: unknown): string {
  const hash = createHash('sha256').update(JSON.stringify(document)).update('\0');
  for (const source of SOURCES) hashTree(hash, join(root, source));
  return hash.digest('hex');
}

function readTemplate(assemblyDir: string): CfnTemplate {
  return JSON.parse(readFileSync(join(assemblyDir, `${LOCAL_STACK_NAME}.template.json`), 'utf8')) as CfnTemplate;
}

async function synthesize(document: Record<string, unknown>, dir: string): Promise<void> {
  // Imported here: aws-cdk-lib is large, and a reused synthesis never needs it.
  const [{ resolveConfig }, { buildBundles }, { buildApp }, { AssetStaging }] = await Promise.all([
    import('../../infra/config/load.ts'),
    import('../../infra/bundles.ts'),
    import('../../infra/app.ts'),
    import('aws-cdk-lib'),
  ]);
  // CDK caches staged assets per process by source path; this folder was just removed and is rebuilt, so a second
  // synthesis in one process (a stack started again on another port) must stage its assets afresh.
  AssetStaging.clearAssetHashCache();
  const config = resolveConfig(document, dir, { target: 'local' });
  const bundles = await buildBundles(config.raw, join(dir, 'bundles'));
  const { app } = buildApp({ config, bundles, appProps: { outdir: join(dir, 'cdk.out') } });
  app.synth();
}

/**
 * The template of the local deployment of `document` (a full configuration with its `deployment` section).
 * Reused from `stateDir/template/` when the key matches; otherwise synthesized there again (the old one removed).
 */
export async function synthLocal(document: Record<string, unknown>, stateDir: string): Promise<Synthesized> {
  const started = performance.now();
  const dir = resolve(stateDir, 'template');
  const key = synthesisKey(document);
  const keyFile = join(dir, 'key.txt');
  const assemblyDir = join(dir, 'cdk.out');
  const reused = existsSync(keyFile) && readFileSync(keyFile, 'utf8') === key && existsSync(assemblyDir);
  if (!reused) {
    rmSync(dir, { recursive: true, force: true });
    makePrivateDir(dir);
    await synthesize(document, dir);
    writeFileSync(keyFile, key);
    // The bundles and their copies in the cloud assembly's asset folders hold the dev signing key; nothing here is
    // zipped for Lambda, so every file and folder can be the owner's only (infra/bundles.ts leaves files 0644).
    restrictTree(dir, PRIVATE_FILE_MODE);
  }
  return { template: readTemplate(assemblyDir), assemblyDir, reused, elapsedMs: performance.now() - started };
}

/** The folder holding the code of a Lambda function in the template (its S3Key names the asset by hash). */
export function assetFolder(assemblyDir: string, s3Key: string): string {
  const manifest = JSON.parse(readFileSync(join(assemblyDir, `${LOCAL_STACK_NAME}.assets.json`), 'utf8')) as {
    files: Record<string, { source: { path: string } }>;
  };
  const hash = s3Key.replace(/\.zip$/, '');
  const path = manifest.files[hash]?.source.path;
  if (path === undefined) throw new TypeError(`no asset ${hash} in the cloud assembly`);
  return join(assemblyDir, path);
}
