// Test fixtures for the origin API: generated keys, token signing, a raw config document, and an app wired to a
// real s3rver. Nothing here is a stub: tokens are verified by common/jwt, presigned URLs are checked by s3rver.
import { SignJWT } from 'jose';
import type { JWTPayload } from 'jose';
import { createOriginApp } from '../../origin-api/app.ts';
import type { OriginApp } from '../../origin-api/app.ts';
import { parseOriginConfig } from '../../origin-api/config.ts';
import { generateKeyPair } from '../../common/keypair.ts';
import type { OriginConfig } from '../../origin-api/config.ts';
import type { ApiRequest, LogFields, Logger } from '../../origin-api/core/types.ts';
import type { LocalS3 } from '../helpers/s3.ts';

export const ISSUER = 'https://id.example.test/';
/** A second trusted issuer with its own key: its users must never meet the first issuer's. */
export const PARTNER = 'https://partner.example.test/';
const AUDIENCE = 'edgepass-demo';
const BUCKET = 'media';
export const MAX_PASSPORT_BYTES = 5_000_000;

const signing = generateKeyPair('ec-p256');
export const otherKey = generateKeyPair('ec-p256').privateKey;
const publicJwk = { ...signing.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'ES256', use: 'sig' };
const partner = generateKeyPair('ec-p256');
const partnerJwk = { ...partner.publicKey.export({ format: 'jwk' }), kid: 'p1', alg: 'ES256', use: 'sig' };

export function rawConfig(
  originApi: Record<string, unknown> = {},
  top: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    jwt: [
      { issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256'], jwks: { keys: [publicJwk] } },
      { issuer: PARTNER, audience: AUDIENCE, algorithms: ['ES256'], jwks: { keys: [partnerJwk] } },
    ],
    originApi: {
      bucket: BUCKET,
      region: 'us-east-1',
      purposes: {
        passport: { contentTypes: ['image/jpeg', 'image/png'], maxBytes: MAX_PASSPORT_BYTES },
        avatar: { contentTypes: ['image/webp'], maxBytes: 100_000 },
      },
      ...originApi,
    },
    // The edge's sections share the document; the origin API must ignore them.
    edge: { anything: true },
    ...top,
  };
}

function config(originApi: Record<string, unknown> = {}, top: Record<string, unknown> = {}): OriginConfig {
  return parseOriginConfig(rawConfig(originApi, top));
}

export interface TokenSpec {
  readonly sub?: unknown;
  readonly nowMs: number;
  readonly claims?: JWTPayload;
  readonly key?: Parameters<SignJWT['sign']>[0];
  readonly omitSub?: boolean;
  /** Sign as the partner issuer, with its own key. */
  readonly partner?: boolean;
}

export async function signToken(spec: TokenSpec): Promise<string> {
  const { sub = 'alice', nowMs, claims = {}, omitSub = false, partner: asPartner = false } = spec;
  const nowS = Math.floor(nowMs / 1000);
  const iss = asPartner ? PARTNER : ISSUER;
  // `sub` may be deliberately malformed (a number, too long) or absent, to test the subject checks.
  const payload: Record<string, unknown> = { iss, aud: AUDIENCE, iat: nowS - 10, exp: nowS + 300, ...claims };
  if (!omitSub) payload.sub = sub;
  const key = spec.key ?? (asPartner ? partner.privateKey : signing.privateKey);
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: asPartner ? 'p1' : 'k1' }).sign(key);
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Every log line, kept so that tests can assert nothing secret was written. */
export function memoryLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (event: string, fields: LogFields) => {
    lines.push(JSON.stringify({ level, event, ...fields }));
  };
  return { lines, info: write('info'), error: write('error') };
}

let counter = 0;
const sequentialIds = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

export interface AppSpec {
  readonly s3: LocalS3;
  readonly nowMs: number;
  readonly logger?: Logger;
  readonly originApi?: Record<string, unknown>;
  /** The document's top-level appOrigins (CORS). */
  readonly appOrigins?: readonly string[];
}

/** The real app (verifier + S3 store + core) against the test's s3rver, at a frozen time. */
export function appFor({ s3, nowMs, logger = memoryLogger(), originApi = {}, appOrigins }: AppSpec): OriginApp {
  const cfg = config({ endpoint: s3.endpoint, ...originApi }, appOrigins === undefined ? {} : { appOrigins });
  return createOriginApp(cfg, { credentials: s3.credentials, clock: () => nowMs, newId: sequentialIds, logger });
}

export interface RequestSpec {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly json?: unknown;
  readonly body?: string;
}

export function apiRequest({ method = 'GET', path, headers = {}, json, body }: RequestSpec): ApiRequest {
  const [pathname = '', search = ''] = path.split('?');
  const text = json === undefined ? body : JSON.stringify(json);
  const contentType = json === undefined ? {} : { 'content-type': 'application/json' };
  return {
    method,
    path: pathname,
    query: new URLSearchParams(search),
    headers: { ...contentType, ...headers },
    body: text === undefined ? undefined : new TextEncoder().encode(text),
    requestId: 'test-request',
  };
}

export const passportUpload = (over: Record<string, unknown> = {}) => ({
  contentType: 'image/jpeg',
  contentLength: 1234,
  filename: 'passport.jpg',
  purpose: 'passport',
  ...over,
});

export const parseBody = (body: string): Record<string, unknown> => JSON.parse(body) as Record<string, unknown>;
