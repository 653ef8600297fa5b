// parseConfig for the Secrets Manager key mode: exactly one key source, the secret's ARN shape and region, and the
// signer's public key required (verification must work before the secret arrives); all problems at once.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/errors.ts';
import { parseConfig } from '../../edge/config.ts';
import { createIdp } from '../helpers/tokens.ts';
import { cloudFrontKey, rawConfig } from './fixture.ts';

const cf = cloudFrontKey();
const other = cloudFrontKey();
const ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:edgepass/cf-key-AbC123';
const base = rawConfig(createIdp(), cf);
const secretSigner = (extra: Record<string, unknown> = {}) => ({
  keyPairId: cf.keyPairId,
  privateKeySecret: { secretId: ARN, region: 'us-east-1' },
  publicKeyPem: cf.publicKeyPem,
  ...extra,
});

function problemsOf(signer: unknown): readonly string[] {
  try {
    parseConfig({ ...base, signer });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('signer.privateKeySecret', () => {
  it('accepts a secret ARN with its region and the signer public key', () => {
    const { signer } = parseConfig({ ...base, signer: secretSigner() });
    expect(signer).toEqual({
      keyPairId: cf.keyPairId,
      hashAlgorithm: 'SHA1',
      privateKeySecret: { secretId: ARN, region: 'us-east-1' },
      publicKeyPem: cf.publicKeyPem,
    });
  });

  it.each([
    ['both key sources', secretSigner({ privateKeyPem: cf.privateKeyPem }), 'exactly one of privateKeyPem'],
    ['no public key', secretSigner({ publicKeyPem: undefined }), 'signer.publicKeyPem is required'],
    [
      'a private key as public key',
      secretSigner({ publicKeyPem: other.privateKeyPem }),
      'signer.publicKeyPem must be a public key',
    ],
    ['a name, not an ARN', secretSigner({ privateKeySecret: { secretId: 'cf-key', region: 'us-east-1' } }), 'ARN'],
    [
      'a non-secret ARN',
      secretSigner({ privateKeySecret: { secretId: ARN.replace('secretsmanager', 'ssm'), region: 'us-east-1' } }),
      'ARN',
    ],
    [
      'another region',
      secretSigner({ privateKeySecret: { secretId: ARN, region: 'eu-west-1' } }),
      'region named in the secret ARN',
    ],
    [
      'an unknown key',
      secretSigner({ privateKeySecret: { secretId: ARN, region: 'us-east-1', endpoint: 'http://x' } }),
      'endpoint is not a known',
    ],
    [
      'a public key beside a baked key',
      { keyPairId: cf.keyPairId, privateKeyPem: cf.privateKeyPem, publicKeyPem: cf.publicKeyPem },
      'only for privateKeySecret',
    ],
  ])('refuses %s', (_name, signer, expected) => {
    expect(problemsOf(signer).join('\n')).toContain(expected);
  });

  it('reports every problem at once, never quoting key material', () => {
    const problems = problemsOf({
      keyPairId: 'lower',
      privateKeySecret: { secretId: 'nope', region: 'mars' },
      publicKeyPem: other.privateKeyPem,
    });
    expect(problems.length).toBeGreaterThanOrEqual(4);
    expect(problems.join('\n')).not.toContain(other.privateKeyPem.slice(40, 80));
  });
});
