// The gate's request handler: classify the request, then answer a preflight, refuse, or hand over to the REST or
// POST-form path. Trust boundary: the whole request is untrusted input; the handler never throws (a bug answers
// 500 InternalError, is logged with its request id, and is never an allow).
import type http from 'node:http';
import { actualCorsHeaders, evaluatePreflight } from './cors.ts';
import { handleForm } from './form-request.ts';
import { classify } from './operation.ts';
import { header } from './request-context.ts';
import type { GateState, Reply, Trace } from './request-context.ts';
import { handleRest } from './rest-request.ts';
import { ACCESS_DENIED, INTERNAL_ERROR, newRequestIds, sendS3Error } from './s3-errors.ts';
import type { GateBucket } from './types.ts';

export function createHandler(state: GateState): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    const ids = newRequestIds();
    const trace: Trace = {
      ...{ method: req.method ?? '-', bucket: '-', kind: '-', action: '-', principal: '-' },
      ...{ decision: 'deny', note: '' },
    };
    handle(state, req, res, { ids, trace, cors: [] })
      .catch((error: unknown) => {
        trace.decision = 'error';
        trace.note = `internal error ${error instanceof Error ? error.name : 'unknown'}`;
        if (res.headersSent) res.destroy();
        else sendS3Error(req, res, INTERNAL_ERROR, ids);
      })
      .finally(() => {
        const { method, bucket, kind, action, principal, decision, note } = trace;
        const status = res.headersSent ? ` ${res.statusCode}` : '';
        const tail = note === '' ? '' : ` ${note}`;
        state.log(
          `s3-gate ${ids.requestId} ${method} ${bucket} ${kind} ${action} ${principal} ${decision}${status}${tail}`,
        );
      });
  };
}

async function handle(state: GateState, req: http.IncomingMessage, res: http.ServerResponse, base: Reply) {
  const { trace } = base;
  const url = req.url ?? '/';
  const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
  // s3rver turns x-amz-* query parameters into headers (middleware/authentication.js): a copy source may hide there.
  const copyInQuery = [...query.keys()].some((n) => n.toLowerCase() === 'x-amz-copy-source');
  const op = classify(
    {
      method: trace.method,
      url,
      host: header(req, 'host'),
      contentType: header(req, 'content-type'),
      copySourceHeader: copyInQuery || header(req, 'x-amz-copy-source') !== undefined,
    },
    state.buckets,
  );
  trace.bucket = op.bucket?.name ?? '-';
  const cors =
    op.bucket === undefined ? [] : actualCorsHeaders(op.bucket.corsRules, header(req, 'origin'), trace.method);
  const reply: Reply = { ...base, cors };
  switch (op.kind) {
    case 'error':
      sendS3Error(req, res, op.error, reply.ids, cors);
      return;
    case 'unmapped':
      trace.note = `unmapped: ${op.shape}`;
      sendS3Error(req, res, ACCESS_DENIED, reply.ids, cors);
      return;
    case 'preflight':
      preflight(req, res, op.bucket, reply, op.target);
      return;
    case 'form':
      await handleForm(state, req, res, op.bucket, reply);
      return;
    case 'object':
    case 'bucket':
      await handleRest(state, req, res, op, reply, query);
      return;
  }
}

/** Answered by the gate itself, never forwarded (S3 API Reference, "Appendix: OPTIONS object"). */
function preflight(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  bucket: GateBucket,
  reply: Reply,
  target: string,
) {
  Object.assign(reply.trace, { kind: target, decision: 'cors-preflight' });
  const outcome = evaluatePreflight(bucket.corsRules, {
    origin: header(req, 'origin'),
    method: header(req, 'access-control-request-method'),
    headers: header(req, 'access-control-request-headers'),
  });
  if (outcome.kind === 'refused') {
    sendS3Error(req, res, outcome.error, reply.ids);
    return;
  }
  const ids: [string, string][] = [
    ['x-amz-request-id', reply.ids.requestId],
    ['x-amz-id-2', reply.ids.hostId],
    ['Content-Length', '0'],
  ];
  res.writeHead(200, [...outcome.headers, ...ids].flat());
  res.end();
}
