// The Secrets Manager loader's pure core: one fetch at creation, signing waits on it, failures back off (1 s
// doubling to 60 s) instead of hammering, and mismatched or unreadable secrets fail closed without being logged.
import { createPublicKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../edge/config.ts';
import type { SecretSignerConfig } from '../../edge/config-keys.ts';
import { createSecretLoader, privateKeyPemOf } from '../../edge/key-source/secret-loader.ts';
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

function harness(answers: (() => Promise<string>)[]) {
  const clock = { nowMs: 1_000_000 };
  const logs: string[] = [];
  let calls = 0;
  const fetchSecret = () => {
    const answer = answers[Math.min(calls, answers.length - 1)];
    calls += 1;
    return answer === undefined ? Promise.reject(new Error('none')) : answer();
  };
  const source = createSecretLoader(signerConfig, fetchSecret, {
    clock: () => clock.nowMs,
    logger: (l) => logs.push(l),
  });
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

  it('reads a PEM or JSON { privateKeyPem } SecretString', () => {
    expect(privateKeyPemOf(cf.privateKeyPem)).toBe(cf.privateKeyPem);
    expect(privateKeyPemOf(JSON.stringify({ privateKeyPem: cf.privateKeyPem }))).toBe(cf.privateKeyPem);
    expect(privateKeyPemOf('{"privateKeyPem":1}')).toBeUndefined();
    expect(privateKeyPemOf('{not json')).toBeUndefined();
  });
});
