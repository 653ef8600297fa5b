// token through the real binary: the JWT verifies with jose against the dev JWKS that ensureDevState wrote, and the
// edge's own token verifier (parseConfig + createTokenVerifier + readTickets) accepts it with the right tickets.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenVerifier, readTickets } from '../../common/jwt/index.ts';
import { parseConfig } from '../../edge/config.ts';
import { stackConfig } from '../../local/stack-config.ts';
import { runCli, tempDir } from './run.ts';

let dir: string;
let remove: () => void;
beforeAll(() => {
  ({ dir, remove } = tempDir());
});
afterAll(() => {
  remove();
});

const devConfig = (): Record<string, unknown> =>
  JSON.parse(readFileSync(join(dir, '.edgepass/config.json'), 'utf8')) as Record<string, unknown>;

async function token(args: readonly string[]): Promise<string> {
  const result = await runCli(['token', ...args], dir);
  expect(result.code).toBe(0);
  return result.stdout.trim();
}

describe('edgepass token', () => {
  it('prints a JWT that verifies against the dev JWKS with jose', async () => {
    const jwt = await token(['--sub', 'alice', '--tickets', 'giants-causeway,titanic-belfast']);
    const options = parseConfig(devConfig()).jwt.issuers[0]!;
    const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(options.jwks), {
      issuer: options.issuer,
      audience: options.audience as string,
      algorithms: [...options.algorithms],
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload.sub).toBe('alice');
    expect(payload['tickets']).toEqual(['giants-causeway', 'titanic-belfast']);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);
  });

  it('is accepted by the edge token verifier, with per-ticket ends from --ticket-exp', async () => {
    const ticketExp = Math.floor(Date.now() / 1000) + 7200;
    const jwt = await token(['--sub', 'bob', '--tickets', 'giants-causeway', '--ticket-exp', String(ticketExp)]);
    const config = parseConfig(devConfig());
    const result = await createTokenVerifier(config.jwt)(jwt, Date.now());
    if (!result.ok) throw new Error(`token refused: ${result.reason}`);
    const claim = config.protectedPaths[0]?.ticketClaim ?? 'missing';
    expect(readTickets(result.claims, claim, Math.floor(Date.now() / 1000))).toEqual(
      new Map([['giants-causeway', ticketExp]]),
    );
  });

  it('expires after --ttl, as the edge verifier sees it', async () => {
    const jwt = await token(['--sub', 'carol', '--tickets', 'giants-causeway', '--ttl', '60']);
    const verifier = createTokenVerifier(parseConfig(devConfig()).jwt);
    expect(await verifier(jwt, Date.now() + 120_000)).toMatchObject({ ok: false, reason: 'token_expired' });
  });

  it('is refused when signed by another dev state', async () => {
    const jwt = await token(['--sub', 'dave', '--tickets', 'giants-causeway']);
    const other = tempDir();
    try {
      expect((await runCli(['token', '--sub', 'x', '--tickets', 'y'], other.dir)).code).toBe(0);
      const otherConfig = JSON.parse(readFileSync(join(other.dir, '.edgepass/config.json'), 'utf8')) as unknown;
      const result = await createTokenVerifier(parseConfig(otherConfig).jwt)(jwt, Date.now());
      expect(result.ok).toBe(false);
    } finally {
      other.remove();
    }
  });

  it('makes a link token (--link) that the local stack takes in ?token= only, for at most 300 s', async () => {
    const jwt = await token(['--link', '--sub', 'erin', '--tickets', 'giants-causeway']);
    const { jwt: options, linkTokens } = stackConfig(devConfig(), []).edge;
    if (linkTokens === null) throw new Error('the local stack has links off');
    const links = createTokenVerifier(options, { audience: linkTokens.audience, maxLifetimeSeconds: 300 });
    expect(await links(jwt, Date.now())).toMatchObject({ ok: true, claims: { sub: 'erin' } });
    const sessions = createTokenVerifier(options, { refuseAudience: linkTokens.audience });
    expect(await sessions(jwt, Date.now())).toMatchObject({ ok: false, reason: 'token_bad_audience' });
    const tooLong = await runCli(['token', '--link', '--sub', 'x', '--tickets', 'y', '--ttl', '301'], dir);
    expect(tooLong.code).not.toBe(0);
  });
});
