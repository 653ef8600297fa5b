// EDGEPASS_STATE_DIR moves the dev state for the CLI as it does for `npm start` and `edgepass dev`: the keys that
// `token` and `sign-url` use and `verify` trusts come from that folder, and ./.edgepass is left alone.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, useTempDir } from './run.ts';

const tmp = useTempDir();

describe('EDGEPASS_STATE_DIR', () => {
  it('is where token, sign-url and verify find the dev keys', async () => {
    const env = { EDGEPASS_STATE_DIR: 'elsewhere' };
    const token = await runCli(['token', '--sub', 'alice', '--tickets', 'giants-causeway'], tmp.dir, env);
    expect(token.code).toBe(0);
    expect(existsSync(join(tmp.dir, 'elsewhere', 'config.json'))).toBe(true);
    expect(existsSync(join(tmp.dir, '.edgepass'))).toBe(false);
    const url = await runCli(['sign-url', 'http://localhost:8080/attractions/giants-causeway/waves.m4a'], tmp.dir, env);
    expect((await runCli(['verify', url.stdout.trim()], tmp.dir, env)).code).toBe(0);
    // Without the variable, verify looks in ./.edgepass, which does not exist.
    expect((await runCli(['verify', url.stdout.trim()], tmp.dir)).stderr).toContain('no dev state');
  });
});
