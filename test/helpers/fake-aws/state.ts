// What the fake AWS account holds (functions and versions, distributions, stacks) and what it saw (every request),
// built from small fixtures. Loopback only; the credentials are throwaway strings made by the tests.
import { createHash } from 'node:crypto';

export const ACCOUNT_ID = '111122223333';
export const REGION = 'us-east-1';

export interface FakeVersion {
  /** `$LATEST` or a number. */
  readonly version: string;
  readonly codeSha256: string;
  readonly codeSize: number;
  /** Lambda's form: `2026-12-03T10:12:44.123+0000`. */
  readonly lastModified: string;
  /** How DeleteFunction on this version fails, if it does: CloudFront still holds replicas, or another error. */
  deleteFails?: 'replicated' | 'conflict';
}

export interface FakeFunction {
  readonly name: string;
  /** `$LATEST` first, then versions in ascending order, as Lambda lists them. */
  versions: FakeVersion[];
}

export interface FakeAssociation {
  readonly arn: string;
  readonly eventType: 'viewer-request' | 'viewer-response' | 'origin-request' | 'origin-response';
}

export interface FakeDistribution {
  readonly id: string;
  readonly defaultBehaviour: readonly FakeAssociation[];
  readonly behaviours: readonly { readonly pathPattern: string; readonly associations: readonly FakeAssociation[] }[];
}

export interface FakeStack {
  readonly name: string;
  readonly outputs: Readonly<Record<string, string>>;
}

export interface RecordedRequest {
  /** The service the request was signed for (SigV4 credential scope). */
  readonly service: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly method: string;
  /** Decoded path, without the query. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** awsQuery's Action (CloudFormation), else undefined. */
  readonly action: string | undefined;
}

export interface FakeAccount {
  functions: FakeFunction[];
  distributions: FakeDistribution[];
  stacks: FakeStack[];
  /** Operations answered with AccessDenied (e.g. `ListDistributions`). */
  denied: Set<string>;
  /** Page sizes, small so that the CLI must follow markers. */
  pageSize: { lambda: number; cloudfront: number };
}

export function functionArn(name: string, version?: string): string {
  const base = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:${name}`;
  return version === undefined ? base : `${base}:${version}`;
}

/** `$LATEST` and versions 1..count, a day apart, each with its own code hash. */
export function fakeFunction(name: string, count: number): FakeFunction {
  const day = (n: number) => new Date(Date.UTC(2026, 10, 1 + n, 9, 30)).toISOString().replace('Z', '+0000');
  const code = (n: number) => ({
    codeSha256: createHash('sha256').update(`code of version ${n}`).digest('base64'),
    codeSize: 51_000 + n * 37,
  });
  const numbered = Array.from({ length: count }, (_, i) => ({
    version: String(i + 1),
    ...code(i + 1),
    lastModified: day(i + 1),
  }));
  return { name, versions: [{ version: '$LATEST', ...code(count), lastModified: day(count) }, ...numbered] };
}
