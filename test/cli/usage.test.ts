// Exit codes through the real binary: 2 for a wrong command line (with a hint, no stdout), 1 for a failed operation,
// 0 for --help; and no value from the command line (which may be a secret) is echoed in an error.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, useTempDir, writeKeyPair } from './run.ts';

const URL_ARG = 'https://d111111abcdef8.cloudfront.net/a/b.jpg';
const SECRET = 'S3CRETvalue0123456789';
const KEY = ['--key-pair-id', 'K2JCJMDEHXQW5F'];

const tmp = useTempDir((dir) => {
  writeKeyPair(dir, 'rsa', 'rsa');
  writeFileSync(join(dir, 'not-a-key.pem'), `-----BEGIN PRIVATE KEY-----\n${SECRET}\n-----END PRIVATE KEY-----\n`);
});

describe('usage errors exit 2', () => {
  it.each([
    { args: [], says: 'Usage: edgepass <command>' },
    { args: ['nope'], says: 'unknown command' },
    { args: ['keygen', `--bogus=${SECRET}`], says: "Unknown option '--bogus'" },
    { args: ['sign-url'], says: 'URL to sign is missing' },
    { args: ['sign-url', 'not a url'], says: 'absolute URL' },
    { args: ['sign-url', URL_ARG, '--ttl', 'soon'], says: '--ttl must be a whole number' },
    { args: ['sign-url', URL_ARG, '--ttl', '5', '--expires', '1900000000'], says: 'not both' },
    { args: ['sign-url', URL_ARG, '--expires', '1000'], says: 'in the past' },
    { args: ['sign-url', URL_ARG, ...KEY], says: 'go together' },
    { args: ['sign-url', URL_ARG, '--ip', '300.1.1.1'], says: '--ip must be' },
    { args: ['sign-url', URL_ARG, '--hash', 'MD5'], says: '--hash must be one of SHA1, SHA256' },
    { args: ['sign-url', URL_ARG, '--starts', '1900000000', '--expires', '1800000000'], says: '--starts must be' },
    { args: ['sign-cookies', URL_ARG, '--format', 'xml'], says: '--format must be one of' },
    { args: ['sign-cookies', URL_ARG, '--path', 'no-slash'], says: '--path must start with /' },
    { args: ['verify'], says: 'URL to check is missing' },
    { args: ['verify', URL_ARG, `Signature=${SECRET}`], says: 'too many arguments' },
    { args: ['verify', URL_ARG, '--ip', '::1'], says: '--ip must be an IPv4 address' },
    { args: ['verify', URL_ARG, '--public-key', 'no-equals-sign'], says: '--public-key must be ID=FILE' },
    { args: ['token', '--tickets', 'a'], says: '--sub is required' },
    { args: ['token', '--sub', 'a', '--tickets', 'a b'], says: '--tickets must be' },
    { args: ['dev', '--port', '70000'], says: '--port must be a whole number from 0 to 65535' },
  ])('edgepass $args', async ({ args, says }) => {
    const result = await runCli(args, tmp.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(says);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toContain(SECRET);
  });
});

describe('failures exit 1 without quoting key material', () => {
  it.each([
    { args: ['sign-url', URL_ARG, ...KEY, '--private-key', 'missing.pem'], says: 'cannot read key file' },
    { args: ['sign-url', URL_ARG, ...KEY, '--private-key', 'not-a-key.pem'], says: 'not a readable PEM key' },
    { args: ['sign-url', URL_ARG, ...KEY, '--private-key', 'rsa-public.pem'], says: 'not a readable PEM key' },
    { args: ['verify', URL_ARG, '--public-key', 'K1=rsa-private.pem'], says: 'private key was given' },
    { args: ['verify', URL_ARG], says: 'no dev state' },
  ])('edgepass $args', async ({ args, says }) => {
    const result = await runCli(args, tmp.dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(says);
    expect(result.stderr).not.toContain(SECRET);
    expect(result.stderr).not.toContain('BEGIN');
  });
});

describe('--help', () => {
  it.each(['keygen', 'token', 'sign-url', 'sign-cookies', 'verify', 'dev', 'versions'])(
    'edgepass %s --help',
    async (name) => {
      const result = await runCli([name, '--help'], tmp.dir);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^Usage: edgepass ${name} `));
      expect(result.stdout).toContain('Example');
    },
  );
});
