// The real bundle in Secrets Manager mode: built with a loopback endpoint (a test-only build option), it fetches
// the key once at module scope with a SigV4-signed GetSecretValue that a fake endpoint checks with the SDK's signer.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MockInstance } from 'vitest';
import { importSigner } from '../../common/cloudfront/keys.ts';
import { customPolicy } from '../../common/cloudfront/policy.ts';
import { signedCookies } from '../../common/cloudfront/sign.ts';
import type { EdgeHandler } from '../../edge/handler.ts';
import { buildEdgeBundle } from '../../esbuild.config.mjs';
import { asResponse, viewerRequest } from '../helpers/events.ts';
import { signToken } from '../helpers/tokens.ts';
import { ROLE_CREDENTIALS as CREDS, startSecretsManagerForBundles } from './fake-secrets-manager.ts';
import type { Answer, FakeSecretsManager } from './fake-secrets-manager.ts';
import { AUDIENCE, cloudFrontKey, HOST, ISSUER, rawConfig } from './fixture.ts';
import { createIdp } from '../helpers/tokens.ts';

const BUDGET = 64 * 1024;
const REGION = 'eu-west-1';
const ARN = `arn:aws:secretsmanager:${REGION}:123456789012:secret:edgepass/cloudfront-key-AbC123`;
const idp = createIdp();
const cf = cloudFrontKey();
const dir = mkdtempSync(join(tmpdir(), 'edgepass-secret-'));
const signer = {
  keyPairId: cf.keyPairId,
  privateKeySecret: { secretId: ARN, region: REGION },
  publicKeyPem: cf.publicKeyPem,
};
const config = rawConfig(idp, cf, { signer });
let fake: FakeSecretsManager;
let builds = 0;
let log: MockInstance<(line: unknown) => void>;

beforeAll(async () => {
  fake = await startSecretsManagerForBundles(REGION, ARN);
});

afterEach(() => {
  log.mockRestore();
});

afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh bundle (its own module scope, so its own cold start) with the fake answering `answer`. */
async function coldStart(answer: Answer): Promise<{ handler: EdgeHandler; outfile: string }> {
  fake.answer = answer;
  fake.calls.length = 0;
  builds += 1;
  const outfile = join(dir, `b${String(builds)}`, 'index.mjs');
  await buildEdgeBundle({ config, outfile, secretsEndpointForTests: fake.endpoint });
  log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const mod = (await import(pathToFileURL(outfile).href)) as { handler: EdgeHandler };
  return { handler: mod.handler, outfile };
}

async function signingRequest(handler: EdgeHandler) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600, tickets: ['42'] };
  const token = await signToken({ claims, kid: idp.kid, key: idp.privateKey });
  const headers = { authorization: `Bearer ${token}` };
  return asResponse(await handler(viewerRequest({ uri: '/attractions/42/a.jpg', headers })));
}

function validCookies(): Record<string, string> {
  const policy = customPolicy({
    resource: `https://${HOST}/attractions/42/*`,
    dateLessThan: Math.floor(Date.now() / 1000) + 600,
  });
  const own = importSigner({ keyPairId: cf.keyPairId, privateKeyPem: cf.privateKeyPem, hashAlgorithm: 'SHA1' });
  return Object.fromEntries(signedCookies(own, { policy }).map((c) => [c.name, c.value]));
}

const logLines = () => log.mock.calls.map((call) => String(call[0]));
const keyEvents = () =>
  logLines()
    .map((line) => JSON.parse(line) as { event?: string; error?: string })
    .filter((line) => line.event !== undefined);

describe('the edge bundle with the private key in Secrets Manager', () => {
  it('passes valid cookies before the secret arrives, and signs once it has', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((done) => (release = done));
    const { handler } = await coldStart({ kind: 'hold', release: held, secretString: cf.privateKeyPem });
    const passed = await handler(viewerRequest({ uri: '/attractions/42/a.jpg', cookies: validCookies() }));
    expect(asResponse(passed)).toBeUndefined();
    const signing = signingRequest(handler);
    release();
    const response = await signing;
    expect(response?.status).toBe(302);
    expect(response?.headers['location']?.[0]).toMatch(/\?Expires=\d+&Key-Pair-Id=K2JCJMDEHXQW5F&Signature=/);
    expect(fake.calls).toEqual([{ signatureOk: true, secretId: ARN }]);
    expect(keyEvents()).toMatchObject([{ event: 'key_loaded' }]);
  });

  it('accepts a JSON SecretString { privateKeyPem }', async () => {
    const secretString = JSON.stringify({ privateKeyPem: cf.privateKeyPem });
    const { handler } = await coldStart({ kind: 'secret', secretString });
    expect((await signingRequest(handler))?.status).toBe(302);
  });

  it('answers 503 while the fetch fails, backs off, then retries on a later request', async () => {
    const { handler } = await coldStart({ kind: 'error', status: 500 });
    expect((await signingRequest(handler))?.status).toBe(503);
    expect((await signingRequest(handler))?.status).toBe(503);
    expect(fake.calls).toHaveLength(1); // no new call inside the 1 s backoff
    fake.answer = { kind: 'secret', secretString: cf.privateKeyPem };
    await new Promise((done) => setTimeout(done, 1100));
    expect((await signingRequest(handler))?.status).toBe(302);
    expect(fake.calls).toHaveLength(2);
    expect(keyEvents()).toMatchObject([{ event: 'key_failed', error: 'http_500' }, { event: 'key_loaded' }]);
    expect(logLines().filter((l) => l.includes('"status":503'))).toHaveLength(2);
  });

  it("fails closed when the secret is not the baked public key's pair, never logging the key", async () => {
    const other = cloudFrontKey();
    const { handler } = await coldStart({ kind: 'secret', secretString: other.privateKeyPem });
    const response = await signingRequest(handler);
    expect(response?.status).toBe(503);
    expect(keyEvents()).toMatchObject([{ event: 'key_failed', error: 'key_mismatch' }]);
    const text = logLines().join('\n');
    for (const pem of [other.privateKeyPem, cf.privateKeyPem]) expect(text).not.toContain(pem.slice(40, 100));
    expect(text).not.toContain(CREDS.secretAccessKey);
    expect(text).not.toContain(CREDS.sessionToken);
  });

  it('reads the largest SecretString Secrets Manager allows, even when every padding character is escaped', async () => {
    // 65,536 characters (API reference, GetSecretValue): a PEM padded with control characters, each sent as \u0001.
    const secretString = cf.privateKeyPem + '\u0001'.repeat(65_536 - cf.privateKeyPem.length);
    const { handler } = await coldStart({ kind: 'secret', secretString });
    expect((await signingRequest(handler))?.status).toBe(302);
    expect(keyEvents()).toEqual([{ event: 'key_loaded' }]);
  });

  it('refuses a response over the byte cap unparsed: 503, logged as response_too_large', async () => {
    const secretString = JSON.stringify({ privateKeyPem: cf.privateKeyPem, padding: 'x'.repeat(420_000) });
    const { handler } = await coldStart({ kind: 'secret', secretString });
    expect((await signingRequest(handler))?.status).toBe(503);
    expect(keyEvents()).toMatchObject([{ event: 'key_failed', error: 'response_too_large' }]);
  });

  it('stays within the 64 KiB budget and carries no private key; the baked bundle has no fetch code', async () => {
    const { outfile } = await coldStart({ kind: 'secret', secretString: cf.privateKeyPem });
    const code = readFileSync(outfile, 'utf8');
    expect(Buffer.byteLength(code)).toBeLessThanOrEqual(BUDGET);
    expect(code).toContain('secretsmanager.GetSecretValue');
    expect(code).not.toContain(cf.privateKeyPem.slice(40, 100));
    const baked = join(dir, 'baked', 'index.mjs');
    const built = await buildEdgeBundle({ config: rawConfig(idp, cf), outfile: baked });
    const bakedCode = readFileSync(built.outfile, 'utf8');
    expect(built.bytes).toBeLessThanOrEqual(BUDGET);
    expect(bakedCode).not.toContain('GetSecretValue');
    expect(bakedCode).not.toContain('AWS4-HMAC-SHA256');
  });
});
