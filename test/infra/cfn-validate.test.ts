// Every synthesised template passes AWS's offline CloudFormation validator (resource schemas, cfn-lint rules): the
// example app (main, keys, the us-east-1 edge stack and a monitoring stack per watched region) and a minimal
// deployment in us-east-1 (main, keys and the monitoring stacks of its price class's regions).
import type { Stack } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createValidator } from './cfn-validate.ts';
import type { Validator } from './cfn-validate.ts';
import { defaultMonitoringRegions } from '../../infra/config/monitoring.ts';
import { fixture, makeMinimal, removeFixtures, synthesise } from './helpers.ts';
import type { Synthesised } from './helpers.ts';

let validator: Validator;
let example: Synthesised;
let minimal: Synthesised;

beforeAll(async () => {
  validator = createValidator();
  example = await synthesise(fixture());
  const f = fixture();
  makeMinimal(f);
  minimal = await synthesise(f);
}, 120_000);
afterAll(() => {
  validator.free();
  removeFixtures();
});

/** Each stack of the app with its template file and the region it deploys to. */
function templates(s: Synthesised): { stack: string; path: string; region: string }[] {
  const assembly = s.built.app.synth(); // already synthesised: the same cloud assembly
  const stacks = [s.main, s.built.keys, s.edgeStack, ...s.built.monitoring].filter(
    (stack): stack is Stack => stack !== undefined,
  );
  return stacks.map((stack) => ({
    stack: stack.stackName,
    path: assembly.getStackArtifact(stack.artifactId).templateFullPath,
    region: stack.region,
  }));
}

function validateAll(s: Synthesised): { stack: string; status: string; errors: string[] }[] {
  return templates(s).map(({ stack, path, region }) => ({ stack, ...validator.file(path, region) }));
}

describe('AWS CloudFormation validator', () => {
  it('reports an error in a broken template (the check can fail)', () => {
    const broken = {
      Resources: {
        Bucket: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            CorsConfiguration: { CorsRules: [{ AllowedMethods: ['GET'], AllowedOrigins: ['*'], MaxAge: 'x' }] },
          },
        },
      },
    };
    expect(validator.text(JSON.stringify(broken), 'eu-west-1').errors).toEqual([
      expect.stringMatching(/^FATAL \S+ Bucket Properties\.CorsConfiguration\.CorsRules\.0\.MaxAge: /),
    ]);
  });

  it('finds no error in the example app: main, keys, the us-east-1 edge stack and the monitoring stacks', () => {
    const results = validateAll(example);
    const monitoring = defaultMonitoringRegions('PriceClass_All')
      .filter((region) => region !== 'eu-west-1')
      .map((region) => `EdgePassExample-monitoring-${region}`);
    expect(results.map((r) => r.stack)).toEqual([
      'EdgePassExample',
      'EdgePassExample-keys',
      'EdgePassExample-edge',
      ...monitoring,
    ]);
    expect(results).toEqual(results.map(({ stack }) => ({ stack, status: 'OK', errors: [] })));
  });

  it('finds no error in a minimal deployment in us-east-1: main, keys and the monitoring stacks', () => {
    const results = validateAll(minimal);
    const monitoring = defaultMonitoringRegions('PriceClass_100')
      .filter((region) => region !== 'us-east-1')
      .map((region) => `EdgePassMinimal-monitoring-${region}`);
    expect(results.map((r) => r.stack)).toEqual(['EdgePassMinimal', 'EdgePassMinimal-keys', ...monitoring]);
    expect(results).toEqual(results.map(({ stack }) => ({ stack, status: 'OK', errors: [] })));
  });
});
