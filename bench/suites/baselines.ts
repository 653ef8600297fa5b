// Baselines measured in the same run as the edge: the naive authorizer (jose jwtVerify + @aws-sdk/cloudfront-signer
// on every request, as the AWS and jose samples do) and the floor (one raw jwtVerify, one raw crypto.verify).
import { verify } from 'node:crypto';
import { getSignedCookies, getSignedUrl } from '@aws-sdk/cloudfront-signer';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { BenchCase } from '../measure.ts';
import { AUDIENCE, DOMAIN, ISSUER, TICKET_CLAIM } from '../fixtures/config.ts';
import type { Inputs } from '../fixtures/inputs.ts';
import { OBJECTS } from '../fixtures/inputs.ts';
import { attractionPolicy, objectUri } from '../fixtures/signed.ts';

const verifyOptions = { issuer: ISSUER, audience: AUDIENCE, algorithms: ['RS256'], requiredClaims: ['exp'] };

const isObject = (v: unknown): string | undefined => (typeof v === 'object' && v !== null ? undefined : 'no object');
const isTrue = (v: unknown): string | undefined => (v === true ? undefined : 'signature did not verify');

/** CloudFront base64 (`-`, `_`, `~`) back to bytes: the one transformation the raw floor cannot skip. */
function signatureBytes(signature: string): Buffer {
  return Buffer.from(signature.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/'), 'base64');
}

function naiveCases(inputs: Inputs): BenchCase[] {
  // Module-scope work a naive function would still do once: the JWKS. The PEM is passed per call, as in the samples.
  const jwks = createLocalJWKSet({ keys: [inputs.keys.jwt.jwk] });
  const { keyPairId, privateKeyPem } = inputs.keys.cloudFront;
  const exp = inputs.nowS + 3600;
  const n = inputs.tokens.length;
  return [
    {
      id: 'naive.mint.browser',
      label: 'naive browser mint (jwtVerify + getSignedCookies)',
      inputs: Infinity,
      op: async (i) => {
        const { payload } = await jwtVerify(inputs.tokens[i % n]!, jwks, verifyOptions);
        const tickets = payload[TICKET_CLAIM] as string[];
        const policy = attractionPolicy(tickets[0]!, exp);
        return getSignedCookies({ policy, keyPairId, privateKey: privateKeyPem });
      },
      check: isObject,
    },
    {
      id: 'naive.mint.app',
      label: 'naive app mint (jwtVerify + getSignedUrl)',
      inputs: Infinity,
      op: async (i) => {
        const { payload } = await jwtVerify(inputs.tokens[i % n]!, jwks, verifyOptions);
        const tickets = payload[TICKET_CLAIM] as string[];
        const url = `https://${DOMAIN}${objectUri(tickets[0]!, i % OBJECTS)}`;
        return getSignedUrl({ url, keyPairId, privateKey: privateKeyPem, dateLessThan: new Date(exp * 1000) });
      },
      check: (v) => (typeof v === 'string' ? undefined : 'no URL'),
    },
  ];
}

function floorCases(inputs: Inputs): BenchCase[] {
  const publicJwtKey = inputs.keys.jwt.publicKey;
  const cfKey = inputs.keys.cloudFront.publicKey;
  const n = inputs.tokens.length;
  const signed = inputs.cookieRequests.map((r) => ({ policy: Buffer.from(r.policy), signature: r.signature }));
  return [
    {
      id: 'floor.jwtVerify',
      label: 'floor: one jose jwtVerify (RS256)',
      inputs: Infinity,
      op: async (i) => (await jwtVerify(inputs.tokens[i % n]!, publicJwtKey, verifyOptions)).payload,
      check: isObject,
    },
    {
      id: 'floor.cfVerify',
      label: 'floor: one crypto.verify of a CloudFront signature (RSA-SHA1)',
      inputs: Infinity,
      op: (i) => {
        const s = signed[i % signed.length]!;
        return verify('sha1', s.policy, cfKey, signatureBytes(s.signature));
      },
      check: isTrue,
    },
  ];
}

export function baselineCases(inputs: Inputs): BenchCase[] {
  return [...naiveCases(inputs), ...floorCases(inputs)];
}
