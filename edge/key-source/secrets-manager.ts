// The Secrets Manager private-key source (bundled instead of baked.ts when signer.privateKeySecret is set): one
// signed GetSecretValue call per container, started at module scope. Trust boundary: the AWS network; credentials
// come from the entry, the response is never logged (Secrets Manager API reference, "GetSecretValue").
import { readCapped } from '../../common/read-capped.ts';
import type { SecretRef, SecretSignerConfig, SignerConfig } from '../config-keys.ts';
import type { OidcConfig } from '../config-oidc.ts';
import { createSecretLoader, fail } from './secret-loader.ts';
import type { SecretFetcher } from './secret-loader.ts';
import { signJsonPost } from './sigv4.ts';
import type { KeySource, KeySourceDeps } from './types.ts';

// Lambda@Edge allows 5 s for a viewer-request function (Developer Guide, "Quotas"): give up well before that.
const TIMEOUT_MS = 2000;
// A SecretString holds at most 65,536 characters (Secrets Manager API reference, "GetSecretValue": length
// constraints). Escaped in the JSON response, a character takes at most 6 bytes (`\u0000`); the ARN (≤ 2,048), name
// (≤ 256), version id and up to 20 stage labels (≤ 256 each) add under 8 KiB, so 16 KiB is ample. Any bigger body
// is no GetSecretValue answer: it is refused unread rather than parsed (a valid secret is never refused).
const MAX_RESPONSE_BYTES = 6 * 65_536 + 16_384;

function fetcher(ref: SecretRef, deps: KeySourceDeps): SecretFetcher {
  // https://secretsmanager.<region>.amazonaws.com/ unless a test build baked a loopback endpoint.
  const url = new URL(EDGEPASS_SECRETS_ENDPOINT ?? `https://secretsmanager.${ref.region}.amazonaws.com/`);
  return async () => {
    // The Lambda role's credentials, which the runtime puts in the environment.
    const env = deps.environment();
    const credentials = {
      accessKeyId: env['AWS_ACCESS_KEY_ID'] ?? fail('no_credentials'),
      secretAccessKey: env['AWS_SECRET_ACCESS_KEY'] ?? fail('no_credentials'),
      sessionToken: env['AWS_SESSION_TOKEN'],
    };
    const body = JSON.stringify({ SecretId: ref.secretId });
    const endpoint = [url.host, ref.region, 'secretsmanager', 'secretsmanager.GetSecretValue'] as const;
    const headers = signJsonPost(endpoint, body, credentials, deps.clock());
    const response = await deps
      .fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) })
      .catch(() => fail('network'));
    if (!response.ok) fail(`http_${String(response.status)}`);
    const answer = (await readCapped(response, MAX_RESPONSE_BYTES)) ?? fail('response_too_large');
    // A body that is not JSON throws here; the loader logs it as "failed", never its text.
    const secret = (JSON.parse(answer) as { SecretString?: unknown } | null)?.SecretString;
    return typeof secret === 'string' ? secret : fail('bad_response');
  };
}

export function createKeySource(signer: SignerConfig, deps: KeySourceDeps, oidc?: OidcConfig | null): KeySource {
  // The build bundles this source only for a config that parseConfig accepted with privateKeySecret.
  const secret = signer as SecretSignerConfig;
  // oidc.clientSecret { jsonKey }: the same SecretString holds the OpenID Provider client secret (one call for both).
  const member = oidc?.clientSecret;
  const clientSecretKey = typeof member === 'object' ? member?.jsonKey : undefined;
  return createSecretLoader(secret, fetcher(secret.privateKeySecret, deps), deps, clientSecretKey);
}
