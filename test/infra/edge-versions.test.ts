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
import { deploymentOf, fixture, placeholderBundle, removeFixtures } from './helpers.ts';

afterAll(removeFixtures);

/* eslint-disable @typescript-eslint/no-explicit-any -- CloudFormation templates are untyped JSON. */
type Json = Record<string, any>;

/** The template of the stack that holds the authorizer: CDK's `<name>-edge` stack, or the main stack itself. */
function authorizerTemplate(region: string): Template {
  const f = fixture();
  deploymentOf(f.document)['region'] = region;
  const config = resolveConfig(f.document, f.dir);
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'edgepass-versions-')) });
  const bundles = { edge: placeholderBundle('edge'), originApi: placeholderBundle('api') };
  const main = new EdgePassStack(app, config.deployment.stackName, { env: { region }, config, bundles });
  const edge = app.node.children.find((c): c is Stack => c instanceof Stack && c.node.id.endsWith('-edge'));
  return Template.fromStack(region === 'us-east-1' ? main : edge!);
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
