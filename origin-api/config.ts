// parseOriginConfig(raw): the `jwt`, `linkTokens`, `originApi` and `appOrigins` entries of the shared JSON configuration, validated
// once, every problem reported together (ConfigError). Other top-level sections (the edge's) are ignored.
import { parseAppOrigins } from '../common/app-origins.ts';
import { ConfigError } from '../common/errors.ts';
import { parseJwtOptions, parseLinkTokens } from '../common/jwt/index.ts';
import type { JwtOptions } from '../common/jwt/index.ts';
import { checkKeys, isRecord, readInteger, readString } from './config-read.ts';
import type { Json } from './config-read.ts';
import type { OriginApiOptions, PurposeRule } from './core/types.ts';

export interface OriginConfig {
  readonly jwt: JwtOptions;
  /** The link-token audience, which this API refuses in every token (links are for the edge only); null: none. */
  readonly linkAudience: string | null;
  readonly originApi: OriginApiOptions;
  /** Browser origins whose requests get CORS headers (the same list the edge reads). */
  readonly appOrigins: readonly string[];
}

/** Values only the deployment knows (the CDK-made bucket, the Lambda region, a local S3 port); they win. */
export interface OriginOverrides {
  readonly bucket?: string | undefined;
  readonly region?: string | undefined;
  readonly endpoint?: string | undefined;
}

/** SigV4 presigned URLs live at most 7 days (S3 API Reference, "Authenticating Requests: Using Query Parameters"). */
export const MAX_PRESIGN_TTL_SECONDS = 604_800;
/** A single PUT carries at most 5 GiB (S3 User Guide, "Uploading objects"). */
const MAX_SINGLE_PUT_BYTES = 5 * 1024 ** 3;
const DEFAULT_TTL_SECONDS = 60;
const DEFAULT_KEY_PREFIX = 'users/';
const DEFAULT_MAX_REQUEST_BYTES = 8192;

const KEYS = [
  'bucket',
  'region',
  'endpoint',
  'keyPrefix',
  'legacyFolderIssuer',
  'uploadTtlSeconds',
  'downloadTtlSeconds',
  'maxRequestBytes',
  'purposes',
];
// S3 bucket naming rules (S3 User Guide, "General purpose bucket naming rules"), dots excluded so that
// virtual-hosted HTTPS certificates always match.
const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
// Only characters S3 lists as safe for key names ("Object key naming guidelines"), no `.` or `..` segment
// (S3 keeps them literally, but tools that map keys to paths do not); must end with `/`.
const KEY_PREFIX = /^((?!\.{1,2}\/)[A-Za-z0-9_.-]+\/){0,4}$/;
const PURPOSE = /^[a-z0-9][a-z0-9-]{0,31}$/;
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,63}$/;

function readEndpoint(raw: unknown, problems: string[]): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = typeof raw === 'string' ? new URL(raw) : undefined;
  } catch {
    url = undefined;
  }
  const plain = url !== undefined && url.username === '' && url.search === '' && url.hash === '';
  if (url === undefined || !['http:', 'https:'].includes(url.protocol) || !plain || url.pathname !== '/') {
    problems.push('originApi.endpoint must be an http(s) origin such as "http://127.0.0.1:4568" (local S3 only)');
    return undefined;
  }
  return url.origin;
}

const isMediaTypeList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length > 0 && v.every((t) => typeof t === 'string' && MEDIA_TYPE.test(t));

function readPurpose(name: string, raw: unknown, problems: string[]): PurposeRule | undefined {
  const where = `originApi.purposes.${name}`;
  if (!PURPOSE.test(name)) problems.push(`${where}: purpose names are 1-32 of a-z, 0-9, "-"`);
  if (!isRecord(raw)) {
    problems.push(`${where} must be { "contentTypes": [...], "maxBytes": n }`);
    return undefined;
  }
  checkKeys(raw, ['contentTypes', 'maxBytes'], where, problems);
  const types = isMediaTypeList(raw.contentTypes) ? raw.contentTypes : undefined;
  if (types === undefined) {
    problems.push(`${where}.contentTypes must list lower-case media types such as "image/jpeg" (no parameters)`);
  }
  if (raw.maxBytes === undefined) problems.push(`${where}.maxBytes is required`);
  const maxBytes = readInteger(raw.maxBytes, 0, [1, MAX_SINGLE_PUT_BYTES], `${where}.maxBytes`, problems);
  return types === undefined ? undefined : { contentTypes: [...new Set(types)], maxBytes };
}

/** Which types and sizes each purpose accepts is a security setting: required, never defaulted. */
function readPurposes(raw: unknown, problems: string[]): ReadonlyMap<string, PurposeRule> {
  const purposes = new Map<string, PurposeRule>();
  if (!isRecord(raw) || Object.keys(raw).length === 0) {
    problems.push('originApi.purposes is required: { "<purpose>": { "contentTypes": [...], "maxBytes": n } }');
    return purposes;
  }
  for (const [name, rule] of Object.entries(raw)) {
    const parsed = readPurpose(name, rule, problems);
    if (parsed !== undefined) purposes.set(name, parsed);
  }
  return purposes;
}

function readOriginApi(raw: Json, overrides: OriginOverrides, problems: string[]): OriginApiOptions {
  checkKeys(raw, KEYS, 'originApi', problems);
  const ttl = (key: string): number =>
    readInteger(raw[key], DEFAULT_TTL_SECONDS, [1, MAX_PRESIGN_TTL_SECONDS], `originApi.${key}`, problems);
  return {
    bucket: readString(overrides.bucket ?? raw.bucket, BUCKET, 'an S3 bucket name', 'originApi.bucket', problems),
    region: readString(overrides.region ?? raw.region, REGION, 'an AWS region', 'originApi.region', problems),
    endpoint: readEndpoint(overrides.endpoint ?? raw.endpoint, problems),
    keyPrefix: readString(
      raw.keyPrefix ?? DEFAULT_KEY_PREFIX,
      KEY_PREFIX,
      'empty or up to 4 segments of A-Z a-z 0-9 _ . - (not . or ..) each ending in "/"',
      'originApi.keyPrefix',
      problems,
    ),
    legacyFolderIssuer: null,
    uploadTtlSeconds: ttl('uploadTtlSeconds'),
    downloadTtlSeconds: ttl('downloadTtlSeconds'),
    maxRequestBytes: readInteger(
      raw.maxRequestBytes,
      DEFAULT_MAX_REQUEST_BYTES,
      [256, 65_536],
      'originApi.maxRequestBytes',
      problems,
    ),
    purposes: readPurposes(raw.purposes, problems),
  };
}

/** Must name one of the configured issuers exactly: a folder layout for an issuer nobody trusts is a mistake. */
function readLegacyIssuer(raw: unknown, jwt: JwtOptions | undefined, problems: string[]): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string' && jwt?.issuers.some((entry) => entry.issuer === raw) === true) return raw;
  if (jwt !== undefined) problems.push('originApi.legacyFolderIssuer must be one of the jwt issuers (or absent)');
  return null;
}

/** Validates the document's `jwt`, `originApi` and `appOrigins`; throws one ConfigError listing every problem. */
export function parseOriginConfig(raw: unknown, overrides: OriginOverrides = {}): OriginConfig {
  if (!isRecord(raw)) throw new ConfigError(['the configuration must be a JSON object'], 'origin API configuration');
  const problems: string[] = [];
  const jwt = parseJwtOptions(raw.jwt, problems, 'jwt');
  const linkAudience = parseLinkTokens(raw.linkTokens, jwt, problems)?.audience ?? null;
  const section = raw.originApi;
  if (!isRecord(section)) problems.push('originApi must be an object');
  const originApi = isRecord(section) ? readOriginApi(section, overrides, problems) : undefined;
  const appOrigins = parseAppOrigins(raw.appOrigins, problems);
  const legacyFolderIssuer = isRecord(section) ? readLegacyIssuer(section.legacyFolderIssuer, jwt, problems) : null;
  if (problems.length > 0 || jwt === undefined || originApi === undefined) {
    throw new ConfigError(problems, 'origin API configuration');
  }
  return { jwt, linkAudience, originApi: { ...originApi, legacyFolderIssuer }, appOrigins };
}
