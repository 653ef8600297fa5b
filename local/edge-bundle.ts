// Builds the real edge bundle with the local stack's config (esbuild.config.mjs, the same build as deployment)
// and loads its exported `handler`. The bundle holds the dev signing key: it is written to the git-ignored state folder.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ViewerRequestHandler } from './cloudfront/run-function.ts';

interface BuildModule {
  readonly buildEdgeBundle: (input: {
    config: unknown;
    outfile: string;
  }) => Promise<{ outfile: string; bytes: number }>;
}

export interface LoadedBundle {
  readonly handler: ViewerRequestHandler;
  readonly outfile: string;
  readonly bytes: number;
}

export async function buildAndLoadEdgeBundle(config: unknown, stateDir: string): Promise<LoadedBundle> {
  // A plain .mjs module without type declarations: describe the one function we call.
  const buildUrl = new URL('../esbuild.config.mjs', import.meta.url).href;
  const { buildEdgeBundle } = (await import(buildUrl)) as BuildModule;
  const built = await buildEdgeBundle({ config, outfile: join(stateDir, 'edge', 'index.mjs') });
  // A fresh URL per build: the module cache would otherwise keep the previous bundle (and its baked config).
  const url = `${pathToFileURL(built.outfile).href}?build=${Date.now()}`;
  const bundle = (await import(url)) as { handler?: unknown };
  if (typeof bundle.handler !== 'function') throw new TypeError('the edge bundle does not export a handler function');
  return { handler: bundle.handler as ViewerRequestHandler, outfile: built.outfile, bytes: built.bytes };
}
