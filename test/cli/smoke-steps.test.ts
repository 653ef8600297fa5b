// The smoke steps over a fake distribution (an injected fetch, no network): redirects that must not be followed,
// secrets echoed by a hostile answer, no answer at all, skipped steps, and an upload cleaned up whatever happened.
import { describe, expect, it } from 'vitest';
import { runSmoke } from '../../cli/smoke/run.ts';
import type { Row, SmokePlan } from '../../cli/smoke/types.ts';

const ORIGIN = 'https://cdn.example.test';
const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJzbW9rZSJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg';
const OBJECT = '/attractions/giants-causeway/index.html';
const NOW_MS = 1_900_000_000_000;
const SIGNED = `${ORIGIN}${OBJECT}?Expires=1900000060&Signature=SigValueOfTheEdge1234&Key-Pair-Id=K2JCJMDEHXQW5F`;

const plan = (overrides: Partial<SmokePlan> = {}): SmokePlan => ({
  origin: ORIGIN,
  token: TOKEN,
  attraction: 'giants-causeway',
  otherAttraction: 'titanic-belfast',
  prefix: '/attractions/',
  path: 'index.html',
  publicPath: '/',
  sessionCookie: 'session',
  upload: undefined,
  timeoutMs: 1000,
  ...overrides,
});

type Route = (url: URL, init: RequestInit) => Response | Promise<Response>;

/** A fake distribution: `METHOD /path` routes (bearer requests get ` bearer` appended), 404 for the rest. */
function fakeFetch(routes: Record<string, Route>): typeof fetch {
  return (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const bearer = new Headers(init.headers).has('authorization') ? ' bearer' : '';
    const route =
      routes[`${init.method ?? 'GET'} ${url.pathname}${bearer}`] ?? routes[`${init.method ?? 'GET'} ${url.href}`];
    return Promise.resolve(route === undefined ? new Response('', { status: 404 }) : route(url, init));
  };
}

const redirectTo = (location: string) => () => new Response(null, { status: 302, headers: { location } });
const json = (status: number, body: unknown) => () =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const run = async (routes: Record<string, Route>, overrides: Partial<SmokePlan> = {}) =>
  runSmoke(plan(overrides), { fetch: fakeFetch(routes), nowMs: () => NOW_MS });
const rowOf = (rows: readonly Row[], step: string) => rows.find((row) => row.step === step);

describe('smoke steps', () => {
  it.each([
    {
      location: `https://evil.example.test${OBJECT}?Signature=x&Key-Pair-Id=K1`,
      got: 'Location on another origin (evil.example.test)',
    },
    { location: `${SIGNED}&token=${TOKEN}`, got: 'the token is in Location' },
    { location: `${OBJECT}?Expires=1900000060`, got: 'Location is not a signed URL (Signature, Key-Pair-Id)' },
    { location: SIGNED.replace('index.html', 'other.html'), got: 'Location names another path' },
    { location: SIGNED.replace('Expires=1900000060', 'Expires=1899999999'), got: 'the signed URL has already expired' },
  ])('does not follow a bearer redirect when $got', async ({ location, got }) => {
    const report = await run({ [`GET ${OBJECT} bearer`]: redirectTo(location) });
    expect(rowOf(report.rows, 'bearer → signed URL')).toMatchObject({ result: 'FAIL', got: `302, ${got}` });
    expect(rowOf(report.rows, 'signed URL → bytes')).toMatchObject({ result: 'SKIP', got: 'skipped: no signed URL' });
    expect(report.ok).toBe(false);
  });

  it('passes a healthy signed URL and masks its signature when an answer echoes it', async () => {
    const report = await run({
      [`GET ${OBJECT} bearer`]: redirectTo(SIGNED),
      [`GET ${SIGNED}`]: json(403, { reason: 'SigValueOfTheEdge1234' }),
    });
    expect(rowOf(report.rows, 'bearer → signed URL')).toMatchObject({
      result: 'PASS',
      got: '302 signed URL, key K2JCJMDEHXQW5F, 60 s',
    });
    expect(rowOf(report.rows, 'signed URL → bytes')).toMatchObject({ result: 'FAIL', got: '403 [redacted]' });
    expect(JSON.stringify(report)).not.toContain('SigValueOfTheEdge1234');
  });

  it('fails a changed signature that is served', async () => {
    const report = await run({
      [`GET ${OBJECT} bearer`]: redirectTo(SIGNED),
      [`GET ${OBJECT}`]: (url) => new Response('media', { status: url.search === '' ? 401 : 200 }),
    });
    expect(rowOf(report.rows, 'signed URL → bytes')).toMatchObject({ result: 'PASS' });
    expect(rowOf(report.rows, 'signed URL, one char changed')).toMatchObject({ result: 'FAIL', got: '200' });
  });

  it('reports a refused connection by its code, never the message', async () => {
    const refused = () => {
      const cause = Object.assign(new Error(`connect ECONNREFUSED ${TOKEN}`), { code: 'ECONNREFUSED' });
      return Promise.reject(new TypeError(`fetch failed for ${SIGNED}`, { cause }));
    };
    const report = await runSmoke(plan(), { fetch: refused, nowMs: () => NOW_MS });
    const ran = report.rows.filter((row) => row.result !== 'SKIP');
    expect(ran.length).toBeGreaterThan(5);
    expect(ran.every((row) => row.result === 'FAIL' && row.got === 'no answer (ECONNREFUSED)')).toBe(true);
    expect(JSON.stringify(report)).not.toMatch(/fetch failed|Signature|eyJ/);
  });

  it('gives up on an answer slower than the timeout', async () => {
    const never: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => {
          reject(init.signal?.reason as Error);
        });
      });
    const report = await runSmoke(plan({ timeoutMs: 20 }), { fetch: never, nowMs: () => NOW_MS });
    expect(rowOf(report.rows, 'public file')).toMatchObject({ result: 'FAIL', got: 'no answer (timeout)' });
    expect(rowOf(report.rows, 'sign-out')).toMatchObject({ result: 'FAIL', got: 'no answer (timeout)' });
  });

  it('fails an upload grant that is not JSON, and skips the rest of the round trip', async () => {
    const body = new TextEncoder().encode('edgepass smoke test\n');
    const report = await run(
      { 'POST /api/uploads bearer': () => new Response('<html>', { status: 201 }) },
      { upload: { purpose: 'passport', contentType: 'image/png', method: 'PUT', filename: 'a.png', body } },
    );
    expect(rowOf(report.rows, 'upload: request')).toMatchObject({ result: 'FAIL', got: 'an answer that is not JSON' });
    const rest = report.rows.filter((row) => row.step.startsWith('upload: ') && row.step !== 'upload: request');
    expect(rest.map((row) => [row.step, row.result, row.got])).toEqual(
      ['send bytes', 'presigned GET', 'bytes back', 'delete', 'gone'].map((step) => [
        `upload: ${step}`,
        'SKIP',
        'skipped: no upload grant',
      ]),
    );
  });

  it('skips the other-attraction and upload steps when their options are absent', async () => {
    const report = await run({}, { otherAttraction: undefined });
    const skipped = report.rows.filter((row) => row.result === 'SKIP').map((row) => [row.step, row.got]);
    expect(skipped).toEqual(
      expect.arrayContaining([
        ['other attraction, bearer', 'skipped: no --other-attraction'],
        ['other attraction, cookies', 'skipped: no --other-attraction'],
        ['upload round trip', 'skipped: no --upload-purpose'],
      ]),
    );
  });

  it('deletes the upload even when reading it back fails', async () => {
    const presigned = 'https://bucket.s3.example.test/uploads/k?X-Amz-Signature=abcdef0123456789';
    const key = 'uploads/owner/passport/id-edgepass-smoke.png';
    const file = `/api/files/${encodeURIComponent(key)}`;
    const body = new TextEncoder().encode('edgepass smoke test\n');
    const headers = { 'content-type': 'image/png', 'content-length': String(body.length) };
    const deleted: string[] = [];
    const report = await run(
      {
        'POST /api/uploads bearer': json(201, {
          method: 'PUT',
          url: presigned,
          headers,
          key,
          expiresAt: '2030-03-17T17:47:40Z',
        }),
        [`PUT ${presigned}`]: () => new Response(null, { status: 200 }),
        [`GET ${file} bearer`]: json(500, { code: 'internal_error' }),
        [`DELETE ${file} bearer`]: (url) => {
          deleted.push(url.pathname);
          return new Response(null, { status: 204 });
        },
      },
      {
        upload: { purpose: 'passport', contentType: 'image/png', method: 'PUT', filename: 'edgepass-smoke.png', body },
      },
    );
    const upload = report.rows
      .filter((row) => row.step.startsWith('upload: '))
      .map((row) => [row.step, row.result, row.got]);
    expect(upload).toEqual([
      ['upload: request', 'PASS', '201 presigned PUT, 60 s'],
      ['upload: send bytes', 'PASS', `200, ${String(body.length)} B`],
      ['upload: presigned GET', 'FAIL', '500 internal_error'],
      ['upload: bytes back', 'SKIP', 'skipped: no presigned GET'],
      ['upload: delete', 'PASS', '204'],
      ['upload: gone', 'FAIL', '500 internal_error'],
    ]);
    expect(deleted).toEqual([file]);
    expect(JSON.stringify(report)).not.toContain('X-Amz-Signature');
  });
});
