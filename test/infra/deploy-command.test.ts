// `npm run deploy` (infra/bin/deploy.ts) as a child process, with a stand-in `cdk` first on PATH that records its
// arguments: it refuses without a configuration and for an example, and writes the deployment record only after
// cdk succeeded. No AWS: the stand-in never deploys anything.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordFileFor } from '../../infra/config/key-record-file.ts';
import { deploymentOf, fixture, removeFixtures } from './helpers.ts';

afterAll(removeFixtures);

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');

/** A directory holding a `cdk` that writes its arguments to `args.txt` beside it and exits with `status`. */
function fakeCdk(dir: string, status: number): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const script = join(bin, 'cdk');
  writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$@" > "${join(bin, 'args.txt')}"\nexit ${status}\n`);
  chmodSync(script, 0o755);
  return bin;
}

function deploy(env: Record<string, string>, bin: string, args: string[] = []) {
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('AWS_') && !key.startsWith('EDGEPASS_')) base[key] = value;
  }
  const run = spawnSync(TSX, ['infra/bin/deploy.ts', ...args], {
    cwd: ROOT,
    env: { ...base, PATH: `${bin}:${process.env['PATH'] ?? ''}`, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return {
    status: run.status,
    stderr: run.stderr,
    cdkArgs: existsSync(join(bin, 'args.txt'))
      ? readFileSync(join(bin, 'args.txt'), 'utf8').split('\n').filter(Boolean)
      : null,
  };
}

/** A real (non-example) configuration file with a key pair id that is not a placeholder. */
function realConfig(): { file: string; dir: string } {
  const f = fixture();
  delete deploymentOf(f.document)['example'];
  (f.document['signer'] as Record<string, unknown>)['keyPairId'] = 'K2JCJMDEHXQW5F';
  const file = join(f.dir, 'edgepass.json');
  writeFileSync(file, JSON.stringify(f.document));
  return { file, dir: f.dir };
}

describe('npm run deploy', () => {
  it('refuses without EDGEPASS_CONFIG, before cdk runs', () => {
    const { dir } = realConfig();
    const result = deploy({}, fakeCdk(dir, 0));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('set EDGEPASS_CONFIG to your configuration file');
    expect(result.cdkArgs).toBeNull();
  });

  it('refuses an example document', () => {
    const f = fixture();
    const file = join(f.dir, 'example.json');
    writeFileSync(file, JSON.stringify(f.document));
    const result = deploy({ EDGEPASS_CONFIG: file }, fakeCdk(f.dir, 0));
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('is an example (deployment.example is true)');
    expect(result.cdkArgs).toBeNull();
  });

  it('runs cdk deploy --all with the app and the extra arguments, then writes the deployment record', () => {
    const { file, dir } = realConfig();
    const result = deploy({ EDGEPASS_CONFIG: file }, fakeCdk(dir, 0), ['--require-approval', 'never']);
    expect(result.status).toBe(0);
    expect(result.cdkArgs).toEqual([
      'deploy',
      '--app',
      'tsx infra/bin/app.ts',
      '--all',
      '--no-notices',
      '--require-approval',
      'never',
    ]);
    const record = JSON.parse(readFileSync(recordFileFor(file), 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({ stackName: 'EdgePassExample', region: 'eu-west-1', signer: 'K2JCJMDEHXQW5F' });
    expect(Object.keys(record['keyGroup'] as object)).toEqual(['K2JCJMDEHXQW5F']);
  });

  it('records a keys-only deploy without a key group', () => {
    const { file, dir } = realConfig();
    expect(deploy({ EDGEPASS_CONFIG: file, EDGEPASS_KEYS_ONLY: 'true' }, fakeCdk(dir, 0)).status).toBe(0);
    const record = JSON.parse(readFileSync(recordFileFor(file), 'utf8')) as Record<string, unknown>;
    expect(record).toMatchObject({ keyGroup: null, signer: null, publicKeys: { example1: expect.any(String) } });
  });

  it('writes no record when cdk deploy fails, and fails with it', () => {
    const { file, dir } = realConfig();
    const result = deploy({ EDGEPASS_CONFIG: file }, fakeCdk(dir, 3));
    expect(result.status).toBe(3);
    expect(existsSync(recordFileFor(file))).toBe(false);
  });
});
