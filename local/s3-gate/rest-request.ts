// Object and bucket REST requests (GetObject/HeadObject, PutObject, DeleteObject, ListObjects): authorise, forward,
// and hide a missing key behind 403 unless the caller may list the bucket. Trust boundary: s3rver verifies the
// signature of every forwarded request, so an allow here is only as good as the credential s3rver then checks.
import type http from 'node:http';
import { callerName, evaluate } from './authorize.ts';
import { credentialClaim } from './credentials.ts';
import type { Operation } from './operation.ts';
import { forwardRequest, relayResponse } from './proxy.ts';
import { callerOf, contextFor, header, recordVerdict } from './request-context.ts';
import type { GateState, Reply } from './request-context.ts';
import { ACCESS_DENIED, sendS3Error } from './s3-errors.ts';

export async function handleRest(
  state: GateState,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  op: Extract<Operation, { kind: 'object' | 'bucket' }>,
  reply: Reply,
  query: URLSearchParams,
): Promise<void> {
  const { trace } = reply;
  const claim = credentialClaim(header(req, 'authorization'), query);
  const caller = callerOf(state, claim.accessKeyId);
  Object.assign(trace, { kind: op.kind, action: op.action, principal: callerName(caller) });
  const resource = op.kind === 'object' ? `${op.bucket.arn}/${op.key}` : op.bucket.arn;
  const context = contextFor(state, req, caller, claim.authType, op.kind === 'bucket' ? op.context : {});
  const verdict = await evaluate({ caller, action: op.action, resource, bucket: op.bucket, context }, state.accountId);
  recordVerdict(trace, verdict);
  if (!verdict.allowed) {
    sendS3Error(req, res, ACCESS_DENIED, reply.ids, reply.cors);
    return;
  }
  const upstream = await forwardRequest(req, state.upstream, state.agent, undefined);
  if (op.kind === 'object' && op.action === 's3:GetObject' && upstream.statusCode === 404) {
    // "If you don't have the s3:ListBucket permission, Amazon S3 returns an HTTP status code 403 Forbidden error"
    // (API Reference, GetObject/HeadObject "Permissions"). Assumed, as S3 does not document it: that second check
    // sees the missing key as s3:prefix, so a prefix-scoped ListBucket grant counts.
    const listContext = contextFor(state, req, caller, claim.authType, { 's3:prefix': op.key });
    const listQuestion = { caller, action: 's3:ListBucket', resource: op.bucket.arn, bucket: op.bucket };
    const list = await evaluate({ ...listQuestion, context: listContext }, state.accountId);
    if (!list.allowed) {
      upstream.resume();
      trace.note = 'missing key hidden: no s3:ListBucket';
      sendS3Error(req, res, ACCESS_DENIED, reply.ids, reply.cors);
      return;
    }
  }
  relayResponse(upstream, res, reply.cors);
}
