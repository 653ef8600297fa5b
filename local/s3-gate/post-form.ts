// Browser POST uploads (S3 API Reference, "Browser-Based Uploads Using POST (AWS Signature Version 4)"): the body is
// buffered up to a bound and read with s3rver's own multipart parser, so the gate authorises the very key s3rver
// stores. Trust boundary: s3rver never verifies POST signatures, so the gate does it here before trusting a credential.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { createRequire } from 'node:module';
import { INVALID_ACCESS_KEY, POLICY_EXPIRED, SIGNATURE_MISMATCH } from './s3-errors.ts';
import type { S3ErrorSpec } from './s3-errors.ts';

interface Busboy {
  on(event: 'field', listener: (name: string, value: string) => void): this;
  on(event: 'file', listener: (name: string, stream: NodeJS.ReadableStream, info: { filename?: string }) => void): this;
  on(event: 'close', listener: () => void): this;
  on(event: 'error', listener: (error: unknown) => void): this;
  end(chunk: Buffer): void;
}
type BusboyFactory = (options: { headers: http.IncomingHttpHeaders }) => Busboy;
// The busboy that s3rver itself resolves (lib/controllers/object.js), not a copy that might parse differently.
const s3rverRequire = createRequire(createRequire(import.meta.url).resolve('@20minutes/s3rver'));
const busboy = s3rverRequire('busboy') as BusboyFactory;

export interface FormFields {
  /** The `key` field as s3rver reads it: exact name, the last one before the file. */
  readonly key: string | undefined;
  /** Other fields before the file, by lower-cased name (S3's form field names are case-insensitive). */
  readonly fields: ReadonlyMap<string, string>;
}

/** Fields before the first `file` part, as s3rver's postObject reads them; undefined if not well-formed. */
export function parseForm(body: Buffer, headers: http.IncomingHttpHeaders): Promise<FormFields | undefined> {
  return new Promise((resolve) => {
    let key: string | undefined;
    const fields = new Map<string, string>();
    let sawFile = false;
    let parser: Busboy;
    try {
      parser = busboy({ headers });
    } catch {
      resolve(undefined);
      return;
    }
    parser.on('field', (name, value) => {
      if (sawFile) return;
      if (name === 'file') sawFile = true;
      else if (name === 'key') key = value;
      else fields.set(name.toLowerCase(), value);
    });
    parser.on('file', (name, stream) => {
      stream.resume();
      if (name === 'file') sawFile = true;
    });
    parser.on('error', () => {
      resolve(undefined);
    });
    parser.on('close', () => {
      resolve({ key, fields });
    });
    parser.end(body);
  });
}

export type PostAuth =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'signed'; readonly accessKeyId: string }
  | { readonly kind: 'refused'; readonly error: S3ErrorSpec };

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/**
 * "For signature calculation the POST policy is the string to sign", with the SigV4 signing key of the credential's
 * scope (API Reference, "Authenticating Requests: Browser-Based Uploads Using POST"). The policy's expiration is
 * checked too; its conditions are not (s3rver does not enforce them either): a known local gap.
 */
export function verifyPostAuth(
  fields: ReadonlyMap<string, string>,
  secretOf: (accessKeyId: string) => string | undefined,
  nowMs: number,
): PostAuth {
  const credential = fields.get('x-amz-credential');
  const signature = fields.get('x-amz-signature');
  const policy = fields.get('policy');
  if (credential === undefined && signature === undefined && policy === undefined) return { kind: 'anonymous' };
  const [accessKeyId = '', date = '', region = '', service = '', terminal] = (credential ?? '').split('/');
  const secret = secretOf(accessKeyId);
  if (secret === undefined) return { kind: 'refused', error: INVALID_ACCESS_KEY };
  if (fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256' || terminal !== 'aws4_request' || policy === undefined) {
    return { kind: 'refused', error: SIGNATURE_MISMATCH };
  }
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  const expected = Buffer.from(createHmac('sha256', signingKey).update(policy, 'utf8').digest('hex'));
  const given = Buffer.from(signature ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { kind: 'refused', error: SIGNATURE_MISMATCH };
  }
  const expiresMs = policyExpiryMs(policy);
  // NaN (an unparseable date) fails this test too.
  if (expiresMs === undefined || !(expiresMs > nowMs)) return { kind: 'refused', error: POLICY_EXPIRED };
  return { kind: 'signed', accessKeyId };
}

function policyExpiryMs(policy: string): number | undefined {
  try {
    const document = JSON.parse(Buffer.from(policy, 'base64').toString('utf8')) as { expiration?: unknown };
    return typeof document.expiration === 'string' ? Date.parse(document.expiration) : undefined;
  } catch {
    return undefined;
  }
}
