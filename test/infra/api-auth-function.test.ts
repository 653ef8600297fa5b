// The /api/* CloudFront Function, run for real (node:vm) on viewer-request event values: the bearer token moves
// past the Lambda OAC signature, and a viewer cannot set the forwarded header itself.
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { API_AUTH_FUNCTION_CODE, FORWARDED_AUTHORIZATION_HEADER } from '../../infra/api-auth-function.ts';

type Headers = Record<string, { value: string }>;

function run(headers: Headers): Headers {
  const event = { version: '1.0', request: { method: 'GET', uri: '/api/uploads', headers, querystring: {} } };
  const handler = runInNewContext(`${API_AUTH_FUNCTION_CODE}; handler`) as (e: typeof event) => { headers: Headers };
  return handler(event).headers;
}

describe('api authorization header function', () => {
  it('moves the viewer Authorization value to the forwarded header', () => {
    const out = run({ authorization: { value: 'Bearer abc.def.ghi' }, host: { value: 'cdn.example.test' } });
    expect(out).toEqual({
      [FORWARDED_AUTHORIZATION_HEADER]: { value: 'Bearer abc.def.ghi' },
      host: { value: 'cdn.example.test' },
    });
  });

  it('drops a forwarded header the viewer sent without Authorization', () => {
    expect(run({ [FORWARDED_AUTHORIZATION_HEADER]: { value: 'Bearer forged' } })).toEqual({});
  });

  it('replaces a viewer-sent forwarded header with the Authorization value', () => {
    const out = run({
      [FORWARDED_AUTHORIZATION_HEADER]: { value: 'Bearer forged' },
      authorization: { value: 'Bearer real' },
    });
    expect(out).toEqual({ [FORWARDED_AUTHORIZATION_HEADER]: { value: 'Bearer real' } });
  });

  it('leaves a request without either header unchanged', () => {
    expect(run({ accept: { value: 'application/json' } })).toEqual({ accept: { value: 'application/json' } });
  });
});
