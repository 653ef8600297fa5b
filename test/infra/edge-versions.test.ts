// The authorizer's numbered versions survive stack updates: `AWS::Lambda::Version` is retained (a replicated
// version cannot be deleted by CloudFormation), and the stack outputs what `edgepass versions` looks up. The main
// stack with placeholder bundles, in eu-west-1 (the function in CDK's us-east-1 stack) and in us-east-1 (in place).
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../infra/config/load.ts';
import { EdgePassStack } from '../../infra/stacks.ts';
import { deploymentOf, edgePassTemplate, fixture, placeholderBundle, removeFixtures } from './helpers.ts';

afterAll(removeFixtures);

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- CloudFormation templates are untyped JSON. */
type Json = Record<string, any>;

const PINNED = 'arn:aws:lambda:us-east-1:111122223333:function:EdgePass-edge-AuthorizerFn-Q1w2E3r4:6';

/** The app's main stack and the stack that holds the authorizer (CDK's `<name>-edge`, or the main stack itself). */
function stacks(region: string, deployment: Record<string, unknown> = {}): { main: Template; authorizer: Template } {
  const f = fixture();
  Object.assign(deploymentOf(f.document), { region, ...deployment });
  const config = resolveConfig(f.document, f.dir);
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'edgepass-versions-')) });
  const bundles = { edge: placeholderBundle('edge'), originApi: placeholderBundle('api') };
  const main = new EdgePassStack(app, config.deployment.stackName, { env: { region }, config, bundles });
  const edge = app.node.children.find((c): c is Stack => c instanceof Stack && c.node.id.endsWith('-edge'));
  return { main: Template.fromStack(main), authorizer: Template.fromStack(region === 'us-east-1' ? main : edge!) };
}
const authorizerTemplate = (region: string) => stacks(region).authorizer;

/** The LambdaFunctionARN of every Lambda@Edge association of the distribution. */
function associatedArns(main: Template): unknown[] {
  const [distribution] = Object.values(main.findResources('AWS::CloudFront::Distribution')) as Json[];
  const config = distribution!['Properties']['DistributionConfig'] as Json;
  const behaviours = [config['DefaultCacheBehavior'], ...(config['CacheBehaviors'] as Json[])] as Json[];
  return behaviours.flatMap((b) =>
    ((b['LambdaFunctionAssociations'] ?? []) as Json[]).map((a) => a['LambdaFunctionARN']),
  );
}

function onlyVersion(template: Template): [string, Json] {
  const versions = Object.entries(template.findResources('AWS::Lambda::Version'));
  expect(versions).toHaveLength(1);
  return versions[0]!;
}

describe.each(['eu-west-1', 'us-east-1'])('the authorizer version, app region %s', (region) => {
  const template = authorizerTemplate(region);

  it('is retained on updates and on stack deletion (DeletionPolicy and UpdateReplacePolicy Retain)', () => {
    const [, version] = onlyVersion(template);
    expect(version['DeletionPolicy']).toBe('Retain');
    expect(version['UpdateReplacePolicy']).toBe('Retain');
  });

  it('is output as AuthorizerVersionArn beside AuthorizerFunctionName, from the stack in us-east-1', () => {
    const [versionId] = onlyVersion(template);
    const outputs = template.toJSON()['Outputs'] as Json;
    expect(outputs['AuthorizerVersionArn']['Value']).toEqual({ Ref: versionId });
    const functionId = Object.keys(
      template.findResources('AWS::Lambda::Function', { Properties: { MemorySize: 128 } }),
    );
    expect(outputs['AuthorizerFunctionName']['Value']).toEqual({ Ref: functionId[0] });
  });
});

describe('the authorizer function', () => {
  it('is not retained: destroying its stack deletes it with every version (once the replicas are gone)', () => {
    const template = authorizerTemplate('eu-west-1');
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function')) as Json[];
    // No DeletionPolicy is CloudFormation's default, Delete; DeleteFunction without a qualifier removes all versions.
    expect(fn!['DeletionPolicy']).toBeUndefined();
  });
});

describe('deployment.authorizerVersionArn (rollback pin)', () => {
  it('makes every Lambda@Edge association name the pinned version, and still publishes the build', () => {
    const { main, authorizer } = stacks('eu-west-1', { authorizerVersionArn: PINNED });
    const arns = associatedArns(main);
    expect(arns.length).toBeGreaterThan(0);
    expect(new Set(arns)).toEqual(new Set([PINNED]));
    onlyVersion(authorizer);
  });

  it('is absent by default: the associations name the version this synth publishes, not a literal', () => {
    const arns = associatedArns(stacks('eu-west-1').main);
    expect(arns.length).toBeGreaterThan(0);
    for (const arn of arns) expect(typeof arn).not.toBe('string');
  });

  it.each([
    [`${PINNED.slice(0, -2)}:$LATEST`, 'numbered Lambda version ARN in us-east-1'],
    [PINNED.replace('us-east-1', 'eu-west-1'), 'numbered Lambda version ARN in us-east-1'],
    [PINNED.slice(0, -2), 'numbered Lambda version ARN in us-east-1'],
  ])('refuses %s', (arn, says) => {
    expect(() => stacks('eu-west-1', { authorizerVersionArn: arn })).toThrow(says);
  });

  it('refuses a version of another account than deployment.account', () => {
    expect(() => stacks('eu-west-1', { authorizerVersionArn: PINNED, account: '444455556666' })).toThrow(
      'deployment.authorizerVersionArn must be a version in deployment.account',
    );
  });

  it('is checked by the EdgePass construct itself too', () => {
    expect(() => edgePassTemplate({ authorizerVersionArn: `${PINNED.slice(0, -2)}:live` })).toThrow(
      'authorizerVersionArn must be a numbered Lambda version ARN in us-east-1',
    );
  });
});
