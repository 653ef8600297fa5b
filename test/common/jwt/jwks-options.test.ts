// Issue #14 item 3, configuration: `jwksUri` (https, http only to a loopback host) and `jwksRefetch` tuning, checked
// when the config is parsed, with every problem reported at once.
import { describe, expect, it } from 'vitest';
import { parseJwtOptions } from '../../../common/jwt/index.ts';
import { generateKeyPair } from '../../../common/keypair.ts';

const jwk = { ...generateKeyPair('ec-p256').publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256' };

function parse(extra: Record<string, unknown>) {
  const problems: string[] = [];
  const entry = { issuer: 'https://id.example.test/', audience: 'app', algorithms: ['ES256'], jwks: { keys: [jwk] } };
  const options = parseJwtOptions({ ...entry, ...extra }, problems);
  return { problems, entry: options?.issuers[0] };
}

describe('jwksUri', () => {
  it.each([
    'https://id.example.test/.well-known/jwks.json',
    'http://127.0.0.1:1234/jwks',
    'http://localhost:4000/oidc/jwks',
    'http://[::1]:8080/jwks',
  ])('accepts %s, with the documented defaults', (uri) => {
    const { problems, entry } = parse({ jwksUri: uri });
    expect(problems).toEqual([]);
    expect(entry?.refetch).toEqual({ uri, minIntervalSeconds: 30, timeoutMs: 1500, maxBytes: 65_536 });
  });

  it.each([
    'http://example.com/jwks',
    'http://127.0.0.2/jwks',
    'ftp://id.example.test/jwks',
    'https://user:pass@id.example.test/jwks',
    'https://id.example.test/jwks#keys',
    '/jwks',
    42,
  ])('refuses %s at parse time', (uri) => {
    expect(parse({ jwksUri: uri }).problems).toEqual([
      'jwt.jwksUri must be an https URL (http only to localhost, 127.0.0.1 or [::1])',
    ]);
  });

  it('takes tuning within bounds', () => {
    const jwksRefetch = { minIntervalSeconds: 5, timeoutMs: 800, maxBytes: 4096 };
    const { problems, entry } = parse({ jwksUri: 'https://id.example.test/jwks', jwksRefetch });
    expect(problems).toEqual([]);
    expect(entry?.refetch).toEqual({ uri: 'https://id.example.test/jwks', ...jwksRefetch });
  });

  it('reports every out-of-bounds or unknown tuning setting at once', () => {
    const jwksRefetch = { minIntervalSeconds: 0, timeoutMs: 1501, maxBytes: 2_000_000, retries: 3 };
    expect(parse({ jwksUri: 'https://id.example.test/jwks', jwksRefetch }).problems).toEqual([
      'jwt.jwksRefetch.retries is not a known setting',
      'jwt.jwksRefetch.minIntervalSeconds must be an integer from 1 to 3600',
      'jwt.jwksRefetch.timeoutMs must be an integer from 100 to 1500',
      'jwt.jwksRefetch.maxBytes must be an integer from 1024 to 1048576',
    ]);
  });

  it('refuses jwksRefetch without jwksUri', () => {
    expect(parse({ jwksRefetch: { timeoutMs: 500 } }).problems).toEqual(['jwt.jwksRefetch needs jwt.jwksUri']);
  });
});
