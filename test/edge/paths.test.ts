// Path safety: every spelling that an origin could read as a protected object is classified as protected or refused,
// never "outside"; a protected match names exactly the attraction the origin would serve.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProtectedPath } from '../../edge/config.ts';
import { classifyPath } from '../../edge/core/paths.ts';

const attractions: ProtectedPath = {
  pattern: '/attractions/{attraction}/',
  prefix: '/attractions/',
  placeholder: 'attraction',
  ticketClaim: 'tickets',
  cookieTtlSeconds: 3600,
  signedUrlTtlSeconds: 60,
  enforcement: 'edge',
};
const paths = [attractions];

/** How a lenient origin could read a path: every escape decoded, "\" as "/", empty and dot segments resolved. */
function originView(uri: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(uri);
  } catch {
    decoded = uri.replace(/%([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
  const out: string[] = [];
  for (const segment of decoded.replace(/\\/g, '/').split('/')) {
    if (segment === '..') out.pop();
    else if (segment !== '' && segment !== '.') out.push(segment);
  }
  return `/${out.join('/')}${decoded.endsWith('/') ? '/' : ''}`;
}

describe('classifyPath', () => {
  it.each([
    ['/attractions/42/photo.jpg', '42'],
    ['/attractions/a_B-9/', 'a_B-9'],
    ['/attractions/42/deep/er/file%20name.mp4', '42'],
  ])('protects %s for attraction %s', (uri, attraction) => {
    expect(classifyPath(uri, paths)).toMatchObject({ kind: 'protected', attraction });
  });

  it.each([
    ['/attractions/', 'path_incomplete'],
    ['/attractions/42', 'path_incomplete'],
    ['/attractions/bad..id/x', 'path_bad_attraction'],
    ['/attractions/bad.id/x', 'path_bad_attraction'],
    [`/attractions/${'a'.repeat(65)}/x`, 'path_bad_attraction'],
    ['/attractions/42/../43/x', 'path_unsafe'],
    ['/attractions/42/./x', 'path_unsafe'],
    ['/attractions/42/..', 'path_unsafe'],
    ['/attractions//42/x', 'path_unsafe'],
    ['/attractions/42%2f..%2f43/x', 'path_unsafe'],
    ['/attractions/42/%2e%2e/43/x', 'path_unsafe'],
    ['/attractions/4%32/x', 'path_unsafe'],
    ['/attractions/42/x%00', 'path_unsafe'],
    ['/attractions/42/x%1F', 'path_unsafe'],
    ['/attractions/42/a\\..\\b', 'path_unsafe'],
    ['/attractions/42/x\u0000', 'path_unsafe'],
    ['/attractions/42/ x', 'path_unsafe'],
    ['/attractions/42/%zz', 'path_unsafe'],
    ['/%61ttractions/42/x', 'path_unsafe'],
    ['/public/../attractions/42/x', 'path_unsafe'],
    ['/public%2f..%2fattractions/42/x', 'path_unsafe'],
    ['/attractions%2F42/x', 'path_unsafe'],
  ])('refuses %s as %s', (uri, reason) => {
    expect(classifyPath(uri, paths)).toMatchObject({ kind: 'refused', reason });
  });

  it.each(['/', '/public/a.jpg', '/attraction/42/x', '/attractionsX/42/x', '/_edgepassx/grant'])(
    'leaves %s outside',
    (uri) => {
      expect(classifyPath(uri, paths)).toEqual({ kind: 'outside' });
    },
  );

  it('names /_edgepass/ endpoints', () => {
    expect(classifyPath('/_edgepass/grant', paths)).toEqual({ kind: 'endpoint', name: 'grant' });
  });

  const pieces = fc.constantFrom(
    '/',
    '//',
    '.',
    '..',
    '\\',
    '%2e',
    '%2E',
    '%2f',
    '%2F',
    '%5c',
    '%00',
    '%61',
    '%41',
    '%20',
    '%zz',
    'attractions',
    'ttractions',
    'a',
    '42',
    '7',
    'x.jpg',
    '_',
    '-',
    '~',
    ' ',
    '\t',
    'é',
  );
  const uris = fc.array(pieces, { maxLength: 12 }).map((parts) => `/${parts.join('')}`);

  it('never lets a path the origin reads as protected fall outside', () => {
    fc.assert(
      fc.property(uris, (uri) => {
        if (originView(uri).startsWith('/attractions/') || originView(`${uri}/`).startsWith('/attractions/')) {
          expect(classifyPath(uri, paths).kind).not.toBe('outside');
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('matches exactly the attraction the origin would serve, spelled canonically', () => {
    fc.assert(
      fc.property(uris, (uri) => {
        const match = classifyPath(uri, paths);
        if (match.kind !== 'protected') return;
        expect(originView(uri).startsWith(`/attractions/${match.attraction}/`)).toBe(true);
        expect(originView(uri)).toBe(decodeURIComponent(uri));
        expect(match.attraction).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      }),
      { numRuns: 5000 },
    );
  });

  it('protects every well-formed object path under a valid attraction', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/);
    const segment = fc.stringMatching(/^[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,20}$/);
    fc.assert(
      fc.property(id, fc.array(segment, { maxLength: 4 }), (attraction, rest) => {
        const uri = `/attractions/${attraction}/${rest.join('/')}`;
        expect(classifyPath(uri, paths)).toMatchObject({ kind: 'protected', attraction });
      }),
    );
  });
});
