// Our hand-rolled SigV4 (edge/key-source/sigv4.ts) against the AWS SDK's signer for the same request and date.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signJsonPost } from '../../edge/key-source/sigv4.ts';
import { oracleSign } from './sigv4-oracle.ts';

const request = (body: string, host = 'secretsmanager.eu-west-1.amazonaws.com') => ({
  host,
  path: '/',
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
  body,
});

const credentials = (sessionToken: string | undefined) => ({
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken,
});

async function both(body: string, nowMs: number, region: string, sessionToken: string | undefined) {
  const req = request(body);
  const endpoint = [req.host, region, 'secretsmanager', 'secretsmanager.GetSecretValue'] as const;
  const ours = signJsonPost(endpoint, body, credentials(sessionToken), nowMs);
  const theirs = await oracleSign(req, credentials(sessionToken), region, new Date(nowMs));
  return { ours, theirs };
}

describe('SigV4 for GetSecretValue', () => {
  it("produces the SDK signer's exact headers for a session-token request", async () => {
    const body = JSON.stringify({ SecretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:cf-key-AbCdEf' });
    const { ours, theirs } = await both(
      body,
      Date.UTC(2026, 0, 2, 3, 4, 5, 678),
      'eu-west-1',
      'IQoJb3JpZ2luX2VjE//token=',
    );
    expect(ours).toEqual(theirs);
    expect(ours['authorization']).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/20260102\/eu-west-1\/secretsmanager\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/,
    );
  });

  it('matches without a session token', async () => {
    const { ours, theirs } = await both('{"SecretId":"x"}', Date.UTC(2030, 11, 31, 23, 59, 59), 'us-east-1', undefined);
    expect(ours).toEqual(theirs);
    expect(ours['x-amz-security-token']).toBeUndefined();
  });

  it('matches the SDK for any body, date, region and token', async () => {
    const region = fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-gov-west-1');
    const date = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 0, 1) });
    const token = fc.option(fc.base64String({ minLength: 4, maxLength: 400 }), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), date, region, token, async (body, nowMs, reg, tok) => {
        const { ours, theirs } = await both(body, nowMs, reg, tok);
        expect(ours).toEqual(theirs);
      }),
      { numRuns: 60 },
    );
  });

  it('changes the signature when any signed input changes', async () => {
    const nowMs = Date.UTC(2026, 0, 2);
    const base = await both('{"SecretId":"a"}', nowMs, 'eu-west-1', 't');
    const other = await both('{"SecretId":"b"}', nowMs, 'eu-west-1', 't');
    const later = await both('{"SecretId":"a"}', nowMs + 1000, 'eu-west-1', 't');
    expect(other.ours['authorization']).not.toBe(base.ours['authorization']);
    expect(later.ours['authorization']).not.toBe(base.ours['authorization']);
  });
});
