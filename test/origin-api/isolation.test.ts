// One user cannot read, list or delete another's files: every such request is a 404 indistinguishable from a
// missing file, checked against real objects in s3rver.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OriginApp } from '../../origin-api/app.ts';
import { startS3 } from '../helpers/s3.ts';
import type { LocalS3 } from '../helpers/s3.ts';
import { ownerPrefix } from '../../origin-api/core/keys.ts';
import { apiRequest, appFor, bearer, ISSUER, parseBody, passportUpload, signToken } from './fixtures.ts';

let s3: LocalS3;
let app: OriginApp;
const nowMs = Date.now();
const tokens: Record<string, string> = {};

/** Uploads `size` bytes as `user` through the API and S3; returns the key. */
async function uploadAs(user: string, size = 10): Promise<string> {
  const response = await app.handle(
    apiRequest({
      method: 'POST',
      path: '/api/uploads',
      headers: bearer(tokens[user]!),
      json: passportUpload({ contentLength: size }),
    }),
  );
  const { url, key } = parseBody(response.body) as { url: string; key: string };
  const put = await fetch(url, {
    method: 'PUT',
    body: new Uint8Array(size),
    headers: { 'content-type': 'image/jpeg' },
  });
  expect(put.status).toBe(200);
  return key;
}

const as = (user: string, method: string, path: string) =>
  app.handle(apiRequest({ method, path, headers: bearer(tokens[user]!) }));

beforeAll(async () => {
  s3 = await startS3({ buckets: ['media'] });
  app = appFor({ s3, nowMs });
  // "alic" is a prefix of "alice" and "alice/x" contains a slash: neither may reach alice's folder.
  for (const user of ['alice', 'bob', 'alic', 'alice/x']) tokens[user] = await signToken({ sub: user, nowMs });
  // The same subject at the second issuer is another person.
  tokens['partner:alice'] = await signToken({ sub: 'alice', nowMs, partner: true });
});
afterAll(async () => {
  await s3.stop();
});

describe('file isolation between users', () => {
  it('lets the owner read, list and delete their file', async () => {
    const key = await uploadAs('alice', 11);
    const folder = `users/${Buffer.from(ISSUER).toString('base64url')}.${Buffer.from('alice').toString('base64url')}/`;
    expect(key.startsWith(`${folder}passport/`)).toBe(true);
    const list = parseBody((await as('alice', 'GET', '/api/files')).body) as { files: { key: string; size: number }[] };
    expect(list.files).toContainEqual(expect.objectContaining({ key, size: 11 }));
    expect((await as('alice', 'GET', `/api/files/${key}`)).status).toBe(302);
    expect((await as('alice', 'DELETE', `/api/files/${key}`)).status).toBe(204);
    expect((await as('alice', 'GET', `/api/files/${key}`)).status).toBe(404);
    expect((await as('alice', 'DELETE', `/api/files/${key}`)).status).toBe(404);
  });

  it.each(['bob', 'alic', 'alice/x', 'partner:alice'])(
    "hides alice's file from %s: read, delete and list",
    async (other) => {
      const key = await uploadAs('alice');
      const read = await as(other, 'GET', `/api/files/${key}`);
      expect(read.status).toBe(404);
      expect(read.headers.location).toBeUndefined();
      expect(parseBody(read.body).code).toBe('not_found');
      expect((await as(other, 'DELETE', `/api/files/${key}`)).status).toBe(404);
      const list = parseBody((await as(other, 'GET', '/api/files')).body) as { files: { key: string }[] };
      expect(list.files.map((f) => f.key)).not.toContain(key);
      // Still there for its owner: the failed delete touched nothing.
      expect((await as('alice', 'GET', `/api/files/${key}`)).status).toBe(302);
    },
  );

  it("answers another user's existing file exactly like a missing one", async () => {
    const key = await uploadAs('alice');
    const theirs = await as('bob', 'GET', `/api/files/${key}`);
    const missing = await as('bob', 'GET', `/api/files/${key.replace('alice', 'nobody')}x`);
    expect(theirs).toEqual(missing);
  });

  it.each([
    [
      'a traversal out of the own folder',
      (own: string, key: string) => `${own}..%2F${key.split('/').slice(1).join('%2F')}`,
    ],
    ['an encoded traversal', (own: string, key: string) => `${own}passport/%2E%2E/%2E%2E/${key.split('/')[1]}/x`],
    ['a double slash', (own: string) => `${own}passport//x`],
    ['bad percent-encoding', (own: string) => `${own}%E0%A4%A`],
  ])('rejects %s with 404', async (_name, build) => {
    const key = await uploadAs('alice');
    const own = ownerPrefix('users/', { issuer: ISSUER, sub: 'bob' }, null);
    expect((await as('bob', 'GET', `/api/files/${build(own, key)}`)).status).toBe(404);
    expect((await as('bob', 'DELETE', `/api/files/${build(own, key)}`)).status).toBe(404);
  });

  it("pages through the caller's own files only", async () => {
    const carol = await signToken({ sub: 'carol', nowMs });
    tokens.carol = carol;
    const keys = [await uploadAs('carol'), await uploadAs('carol'), await uploadAs('carol')];
    const first = parseBody((await as('carol', 'GET', '/api/files?limit=2')).body) as {
      files: { key: string }[];
      nextCursor?: string;
    };
    expect(first.files).toHaveLength(2);
    expect(first.nextCursor).toBeDefined();
    const second = parseBody(
      (await as('carol', 'GET', `/api/files?limit=2&cursor=${encodeURIComponent(first.nextCursor!)}`)).body,
    ) as { files: { key: string }[]; nextCursor?: string };
    expect([...first.files, ...second.files].map((f) => f.key).sort()).toEqual(keys.sort());
    expect(second.nextCursor).toBeUndefined();
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['limit=abc', 'limit'],
    [`cursor=${encodeURIComponent('users/Ym9i/passport/x')}`, 'cursor'],
    ['cursor=users%2FYWxpY2U%2F..%2Fx', 'cursor'],
  ])('rejects the list query %s with 400', async (query) => {
    const response = await as('alice', 'GET', `/api/files?${query}`);
    expect(response.status).toBe(400);
    expect(parseBody(response.body).code).toBe('query_invalid');
  });
});
