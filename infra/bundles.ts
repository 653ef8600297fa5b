// Builds the two Lambda code packages at synth: the edge bundle (the project's buildEdgeBundle, config and
// signing key baked in) and the origin API bundle. The edge bundle holds the private key: outDir must be git-ignored.
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
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

/** Builds both bundles into `outDir/edge/index.mjs` and `outDir/origin-api/index.mjs`, each alone in its folder. */
export async function buildBundles(rawConfig: unknown, outDir: string): Promise<Bundles> {
  const dir = resolve(outDir);
  rmSync(dir, { recursive: true, force: true });
  // Not chmod 600: Lambda runs the code as another user and needs the files world-readable in the zip.
  const edge = (await buildEdgeBundle({ config: rawConfig, outfile: join(dir, 'edge', 'index.mjs') })).outfile;
  const originApi = join(dir, 'origin-api', 'index.mjs');
  await buildOriginApi(originApi);
  return { edge, originApi };
}
