// The deployment configuration: the app's one loader validates edge, origin API and deployment sections together
// and cross-checks them, reporting every problem at once and never quoting key material.
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/errors.ts';
import { parseDeployment } from '../../infra/config/deployment.ts';
import { loadConfigFile, resolveConfig } from '../../infra/config/load.ts';
import { deploymentOf, fixture, removeFixtures, rsaPair } from './helpers.ts';

afterAll(removeFixtures);

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveConfig', () => {
  it('accepts the example deployment and reads the signing key from its file', () => {
    const f = fixture();
    const config = resolveConfig(f.document, f.dir);
    expect(config.deployment.stackName).toBe('EdgePassExample');
    expect(config.edge.signer).toMatchObject({ privateKeyPem: f.privateKeyPem });
    expect((config.raw['signer'] as Record<string, unknown>)['privateKeyPem']).toBe(f.privateKeyPem);
    expect(config.origin.originApi.keyPrefix).toBe('uploads/');
  });

  it('reports problems of all three sections at once', () => {
    const f = fixture();
    const deployment = deploymentOf(f.document);
    deployment['region'] = 'Europe';
    deployment['publicKeys'] = [];
    f.document['sessionCookieName'] = 'CloudFront-Session';
    f.document['originApi'] = { keyPrefix: 'uploads/' };
    const problems = problemsOf(() => resolveConfig(f.document, f.dir));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^deployment\.region must be/),
        expect.stringMatching(/^deployment\.publicKeys must be an array with at least 1/),
        expect.stringMatching(/^sessionCookieName must not start with CloudFront-/),
        expect.stringMatching(/^originApi\.purposes is required/),
      ]),
    );
  });

  it('rejects a signing key whose public key the keys stack does not deploy', () => {
    const f = fixture();
    deploymentOf(f.document)['publicKeys'] = [{ name: 'other', publicKeyPem: rsaPair().publicKeyPem }];
    expect(problemsOf(() => resolveConfig(f.document, f.dir))).toEqual([
      'signer (KEXAMPLE0000001): its public key is not in deployment.publicKeys (deploy it first)',
    ]);
  });

  it('rejects a trusted key that the keys stack does not deploy', () => {
    const f = fixture();
    f.document['trustedKeys'] = [{ keyPairId: 'KOLDKEY000001', publicKeyPem: rsaPair().publicKeyPem }];
    expect(problemsOf(() => resolveConfig(f.document, f.dir))).toEqual([
      'trustedKeys[0] (KOLDKEY000001): its public key is not in deployment.publicKeys (deploy it first)',
    ]);
  });

  it.each([
    [
      'a custom domain missing from domainNames',
      (d: Record<string, unknown>) => (d['domainNames'] = ['other.example.test']),
      /must include deployment\.domain\.name/,
    ],
    [
      'viewerProtocol http',
      (d: Record<string, unknown>) => (
        (d['domainNames'] = ['localhost']),
        (deploymentOf(d)['domain'] = undefined),
        (d['viewerProtocol'] = 'http')
      ),
      /viewerProtocol must be "https"/,
    ],
    [
      'a protected path under /api/',
      (d: Record<string, unknown>) =>
        ((d['protectedPaths'] as Record<string, unknown>[])[0]!['pattern'] = '/api/{attraction}/'),
      /collides with \/api\/\*/,
    ],
    [
      'an empty originApi.keyPrefix',
      (d: Record<string, unknown>) => ((d['originApi'] as Record<string, unknown>)['keyPrefix'] = ''),
      /originApi\.keyPrefix must not be empty/,
    ],
    [
      'a private key inline and from a file',
      (d: Record<string, unknown>) => ((d['signer'] as Record<string, unknown>)['privateKeyPem'] = 'x'),
      /must be absent when deployment\.privateKey\.source is "file"/,
    ],
  ])('rejects %s', (_name, change, expected) => {
    const f = fixture();
    change(f.document);
    expect(problemsOf(() => resolveConfig(f.document, f.dir))).toEqual(
      expect.arrayContaining([expect.stringMatching(expected)]),
    );
  });

  it('names an unreadable key file without reading anything into the message', () => {
    const f = fixture();
    deploymentOf(f.document)['privateKey'] = { source: 'file', path: 'missing.pem' };
    const problems = problemsOf(() => resolveConfig(f.document, f.dir));
    expect(problems).toContain(`deployment.privateKey.path: cannot read ${join(f.dir, 'missing.pem')}`);
  });

  it('never quotes key material from a key file that is not a key', () => {
    const f = fixture();
    const secret = f.privateKeyPem.slice(0, 200) + 'corrupted';
    writeFileSync(join(f.dir, 'cloudfront-private.pem'), secret);
    const problems = problemsOf(() => resolveConfig(f.document, f.dir));
    expect(problems).toContain('signer.privateKeyPem is not a readable private key in PEM form');
    expect(problems.join('\n')).not.toContain(f.privateKeyPem.slice(40, 80));
  });

  it('gives the edge and the origin API the same top-level appOrigins list', () => {
    const f = fixture();
    f.document['appOrigins'] = ['https://app.example.test', 'http://localhost:5173'];
    const config = resolveConfig(f.document, f.dir);
    expect(config.edge.appOrigins).toEqual(['https://app.example.test', 'http://localhost:5173']);
    expect(config.origin.appOrigins).toEqual(config.edge.appOrigins);
  });

  it.each([
    [['http://app.example.test'], 'appOrigins[0] must use https (http only for localhost or 127.0.0.1)'],
    [
      ['https://app.example.test/spa'],
      'appOrigins[0] must be exactly the origin a browser sends, "https://app.example.test" (no path, query, credentials or default port)',
    ],
    [['*'], 'appOrigins[0] must name one origin ("*" is never allowed)'],
    [['https://a.example', 'https://a.example'], 'appOrigins[1] "https://a.example" is listed twice'],
  ])('reports appOrigins %j once, though two parsers read it', (appOrigins, problem) => {
    const f = fixture();
    f.document['appOrigins'] = appOrigins;
    expect(problemsOf(() => resolveConfig(f.document, f.dir))).toEqual([problem]);
  });

  it('points a deployment.appOrigins at the top-level setting, all problems still at once', () => {
    const f = fixture();
    deploymentOf(f.document)['appOrigins'] = ['https://app.example.test'];
    deploymentOf(f.document)['region'] = 'Europe';
    const problems = problemsOf(() => resolveConfig(f.document, f.dir));
    expect(problems.slice(0, 2)).toEqual([
      'deployment.appOrigins has moved to the top-level "appOrigins" (one list read by the edge, the origin API and infra)',
      'deployment.region must be an AWS region such as eu-west-1',
    ]);
    expect(problems.join('\n')).not.toContain('not a known setting');
  });

  it('accepts an inline private key when the source says so', () => {
    const f = fixture();
    deploymentOf(f.document)['privateKey'] = { source: 'inline' };
    (f.document['signer'] as Record<string, unknown>)['privateKeyPem'] = f.privateKeyPem;
    expect(resolveConfig(f.document, f.dir).edge.signer).toMatchObject({ privateKeyPem: f.privateKeyPem });
  });
});

describe('parseDeployment', () => {
  it.each([
    ['stackName', '9lives', /^deployment\.stackName must be letters, digits and -/],
    ['region', 'us-east', /^deployment\.region must be an AWS region/],
    ['account', '1234', /^deployment\.account must be a 12-digit AWS account id/],
    ['appOrigins', ['https://app.example.test'], /^deployment\.appOrigins has moved to the top-level "appOrigins"/],
    [
      'domain',
      {
        name: 'cdn.example.test',
        certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/00000000-0000-4000-8000-000000000000',
      },
      /certificateArn must be an ACM certificate ARN in us-east-1/,
    ],
    ['privateKey', { source: 'secretsManager', secretId: 'x' }, /^deployment\.privateKey\.secretArn is required/],
    ['privateKey', { source: 'vault' }, /^deployment\.privateKey must be/],
    ['privateKey', undefined, /^deployment\.privateKey must be/],
    ['publicKeys', [{ name: 'bad-name', publicKeyPem: 'x' }], /name must be letters and digits/],
    [
      'webAclArn',
      'arn:aws:wafv2:eu-west-1:111122223333:regional/webacl/a/00000000-0000-4000-8000-000000000000',
      /webAclArn must be a WAFv2 web ACL ARN with scope CLOUDFRONT/,
    ],
    ['priceClass', 'PriceClass_Cheap', /priceClass must be one of/],
    ['surprise', true, /^deployment\.surprise is not a known setting$/],
  ])('rejects %s = %j', (key, value, expected) => {
    const f = fixture();
    deploymentOf(f.document)[key] = value;
    expect(problemsOf(() => parseDeployment(f.document))).toEqual(
      expect.arrayContaining([expect.stringMatching(expected)]),
    );
  });

  it('rejects an ECDSA P-384 public key (CloudFront takes RSA-2048 or P-256)', () => {
    const f = fixture();
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' });
    deploymentOf(f.document)['publicKeys'] = [{ name: 'k1', publicKeyPem: pem.toString() }];
    expect(problemsOf(() => parseDeployment(f.document))).toEqual([
      'deployment.publicKeys[0].publicKeyPem must be an RSA-2048 or ECDSA P-256 key',
    ]);
  });

  it('requires the section itself', () => {
    expect(problemsOf(() => parseDeployment({}))).toEqual([expect.stringMatching(/^deployment must be an object/)]);
  });
});

describe('loadConfigFile', () => {
  it('reports invalid JSON without quoting the file', () => {
    const f = fixture();
    const file = join(f.dir, 'config.json');
    writeFileSync(file, `{ "signer": { "privateKeyPem": "${f.privateKeyPem.slice(30, 90)}" `);
    const error = (() => {
      try {
        loadConfigFile(file);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).not.toContain(f.privateKeyPem.slice(30, 90));
  });
});
