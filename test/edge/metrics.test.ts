// Decision metrics in the log line (edge/metrics.ts): each line is a valid CloudWatch Embedded Metric Format document,
// its dimensions come from a bounded set of our own codes whatever the viewer sends, and a sampled line's counts
// stay unbiased. Spec: CloudWatch User Guide, "Specification: Embedded metric format".
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CloudFrontReason } from '../../common/cloudfront/judge.ts';
import type { TokenReason } from '../../common/jwt/verify.ts';
import { parseConfig } from '../../edge/config.ts';
import type { Decision } from '../../edge/core/types.ts';
import { createHandler } from '../../edge/handler.ts';
import { createKeySource } from '../../edge/key-source/baked.ts';
import { createSampler, EDGE_METRICS, metricMembers, OTHER_REASON, OUTCOMES, outcomeOf } from '../../edge/metrics.ts';
import { REASON_CODES } from '../../edge/reason-codes.ts';
import { viewerRequest } from '../helpers/events.ts';
import { createWorld, NOW_MS } from './fixture.ts';
import type { World } from './fixture.ts';

type Line = Record<string, unknown>;
interface Directive {
  Namespace: unknown;
  Dimensions: unknown;
  Metrics: unknown;
}

const APP = 'https://app.example.test';
// Units the EMF specification allows (MetricDefinition.Unit: the CloudWatch MetricDatum units).
const UNITS = ['Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Count', 'Percent', 'None'];

let world: World;
let token: string;

beforeAll(async () => {
  world = createWorld({ appOrigins: [APP] });
  token = await world.token();
});

const lastLine = (): Line => JSON.parse(world.logs.at(-1) ?? '{}') as Line;

/** Checks one parsed log line against the EMF document structure; returns its directives. */
function expectEmf(line: Line): Directive[] {
  const meta = line['_aws'] as { Timestamp: unknown; CloudWatchMetrics: unknown };
  expect(Object.keys(meta)).toEqual(['Timestamp', 'CloudWatchMetrics']);
  expect(Number.isInteger(meta.Timestamp)).toBe(true);
  const directives = meta.CloudWatchMetrics as Directive[];
  expect(directives.length).toBeGreaterThan(0);
  for (const directive of directives) {
    expect(Object.keys(directive)).toEqual(['Namespace', 'Dimensions', 'Metrics']);
    expect(directive.Namespace).toBe(EDGE_METRICS.namespace);
    // Every dimension a directive names is a string member of the root; every metric a number member.
    for (const set of directive.Dimensions as string[][]) {
      expect(set.length).toBeGreaterThan(0);
      for (const name of set) expect(typeof line[name]).toBe('string');
    }
    for (const metric of directive.Metrics as { Name: string; Unit: string }[]) {
      expect(typeof line[metric.Name]).toBe('number');
      expect(Number.isFinite(line[metric.Name])).toBe(true);
      expect(UNITS).toContain(metric.Unit);
    }
  }
  return directives;
}

describe('the log line as an EMF document', () => {
  it('carries the EdgePass directives, dimensions and metric values at the root, timestamped at the decision', async () => {
    await world.handler(viewerRequest({ uri: '/attractions/42/a.jpg', headers: { authorization: `Bearer ${token}` } }));
    const line = lastLine();
    const directives = expectEmf(line);
    expect(directives).toEqual([
      {
        Namespace: 'EdgePass',
        Dimensions: [['Outcome', 'Reason'], ['Outcome']],
        Metrics: [{ Name: 'Decisions', Unit: 'Count' }],
      },
      { Namespace: 'EdgePass', Dimensions: [['Outcome']], Metrics: [{ Name: 'ElapsedMs', Unit: 'Milliseconds' }] },
    ]);
    expect(line).toMatchObject({ reason: 'signed_url_minted', Outcome: 'mint', Reason: 'signed_url_minted' });
    expect(line).toMatchObject({ Decisions: 1, ElapsedMs: 0, elapsedMs: 0 });
    expect((line['_aws'] as { Timestamp: number }).Timestamp).toBe(NOW_MS);
  });

  interface Case {
    readonly uri: string;
    readonly bearer?: boolean;
    readonly preflight?: boolean;
  }
  it.each<[string, Case, string, string]>([
    ['a public path passes', { uri: '/index.html' }, 'pass', 'not_protected'],
    ['a bearer token mints', { uri: '/attractions/42/a.jpg', bearer: true }, 'mint', 'signed_url_minted'],
    ['no credential is denied', { uri: '/attractions/42/a.jpg' }, 'deny', 'token_missing'],
    ['a ticket for another attraction', { uri: '/attractions/7/a.jpg', bearer: true }, 'deny', 'no_ticket'],
    ['a preflight is answered', { uri: '/attractions/42/a.jpg', preflight: true }, 'answer', 'cors_preflight_allowed'],
  ])('counts %s as %s (%s)', async (_name, input, outcome, reason) => {
    const headers: Record<string, string> = {};
    if (input.bearer === true) headers['authorization'] = `Bearer ${token}`;
    if (input.preflight === true) Object.assign(headers, { origin: APP, 'access-control-request-method': 'GET' });
    await world.handler(
      viewerRequest({ uri: input.uri, headers, method: input.preflight === true ? 'OPTIONS' : 'GET' }),
    );
    const line = lastLine();
    expectEmf(line);
    expect([line['Outcome'], line['Reason']]).toEqual([outcome, reason]);
  });

  it('counts a fail-closed 503 as an error', async () => {
    const broken = viewerRequest({ uri: '/attractions/42/a.jpg' });
    (broken.Records[0]?.cf.request as unknown as Record<string, unknown>)['headers'] = null;
    await world.handler(broken);
    const line = lastLine();
    expectEmf(line);
    expect(line).toMatchObject({ status: 503, Outcome: 'error', Reason: 'internal_error', error: 'TypeError' });
  });
});

describe('bounded dimensions', () => {
  const viewerText = fc.string({ maxLength: 40 });
  const requests = fc.record({
    uri: fc.oneof(
      fc.constantFrom('/attractions/42/a.jpg', '/_edgepass/grant', '/x'),
      viewerText.map((s) => `/${s}`),
    ),
    method: fc.constantFrom('GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'),
    querystring: viewerText,
    authorization: fc.option(
      viewerText.map((s) => `Bearer ${s}`),
      { nil: undefined },
    ),
    cookie: fc.option(viewerText, { nil: undefined }),
    origin: fc.option(fc.constantFrom(APP, 'https://evil.example', 'null'), { nil: undefined }),
  });

  it('gives every decision an outcome and a reason from our own lists, never viewer text', async () => {
    await fc.assert(
      fc.asyncProperty(requests, async (r) => {
        const headers: Record<string, string> = {};
        if (r.authorization !== undefined) headers['authorization'] = r.authorization;
        if (r.origin !== undefined) headers['origin'] = r.origin;
        const cookies = r.cookie === undefined ? {} : { session: r.cookie };
        await world.handler(
          viewerRequest({ uri: r.uri, method: r.method, querystring: r.querystring, headers, cookies }),
        );
        const line = lastLine();
        expectEmf(line);
        expect(OUTCOMES).toContain(line['Outcome']);
        expect([...REASON_CODES, OTHER_REASON]).toContain(line['Reason']);
      }),
      { numRuns: 200 },
    );
  });

  it('counts a reason that is not shaped like one of our codes as other', () => {
    const decision: Decision = { kind: 'respond', status: 400, reason: '<script>', headers: {}, body: '' };
    const members = JSON.parse(
      `{"x":0${metricMembers(decision, { timestampMs: 1, elapsedMs: 2, weight: 1 })}}`,
    ) as Line;
    expect(members).toMatchObject({ Outcome: 'deny', Reason: 'other' });
    expect(JSON.stringify(members)).not.toContain('script');
  });

  it('lists every reason code the token and CloudFront verifiers can return', () => {
    // Records over the unions: a code added to either type fails to compile here until it is listed.
    const token: Record<TokenReason, true> = {
      token_missing: true,
      token_too_large: true,
      token_malformed: true,
      token_alg_not_allowed: true,
      token_unknown_kid: true,
      token_jwks_unavailable: true,
      token_bad_signature: true,
      token_expired: true,
      token_not_yet_valid: true,
      token_missing_exp: true,
      token_bad_issuer: true,
      token_bad_audience: true,
      token_bad_type: true,
      token_crit_unsupported: true,
      token_lifetime_too_long: true,
      token_invalid: true,
    };
    const cloudFront: Record<CloudFrontReason, true> = {
      cf_missing_key: true,
      cf_malformed: true,
      cf_too_large: true,
      cf_unknown_key: true,
      cf_bad_signature: true,
      cf_expired: true,
      cf_not_yet_valid: true,
      cf_resource_mismatch: true,
      cf_ip_mismatch: true,
    };
    for (const code of [...Object.keys(token), ...Object.keys(cloudFront)]) expect(REASON_CODES).toContain(code);
  });

  it('lists every reason code the core writes (each snake_case literal in edge/core)', () => {
    // Literals in edge/core that are not reason codes: a cookie name, an internal error code, and the OAuth 2.0
    // grant and client authentication names that sign-in at the edge sends (RFC 6749 §2.3.1, §4.1.3, §6).
    const oauth = ['authorization_code', 'refresh_token', 'client_secret', 'client_secret_basic', 'client_secret_post'];
    const notReasons = new Set(['edgepass_cc', 'key_pending', ...oauth]);
    const dir = join(import.meta.dirname, '../../edge/core');
    const found = readdirSync(dir)
      .filter((name) => name.endsWith('.ts'))
      .flatMap((name) => [...readFileSync(join(dir, name), 'utf8').matchAll(/'([a-z]+(?:_[a-z]+)+)'/g)])
      .map((m) => m[1] ?? '')
      .filter((code) => !notReasons.has(code));
    expect(found.length).toBeGreaterThan(20);
    for (const code of new Set(found)) expect(REASON_CODES).toContain(code);
  });

  it('classifies by reason: a sign-in redirect is a denial, an unknown 5xx an error', () => {
    const respond = (status: number, reason: string): Decision => ({
      kind: 'respond',
      status,
      reason,
      headers: {},
      body: '',
    });
    expect(outcomeOf(respond(302, 'token_expired'))).toBe('deny');
    expect(outcomeOf(respond(302, 'cookies_minted'))).toBe('mint');
    expect(outcomeOf(respond(302, 'link_not_needed'))).toBe('answer');
    expect(outcomeOf(respond(503, 'internal_error'))).toBe('error');
    expect(outcomeOf({ kind: 'pass', reason: 'signed_cookies_valid', rewrite: null })).toBe('pass');
  });
});

describe('sampling (deployment.monitoring.metricsSampleRate)', () => {
  it('puts metrics on a sampled share of lines, each counting 1/rate, so the sum stays unbiased', async () => {
    const lines: string[] = [];
    const draws = [0.1, 0.3, 0.2, 0.9, 0.24, 0.25, 0.5, 0.0];
    let next = 0;
    const config = parseConfig(world.raw);
    const handler = createHandler(config, {
      keySource: createKeySource(config.signer),
      clock: () => NOW_MS,
      logger: (line) => lines.push(line),
      metricsSampleRate: 0.25,
      random: () => draws[next++ % draws.length] ?? 0,
    });
    for (let i = 0; i < draws.length; i++) await handler(viewerRequest({ uri: '/index.html' }));
    const parsed = lines.map((l) => JSON.parse(l) as Line);
    // Sampled: draws below 0.25 (0.1, 0.2, 0.24, 0.0). Every line still logs the decision itself.
    expect(parsed.map((l) => l['Decisions'])).toEqual([4, undefined, 4, undefined, 4, undefined, undefined, 4]);
    for (const line of parsed) expect(line['reason']).toBe('not_protected');
    for (const line of parsed.filter((l) => '_aws' in l)) expectEmf(line);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses the sample rate %s', (rate) => {
    expect(() => createSampler(rate, Math.random)).toThrow(TypeError);
  });

  it('never draws at rate 1', () => {
    const sample = createSampler(1, () => {
      throw new Error('drawn');
    });
    expect([sample(), sample()]).toEqual([1, 1]);
  });
});
