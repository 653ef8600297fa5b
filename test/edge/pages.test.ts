// Error pages with a next step (issue #13 item 4): a person who is refused sees plain words, a styled page and what
// to do next (sign in with a safe return path, reload, go home), never a token; folder paths ask S3 for index.html.
import { beforeAll, describe, expect, it } from 'vitest';
import { createWorld, NOW_S } from './fixture.ts';
import type { World } from './fixture.ts';
import { pass, reasonOf, respond } from './flow.ts';

const LOGIN = 'https://id.example.test/login';
const navigation = { 'sec-fetch-mode': 'navigate', accept: 'text/html' };
let world: World;
let plain: World;

beforeAll(() => {
  world = createWorld({ loginUrl: LOGIN, linkTokens: { audience: 'edgepass-link' } });
  plain = createWorld({}, { idp: world.idp, cf: world.cf });
});

/** The page's next-step links: [href, text], HTML-unescaped. */
const links = (body: string): [string, string][] =>
  [...body.matchAll(/<a class="next[^"]*" href="([^"]*)">([^<]*)<\/a>/g)].map((m) => [
    (m[1] ?? '').replace(/&#38;/g, '&'),
    m[2] ?? '',
  ]);

describe('pages for people', () => {
  it('offers another account and the home page to a user without the ticket, in a styled page', async () => {
    const session = await world.token({ tickets: ['7'] });
    const response = await respond(world, { uri: '/attractions/42/', headers: navigation, cookies: { session } });
    expect([response.status, reasonOf(response)]).toEqual([403, 'no_ticket']);
    expect(response.body).toContain('<style>');
    expect(response.body).toContain('<meta name="viewport"');
    expect(links(response.body)).toEqual([
      [`${LOGIN}?return_to=%2Fattractions%2F42%2F`, 'Sign in with another account'],
      ['/', 'Go to the home page'],
    ]);
    expect(response.body.length).toBeLessThan(4096);
  });

  it('offers sign-in (never carrying a link token) when no login redirect was possible', async () => {
    const link = await world.token({ aud: 'edgepass-link', iat: NOW_S - 1, exp: NOW_S + 60, tickets: ['7'] });
    const response = await respond(world, {
      uri: '/attractions/42/a.jpg',
      querystring: `token=${link}&x=1`,
      headers: navigation,
    });
    expect([response.status, reasonOf(response)]).toEqual([403, 'no_ticket']);
    expect(links(response.body)[0]?.[0]).toBe(`${LOGIN}?return_to=%2Fattractions%2F42%2Fa.jpg%3Fx%3D1`);
    expect(response.body).not.toContain(link);
  });

  it('offers only the home page without a login URL', async () => {
    const response = await respond(plain, { uri: '/attractions/42/a.jpg', headers: navigation });
    expect([response.status, reasonOf(response)]).toEqual([401, 'token_missing']);
    expect(links(response.body)).toEqual([['/', 'Go to the home page']]);
  });

  it('keeps JSON answers for apps free of page links', async () => {
    const response = await respond(world, { uri: '/attractions/42/a.jpg', headers: { accept: 'application/json' } });
    expect(JSON.parse(response.body)).toEqual({ reason: 'token_missing', requestId: 'req-test-1' });
  });
});

describe('folder paths', () => {
  it('ask S3 for the folder index.html once access is granted', async () => {
    const session = await world.token();
    const minted = await respond(world, { uri: '/attractions/42/', cookies: { session } });
    const cookies = Object.fromEntries(
      (minted.headers['set-cookie'] ?? [])
        .map((line) => line.split(';')[0]?.split('=') ?? [])
        .filter(([name]) => name?.startsWith('CloudFront-'))
        .map(([name, ...rest]) => [name, rest.join('=')]),
    );
    const request = await pass(world, { uri: '/attractions/42/', cookies });
    expect(request.uri).toBe('/attractions/42/index.html');
  });
});
