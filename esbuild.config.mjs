// Builds the Lambda@Edge bundle: one minified ESM file with the configuration, validated and normalised by
// parseConfig at build time, baked in as the virtual module `edgepass:config`. Run with tsx (it imports TypeScript).
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { PRIVATE_DIR_MODE, writePrivateFile } from './common/private-files.ts';
import { parseConfig } from './edge/config.ts';
import { resolveOidcEndpoints } from './edge/oidc-discovery.ts';

const root = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUTFILE = resolve(root, 'dist/edge/index.mjs');
/** esbuild options shared by every Lambda code package (the edge bundle here, the origin API in infra/bundles.ts). */
export const LAMBDA_BUILD_OPTIONS = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  minify: true,
  // The SDK's and jose's ESM builds: the default picks CommonJS and drags in @smithy/core (reference/cloudfront.md).
  mainFields: ['module', 'main'],
  external: ['node:*'],
  legalComments: 'none',
  logLevel: 'warning',
};

/**
 * Bakes the parsed EdgeConfig (defaults applied, `oidc` endpoints discovered when left out; `originApi`/`deployment` sections dropped, the edge never needs them).
 * The validator's messages stay out of the bundle (~8 KB of the 64 KiB budget); keys and JWKS are still imported at
 * the bundle's module scope, which fails closed on anything unusable. `edgepass:key-source` is the baked key or the
 * Secrets Manager fetch, never both: the fetch code stays out of the baked bundle (and its budget).
 */
function configPlugin(edgeConfig) {
  const source = 'privateKeySecret' in edgeConfig.signer ? 'secrets-manager.ts' : 'baked.ts';
  // Sign-in at the edge only in a bundle whose config has `oidc` (~5 KB of the budget otherwise spent for nothing).
  const oidc = edgeConfig.oidc === null ? 'oidc-off.ts' : 'core/oidc.ts';
  return {
    name: 'edgepass-config',
    setup(b) {
      b.onResolve({ filter: /^edgepass:config$/ }, () => ({ path: 'edgepass:config', namespace: 'edgepass' }));
      b.onResolve({ filter: /^edgepass:key-source$/ }, () => ({ path: resolve(root, 'edge/key-source', source) }));
      b.onResolve({ filter: /^edgepass:oidc$/ }, () => ({ path: resolve(root, 'edge', oidc) }));
      b.onLoad({ filter: /.*/, namespace: 'edgepass' }, () => ({
        contents: JSON.stringify(edgeConfig),
        loader: 'json',
      }));
    },
  };
}

/** Test builds only: a Secrets Manager endpoint on loopback. Never a config key, so no operator can set it. */
function checkSecretsEndpoint(endpoint) {
  if (endpoint === undefined) return undefined;
  const url = new URL(endpoint);
  if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1' || url.pathname !== '/' || url.search !== '') {
    throw new TypeError('secretsEndpointForTests must be http://127.0.0.1:<port>/');
  }
  return url.href;
}

/** The share of log lines that carry decision metrics: 1 (every line) unless the deployment samples. */
function checkSampleRate(rate) {
  if (typeof rate !== 'number' || !(rate > 0 && rate <= 1)) throw new TypeError('metricsSampleRate must be in (0, 1]');
  return rate;
}

/**
 * Validates `config` (throws ConfigError listing every problem) and writes the bundle. It may hold the signing key, so
 * the file is 0600 and the folders created for it are 0700 (an existing folder is left as it is).
 * @returns the output path and its size in bytes.
 */
export async function buildEdgeBundle({
  config,
  outfile = DEFAULT_OUTFILE,
  secretsEndpointForTests,
  metricsSampleRate = 1,
}) {
  // Endpoints the config leaves out are discovered here, once: the bundle bakes them (edge/oidc-discovery.ts).
  const edgeConfig = await resolveOidcEndpoints(parseConfig(config));
  const sampleRate = checkSampleRate(metricsSampleRate);
  const secretsEndpoint = checkSecretsEndpoint(secretsEndpointForTests);
  const path = resolve(outfile);
  const result = await build({
    absWorkingDir: root,
    entryPoints: [resolve(root, 'edge/index.ts')],
    outfile: path,
    ...LAMBDA_BUILD_OPTIONS,
    // Written here rather than by esbuild, which would create the file readable by everyone before any chmod.
    write: false,
    charset: 'utf8',
    // null outside tests: esbuild folds `null ?? url` to the real regional endpoint.
    define: {
      EDGEPASS_SECRETS_ENDPOINT: JSON.stringify(secretsEndpoint ?? null),
      EDGEPASS_METRICS_SAMPLE_RATE: JSON.stringify(sampleRate),
    },
    plugins: [configPlugin(edgeConfig)],
  });
  const [bundle] = result.outputFiles;
  if (result.outputFiles.length !== 1 || bundle.path !== path) throw new Error('esbuild did not emit one bundle');
  mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  writePrivateFile(path, bundle.contents);
  return { outfile: path, bytes: bundle.contents.length };
}

/** The config for `npm run build`: EDGEPASS_CONFIG, or the local development state. */
async function loadConfig() {
  const path = process.env.EDGEPASS_CONFIG;
  if (path !== undefined && path !== '') return JSON.parse(readFileSync(resolve(path), 'utf8'));
  const { ensureDevState } = await import('./local/dev-state.ts');
  return ensureDevState(resolve(root, '.edgepass')).config;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const { outfile, bytes } = await buildEdgeBundle({ config: await loadConfig() });
    console.log(`edge bundle: ${outfile} (${bytes} bytes)`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : 'build failed');
    process.exitCode = 1;
  }
}
