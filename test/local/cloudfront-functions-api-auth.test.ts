// The deployed /api/* CloudFront Function, read from a synthesized template and run by the local runtime: the
// viewer's bearer token moves to x-edgepass-authorization, a forged copy is dropped, everything else passes.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_AUTH_FUNCTION_CODE, createApiAuthFunction } from '../../infra/api-auth-function.ts';
import { compileFunction, readTemplateFunctions, runFunction } from '../../local/cloudfront/functions/index.ts';
import type { CompiledFunction, OriginRequest, TemplateFunction } from '../../local/cloudfront/functions/index.ts';
import { eventOf, viewer } from './cloudfront-functions-fixture.ts';

let fromTemplate: readonly TemplateFunction[];
let apiAuth: CompiledFunction;
beforeAll(() => {
  process.env['CDK_DISABLE_CLI_TELEMETRY'] = 'true';
  const stack = new Stack(new App(), 'ApiAuthOnly');
  createApiAuthFunction(stack);
  fromTemplate = readTemplateFunctions(Template.fromStack(stack).toJSON());
  const [source] = fromTemplate;
  if (source === undefined) throw new Error('the template has no CloudFront Function');
  apiAuth = compileFunction(source);
});

function forward(target: string, headers: readonly (readonly [string, string])[]): OriginRequest {
  const query = target.includes('?') ? target.slice(target.indexOf('?') + 1) : '';
  const run = runFunction(apiAuth, eventOf(viewer({ target, headers })), { receivedQuerystring: query });
  if (run.outcome.kind !== 'request') throw new Error(`expected a request, got ${JSON.stringify(run.outcome)}`);
  return run.outcome.request;
}

describe('the /api/* function as synthesized', () => {
  it('is read from the template with its cloudfront-js-2.0 runtime and code', () => {
    expect(fromTemplate.map(({ runtime, code }) => ({ runtime, code }))).toEqual([
      { runtime: 'cloudfront-js-2.0', code: API_AUTH_FUNCTION_CODE },
    ]);
  });

  it('moves the viewer Authorization value to X-Edgepass-Authorization', () => {
    const request = forward('/api/uploads', [
      ['Host', 'cdn.example.test'],
      ['Authorization', 'Bearer x'],
    ]);
    expect(request.headers).toEqual([
      ['Host', 'cdn.example.test'],
      ['X-Edgepass-Authorization', 'Bearer x'],
    ]);
  });

  it('drops an X-Edgepass-Authorization the viewer sent without Authorization', () => {
    const request = forward('/api/uploads', [
      ['Host', 'cdn.example.test'],
      ['X-Edgepass-Authorization', 'Bearer forged'],
    ]);
    expect(request.headers).toEqual([['Host', 'cdn.example.test']]);
  });

  it('replaces a forged X-Edgepass-Authorization with the Authorization value', () => {
    const request = forward('/api/uploads', [
      ['Host', 'cdn.example.test'],
      ['X-Edgepass-Authorization', 'Bearer forged'],
      ['Authorization', 'Bearer real'],
    ]);
    expect(request.headers).toEqual([
      ['Host', 'cdn.example.test'],
      ['X-Edgepass-Authorization', 'Bearer real'],
    ]);
  });

  it('leaves the uri, a percent-encoded query, other headers and cookies as the viewer sent them', () => {
    const request = forward('/api/uploads/a%20b?name=caf%C3%A9&tag=1&tag=2', [
      ['Host', 'cdn.example.test'],
      ['Accept', 'application/json'],
      ['Accept', 'text/plain'],
      ['X-Amz-Content-Sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
      ['Cookie', 'a=1; b=2; a=3'],
      ['Authorization', 'Bearer x'],
    ]);
    expect(request).toEqual({
      method: 'GET',
      uri: '/api/uploads/a%20b',
      querystring: 'name=caf%C3%A9&tag=1&tag=2',
      headers: [
        ['Host', 'cdn.example.test'],
        ['Accept', 'application/json'],
        ['Accept', 'text/plain'],
        ['X-Amz-Content-Sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
        ['X-Edgepass-Authorization', 'Bearer x'],
        ['Cookie', 'a=1; a=3; b=2'],
      ],
    });
  });
});

describe('reading CloudFront Functions from a template', () => {
  it('reports every function whose code or runtime is not a literal, at once', () => {
    const template = {
      Resources: {
        Joined: { Type: 'AWS::CloudFront::Function', Properties: { FunctionCode: { 'Fn::Join': ['', []] } } },
        Bucket: { Type: 'AWS::S3::Bucket' },
      },
    };
    expect(() => readTemplateFunctions(template)).toThrow(
      'invalid CloudFront Functions in the template:\n  - Joined: FunctionCode must be a literal string\n  - Joined: FunctionConfig.Runtime must be a literal string',
    );
  });
});
