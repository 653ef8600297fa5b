// Behaviour 4: the JWT rejection matrix, through full viewer-request events, for header tokens (401 JSON with
// WWW-Authenticate) and session cookies. Each row asserts the reason code, and that nothing was minted.
import { describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../common/keypair.ts';
import { createIdp, signToken } from '../helpers/tokens.ts';
import { AUDIENCE, createWorld, ISSUER, NOW_S } from './fixture.ts';
import { reasonOf, respond } from './flow.ts';

const world = createWorld({}, undefined);
const base = { iss: ISSUER, aud: AUDIENCE, sub: 'u', iat: NOW_S - 10, exp: NOW_S + 600, tickets: ['42'] };
const stranger = createIdp('stranger-key');
const rsa = generateKeyPair('rsa-2048').privateKey;

type Build = () => Promise<string>;
const good =
  (claims: Record<string, unknown>): Build =>
  () =>
    signToken({ claims: { ...base, ...claims }, kid: world.idp.kid, key: world.idp.privateKey });

const matrix: [string, Build, string][] = [
  ['a bad signature', async () => (await good({})()).replace(/.{4}$/, 'AAAA'), 'token_bad_signature'],
  // An unsecured JWT has an empty signature part: refused before its header is even read.
  ['alg none', () => signToken({ claims: base, alg: 'none', kid: world.idp.kid }), 'token_malformed'],
  [
    'alg none with a forged signature part',
    async () => `${await signToken({ claims: base, alg: 'none' })}AAAA`,
    'token_alg_not_allowed',
  ],
  [
    'an algorithm not configured (RS256)',
    () => signToken({ claims: base, alg: 'RS256', kid: world.idp.kid, key: rsa }),
    'token_alg_not_allowed',
  ],
  [
    'HS256 keyed with the public key',
    () => signToken({ claims: base, alg: 'HS256', kid: world.idp.kid, key: world.idp.publicKey }),
    'token_alg_not_allowed',
  ],
  ['an unknown kid', () => signToken({ claims: base, kid: 'nobody', key: stranger.privateKey }), 'token_unknown_kid'],
  ['a wrong issuer', good({ iss: 'https://evil.example/' }), 'token_bad_issuer'],
  ['a wrong audience', good({ aud: 'someone-else' }), 'token_bad_audience'],
  ['an expired token', good({ exp: NOW_S - 60 }), 'token_expired'],
  ['nbf in the future', good({ nbf: NOW_S + 600 }), 'token_not_yet_valid'],
  ['no exp', good({ exp: undefined }), 'token_missing_exp'],
  ['a malformed token', () => Promise.resolve('not.a.jwt!'), 'token_malformed'],
  ['an oversized token', () => Promise.resolve(`${'a'.repeat(5000)}.b.c`), 'token_too_large'],
];

describe('JWT rejection matrix', () => {
  it.each(matrix)('answers 401 to a header token with %s', async (_name, build, reason) => {
    const token = await build();
    const response = await respond(world, {
      uri: '/attractions/42/a.jpg',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(401);
    expect(reasonOf(response)).toBe(reason);
    expect(response.headers['www-authenticate']).toEqual([
      `Bearer realm="edgepass", error="invalid_token", error_description="${reason}"`,
    ]);
    expect(response.headers['location']).toBeUndefined();
    expect(response.body).not.toContain(token.slice(0, 40));
    expect(world.logs.at(-1)).not.toContain(token.slice(0, 40));
  });

  it.each(matrix)('answers 401 to a session cookie with %s', async (_name, build, reason) => {
    const token = await build();
    const response = await respond(world, {
      uri: '/attractions/42/a.jpg',
      cookies: { session: token },
      headers: { accept: 'text/html' },
    });
    expect([response.status, reasonOf(response)]).toEqual([401, reason]);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('answers 401 token_missing with a bare challenge when no token is sent', async () => {
    const response = await respond(world, {
      uri: '/attractions/42/a.jpg',
      headers: { authorization: 'Basic dXNlcjpwdw==' },
    });
    expect([response.status, reasonOf(response)]).toEqual([401, 'token_missing']);
    expect(response.headers['www-authenticate']).toEqual(['Bearer realm="edgepass"']);
  });

  it('accepts the same token when it is valid (the matrix rows are not failing for another reason)', async () => {
    const response = await respond(world, {
      uri: '/attractions/42/a.jpg',
      headers: { authorization: `Bearer ${await good({})()}` },
    });
    expect(response.status).toBe(302);
  });
});
