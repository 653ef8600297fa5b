// sign-cookies through the real binary: cookie values equal @aws-sdk/cloudfront-signer's for RSA, the header form
// round-trips through verify (wildcards cross `/`), and canned cookies refuse wildcards.
import { getSignedCookies } from '@aws-sdk/cloudfront-signer';
import { describe, expect, it } from 'vitest';
import { runCli, useTempDir, writeKeyPair } from './run.ts';
import type { KeyFiles } from './run.ts';

const KEY_ID = 'K2JCJMDEHXQW5F';
const HOST = 'https://d111111abcdef8.cloudfront.net';
const PATTERN = `${HOST}/attractions/giants-causeway/*`;
const EXPIRES = 1_900_000_000;
const NOW = String(EXPIRES - 60);

let rsa: KeyFiles;

const tmp = useTempDir((dir) => {
  rsa = writeKeyPair(dir, 'rsa', 'rsa');
});

const keyArgs = () => ['--key-pair-id', KEY_ID, '--private-key', rsa.privatePath, '--expires', String(EXPIRES)];
const trust = () => ['--public-key', `${KEY_ID}=${rsa.publicPath}`, '--now', NOW];

async function cookies(resource: string, args: readonly string[]): Promise<string> {
  const result = await runCli(['sign-cookies', resource, ...keyArgs(), ...args], tmp.dir);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return result.stdout.trim();
}

function oracle(resource: string, algorithm: 'SHA1' | 'SHA256'): Record<string, string> {
  const base = { keyPairId: KEY_ID, privateKey: rsa.privatePem, algorithm };
  const policy = JSON.stringify({
    Statement: [{ Resource: resource, Condition: { DateLessThan: { 'AWS:EpochTime': EXPIRES } } }],
  });
  const signed = resource.includes('*')
    ? getSignedCookies({ ...base, policy })
    : getSignedCookies({ ...base, url: resource, dateLessThan: new Date(EXPIRES * 1000) });
  return Object.fromEntries(Object.entries(signed).map(([name, value]) => [name, String(value)]));
}

describe('edgepass sign-cookies', () => {
  it.each([
    { name: 'custom policy for a wildcard', resource: PATTERN, hash: 'SHA1' as const },
    { name: 'canned policy for one URL', resource: `${HOST}/a/b.jpg`, hash: 'SHA1' as const },
    { name: 'SHA256', resource: PATTERN, hash: 'SHA256' as const },
  ])('gives the same cookie values as @aws-sdk/cloudfront-signer ($name)', async ({ resource, hash }) => {
    const ours = JSON.parse(await cookies(resource, ['--hash', hash, '--format', 'json'])) as unknown;
    expect(ours).toEqual(oracle(resource, hash));
  });

  it('prints one scoped Set-Cookie line per cookie', async () => {
    const lines = (await cookies(PATTERN, [])).split('\n');
    expect(lines.map((l) => /^Set-Cookie: ([^=]+)=/.exec(l)?.[1])).toEqual([
      'CloudFront-Policy',
      'CloudFront-Signature',
      'CloudFront-Key-Pair-Id',
    ]);
    for (const line of lines) {
      expect(line).toMatch(/; Path=\/attractions\/giants-causeway\/; Expires=[^;]+ GMT; Secure; HttpOnly$/);
      expect(line).not.toContain('Domain=');
    }
  });

  it('round-trips through verify, for any path under the wildcard and none beside it', async () => {
    const header = await cookies(PATTERN, ['--format', 'header']);
    const inside = await runCli(
      ['verify', `${HOST}/attractions/giants-causeway/deep/seg.ts`, '--cookie', header, ...trust()],
      tmp.dir,
    );
    expect(inside.stdout).toContain('credentials: cookies');
    expect(inside.code).toBe(0);
    const beside = await runCli(
      ['verify', `${HOST}/attractions/titanic-belfast/a.ts`, '--cookie', header, ...trust()],
      tmp.dir,
    );
    expect(beside.stdout).toMatch(/\[FAIL\] resource/);
    expect(beside.stdout).toContain('INVALID: cf_resource_mismatch');
    expect(beside.code).toBe(1);
    const signature = /CloudFront-Signature=([^;]+)/.exec(header)?.[1] ?? 'missing';
    expect(beside.stdout).not.toContain(signature.slice(0, 12));
  });

  it('refuses a canned policy for a wildcard resource', async () => {
    const result = await runCli(['sign-cookies', PATTERN, ...keyArgs(), '--policy', 'canned'], tmp.dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  it('refuses a wildcard that covers a whole host', async () => {
    const result = await runCli(['sign-cookies', `${HOST}/*`, ...keyArgs()], tmp.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('whole host');
  });
});
