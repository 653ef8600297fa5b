// Test helper: a real, signature-checking S3 stand-in (@20minutes/s3rver 4.x) on a free loopback port.
// Trust boundary: loopback only, a fresh temp directory per start, removed again by stop().
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** s3rver's fixed dummy account: it verifies SigV4 against this pair (lib/models/account.js). */
const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface StartS3Options {
  /** Buckets created before the server answers (s3rver mishandles the SDK's bucket-level calls). */
  readonly buckets: readonly string[];
}

export interface LocalS3 {
  /** `http://127.0.0.1:<port>`: use with `forcePathStyle: true`. */
  readonly endpoint: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly directory: string;
  stop(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

// s3rver is CommonJS without type declarations: load it through require and describe the two methods we use.
const S3rver = createRequire(import.meta.url)('@20minutes/s3rver') as S3rverConstructor;

export async function startS3({ buckets }: StartS3Options): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), 'edgepass-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
  let stopped = false;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    credentials: S3RVER_CREDENTIALS,
    directory,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
