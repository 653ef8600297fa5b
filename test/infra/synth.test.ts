// `npm run synth` as operators run it: offline, without AWS credentials, into cdk.out/; and a wrong configuration
// fails the synth with every problem listed. Child processes get no credentials and no metadata endpoint.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deploymentOf, fixture, removeFixtures } from './helpers.ts';

afterAll(removeFixtures);

function synth(extraEnv: Record<string, string>): { status: number | null; output: string } {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('AWS_') && !key.startsWith('CDK_')) env[key] = value;
  }
  Object.assign(env, {
    CDK_DISABLE_CLI_TELEMETRY: 'true',
    CDK_DISABLE_VERSION_CHECK: 'true',
    // No credential source may be reached: no instance metadata, no profile files.
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    ...extraEnv,
  });
  const run = spawnSync('npm', ['run', 'synth', '--', '--no-notices'], { env, encoding: 'utf8', timeout: 240_000 });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

describe('npm run synth', () => {
  it('fails on a wrong configuration, listing every problem', () => {
    const f = fixture();
    deploymentOf(f.document)['region'] = 'mars-1';
    f.document['signer'] = { keyPairId: 'lowercase' };
    const file = join(f.dir, 'config.json');
    writeFileSync(file, JSON.stringify(f.document));
    const { status, output } = synth({ EDGEPASS_CONFIG: file });
    expect(status).not.toBe(0);
    expect(output).toContain('invalid configuration:');
    expect(output).toContain('deployment.region must be an AWS region such as eu-west-1');
    expect(output).toContain('signer.keyPairId must be a CloudFront public key id (A-Z, 0-9)');
  }, 240_000);

  it('refuses a placeholder key pair id for a real deployment, naming the keys-first step', () => {
    const f = fixture();
    delete deploymentOf(f.document)['example'];
    (f.document['signer'] as Record<string, unknown>)['keyPairId'] = 'KPENDING';
    const file = join(f.dir, 'edgepass.json');
    writeFileSync(file, JSON.stringify(f.document));
    const { status, output } = synth({ EDGEPASS_CONFIG: file });
    expect(status).not.toBe(0);
    expect(output).toContain(
      `signer.keyPairId "KPENDING" is a placeholder: deploy the keys stack first (EDGEPASS_CONFIG=${file} ` +
        'EDGEPASS_KEYS_ONLY=true npm run deploy)',
    );
  }, 240_000);

  it('synthesises edgepass.example.json as it is, offline, and names its three stacks', () => {
    const { status, output } = synth({ EDGEPASS_CONFIG: 'edgepass.example.json' });
    expect(output).toContain('Successfully synthesized');
    expect(status).toBe(0);
    const manifest = JSON.parse(readFileSync('cdk.out/manifest.json', 'utf8')) as {
      artifacts: Record<string, unknown>;
    };
    for (const name of ['EdgePass-keys', 'EdgePass', 'EdgePass-edge'])
      expect(Object.keys(manifest.artifacts)).toContain(name);
    const template = readFileSync('cdk.out/EdgePass.template.json', 'utf8');
    expect(template).not.toContain('PRIVATE KEY');
    expect(readFileSync('cdk.out/EdgePass-edge.template.json', 'utf8')).toContain('AWS::WAFv2::WebACL');
  }, 240_000);

  it('synthesises the example app into cdk.out offline, without credentials', () => {
    rmSync('cdk.out', { recursive: true, force: true });
    const { status, output } = synth({});
    expect(output).toContain('Successfully synthesized');
    expect(status).toBe(0);
    const manifest = JSON.parse(readFileSync('cdk.out/manifest.json', 'utf8')) as {
      artifacts: Record<string, unknown>;
    };
    const stacks = ['EdgePassExample-keys', 'EdgePassExample', 'EdgePassExample-edge'];
    for (const name of stacks) expect(Object.keys(manifest.artifacts)).toContain(name);
    const template = readFileSync('cdk.out/EdgePassExample.template.json', 'utf8');
    expect(template).toContain('AWS::CloudFront::Distribution');
    // The edge bundle (the example's key baked in) and its asset copy: folders only the owner may enter, files that
    // Lambda's runtime user can read once CDK's zip (which keeps modes) is unpacked.
    const folders = (root: string): string[] => [
      root,
      ...readdirSync(root, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .flatMap((e) => folders(join(root, e.name))),
    ];
    const open = [...folders('cdk.out'), ...folders('dist/infra')].filter((d) => (statSync(d).mode & 0o077) !== 0);
    expect(open).toEqual([]);
    const edgeAssets = folders('cdk.out').filter((d) => existsSync(join(d, 'index.mjs')));
    expect(edgeAssets.length).toBeGreaterThan(0);
    for (const asset of edgeAssets) expect(statSync(join(asset, 'index.mjs')).mode & 0o777).toBe(0o644);
  }, 240_000);
});
