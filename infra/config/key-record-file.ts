// The deployment record on disk: `<config>.deployed.json` beside the configuration, written by `npm run deploy` after
// a successful deploy and meant to be committed with it. Untrusted input when read: its shape is checked.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ConfigError } from '../../common/errors.ts';
import { isRecord } from '../../edge/config-fields.ts';
import type { KeyRecord } from './key-record.ts';

const ABOUT =
  'edgepass deployment record: what the last successful `npm run deploy` of the configuration beside it put in ' +
  'CloudFront. Commit it with the configuration; synth reads it to keep key rotations safe (docs/key-rotation.md).';

/** `edgepass.json` → `edgepass.deployed.json`, in the same folder. */
export function recordFileFor(configFile: string): string {
  return join(dirname(configFile), `${basename(configFile).replace(/\.json$/, '')}.deployed.json`);
}

const isStringMap = (value: unknown): value is Record<string, string> =>
  isRecord(value) && Object.values(value).every((v) => typeof v === 'string');

function shaped(value: unknown): value is KeyRecord {
  if (!isRecord(value)) return false;
  const { stackName, region, publicKeys, keyGroup, signer, grantsUntil } = value;
  return (
    typeof stackName === 'string' &&
    typeof region === 'string' &&
    isStringMap(publicKeys) &&
    (keyGroup === null || isStringMap(keyGroup)) &&
    (signer === null || typeof signer === 'string') &&
    isStringMap(grantsUntil)
  );
}

/** The record beside a configuration, or null when there is none yet. */
export function readKeyRecord(file: string): KeyRecord | null {
  if (!existsSync(file)) return null;
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    value = undefined;
  }
  if (!shaped(value)) throw new ConfigError([`${file} is not an edgepass deployment record (restore it from git)`]);
  const { stackName, region, publicKeys, keyGroup, signer, grantsUntil } = value;
  return { stackName, region, publicKeys, keyGroup, signer, grantsUntil };
}

export function writeKeyRecord(file: string, record: KeyRecord): void {
  writeFileSync(file, `${JSON.stringify({ about: ABOUT, ...record }, null, 2)}\n`);
}
