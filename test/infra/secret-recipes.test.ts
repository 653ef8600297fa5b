// The secret recipes of docs/deploy.md ("The OpenID Provider client secret in the same secret") run as a reader would
// paste them, in bash with the real jq, against a stand-in `aws secretsmanager` that keeps secrets in a folder. What
// they store must be what the edge's loader reads: the signing key and the client secret member, after every write.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SecretSignerConfig } from '../../edge/config-keys.ts';
import { createSecretLoader } from '../../edge/key-source/secret-loader.ts';
import { tempDir } from '../cli/run.ts';
import { cloudFrontKey } from '../edge/fixture.ts';
import type { CloudFrontKey } from '../edge/fixture.ts';
import { fencedBlocks } from '../helpers/doc-examples.ts';
import { runInBash } from '../helpers/doc-shell.ts';

const HAS_TOOLS = ['bash', 'jq'].every((tool) => spawnSync(tool, ['--version']).status === 0);
if (!HAS_TOOLS && process.env['CI'] === undefined) {
  console.warn('secret recipes: bash or jq is missing, skipping (in CI this fails)');
}

/** `aws secretsmanager` as far as the recipes use it (the script says what it fakes, and fails loudly on the rest). */
const FAKE_AWS = readFileSync(join(import.meta.dirname, 'fake-aws-secretsmanager.sh'), 'utf8');

const recipes = fencedBlocks('docs/deploy.md').filter((b) => b.lang === 'sh' && /\bjq\b/.test(b.lines.join('\n')));
function recipe(title: string): string {
  const found = recipes.filter((b) => b.lines[0]?.startsWith(`# ${title}`));
  if (found.length !== 1) throw new Error(`docs/deploy.md: expected one recipe "# ${title}…"`);
  return found[0]?.lines.join('\n') ?? '';
}

const OLD = 'edgepass/k202611';
const NEW = 'edgepass/k202705';
let work: { dir: string; remove: () => void };
let store: string;
let keys: { old: CloudFrontKey; new: CloudFrontKey };

beforeEach(() => {
  work = tempDir();
  store = join(work.dir, 'store');
  mkdirSync(store);
  keys = { old: cloudFrontKey(), new: cloudFrontKey('K3NEWKEYID0001') };
  for (const [name, key] of [
    ['k202611', keys.old],
    ['k202705', keys.new],
  ] as const) {
    mkdirSync(join(work.dir, 'keys', name), { recursive: true, mode: 0o700 });
    writeFileSync(join(work.dir, 'keys', name, 'private_key.pem'), key.privateKeyPem, { mode: 0o600 });
  }
});

afterEach(() => {
  work.remove();
});

async function paste(title: string, clientSecret?: string) {
  const env = { AWS_FAKE_STORE: store, ...(clientSecret === undefined ? {} : { OIDC_CLIENT_SECRET: clientSecret }) };
  // Never the developer's own variable: unset unless the test gives one.
  const prelude = `${clientSecret === undefined ? 'unset OIDC_CLIENT_SECRET\n' : ''}${FAKE_AWS}`;
  return runInBash([recipe(title)], work.dir, env, prelude);
}

const stored = (id: string): string | undefined => {
  const file = join(store, id.replace('/', '+'));
  return readdirSync(store).includes(id.replace('/', '+')) ? readFileSync(file, 'utf8') : undefined;
};
const put = (id: string, text: string) => {
  writeFileSync(join(store, id.replace('/', '+')), text);
};

/** What the edge makes of a SecretString: the client secret member, once the key in it has loaded as `key`'s pair. */
async function edgeReads(secretString: string | undefined, key: CloudFrontKey): Promise<string> {
  const config: SecretSignerConfig = {
    keyPairId: key.keyPairId,
    publicKeyPem: key.publicKeyPem,
    hashAlgorithm: 'SHA1',
    privateKeySecret: { secretId: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:x', region: 'eu-west-1' },
  };
  const deps = { clock: () => 0, logger: () => undefined };
  const loader = createSecretLoader(config, () => Promise.resolve(secretString ?? ''), deps, 'oidcClientSecret');
  return (await loader.clientSecret?.(0)) ?? '';
}

describe.skipIf(!HAS_TOOLS && process.env['CI'] === undefined)('the client secret recipes of docs/deploy.md', () => {
  it('first deployment: one new secret holding the key and the client secret, the edge reads both', async () => {
    await paste('first deployment', 'first-client-secret');
    expect(await edgeReads(stored(OLD), keys.old)).toBe('first-client-secret');
    expect(readdirSync(join(work.dir, 'keys', 'k202611'))).toEqual(['private_key.pem']);
  });

  it.each([undefined, ''])(
    'first deployment with OIDC_CLIENT_SECRET %j: stops at jq, no secret is created',
    async (value) => {
      const run = await paste('first deployment', value);
      expect(run.stderr).toContain('OIDC_CLIENT_SECRET is not set');
      expect(stored(OLD)).toBeUndefined();
    },
  );

  it('a new client secret: only that member changes, the key stays', async () => {
    await paste('first deployment', 'first-client-secret');
    await paste('a client secret added or replaced', 'second-client-secret');
    expect(await edgeReads(stored(OLD), keys.old)).toBe('second-client-secret');
    expect(readdirSync(join(work.dir, 'keys'))).toEqual(['k202611', 'k202705']);
  });

  it('a client secret added to a secret that holds the PEM alone: JSON with both members, the key unchanged', async () => {
    put(OLD, keys.old.privateKeyPem);
    await paste('a client secret added or replaced', 'added-client-secret');
    expect(await edgeReads(stored(OLD), keys.old)).toBe('added-client-secret');
    expect((JSON.parse(stored(OLD) ?? '{}') as { privateKeyPem?: string }).privateKeyPem).toBe(keys.old.privateKeyPem);
  });

  it('a new client secret without OIDC_CLIENT_SECRET set: stops at jq, the secret is unchanged', async () => {
    await paste('first deployment', 'first-client-secret');
    const run = await paste('a client secret added or replaced');
    expect(run.stderr).toContain('OIDC_CLIENT_SECRET is not set');
    expect(await edgeReads(stored(OLD), keys.old)).toBe('first-client-secret');
  });

  it('key rotation: the new secret holds the new key and the old secret’s client secret; the old one is kept', async () => {
    await paste('first deployment', 'first-client-secret');
    await paste('a client secret added or replaced', 'second-client-secret');
    await paste('key rotation');
    expect(await edgeReads(stored(NEW), keys.new)).toBe('second-client-secret');
    expect(await edgeReads(stored(OLD), keys.old)).toBe('second-client-secret');
  });

  it.each([
    ['a bare PEM (not JSON)', () => keys.old.privateKeyPem],
    ['JSON without the member', () => JSON.stringify({ privateKeyPem: keys.old.privateKeyPem })],
  ])('key rotation from an old secret that is %s: stops, no new secret', async (_what, old) => {
    put(OLD, old());
    await paste('key rotation');
    expect(stored(NEW)).toBeUndefined();
  });
});
