// Loads the one JSON configuration for a deployment: resolves the signing key file, runs the edge parser and the
// deployment parser, and cross-checks them; every problem of all three is thrown once. Untrusted operator input.
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, EdgepassError } from '../../common/errors.ts';
import { isRecord } from '../../edge/config-fields.ts';
import type { Json, Problems } from '../../edge/config-fields.ts';
import { parseConfig } from '../../edge/config.ts';
import type { EdgeConfig } from '../../edge/config.ts';
import { parseOriginConfig } from '../../origin-api/config.ts';
import type { OriginConfig } from '../../origin-api/config.ts';
import { collectDeployment } from './deployment.ts';
import type { DeploymentConfig } from './deployment.ts';

export interface EdgePassConfig {
  /** The document as the edge bundle receives it (the private key file read into `signer.privateKeyPem`). */
  readonly raw: Json;
  readonly edge: EdgeConfig;
  readonly origin: OriginConfig;
  readonly deployment: DeploymentConfig;
}

/** Stands in for the CDK-made bucket name while validating (the function gets the real one at runtime). */
const BUCKET_PLACEHOLDER = 'edgepass-bucket-made-by-cdk';

/** Paths that the distribution routes elsewhere; a protected prefix must not shadow them. */
const RESERVED_PREFIXES = ['/api/', '/_edgepass/'];
/** 25 cache behaviours per distribution by default, minus `/api/*` and `/_edgepass/*` (Developer Guide, "Quotas"). */
const MAX_PROTECTED_PATHS = 23;

/**
 * The origin API presigns with its Lambda role's temporary credentials, and a presigned URL stops working when the
 * credentials that signed it expire, whatever its own expiry (AWS Knowledge Center, "Why is my presigned URL for an
 * Amazon S3 bucket expiring before the expiration time that I specified?", which adds that services assuming a role,
 * "such as the AWS Lambda execution role", do not necessarily follow the role's session duration). Lambda documents
 * no remaining lifetime for those credentials (reports: about 12 hours at most, aws/boto3#2392), so a deployed URL
 * lives an hour at most rather than dying early, unannounced.
 */
export const MAX_PRESIGN_TTL_SECONDS_DEPLOYED = 3600;

function checkPresignTtls(origin: OriginConfig, problems: Problems): void {
  for (const key of ['uploadTtlSeconds', 'downloadTtlSeconds'] as const) {
    const seconds = origin.originApi[key];
    if (seconds <= MAX_PRESIGN_TTL_SECONDS_DEPLOYED) continue;
    problems.push(
      `originApi.${key} ${seconds} exceeds ${MAX_PRESIGN_TTL_SECONDS_DEPLOYED}: the origin API signs with its Lambda ` +
        "role's temporary credentials, and a presigned URL stops working when they expire (docs/origin-api.md)",
    );
  }
}

/** Secrets Manager mode: the edge reads the key at cold start from the secret the deployment names (same ARN). */
function withSecret(raw: Json, signer: Json, secretArn: string, problems: Problems): Json {
  if (signer['privateKeyPem'] !== undefined || signer['privateKeySecret'] !== undefined) {
    problems.push(
      'signer.privateKeyPem and signer.privateKeySecret must be absent when the source is "secretsManager"',
    );
    return raw;
  }
  // The secret's region is part of its ARN (arn:aws:secretsmanager:<region>:…).
  const privateKeySecret = { secretId: secretArn, region: secretArn.split(':')[3] };
  return { ...raw, signer: { ...signer, privateKeySecret } };
}

/** Reads the signing key from the operator's key file into the edge section (so the JSON in git holds no key). */
function withPrivateKey(raw: Json, deployment: DeploymentConfig | undefined, baseDir: string, problems: Problems) {
  const signer = raw['signer'];
  if (!isRecord(signer)) return raw;
  if (deployment?.privateKey.source === 'secretsManager') {
    return withSecret(raw, signer, deployment.privateKey.secretArn, problems);
  }
  if (deployment?.privateKey.source !== 'file') return raw;
  if (signer['privateKeyPem'] !== undefined) {
    problems.push('signer.privateKeyPem must be absent when deployment.privateKey.source is "file"');
    return raw;
  }
  const file = resolve(baseDir, deployment.privateKey.path);
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch {
    problems.push(`deployment.privateKey.path: cannot read ${file}`);
    return raw;
  }
  return { ...raw, signer: { ...signer, privateKeyPem: pem } };
}

/** A public key's SPKI DER in base64: one spelling per key, whatever the PEM's line breaks. */
function spki(pem: string): string {
  return createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64');
}

/** Every key the edge signs with or accepts must be one the keys stack deploys, so the key group can trust it. */
function checkSigningKeys(edge: EdgeConfig, deployment: DeploymentConfig, problems: Problems): void {
  const deployed = new Set(deployment.publicKeys.map((key) => spki(key.publicKeyPem)));
  const used = [
    { id: edge.signer.keyPairId, where: 'signer', der: spki(edge.signer.publicKeyPem) },
    ...edge.trustedKeys.map((k, i) => ({
      id: k.keyPairId,
      where: `trustedKeys[${i}]`,
      der: spki(k.publicKeyPem),
    })),
  ];
  for (const key of used) {
    if (!deployed.has(key.der)) {
      problems.push(`${key.where} (${key.id}): its public key is not in deployment.publicKeys (deploy it first)`);
    }
  }
  if (used.length > 5) problems.push('signer + trustedKeys name more than 5 keys (CloudFront key group quota)');
}

function crossCheck(edge: EdgeConfig, deployment: DeploymentConfig, target: Target, problems: Problems): void {
  // CloudFront serves the viewer over HTTPS only (every behaviour redirects to HTTPS), so the edge must mint https.
  // The local stack alone serves plain http, on loopback names only (parseConfig refuses http for any other name).
  if (edge.viewerProtocol !== 'https' && target !== 'local') {
    problems.push('viewerProtocol must be "https" for a CloudFront deployment');
  }
  const domain = deployment.domain?.name;
  if (domain !== undefined && !edge.domainNames.includes(domain)) {
    problems.push(`domainNames must include deployment.domain.name "${domain}" (the edge rejects other hosts)`);
  }
  for (const path of edge.protectedPaths) {
    const reserved = RESERVED_PREFIXES.find((p) => path.prefix.startsWith(p) || p.startsWith(path.prefix));
    if (reserved !== undefined) problems.push(`protectedPaths "${path.pattern}" collides with ${reserved}*`);
  }
  if (edge.protectedPaths.length > MAX_PROTECTED_PATHS) {
    problems.push(`protectedPaths must list at most ${MAX_PROTECTED_PATHS} patterns (cache behaviour quota)`);
  }
  checkSigningKeys(edge, deployment, problems);
}

/** Runs a section parser, turning its ConfigError into problems on the shared list. */
function section<T>(parse: () => T, problems: Problems): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
}

/** `local`: the same app synthesized for the local stack (`npm start`), which serves http on loopback. */
type Target = 'aws' | 'local';

/** Validates a parsed JSON document; `baseDir` resolves relative key file paths. Throws one ConfigError. */
export function resolveConfig(
  document: unknown,
  baseDir: string,
  options: { readonly target?: Target } = {},
): EdgePassConfig {
  if (!isRecord(document)) throw new ConfigError(['the configuration must be a JSON object']);
  const problems: Problems = [];
  const deployment = collectDeployment(document, problems);
  const raw = withPrivateKey(document, deployment, baseDir, problems);
  const edge = section(() => parseConfig(raw), problems);
  const overrides = { bucket: BUCKET_PLACEHOLDER, region: deployment?.region };
  const origin = section(() => parseOriginConfig(raw, overrides), problems);
  if (edge !== undefined && deployment !== undefined) crossCheck(edge, deployment, options.target ?? 'aws', problems);
  if (origin !== undefined && origin.originApi.keyPrefix === '') {
    problems.push('originApi.keyPrefix must not be empty when deployed (the API role is scoped to that prefix)');
  }
  if (origin !== undefined) checkPresignTtls(origin, problems);
  if (edge === undefined || origin === undefined || deployment === undefined || problems.length > 0) {
    // The edge and the origin API both parse the shared `jwt` and `appOrigins`: say each problem once.
    throw new ConfigError([...new Set(problems)]);
  }
  return { raw, edge, origin, deployment };
}

/** Reads and validates a configuration file (key file paths are relative to it). */
export function loadConfigFile(file: string): EdgePassConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new EdgepassError('config_unreadable', `cannot read the configuration file ${file}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    // The parser's message may quote a fragment of the file (which can hold a key): say only where.
    throw new ConfigError([`${file} is not valid JSON`]);
  }
  return resolveConfig(document, dirname(resolve(file)));
}
