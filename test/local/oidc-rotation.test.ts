// Rotating the local provider's signing key on a running stack (`edgepass dev rotate-idp-keys`): the new kid signs
// everything local, the previous kid stays published for the grace period and is dropped after it, sessions survive;
// the admin endpoint behind the command serves loopback command lines only. The stack's clock is the test's.
import http from 'node:http';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import type { JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminRoute, ROTATE_PATH } from '../../local/oidc/admin.ts';
import { runCli } from '../cli/run.ts';
import { devToken, startTestStack } from '../e2e/stack-fixture.ts';
import type { TestStack } from '../e2e/stack-fixture.ts';
import { authorizeUrl, follow, pkcePair, signIn } from './oidc-fixture.ts';

const GRACE_SECONDS = 600;
let skewMs = 0;
let t: TestStack;
let port: string;

beforeAll(async () => {
  t = await startTestStack({ idpKeyGraceSeconds: GRACE_SECONDS, nowMs: () => Date.now() + skewMs });
  port = new URL(t.cdn).port;
}, 180_000);
afterAll(async () => {
  await t.stop();
});

const kids = async () =>
  ((await (await fetch(`${t.cdn}/_dev/oidc/jwks`)).json()) as JSONWebKeySet).keys.map((k) => k.kid);
const rotateCli = (env: Record<string, string> = { PORT: port }) =>
  runCli(['dev', 'rotate-idp-keys'], t.stack.stateDir, env);

/** A raw request to the CDN port, with a Host and headers fetch would not let a test choose. */
function adminRequest(method: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: ROTATE_PATH, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('error', reject).end();
  });
}

describe('edgepass dev rotate-idp-keys', () => {
  it('makes a new key the signer, keeps the previous one published for the grace period, then drops it', async () => {
    const before = t.state.idp.kid;
    expect(await kids()).toEqual([before]);
    const pkce = pkcePair();
    const { jar } = await signIn(t.cdn, 'alice', { code_challenge: pkce.challenge, code_challenge_method: 'S256' });

    const rotated = await rotateCli();
    expect(rotated.code).toBe(0);
    const after = /-> (\S+)/.exec(rotated.stdout)?.[1] ?? '';
    expect(rotated.stdout).toContain(`rotated the dev IdP signing key: ${before} -> ${after}\n`);
    expect(rotated.stdout).not.toMatch(/"d"|PRIVATE/);
    expect(after).not.toBe(before);
    expect(await kids()).toEqual([after, before]);

    // Everything local signs with the new key, and the browser's session survived the rotation.
    expect(decodeProtectedHeader(await devToken(t.cdn, 'alice', [])).kid).toBe(after);
    // The edge baked only the first key, yet takes the new one without a restart: one fetch of the provider's JWKS.
    const fresh = await devToken(t.cdn, 'alice', ['giants-causeway']);
    const res = await fetch(`${t.cdn}/attractions/giants-causeway/basalt.jpg`, {
      headers: { authorization: `Bearer ${fresh}` },
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    expect(t.logs.join('\n')).not.toMatch(/token_unknown_kid|token_jwks_unavailable/);
    const cli = await runCli(['token', '--sub', 'bob', '--tickets', 'x'], t.stack.stateDir, {
      EDGEPASS_STATE_DIR: t.stack.stateDir,
    });
    expect(decodeProtectedHeader(cli.stdout.trim()).kid).toBe(after);
    const silent = await follow(
      jar,
      t.cdn,
      authorizeUrl(t.cdn, { code_challenge: pkce.challenge, code_challenge_method: 'S256', prompt: 'none' }),
    );
    expect(new URL(silent.headers.get('location') ?? '/', t.cdn).searchParams.get('code')).toEqual(expect.any(String));

    skewMs = (GRACE_SECONDS / 2) * 1000;
    expect(await kids()).toEqual([after, before]);
    skewMs = (GRACE_SECONDS + 1) * 1000;
    expect(await kids()).toEqual([after]);
    expect(statSync(join(t.stack.stateDir, 'oidc-provider.json')).mode & 0o777).toBe(0o600);
  });

  it('says so in one line when no stack answers on PORT', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const free = String((server.address() as { port: number }).port);
    await new Promise((resolve) => server.close(resolve));
    const result = await rotateCli({ PORT: free });
    expect(result).toMatchObject({
      code: 1,
      stderr: `edgepass dev: no local stack answers on port ${free}: start it with "edgepass dev"\n`,
    });
  });
});

describe('the rotation endpoint', () => {
  it.each([
    ['a GET', 'GET', {}, 405],
    ['a POST without the admin header', 'POST', {}, 403],
    ['a POST from a web page (Origin)', 'POST', { 'x-edgepass-admin': '1', origin: 'http://evil.example' }, 403],
    ['a POST for another host name (DNS rebinding)', 'POST', { 'x-edgepass-admin': '1', host: 'evil.example' }, 403],
  ])('refuses %s', async (_name, method, headers, status) => {
    const before = await kids();
    expect(await adminRequest(method, { host: `localhost:${port}`, ...headers })).toBe(status);
    expect(await kids()).toEqual(before);
  });

  it('refuses a caller that is not on loopback', () => {
    let rotations = 0;
    const route = adminRoute({
      cdnPort: 8080,
      rotate: () => {
        rotations++;
        return { previousKid: 'a', currentKid: 'b', previousPublishedUntilMs: 0 };
      },
      log: () => undefined,
    });
    const answers: number[] = [];
    const res = {
      writeHead: (status: number) => {
        answers.push(status);
        return res;
      },
      end: () => res,
    };
    const req = (remoteAddress: string) =>
      ({
        url: ROTATE_PATH,
        method: 'POST',
        socket: { remoteAddress },
        headers: { host: 'localhost:8080', 'x-edgepass-admin': '1' },
      }) as unknown as http.IncomingMessage;
    expect(route(req('10.0.0.7'), res as unknown as http.ServerResponse)).toBe(true);
    expect(route(req('127.0.0.1'), res as unknown as http.ServerResponse)).toBe(true);
    expect(answers).toEqual([403, 200]);
    expect(rotations).toBe(1);
  });
});
