// Key rotation in phases, enforced at synth from the deployment record (docs/key-rotation.md): a new PEM under a
// deployed name, a rename, a signer the deployed key group does not trust yet, a key retired before its grants
// expire, a key removed while the key group holds it: all refused with the step to take. Keys made per run.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/errors.ts';
import { buildApp } from '../../infra/app.ts';
import { loadForDeployment } from '../../infra/config/deploy-checks.ts';
import { readKeyRecord, recordFileFor, writeKeyRecord } from '../../infra/config/key-record-file.ts';
import { fingerprint, nextRecord, recordProblems } from '../../infra/config/key-record.ts';
import type { KeyRecord } from '../../infra/config/key-record.ts';
import { resolveConfig } from '../../infra/config/load.ts';
import type { EdgePassConfig } from '../../infra/config/load.ts';
import { deploymentOf, fixture, removeFixtures, rsaPair } from './helpers.ts';

afterAll(removeFixtures);

const OLD = 'K2JCJMDEHXQW5F';
const NEW = 'K3HQ7WXNR2YV4B';
const SOURCE = 'edgepass.deployed.json';
const NOW = Date.parse('2027-05-01T12:00:00Z');
const fresh = rsaPair();

type Key = 'old' | 'new';
interface State {
  readonly signer: Key;
  readonly trusted?: readonly Key[];
  readonly publicKeys?: Readonly<Record<string, Key>>;
  readonly retireNow?: readonly string[];
}

/** A configuration in a given rotation state: `old` is the fixture's key (id OLD), `new` a second one (id NEW). */
function configFor(state: State): EdgePassConfig {
  const f = fixture();
  writeFileSync(join(f.dir, 'new-private.pem'), fresh.privateKeyPem, { mode: 0o600 });
  const pem = { old: f.publicKeyPem, new: fresh.publicKeyPem };
  const id = { old: OLD, new: NEW };
  const deployment = deploymentOf(f.document);
  deployment['privateKey'] = {
    source: 'file',
    path: state.signer === 'old' ? 'cloudfront-private.pem' : 'new-private.pem',
  };
  const publicKeys = state.publicKeys ?? { k202611: 'old', k202705: 'new' };
  deployment['publicKeys'] = Object.entries(publicKeys).map(([name, key]) => ({ name, publicKeyPem: pem[key] }));
  if (state.retireNow !== undefined) deployment['rotation'] = { retireNow: state.retireNow };
  f.document['signer'] = { keyPairId: id[state.signer], hashAlgorithm: 'SHA1' };
  f.document['trustedKeys'] = (state.trusted ?? []).map((k) => ({ keyPairId: id[k], publicKeyPem: pem[k] }));
  return resolveConfig(f.document, f.dir);
}

/** The record of a deployment in that state, deployed at `atMs`, after `previous`. */
const deployed = (state: State, previous: KeyRecord | null = null, atMs = NOW - 86_400_000): KeyRecord =>
  nextRecord(configFor(state), previous, false, atMs);

const check = (state: State, record: KeyRecord, nowMs = NOW): string[] =>
  recordProblems(configFor(state), record, SOURCE, nowMs);

const steady: State = { signer: 'old', publicKeys: { k202611: 'old' } };
const phase1: State = { signer: 'old', trusted: ['new'] };
const phase2: State = { signer: 'new', trusted: ['old'] };
const phase3: State = { signer: 'new' };

describe('the deployment record', () => {
  it('lets the documented rotation through, phase by phase, each checked against the deploy before it', () => {
    const keysOnly = (state: State, previous: KeyRecord) => nextRecord(configFor(state), previous, true, NOW);
    let record = deployed(steady);
    // Phase 1: the new key joins the keys stack (keys-only deploy), then the key group; the signer is unchanged.
    expect(check({ ...steady, publicKeys: { k202611: 'old', k202705: 'new' } }, record)).toEqual([]);
    record = keysOnly({ ...steady, publicKeys: { k202611: 'old', k202705: 'new' } }, record);
    expect(check(phase1, record)).toEqual([]);
    record = deployed(phase1, record, NOW - 86_400_000);
    // Phase 2: sign with the new key, the old one still trusted.
    expect(check(phase2, record)).toEqual([]);
    record = deployed(phase2, record, NOW - 86_400_000);
    // Phase 3, a day later (longest grant 1 h + 1 h margin): the key group drops the old key, then the keys stack.
    expect(check(phase3, record)).toEqual([]);
    record = deployed(phase3, record, NOW);
    expect(check({ signer: 'new', publicKeys: { k202705: 'new' } }, record)).toEqual([]);
  });

  it('refuses a new PEM under a key name already deployed, saying to add it under a new name', () => {
    const record = deployed(steady);
    expect(check({ signer: 'new', publicKeys: { k202611: 'new' } }, { ...record, keyGroup: null })).toEqual([
      `deployment.publicKeys "k202611": its PEM is not the key deployed under that name (${SOURCE}). CloudFront ` +
        'public keys are immutable: restore this PEM, and add the new key under a new name (rotation phase 1)',
    ]);
  });

  it('refuses renaming a deployed key', () => {
    const record = deployed(steady);
    expect(check({ signer: 'old', publicKeys: { k2026: 'old' } }, { ...record, keyGroup: null })).toEqual([
      `deployment.publicKeys "k2026" is the key deployed as "k202611" (${SOURCE}): renaming would create a new ` +
        'CloudFront key (a new id) and delete the old one; keep the name "k202611"',
    ]);
  });

  it('refuses a signer the deployed key group does not trust yet (phase 2 before phase 1)', () => {
    const record = nextRecord(configFor(steady), null, false, NOW);
    expect(check(phase2, record)).toEqual([
      `signer.keyPairId ${NEW}: the key group deployed last (${SOURCE}) does not trust it yet. Rotation phase 1 ` +
        `first: add it to trustedKeys with the signer unchanged (${OLD}) and deploy; then switch the signer (phase 2)`,
    ]);
  });

  it('refuses dropping the signing key in the deploy that moves the signer away from it', () => {
    expect(check(phase3, deployed(phase1))).toEqual([
      `trustedKeys: ${OLD} signs the grants outstanding now (${SOURCE}); moving the signer keeps it in ` +
        'trustedKeys until they have expired (phase 3). A compromised key: deployment.rotation.retireNow',
    ]);
  });

  it('refuses retiring the old key before the grants it signed expire, and allows it after', () => {
    const switched = deployed(phase2, deployed(phase1), NOW);
    const until = new Date(NOW + 7200 * 1000).toISOString(); // 1 h longest cookie + 1 h replication margin
    expect(switched.grantsUntil).toEqual({ [OLD]: until });
    expect(check(phase3, switched, NOW + 7199 * 1000)).toEqual([
      `trustedKeys: grants signed with ${OLD} live until ${until} (${SOURCE}): keep it in trustedKeys until then ` +
        '(rotation phase 3). A compromised key: deployment.rotation.retireNow',
    ]);
    expect(check(phase3, switched, NOW + 7201 * 1000)).toEqual([]);
  });

  it('retires a compromised key at once when deployment.rotation.retireNow names it', () => {
    const switched = deployed(phase2, deployed(phase1), NOW);
    expect(check({ ...phase3, retireNow: [OLD] }, switched, NOW)).toEqual([]);
  });

  it('refuses removing a public key while the deployed key group still trusts it (phase 3 takes two deploys)', () => {
    const switched = deployed(phase2, deployed(phase1));
    expect(check({ signer: 'new', publicKeys: { k202705: 'new' } }, switched, NOW)).toEqual([
      `deployment.publicKeys: "k202611" is gone, but the key group deployed last (${SOURCE}) still trusts it ` +
        `(${OLD}): first remove it from signer/trustedKeys and deploy, then remove it from publicKeys and deploy ` +
        'again (rotation phase 3 takes two deploys)',
    ]);
  });

  it('refuses a key pair id that the deployed key group holds with another public key', () => {
    const record = deployed(steady);
    const swapped: KeyRecord = { ...record, keyGroup: { [OLD]: fingerprint(fresh.publicKeyPem) } };
    expect(check(steady, swapped)).toContainEqual(expect.stringMatching(/^signer \(K2JCJMDEHXQW5F\): the key group/));
  });

  it('refuses a record of another deployment', () => {
    const record = { ...deployed(steady), region: 'us-west-2' };
    expect(check(steady, record)).toEqual([
      `${SOURCE} records EdgePassExample in us-west-2, but this configuration deploys EdgePassExample in ` +
        `eu-west-1: a new deployment starts without a record (move ${SOURCE} away if that is what you mean)`,
    ]);
  });

  it('records a keys-only deploy without touching the key group or the signer', () => {
    const record = deployed(steady);
    const after = nextRecord(configFor(phase1), record, true, NOW);
    expect(after.keyGroup).toEqual(record.keyGroup);
    expect(after.signer).toBe(OLD);
    expect(Object.keys(after.publicKeys)).toEqual(['k202611', 'k202705']);
  });
});

describe('synth for a deployment (EDGEPASS_CONFIG)', () => {
  function configFile(change: (document: Record<string, unknown>) => void = () => undefined): string {
    const f = fixture();
    change(f.document);
    const file = join(f.dir, 'edgepass.json');
    writeFileSync(file, JSON.stringify(f.document));
    return file;
  }
  const problemsOf = (run: () => unknown): readonly string[] => {
    try {
      run();
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  };
  const real = (document: Record<string, unknown>): void => {
    delete deploymentOf(document)['example'];
  };

  it('refuses a placeholder key pair id in a full synth, with the step to take', () => {
    const file = configFile(real);
    expect(problemsOf(() => loadForDeployment({ file, keysOnly: false, nowMs: NOW }))).toEqual([
      `signer.keyPairId "KEXAMPLE0000001" is a placeholder: deploy the keys stack first (EDGEPASS_CONFIG=${file} ` +
        'EDGEPASS_KEYS_ONLY=true npm run deploy), put its output KeyPairId<name> here, then synthesize again ' +
        '(docs/deploy.md, "First deployment")',
    ]);
  });

  it('accepts a placeholder for the keys stack alone, and in an example document', () => {
    expect(problemsOf(() => loadForDeployment({ file: configFile(real), keysOnly: true, nowMs: NOW }))).toEqual([]);
    expect(problemsOf(() => loadForDeployment({ file: configFile(), keysOnly: false, nowMs: NOW }))).toEqual([]);
  });

  it('checks the configuration against the deployment record beside it', () => {
    const file = configFile((d) => {
      real(d);
      (d['signer'] as Record<string, unknown>)['keyPairId'] = OLD;
    });
    const config = loadForDeployment({ file, keysOnly: false, nowMs: NOW }).config;
    const record: KeyRecord = {
      ...nextRecord(config, null, false, NOW),
      publicKeys: { example1: fingerprint(fresh.publicKeyPem) },
    };
    writeKeyRecord(recordFileFor(file), record);
    expect(readKeyRecord(recordFileFor(file))).toEqual(record);
    expect(problemsOf(() => loadForDeployment({ file, keysOnly: true, nowMs: NOW }))).toEqual([
      expect.stringMatching(/^deployment\.publicKeys "example1": its PEM is not the key deployed under that name/),
    ]);
  });

  it('refuses a record that is not one, pointing at git', () => {
    const file = configFile();
    writeFileSync(recordFileFor(file), '{"stackName": 1}');
    expect(problemsOf(() => loadForDeployment({ file, keysOnly: false, nowMs: NOW }))).toEqual([
      `${recordFileFor(file)} is not an edgepass deployment record (restore it from git)`,
    ]);
  });
});

// Each case synthesizes the whole app (twice for the PEM change): seconds on a quiet machine, half a minute under load.
describe('the keys stack', { timeout: 120_000 }, () => {
  const keysTemplate = (publicKeyPem: string, legacyName?: boolean): Template => {
    const f = fixture();
    deploymentOf(f.document)['publicKeys'] = [
      { name: 'example1', publicKeyPem: f.publicKeyPem },
      { name: 'k202705', publicKeyPem, ...(legacyName === undefined ? {} : { legacyName }) },
    ];
    const built = buildApp({
      config: resolveConfig(f.document, f.dir),
      bundles: undefined,
      appProps: { outdir: join(f.dir, 'out') },
    });
    return Template.fromStack(built.keys);
  };

  it("keeps a key's logical id when its PEM changes, so CloudFront refuses the change rather than replacing the key", () => {
    const ids = (t: Template) => Object.keys(t.findResources('AWS::CloudFront::PublicKey')).sort();
    const first = keysTemplate(fresh.publicKeyPem);
    const second = keysTemplate(rsaPair().publicKeyPem);
    expect(ids(second)).toEqual(ids(first));
  });

  it('names each key with its stack, name and region, and shows its fingerprint in the comment', () => {
    const template = keysTemplate(fresh.publicKeyPem);
    template.hasResourceProperties('AWS::CloudFront::PublicKey', {
      PublicKeyConfig: {
        Name: 'EdgePassExample-keys-k202705-eu-west-1',
        Comment: `edgepass signing key k202705, SPKI SHA-256 ${fingerprint(fresh.publicKeyPem).slice(0, 32)}`,
      },
    });
  });

  it('keeps the name CloudFront already has for a key made before names carried the region (legacyName)', () => {
    const names = Object.values(keysTemplate(fresh.publicKeyPem, true).findResources('AWS::CloudFront::PublicKey')).map(
      (r) => (r['Properties'] as { PublicKeyConfig: { Name: string } }).PublicKeyConfig.Name,
    );
    expect(names).toEqual([
      'EdgePassExample-keys-example1-eu-west-1',
      expect.stringMatching(/^EdgePassExamplekeysPublicKeyk202705[0-9A-F]{8}$/),
    ]);
  });

  it('refuses a legacyName that is not a boolean', () => {
    const f = fixture();
    deploymentOf(f.document)['publicKeys'] = [{ name: 'example1', publicKeyPem: f.publicKeyPem, legacyName: 'yes' }];
    expect(() => resolveConfig(f.document, f.dir)).toThrow('deployment.publicKeys[0].legacyName must be true or false');
  });
});
