// Peer bundle for the cold-start comparison: the naive authorizer a user might write from the jose and
// @aws-sdk/cloudfront-signer samples (verify on every request, PEM passed per call). Config is baked by esbuild.
import { getSignedCookies } from '@aws-sdk/cloudfront-signer';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { JSONWebKeySet } from 'jose';
import type { CloudFrontRequestEvent } from 'aws-lambda';

interface NaiveConfig {
  readonly issuer: string;
  readonly audience: string;
  readonly jwks: JSONWebKeySet;
  readonly keyPairId: string;
  readonly privateKeyPem: string;
  readonly domain: string;
  readonly prefix: string;
}

declare const NAIVE_CONFIG: NaiveConfig;
const config = NAIVE_CONFIG;
const jwks = createLocalJWKSet(config.jwks);

function sessionToken(event: CloudFrontRequestEvent): string | undefined {
  const header = event.Records[0]?.cf.request.headers['cookie']?.[0]?.value ?? '';
  return /(?:^|;\s*)session=([^;]+)/.exec(header)?.[1];
}

export async function handler(event: CloudFrontRequestEvent): Promise<unknown> {
  const request = event.Records[0]?.cf.request;
  const token = sessionToken(event);
  if (request === undefined || token === undefined) return { status: '401', statusDescription: 'Unauthorized' };
  const { payload } = await jwtVerify(token, jwks, { issuer: config.issuer, audience: config.audience });
  const attraction = request.uri.slice(config.prefix.length).split('/')[0] ?? '';
  const tickets = Array.isArray(payload['tickets']) ? (payload['tickets'] as unknown[]) : [];
  if (!tickets.includes(attraction)) return { status: '403', statusDescription: 'Forbidden' };
  const exp = Math.floor(Date.now() / 1000) + 3600;
  const Resource = `https://${config.domain}${config.prefix}${attraction}/*`;
  const policy = JSON.stringify({ Statement: [{ Resource, Condition: { DateLessThan: { 'AWS:EpochTime': exp } } }] });
  const cookies = getSignedCookies({ policy, keyPairId: config.keyPairId, privateKey: config.privateKeyPem });
  const setCookie = Object.entries(cookies).map(([name, value]) => ({ key: 'Set-Cookie', value: `${name}=${value}` }));
  return { status: '302', headers: { location: [{ key: 'Location', value: request.uri }], 'set-cookie': setCookie } };
}
