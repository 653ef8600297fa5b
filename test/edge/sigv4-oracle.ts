// An independent SigV4 oracle for the tests: the AWS SDK's own @smithy/signature-v4 with node's SHA-256, used to
// check our hand-rolled signer byte for byte and, in the fake Secrets Manager, to verify incoming signatures.
import { createHash, createHmac } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ChecksumConstructor } from '@smithy/types';

class NodeSha256 {
  readonly #secret: string | Uint8Array | undefined;
  #hash: Hash | ReturnType<typeof createHmac>;

  constructor(secret?: string | Uint8Array) {
    this.#secret = secret;
    this.#hash = this.#fresh();
  }

  #fresh() {
    return this.#secret === undefined ? createHash('sha256') : createHmac('sha256', this.#secret);
  }

  update(data: string | Uint8Array): void {
    this.#hash.update(data);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.#hash.digest()));
  }

  reset(): void {
    this.#hash = this.#fresh();
  }
}

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
