// keygen through the real binary: key type and size as node:crypto reads them, file modes, no private key on stdout.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './run.ts';

let dir: string;
let remove: () => void;
beforeEach(() => {
  ({ dir, remove } = tempDir());
});
afterEach(() => {
  remove();
});

describe('edgepass keygen', () => {
  it.each([
    { args: [], type: 'rsa', detail: { modulusLength: 2048 } },
    { args: ['--type', 'rsa'], type: 'rsa', detail: { modulusLength: 2048 } },
    { args: ['--type', 'ecdsa'], type: 'ec', detail: { namedCurve: 'prime256v1' } },
  ])('writes a $type key pair CloudFront accepts ($args)', async ({ args, type, detail }) => {
    const result = await runCli(['keygen', ...args, '--out', 'keys'], dir);
    expect(result.code).toBe(0);
    const privatePem = readFileSync(join(dir, 'keys/private_key.pem'), 'utf8');
    const publicPem = readFileSync(join(dir, 'keys/public_key.pem'), 'utf8');
    expect(privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const privateKey = createPrivateKey(privatePem);
    const publicKey = createPublicKey(publicPem);
    expect(privateKey.asymmetricKeyType).toBe(type);
    expect(privateKey.asymmetricKeyDetails).toMatchObject(detail);
    expect(publicKey.asymmetricKeyDetails).toMatchObject(detail);
    expect(createPublicKey(privateKey).export({ type: 'spki', format: 'pem' })).toBe(publicPem);
    expect(statSync(join(dir, 'keys/private_key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'keys')).mode & 0o077).toBe(0);
    expect(result.stdout).toContain(join(dir, 'keys/public_key.pem'));
    expect(result.stdout).toContain('Next steps');
    expect(result.stdout + result.stderr).not.toContain('PRIVATE KEY');
  });

  it('sends the operator through the CDK keys-first flow, not the CloudFront console', async () => {
    const result = await runCli(['keygen', '--out', 'keys/k202611'], dir);
    expect(result.code).toBe(0);
    const publicPem = readFileSync(join(dir, 'keys/k202611/public_key.pem'), 'utf8');
    // A ready deployment.publicKeys entry, named after the folder.
    expect(result.stdout).toContain(JSON.stringify({ name: 'k202611', publicKeyPem: publicPem }));
    expect(result.stdout).toContain('EDGEPASS_CONFIG=edgepass.json EDGEPASS_KEYS_ONLY=true npm run deploy');
    expect(result.stdout).toContain('KeyPairIdk202611 into signer.keyPairId');
    expect(result.stdout).toContain('secretsManager');
    // A rotation's new secret must keep the client secret member: the plain create-secret would drop it.
    expect(result.stdout).toMatch(
      /oidc\.clientSecret \{ "jsonKey": … \}\), create it with\s+the recipe of docs\/deploy\.md/,
    );
    expect(result.stdout).not.toMatch(/console|Key management/);
  });

  it('refuses to overwrite an existing key and leaves it untouched', async () => {
    writeFileSync(join(dir, 'public_key.pem'), 'keep me');
    const result = await runCli(['keygen'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('already exists');
    expect(readFileSync(join(dir, 'public_key.pem'), 'utf8')).toBe('keep me');
    expect(() => statSync(join(dir, 'private_key.pem'))).toThrow();
  });

  it('rejects an unknown key type as a usage error', async () => {
    const result = await runCli(['keygen', '--type', 'dsa'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--type must be one of rsa, ecdsa');
  });
});
