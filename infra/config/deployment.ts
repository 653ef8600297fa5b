// parseDeployment: validates the `deployment` section of the one JSON configuration (deploy-only settings that the
// edge parser ignores). Untrusted operator input; every problem is collected and reported once, never key material.
import { createPublicKey } from 'node:crypto';
import { ConfigError } from '../../common/errors.ts';
import { checkKeys, isRecord, readArray, readString } from '../../edge/config-fields.ts';
import type { Json, Problems } from '../../edge/config-fields.ts';
import { unsupportedKey } from '../../edge/config-keys.ts';
import { collectMonitoring } from './monitoring.ts';
import type { MonitoringConfig } from './monitoring.ts';
import { parseWaf } from './waf.ts';
import type { RateLimit } from './waf.ts';

/** Where the CloudFront signing key comes from: baked from a file or inline, or read from Secrets Manager at cold start
 * (docs/deploy.md explains the trade-off). */
export type PrivateKeySource =
  | { readonly source: 'file'; readonly path: string }
  | { readonly source: 'inline' }
  | { readonly source: 'secretsManager'; readonly secretArn: string; readonly kmsKeyArn: string | null };

export interface DeploymentPublicKey {
  readonly name: string;
  readonly publicKeyPem: string;
  /**
   * The key was created before edgepass put the region in public key names: it keeps CDK's old name, which
   * CloudFront cannot change (docs/deploy.md, "Regions").
   */
  readonly legacyName?: true;
}

export interface DeploymentConfig {
  readonly stackName: string;
  readonly region: string;
  readonly account: string | null;
  readonly domain: { readonly name: string; readonly certificateArn: string } | null;
  readonly privateKey: PrivateKeySource;
  readonly publicKeys: readonly DeploymentPublicKey[];
  readonly webAclArn: string | null;
  /** The rate-based rule of the web ACL edgepass creates in us-east-1; null: none (opted out, or `webAclArn`). */
  readonly waf: RateLimit | null;
  readonly priceClass: 'PriceClass_100' | 'PriceClass_200' | 'PriceClass_All';
  /** A rollback pin: the distribution runs this existing authorizer version instead of the one this synth builds. */
  readonly authorizerVersionArn: string | null;
  /** Alarms, their topics, replica log retention and the edge's metric sampling (defaults when absent). */
  readonly monitoring: MonitoringConfig;
  /** Keys to drop from the key group before their grants have expired (a compromised key): docs/key-rotation.md. */
  readonly retireNow: readonly string[];
  /** An example document (the repository's): placeholder key pair ids synthesize, `npm run deploy` refuses it. */
  readonly example: boolean;
}

const KEYS = [
  'stackName',
  'region',
  'account',
  'domain',
  'privateKey',
  'publicKeys',
  'webAclArn',
  'waf',
  'priceClass',
  'authorizerVersionArn',
  'monitoring',
  'rotation',
  'example',
];
// CloudFormation stack names: letters, digits, hyphens, starting with a letter (128 max; `-keys` is appended).
const stackName = { pattern: /^[A-Za-z][A-Za-z0-9-]{0,99}$/, hint: 'letters, digits and -, starting with a letter' };
const region = { pattern: /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, hint: 'an AWS region such as eu-west-1' };
const account = { pattern: /^\d{12}$/, hint: 'a 12-digit AWS account id' };
const hostName = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
// CloudFront only accepts ACM certificates from us-east-1 (Developer Guide, "Requirements for using SSL/TLS
// certificates with CloudFront").
const certificateArn = {
  pattern: /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/,
  hint: 'an ACM certificate ARN in us-east-1 (CloudFront requires us-east-1)',
};
const webAclArn = {
  pattern: /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[A-Za-z0-9_-]{1,128}\/[0-9a-f-]{36}$/,
  hint: 'a WAFv2 web ACL ARN with scope CLOUDFRONT (us-east-1, global/webacl/…)',
};
// A numbered version of a function in us-east-1: CloudFront runs only those as Lambda@Edge, never $LATEST or an
// alias (CloudFront Developer Guide, "Restrictions on Lambda@Edge").
const versionArn = {
  pattern: /^arn:aws[a-z-]*:lambda:us-east-1:\d{12}:function:[A-Za-z0-9_-]{1,64}:[1-9][0-9]{0,9}$/,
  hint: 'a numbered Lambda version ARN in us-east-1 (arn:aws:lambda:us-east-1:<account>:function:<name>:<version>)',
};
// Names become CloudFormation logical ids and output names: alphanumerics only.
const keyName = { pattern: /^[A-Za-z0-9]{1,64}$/, hint: 'letters and digits (at most 64)' };
const PRICE_CLASSES = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'] as const;

function optionalString(obj: Json, key: string, problems: Problems, check: { pattern: RegExp; hint: string }) {
  return obj[key] === undefined ? null : readString(obj, key, 'deployment', problems, check);
}

/** Settings that moved out of this section: one problem saying where, rather than "not a known setting". */
const MOVED: Readonly<Record<string, string>> = {
  appOrigins:
    'deployment.appOrigins has moved to the top-level "appOrigins" (one list read by the edge, the origin API and infra)',
};

function parseDomain(obj: Json, problems: Problems): DeploymentConfig['domain'] | undefined {
  const raw = obj['domain'];
  if (raw === undefined) return null;
  if (!isRecord(raw)) {
    problems.push('deployment.domain must be an object { name, certificateArn }');
    return undefined;
  }
  checkKeys(raw, ['name', 'certificateArn'], 'deployment.domain', problems);
  const name = readString(raw, 'name', 'deployment.domain', problems, { pattern: hostName, hint: 'a host name' });
  const arn = readString(raw, 'certificateArn', 'deployment.domain', problems, certificateArn);
  return name === undefined || arn === undefined ? undefined : { name, certificateArn: arn };
}

// A full secret ARN (with its 6-character suffix) and a KMS key ARN: the grant names exactly these resources.
const secretArn = {
  pattern: /^arn:aws[a-z-]*:secretsmanager:[a-z]{2}(-[a-z]+)+-\d{1,2}:\d{12}:secret:[A-Za-z0-9/_+=.@-]{1,512}$/,
  hint: 'a Secrets Manager secret ARN',
};
const kmsKeyArn = {
  pattern: /^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-\d{1,2}:\d{12}:key\/[0-9a-f-]{36}$/,
  hint: 'a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)',
};

function parseSecretSource(raw: Json, problems: Problems): PrivateKeySource | undefined {
  checkKeys(raw, ['source', 'secretArn', 'kmsKeyArn'], 'deployment.privateKey', problems);
  const arn = readString(raw, 'secretArn', 'deployment.privateKey', problems, secretArn);
  const kms =
    raw['kmsKeyArn'] === undefined ? null : readString(raw, 'kmsKeyArn', 'deployment.privateKey', problems, kmsKeyArn);
  return arn === undefined || kms === undefined
    ? undefined
    : { source: 'secretsManager', secretArn: arn, kmsKeyArn: kms };
}

function parsePrivateKey(obj: Json, problems: Problems): PrivateKeySource | undefined {
  const raw = obj['privateKey'];
  const sources = ['file', 'inline', 'secretsManager'];
  if (!isRecord(raw) || !sources.includes(String(raw['source']))) {
    // No silent default for where the signing key lives (house style: security settings are explicit).
    problems.push(
      'deployment.privateKey must be { "source": "file", "path": "…" }, { "source": "inline" } or ' +
        '{ "source": "secretsManager", "secretArn": "…" }',
    );
    return undefined;
  }
  if (raw['source'] === 'secretsManager') return parseSecretSource(raw, problems);
  if (raw['source'] === 'inline') {
    checkKeys(raw, ['source'], 'deployment.privateKey', problems);
    return { source: 'inline' };
  }
  checkKeys(raw, ['source', 'path'], 'deployment.privateKey', problems);
  const path = readString(raw, 'path', 'deployment.privateKey', problems);
  return path === undefined ? undefined : { source: 'file', path };
}

function parsePublicKeys(obj: Json, problems: Problems): DeploymentPublicKey[] {
  const keys: DeploymentPublicKey[] = [];
  readArray(obj, 'publicKeys', 'deployment', problems, 1).forEach((item, index) => {
    const where = `deployment.publicKeys[${index}]`;
    if (!isRecord(item)) return void problems.push(`${where} must be an object { name, publicKeyPem }`);
    checkKeys(item, ['name', 'publicKeyPem', 'legacyName'], where, problems);
    const legacy = item['legacyName'] ?? false;
    if (typeof legacy !== 'boolean') problems.push(`${where}.legacyName must be true or false`);
    const name = readString(item, 'name', where, problems, keyName);
    const pem = readString(item, 'publicKeyPem', where, problems);
    let why: string | undefined;
    try {
      why = pem === undefined ? undefined : unsupportedKey(createPublicKey(pem));
    } catch {
      why = 'is not a readable public key in PEM form';
    }
    if (why !== undefined) problems.push(`${where}.publicKeyPem ${why}`);
    if (name !== undefined && keys.some((k) => k.name === name)) problems.push(`${where}.name "${name}" is repeated`);
    else if (name !== undefined && pem !== undefined && why === undefined) {
      keys.push({ name, publicKeyPem: pem, ...(legacy === true ? { legacyName: true } : {}) });
    }
  });
  // A key group holds at most 5 public keys by default (reference: "Key groups").
  if (keys.length > 5) problems.push('deployment.publicKeys must list at most 5 keys (CloudFront key group quota)');
  return keys;
}

/** `rotation: { retireNow: [keyPairId, …] }`: the explicit opt-out of the rotation wait, for a compromised key. */
function parseRotation(obj: Json, problems: Problems): string[] | undefined {
  const raw = obj['rotation'];
  if (raw === undefined) return [];
  const ids = isRecord(raw) ? raw['retireNow'] : undefined;
  if (isRecord(raw)) checkKeys(raw, ['retireNow'], 'deployment.rotation', problems);
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string' && /^[A-Z0-9]{6,64}$/.test(id))) {
    problems.push('deployment.rotation must be { "retireNow": ["<key pair id>", …] }');
    return undefined;
  }
  return ids as string[];
}

function parseExample(obj: Json, problems: Problems): boolean | undefined {
  const raw = obj['example'] ?? false;
  if (typeof raw === 'boolean') return raw;
  problems.push('deployment.example must be true or false');
  return undefined;
}

function parsePriceClass(obj: Json, problems: Problems): DeploymentConfig['priceClass'] | undefined {
  const raw = obj['priceClass'];
  if (raw === undefined) return 'PriceClass_All';
  const found = PRICE_CLASSES.find((choice) => choice === raw);
  if (found === undefined) problems.push(`deployment.priceClass must be one of ${PRICE_CLASSES.join(', ')}`);
  return found;
}

/** Each setting as read, `undefined` where it had a problem. */
type Fields = { readonly [K in keyof DeploymentConfig]: DeploymentConfig[K] | undefined };

const complete = (fields: Fields): fields is DeploymentConfig => Object.values(fields).every((v) => v !== undefined);

function collect(obj: Json, problems: Problems): DeploymentConfig | undefined {
  checkKeys(obj, [...KEYS, ...Object.keys(MOVED)], 'deployment', problems);
  for (const [key, problem] of Object.entries(MOVED)) if (obj[key] !== undefined) problems.push(problem);
  const accountId = optionalString(obj, 'account', problems, account);
  const pinned = optionalString(obj, 'authorizerVersionArn', problems, versionArn);
  if (typeof pinned === 'string' && typeof accountId === 'string' && !pinned.includes(`:${accountId}:function:`)) {
    problems.push('deployment.authorizerVersionArn must be a version in deployment.account');
  }
  const where = readString(obj, 'region', 'deployment', problems, region);
  const priceClass = parsePriceClass(obj, problems);
  const fields: Fields = {
    stackName: readString(obj, 'stackName', 'deployment', problems, stackName),
    region: where,
    account: accountId,
    domain: parseDomain(obj, problems),
    privateKey: parsePrivateKey(obj, problems),
    publicKeys: parsePublicKeys(obj, problems),
    webAclArn: optionalString(obj, 'webAclArn', problems, webAclArn),
    waf: parseWaf(obj, obj['webAclArn'] !== undefined, problems),
    priceClass,
    authorizerVersionArn: pinned,
    monitoring: collectMonitoring(obj['monitoring'], { region: where, priceClass }, problems),
    retireNow: parseRotation(obj, problems),
    example: parseExample(obj, problems),
  };
  return problems.length === 0 && complete(fields) ? fields : undefined;
}

/** Problems with the `deployment` section, or the parsed section; never throws. */
export function collectDeployment(root: unknown, problems: Problems): DeploymentConfig | undefined {
  const section = isRecord(root) ? root['deployment'] : undefined;
  if (!isRecord(section)) {
    problems.push('deployment must be an object (stackName, region, privateKey, publicKeys, …)');
    return undefined;
  }
  return collect(section, problems);
}

/** Validates the `deployment` section alone; throws one ConfigError listing every problem. */
export function parseDeployment(root: unknown): DeploymentConfig {
  const problems: Problems = [];
  const config = collectDeployment(root, problems);
  if (config === undefined || problems.length > 0) throw new ConfigError(problems, 'deployment configuration');
  return config;
}
