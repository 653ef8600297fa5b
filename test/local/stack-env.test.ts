// The environment `npm start` and `edgepass dev` share (local/stack-env.ts): defaults, values, and every bad value
// named at once by its variable.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/errors.ts';
import { stackEnvironment, stateDirFrom } from '../../local/stack-env.ts';

describe('the local stack environment', () => {
  it('defaults to the CDN on 8080, free ports for the rest, the dev app origin and .edgepass', () => {
    expect(stackEnvironment({})).toEqual({
      port: 8080,
      s3Port: 0,
      apiPort: 0,
      idpPort: 0,
      appOrigins: ['http://localhost:5173'],
      stateDir: '.edgepass',
    });
  });

  it('reads every variable', () => {
    const env = {
      PORT: '9090',
      S3_PORT: '4568',
      API_PORT: '0',
      IDP_PORT: '65535',
      APP_ORIGINS: ' http://localhost:3000 , https://app.example.test,',
      EDGEPASS_STATE_DIR: '/tmp/state',
    };
    expect(stackEnvironment(env)).toEqual({
      port: 9090,
      s3Port: 4568,
      apiPort: 0,
      idpPort: 65535,
      appOrigins: ['http://localhost:3000', 'https://app.example.test'],
      stateDir: '/tmp/state',
    });
  });

  it('treats empty values as unset', () => {
    expect(stackEnvironment({ PORT: '', APP_ORIGINS: ' ', EDGEPASS_STATE_DIR: '' })).toEqual(stackEnvironment({}));
  });

  it('names every bad port variable at once, without echoing its value', () => {
    const bad = { PORT: 'eighty', S3_PORT: '65536', API_PORT: '-1', IDP_PORT: '1e3' };
    let error: unknown;
    try {
      stackEnvironment(bad);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.split(' ')[0])).toEqual(['PORT', 'S3_PORT', 'API_PORT', 'IDP_PORT']);
    for (const value of Object.values(bad)) expect((error as ConfigError).message).not.toContain(value);
  });

  it('gives the CLI the same state folder as the stack', () => {
    expect(stateDirFrom({ EDGEPASS_STATE_DIR: 'state' })).toBe(
      stackEnvironment({ EDGEPASS_STATE_DIR: 'state' }).stateDir,
    );
    expect(stateDirFrom({})).toBe('.edgepass');
  });
});
