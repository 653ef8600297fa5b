// The S3 gate checks its options up front: every problem reported at once, policies validated by the evaluator.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/errors.ts';
import { listenOn } from '../../local/listen.ts';
import { localS3Client } from '../../local/s3.ts';
import { createS3Gate } from '../../local/s3-gate/index.ts';
import {
  ACCOUNT,
  BUCKET,
  BUCKET_ARN,
  ROLE_ARN,
  SECURE_TRANSPORT,
  bucketPolicy,
  expectS3Error,
  keyPair,
  todaysRolePolicy,
} from './s3-gate-fixture.ts';

describe('createS3Gate options', () => {
  it('reports every problem at once', async () => {
    const keys = keyPair();
    const error = await createS3Gate({
      upstream: { host: '127.0.0.1', port: 0 },
      accountId: ACCOUNT,
      buckets: [
        {
          name: BUCKET,
          arn: 'arn:aws:s3:::another-bucket',
          policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allw', Action: 's3:GetObject', Resource: '*' }] },
          corsRules: [{ AllowedOrigins: ['https://*.*.example.test'], AllowedMethods: ['PATCH'] }],
        },
      ],
      principals: [
        { kind: 'role', arn: ROLE_ARN, ...keys, identityPolicies: [{ name: 'p', policy: todaysRolePolicy() }] },
        { kind: 'service', service: 'cloudfront', ...keys, sourceArn: 'ELOCAL' },
        {
          kind: 'service',
          service: 'cloudfront.amazonaws.com',
          accessKeyId: 'S3RVER',
          secretAccessKey: 'S3RVER',
          sourceArn: 'x',
        },
      ],
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'upstream.port must be a TCP port',
      `bucket ${BUCKET}: arn must be ${BUCKET_ARN}`,
      `bucket ${BUCKET} CORS rule 0: method PATCH is not allowed`,
      `bucket ${BUCKET} CORS rule 0: https://*.*.example.test has more than one *`,
      'cloudfront: access key id used by another principal',
      'cloudfront: not a service principal',
      'cloudfront: bad sourceArn',
      'cloudfront.amazonaws.com: bad sourceArn',
      'access key id S3RVER is already registered with s3rver (its dummy pair, or a gate not closed)',
      expect.stringMatching(/^bucket edgepass-media policy: .*Effect must be present and exactly/),
    ]);
  });

  it('answers an allowed request with 500 InternalError, and logs it, when s3rver is unreachable', async () => {
    const keys = keyPair();
    const logs: string[] = [];
    const gate = await createS3Gate({
      upstream: { host: '127.0.0.1', port: 9 }, // discard: nothing listens there
      accountId: ACCOUNT,
      buckets: [{ name: BUCKET, arn: BUCKET_ARN, policy: bucketPolicy(), corsRules: [] }],
      principals: [
        { kind: 'role', arn: ROLE_ARN, ...keys, identityPolicies: [{ name: 'p', policy: todaysRolePolicy() }] },
      ],
      context: SECURE_TRANSPORT,
      log: (line) => logs.push(line),
    });
    const client = localS3Client(
      `http://127.0.0.1:${await listenOn(gate.server, 0, '127.0.0.1', 'S3_GATE_PORT')}`,
      keys,
    );
    try {
      const call = client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'uploads/a.txt' }));
      await expectS3Error(call, 500, 'InternalError');
      expect(logs.at(-1)).toMatch(/ s3:GetObject OriginApiRole error 500 internal error Error$/);
    } finally {
      client.destroy();
      await gate.close();
    }
  });
});
