// What a synth for deployment checks beyond the configuration itself (`npm run synth` / `npm run deploy` with
// EDGEPASS_CONFIG): no placeholder key pair id in a full synth, and nothing the deployment record says CloudFront
// would refuse or do silently. The repository's examples (`deployment.example`) skip the placeholder check; the
// offline tests build the app from resolveConfig and skip both.
import { basename } from 'node:path';
import { ConfigError } from '../../common/errors.ts';
import { readKeyRecord, recordFileFor } from './key-record-file.ts';
import { recordProblems } from './key-record.ts';
import { loadConfigFile } from './load.ts';
import type { EdgePassConfig } from './load.ts';

/**
 * Ids that stand for "not deployed yet": `KPENDING…` (what docs/deploy.md suggests before the keys stack exists),
 * `KEXAMPLE…`, `KPLACEHOLDER…`, or `K` and zeros. CloudFront's ids are random upper-case letters and digits.
 */
export function isPlaceholderKeyPairId(id: string): boolean {
  return /^K(?:PENDING|EXAMPLE|PLACEHOLDER)|^K0+$/.test(id);
}

/** Problems that stop a synth for deployment; `keysOnly`: the first step, before any key pair id exists. */
function deployableProblems(config: EdgePassConfig, options: { keysOnly: boolean; file: string }): string[] {
  if (options.keysOnly || config.deployment.example) return [];
  const step = (what: string): string =>
    `${what} is a placeholder: deploy the keys stack first (EDGEPASS_CONFIG=${options.file} ` +
    'EDGEPASS_KEYS_ONLY=true npm run deploy), put its output KeyPairId<name> here, then synthesize again ' +
    '(docs/deploy.md, "First deployment")';
  const { signer, trustedKeys } = config.edge;
  return [
    ...(isPlaceholderKeyPairId(signer.keyPairId) ? [step(`signer.keyPairId "${signer.keyPairId}"`)] : []),
    ...trustedKeys.flatMap((key, i) =>
      isPlaceholderKeyPairId(key.keyPairId) ? [step(`trustedKeys[${i}].keyPairId "${key.keyPairId}"`)] : [],
    ),
  ];
}

export interface DeploySynth {
  /** The configuration file (EDGEPASS_CONFIG); its deployment record sits beside it. */
  readonly file: string;
  /** EDGEPASS_KEYS_ONLY: the keys stack alone, the first step of a deployment. */
  readonly keysOnly: boolean;
  readonly nowMs: number;
}

/** Loads a deployment's configuration and checks it against its record; throws one ConfigError listing everything. */
export function loadForDeployment(input: DeploySynth): { config: EdgePassConfig; notes: string[] } {
  const config = loadConfigFile(input.file);
  const recordFile = recordFileFor(input.file);
  const record = readKeyRecord(recordFile);
  const problems = [
    ...deployableProblems(config, input),
    ...(record === null ? [] : recordProblems(config, record, basename(recordFile), input.nowMs)),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  const notes =
    record === null && !config.deployment.example
      ? [`no deployment record ${recordFile} yet: \`npm run deploy\` writes it after the first deploy (commit it)`]
      : [];
  return { config, notes };
}
