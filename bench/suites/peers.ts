// The bundles a user would otherwise pick, built the same way as ours, and the cold-start modes that compare them:
// bare node, a no-op handler, edgepass (pass-through and browser mint), the naive jose + signer function, and
// cognito-at-edge.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SignJWT } from 'jose';
import { generateKeyPair } from '../../common/keypair.ts';
import { buildPeer } from '../bundle.ts';
import type { BundleFacts } from '../bundle.ts';
import { AUDIENCE, DOMAIN, ISSUER, PREFIX, SESSION_COOKIE } from '../fixtures/config.ts';
import { viewerRequest } from '../fixtures/events.ts';
import type { Inputs } from '../fixtures/inputs.ts';
import { ATTRACTIONS } from '../fixtures/inputs.ts';
import { objectUri } from '../fixtures/signed.ts';
import { ticketsOf } from '../fixtures/tokens.ts';
import type { ColdMode } from './cold-start.ts';

const COGNITO = { region: 'us-east-1', userPoolId: 'us-east-1_BenchPool1', clientId: '63gcbm2jmskokurt5ku9fhejc6' };

/** A Cognito user pool stand-in: its JWKS (baked into the peer) and one id token for a first request. */
async function cognitoFixture(nowS: number) {
  const { privateKey, publicKey } = generateKeyPair('rsa-2048');
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'cognito-bench', alg: 'RS256', use: 'sig' };
  const idToken = await new SignJWT({ token_use: 'id', 'cognito:username': 'alice' })
    .setProtectedHeader({ alg: 'RS256', kid: 'cognito-bench' })
    .setIssuer(`https://cognito-idp.${COGNITO.region}.amazonaws.com/${COGNITO.userPoolId}`)
    .setAudience(COGNITO.clientId)
    .setSubject('alice')
    .setIssuedAt(nowS)
    .setExpirationTime(nowS + 3600)
    .sign(privateKey);
  return { jwks: { keys: [jwk] }, idToken };
}

export interface Peers {
  readonly bundles: BundleFacts[];
  readonly modes: ColdMode[];
}

/** The naive function's settings: the same keys, issuer and paths as the edgepass bundle under test. */
function naiveConfig(inputs: Inputs) {
  const { jwt, cloudFront } = inputs.keys;
  const keys = { jwks: { keys: [jwt.jwk] }, keyPairId: cloudFront.keyPairId, privateKeyPem: cloudFront.privateKeyPem };
  return { NAIVE_CONFIG: { issuer: ISSUER, audience: AUDIENCE, ...keys, domain: DOMAIN, prefix: PREFIX } };
}

export async function buildPeers(inputs: Inputs, edgeBundle: string, dir: string): Promise<Peers> {
  const cognito = await cognitoFixture(inputs.nowS);
  const naive = await buildPeer('naive', 'naive-entry.ts', naiveConfig(inputs), dir);
  const define = { COGNITO_BENCH: { ...COGNITO, jwks: cognito.jwks } };
  const cognitoBundle = await buildPeer('cognito-at-edge', 'cognito-entry.ts', define, dir);
  const cookie = inputs.cookieRequests[0]!;
  const session = { [SESSION_COOKIE]: inputs.tokens[0]! };
  const mintUri = objectUri(ticketsOf(0, ATTRACTIONS)[0]!, 1);
  const cognitoCookie = { [`CognitoIdentityServiceProvider.${COGNITO.clientId}.alice.idToken`]: cognito.idToken };
  const passEvent = viewerRequest({ uri: cookie.uri, cookies: cookie.cookies });
  const mintEvent = viewerRequest({ uri: mintUri, cookies: session });
  const noop = join(dir, 'noop', 'index.mjs');
  mkdirSync(dirname(noop), { recursive: true });
  writeFileSync(noop, 'export const handler = async (event) => event.Records[0].cf.request;\n');
  const modes: ColdMode[] = [
    // Reads the same event as the others and imports nothing: the baseline every mode is measured against.
    { name: 'bare node', event: passEvent, expect: 'none' },
    // What importing and calling any handler at all costs: the floor under every Lambda function.
    { name: 'no-op handler', bundle: noop, event: passEvent, expect: 'pass' },
    { name: 'edgepass.pass', bundle: edgeBundle, event: passEvent, expect: 'pass' },
    { name: 'edgepass.mint', bundle: edgeBundle, event: mintEvent, expect: '302' },
    { name: 'naive.mint', bundle: naive.outfile, event: mintEvent, expect: '302' },
    {
      name: 'cognito-at-edge.pass',
      bundle: cognitoBundle.outfile,
      event: viewerRequest({ uri: mintUri, cookies: cognitoCookie }),
      expect: 'pass',
    },
  ];
  return { bundles: [naive, cognitoBundle], modes };
}
