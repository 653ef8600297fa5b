// An independent SigV4 oracle for the tests: the AWS SDK's own @smithy/signature-v4 with node's SHA-256, used to
// check our hand-rolled signer byte for byte and, in the fake Secrets Manager, to verify incoming signatures.
import { SignatureV4 } from '@smithy/signature-v4';
import type { ChecksumConstructor } from '@smithy/types';
import { NodeSha256 } from '../../local/sigv4.ts';

export interface OracleRequest {
  readonly host: string;
  readonly path: string;
  /** Every header to sign (lower-case), without x-amz-date, x-amz-security-token and authorization. */
  readonly headers: Record<string, string>;
  readonly body: string;
}

export interface OracleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string | undefined;
}

/** The headers the SDK would send for this POST at `date`, including its Authorization. */
export async function oracleSign(
  request: OracleRequest,
  credentials: OracleCredentials,
  region: string,
  date: Date,
): Promise<Record<string, string>> {
  const creds = {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    ...(credentials.sessionToken === undefined ? {} : { sessionToken: credentials.sessionToken }),
  };
  // applyChecksum false: Secrets Manager requests carry no x-amz-content-sha256 header (only S3 needs it).
  const signer = new SignatureV4({
    credentials: creds,
    region,
    service: 'secretsmanager',
    sha256: NodeSha256 as unknown as ChecksumConstructor,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: 'https:',
      hostname: request.host,
      path: request.path,
      query: {},
      headers: { ...request.headers, host: request.host },
      body: request.body,
    },
    { signingDate: date },
  );
  return signed.headers;
}
