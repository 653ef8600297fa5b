// Signer variants CloudFront accepts: SHA-256 (with its Hash-Algorithm cookie/parameter) and ECDSA P-256 keys.
// Minted credentials must pass back through the same handler and the independent verifier.
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../common/keypair.ts';
import { setCookies } from '../helpers/events.ts';
import { createIdp } from '../helpers/tokens.ts';
import { cloudFrontKey, createWorld, HOST, NOW_S } from './fixture.ts';
import type { CloudFrontKey } from './fixture.ts';
import { cloudFrontCookies, independentVerifier, pass, respond } from './flow.ts';

function ecKey(): CloudFrontKey {
  const { privateKeyPem, publicKeyPem } = generateKeyPair('ec-p256');
  return { keyPairId: 'KECDSA00000001', privateKeyPem, publicKeyPem };
}

describe.each([
  ['RSA-2048 with SHA256', cloudFrontKey(), 'SHA256'],
  ['ECDSA P-256 with SHA1', ecKey(), 'SHA1'],
])('a %s signer', (_name, cf, hashAlgorithm) => {
  const signer = { keyPairId: cf.keyPairId, privateKeyPem: cf.privateKeyPem, hashAlgorithm };
  const sha = createWorld({ signer }, { idp: createIdp(), cf });

  it('mints cookies that verify and pass back through the handler', async () => {
    const session = await sha.token();
    const response = await respond(sha, { uri: '/attractions/42/a.jpg', cookies: { session } });
    const cookies = cloudFrontCookies(response);
    expect(cookies['CloudFront-Hash-Algorithm']).toBe(hashAlgorithm === 'SHA256' ? 'SHA256' : undefined);
    if (hashAlgorithm === 'SHA256')
      expect(setCookies(response).get('CloudFront-Hash-Algorithm')?.attributes).toContain('Path=/attractions/42/');
    const facts = { url: `https://${HOST}/attractions/42/b.jpg`, clientIp: '192.0.2.9', nowEpochSeconds: NOW_S };
    expect(independentVerifier(cf).verifyCookies({ ...facts, cookies })).toMatchObject({ ok: true });
    const request = await pass(sha, { uri: '/attractions/42/b.jpg', cookies });
    expect(request.headers['cookie']).toBeUndefined();
  });

  it('mints signed URLs that pass back through the handler without their parameters', async () => {
    const token = await sha.token();
    const response = await respond(sha, {
      uri: '/attractions/42/a.jpg',
      querystring: 'v=2',
      headers: { authorization: `Bearer ${token}` },
    });
    const url = new URL(response.headers['location']?.[0] ?? '');
    expect(url.searchParams.get('Hash-Algorithm')).toBe(hashAlgorithm === 'SHA256' ? 'SHA256' : null);
    const request = await pass(sha, { uri: url.pathname, querystring: url.search.slice(1) });
    expect(request.querystring).toBe('v=2');
  });
});
