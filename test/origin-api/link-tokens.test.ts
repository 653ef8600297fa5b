// Issue #11, "the ?token= link token is a full credential": a token of the link audience (a URL's token, logged by
// CloudFront for 90 days) is refused by the origin API, even when it also names the API's audience.
import { describe, expect, it } from 'vitest';
import { createOriginApp } from '../../origin-api/app.ts';
import { parseOriginConfig } from '../../origin-api/config.ts';
import { apiRequest, bearer, memoryLogger, parseBody, rawConfig, signToken } from './fixtures.ts';

const LINK = 'edgepass-link';
const nowMs = Date.now();
const app = createOriginApp(
  parseOriginConfig(rawConfig({ endpoint: 'http://127.0.0.1:9' }, { linkTokens: { audience: LINK } })),
  { clock: () => nowMs, logger: memoryLogger() },
);
const list = async (token: string) => app.handle(apiRequest({ path: '/api/files', headers: bearer(token) }));

describe('link tokens at the origin API', () => {
  it.each([
    ['a link token', LINK],
    ['a token naming both the API and the link audience', ['edgepass-demo', LINK]],
  ])('refuses %s with 401 token_bad_audience', async (_name, aud) => {
    const response = await list(await signToken({ nowMs, claims: { aud } }));
    expect(response.status).toBe(401);
    expect(parseBody(response.body).code).toBe('token_bad_audience');
  });

  it("still accepts the API's own tokens (the check is not a blanket refusal)", async () => {
    const response = await list(await signToken({ nowMs, claims: { aud: ['edgepass-demo', 'other'] } }));
    expect(response.status).not.toBe(401);
  });
});
