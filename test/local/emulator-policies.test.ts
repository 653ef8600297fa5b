// The emulator applies the template's policies as CloudFront does: only what the cache and origin request policies
// name reaches the origin, the response headers policy adds CORS for an allowed Origin only, Override decides.
import { describe, expect, it } from 'vitest';
import { withCdnPort } from '../../local/cdn-origins.ts';
import { forwardCookies, forwardHeaders, forwardQuery } from '../../local/cloudfront/forward.ts';
import { applyResponseHeaders } from '../../local/cloudfront/response-headers.ts';
import type { ForwardRules, ResponseHeaders } from '../../local/template/policies.ts';

const rules = (partial: Partial<ForwardRules>): ForwardRules => ({
  headers: [],
  cookies: [],
  queryStrings: [],
  ...partial,
});
const VIEWER: [string, string][] = [
  ['Host', 'cdn.example.test'],
  ['Authorization', 'Bearer t'],
  ['Origin', 'https://app.example.test'],
  ['Range', 'bytes=0-9'],
  ['X-Custom', '1'],
  ['Cookie', 'session=s'],
];

describe('what reaches the origin', () => {
  it.each([
    ['no header policy: only what CloudFront handles itself (Range)', rules({}), ['Range']],
    [
      'a whitelist, case-insensitive',
      rules({ headers: [{ behavior: 'whitelist', names: ['origin', 'x-custom'] }] }),
      ['Origin', 'Range', 'X-Custom'],
    ],
    [
      'all viewer headers (never Host or Cookie, which have their own rules)',
      rules({ headers: [{ behavior: 'allViewer', names: [] }] }),
      ['Authorization', 'Origin', 'Range', 'X-Custom'],
    ],
    [
      'all except the listed',
      rules({ headers: [{ behavior: 'allExcept', names: ['authorization'] }] }),
      ['Origin', 'Range', 'X-Custom'],
    ],
  ])('headers with %s', (_name, policy, expected) => {
    expect(forwardHeaders(policy, VIEWER).map(([name]) => name)).toEqual(expected);
  });

  it('forwards cookies only as the cookie rules say', () => {
    const header = 'session=s; CloudFront-Policy=p; theme=dark';
    expect(forwardCookies(rules({}), header)).toBeUndefined();
    expect(forwardCookies(rules({ cookies: [{ behavior: 'whitelist', names: ['theme'] }] }), header)).toBe(
      'theme=dark',
    );
    expect(forwardCookies(rules({ cookies: [{ behavior: 'all', names: [] }] }), header)).toBe(header);
  });

  it('forwards query strings raw, in order, only as the query rules say', () => {
    const raw = 'a=1&Signature=x%2By&b=two%20words';
    expect(forwardQuery(rules({}), raw)).toBe('');
    expect(forwardQuery(rules({ queryStrings: [{ behavior: 'all', names: [] }] }), raw)).toBe(raw);
    const some = rules({ queryStrings: [{ behavior: 'whitelist', names: ['a', 'b'] }] });
    expect(forwardQuery(some, raw)).toBe('a=1&b=two%20words');
  });
});

const policy = (override: boolean): ResponseHeaders => ({
  name: 'p',
  cors: {
    allowOrigins: ['https://app.example.test'],
    allowMethods: ['GET', 'HEAD', 'OPTIONS'],
    allowHeaders: ['authorization', 'range'],
    exposeHeaders: ['Content-Range'],
    allowCredentials: true,
    maxAgeSec: 600,
    originOverride: override,
  },
  headers: [
    ['X-Frame-Options', 'DENY', true],
    ['Referrer-Policy', 'no-referrer', false],
  ],
});
const fromOrigin: [string, string][] = [
  ['Content-Type', 'image/png'],
  ['Referrer-Policy', 'origin'],
  ['X-Frame-Options', 'SAMEORIGIN'],
];

describe('the response headers policy', () => {
  it('adds the exact origin, credentials and exposed headers for an allowed Origin', () => {
    const lines = applyResponseHeaders(
      policy(true),
      { method: 'GET', origin: 'https://app.example.test', requestMethod: undefined },
      fromOrigin,
    );
    expect(lines).toEqual([
      ['Content-Type', 'image/png'],
      ['Referrer-Policy', 'origin'],
      ['Access-Control-Allow-Origin', 'https://app.example.test'],
      ['Access-Control-Allow-Credentials', 'true'],
      ['Access-Control-Expose-Headers', 'Content-Range'],
      ['X-Frame-Options', 'DENY'],
    ]);
  });

  it('answers a preflight with methods, headers and max age', () => {
    const lines = applyResponseHeaders(
      policy(true),
      { method: 'OPTIONS', origin: 'https://app.example.test', requestMethod: 'GET' },
      [],
    );
    expect(Object.fromEntries(lines)).toMatchObject({
      'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
      'Access-Control-Allow-Headers': 'authorization, range',
      'Access-Control-Max-Age': '600',
    });
  });

  it('adds no CORS header for another origin, or without one', () => {
    for (const origin of ['https://evil.example.test', undefined]) {
      const lines = applyResponseHeaders(policy(true), { method: 'GET', origin, requestMethod: undefined }, fromOrigin);
      expect(lines.some(([name]) => name.startsWith('Access-Control-'))).toBe(false);
    }
  });

  it("keeps the origin's own CORS headers unless the policy overrides them", () => {
    const withCors: [string, string][] = [['Access-Control-Allow-Origin', '*']];
    const request = { method: 'GET', origin: 'https://app.example.test', requestMethod: undefined };
    expect(applyResponseHeaders(policy(false), request, withCors)).toContainEqual(['Access-Control-Allow-Origin', '*']);
    expect(applyResponseHeaders(policy(true), request, withCors)).not.toContainEqual([
      'Access-Control-Allow-Origin',
      '*',
    ]);
  });
});

describe('the one local override of a template rule', () => {
  it("gives the template's port-less loopback CDN origins the CDN port, and nothing else", () => {
    const rule = {
      AllowedOrigins: ['http://localhost', 'http://127.0.0.1', 'http://localhost:5173', 'https://cdn.example.test'],
      AllowedMethods: ['GET'],
    };
    expect(withCdnPort([rule], 8080)[0]?.AllowedOrigins).toEqual([
      'http://localhost:8080',
      'http://127.0.0.1:8080',
      'http://localhost:5173',
      'https://cdn.example.test',
    ]);
  });
});
