// Helpers for handler tests: run a viewer request through a World's handler and read the result, and an
// independent CloudFront verifier (common/cloudfront) over the world's public key.
import { createPublicKey } from 'node:crypto';
import type { CloudFrontRequest, CloudFrontRequestResult } from 'aws-lambda';
import { fromCloudFrontBase64 } from '../../common/cloudfront/base64.ts';
import { createVerifier } from '../../common/cloudfront/verify.ts';
import type { CloudFrontVerifier } from '../../common/cloudfront/verify.ts';
import { asResponse, setCookies, viewerRequest } from '../helpers/events.ts';
import type { Generated, ViewerRequestInput } from '../helpers/events.ts';
import type { CloudFrontKey, World } from './fixture.ts';

export async function run(world: World, input: ViewerRequestInput): Promise<CloudFrontRequestResult> {
  return world.handler(viewerRequest(input));
}

export async function respond(world: World, input: ViewerRequestInput): Promise<Generated> {
  const response = asResponse(await run(world, input));
  if (response === undefined) throw new Error('expected a generated response, got a pass-through');
  return response;
}

export async function pass(world: World, input: ViewerRequestInput): Promise<CloudFrontRequest> {
  const result = await run(world, input);
  if (result === undefined || result === null || 'status' in result) {
    throw new Error(`expected a pass-through, got ${JSON.stringify(asResponse(result))}`);
  }
  return result;
}

export function reasonOf(response: Generated): string {
  const html = /<code>([a-z_]+)<\/code>/.exec(response.body)?.[1];
  if (html !== undefined) return html;
  return (JSON.parse(response.body) as { reason: string }).reason;
}

/** The CloudFront-* cookies of a response as a name → value map (what the browser would send back). */
export function cloudFrontCookies(response: Generated): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, { value }] of setCookies(response)) if (name.startsWith('CloudFront-')) out[name] = value;
  return out;
}

export function independentVerifier(...keys: CloudFrontKey[]): CloudFrontVerifier {
  return createVerifier(new Map(keys.map((k) => [k.keyPairId, createPublicKey(k.publicKeyPem)])), { cacheEntries: 0 });
}

interface PolicyDocument {
  Statement: [{ Resource: string; Condition: { DateLessThan: { 'AWS:EpochTime': number } } }];
}

export function decodedPolicy(cookies: Record<string, string>): PolicyDocument {
  const bytes = fromCloudFrontBase64(cookies['CloudFront-Policy'] ?? '');
  if (bytes === undefined) throw new Error('no policy cookie');
  return JSON.parse(bytes.toString('utf8')) as PolicyDocument;
}
