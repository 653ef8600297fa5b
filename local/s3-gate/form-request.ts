// Browser POST uploads to the bucket (multipart/form-data): bounded buffering, the key and credential read from the
// form, the POST signature verified here (s3rver does not), s3:PutObject evaluated, then the same bytes forwarded.
// Trust boundary: nothing in the form is trusted until the policy signature has been verified.
import type http from 'node:http';
import { callerName, evaluate } from './authorize.ts';
import { keyProblem } from './operation.ts';
import { readBoundedBody } from '../http-body.ts';
import { parseForm, verifyPostAuth } from './post-form.ts';
import type { FormFields } from './post-form.ts';
import { forwardRequest, relayResponse } from './proxy.ts';
import { callerOf, contextFor, recordVerdict } from './request-context.ts';
import type { GateState, Reply } from './request-context.ts';
import { ACCESS_DENIED, ENTITY_TOO_LARGE, MALFORMED_POST, POST_KEY_MISSING, sendS3Error } from './s3-errors.ts';
import type { S3ErrorSpec } from './s3-errors.ts';
import type { GateBucket } from './types.ts';

type Refusal = { readonly spec: S3ErrorSpec; readonly note: string };

function formRefusal(form: FormFields | undefined): Refusal | undefined {
  if (form === undefined) return { spec: MALFORMED_POST, note: 'malformed form' };
  if (form.key === undefined) return { spec: POST_KEY_MISSING, note: 'no key field' };
  const problem = keyProblem(form.key);
  return problem === undefined ? undefined : { spec: ACCESS_DENIED, note: `unmapped: POST form (${problem})` };
}

export async function handleForm(
  state: GateState,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  bucket: GateBucket,
  reply: Reply,
): Promise<void> {
  const { trace } = reply;
  Object.assign(trace, { kind: 'form', action: 's3:PutObject' });
  const refuse = ({ spec, note }: Refusal) => {
    trace.note = note;
    sendS3Error(req, res, spec, reply.ids, reply.cors);
  };
  const body = await readBoundedBody(req, state.maxFormBytes);
  if (body === undefined) {
    // The rest of the body is never read: close the connection after answering.
    res.setHeader('Connection', 'close');
    refuse({ spec: ENTITY_TOO_LARGE, note: `form body over ${state.maxFormBytes} bytes` });
    return;
  }
  const form = await parseForm(body, req.headers);
  const refusal = formRefusal(form);
  if (refusal !== undefined || form?.key === undefined) {
    refuse(refusal ?? { spec: MALFORMED_POST, note: 'malformed form' });
    return;
  }
  const auth = verifyPostAuth(form.fields, (id) => state.principals.get(id)?.secretAccessKey, state.nowMs());
  if (auth.kind === 'refused') {
    refuse({ spec: auth.error, note: `form ${auth.error.code}` });
    return;
  }
  const caller = callerOf(state, auth.kind === 'signed' ? auth.accessKeyId : undefined);
  trace.principal = callerName(caller);
  const context = contextFor(state, req, caller, 'POST', {});
  const resource = `${bucket.arn}/${form.key}`;
  const verdict = await evaluate({ caller, action: 's3:PutObject', resource, bucket, context }, state.accountId);
  recordVerdict(trace, verdict);
  if (!verdict.allowed) {
    sendS3Error(req, res, ACCESS_DENIED, reply.ids, reply.cors);
    return;
  }
  relayResponse(await forwardRequest(req, state.upstream, state.agent, body), res, reply.cors);
}
