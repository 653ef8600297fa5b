// Generated key pairs can be exported to JWK under garbage-collection pressure without the Node 20 deadlock that hung
// `npm test` (common/keypair.ts). The loop runs in a child with a tiny young generation, so collections happen inside
// the exports; a deadlock would show as the child timing out.
import { execFile } from 'node:child_process';
import { createPublicKey, sign, verify } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../common/keypair.ts';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '../..');

const LOOP = `
import { generateKeyPair } from './common/keypair.ts';
const junk = [];
let exported = 0;
for (let i = 0; i < 1000; i++) {
  const pair = generateKeyPair('ec-p256');
  junk.push('x'.repeat(1000) + i);
  if (junk.length > 500) junk.length = 0;
  exported += Object.keys(pair.publicKey.export({ format: 'jwk' })).length > 0 ? 1 : 0;
}
for (let i = 0; i < 5; i++) exported += generateKeyPair('rsa-2048').publicKey.export({ format: 'jwk' }).n ? 1 : 0;
console.log(exported);
`;

describe('generateKeyPair', () => {
  it('gives keys that export to JWK under constant garbage collection without deadlocking', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--max-semi-space-size=1', '--import', 'tsx', '--input-type=module', '-e', LOOP],
      { cwd: ROOT, timeout: 45_000 },
    );
    expect(stdout.trim()).toBe('1005');
  }, 60_000);

  it.each(['rsa-2048', 'ec-p256'] as const)('makes a working %s pair whose PEM and KeyObjects agree', (kind) => {
    const pair = generateKeyPair(kind);
    expect(createPublicKey(pair.privateKeyPem).export({ type: 'spki', format: 'pem' })).toBe(pair.publicKeyPem);
    const signature = sign('sha256', Buffer.from('edgepass'), pair.privateKey);
    expect(verify('sha256', Buffer.from('edgepass'), pair.publicKey, signature)).toBe(true);
    expect(pair.publicKey.asymmetricKeyType).toBe(kind === 'rsa-2048' ? 'rsa' : 'ec');
  });
});
