// The local S3 for `npm start`: @20minutes/s3rver 4.x (verifies SigV4) on loopback, data kept in the git-ignored
// state folder so uploads survive a restart. Tests use test/helpers/s3.ts (a throwaway directory) instead.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { S3Client } from '@aws-sdk/client-s3';
import { EdgepassError } from '../common/errors.ts';
import { LOCAL_DEPLOY_REGION } from './template/synth.ts';

/** s3rver's fixed dummy account: it verifies SigV4 against this pair (not a secret; loopback only). */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;
// s3rver is CommonJS without type declarations: load it through require and describe the two methods we use.
const S3rver = createRequire(import.meta.url)('@20minutes/s3rver') as S3rverConstructor;

export interface LocalS3Server {
  readonly endpoint: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Buckets are created by s3rver itself (`configureBuckets`): its bucket-level API trips on the SDK's calls. */
export async function startLocalS3(options: {
  directory: string;
  port: number;
  buckets: readonly { name: string; configs?: readonly string[] }[];
}): Promise<LocalS3Server> {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    port: options.port,
    address: '127.0.0.1',
    silent: true,
    directory: options.directory,
    configureBuckets: options.buckets.map((b) => ({ name: b.name, configs: b.configs ?? [] })),
  });
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    // The stack always asks for a free port (S3_PORT is the gate's): only a caller's fixed port can be taken.
    const hint = `port ${options.port} (s3rver) is in use on 127.0.0.1; choose a free port, or 0 to pick one`;
    throw new EdgepassError('port_in_use', hint);
  }
  return { endpoint: `http://127.0.0.1:${address.port}`, port: address.port, close: () => server.close() };
}

/**
 * A path-style client for the local S3. Checksums only when required: by default the SDK presigns a CRC32 of the
 * empty body (aws-sdk-js-v3 #6994; reference "S3 presigned URLs").
 */
export function localS3Client(
  endpoint: string,
  credentials: { readonly accessKeyId: string; readonly secretAccessKey: string } = LOCAL_S3_CREDENTIALS,
): S3Client {
  return new S3Client({
    endpoint,
    region: LOCAL_DEPLOY_REGION,
    forcePathStyle: true,
    credentials: { ...credentials },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
