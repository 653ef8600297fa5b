// Builds the two Lambda code packages at synth: the edge bundle (the project's buildEdgeBundle, config and
// signing key baked in) and the origin API bundle. The edge bundle holds the private key: outDir must be git-ignored,
// and its folders are the owner's only.
import { chmodSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { makePrivateDir } from '../common/private-files.ts';
import { buildEdgeBundle, LAMBDA_BUILD_OPTIONS } from '../esbuild.config.mjs';

export interface Bundles {
  readonly edge: string;
  readonly originApi: string;
}

const root = fileURLToPath(new URL('..', import.meta.url));

async function buildOriginApi(outfile: string): Promise<void> {
  await build({
    ...LAMBDA_BUILD_OPTIONS,
    absWorkingDir: root,
    entryPoints: [join(root, 'origin-api/handler.ts')],
    outfile,
    // Some AWS SDK dependencies are CommonJS and call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}

/**
 * Code packages are read by Lambda's runtime user, not their owner: "Lambda requires global read permissions on code
 * files" (Lambda Developer Guide, "Troubleshoot deployment issues in Lambda": "Permission is denied"), and CDK's asset
 * zip keeps each file's mode (cdk-assets' zipDirectory). So the files are 0644 and their folders, which the zip does
 * not carry, 0700: other users of this machine cannot reach the baked key through them.
 */
const CODE_PACKAGE_FILE_MODE = 0o644;

export interface BundleOptions {
  /** Share of the edge's log lines that carry decision metrics (deployment.monitoring.metricsSampleRate). @default 1 */
  readonly metricsSampleRate?: number;
}

/** Builds both bundles into `outDir/edge/index.mjs` and `outDir/origin-api/index.mjs`, each alone in its folder. */
export async function buildBundles(rawConfig: unknown, outDir: string, options: BundleOptions = {}): Promise<Bundles> {
  const dir = resolve(outDir);
  rmSync(dir, { recursive: true, force: true });
  makePrivateDir(join(dir, 'edge'));
  makePrivateDir(join(dir, 'origin-api'));
  const outfile = join(dir, 'edge', 'index.mjs');
  const edge = (await buildEdgeBundle({ config: rawConfig, outfile, ...options })).outfile;
  chmodSync(edge, CODE_PACKAGE_FILE_MODE);
  const originApi = join(dir, 'origin-api', 'index.mjs');
  await buildOriginApi(originApi);
  chmodSync(originApi, CODE_PACKAGE_FILE_MODE);
  return { edge, originApi };
}
