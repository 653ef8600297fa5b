// Behaviour 8: /_edgepass/grant hands an app the cookies for one attraction (JSON and Set-Cookie);
// /_edgepass/sign-out expires the CloudFront cookies of every attraction it can name, and the session.
import { beforeAll, describe, expect, it } from 'vitest';
import { setCookies } from '../helpers/events.ts';
import { createWorld, HOST, NOW_S } from './fixture.ts';
import type { World } from './fixture.ts';
import { independentVerifier, reasonOf, respond } from './flow.ts';

let world: World;
let token: string;
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
const GRANT_NOTE_42 = `edgepass-grant-${Buffer.from('/attractions/42/').toString('base64url')}`;

beforeAll(async () => {
  world = createWorld();
  token = await world.token({ tickets: ['42', { attraction: '7', exp: NOW_S + 100 }] });
});

describe('/_edgepass/grant', () => {
  it.each(['GET', 'POST'])('%s returns verified cookies as JSON and as Set-Cookie', async (method) => {
    const response = await respond(world, {
      uri: '/_edgepass/grant',
      querystring: 'attraction=42',
      method,
      headers: bearer(token),
    });
    expect(response.status).toBe(200);
    const body = JSON.parse(response.body) as {
      path: string;
      expiresEpochSeconds: number;
      cookies: { name: string; value: string }[];
    };
    expect(body.path).toBe('/attractions/42/');
    expect(body.expiresEpochSeconds).toBeLessThanOrEqual(NOW_S + 3600);
    const cookies = Object.fromEntries(body.cookies.map((c) => [c.name, c.value]));
    const facts = { url: `https://${HOST}/attractions/42/v.mp4`, clientIp: '192.0.2.1', nowEpochSeconds: NOW_S };
    expect(independentVerifier(world.cf).verifyCookies({ ...facts, cookies })).toMatchObject({ ok: true });
    // The cookies, plus a note at Path=/_edgepass/ that lets sign-out find this grant later (base64url of the path).
    expect(Object.fromEntries([...setCookies(response)].map(([n, c]) => [n, c.value]))).toEqual({
      ...cookies,
      [GRANT_NOTE_42]: '1',
    });
    expect(setCookies(response).get(GRANT_NOTE_42)?.attributes).toMatch(
      /^Path=\/_edgepass\/; Max-Age=\d+; Secure; HttpOnly/,
    );
    expect(response.headers['cache-control']).toEqual(['no-store']);
  });

  it('caps a grant at the ticket end', async () => {
    const response = await respond(world, {
      uri: '/_edgepass/grant',
      querystring: 'attraction=7',
      headers: bearer(token),
    });
    expect((JSON.parse(response.body) as { expiresEpochSeconds: number }).expiresEpochSeconds).toBe(NOW_S + 100);
  });

  it.each([
    ['attraction=99', 403, 'no_ticket'],
    ['attraction=bad..id', 400, 'grant_bad_request'],
    ['', 400, 'grant_bad_request'],
    ['attraction=42&prefix=/other/', 400, 'grant_bad_request'],
  ])('refuses %j with %i %s', async (querystring, status, reason) => {
    const response = await respond(world, { uri: '/_edgepass/grant', querystring, headers: bearer(token) });
    expect([response.status, reasonOf(response)]).toEqual([status, reason]);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('needs a bearer token (a session cookie alone is not enough: no cross-site grants)', async () => {
    const response = await respond(world, {
      uri: '/_edgepass/grant',
      querystring: 'attraction=42',
      cookies: { session: token },
    });
    expect([response.status, reasonOf(response)]).toEqual([401, 'token_missing']);
  });

  it('answers 405 with Allow for other methods, 404 for other endpoints', async () => {
    const put = await respond(world, {
      uri: '/_edgepass/grant',
      querystring: 'attraction=42',
      method: 'PUT',
      headers: bearer(token),
    });
    expect([put.status, put.headers['allow']]).toEqual([405, ['GET, POST']]);
    const other = await respond(world, { uri: '/_edgepass/admin' });
    expect([other.status, reasonOf(other)]).toEqual([404, 'endpoint_not_found']);
  });
});

describe('/_edgepass/sign-out', () => {
  it('expires the CloudFront cookies of the session tickets and named attractions, and the session', async () => {
    const response = await respond(world, {
      uri: '/_edgepass/sign-out',
      querystring: 'attraction=9',
      method: 'POST',
      headers: { 'sec-fetch-site': 'same-origin', origin: `https://${HOST}` },
      cookies: { session: token },
    });
    expect([response.status, reasonOf(response)]).toEqual([200, 'signed_out']);
    const lines = response.headers['set-cookie'] ?? [];
    for (const id of ['9', '42', '7']) {
      for (const name of ['CloudFront-Policy', 'CloudFront-Signature', 'CloudFront-Key-Pair-Id']) {
        expect(lines).toContain(
          `${name}=; Path=/attractions/${id}/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax`,
        );
      }
    }
    expect(lines.some((line) => line.startsWith('session=; Path=/; Max-Age=0'))).toBe(true);
  });

  it('stays far below the 40 KB response cap however many attractions are named', async () => {
    const querystring = Array.from({ length: 500 }, (_, i) => `attraction=a${i}`).join('&');
    const response = await respond(world, { uri: '/_edgepass/sign-out', method: 'POST', querystring });
    expect(reasonOf(response)).toBe('signed_out');
    expect(JSON.stringify(response.headers).length + response.body.length).toBeLessThan(30_000);
  });

  it('clears every attraction minted to the browser from its grant notes, even after the session is gone', async () => {
    const noteFor = (path: string) => `edgepass-grant-${Buffer.from(path).toString('base64url')}`;
    const response = await respond(world, {
      uri: '/_edgepass/sign-out',
      method: 'POST',
      headers: { 'sec-fetch-site': 'same-origin' },
      // No session: the notes alone. A forged note for another path or a bad id is ignored.
      cookies: {
        [noteFor('/attractions/42/')]: '1',
        [noteFor('/elsewhere/x/')]: '1',
        [noteFor('/attractions/../')]: '1',
      },
    });
    expect([response.status, reasonOf(response)]).toEqual([200, 'signed_out']);
    const lines = response.headers['set-cookie'] ?? [];
    const cleared = lines
      .filter((line) => line.startsWith('CloudFront-Signature='))
      .map((line) => /Path=([^;]+)/.exec(line)?.[1]);
    expect(cleared).toEqual(['/attractions/42/']);
    expect(lines).toContain(
      `${noteFor('/attractions/42/')}=; Path=/_edgepass/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=Lax`,
    );
    expect(response.headers['clear-site-data']).toEqual(['"cache"']);
  });
});
