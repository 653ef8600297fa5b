// sign-url and verify through the real binary: RSA output byte-identical to @aws-sdk/cloudfront-signer (an
// independent oracle), ECDSA output accepted by verify, and each kind of tampering named by the failing check.
import { getSignedUrl } from '@aws-sdk/cloudfront-signer';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, useTempDir, writeKeyPair } from './run.ts';
import type { KeyFiles } from './run.ts';

const KEY_ID = 'K2JCJMDEHXQW5F';
const URL_TO_SIGN = 'https://d111111abcdef8.cloudfront.net/attractions/giants-causeway/intro.mp4?lang=en';
const EXPIRES = 1_900_000_000;
const NOW = String(EXPIRES - 600);

let rsa: KeyFiles;
let ec: KeyFiles;

const tmp = useTempDir((dir) => {
  rsa = writeKeyPair(dir, 'rsa', 'rsa');
  ec = writeKeyPair(dir, 'ec', 'ec');
});

const keyArgs = (key: KeyFiles) => ['--key-pair-id', KEY_ID, '--private-key', key.privatePath];
const trust = (key: KeyFiles) => ['--public-key', `${KEY_ID}=${key.publicPath}`];

async function signed(args: readonly string[], key: KeyFiles = rsa): Promise<string> {
  const result = await runCli(['sign-url', URL_TO_SIGN, ...keyArgs(key), ...args], tmp.dir);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout.trim();
}

describe('edgepass sign-url', () => {
  it.each([
    { name: 'canned, SHA1', args: [], sdk: {} },
    { name: 'canned, SHA256', args: ['--hash', 'SHA256'], sdk: { algorithm: 'SHA256' as const } },
    {
      name: 'custom with start and IP',
      args: ['--starts', '1800000000', '--ip', '203.0.113.0/24'],
      sdk: { dateGreaterThan: new Date(1_800_000_000_000), ipAddress: '203.0.113.0/24' },
    },
  ])('matches @aws-sdk/cloudfront-signer byte for byte for RSA ($name)', async ({ args, sdk }) => {
    const ours = await signed(['--expires', String(EXPIRES), ...args]);
    const oracle = getSignedUrl({
      url: URL_TO_SIGN,
      keyPairId: KEY_ID,
      privateKey: rsa.privatePem,
      dateLessThan: new Date(EXPIRES * 1000),
      ...sdk,
    });
    expect(ours).toBe(oracle);
  });

  it('signs with ECDSA P-256 in a form verify accepts', async () => {
    const url = await signed(['--expires', String(EXPIRES), '--hash', 'SHA256'], ec);
    const result = await runCli(['verify', url, ...trust(ec), '--now', NOW], tmp.dir);
    expect(result.stdout).toContain('(ec-p256)');
    expect(result.stdout).toMatch(/^VALID: /m);
    expect(result.code).toBe(0);
  });
});

describe('edgepass verify on signed URLs', () => {
  let canned: string;
  let custom: string;
  beforeAll(async () => {
    canned = await signed(['--expires', String(EXPIRES)]);
    custom = await signed(['--expires', String(EXPIRES), '--ip', '203.0.113.0/24']);
  });

  it('accepts an untouched URL, explains every check, and never prints the whole signature', async () => {
    const result = await runCli(['verify', canned, ...trust(rsa), '--now', NOW], tmp.dir);
    expect(result.code).toBe(0);
    for (const check of ['key id', 'hash', 'policy', 'signature', 'expiry', 'start', 'resource', 'ip']) {
      expect(result.stdout).toMatch(new RegExp(`\\[(ok  |--  )\\] ${check}`));
    }
    const signature = new URL(canned).searchParams.get('Signature') ?? '';
    expect(signature.length).toBeGreaterThan(300);
    expect(result.stdout).not.toContain(signature.slice(0, 12));
    expect(result.stdout).toContain('600 s left');
  });

  it.each([
    {
      name: 'a changed path',
      edit: (u: string) => u.replace('intro.mp4', 'intrO.mp4'),
      check: 'signature',
      reason: 'cf_bad_signature',
    },
    {
      name: 'a later Expires',
      edit: (u: string) => u.replace(`Expires=${EXPIRES}`, `Expires=${EXPIRES + 1}`),
      check: 'signature',
      reason: 'cf_bad_signature',
    },
    {
      name: 'an added query parameter',
      edit: (u: string) => u.replace('?lang=en', '?lang=en&x=1'),
      check: 'signature',
      reason: 'cf_bad_signature',
    },
    {
      name: 'another key pair id',
      edit: (u: string) => u.replace(KEY_ID, 'KOTHERKEY123'),
      check: 'key id',
      reason: 'cf_unknown_key',
    },
    { name: 'a bad hash name', edit: (u: string) => `${u}&Hash-Algorithm=MD5`, check: 'hash', reason: 'cf_malformed' },
  ])('rejects $name and says which check failed', async ({ edit, check, reason }) => {
    const result = await runCli(['verify', edit(canned), ...trust(rsa), '--now', NOW], tmp.dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`\\[FAIL\\] ${check}`));
    expect(result.stdout).toContain(`INVALID: ${reason}`);
  });

  it.each([
    { name: 'after expiry', args: ['--now', String(EXPIRES)], check: 'expiry', reason: 'cf_expired' },
    {
      name: 'from an IP outside the policy',
      args: ['--now', NOW, '--ip', '198.51.100.7'],
      check: 'ip',
      reason: 'cf_ip_mismatch',
    },
    { name: 'with no viewer IP for an IP policy', args: ['--now', NOW], check: 'ip', reason: 'cf_ip_mismatch' },
  ])('rejects a custom-policy URL $name', async ({ args, check, reason }) => {
    const result = await runCli(['verify', custom, ...trust(rsa), ...args], tmp.dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(new RegExp(`\\[FAIL\\] ${check}`));
    expect(result.stdout).toContain(`INVALID: ${reason}`);
  });

  it('accepts the custom-policy URL from inside the block', async () => {
    const result = await runCli(['verify', custom, ...trust(rsa), '--now', NOW, '--ip', '203.0.113.9'], tmp.dir);
    expect(result.stdout).toContain('203.0.113.9 is in 203.0.113.0/24');
    expect(result.code).toBe(0);
  });

  it('rejects a URL signed by a key that is not the trusted one', async () => {
    const result = await runCli(['verify', canned, ...trust(ec), '--now', NOW], tmp.dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('INVALID: cf_bad_signature');
  });
});
