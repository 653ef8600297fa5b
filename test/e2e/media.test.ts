// The seeded media through the local stack as a player fetches it (Node fetch): every kind of file with the
// Content-Type players expect and the committed bytes, and byte ranges answered by S3 itself (206, Content-Range)
// through the emulator, with cookies from the grant and on a signed URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoObjects } from '../../local/demo-content.ts';
import { devToken, startTestStack } from './stack-fixture.ts';
import type { TestStack } from './stack-fixture.ts';

const CAUSEWAY = '/attractions/giants-causeway/';
const SEGMENT = `${CAUSEWAY}video/segment-1.m4s`;

let t: TestStack;
let token: string;
let cookie: string;
beforeAll(async () => {
  t = await startTestStack();
  token = await devToken(t.cdn, 'alice', ['giants-causeway']);
  const grant = await fetch(`${t.cdn}/_edgepass/grant?attraction=giants-causeway`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(grant.status).toBe(200);
  cookie = grant.headers
    .getSetCookie()
    .map((line) => line.split(';')[0]!)
    .join('; ');
});
afterAll(() => t.stop());

const seeded = (path: string) => Buffer.from(demoObjects().find((o) => `/${o.key}` === path)!.body);
const bytesOf = async (res: Response) => Buffer.from(await res.arrayBuffer());
/** The S3 gate's log lines for GetObject since `from`: they name the status S3 answered. */
const s3Reads = (from: number) => t.logs.slice(from).filter((line) => / s3:GetObject .* allow \d{3}$/.test(line));

describe('seeded media through the CDN', () => {
  it.each([
    ['video/master.m3u8', 'application/vnd.apple.mpegurl'],
    ['video/stream.m3u8', 'application/vnd.apple.mpegurl'],
    ['video/init.mp4', 'video/mp4'],
    ['video/segment-0.m4s', 'video/mp4'],
    ['basalt.jpg', 'image/jpeg'],
    ['waves.m4a', 'audio/mp4'],
  ])('serves %s as %s with the committed bytes', async (file, type) => {
    const res = await fetch(`${t.cdn}${CAUSEWAY}${file}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect((await bytesOf(res)).equals(seeded(`${CAUSEWAY}${file}`))).toBe(true);
  });

  it('serves a playlist whose every URI is relative: one signed URL could never cover them', async () => {
    const res = await fetch(`${t.cdn}${CAUSEWAY}video/stream.m3u8`, { headers: { cookie } });
    const uris = (await res.text()).split('\n').flatMap((line) => {
      if (line.startsWith('#EXT-X-MAP:')) return [/URI="([^"]+)"/.exec(line)![1]!];
      return line === '' || line.startsWith('#') ? [] : [line];
    });
    expect(uris).toEqual(['init.mp4', 'segment-0.m4s', 'segment-1.m4s', 'segment-2.m4s']);
  });
});

describe('byte ranges reach S3', () => {
  // Not a suffix range (bytes=-100): s3rver reads it as bytes=0-100, where S3 answers the last 100 bytes.
  it.each([
    ['bytes=0-99', 0, 100],
    ['bytes=1000-', 1000, undefined],
  ])('answers %s with 206, Content-Range and those bytes (S3 answered the range)', async (range, start, end) => {
    const from = t.logs.length;
    const res = await fetch(`${t.cdn}${SEGMENT}`, { headers: { cookie, range } });
    const whole = seeded(SEGMENT);
    const expected = whole.subarray(start, end);
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(
      `bytes ${String(start)}-${String(start + expected.length - 1)}/${String(whole.length)}`,
    );
    expect(res.headers.get('content-length')).toBe(String(expected.length));
    expect((await bytesOf(res)).equals(expected)).toBe(true);
    expect(s3Reads(from)).toEqual([expect.stringMatching(/ 206$/)]);
  });

  it('answers a range on the signed URL a bearer token is redirected to', async () => {
    const audio = `${CAUSEWAY}waves.m4a`;
    const minted = await fetch(`${t.cdn}${audio}`, {
      headers: { authorization: `Bearer ${token}` },
      redirect: 'manual',
    });
    expect(minted.status).toBe(302);
    const res = await fetch(new URL(minted.headers.get('location')!, t.cdn), { headers: { range: 'bytes=0-99' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe(`bytes 0-99/${String(seeded(audio).length)}`);
    expect((await bytesOf(res)).equals(seeded(audio).subarray(0, 100))).toBe(true);
  });

  it('refuses a range of the other attraction before S3 is asked', async () => {
    const from = t.logs.length;
    const res = await fetch(`${t.cdn}/attractions/titanic-belfast/video/segment-1.m4s`, {
      headers: { cookie, range: 'bytes=0-99' },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ reason: 'token_missing' });
    expect(s3Reads(from)).toEqual([]);
  });
});
