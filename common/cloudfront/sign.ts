// Mints CloudFront signatures, signed URLs and signed cookies from a Signer (private key held by the caller).
// Callers are trusted but fallible: anything our verifier or CloudFront would refuse is a TypeError here.
import { constants, sign } from 'node:crypto';
import { toCloudFrontBase64 } from './base64.ts';
import { isHashAlgorithm, keyKind } from './keys.ts';
import type { Signer } from './keys.ts';
import { cannedPolicy, maxPolicyBytes, parsePolicy } from './policy.ts';
import { assertMintableResource, assertWireUrl, matchesResource } from './resource.ts';
import { maxUrlLength, signingParamNames } from './signed-request.ts';

/** Signs the exact policy bytes: RSA PKCS#1 v1.5 or ECDSA P-256 (DER), over SHA-1 or SHA-256, CloudFront base64. */
export function signPolicy(signer: Signer, policy: string): string {
  const kind = keyKind(signer.privateKey);
  if (signer.privateKey.type !== 'private' || kind === undefined) {
    throw new TypeError('signer.privateKey must be an RSA-2048 or EC P-256 private key');
  }
  if (!isHashAlgorithm(signer.hashAlgorithm)) throw new TypeError('signer.hashAlgorithm must be SHA1 or SHA256');
  const bytes = Buffer.from(policy, 'utf8');
  const key =
    kind === 'rsa-2048'
      ? { key: signer.privateKey, padding: constants.RSA_PKCS1_PADDING }
      : { key: signer.privateKey, dsaEncoding: 'der' as const };
  return toCloudFrontBase64(sign(signer.hashAlgorithm === 'SHA256' ? 'sha256' : 'sha1', bytes, key));
}

/** A custom policy we are willing to sign: parseable by our verifier and not covering a whole host. */
function checkedCustomPolicy(policy: string): string {
  if (Buffer.byteLength(policy, 'utf8') > maxPolicyBytes) throw new TypeError(`policy exceeds ${maxPolicyBytes} bytes`);
  const parsed = parsePolicy(policy);
  if (parsed === undefined) throw new TypeError('policy is not a valid CloudFront custom policy');
  assertMintableResource(parsed.resource);
  return parsed.resource;
}

export type UrlPolicyOptions = { readonly expiresEpochSeconds: number } | { readonly policy: string };

/**
 * Appends the signing parameters to `url`, which is signed byte for byte as given: it must already be in wire form
 * (what the viewer sends; see toWireUrl). Order follows @aws-sdk/cloudfront-signer: Expires|Policy, Key-Pair-Id,
 * Signature, then Hash-Algorithm=SHA256 when SHA-256 is used (AWS Developer Guide, "Create a signed URL…").
 */
export function signedUrl(signer: Signer, url: string, options: UrlPolicyOptions): string {
  assertWireUrl(url);
  const queryStart = url.indexOf('?');
  if (queryStart === url.length - 1) throw new TypeError('url has an empty query string');
  const query = queryStart === -1 ? [] : url.slice(queryStart + 1).split('&');
  if (query.some((part) => signingParamNames.has(part.split('=', 1)[0] ?? ''))) {
    throw new TypeError('url already carries CloudFront signing parameters');
  }
  let head: string;
  let policy: string;
  if ('policy' in options) {
    policy = options.policy;
    if (!matchesResource(checkedCustomPolicy(policy), url)) throw new TypeError('policy resource does not cover url');
    head = `Policy=${toCloudFrontBase64(policy)}`;
  } else {
    policy = cannedPolicy(url, options.expiresEpochSeconds);
    head = `Expires=${options.expiresEpochSeconds}`;
  }
  const tail = signer.hashAlgorithm === 'SHA256' ? '&Hash-Algorithm=SHA256' : '';
  const params = `${head}&Key-Pair-Id=${signer.keyPairId}&Signature=${signPolicy(signer, policy)}${tail}`;
  const signed = `${url}${queryStart === -1 ? '?' : '&'}${params}`;
  if (signed.length > maxUrlLength) throw new TypeError(`signed url exceeds ${maxUrlLength} characters`);
  return signed;
}

export type CookiePolicyOptions =
  { readonly resource: string; readonly expiresEpochSeconds: number } | { readonly policy: string };

export interface SignedCookie {
  readonly name: string;
  readonly value: string;
}

/**
 * The CloudFront cookie name/value pairs for one policy (AWS Developer Guide, "Set signed cookies"). A canned cookie
 * only ever matches its exact URL, so a resource with `*` or `?` is refused: use a custom policy (aws-sdk-js-v3 #4516).
 */
export function signedCookies(signer: Signer, options: CookiePolicyOptions): SignedCookie[] {
  let policy: string;
  let first: SignedCookie;
  if ('policy' in options) {
    checkedCustomPolicy(options.policy);
    policy = options.policy;
    first = { name: 'CloudFront-Policy', value: toCloudFrontBase64(policy) };
  } else {
    if (/[*?]/.test(options.resource)) throw new TypeError('a canned cookie cannot carry a wildcard or query');
    policy = cannedPolicy(options.resource, options.expiresEpochSeconds);
    first = { name: 'CloudFront-Expires', value: String(options.expiresEpochSeconds) };
  }
  const cookies = [
    first,
    { name: 'CloudFront-Signature', value: signPolicy(signer, policy) },
    { name: 'CloudFront-Key-Pair-Id', value: signer.keyPairId },
  ];
  if (signer.hashAlgorithm === 'SHA256') cookies.push({ name: 'CloudFront-Hash-Algorithm', value: 'SHA256' });
  return cookies;
}
