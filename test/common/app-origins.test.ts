// parseAppOrigins: the one parser of the top-level `appOrigins` list (edge, origin API, infra). Only the exact
// origin a browser sends is accepted, never a wildcard; every problem is collected.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_APP_ORIGINS, parseAppOrigins } from '../../common/app-origins.ts';

const exact = (origin: string) =>
  `must be exactly the origin a browser sends, "${origin}" (no path, query, credentials or default port)`;
const NOT_AN_ORIGIN = 'must be an origin such as "https://app.example.com" (scheme, host, optional port; no path)';

function parse(raw: unknown): { origins: string[]; problems: string[] } {
  const problems: string[] = [];
  const origins = parseAppOrigins(raw, problems);
  return { origins, problems };
}

describe('parseAppOrigins', () => {
  it('is an empty list when absent', () => {
    expect(parse(undefined)).toEqual({ origins: [], problems: [] });
  });

  it.each([
    ['https://app.example.test'],
    ['https://app.example.test:8443'],
    ['https://192.0.2.7'],
    ['http://localhost:5173'],
    ['http://localhost'],
    ['http://127.0.0.1:3000'],
    ['https://localhost:5173'],
    ['https://xn--bcher-kva.example'],
  ])('accepts %s', (origin) => {
    expect(parse([origin])).toEqual({ origins: [origin], problems: [] });
  });

  it.each([
    ['http://example.com', 'must use https (http only for localhost or 127.0.0.1)'],
    ['http://app.localhost:5173', 'must use https (http only for localhost or 127.0.0.1)'],
    ['http://[::1]:5173', 'must use https (http only for localhost or 127.0.0.1)'],
    ['https://app.example.test/', exact('https://app.example.test')],
    ['https://app.example.test/spa', exact('https://app.example.test')],
    ['https://app.example.test?x=1', exact('https://app.example.test')],
    ['https://App.Example.test', exact('https://app.example.test')],
    ['https://app.example.test:443', exact('https://app.example.test')],
    ['https://user@app.example.test', exact('https://app.example.test')],
    ['https://bücher.example', exact('https://xn--bcher-kva.example')],
    ['*', 'must name one origin ("*" is never allowed)'],
    ['https://*.example.test', 'must name one origin ("*" is never allowed)'],
    ['null', NOT_AN_ORIGIN],
    ['app.example.test', NOT_AN_ORIGIN],
    ['ftp://app.example.test', NOT_AN_ORIGIN],
    ['', NOT_AN_ORIGIN],
    [42, 'must be a string such as "https://app.example.com"'],
  ])('refuses %j', (value, why) => {
    const { origins, problems } = parse([value]);
    expect(origins).toEqual([]);
    expect(problems).toEqual([`appOrigins[0] ${why}`]);
  });

  it('refuses a duplicate, naming it', () => {
    expect(parse(['https://a.example', 'https://b.example', 'https://a.example'])).toEqual({
      origins: ['https://a.example', 'https://b.example'],
      problems: ['appOrigins[2] "https://a.example" is listed twice'],
    });
  });

  it(`refuses more than ${MAX_APP_ORIGINS} origins`, () => {
    const many = Array.from({ length: MAX_APP_ORIGINS + 1 }, (_, i) => `https://app${i}.example`);
    expect(parse(many.slice(0, MAX_APP_ORIGINS)).problems).toEqual([]);
    expect(parse(many).problems).toEqual([`appOrigins must list at most ${MAX_APP_ORIGINS} origins`]);
  });

  it('refuses a value that is not a list', () => {
    expect(parse('https://app.example.test').problems).toEqual([
      'appOrigins must be an array of origins such as ["https://app.example.com"]',
    ]);
  });

  it('collects every problem of a list at once', () => {
    const { problems } = parse(['*', 'http://example.com', 'https://ok.example', 'https://ok.example/']);
    expect(problems.map((p) => p.slice(0, 13))).toEqual(['appOrigins[0]', 'appOrigins[1]', 'appOrigins[3]']);
  });

  it('accepts only strings that are their own serialised origin, over https or loopback http', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.webUrl(),
          fc.webUrl().map((url) => new URL(url).origin),
        ),
        (value) => {
          const { origins } = parse([value]);
          if (origins.length === 0) return;
          const url = new URL(value);
          expect(url.origin).toBe(value);
          expect(url.protocol === 'https:' || ['localhost', '127.0.0.1'].includes(url.hostname)).toBe(true);
        },
      ),
    );
  });
});
