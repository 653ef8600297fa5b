// AWS Signature Version 4 for the one request the edge sends (a JSON 1.1 POST to "/"), over node:crypto: canonical
// request, string to sign, derived key, Authorization (IAM User Guide, "Create a signed AWS API request").
// Pure: credentials and the clock are arguments; the result holds a signature, so it is never logged.
import { createHash, createHmac } from 'node:crypto';
import type { AwsCredentials } from './types.ts';

/** Where the request goes: `target` is the X-Amz-Target, e.g. secretsmanager.GetSecretValue. */
export type Endpoint = readonly [host: string, region: string, service: string, target: string];

const ALGORITHM = 'AWS4-HMAC-SHA256';
const hash = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** Every header to send (host included), with `authorization` last. */
export function signJsonPost(
  [host, region, service, target]: Endpoint,
  body: string,
  credentials: AwsCredentials,
  nowMs: number,
): Record<string, string> {
  // ISO 8601 basic format: 20260102T030405Z.
  const stamp = new Date(nowMs).toISOString().replace(/[-:]|\.\d+/g, '');
  const { sessionToken, accessKeyId, secretAccessKey } = credentials;
  // Inserted in the sorted order the canonical request needs; none of the values has spaces to fold.
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    host,
    'x-amz-date': stamp,
    ...(sessionToken === undefined ? {} : { 'x-amz-security-token': sessionToken }),
    'x-amz-target': target,
  };
  const names = Object.keys(headers);
  const signed = names.join(';');
  const lines = names.map((name) => `${name}:${headers[name] ?? ''}\n`).join('');
  const scope = `${stamp.slice(0, 8)}/${region}/${service}/aws4_request`;
  const toSign = `${ALGORITHM}\n${stamp}\n${scope}\n${hash(`POST\n/\n\n${lines}\n${signed}\n${hash(body)}`)}`;
  const key = scope.split('/').reduce<Buffer | string>((k, part) => hmac(k, part), `AWS4${secretAccessKey}`);
  const signature = hmac(key, toSign).toString('hex');
  headers['authorization'] =
    `${ALGORITHM} Credential=${accessKeyId}/${scope}, SignedHeaders=${signed}, Signature=${signature}`;
  return headers;
}
