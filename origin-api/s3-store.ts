// The ObjectStore port over the AWS SDK: presigned PUT/POST/GET plus head, list and delete on one bucket.
// Trust boundary: holds AWS credentials (from the Lambda role or, locally, the s3rver pair); presigned URLs it returns
// go only into response bodies and Location headers.
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ObjectStore, OriginApiOptions } from './core/types.ts';
import { stripBucketSlash } from './s3rver-compat.ts';

export interface StoreCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * `requestChecksumCalculation: 'WHEN_REQUIRED'`: by default the SDK presigns a CRC32 of the empty body, which real
 * S3 rejects on upload (aws-sdk-js-v3 #6994). A local endpoint needs path-style addressing (no bucket DNS names).
 */
function clientConfig(options: OriginApiOptions, credentials: StoreCredentials | undefined): S3ClientConfig {
  return {
    region: options.region,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint, forcePathStyle: true }),
    ...(credentials === undefined ? {} : { credentials }),
  };
}

const isNotFound = (error: unknown): boolean =>
  (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode === 404;

// The signed headers of a presigned PUT: S3 then refuses a body of another size or type (SigV4 signs headers).
const PUT_SIGNED_HEADERS = new Set(['content-type', 'content-length']);

type Presigners = Pick<ObjectStore, 'presignPut' | 'presignGet' | 'presignPost'>;
type Operations = Pick<ObjectStore, 'exists' | 'list' | 'delete'>;

function presigners(Bucket: string, client: S3Client, postClient: S3Client): Presigners {
  return {
    presignPut: ({ key, contentType, contentLength, expiresInSeconds, nowMs }) =>
      getSignedUrl(
        client,
        new PutObjectCommand({ Bucket, Key: key, ContentType: contentType, ContentLength: contentLength }),
        { expiresIn: expiresInSeconds, signingDate: new Date(nowMs), signableHeaders: PUT_SIGNED_HEADERS },
      ),
    presignGet: ({ key, expiresInSeconds, nowMs }) =>
      getSignedUrl(client, new GetObjectCommand({ Bucket, Key: key }), {
        expiresIn: expiresInSeconds,
        signingDate: new Date(nowMs),
      }),
    presignPost: ({ key, contentType, maxBytes, expiresInSeconds, nowMs }) => {
      postClient.config.systemClockOffset = nowMs - Date.now();
      // Conditions S3 enforces on the form upload (S3 API Reference, "Creating a POST policy").

      return createPresignedPost(postClient, {
        Bucket,
        Key: key,
        Expires: expiresInSeconds,
        Fields: { 'Content-Type': contentType },
        Conditions: [
          ['content-length-range', 1, maxBytes],
          ['eq', '$Content-Type', contentType],
        ],
      });
    },
  };
}

function operations(Bucket: string, client: S3Client): Operations {
  return {
    exists: async (key) => {
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return true;
      } catch (error) {
        if (isNotFound(error)) return false;
        throw error;
      }
    },
    // ListObjects (v1) with Marker rather than V2 continuation tokens: s3rver 4 builds those with DES, which
    // OpenSSL 3 (Node >= 17) refuses, so every truncated V2 listing fails locally. Real S3 serves both alike.
    list: async ({ prefix, maxKeys, startAfter }) => {
      const out = await client.send(
        new ListObjectsCommand({ Bucket, Prefix: prefix, MaxKeys: maxKeys, Marker: startAfter }),
      );
      const objects = (out.Contents ?? []).flatMap((o) =>
        o.Key === undefined ? [] : [{ key: o.Key, size: o.Size ?? 0, lastModifiedMs: o.LastModified?.getTime() ?? 0 }],
      );
      return { objects, truncated: out.IsTruncated === true };
    },
    delete: async (key) => {
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
  };
}

export function createS3Store(options: OriginApiOptions, credentials?: StoreCredentials): ObjectStore {
  const client = new S3Client(clientConfig(options, credentials));
  // createPresignedPost reads the time from Date.now() + systemClockOffset and takes no signing date, so it gets
  // its own client whose offset is set, synchronously before each call, to honour the injected clock.
  // Versions: @aws-sdk/s3-presigned-post 3.1164 pins its own client-s3 copy, a distinct class to the linter; it
  // only reads `client.config`, which ours provides (aligning the versions would drop the duplicate).
  const postClient = new S3Client(clientConfig(options, credentials));
  if (options.endpoint !== undefined) {
    client.middlewareStack.add(stripBucketSlash(options.bucket), stripBucketSlash.step);
  }
  return { ...presigners(options.bucket, client, postClient), ...operations(options.bucket, client) };
}
