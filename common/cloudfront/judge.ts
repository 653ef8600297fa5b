// The per-request judgement behind verify.ts: bounds, pieces, key, signature, then the policy's conditions.
// Trust boundary: every Presented field and the request URL are viewer input; keys and clock are the caller's.
import { verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Lru } from '../lru.ts';
import { fromCloudFrontBase64 } from './base64.ts';
import { cidrContains } from './ipv4.ts';
import { keyKind } from './keys.ts';
import type { HashAlgorithm, TrustedKeys } from './keys.ts';
import { canonicalCannedPolicy, maxPolicyBytes, parsePolicy } from './policy.ts';
import type { ParsedPolicy } from './policy.ts';
import { resourceMatcher } from './resource.ts';
import type { ResourceMatcher } from './resource.ts';
import type { Presented } from './signed-request.ts';

export type CloudFrontReason =
  | 'cf_missing_key'
  | 'cf_malformed'
  | 'cf_too_large'
  | 'cf_unknown_key'
  | 'cf_bad_signature'
  | 'cf_expired'
  | 'cf_not_yet_valid'
  | 'cf_resource_mismatch'
  | 'cf_ip_mismatch';

export type CloudFrontResult =
  | {
      readonly ok: true;
      readonly via: 'url' | 'cookies';
      readonly keyPairId: string;
      readonly expiresEpochSeconds: number;
    }
  | { readonly ok: false; readonly reason: CloudFrontReason };

export interface RequestFacts {
  /** `scheme://host/path[?query]` exactly as the viewer sent path and query. */
  readonly url: string;
  readonly clientIp: string;
  readonly nowEpochSeconds: number;
}

// Bounds checked before any decoding or crypto (the URL against maxUrlLength).
// Signature: RSA-2048 is 256 bytes → 344 base64 characters, the largest a trusted key can produce.
const maxPolicyText = Math.ceil(maxPolicyBytes / 3) * 4;
const maxSignatureText = 344;
const maxShortText = 128;
const expiresPattern = /^(0|[1-9][0-9]{0,14})$/;
// ignoreBOM keeps a leading BOM in the text, where JSON.parse refuses it (the signature covers the exact bytes).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export const deny = (reason: CloudFrontReason): CloudFrontResult => ({ ok: false, reason });

function tooLarge(p: Presented): boolean {
  return (
    (p.policy?.length ?? 0) > maxPolicyText ||
    (p.signature?.length ?? 0) > maxSignatureText ||
    (p.expires?.length ?? 0) > maxShortText ||
    (p.keyPairId?.length ?? 0) > maxShortText ||
    (p.hashAlgorithm?.length ?? 0) > maxShortText
  );
}

function hashOf(text: string | undefined): HashAlgorithm | undefined {
  return text === undefined || text === 'SHA1' ? 'SHA1' : text === 'SHA256' ? 'SHA256' : undefined;
}

/** The exact policy bytes the signature must cover, and what they say. */
interface DecodedPolicy {
  readonly bytes: Buffer;
  readonly parsed: ParsedPolicy;
}

function decodePolicy(p: Presented, resource: string): DecodedPolicy | undefined {
  if (p.expires !== undefined) {
    if (!expiresPattern.test(p.expires)) return undefined;
    const expires = Number(p.expires);
    const bytes = Buffer.from(canonicalCannedPolicy(resource, expires), 'utf8');
    return { bytes, parsed: { resource, dateLessThan: expires } };
  }
  const bytes = fromCloudFrontBase64(p.policy ?? '');
  if (bytes === undefined) return undefined;
  let json: string;
  try {
    json = utf8.decode(bytes);
  } catch {
    return undefined;
  }
  const parsed = parsePolicy(json);
  return parsed === undefined ? undefined : { bytes, parsed };
}

/** Keys are copied and checked once: RSA-2048 or P-256 public keys only (a private key is refused). */
export function importTrusted(trustedKeys: TrustedKeys): ReadonlyMap<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const [id, key] of trustedKeys) {
    if (keyKind(key) === undefined || key.type !== 'public')
      throw new TypeError('trusted keys must be RSA-2048 or P-256 public keys');
    keys.set(id, key);
  }
  return keys;
}

/**
 * Node's defaults are CloudFront's encodings: PKCS #1 v1.5 padding for RSA keys and DER for ECDSA signatures
 * (Node.js docs, crypto.verify), so the KeyObject is passed as it is, with no options object built per call.
 */
function checkSignature(key: KeyObject, hash: HashAlgorithm, policy: Buffer, signature: Buffer): boolean {
  try {
    return verify(hash === 'SHA256' ? 'sha256' : 'sha1', policy, key, signature);
  } catch {
    return false;
  }
}

function checkConditions(entry: VerifiedEntry, resource: string, facts: RequestFacts): CloudFrontReason | undefined {
  const policy = entry.parsed;
  if (facts.nowEpochSeconds >= policy.dateLessThan) return 'cf_expired';
  if (policy.dateGreaterThan !== undefined && facts.nowEpochSeconds < policy.dateGreaterThan) return 'cf_not_yet_valid';
  if (!entry.matches(resource)) return 'cf_resource_mismatch';
  if (policy.sourceIp !== undefined && !cidrContains(policy.sourceIp, facts.clientIp)) return 'cf_ip_mismatch';
  return undefined;
}

/** One verified credential, stored under the end of its signature text; all of it is compared on every hit. */
export interface VerifiedEntry {
  readonly signature: string;
  readonly keyPairId: string;
  readonly hash: HashAlgorithm;
  readonly policy: string | undefined;
  readonly expires: string | undefined;
  /** Canned policies only: their bytes follow from Expires and the resource. */
  readonly resource: string | undefined;
  readonly parsed: ParsedPolicy;
  /** The policy's Resource, prepared once. */
  readonly matches: ResourceMatcher;
}

// Cache key: the signature's last 24 characters (over 120 random bits for RSA and for DER ECDSA alike, whose first
// characters are a fixed header). Hashing them costs a fraction of hashing the 344-character text, which a hit then
// compares in full: another signature with the same ending is a miss, verified in full, and stored only if valid.
const CACHE_KEY_CHARS = 24;
const cacheKey = (signature: string): string => signature.slice(-CACHE_KEY_CHARS);

export interface JudgeContext {
  readonly keys: ReadonlyMap<string, KeyObject>;
  readonly cache: Lru<string, VerifiedEntry> | undefined;
}

/**
 * One presented credential set against one request: sizes, pieces, key, signature (or a cache hit), then dates,
 * resource and IP. The order keeps crypto behind cheap checks and conditions behind a proven signature.
 */
export function judge(
  ctx: JudgeContext,
  p: Presented,
  resource: string,
  facts: RequestFacts,
  via: 'url' | 'cookies',
): CloudFrontResult {
  if (tooLarge(p)) return deny('cf_too_large');
  if (p.keyPairId === undefined) return deny('cf_missing_key');
  const hash = hashOf(p.hashAlgorithm);
  if (p.signature === undefined || (p.expires === undefined) === (p.policy === undefined) || hash === undefined) {
    return deny('cf_malformed');
  }
  const trusted = ctx.keys.get(p.keyPairId);
  if (trusted === undefined) return deny('cf_unknown_key');
  // A signature presented with any other key, hash or policy is a miss and verified in full; canonical base64 makes
  // equal texts equal bytes.
  const canned = p.expires === undefined ? undefined : resource;
  const key = cacheKey(p.signature);
  const cached = ctx.cache?.get(key);
  const same =
    cached?.signature === p.signature &&
    cached.keyPairId === p.keyPairId &&
    cached.hash === hash &&
    cached.policy === p.policy &&
    cached.expires === p.expires &&
    cached.resource === canned;
  let entry = same ? cached : undefined;
  if (entry === undefined) {
    const policy = decodePolicy(p, resource);
    const signature = fromCloudFrontBase64(p.signature);
    if (policy === undefined || signature === undefined) return deny('cf_malformed');
    if (!checkSignature(trusted, hash, policy.bytes, signature)) return deny('cf_bad_signature');
    const { parsed } = policy;
    entry = {
      signature: p.signature,
      keyPairId: p.keyPairId,
      hash,
      policy: p.policy,
      expires: p.expires,
      resource: canned,
      parsed,
      matches: resourceMatcher(parsed.resource),
    };
    ctx.cache?.set(key, entry);
  }
  const failed = checkConditions(entry, resource, facts);
  if (failed !== undefined) return deny(failed);
  return { ok: true, via, keyPairId: p.keyPairId, expiresEpochSeconds: entry.parsed.dateLessThan };
}
