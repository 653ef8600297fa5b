// EdgePass props are checked up front: every problem reported at once, before any resource is created.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/errors.ts';
import { EdgePass } from '../../infra/edge-pass.ts';
import type { EdgePassProps } from '../../infra/edge-pass.ts';
import { checkProps } from '../../infra/props.ts';
import { placeholderBundle, removeFixtures } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'edgepass-props-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  removeFixtures();
});

const good: EdgePassProps = {
  protectedPaths: [{ prefix: '/attractions/', enforcement: 'edge' }],
  keyPairIds: ['K2JCJMDEHXQW5F'],
  edgeBundleFile: placeholderBundle('edge'),
  originApiBundleFile: placeholderBundle('api'),
  originApiPrefix: 'uploads/',
};
const ORIGIN_HINT = 'must be an https origin without path (http only on localhost or 127.0.0.1)';

describe('EdgePass props', () => {
  it('accepts usable props', () => {
    expect(checkProps(good)).toEqual([]);
  });

  it('reports every problem at once and creates nothing', () => {
    const crowded = join(dir, 'crowded');
    mkdirSync(crowded);
    writeFileSync(join(crowded, 'index.mjs'), '');
    writeFileSync(join(crowded, 'cloudfront-private.pem'), '');
    const stack = new Stack(new App(), 'S', { env: { region: 'us-east-1' } });
    const bad: EdgePassProps = {
      ...good,
      protectedPaths: [
        { prefix: '/api/', enforcement: 'edge' },
        { prefix: '/public/x/', enforcement: 'native' },
        { prefix: '/public/x/', enforcement: 'native' },
      ],
      keyPairIds: ['K1AAAAAA', 'K1AAAAAA', 'lower'],
      edgeBundleFile: join(crowded, 'index.mjs'),
      originApiBundleFile: join(dir, 'missing', 'index.mjs'),
      originApiPrefix: '../',
      appOrigins: ['http://app.example.test'],
      cdnOrigins: ['https://cdn.example.test/', '*'],
      domain: { name: 'cdn.example.test', certificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/x' },
      originApiEnvironment: { BIG: 'x'.repeat(5000) },
    };
    let error: unknown;
    try {
      new EdgePass(stack, 'EdgePass', bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'protectedPaths "/api/" is reserved',
      'protectedPaths "/public/x/" is listed twice',
      'keyPairIds must not repeat an id',
      'keyPairIds "lower" is not a public key id',
      'edgeBundleFile must be alone in its directory (found 1 other)',
      `originApiBundleFile ${join(dir, 'missing', 'index.mjs')} does not exist`,
      'originApiPrefix must look like "uploads/"',
      "originApiEnvironment exceeds Lambda's 4096 bytes",
      `appOrigins "http://app.example.test" ${ORIGIN_HINT}`,
      `cdnOrigins "https://cdn.example.test/" ${ORIGIN_HINT}`,
      `cdnOrigins "*" ${ORIGIN_HINT}`,
      'domain.certificateArn must be an ACM certificate in us-east-1',
      'protected paths, originApiPrefix and /_edgepass/ must not overlap the public folder /public/',
    ]);
    expect(stack.node.findAll().filter((c) => c instanceof CfnResource)).toEqual([]);
  });

  it.each([
    ['inside the uploads prefix (CloudFront could read uploads)', '/uploads/public'],
    ['inside a protected path (its objects would be public)', '/attractions/public'],
    ["in the closed origin's folder of /_edgepass/*", '/_edgepass'],
  ])('rejects a public folder %s', (_name, publicOriginPath) => {
    expect(checkProps({ ...good, publicOriginPath })).toEqual([
      `protected paths, originApiPrefix and /_edgepass/ must not overlap the public folder ${publicOriginPath}/`,
    ]);
  });

  it('rejects an origin API prefix inside a protected path', () => {
    expect(checkProps({ ...good, originApiPrefix: 'attractions/uploads/' })).toEqual([
      'originApiPrefix must not overlap a protected path (the API would write protected content)',
    ]);
  });

  it('rejects more keys than a key group holds', () => {
    const ids = ['KAAAAAA1', 'KAAAAAA2', 'KAAAAAA3', 'KAAAAAA4', 'KAAAAAA5', 'KAAAAAA6'];
    expect(checkProps({ ...good, keyPairIds: ids })).toEqual([
      'keyPairIds must name 1 to 5 keys (CloudFront key group quota)',
    ]);
  });

  it.each([
    ['EdgePass-authorizer', true],
    ['a'.repeat(64), true],
    ['a'.repeat(65), false],
    ['edge.pass', false],
  ])('checks the authorizer function name %s (usable: %s)', (name, usable) => {
    const problems = checkProps({ ...good, authorizerFunctionName: name });
    expect(problems).toEqual(usable ? [] : [expect.stringMatching(/^authorizerFunctionName must be 1 to 64/)]);
  });

  it.each([
    ['https://cdn.example.test'],
    ['https://cdn.example.test:8443'],
    ['http://localhost'],
    ['http://localhost:5173'],
    ['http://127.0.0.1'],
    ['http://127.0.0.1:8080'],
    ['http://media.localhost:3000'],
  ])('accepts the CDN origin %s', (origin) => {
    expect(checkProps({ ...good, cdnOrigins: [origin], appOrigins: [origin] })).toEqual([]);
  });

  it.each([
    ['*', 'a wildcard'],
    ['https://*.example.test', 'a wildcard host'],
    ['http://cdn.example.test', 'plain http off loopback'],
    ['http://localhost.example.test', 'a name that only starts like loopback'],
    ['https://cdn.example.test/', 'a trailing slash'],
    ['https://cdn.example.test/media', 'a path'],
    ['https://CDN.example.test', 'upper case (CORS compares verbatim, browsers send lower case)'],
    ['cdn.example.test', 'no scheme'],
    ['https://cdn.example.test:', 'an empty port'],
    ['', 'nothing'],
  ])('refuses the CDN origin "%s" (%s)', (origin) => {
    expect(checkProps({ ...good, cdnOrigins: [origin] })).toEqual([`cdnOrigins "${origin}" ${ORIGIN_HINT}`]);
  });
});
