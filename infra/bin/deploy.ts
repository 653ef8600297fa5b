// `npm run deploy`: `cdk deploy --all` of the edgepass app for the configuration in EDGEPASS_CONFIG (extra arguments
// are passed on to cdk). Refuses without one (the app would synthesise the example into the real account) and
// refuses an example document. After a successful deploy, and only then, it writes the deployment record beside the
// configuration (docs/key-rotation.md), which the next synth checks against.
import { spawnSync } from 'node:child_process';
import { EdgepassError } from '../../common/errors.ts';
import { readKeyRecord, recordFileFor, writeKeyRecord } from '../config/key-record-file.ts';
import { nextRecord } from '../config/key-record.ts';
import { loadConfigFile } from '../config/load.ts';

const APP = 'tsx infra/bin/app.ts';

function refuse(message: string): number {
  console.error(`edgepass deploy: ${message}`);
  return 1;
}

function deploy(args: readonly string[]): number {
  const file = process.env['EDGEPASS_CONFIG'];
  if (file === undefined || file === '') {
    return refuse(
      'set EDGEPASS_CONFIG to your configuration file (EDGEPASS_CONFIG=edgepass.json npm run deploy); without it the ' +
        'app synthesises an example, which is never deployed. Start from edgepass.example.json (docs/deploy.md)',
    );
  }
  const config = loadConfigFile(file);
  if (config.deployment.example) {
    return refuse(`${file} is an example (deployment.example is true): copy it, fill it in and remove "example"`);
  }
  const keysOnly = process.env['EDGEPASS_KEYS_ONLY'] === 'true';
  const run = spawnSync('cdk', ['deploy', '--app', APP, '--all', '--no-notices', ...args], { stdio: 'inherit' });
  if (run.error !== undefined) return refuse(`cannot run cdk (${run.error.message}): run this through npm run deploy`);
  if (run.status !== 0) return run.status ?? 1;
  const recordFile = recordFileFor(file);
  writeKeyRecord(recordFile, nextRecord(config, readKeyRecord(recordFile), keysOnly, Date.now()));
  console.error(`edgepass deploy: recorded what was deployed in ${recordFile}; commit it with the configuration`);
  return 0;
}

try {
  process.exitCode = deploy(process.argv.slice(2));
} catch (error) {
  // A ConfigError lists every problem; neither message carries key material.
  if (!(error instanceof EdgepassError)) throw error;
  process.exitCode = refuse(error.message);
}
