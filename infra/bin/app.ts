// CDK entry (`npm run synth`, and `npm run deploy` through infra/bin/deploy.ts): EDGEPASS_CONFIG names the
// deployment's JSON configuration, checked with its deployment record; without it an example with generated keys is
// synthesised (never deployed). A bad configuration fails here, before anything is deployed.
import { resolve } from 'node:path';
import { ConfigError } from '../../common/errors.ts';
import { restrictTree } from '../../common/private-files.ts';
import { buildApp } from '../app.ts';
import { buildBundles } from '../bundles.ts';
import { loadForDeployment } from '../config/deploy-checks.ts';
import { loadConfigFile } from '../config/load.ts';
import type { EdgePassConfig } from '../config/load.ts';
import { ensureExampleConfig } from '../example-config.ts';

const EXAMPLE_DIR = '.edgepass/synth';

/** The example, written again when one made by an older version of edgepass no longer validates. */
function exampleConfig(): EdgePassConfig {
  const file = ensureExampleConfig(EXAMPLE_DIR);
  console.error(`edgepass: no EDGEPASS_CONFIG, synthesising the example ${file}`);
  try {
    return loadConfigFile(file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error('edgepass: the example was written by an older version; writing a new one');
    return loadConfigFile(ensureExampleConfig(EXAMPLE_DIR, { fresh: true }));
  }
}

/** The operator's configuration, checked for deployment (placeholders, the deployment record), or the example. */
function configFor(keysOnly: boolean): EdgePassConfig {
  const file = process.env['EDGEPASS_CONFIG'];
  if (file === undefined || file === '') return exampleConfig();
  const { config, notes } = loadForDeployment({ file, keysOnly, nowMs: Date.now() });
  for (const note of notes) console.error(`edgepass: ${note}`);
  return config;
}

async function main(): Promise<void> {
  // EDGEPASS_KEYS_ONLY=true: the first deployment, before the key ids exist (docs/deploy.md).
  const keysOnly = process.env['EDGEPASS_KEYS_ONLY'] === 'true';
  const config = configFor(keysOnly);
  const { metricsSampleRate } = config.deployment.monitoring;
  const bundles = keysOnly ? undefined : await buildBundles(config.raw, resolve('dist/infra'), { metricsSampleRate });
  const { app } = buildApp({ config, bundles, account: process.env['CDK_DEFAULT_ACCOUNT'] });
  // CDK copies the edge bundle, baked key and all, into an asset folder of the cloud assembly that anyone may enter:
  // its folders become the owner's only. Files keep their mode, which the deploy zip carries (infra/bundles.ts).
  restrictTree(app.synth().directory);
}

try {
  await main();
} catch (error) {
  // ConfigError lists every problem; other errors are bugs. Neither message carries key material.
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown error';
  console.error(error instanceof ConfigError ? error.message : `edgepass synth failed: ${detail}`);
  process.exitCode = 1;
}
