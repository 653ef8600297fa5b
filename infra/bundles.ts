// Builds the two Lambda code packages at synth: the edge bundle (the project's buildEdgeBundle, config and
// signing key baked in) and the origin API bundle. The edge bundle holds the private key: outDir must be git-ignored.
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { EdgepassError } from '../common/errors.ts';

export interface Bundles {
  readonly edge: string;
  readonly originApi: string;
}

type BuildEdgeBundle = (options: { config: unknown; outfile: string }) => Promise<{ outfile: string; bytes: number }>;

const root = fileURLToPath(new URL('..', import.meta.url));

/** esbuild.config.mjs is plain JavaScript (no types): check what it exports before calling it. */
async function loadEdgeBuilder(): Promise<BuildEdgeBundle> {
  const mod: unknown = await import(pathToFileURL(join(root, 'esbuild.config.mjs')).href);
  const fn: unknown =
    typeof mod === 'object' && mod !== null ? (mod as Record<string, unknown>)['buildEdgeBundle'] : undefined;
  if (typeof fn !== 'function')
    throw new EdgepassError('build_missing', 'esbuild.config.mjs does not export buildEdgeBundle');
  return fn as BuildEdgeBundle;
}

async function buildOriginApi(outfile: string): Promise<void> {
  const entry = join(root, 'origin-api/handler.ts');
  if (!existsSync(entry)) throw new EdgepassError('build_missing', 'origin-api/handler.ts does not exist yet');
  await build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    minify: true,
    mainFields: ['module', 'main'],
    external: ['node:*'],
    legalComments: 'none',
    logLevel: 'warning',
    // Some AWS SDK dependencies are CommonJS and call require(); give the ESM bundle one.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
}

/** Builds both bundles into `outDir/edge/index.mjs` and `outDir/origin-api/index.mjs`, each alone in its folder. */
export async function buildBundles(rawConfig: unknown, outDir: string): Promise<Bundles> {
  const dir = resolve(outDir);
  rmSync(dir, { recursive: true, force: true });
  const buildEdgeBundle = await loadEdgeBuilder();
  // Not chmod 600: Lambda runs the code as another user and needs the files world-readable in the zip.
  const edge = (await buildEdgeBundle({ config: rawConfig, outfile: join(dir, 'edge', 'index.mjs') })).outfile;
  const originApi = join(dir, 'origin-api', 'index.mjs');
  await buildOriginApi(originApi);
  return { edge, originApi };
}
