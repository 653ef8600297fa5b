// The media bucket's CORS comes from one list, the app origins and the CDN's own: checked on the EdgePass construct
// alone (placeholder bundles), for the local stack's loopback origins and the edge cases of the union.
import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketCorsRules, edgePassTemplate, removeFixtures } from './helpers.ts';

// Synthesised up front: the first synthesis in a fresh process loads aws-cdk-lib and takes seconds.
let loopback: Template;
let overlapping: Template;
let none: Template;
let cdnOnly: Template;
beforeAll(() => {
  loopback = edgePassTemplate({
    appOrigins: ['http://localhost:5173'],
    cdnOrigins: ['http://localhost', 'http://127.0.0.1'],
  });
  overlapping = edgePassTemplate({
    appOrigins: ['https://cdn.example.test'],
    cdnOrigins: ['https://cdn.example.test', 'https://media.example.test'],
  });
  none = edgePassTemplate({});
  cdnOnly = edgePassTemplate({ cdnOrigins: ['https://cdn.example.test'] });
});
afterAll(removeFixtures);

function mediaBucketCors(template: Template): unknown {
  const buckets = Object.values(template.findResources('AWS::S3::Bucket'));
  const media = buckets.find((b) => b['Properties']['LoggingConfiguration'] !== undefined);
  if (media === undefined) throw new Error('no media bucket');
  return media['Properties']['CorsConfiguration'];
}

describe('media bucket CORS', () => {
  it('allows the loopback http origins of the local stack, with and without a port', () => {
    expect(mediaBucketCors(loopback)).toEqual({
      CorsRules: bucketCorsRules(['http://localhost:5173', 'http://localhost', 'http://127.0.0.1']),
    });
  });

  it('names an origin that is both an app and a CDN origin once', () => {
    expect(mediaBucketCors(overlapping)).toEqual({
      CorsRules: bucketCorsRules(['https://cdn.example.test', 'https://media.example.test']),
    });
  });

  it('has no CORS rule at all when there are neither app nor CDN origins', () => {
    expect(mediaBucketCors(none)).toBeUndefined();
  });

  it('allows only the CDN origins when there are no app origins', () => {
    expect(mediaBucketCors(cdnOnly)).toEqual({
      CorsRules: bucketCorsRules(['https://cdn.example.test']),
    });
  });
});
