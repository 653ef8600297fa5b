// The local S3 gate: an http server in front of s3rver that enforces what AWS enforces and s3rver does not, IAM
// (identity + bucket policies through a real evaluator) and the bucket's CORS rules. Every S3 caller of the local
// stack talks to it; s3rver still verifies SigV4. Trust boundary: requests are untrusted, options are trusted config.
import http from 'node:http';
import { closeServer } from '../listen.ts';
import { checkGateOptions } from './config.ts';
import { registerWithS3rver } from './credentials.ts';
import { createHandler } from './handler.ts';
import type { S3GateOptions } from './types.ts';

export type { CorsRule, GateBucket, GatePrincipal, GateRole, PolicyDocument, S3GateOptions } from './types.ts';

export interface S3Gate {
  /** Not yet listening: the caller listens (e.g. `listenOn(gate.server, port, '127.0.0.1', 'S3_PORT')`). */
  readonly server: http.Server;
  /** Stops the server (if listening) and revokes the principals' keys from s3rver's registry. */
  close(): Promise<void>;
}

/** 6 MiB of upload plus room for the form's other fields. */
const DEFAULT_MAX_FORM_BYTES = 6 * 1024 * 1024 + 64 * 1024;

/**
 * Checks the options (all problems at once, `ConfigError`), registers each principal's key pair with s3rver (which
 * must run in this process) and returns the gate's server. Buckets in s3rver must be created without CORS configs.
 */
export async function createS3Gate(options: S3GateOptions): Promise<S3Gate> {
  await checkGateOptions(options);
  const revoke = registerWithS3rver(options.accountId, options.principals);
  const agent = new http.Agent({ keepAlive: true });
  const handler = createHandler({
    upstream: options.upstream,
    accountId: options.accountId,
    buckets: new Map(options.buckets.map((b) => [b.name, b])),
    principals: new Map(options.principals.map((p) => [p.accessKeyId, p])),
    contextOverrides: options.context ?? {},
    maxFormBytes: options.maxFormBytes ?? DEFAULT_MAX_FORM_BYTES,
    agent,
    log: options.log ?? (() => undefined),
    nowMs: options.nowMs ?? (() => Date.now()),
  });
  const server = http.createServer(handler);
  let closed = false;
  return {
    server,
    async close() {
      if (closed) return;
      closed = true;
      await closeServer(server);
      agent.destroy();
      revoke();
    },
  };
}
