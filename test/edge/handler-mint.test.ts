// Behaviours 2-4: an app's bearer token earns a signed URL for exactly the object; a browser's session or one-shot
// token earns signed cookies and a redirect back; cookies that did not stick get a clear page; no ticket is a 403.
import { getSignedCookies, getSignedUrl } from '@aws-sdk/cloudfront-signer';
import { beforeAll, describe, expect, it } from 'vitest';
import { setCookies } from '../helpers/events.ts';
import { createWorld, HOST, NOW_S } from './fixture.ts';
import type { World } from './fixture.ts';
import { cloudFrontCookies, decodedPolicy, independentVerifier, reasonOf, respond } from './flow.ts';

let world: World;
let session: string;

beforeAll(async () => {
  world = createWorld({ loginUrl: 'https://id.example.test/login?app=demo' });
  session = await world.token();
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The marker the edge put in its redirect after minting for this session (read off a real answer). */
async function markerFor(token: string): Promise<string> {
  const minted = await respond(world, { uri: '/attractions/42/a.jpg', cookies: { session: token } });
  return new URL(minted.headers['location']?.[0] ?? '', `https://${HOST}`).searchParams.get('edgepass_cc') ?? '';
}
/** What a browser sends when it loads a page (Fetch Metadata and Accept); fetch-style requests are in cors.test.ts. */
const navigation = { 'sec-fetch-mode': 'navigate', accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('apps with a bearer token (behaviour 2)', () => {
  it('redirects to an absolute signed URL for exactly the requested object, query kept', async () => {
    const response = await respond(world, {
      uri: '/attractions/42/clip.mp4',
      querystring: 'q=hd',
      headers: bearer(session),
    });
    expect(response.status).toBe(302);
    const location = response.headers['location']?.[0] ?? '';
    expect(location.startsWith(`https://${HOST}/attractions/42/clip.mp4?q=hd&Expires=`)).toBe(true);
    const verdict = independentVerifier(world.cf).verifyUrl({
      url: location,
      clientIp: '203.0.113.10',
      nowEpochSeconds: NOW_S,
    });
    expect(verdict).toMatchObject({ ok: true, keyPairId: world.cf.keyPairId });
    const expires = Number(new URL(location).searchParams.get('Expires'));
    expect(expires).toBeGreaterThan(NOW_S);
    expect(expires).toBeLessThanOrEqual(NOW_S + 60);
    const sdk = getSignedUrl({
      url: `https://${HOST}/attractions/42/clip.mp4?q=hd`,
      keyPairId: world.cf.keyPairId,
      privateKey: world.cf.privateKeyPem,
      dateLessThan: new Date(expires * 1000),
    });
    expect(location).toBe(sdk);
    expect(response.headers['cache-control']).toEqual(['no-store']);
  });

  it('keeps a port from the Host header in the minted URL', async () => {
    const response = await respond(world, {
      uri: '/attractions/42/a.jpg',
      host: `${HOST}:8443`,
      headers: bearer(session),
    });
    expect(response.headers['location']?.[0]).toMatch(/^https:\/\/cdn\.example\.test:8443\/attractions\/42\/a\.jpg\?/);
  });

  it('never signs past the ticket end', async () => {
    const token = await world.token({ tickets: [{ attraction: '42', exp: NOW_S + 20 }] });
    const response = await respond(world, { uri: '/attractions/42/a.jpg', headers: bearer(token) });
    expect(new URL(response.headers['location']?.[0] ?? '').searchParams.get('Expires')).toBe(String(NOW_S + 20));
  });

  it('answers 403 insufficient_scope without a current ticket for the attraction', async () => {
    const ended = await world.token({ tickets: [{ attraction: '42', exp: NOW_S - 1 }, '7'] });
    const response = await respond(world, { uri: '/attractions/42/a.jpg', headers: bearer(ended) });
    expect([response.status, reasonOf(response)]).toEqual([403, 'no_ticket']);
    expect(response.headers['www-authenticate']?.[0]).toContain('insufficient_scope');
    expect(response.headers['location']).toBeUndefined();
  });
});

describe('browsers with a session (behaviour 3)', () => {
  it('sets custom-policy cookies for the attraction and redirects back with a marker', async () => {
    const response = await respond(world, { uri: '/attractions/42/a.jpg', querystring: 'x=1', cookies: { session } });
    expect(response.status).toBe(302);
    expect(response.headers['location']?.[0]).toMatch(
      new RegExp(`^/attractions/42/a\\.jpg\\?x=1&edgepass_cc=${NOW_S}\\.[A-Za-z0-9_-]{22}$`),
    );
    const lines = setCookies(response);
    const note = `edgepass-grant-${Buffer.from('/attractions/42/').toString('base64url')}`;
    expect([...lines.keys()]).toEqual(['CloudFront-Policy', 'CloudFront-Signature', 'CloudFront-Key-Pair-Id', note]);
    expect(lines.get(note)?.attributes).toMatch(/^Path=\/_edgepass\/; Max-Age=\d+; Secure; HttpOnly; SameSite=Lax$/);
    lines.delete(note);
    for (const { attributes } of lines.values()) {
      expect(attributes).toMatch(/^Path=\/attractions\/42\/; Max-Age=\d+; Secure; HttpOnly; SameSite=Lax$/);
    }
    const cookies = cloudFrontCookies(response);
    const statement = decodedPolicy(cookies).Statement[0];
    expect(statement.Resource).toBe(`https://${HOST}/attractions/42/*`);
    expect(statement.Condition.DateLessThan['AWS:EpochTime']).toBeLessThanOrEqual(NOW_S + 3600);
    const facts = { url: `https://${HOST}/attractions/42/b/c.jpg`, clientIp: '198.51.100.1', nowEpochSeconds: NOW_S };
    expect(independentVerifier(world.cf).verifyCookies({ ...facts, cookies })).toMatchObject({ ok: true });
    const policy = JSON.stringify(decodedPolicy(cookies));
    expect(getSignedCookies({ keyPairId: world.cf.keyPairId, privateKey: world.cf.privateKeyPem, policy })).toEqual(
      cookies,
    );
  });

  it('refuses to echo a query that is not URL-safe into the Location header', async () => {
    const response = await respond(world, {
      uri: '/attractions/42/a.jpg',
      querystring: 'x="<b>"',
      cookies: { session },
    });
    expect([response.status, reasonOf(response)]).toEqual([400, 'path_unsafe']);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('caps the cookies at the ticket end', async () => {
    const token = await world.token({ tickets: [{ attraction: '42', exp: NOW_S + 600 }] });
    const response = await respond(world, { uri: '/attractions/42/a.jpg', cookies: { session: token } });
    expect(decodedPolicy(cloudFrontCookies(response)).Statement[0].Condition.DateLessThan['AWS:EpochTime']).toBe(
      NOW_S + 600,
    );
  });

  it('answers cookies_blocked instead of redirecting again when the cookies did not stick', async () => {
    const response = await respond(world, {
      uri: '/attractions/42/a.jpg',
      querystring: `edgepass_cc=${await markerFor(session)}`,
      cookies: { session },
    });
    expect([response.status, reasonOf(response)]).toEqual([400, 'cookies_blocked']);
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('answers cookies_blocked when neither the grant nor any session came back', async () => {
    const response = await respond(world, {
      uri: '/attractions/42/a.jpg',
      querystring: `edgepass_cc=${await markerFor(session)}`,
    });
    expect([response.status, reasonOf(response)]).toEqual([400, 'cookies_blocked']);
  });

  it('sends a browser with a recent marker but a bad session to sign in, not to cookies_blocked', async () => {
    const expired = await world.token({ exp: NOW_S - 120 });
    const response = await respond(world, {
      uri: '/attractions/42/a.jpg',
      querystring: `edgepass_cc=${await markerFor(session)}`,
      cookies: { session: expired },
      headers: navigation,
    });
    expect(response.status).toBe(302);
    expect(response.headers['location']?.[0]).toContain(
      'https://id.example.test/login?app=demo&return_to=%2Fattractions%2F42%2Fa.jpg',
    );
  });

  it('re-mints when the marker is old (a reload much later)', async () => {
    const response = await respond(world, {
      uri: '/attractions/42/a.jpg',
      querystring: `edgepass_cc=${(await markerFor(session)).replace(String(NOW_S), String(NOW_S - 3600))}`,
      cookies: { session },
    });
    expect(response.status).toBe(302);
    expect(response.headers['location']?.[0]).toMatch(new RegExp(`^/attractions/42/a\\.jpg\\?edgepass_cc=${NOW_S}\\.`));
  });
});

describe('browsers without a usable session (behaviour 4)', () => {
  it('sends a navigation to the login URL with a safe relative return path (no token)', async () => {
    const response = await respond(world, {
      uri: '/attractions/42/a.jpg',
      querystring: 'token=garbage&x=1',
      headers: navigation,
    });
    expect(response.status).toBe(302);
    const location = new URL(response.headers['location']?.[0] ?? '');
    expect(location.origin + location.pathname).toBe('https://id.example.test/login');
    expect(location.searchParams.get('app')).toBe('demo');
    expect(location.searchParams.get('return_to')).toBe('/attractions/42/a.jpg?x=1');
  });

  it('answers 401 HTML without a login URL', async () => {
    const plain = createWorld({}, { idp: world.idp, cf: world.cf });
    const response = await respond(plain, { uri: '/attractions/42/a.jpg', headers: { accept: 'text/html' } });
    expect([response.status, reasonOf(response)]).toEqual([401, 'token_missing']);
    expect(response.headers['content-type']?.[0]).toMatch(/^text\/html/);
  });

  it('answers 403 no_ticket to a browser whose session lacks the attraction', async () => {
    const response = await respond(world, {
      uri: '/attractions/7/a.jpg',
      cookies: { session },
      headers: { accept: 'text/html' },
    });
    expect([response.status, reasonOf(response)]).toEqual([403, 'no_ticket']);
  });
});

// Security review (issue #11, item 3): a token accepted inside the clock tolerance earned nothing past its exp.
describe('grants never outlive the token that earned them', () => {
  it("caps the cookies at the session token's exp (rounded down to the shared bucket) before the TTL", async () => {
    const token = await world.token({ exp: NOW_S + 100 });
    const response = await respond(world, { uri: '/attractions/42/a.jpg', cookies: { session: token } });
    const policy = decodedPolicy(cloudFrontCookies(response));
    // The reuse bucket is 60 s: everyone whose session ends in the same minute shares one signature.
    const bucketed = Math.floor((NOW_S + 100) / 60) * 60;
    expect(bucketed).toBeGreaterThan(NOW_S);
    expect(policy.Statement[0].Condition.DateLessThan['AWS:EpochTime']).toBe(bucketed);
  });

  it("caps a signed URL at the bearer token's exp when that comes within the last bucket", async () => {
    const token = await world.token({ exp: NOW_S + 5 });
    const response = await respond(world, { uri: '/attractions/42/a.jpg', headers: bearer(token) });
    const expires = Number(new URL(response.headers['location']?.[0] ?? '').searchParams.get('Expires'));
    expect(expires).toBeGreaterThan(NOW_S);
    expect(expires).toBeLessThanOrEqual(NOW_S + 5);
  });

  it('answers 401 token_expired to a bearer token past its exp but inside the tolerance, minting nothing', async () => {
    const late = await world.token({ exp: NOW_S - 20 });
    const response = await respond(world, { uri: '/attractions/42/a.jpg', headers: bearer(late) });
    expect([response.status, reasonOf(response)]).toEqual([401, 'token_expired']);
    expect(response.headers['location']).toBeUndefined();
  });

  it('sends a browser whose session is past its exp (inside the tolerance) to sign in, with no cookies', async () => {
    const late = await world.token({ exp: NOW_S - 20 });
    const response = await respond(world, {
      uri: '/attractions/42/a.jpg',
      cookies: { session: late },
      headers: navigation,
    });
    expect(response.status).toBe(302);
    expect(response.headers['location']?.[0]).toMatch(/^https:\/\/id\.example\.test\/login\?/);
    expect(response.headers['set-cookie']).toBeUndefined();
  });
});
