// The emulator's origin-response runner checks what the function returns as CloudFront would: status range,
// read-only headers, disallowed headers, the body limit; a thrown error is a 503 and the origin's body is kept
// unless the function sets one.
import { describe, expect, it } from 'vitest';
import { runOriginResponse } from '../../local/cloudfront/origin-response.ts';
import type { OriginResponseHandler } from '../../local/cloudfront/origin-response.ts';

const facts = {
  request: { method: 'GET', uri: '/a.txt', querystring: 'x=1', clientIp: '127.0.0.1', rawHeaders: ['Accept', '*/*'] },
  answer: {
    status: 403,
    statusDescription: 'Forbidden',
    rawHeaders: ['Content-Type', 'application/xml', 'Via', '1.1 s3'],
  },
  distribution: { distributionDomainName: 'localhost', distributionId: 'E123' },
  requestId: 'rid',
};

const run = (handler: OriginResponseHandler, timeoutMs?: number) => runOriginResponse(handler, facts, timeoutMs);
type Event = Parameters<OriginResponseHandler>[0];
const responseOf = (event: Event) => event.Records[0]!.cf.response;

describe('runOriginResponse', () => {
  it('gives the function the response status and headers, and the request, but no body', async () => {
    let seen: Event | undefined;
    await run((event) => {
      seen = event;
      return Promise.resolve(responseOf(event));
    });
    const cf = seen!.Records[0]!.cf;
    expect(cf.config.eventType).toBe('origin-response');
    expect(cf.response).toEqual({
      status: '403',
      statusDescription: 'Forbidden',
      headers: {
        'content-type': [{ key: 'Content-Type', value: 'application/xml' }],
        via: [{ key: 'Via', value: '1.1 s3' }],
      },
    });
    expect('body' in cf.response).toBe(false);
    expect(cf.request.uri).toBe('/a.txt');
    expect(cf.request.headers['accept']).toEqual([{ key: 'Accept', value: '*/*' }]);
  });

  it('keeps the origin body when the function sets none, and replaces it when it does', async () => {
    const kept = await run((event) => Promise.resolve(responseOf(event)));
    expect(kept).toMatchObject({ kind: 'response', status: 403, body: undefined });
    const replaced = await run((event) => Promise.resolve({ ...responseOf(event), status: '404', body: 'gone' }));
    expect(replaced).toMatchObject({ kind: 'response', status: 404 });
    expect(replaced.kind === 'response' && replaced.body?.toString()).toBe('gone');
  });

  it.each([
    ['a status out of range', (e: Event) => ({ ...responseOf(e), status: '700' })],
    ['a changed read-only Via', (e: Event) => ({ ...responseOf(e), headers: { ...responseOf(e).headers, via: [] } })],
    [
      'a disallowed header',
      (e: Event) => ({
        ...responseOf(e),
        headers: { ...responseOf(e).headers, 'x-amz-cf-id': [{ key: 'X-Amz-Cf-Id', value: 'x' }] },
      }),
    ],
    ['a body over 1 MB', (e: Event) => ({ ...responseOf(e), body: 'x'.repeat(1024 * 1024 + 1) })],
    ['nothing at all', () => undefined],
  ])('refuses %s (502)', async (_name, answer) => {
    expect((await run((e) => Promise.resolve(answer(e)))).kind).toBe('invalid');
  });

  it('treats a thrown error and a timeout as a failed function (503)', async () => {
    expect((await run(() => Promise.reject(new Error('boom')))).kind).toBe('failed');
    expect((await run(() => new Promise(() => undefined), 10)).kind).toBe('failed');
  });
});
