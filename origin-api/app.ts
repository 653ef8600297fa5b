// Composes the origin API from a parsed configuration: token verifier, S3 store and core, with real clock, ids and
// a JSON-lines logger unless the caller injects its own. Shared by the Lambda handler and the local server.
import { randomUUID } from 'node:crypto';
import { createKeyRing, createTokenVerifier } from '../common/jwt/index.ts';
import type { JwksFetch } from '../common/jwt/index.ts';
import type { OriginConfig } from './config.ts';
import { createOriginApi } from './core/api.ts';
import type { OriginApi } from './core/api.ts';
import type { Logger, LogFields, ObjectStore } from './core/types.ts';
import { createS3Store } from './s3-store.ts';
import type { StoreCredentials } from './s3-store.ts';

export interface OriginApp {
  readonly handle: OriginApi;
  /** Adapters read at most this many bytes (+1) of a request body before handing it to the core. */
  readonly maxRequestBytes: number;
}

export interface OriginAppDeps {
  /** Omit to use the SDK's default chain (the Lambda role). */
  readonly credentials?: StoreCredentials;
  readonly store?: ObjectStore;
  readonly clock?: () => number;
  readonly newId?: () => string;
  readonly logger?: Logger;
  /** Fetches an issuer's `jwksUri` when a token names an unknown kid (never at start-up). @default the global fetch */
  readonly fetch?: JwksFetch;
}

/** One JSON object per line, the shape CloudWatch Logs Insights parses; fields are never secrets. */
const jsonLogger: Logger = {
  info: (event: string, fields: LogFields) => {
    console.log(JSON.stringify({ level: 'info', event, ...fields }));
  },
  error: (event: string, fields: LogFields) => {
    console.error(JSON.stringify({ level: 'error', event, ...fields }));
  },
};

export function createOriginApp(config: OriginConfig, deps: OriginAppDeps = {}): OriginApp {
  const options = config.originApi;
  const handle = createOriginApi({
    options,
    verifyToken: createTokenVerifier(
      config.jwt,
      config.linkAudience === null ? {} : { refuseAudience: config.linkAudience },
      createKeyRing(config.jwt, deps.fetch ?? fetch),
    ),
    store: deps.store ?? createS3Store(options, deps.credentials),
    clock: deps.clock ?? Date.now,
    newId: deps.newId ?? randomUUID,
    logger: deps.logger ?? jsonLogger,
    appOrigins: new Set(config.appOrigins),
  });
  return { handle, maxRequestBytes: options.maxRequestBytes };
}
