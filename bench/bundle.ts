// Builds what the benchmark measures into a temporary directory: the real edge bundle (through the project's own
// buildEdgeBundle, with the generated config) and the peer bundles (esbuild, same output settings). Local only.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export interface BundleFacts {
  readonly name: string;
  readonly outfile: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

type BuildEdgeBundle = (options: { config: unknown; outfile: string }) => Promise<{ outfile: string; bytes: number }>;

const ROOT = resolve(import.meta.dirname, '..');

function sizeOf(name: string, outfile: string): BundleFacts {
  const code = readFileSync(outfile);
  return { name, outfile, bytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}

/** The edge engineer's build (esbuild.config.mjs); imported by URL so that a missing file is a clear error. */
export async function buildEdge(config: unknown, dir: string): Promise<BundleFacts> {
  const url = pathToFileURL(join(ROOT, 'esbuild.config.mjs')).href;
  const { buildEdgeBundle } = (await import(url)) as { buildEdgeBundle?: BuildEdgeBundle };
  if (typeof buildEdgeBundle !== 'function') throw new Error('esbuild.config.mjs does not export buildEdgeBundle');
  const { outfile } = await buildEdgeBundle({ config, outfile: join(dir, 'edgepass', 'index.mjs') });
  return sizeOf('edgepass', outfile);
}

/**
 * A peer bundled as a Lambda@Edge ESM bundle: minified, Node target, `module` before `main` (the setting the
 * reference notes for the AWS SDK signer). CommonJS dependencies get a `require` so their builtins resolve.
 */
export async function buildPeer(
  name: string,
  entry: string,
  define: Readonly<Record<string, unknown>>,
  dir: string,
): Promise<BundleFacts> {
  const outfile = join(dir, name, 'index.mjs');
  await build({
    entryPoints: [join(ROOT, 'bench', 'peers', entry)],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    mainFields: ['module', 'main'],
    legalComments: 'none',
    logLevel: 'silent',
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    define: Object.fromEntries(Object.entries(define).map(([k, v]) => [k, JSON.stringify(v)])),
  });
  return sizeOf(name, outfile);
}
