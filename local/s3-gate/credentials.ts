// Who claims to have signed a request: the SigV4 access key id, read exactly as s3rver reads it
// (lib/middleware/authentication.js, lib/signature/v4.js) so that the principal the gate authorises is the one whose
// secret s3rver then verifies. Trust boundary: until s3rver has checked the signature, the id is only a claim.
import { createRequire } from 'node:module';
import type { GatePrincipal } from './types.ts';

/** S3's `s3:authType` condition values (S3 User Guide, "Condition keys for Amazon S3"). */
export type AuthType = 'REST-HEADER' | 'REST-QUERY-STRING' | 'POST';

export interface CredentialClaim {
  /** Undefined for an unsigned request, a SigV2 one, or one with more than one auth mechanism: anonymous. */
  readonly accessKeyId: string | undefined;
  readonly authType: AuthType | undefined;
}

const V4 = 'AWS4-HMAC-SHA256';

/** s3rver's header parse: everything after the first space, spaces removed, split on commas. */
function headerAccessKeyId(authorization: string): string | undefined {
  const [algorithm = '', ...rest] = authorization.split(' ');
  if (algorithm.toUpperCase() !== V4) return undefined;
  for (const component of rest.join('').split(',')) {
    const [name, ...value] = component.split('=');
    if (name === 'Credential') return value.join('=').split('/')[0];
  }
  return undefined;
}

export function credentialClaim(authorization: string | undefined, query: URLSearchParams): CredentialClaim {
  const mechanisms = [authorization !== undefined, query.has('Signature'), query.has('X-Amz-Algorithm')];
  // s3rver refuses a request with more than one mechanism; the gate evaluates it as anonymous (never a principal).
  if (mechanisms.filter(Boolean).length !== 1) return { accessKeyId: undefined, authType: undefined };
  if (authorization !== undefined) {
    return { accessKeyId: headerAccessKeyId(authorization), authType: 'REST-HEADER' };
  }
  const credentials = query.getAll('X-Amz-Credential');
  const v4 = query.get('X-Amz-Algorithm') === V4 && credentials.length === 1;
  return { accessKeyId: v4 ? credentials[0]?.split('/')[0] : undefined, authType: 'REST-QUERY-STRING' };
}

interface S3rverAccount {
  createKeyPair(accessKeyId: string, secretAccessKey: string): void;
  revokeAccessKey(accessKeyId: string): void;
}
interface S3rverAccountModel {
  new (accountId: string, displayName: string): S3rverAccount;
  readonly registry: Map<string, S3rverAccount>;
}
// s3rver's process-wide key registry (lib/models/account.js): the gate must run in the process that runs s3rver.
const AWSAccount = createRequire(import.meta.url)('@20minutes/s3rver/lib/models/account') as S3rverAccountModel;

/** Access key ids already known to s3rver (its dummy `S3RVER` pair, or another gate's): a config problem. */
export function registeredElsewhere(principals: readonly GatePrincipal[]): string[] {
  return principals.filter((p) => AWSAccount.registry.has(p.accessKeyId)).map((p) => p.accessKeyId);
}

/** Lets s3rver verify SigV4 for each principal's key pair; the returned function revokes them again. */
export function registerWithS3rver(accountId: string, principals: readonly GatePrincipal[]): () => void {
  const account = new AWSAccount(accountId, 'edgepass-s3-gate');
  for (const p of principals) account.createKeyPair(p.accessKeyId, p.secretAccessKey);
  return () => {
    for (const p of principals) account.revokeAccessKey(p.accessKeyId);
  };
}
