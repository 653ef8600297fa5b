// Loads the viewer-request code the template associates with a behaviour: a Lambda@Edge function from its asset in
// the cloud assembly (the bundle the deployment would upload), or a CloudFront Function's code into the local
// cloudfront-js-2.0 runtime. Trusted input: our own synthesized template and build output.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EdgepassError } from '../common/errors.ts';
import { cloudFrontFunctionRunner } from './cloudfront/functions-runner.ts';
import { lambdaEdgeRunner } from './cloudfront/viewer-request.ts';
import type { ViewerRequestRunner } from './cloudfront/viewer-request.ts';
import type { ViewerRequestHandler } from './cloudfront/run-function.ts';
import type { OriginResponseHandler } from './cloudfront/origin-response.ts';
import type { LambdaEdgeCode, ViewerRequestCode } from './template/distribution.ts';
import { assetFolder } from './template/synth.ts';

let loads = 0;

/** `index.handler` → the file `index.mjs` (or `.js`) in the asset folder and its export `handler`. */
async function loadLambda(assemblyDir: string, s3Key: string, handler: string) {
  const dot = handler.lastIndexOf('.');
  const [base, name] = [handler.slice(0, dot), handler.slice(dot + 1)];
  const folder = assetFolder(assemblyDir, s3Key);
  const file = ['.mjs', '.js'].map((ext) => join(folder, `${base}${ext}`)).find((f) => existsSync(f));
  if (file === undefined) throw new EdgepassError('template_unsupported', `no ${base}.mjs in the function's asset`);
  // A fresh URL per load: each stack gets its own module, with its own caches, as each Lambda container does.
  loads += 1;
  const module = (await import(`${pathToFileURL(file).href}?load=${String(loads)}`)) as Record<string, unknown>;
  const fn = module[name];
  if (typeof fn !== 'function') throw new TypeError(`the function's code does not export ${name}`);
  return { handler: fn as ViewerRequestHandler, bytes: statSync(file).size };
}

export function viewerRequestLoader(assemblyDir: string, log: (line: string) => void) {
  let bundleBytes = 0;
  // One module per function, whichever triggers use it: its triggers share caches, as in one Lambda container.
  const modules = new Map<string, ReturnType<typeof loadLambda>>();
  const lambda = (code: LambdaEdgeCode) => {
    const key = `${code.s3Key}#${code.handler}`;
    const loaded = modules.get(key) ?? loadLambda(assemblyDir, code.s3Key, code.handler);
    modules.set(key, loaded);
    return loaded;
  };
  return {
    async load(code: ViewerRequestCode): Promise<ViewerRequestRunner> {
      if (code.kind === 'cloudfront-function') return cloudFrontFunctionRunner(code, log);
      const loaded = await lambda(code);
      bundleBytes = loaded.bytes;
      return lambdaEdgeRunner(loaded.handler);
    },
    async loadOriginResponse(code: LambdaEdgeCode): Promise<OriginResponseHandler> {
      return (await lambda(code)).handler;
    },
    bundleBytes: () => bundleBytes,
  };
}
