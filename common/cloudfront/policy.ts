// CloudFront policy documents: the exact JSON bytes that get signed, and a strict parser for policies received
// from viewers (untrusted until their signature is checked; anything unexpected is refused, never ignored).
import { assertMintableResource, assertWireUrl } from './resource.ts';
import { normaliseCidrText, parseIpv4Cidr } from './ipv4.ts';
import type { Ipv4Cidr } from './ipv4.ts';

export interface CustomPolicyInput {
  /** Pattern with optional `*`/`?` wildcards; see assertMintableResource for what we refuse to mint. */
  readonly resource: string;
  /** Epoch seconds; access is allowed strictly before it. */
  readonly dateLessThan: number;
  /** Epoch seconds; access is allowed from it on. */
  readonly dateGreaterThan?: number;
  /** IPv4 CIDR, or a bare IPv4 address meaning /32. */
  readonly sourceIp?: string;
}

export interface ParsedPolicy {
  readonly resource: string;
  readonly dateLessThan: number;
  readonly dateGreaterThan?: number;
  readonly sourceIp?: Ipv4Cidr;
}

function assertEpochSeconds(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new TypeError(`${name} must be whole epoch seconds`);
}

/**
 * Canned policy bytes exactly as CloudFront rebuilds them from the URL and `Expires` (AWS Developer Guide,
 * "Create a signed URL using a canned policy"): this key order, no whitespace. JSON.stringify gives the same
 * escaping as @aws-sdk/cloudfront-signer.
 */
export function cannedPolicy(resource: string, expiresEpochSeconds: number): string {
  assertWireUrl(resource);
  assertEpochSeconds('expiresEpochSeconds', expiresEpochSeconds);
  return canonicalCannedPolicy(resource, expiresEpochSeconds);
}

/** The canned policy CloudFront rebuilds from a request, with no checks: used by the verifier on viewer input. */
export function canonicalCannedPolicy(resource: string, expiresEpochSeconds: number): string {
  return statementJson(resource, { DateLessThan: { 'AWS:EpochTime': expiresEpochSeconds } });
}

/** Custom policy bytes with the SDK's key order: Resource, then DateLessThan, DateGreaterThan, IpAddress. */
export function customPolicy(input: CustomPolicyInput): string {
  assertMintableResource(input.resource);
  assertEpochSeconds('dateLessThan', input.dateLessThan);
  const condition: Record<string, unknown> = { DateLessThan: { 'AWS:EpochTime': input.dateLessThan } };
  if (input.dateGreaterThan !== undefined) {
    assertEpochSeconds('dateGreaterThan', input.dateGreaterThan);
    if (input.dateGreaterThan >= input.dateLessThan) throw new TypeError('dateGreaterThan must precede dateLessThan');
    condition['DateGreaterThan'] = { 'AWS:EpochTime': input.dateGreaterThan };
  }
  if (input.sourceIp !== undefined) {
    const cidr = normaliseCidrText(input.sourceIp);
    if (cidr === undefined) throw new TypeError('sourceIp must be an IPv4 address or CIDR');
    condition['IpAddress'] = { 'AWS:SourceIp': cidr };
  }
  return statementJson(input.resource, condition);
}

function statementJson(resource: string, condition: Record<string, unknown>): string {
  return JSON.stringify({ Statement: [{ Resource: resource, Condition: condition }] });
}

/** Largest policy (decoded JSON bytes) we sign or accept; real policies are a few hundred bytes. */
export const maxPolicyBytes = 2048;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `value` is an object whose keys are all in `allowed` and include every key in `required`. */
function hasOnlyKeys(value: unknown, required: readonly string[], allowed: readonly string[]): value is Json {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.every((k) => allowed.includes(k)) && required.every((k) => keys.includes(k));
}

function epochOf(value: unknown): number | undefined {
  if (!hasOnlyKeys(value, ['AWS:EpochTime'], ['AWS:EpochTime'])) return undefined;
  const time = value['AWS:EpochTime'];
  return typeof time === 'number' && Number.isSafeInteger(time) && time >= 0 ? time : undefined;
}

function cidrOf(value: unknown): Ipv4Cidr | undefined {
  if (!hasOnlyKeys(value, ['AWS:SourceIp'], ['AWS:SourceIp'])) return undefined;
  const ip = value['AWS:SourceIp'];
  return typeof ip === 'string' ? parseIpv4Cidr(ip) : undefined;
}

function parseJson(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

/**
 * Parses a policy CloudFront would accept: one statement, a string `Resource` (we require it, failing closed), a
 * numeric `DateLessThan`, optional numeric `DateGreaterThan`, optional single IPv4 `IpAddress`. Whitespace and key
 * order are free, as in the AWS documentation's examples. Unknown keys or types: undefined (malformed).
 */
export function parsePolicy(json: string): ParsedPolicy | undefined {
  const doc = parseJson(json);
  if (!hasOnlyKeys(doc, ['Statement'], ['Statement'])) return undefined;
  const statements = doc['Statement'];
  if (!Array.isArray(statements) || statements.length !== 1) return undefined;
  const statement: unknown = statements[0];
  if (!hasOnlyKeys(statement, ['Resource', 'Condition'], ['Resource', 'Condition'])) return undefined;
  const resource = statement['Resource'];
  const condition = statement['Condition'];
  const allowed = ['DateLessThan', 'DateGreaterThan', 'IpAddress'];
  if (typeof resource !== 'string' || !hasOnlyKeys(condition, ['DateLessThan'], allowed)) return undefined;
  const dateLessThan = epochOf(condition['DateLessThan']);
  const dateGreaterThan = 'DateGreaterThan' in condition ? epochOf(condition['DateGreaterThan']) : null;
  const sourceIp = 'IpAddress' in condition ? cidrOf(condition['IpAddress']) : null;
  if (dateLessThan === undefined || dateGreaterThan === undefined || sourceIp === undefined) return undefined;
  return {
    resource,
    dateLessThan,
    ...(dateGreaterThan === null ? {} : { dateGreaterThan }),
    ...(sourceIp === null ? {} : { sourceIp }),
  };
}
