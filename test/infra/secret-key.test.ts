// The Secrets Manager key mode end to end through the CDK app: the deployment names the secret, the edge bundle
// carries its ARN and the public key (never the private key), and the edge role may read exactly that secret.
import { readFileSync } from 'node:fs';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/errors.ts';
import { resolveConfig } from '../../infra/config/load.ts';
import { deploymentOf, fixture, nagFindings, removeFixtures, synthesise } from './helpers.ts';
import type { Fixture, Synthesised } from './helpers.ts';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:edgepass/cloudfront-key-AbC123';
const KMS = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- CloudFormation templates are untyped JSON. */
function secretDocument(kmsKeyArn?: string): Fixture {
  const f = fixture();
  deploymentOf(f.document)['privateKey'] = {
    source: 'secretsManager',
    secretArn: SECRET,
    ...(kmsKeyArn === undefined ? {} : { kmsKeyArn }),
  };
  (f.document['signer'] as Record<string, unknown>)['publicKeyPem'] = f.publicKeyPem;
  return f;
}

const problemsOf = (f: Fixture): readonly string[] => {
  try {
    resolveConfig(f.document, f.dir);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

function statements(template: Template): any[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (p: any) => p['Properties']['PolicyDocument']['Statement'] as any[],
  );
}

let s: Synthesised;
let edge: Template;

beforeAll(async () => {
  s = await synthesise(secretDocument(KMS));
  edge = Template.fromStack(s.edgeStack ?? s.main);
});
afterAll(removeFixtures);

describe('deployment.privateKey.source "secretsManager"', () => {
  it('hands the edge the secret ARN and its region, with the signer public key', () => {
    expect(s.config.edge.signer).toEqual(
      expect.objectContaining({ privateKeySecret: { secretId: SECRET, region: 'eu-west-1' } }),
    );
    expect(s.config.edge.signer).not.toHaveProperty('privateKeyPem');
  });

  it('builds an edge bundle without the private key', () => {
    const f = secretDocument();
    const code = readFileSync(s.bundles.edge, 'utf8');
    expect(code).toContain(SECRET);
    expect(code).not.toContain(f.privateKeyPem.slice(40, 100));
  });

  it('lets the edge role GetSecretValue on exactly that secret, and kms:Decrypt only via Secrets Manager', () => {
    const found = statements(edge);
    const secret = found.filter((st) => JSON.stringify(st['Action']).includes('secretsmanager'));
    expect(secret).toEqual([{ Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: SECRET }]);
    const kms = found.filter((st) => JSON.stringify(st['Action']).includes('kms'));
    expect(kms).toEqual([
      {
        Action: 'kms:Decrypt',
        Effect: 'Allow',
        Resource: KMS,
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } },
      },
    ]);
  });

  it('stays cdk-nag clean', () => {
    expect(nagFindings(s.built.app, 'error')).toEqual([]);
  });

  it('grants no secret access in the baked modes', async () => {
    const baked = await synthesise(fixture());
    const all = statements(Template.fromStack(baked.edgeStack ?? baked.main));
    expect(JSON.stringify(all)).not.toMatch(/secretsmanager|kms:/);
  }, 120_000);

  it.each([
    [
      'a key in the document too',
      (f: Fixture) => ((f.document['signer'] as any)['privateKeyPem'] = f.privateKeyPem),
      'must be absent',
    ],
    ['no public key', (f: Fixture) => delete (f.document['signer'] as any)['publicKeyPem'], 'signer.publicKeyPem'],
    [
      'a secret name instead of an ARN',
      (f: Fixture) => ((deploymentOf(f.document)['privateKey'] as any)['secretArn'] = 'cf-key'),
      'secretArn',
    ],
    [
      'a bad KMS key ARN',
      (f: Fixture) => ((deploymentOf(f.document)['privateKey'] as any)['kmsKeyArn'] = 'alias/x'),
      'kmsKeyArn',
    ],
  ])('refuses %s', (_name, change, expected) => {
    const f = secretDocument();
    change(f);
    expect(problemsOf(f).join('\n')).toContain(expected);
  });
});
