// parseOriginConfig: a valid document parses with its defaults; every problem of a bad one is reported at once.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/errors.ts';
import { MAX_PRESIGN_TTL_SECONDS, parseOriginConfig } from '../../origin-api/config.ts';
import { ISSUER, PARTNER, rawConfig } from './fixtures.ts';

function problemsOf(raw: unknown, overrides = {}): readonly string[] {
  try {
    parseOriginConfig(raw, overrides);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('parseOriginConfig', () => {
  it('parses the jwt and originApi sections, ignores the edge sections, and applies defaults', () => {
    const { jwt, originApi } = parseOriginConfig(rawConfig());
    expect(jwt.issuers.map((entry) => entry.issuer)).toEqual([ISSUER, PARTNER]);
    expect(originApi).toMatchObject({
      bucket: 'media',
      region: 'us-east-1',
      endpoint: undefined,
      keyPrefix: 'users/',
      uploadTtlSeconds: 60,
      downloadTtlSeconds: 60,
      maxRequestBytes: 8192,
    });
    expect(originApi.purposes.get('passport')).toEqual({
      contentTypes: ['image/jpeg', 'image/png'],
      maxBytes: 5_000_000,
    });
  });

  it('lets deployment overrides win over the document', () => {
    const { originApi } = parseOriginConfig(rawConfig(), {
      bucket: 'made-by-cdk',
      region: 'eu-west-3',
      endpoint: 'http://127.0.0.1:9000/',
    });
    expect(originApi).toMatchObject({ bucket: 'made-by-cdk', region: 'eu-west-3', endpoint: 'http://127.0.0.1:9000' });
  });

  it('accepts a lifetime of exactly 7 days and refuses one second more', () => {
    expect(parseOriginConfig(rawConfig({ uploadTtlSeconds: MAX_PRESIGN_TTL_SECONDS })).originApi.uploadTtlSeconds).toBe(
      604_800,
    );
    expect(problemsOf(rawConfig({ downloadTtlSeconds: 604_801 }))).toEqual([
      'originApi.downloadTtlSeconds must be an integer from 1 to 604800',
    ]);
  });

  it('reports every problem of a bad document at once', () => {
    const raw = rawConfig({
      bucket: 'Bad_Bucket',
      region: 'moon',
      endpoint: 'ftp://x',
      keyPrefix: '../',
      uploadTtlSeconds: 0,
      maxRequestBytes: 10,
      purposes: { 'Pass Port': { contentTypes: ['image/*; q=1'], maxBytes: 0, extra: 1 } },
      surprise: true,
    });
    (raw.jwt as Record<string, unknown>[])[0]!.audience = undefined;
    expect(problemsOf(raw)).toEqual([
      'jwt[0].audience is required (use null to skip the audience check)',
      'originApi.surprise is not a known setting',
      'originApi.bucket must be an S3 bucket name',
      'originApi.region must be an AWS region',
      'originApi.endpoint must be an http(s) origin such as "http://127.0.0.1:4568" (local S3 only)',
      'originApi.keyPrefix must be empty or up to 4 segments of A-Z a-z 0-9 _ . - (not . or ..) each ending in "/"',
      'originApi.uploadTtlSeconds must be an integer from 1 to 604800',
      'originApi.maxRequestBytes must be an integer from 256 to 65536',
      'originApi.purposes.Pass Port: purpose names are 1-32 of a-z, 0-9, "-"',
      'originApi.purposes.Pass Port.extra is not a known setting',
      'originApi.purposes.Pass Port.contentTypes must list lower-case media types such as "image/jpeg" (no parameters)',
      'originApi.purposes.Pass Port.maxBytes must be an integer from 1 to 5368709120',
    ]);
  });

  it('requires the security settings instead of defaulting them', () => {
    expect(problemsOf({ jwt: rawConfig().jwt, originApi: {} })).toEqual([
      'originApi.bucket is required (an S3 bucket name)',
      'originApi.region is required (an AWS region)',
      'originApi.purposes is required: { "<purpose>": { "contentTypes": [...], "maxBytes": n } }',
    ]);
    expect(problemsOf(rawConfig({ purposes: { passport: { contentTypes: ['image/jpeg'] } } }))).toEqual([
      'originApi.purposes.passport.maxBytes is required',
    ]);
  });

  it.each([
    ['not an object', 'x', ['the configuration must be a JSON object']],
    ['no sections', {}, ['jwt must be an object', 'originApi must be an object']],
  ])('refuses a document that is %s', (_name, raw, problems) => {
    expect(problemsOf(raw)).toEqual(problems);
  });

  it('reads the shared top-level appOrigins list (the edge parses the same one), empty by default', () => {
    expect(parseOriginConfig(rawConfig()).appOrigins).toEqual([]);
    const origins = ['https://app.example.test', 'http://127.0.0.1:5173'];
    expect(parseOriginConfig(rawConfig({}, { appOrigins: origins })).appOrigins).toEqual(origins);
    expect(problemsOf(rawConfig({ region: 'moon' }, { appOrigins: ['https://app.example.test/', '*'] }))).toEqual([
      'originApi.region must be an AWS region',
      'appOrigins[0] must be exactly the origin a browser sends, "https://app.example.test" (no path, query, credentials or default port)',
      'appOrigins[1] must name one origin ("*" is never allowed)',
    ]);
  });

  it('accepts an empty key prefix and nested prefixes', () => {
    expect(parseOriginConfig(rawConfig({ keyPrefix: '' })).originApi.keyPrefix).toBe('');
    expect(parseOriginConfig(rawConfig({ keyPrefix: 'app/v1/users/' })).originApi.keyPrefix).toBe('app/v1/users/');
  });

  it('keeps one named issuer on the folder layout of earlier versions, and only a configured one', () => {
    expect(parseOriginConfig(rawConfig()).originApi.legacyFolderIssuer).toBeNull();
    expect(parseOriginConfig(rawConfig({ legacyFolderIssuer: PARTNER })).originApi.legacyFolderIssuer).toBe(PARTNER);
    expect(problemsOf(rawConfig({ legacyFolderIssuer: `${ISSUER}x` }))).toEqual([
      'originApi.legacyFolderIssuer must be one of the jwt issuers (or absent)',
    ]);
  });
});
