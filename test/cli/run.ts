// Runs the real `edgepass` binary (node bin/edgepass.mjs) as a child process in a temporary directory, and makes
// throwaway CloudFront key pairs on disk for it. Keys are generated per run; nothing here is a real secret.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { generateKeyPair } from '../../common/keypair.ts';

export const BIN = resolve(import.meta.dirname, '../../bin/edgepass.mjs');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the binary. `env` adds to this process's environment (e.g. the local stack's PORT or EDGEPASS_STATE_DIR), or
 * with `replace` is the child's whole environment (no variable of this process leaks in: AWS credentials, say).
 */
export function runCli(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {},
  mode: 'add' | 'replace' = 'add',
): Promise<CliResult> {
  const options = { cwd, timeout: 15_000, env: mode === 'replace' ? env : { ...process.env, ...env } };
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], options, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      done({ code, stdout, stderr });
    });
  });
}

export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'edgepass-cli-'));
  return {
    dir,
    remove: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One temporary directory for the whole test file: made (then `setup` run in it) before the first test, removed
 * after the last. Read `.dir` inside tests and hooks, not at module scope.
 */
export function useTempDir(setup: (dir: string) => void = () => undefined): { readonly dir: string } {
  let current: ReturnType<typeof tempDir> | undefined;
  beforeAll(() => {
    current = tempDir();
    setup(current.dir);
  });
  afterAll(() => {
    current?.remove();
  });
  return {
    get dir(): string {
      if (current === undefined) throw new TypeError('useTempDir: .dir is ready only inside tests and hooks');
      return current.dir;
    },
  };
}

export interface KeyFiles {
  readonly privatePath: string;
  readonly publicPath: string;
  readonly privatePem: string;
}

/** A CloudFront-shaped key pair written as PEM files into `dir` (private 0600), named after `name`. */
export function writeKeyPair(dir: string, name: string, type: 'rsa' | 'ec'): KeyFiles {
  const pair = generateKeyPair(type === 'rsa' ? 'rsa-2048' : 'ec-p256');
  const privatePem = pair.privateKeyPem;
  const privatePath = join(dir, `${name}-private.pem`);
  const publicPath = join(dir, `${name}-public.pem`);
  writeFileSync(privatePath, privatePem, { mode: 0o600 });
  writeFileSync(publicPath, pair.publicKeyPem);
  return { privatePath, publicPath, privatePem };
}
