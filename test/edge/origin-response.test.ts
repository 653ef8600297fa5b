// The origin-response trigger: S3's answer to a miss (403 without s3:ListBucket, or 404) becomes the styled page with
// a next step; every other answer passes untouched; a malformed event never throws.
import type { CloudFrontResponseEvent, CloudFrontResultResponse } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createOriginResponseHandler, isOriginResponse } from '../../edge/origin-response.ts';
import { originResponse } from '../helpers/events.ts';

const event = (status: string, extra: Record<string, { key: string; value: string }[]> = {}) =>
  originResponse(
    { uri: '/x/y', querystring: 'token=secret', requestId: 'req-1' },
    {
      status,
      statusDescription: 'Forbidden',
      headers: {
        'content-type': [{ key: 'Content-Type', value: 'application/xml' }],
        'x-amz-request-id': [{ key: 'x-amz-request-id', value: 'S3REQ' }],
        ...extra,
      },
    },
  );

describe('the origin-response handler', () => {
  const lines: string[] = [];
  const handle = createOriginResponseHandler((line) => lines.push(line));

  it.each(['403', '404'])('turns S3 %s into the styled 404 page with a way home', (status) => {
    const result = handle(event(status)) as CloudFrontResultResponse;
    expect(result.status).toBe('404');
    expect(result.statusDescription).toBe('Not Found');
    expect(result.headers?.['content-type']).toEqual([{ key: 'Content-Type', value: 'text/html; charset=utf-8' }]);
    expect(result.headers?.['cache-control']).toEqual([{ key: 'Cache-Control', value: 'no-store' }]);
    expect(result.headers?.['x-amz-request-id']).toEqual([{ key: 'x-amz-request-id', value: 'S3REQ' }]);
    const body = result.body ?? '';
    expect(body).toContain('There is nothing at this address.');
    expect(body).toContain('href="/"');
    expect(body).toContain('req-1');
    expect(body).not.toContain('AccessDenied');
  });

  it('logs the miss with the origin status, never the query string', () => {
    lines.length = 0;
    handle(event('403'));
    expect(JSON.parse(lines[0]!)).toEqual({
      reason: 'not_found',
      status: 404,
      originStatus: 403,
      path: '/x/y',
      requestId: 'req-1',
    });
    expect(lines.join('')).not.toContain('secret');
  });

  it.each(['200', '206', '304', '500', '503'])('passes %s through unchanged', (status) => {
    const original = event(status);
    expect(handle(original)).toBe(original.Records[0]!.cf.response);
  });

  it.each([null, {}, { Records: [] }, { Records: [{ cf: { config: {} } }] }, { Records: [{ cf: { response: {} } }] }])(
    'answers a malformed event %j without throwing',
    (bad) => {
      expect(() => handle(bad as unknown as CloudFrontResponseEvent)).not.toThrow();
    },
  );
});

describe('isOriginResponse', () => {
  it('tells an origin-response event from anything else', () => {
    expect(isOriginResponse(event('404'))).toBe(true);
    const viewer = { Records: [{ cf: { config: { eventType: 'viewer-request' }, request: {} } }] };
    expect(isOriginResponse(viewer)).toBe(false);
    for (const bad of [null, undefined, 42, {}, { Records: null }, { Records: [null] }]) {
      expect(isOriginResponse(bad)).toBe(false);
    }
  });
});
