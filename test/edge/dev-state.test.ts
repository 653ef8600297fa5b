// Local development state: generated once (private keys 0600), reused on the next run, and usable end to end:
// a token signed with the dev IdP key earns cookies that verify with the dev CloudFront public key.
import { createPublicKey } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../edge/config.ts';
import { createHandler } from '../../edge/handler.ts';
import { createKeySource } from '../../edge/key-source/baked.ts';
import { ensureDevState } from '../../local/dev-state.ts';
import { asResponse, viewerRequest } from '../helpers/events.ts';
import { signToken } from '../helpers/tokens.ts';
import { independentVerifier, cloudFrontCookies } from './flow.ts';

const dir = join(mkdtempSync(join(tmpdir(), 'edgepass-dev-')), '.edgepass');
afterAll(() => {
  rmSync(join(dir, '..'), { recursive: true, force: true });
});

describe('ensureDevState', () => {
  const first = ensureDevState(dir);

  it('writes a config that parseConfig accepts, and private keys readable only by the owner', () => {
    const config = parseConfig(first.config);
    expect(config.viewerProtocol).toBe('http');
    expect(config.domainNames).toEqual(['localhost']);
    for (const file of ['idp-private.pem', 'cloudfront-private.pem', 'config.json']) {
      expect(statSync(join(dir, file)).mode & 0o077).toBe(0);
    }
  });

  it('keeps the folder to its owner (mode 0700), narrowing one an older version left open', () => {
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    chmodSync(dir, 0o755);
    ensureDevState(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it('reuses the same keys on the next run', () => {
    const again = ensureDevState(dir);
    expect(again.cloudfront).toEqual(first.cloudfront);
    expect(again.idp.kid).toBe(first.idp.kid);
  });

  it('returns keys that work together end to end', async () => {
    const nowMs = Date.UTC(2026, 0, 1);
    const nowS = nowMs / 1000;
    const config = parseConfig(first.config);
    const keySource = createKeySource(config.signer);
    const handler = createHandler(config, { clock: () => nowMs, logger: () => undefined, keySource });
    const claims = { iss: first.idp.issuer, aud: first.idp.audience, exp: nowS + 600, tickets: ['42'] };
    const session = await signToken({ claims, kid: first.idp.kid, key: first.idp.privateKey });
    const event = viewerRequest({ uri: '/attractions/42/a.jpg', host: 'localhost:8080', cookies: { session } });
    const response = asResponse(await handler(event));
    expect(response?.status).toBe(302);
    const cookies = cloudFrontCookies(response!);
    const key = {
      ...first.cloudfront,
      publicKeyPem: createPublicKey(first.cloudfront.privateKeyPem).export({ type: 'spki', format: 'pem' }).toString(),
    };
    expect(key.publicKeyPem).toBe(first.cloudfront.publicKeyPem);
    const facts = { url: 'http://localhost:8080/attractions/42/b.jpg', clientIp: '127.0.0.1', nowEpochSeconds: nowS };
    expect(independentVerifier(key).verifyCookies({ ...facts, cookies })).toMatchObject({ ok: true });
  });
});
