// `edgepass versions list|prune` through the real binary and the real AWS SDK clients, against a loopback fake of
// Lambda, CloudFront and CloudFormation (test/helpers/fake-aws) that checks every SigV4 signature. The account: the
// authorizer with versions 1-7; the main distribution on 6 (its stack has already published 7), a staging
// distribution pinned to 4, another distribution using 2 and another function; version 1 is still replicated.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAws } from '../helpers/fake-aws/server.ts';
import type { FakeAws } from '../helpers/fake-aws/server.ts';
import { fakeFunction, functionArn } from '../helpers/fake-aws/state.ts';
import type { FakeAccount, FakeAssociation } from '../helpers/fake-aws/state.ts';
import { runCli, useTempDir } from './run.ts';
import type { CliResult } from './run.ts';

const FN = 'EdgePass-edge-AuthorizerFn00F5A2B3-Q1w2E3r4T5y6';
const KEY = { id: 'AKIAFAKEONCALL0001', secret: 'fake-secret-for-loopback-tests-only-0001' };
const PROFILE_KEY = { id: 'AKIAFAKEPROFILE002', secret: 'fake-secret-for-loopback-tests-only-0002' };

const viewer = (version: string, name = FN): FakeAssociation => ({
  arn: functionArn(name, version),
  eventType: 'viewer-request',
});

function account(): FakeAccount {
  const authorizer = fakeFunction(FN, 7);
  const v1 = authorizer.versions.find((v) => v.version === '1');
  if (v1 !== undefined) v1.deleteFails = 'replicated';
  return {
    functions: [authorizer, fakeFunction('other-fn', 2)],
    distributions: [
      {
        id: 'E1MAINEXAMPLE',
        defaultBehaviour: [],
        behaviours: [
          { pathPattern: '/attractions/*', associations: [viewer('6')] },
          { pathPattern: '/_edgepass/*', associations: [viewer('6')] },
          { pathPattern: '/api/*', associations: [] },
        ],
      },
      {
        id: 'E2STAGINGEXAMPLE',
        defaultBehaviour: [],
        behaviours: [{ pathPattern: '/attractions/*', associations: [viewer('4')] }],
      },
      {
        id: 'E3OTHEREXAMPLE',
        defaultBehaviour: [{ arn: functionArn(FN, '2'), eventType: 'origin-request' }, viewer('2', 'other-fn')],
        behaviours: [],
      },
    ],
    stacks: [
      { name: 'EdgePass', outputs: { DistributionId: 'E1MAINEXAMPLE' } },
      { name: 'EdgePass-edge', outputs: { AuthorizerFunctionName: FN, AuthorizerVersionArn: functionArn(FN, '7') } },
    ],
    denied: new Set(),
    pageSize: { lambda: 3, cloudfront: 1 },
  };
}

let fake: FakeAws;

const tmp = useTempDir((dir) => {
  // A shared credentials file with one named profile, for --profile; the default chain uses the env keys.
  writeFileSync(
    join(dir, 'credentials'),
    `[oncall]\naws_access_key_id = ${PROFILE_KEY.id}\naws_secret_access_key = ${PROFILE_KEY.secret}\n`,
  );
});
beforeEach(async () => {
  const keys = new Map([
    [KEY.id, KEY.secret],
    [PROFILE_KEY.id, PROFILE_KEY.secret],
  ]);
  fake = await startFakeAws(account(), keys);
});
afterEach(async () => {
  await fake.close();
});

/** The child's whole environment: dummy keys, no profile files of this machine, no metadata endpoint. */
function awsEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env['PATH'],
    HOME: tmp.dir,
    AWS_ACCESS_KEY_ID: KEY.id,
    AWS_SECRET_ACCESS_KEY: KEY.secret,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(tmp.dir, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(tmp.dir, 'credentials'),
  };
}

function versions(args: readonly string[], env: NodeJS.ProcessEnv = awsEnv()): Promise<CliResult> {
  return runCli(['versions', ...args, '--endpoint-url', fake.url], tmp.dir, env, 'replace');
}

/** The table row of one version (its first line), split into cells on runs of 2+ spaces. */
function row(stdout: string, version: string): string[] {
  const line = stdout.split('\n').find((l) => l.startsWith(`${version} `));
  if (line === undefined) throw new Error(`no row for version ${version}`);
  return line.split(/ {2,}/);
}

const calls = (service: string, method?: string) =>
  fake.requests.filter((r) => r.service === service && (method === undefined || r.method === method));
const remaining = () => fake.account.functions[0]!.versions.map((v) => v.version);

describe('edgepass versions list', () => {
  it('lists every version, newest first, with code, size, users and what prune would do', async () => {
    const result = await versions(['list', '--stack', 'EdgePass']);
    expect(result.stderr).toContain(`function ${FN} from stack EdgePass-edge`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Function:      ${functionArn(FN)}\n`);
    expect(result.stdout).toContain('Distributions: 3 in the account');
    const order = result.stdout.split('\n').flatMap((l) => /^(\$LATEST|\d+) {2}/.exec(l)?.[1] ?? []);
    expect(order).toEqual(['$LATEST', '7', '6', '5', '4', '3', '2', '1']);
    expect(row(result.stdout, '$LATEST').at(-1)).toBe('keep ($LATEST, never deleted)');
    expect(row(result.stdout, '7')).toEqual([
      '7',
      '2026-11-08 09:30',
      `${fake.account.functions[0]!.versions[7]!.codeSha256.slice(0, 12)}…`,
      '50.1 KiB',
      'stack EdgePass-edge',
      "keep (stack's current version)",
    ]);
    expect(row(result.stdout, '6').slice(-2)).toEqual([
      'E1MAINEXAMPLE /attractions/* (viewer-request)',
      'keep (in use)',
    ]);
    expect(result.stdout).toMatch(/\n {20,}E1MAINEXAMPLE \/_edgepass\/\* \(viewer-request\)\n/);
    expect(row(result.stdout, '5').slice(-2)).toEqual(['-', 'keep (newest 3)']);
    expect(row(result.stdout, '4').slice(-2)).toEqual([
      'E2STAGINGEXAMPLE /attractions/* (viewer-request)',
      'keep (in use)',
    ]);
    expect(row(result.stdout, '2').slice(-2)).toEqual(['E3OTHEREXAMPLE (default) (origin-request)', 'keep (in use)']);
    expect(row(result.stdout, '3').slice(-2)).toEqual(['-', 'prunable']);
    expect(row(result.stdout, '1').slice(-2)).toEqual(['-', 'prunable']);
    expect(result.stdout).toContain('8 versions (with $LATEST), 3 in use by CloudFront. 2 prunable');
  });

  it('follows every Lambda and CloudFront page marker, signed for us-east-1 with the credential chain', async () => {
    const result = await versions(['list', '--stack', 'EdgePass']);
    expect(result.code).toBe(0);
    // 8 versions in pages of 3; 3 distributions in pages of 1.
    expect(calls('lambda').map((r) => r.query['Marker'] ?? null)).toEqual([
      null,
      expect.any(String),
      expect.any(String),
    ]);
    expect(calls('cloudfront').map((r) => r.query['Marker'] ?? null)).toEqual([
      null,
      'E1MAINEXAMPLE',
      'E2STAGINGEXAMPLE',
    ]);
    expect(calls('cloudformation').map((r) => r.action)).toEqual(['DescribeStacks']);
    expect(fake.rejected).toEqual([]);
    expect(new Set(fake.requests.map((r) => `${r.region} ${r.accessKeyId}`))).toEqual(new Set([`us-east-1 ${KEY.id}`]));
  });

  it('finds the function in the main stack when the app region is us-east-1 (no -edge stack)', async () => {
    fake.account.stacks = [{ name: 'EdgePass', outputs: { AuthorizerFunctionName: FN } }];
    const result = await versions(['list', '--stack', 'EdgePass']);
    expect(result.code).toBe(0);
    expect(calls('cloudformation').length).toBe(2);
    expect(result.stderr).toContain(`from stack EdgePass\n`);
    // Without the AuthorizerVersionArn output, 7 is kept as one of the newest only.
    expect(row(result.stdout, '7').slice(-2)).toEqual(['-', 'keep (newest 3)']);
  });

  it('takes --function (name or ARN) without asking CloudFormation', async () => {
    const byArn = await versions(['list', '--function', functionArn(FN)]);
    expect(byArn.code).toBe(0);
    expect(row(byArn.stdout, '7').slice(-2)).toEqual(['-', 'keep (newest 3)']);
    const byName = await versions(['list', '--function', FN, '--keep', '5']);
    expect(row(byName.stdout, '3').slice(-1)).toEqual(['keep (newest 5)']);
    expect(calls('cloudformation')).toEqual([]);
  });

  it('signs with a named profile from the shared credentials file with --profile', async () => {
    const result = await versions(['list', '--function', FN, '--profile', 'oncall']);
    expect(result.code).toBe(0);
    expect(new Set(fake.requests.map((r) => r.accessKeyId))).toEqual(new Set([PROFILE_KEY.id]));
  });
});

describe('edgepass versions prune', () => {
  it('is a dry run without --yes: shows what it would delete and sends no DELETE', async () => {
    const result = await versions(['prune', '--stack', 'EdgePass']);
    expect(result.code).toBe(0);
    expect(row(result.stdout, '3').at(-1)).toBe('would delete (dry run)');
    expect(row(result.stdout, '1').at(-1)).toBe('would delete (dry run)');
    expect(result.stdout).toContain('Dry run: nothing was deleted; 2 would be. Run again with --yes');
    expect(fake.requests.filter((r) => r.method !== 'GET' && r.service !== 'cloudformation')).toEqual([]);
    expect(remaining()).toEqual(['$LATEST', '1', '2', '3', '4', '5', '6', '7']);
  });

  it('with --yes deletes only unused numbered versions beyond --keep, oldest first; replicas are reported', async () => {
    const result = await versions(['prune', '--stack', 'EdgePass', '--keep', '1', '--yes']);
    expect(result.code).toBe(0);
    const deletes = calls('lambda', 'DELETE');
    expect(deletes.map((r) => [r.path, r.query['Qualifier']])).toEqual(
      ['1', '3', '5'].map((v) => [`/2015-03-31/functions/${functionArn(FN)}`, v]),
    );
    expect(remaining()).toEqual(['$LATEST', '1', '2', '4', '6', '7']);
    expect(row(result.stdout, '5').at(-1)).toBe('deleted');
    expect(row(result.stdout, '3').at(-1)).toBe('deleted');
    expect(row(result.stdout, '1').at(-1)).toBe('not deleted: replicas remain, retry in a few hours');
    expect(row(result.stdout, '7').at(-1)).toBe("keep (stack's current version)");
    expect(result.stdout).toContain('Deleted 2 of 3.\n1 still replicated: CloudFront removes replicas');
    expect(result.stderr).toContain('version 1: replicated');
  });

  it('reports a failed deletion per version, goes on with the others, and exits 1', async () => {
    fake.account.functions[0]!.versions.find((v) => v.version === '3')!.deleteFails = 'conflict';
    const result = await versions(['prune', '--stack', 'EdgePass', '--yes']);
    expect(result.code).toBe(1);
    expect(row(result.stdout, '3').at(-1)).toBe(
      'FAILED: ResourceConflictException (HTTP 409): The operation cannot be performed at this time.',
    );
    expect(calls('lambda', 'DELETE').map((r) => r.query['Qualifier'])).toEqual(['1', '3']);
    expect(result.stdout).toContain('1 FAILED: see the ACTION column.');
  });

  it('deletes nothing when the distributions cannot be read', async () => {
    fake.account.denied.add('ListDistributions');
    const result = await versions(['prune', '--stack', 'EdgePass', '--yes']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ListDistributions failed: AccessDenied (HTTP 403): User: arn:aws:iam::');
    expect(calls('lambda', 'DELETE')).toEqual([]);
    expect(result.stdout).toBe('');
  });

  it('says which stacks it looked for when neither exists', async () => {
    const result = await versions(['prune', '--stack', 'Nope']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no stack Nope-edge or Nope in this region (see --region)');
  });

  it('explains missing credentials instead of failing obscurely', async () => {
    const env: NodeJS.ProcessEnv = { ...awsEnv(), AWS_SHARED_CREDENTIALS_FILE: join(tmp.dir, 'none') };
    delete env['AWS_ACCESS_KEY_ID'];
    delete env['AWS_SECRET_ACCESS_KEY'];
    const result = await versions(['list', '--function', FN], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no AWS credentials found');
    expect(fake.requests).toEqual([]);
  });
});

describe('edgepass versions usage', () => {
  it.each([
    { args: ['list'], says: 'give either --stack or --function' },
    { args: ['list', '--stack', 'A', '--function', 'b'], says: 'give either --stack or --function' },
    { args: ['show', '--stack', 'A'], says: 'say "versions list" or "versions prune"' },
    { args: ['list', '--stack', 'A', '--yes'], says: '--yes belongs to "versions prune"' },
    { args: ['prune', '--function', `${functionArn(FN)}:3`], says: 'unqualified function ARN' },
    { args: ['prune', '--stack', 'A', '--keep', '0'], says: '--keep must be a whole number from 1' },
    { args: ['list', '--function', functionArn(FN), '--region', 'eu-west-1'], says: '--region differs' },
    { args: ['list', '--stack', 'A', '--endpoint-url', 'http://example.test'], says: '--endpoint-url must be https' },
  ])('edgepass versions $args exits 2', async ({ args, says }) => {
    const result = await runCli(['versions', ...args], tmp.dir, awsEnv(), 'replace');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(says);
    expect(result.stdout).toBe('');
  });
});
