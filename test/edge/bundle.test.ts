// The real deployable: buildEdgeBundle with a generated config, the single-file ESM bundle imported and run through
// its exported handler, and the 64 KiB budget enforced by scripts/check-bundle-size.mjs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../common/errors.ts';
import { buildEdgeBundle } from '../../esbuild.config.mjs';
import type { EdgeHandler } from '../../edge/handler.ts';
import { asResponse, viewerRequest } from '../helpers/events.ts';
import { signToken } from '../helpers/tokens.ts';
import { createWorld, HOST, ISSUER, AUDIENCE } from './fixture.ts';

const BUDGET = 64 * 1024;
const build = buildEdgeBundle;
const world = createWorld({ originApi: { secret: 'origin-only-value' } });
const dir = mkdtempSync(join(tmpdir(), 'edgepass-bundle-'));
let built: { outfile: string; bytes: number };

beforeAll(async () => {
  built = await build({ config: world.raw, outfile: join(dir, 'index.mjs') });
}, 60_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the edge bundle', () => {
  it('is one file within the 64 KiB budget, with no imports beyond node:*', () => {
    const code = readFileSync(built.outfile, 'utf8');
    expect(built.bytes).toBe(Buffer.byteLength(code));
    expect(built.bytes).toBeLessThanOrEqual(BUDGET);
    const imports = [...code.matchAll(/\bfrom\s*"([^"]+)"|\bimport\s*\(\s*"([^"]+)"/g)].map((m) => m[1] ?? m[2]);
    expect(imports.every((name) => name?.startsWith('node:'))).toBe(true);
    expect(code).not.toContain('origin-only-value');
  });

  // Every optional part a deployment can switch on: sign-in at the edge (edgepass:oidc bundles its flow only then),
  // the issuer's JWKS refetch, and the signing key and client secret from Secrets Manager (edgepass:key-source), the
  // largest bundle.
  it('stays within the budget with sign-in at the edge, the JWKS refetch and the key in Secrets Manager', async () => {
    const jwt = { ...(world.raw['jwt'] as object), jwksUri: `${ISSUER}jwks` };
    const oidc = {
      issuer: ISSUER,
      clientId: AUDIENCE,
      authorizationEndpoint: `${ISSUER}authorize`,
      tokenEndpoint: `${ISSUER}token`,
      endSessionEndpoint: `${ISSUER}logout`,
      refreshTokenTtlSeconds: 86_400,
    };
    const full = await build({ config: { ...world.raw, jwt, oidc }, outfile: join(dir, 'full.mjs') });
    expect(full.bytes).toBeGreaterThan(built.bytes + 4000);
    expect(full.bytes).toBeLessThanOrEqual(BUDGET);
    const signer = {
      keyPairId: world.cf.keyPairId,
      publicKeyPem: world.cf.publicKeyPem,
      privateKeySecret: {
        secretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:edgepass-AbC123',
        region: 'us-east-1',
      },
    };
    // The client secret read from the same secret as the signing key (its member named in the config).
    const withSecret = { ...oidc, clientSecret: { jsonKey: 'oidcClientSecret' } };
    const config = { ...world.raw, jwt, oidc: withSecret, signer };
    const largest = await build({ config, outfile: join(dir, 'largest.mjs') });
    expect(largest.bytes).toBeGreaterThan(full.bytes);
    expect(largest.bytes).toBeLessThanOrEqual(BUDGET);
  });

  it('exports an async handler that decides through the baked configuration', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const mod = (await import(pathToFileURL(built.outfile).href)) as { handler: EdgeHandler };
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 600, tickets: ['42'] };
    const token = await signToken({ claims, kid: world.idp.kid, key: world.idp.privateKey });
    const headers = { authorization: `Bearer ${token}` };
    const response = asResponse(await mod.handler(viewerRequest({ uri: '/attractions/42/a.jpg', headers })));
    expect(response?.status).toBe(302);
    expect(response?.headers['location']?.[0]).toMatch(
      new RegExp(`^https://${HOST}/attractions/42/a\\.jpg\\?Expires=`),
    );
    const denied = asResponse(await mod.handler(viewerRequest({ uri: '/attractions/7/a.jpg', headers })));
    expect(denied?.status).toBe(403);
    const lines = log.mock.calls.map((call) => JSON.parse(String(call[0])) as { reason: string; Decisions: number });
    expect(lines.map((l) => l.reason)).toEqual(['signed_url_minted', 'no_ticket']);
    // Built without a sample rate: every line carries its decision metrics, counting once (edge/metrics.ts).
    expect(lines.map((l) => l.Decisions)).toEqual([1, 1]);
    log.mockRestore();
  });

  it('bakes in deployment.monitoring.metricsSampleRate: at 0.25 about a quarter of lines carry metrics, each counting 4', async () => {
    const sampled = await build({
      config: world.raw,
      outfile: join(dir, 'sampled', 'index.mjs'),
      metricsSampleRate: 0.25,
    });
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const mod = (await import(pathToFileURL(sampled.outfile).href)) as { handler: EdgeHandler };
    for (let i = 0; i < 400; i++) await mod.handler(viewerRequest({ uri: '/index.html' }));
    const lines = log.mock.calls.map((call) => JSON.parse(String(call[0])) as Record<string, unknown>);
    log.mockRestore();
    expect(lines).toHaveLength(400);
    const counted = lines.filter((line) => '_aws' in line);
    // Binomial(400, 0.25): mean 100, standard deviation 8.7; outside 50..150 is a > 5.7 sigma event.
    expect(counted.length).toBeGreaterThan(50);
    expect(counted.length).toBeLessThan(150);
    for (const line of counted) expect(line['Decisions']).toBe(4);
  });

  it('refuses a sample rate outside (0, 1]', async () => {
    await expect(
      build({ config: world.raw, outfile: join(dir, 'bad-rate.mjs'), metricsSampleRate: 0 }),
    ).rejects.toBeInstanceOf(TypeError);
  });

  it('is readable by its owner only (it holds the signing key), in folders it creates with mode 0700', async () => {
    expect(statSync(built.outfile).mode & 0o777).toBe(0o600);
    const nested = await build({ config: world.raw, outfile: join(dir, 'dist', 'edge', 'index.mjs') });
    expect(statSync(nested.outfile).mode & 0o777).toBe(0o600);
    expect([join(dir, 'dist'), join(dir, 'dist', 'edge')].map((d) => statSync(d).mode & 0o777)).toEqual([0o700, 0o700]);
  });

  it('refuses to build an invalid configuration, listing the problems', async () => {
    await expect(build({ config: { ...world.raw, signer: {} }, outfile: join(dir, 'bad.mjs') })).rejects.toBeInstanceOf(
      ConfigError,
    );
  });

  it('has a budget script that passes this bundle and fails an oversized one', () => {
    const script = join(import.meta.dirname, '../../scripts/check-bundle-size.mjs');
    const ok = spawnSync(process.execPath, [script, '--file', built.outfile], { encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/\d+ bytes minified, \d+ bytes gzip/);
    const big = join(dir, 'big.mjs');
    writeFileSync(big, 'x'.repeat(BUDGET + 1));
    const over = spawnSync(process.execPath, [script, '--file', big], { encoding: 'utf8' });
    expect(over.status).toBe(1);
    expect(over.stdout).toContain('OVER');
  });

  // Issue #11, "never throw": any JSON value, and events whose members are any JSON, get an answer and one log line.
  it('answers any JSON it is given, never throwing, with one log line each', async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
      lines.push(String(line));
    });
    const mod = (await import(pathToFileURL(built.outfile).href)) as { handler: (event: unknown) => Promise<unknown> };
    const member = fc.oneof(fc.jsonValue(), fc.constant(undefined));
    const eventish = fc.oneof(
      fc.jsonValue(),
      fc.record({
        Records: fc.oneof(fc.jsonValue(), fc.array(fc.record({ cf: fc.record({ config: member, request: member }) }))),
      }),
      fc.record({
        Records: fc.tuple(
          fc.record({
            cf: fc.record({
              config: fc.record({ requestId: member }),
              request: fc.record({
                uri: member,
                method: member,
                querystring: member,
                headers: member,
                clientIp: member,
              }),
            }),
          }),
        ),
      }),
    );
    try {
      await fc.assert(
        fc.asyncProperty(eventish, async (event) => {
          const before = lines.length;
          const result = await mod.handler(event);
          expect(typeof result).toBe('object');
          expect(lines.length).toBe(before + 1);
        }),
        { numRuns: 300 },
      );
    } finally {
      log.mockRestore();
    }
  });
});
