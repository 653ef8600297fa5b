// Peer bundle for the cold-start comparison: cognito-at-edge as its README deploys it (module-scope Authenticator,
// handler delegating to it). The user pool's JWKS is baked in (cacheJwks) so the first decision verifies a real
// id token without a network fetch, like edgepass with its baked-in keys. Names are placeholders.
import { Authenticator } from 'cognito-at-edge';
import type { CloudFrontRequestEvent } from 'aws-lambda';

interface CognitoBench {
  readonly region: string;
  readonly userPoolId: string;
  readonly clientId: string;
  readonly jwks: { readonly keys: { kid: string; alg: string; kty: string; use: string; n: string; e: string }[] };
}

declare const COGNITO_BENCH: CognitoBench;

const authenticator = new Authenticator({
  region: COGNITO_BENCH.region,
  userPoolId: COGNITO_BENCH.userPoolId,
  userPoolAppId: COGNITO_BENCH.clientId,
  userPoolDomain: 'bench.auth.us-east-1.amazoncognito.com',
  logLevel: 'silent',
});
// aws-jwt-verify's own API (`cacheJwks`); its types do not resolve through cognito-at-edge's declarations.
const verifier = authenticator._jwtVerifier as unknown as { cacheJwks(jwks: { keys: unknown[] }): void };
verifier.cacheJwks({ keys: [...COGNITO_BENCH.jwks.keys] });

export async function handler(event: CloudFrontRequestEvent): Promise<unknown> {
  return authenticator.handle(event);
}
