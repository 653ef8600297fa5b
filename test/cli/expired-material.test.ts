// Expired CloudFront material for tests: sign-url and sign-cookies refuse an --expires in the past (exit 2) unless
// --allow-expired says it is meant, and what they then print is judged expired by verify (cf_expired, exit 1).
import { describe, expect, it } from 'vitest';
import { runCli, useTempDir } from './run.ts';

const URL_ARG = 'http://localhost:8080/attractions/giants-causeway/waves.m4a';
const PATTERN = 'http://localhost:8080/attractions/giants-causeway/*';
const PAST = String(Math.floor(Date.now() / 1000) - 3600);

const tmp = useTempDir();

const signers = [
  { name: 'sign-url (canned policy)', command: 'sign-url', args: [URL_ARG] },
  { name: 'sign-url (custom policy)', command: 'sign-url', args: [URL_ARG, '--ip', '127.0.0.1'] },
  { name: 'sign-cookies', command: 'sign-cookies', args: [PATTERN, '--format', 'header'] },
] as const;

async function verdict(command: string, printed: string) {
  const args = command === 'sign-url' ? [printed] : [URL_ARG, '--cookie', printed];
  return runCli(['verify', ...args, '--ip', '127.0.0.1'], tmp.dir);
}

describe('expired test material', () => {
  it.each(signers)('$name refuses a past --expires without --allow-expired', async ({ command, args }) => {
    const result = await runCli([command, ...args, '--expires', PAST], tmp.dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--expires is in the past (add --allow-expired to make expired test material)');
  });

  it.each(signers)('$name makes it with --allow-expired, and verify says cf_expired', async (s) => {
    const result = await runCli([s.command, ...s.args, '--expires', PAST, '--allow-expired'], tmp.dir);
    expect(result.code).toBe(0);
    const judged = await verdict(s.command, result.stdout.trim());
    expect(judged.code).toBe(1);
    expect(judged.stdout).toMatch(/\[FAIL\] expiry +expired at /);
    expect(judged.stdout).toContain('INVALID: cf_expired: the policy has expired');
  });

  it('changes nothing for an expiry in the future', async () => {
    const future = String(Math.floor(Date.now() / 1000) + 600);
    const result = await runCli(['sign-url', URL_ARG, '--expires', future, '--allow-expired'], tmp.dir);
    expect(result.code).toBe(0);
    expect((await verdict('sign-url', result.stdout.trim())).code).toBe(0);
  });
});
