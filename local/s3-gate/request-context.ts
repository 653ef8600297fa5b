// Per-request values the handlers share: the gate's resolved state, the log trace, the caller behind a credential
// and the IAM request context (IAM User Guide, "AWS global condition context keys"; S3 User Guide, "Condition keys
// for Amazon S3"). Trust boundary: the context is built from the socket and the claim, overrides applied last.
import type http from 'node:http';
import { callerContext } from './authorize.ts';
import type { Caller, Verdict } from './authorize.ts';
import type { AuthType } from './credentials.ts';
import type { RequestIds } from './s3-errors.ts';
import type { GateBucket, GatePrincipal } from './types.ts';

export interface GateState {
  readonly upstream: { readonly host: string; readonly port: number };
  readonly accountId: string;
  readonly buckets: ReadonlyMap<string, GateBucket>;
  /** By access key id. */
  readonly principals: ReadonlyMap<string, GatePrincipal>;
  readonly contextOverrides: Readonly<Record<string, string>>;
  readonly maxFormBytes: number;
  readonly agent: http.Agent;
  readonly log: (line: string) => void;
  readonly nowMs: () => number;
}

/** What the log line says about one request: never a query value, signature, credential or token. */
export interface Trace {
  method: string;
  bucket: string;
  kind: string;
  action: string;
  principal: string;
  decision: 'allow' | 'deny' | 'cors-preflight' | 'error';
  note: string;
}

export interface Reply {
  readonly ids: RequestIds;
  readonly trace: Trace;
  /** CORS headers for this request's Origin and method (empty when no rule matches). */
  readonly cors: readonly (readonly [string, string])[];
}

export function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** An unknown or missing access key id is the anonymous principal (the bucket policy decides, and does not allow). */
export function callerOf(state: GateState, accessKeyId: string | undefined): Caller {
  const principal = accessKeyId === undefined ? undefined : state.principals.get(accessKeyId);
  if (principal === undefined) return { kind: 'anonymous' };
  return principal.kind === 'role' ? { kind: 'role', role: principal } : { kind: 'service', service: principal };
}

export function contextFor(
  state: GateState,
  req: http.IncomingMessage,
  caller: Caller,
  authType: AuthType | undefined,
  extra: Readonly<Record<string, string>>,
): Record<string, string> {
  const now = state.nowMs();
  const context: Record<string, string> = {
    // From the connection: `false` over the loopback's plain http unless overridden (options.context).
    'aws:SecureTransport': (req.socket as { encrypted?: boolean }).encrypted === true ? 'true' : 'false',
    'aws:CurrentTime': new Date(now).toISOString(),
    'aws:EpochTime': String(Math.floor(now / 1000)),
  };
  // Assumed: S3 leaves aws:SourceIp out when a service principal (CloudFront OAC) makes the call.
  if (caller.kind !== 'service') context['aws:SourceIp'] = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
  if (caller.kind !== 'anonymous' && authType !== undefined) {
    context['s3:authType'] = authType;
    context['s3:signatureversion'] = 'AWS4-HMAC-SHA256';
  }
  return { ...context, ...callerContext(caller), ...extra, ...state.contextOverrides };
}

export function recordVerdict(trace: Trace, verdict: Verdict): void {
  trace.decision = verdict.allowed ? 'allow' : 'deny';
  if (!verdict.allowed) trace.note = verdict.why ?? verdict.reason;
}
