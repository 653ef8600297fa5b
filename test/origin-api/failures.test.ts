// Failing closed: when S3 cannot be reached the API answers 500 problem+json and logs only the error's class and
// the request id, never the request's details.
import { describe, expect, it } from 'vitest';
import { startS3 } from '../helpers/s3.ts';
import { apiRequest, appFor, bearer, memoryLogger, parseBody, signToken } from './fixtures.ts';

describe('S3 unreachable', () => {
  it('answers 500 internal_error and logs the request id and error class only', async () => {
    const s3 = await startS3({ buckets: ['media'] });
    await s3.stop();
    const nowMs = Date.now();
    const logger = memoryLogger();
    // No retries would change the outcome; keep the SDK's default of three attempts against a closed port.
    const app = appFor({ s3, nowMs, logger });
    const token = await signToken({ nowMs });
    const response = await app.handle(apiRequest({ path: '/api/files', headers: bearer(token) }));
    expect(response.status).toBe(500);
    expect(parseBody(response.body)).toMatchObject({ code: 'internal_error' });
    const failure = logger.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.level === 'error');
    expect(failure).toMatchObject({ event: 'origin_api_failed', requestId: 'test-request' });
    expect(Object.keys(failure!).sort()).toEqual(['error', 'event', 'level', 'requestId']);
    expect(logger.lines.join('\n')).not.toContain(s3.endpoint);
  });
});
