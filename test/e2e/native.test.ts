// A protected path configured as natively restricted (`enforcement: "native"`): CloudFront's own check guards it
// with 403 XML and the function never runs there; the unrestricted gate (/_edgepass/grant) mints the cookies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devToken, startTestStack } from './stack-fixture.ts';
import type { TestStack } from './stack-fixture.ts';

let t: TestStack;
let token: string;
beforeAll(async () => {
  t = await startTestStack({
    adjustConfig: (raw) => ({
      ...raw,
      protectedPaths: (raw['protectedPaths'] as Record<string, unknown>[]).map((p) => ({
        ...p,
        enforcement: 'native',
      })),
    }),
  });
  token = await devToken(t.cdn, 'alice', ['giants-causeway']);
});
afterAll(() => t.stop());

const AUDIO = '/attractions/giants-causeway/waves.m4a';

/** The Cookie header for the CloudFront cookies that the gate hands out. */
async function grantedCookies(attraction: string): Promise<string> {
  const res = await fetch(`${t.cdn}/_edgepass/grant?attraction=${attraction}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return res.headers
    .getSetCookie()
    .map((line) => line.split(';')[0]!)
    .join('; ');
}

describe('a natively restricted behaviour in the local stack', () => {
  it('answers a direct hit with CloudFront 403 XML, even with a bearer token, and never runs the function', async () => {
    const before = t.logs.filter((line) => line.includes('"requestId"')).length;
    const res = await fetch(`${t.cdn}${AUDIO}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>MissingKey</Code>');
    expect(t.logs.filter((line) => line.includes('"requestId"')).length).toBe(before);
    expect(t.logs.at(-1)).toContain('key group: cf_missing_key');
  });

  it('serves the bytes with the cookies from the gate, for that attraction only', async () => {
    const cookie = await grantedCookies('giants-causeway');
    const res = await fetch(`${t.cdn}${AUDIO}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(4, 8)
        .toString(),
    ).toBe('ftyp');
    const other = await fetch(`${t.cdn}/attractions/titanic-belfast/horn.m4a`, { headers: { cookie } });
    expect(other.status).toBe(403);
    expect(await other.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('refuses a tampered signature cookie', async () => {
    const cookie = await grantedCookies('giants-causeway');
    const tampered = cookie.replace(
      /CloudFront-Signature=(.)/,
      (_m, c: string) => `CloudFront-Signature=${c === 'A' ? 'B' : 'A'}`,
    );
    expect(tampered).not.toBe(cookie);
    const res = await fetch(`${t.cdn}${AUDIO}`, { headers: { cookie: tampered } });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('refuses a grant for an attraction without a ticket', async () => {
    const res = await fetch(`${t.cdn}/_edgepass/grant?attraction=titanic-belfast`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(403);
  });
});
