// The Secrets Manager loader's pure core: one fetch at creation, signing waits on it, failures back off (1 s
// doubling to 60 s) instead of hammering, and mismatched or unreadable secrets fail closed without being logged.
// With a client secret member (oidc.clientSecret { jsonKey }), the same load provides it, or fails as a whole.
import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../edge/config.ts';
import type { SecretSignerConfig } from '../../edge/config-keys.ts';
import { createSecretLoader, secretMembers } from '../../edge/key-source/secret-loader.ts';
import { createIdp } from '../helpers/tokens.ts';
import { cloudFrontKey, rawConfig } from './fixture.ts';

const cf = cloudFrontKey();
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cf-key-AbC123';
const signerConfig = parseConfig({
  ...rawConfig(createIdp(), cf),
  signer: {
    keyPairId: cf.keyPairId,
    privateKeySecret: { secretId: ARN, region: 'us-east-1' },
    publicKeyPem: cf.publicKeyPem,
  },
}).signer as SecretSignerConfig;

function harness(answers: (() => Promise<string>)[], clientSecretKey?: string) {
  const clock = { nowMs: 1_000_000 };
  const logs: string[] = [];
  let calls = 0;
  const fetchSecret = () => {
    const answer = answers[Math.min(calls, answers.length - 1)];
    calls += 1;
    return answer === undefined ? Promise.reject(new Error('none')) : answer();
  };
  const deps = { clock: () => clock.nowMs, logger: (l: string) => logs.push(l) };
  const source = createSecretLoader(signerConfig, fetchSecret, deps, clientSecretKey);
  return { source, clock, logs, calls: () => calls };
}

const failing = (code: string) => () => Promise.reject(new Error(code));
const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (e: unknown) => (e as { code: string }).code,
  );

describe('the Secrets Manager key loader', () => {
  it('fetches once at creation and hands the same signer to every waiter', async () => {
    const h = harness([() => Promise.resolve(cf.privateKeyPem)]);
    expect(h.source.current()).toBeUndefined();
    const [a, b] = await Promise.all([h.source.ready(h.clock.nowMs), h.source.ready(h.clock.nowMs)]);
    expect(a).toBe(b);
    expect(h.source.current()).toBe(a);
    expect(h.calls()).toBe(1);
    expect(createPublicKey(a.privateKey).export({ type: 'spki', format: 'pem' })).toBe(cf.publicKeyPem);
  });

  it('backs off 1 s, 2 s, 4 s … after failures, refusing at once in between', async () => {
    const h = harness([failing('http_500')]);
    expect(await codeOf(h.source.ready(h.clock.nowMs))).toBe('key_unavailable');
    expect(h.calls()).toBe(1);
    for (const backoffMs of [1000, 2000, 4000]) {
      h.clock.nowMs += backoffMs - 1;
      expect(await codeOf(h.source.ready(h.clock.nowMs))).toBe('key_unavailable');
      const before = h.calls();
      h.clock.nowMs += 1;
      expect(await codeOf(h.source.ready(h.clock.nowMs))).toBe('key_unavailable');
      expect([before, h.calls()]).toEqual([before, before + 1]);
    }
    const retries = h.logs.map((l) => (JSON.parse(l) as { retryInMs: number }).retryInMs);
    expect(retries).toEqual([1000, 2000, 4000, 8000]);
  });

  it('caps the backoff at 60 s', async () => {
    const h = harness([failing('network')]);
    for (let i = 0; i < 10; i += 1) {
      await codeOf(h.source.ready(h.clock.nowMs));
      h.clock.nowMs += 60_000;
    }
    expect((JSON.parse(h.logs.at(-1) ?? '{}') as { retryInMs: number }).retryInMs).toBe(60_000);
  });

  it.each([
    ['another key pair', () => Promise.resolve(cloudFrontKey().privateKeyPem), 'key_mismatch'],
    ['text that is no key', () => Promise.resolve('hunter2-not-a-key'), 'bad_secret'],
    ['an error message with text in it', failing('Unexpected token h in "hunter2"'), 'failed'],
  ])('fails closed on %s, logging only a code', async (_name, answer, error) => {
    const h = harness([answer]);
    expect(await codeOf(h.source.ready(h.clock.nowMs))).toBe('key_unavailable');
    expect(JSON.parse(h.logs[0] ?? '{}')).toMatchObject({ event: 'key_failed', error });
    expect(h.logs.join('\n')).not.toContain('hunter2');
  });

  it('reads a PEM or JSON { privateKeyPem, … } SecretString', () => {
    expect(secretMembers(cf.privateKeyPem)).toEqual({ privateKeyPem: cf.privateKeyPem });
    const json = { privateKeyPem: cf.privateKeyPem, oidcClientSecret: 's3cret' };
    expect(secretMembers(JSON.stringify(json))).toEqual(json);
    expect(secretMembers('{not json')).toEqual({});
  });

  it.each([
    ['a private key that is not a string', '{"privateKeyPem":1}', 'bad_secret'],
    ['JSON without privateKeyPem', '{"oidcClientSecret":"x"}', 'bad_secret'],
  ])('fails closed on %s', async (_name, secretString, error) => {
    const h = harness([() => Promise.resolve(secretString)]);
    expect(await codeOf(h.source.ready(h.clock.nowMs))).toBe('key_unavailable');
    expect(JSON.parse(h.logs[0] ?? '{}')).toMatchObject({ event: 'key_failed', error });
  });
});

describe('the client secret beside the key (oidc.clientSecret { jsonKey })', () => {
  const CLIENT_SECRET = 'client-secret-value-9f8e7d';
  const json = (members: Record<string, unknown>) => () =>
    Promise.resolve(JSON.stringify({ privateKeyPem: cf.privateKeyPem, ...members }));

  it('comes from the same single fetch as the key, waiting for it while it is on its way', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((done) => (release = done));
    const h = harness([() => held.then(json({ oidcClientSecret: CLIENT_SECRET }))], 'oidcClientSecret');
    const waiting = h.source.clientSecret?.(h.clock.nowMs);
    expect(h.source.current()).toBeUndefined();
    release();
    expect(await waiting).toBe(CLIENT_SECRET);
    expect(h.source.current()).toBeDefined();
    expect(await h.source.clientSecret?.(h.clock.nowMs)).toBe(CLIENT_SECRET);
    expect(h.calls()).toBe(1);
    expect(h.logs.map((l) => JSON.parse(l) as unknown)).toEqual([{ event: 'key_loaded' }]);
  });

  it.each([
    ['missing', json({ other: CLIENT_SECRET })],
    ['empty', json({ oidcClientSecret: '' })],
    ['not a string', json({ oidcClientSecret: { value: CLIENT_SECRET } })],
    ['in a SecretString that is a bare PEM (not JSON)', () => Promise.resolve(cf.privateKeyPem)],
  ])(
    'fails the whole load when the member is %s (no signer either), logging only no_client_secret',
    async (_n, answer) => {
      const h = harness([answer], 'oidcClientSecret');
      expect(await h.source.clientSecret?.(h.clock.nowMs)).toBe(''); // what the token request refuses
      expect(await codeOf(h.source.ready(h.clock.nowMs))).toBe('key_unavailable');
      expect(h.source.current()).toBeUndefined();
      expect(h.logs.map((l) => JSON.parse(l) as unknown)).toEqual([
        { event: 'key_failed', error: 'no_client_secret', retryInMs: 1000 },
      ]);
      expect(h.logs.join('\n')).not.toContain(CLIENT_SECRET);
    },
  );

  it('fails closed on a SecretString that is not valid JSON, never logging it', async () => {
    const h = harness([() => Promise.resolve(`{"privateKeyPem":"x","oidcClientSecret":"${CLIENT_SECRET}"`)], 'k');
    expect(await h.source.clientSecret?.(h.clock.nowMs)).toBe('');
    expect(JSON.parse(h.logs[0] ?? '{}')).toMatchObject({ event: 'key_failed', error: 'bad_secret' });
    expect(h.logs.join('\n')).not.toContain(CLIENT_SECRET);
  });

  it('retries after the backoff and then hands out the member a corrected secret holds', async () => {
    const h = harness([json({}), json({ oidcClientSecret: CLIENT_SECRET })], 'oidcClientSecret');
    expect(await h.source.clientSecret?.(h.clock.nowMs)).toBe('');
    h.clock.nowMs += 999;
    expect(await h.source.clientSecret?.(h.clock.nowMs)).toBe(''); // inside the backoff: no new call
    expect(h.calls()).toBe(1);
    h.clock.nowMs += 1;
    expect(await h.source.clientSecret?.(h.clock.nowMs)).toBe(CLIENT_SECRET);
    expect(h.calls()).toBe(2);
  });

  it('is not offered without a configured member (the baked secret, or none, is used then)', () => {
    const h = harness([json({ oidcClientSecret: CLIENT_SECRET })]);
    expect(h.source.clientSecret).toBeUndefined();
  });
});
