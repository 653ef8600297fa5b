// Seeds the local S3 with the demo content on every start (idempotent: same keys, same bytes). Writes only to
// the local content bucket, through the SDK with the local credentials.
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { demoObjects } from './demo-content.ts';

export async function seedDemoContent(client: S3Client, bucket: string): Promise<number> {
  const objects = demoObjects();
  await Promise.all(
    objects.map((o) =>
      client.send(new PutObjectCommand({ Bucket: bucket, Key: o.key, Body: o.body, ContentType: o.contentType })),
    ),
  );
  return objects.length;
}
