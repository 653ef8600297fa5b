// The origin API for the local stack: origin-api's own server and app, pointed at the local S3 with s3rver's
// dev credentials. Its log fields are non-secret by contract (origin-api/core/types.ts Logger).
import type { Server } from 'node:http';
import { createOriginApp } from '../origin-api/app.ts';
import { parseOriginConfig } from '../origin-api/config.ts';
import { createOriginServer } from '../origin-api/server.ts';
import { LOCAL_S3_CREDENTIALS } from './s3.ts';

export function createLocalOriginApi(
  raw: Record<string, unknown>,
  nowMs: () => number,
  log: (line: string) => void,
): Server {
  const line = (level: string) => (event: string, fields: Readonly<Record<string, unknown>>) => {
    log(`origin API ${level} ${event} ${JSON.stringify(fields)}`);
  };
  const app = createOriginApp(parseOriginConfig(raw), {
    credentials: LOCAL_S3_CREDENTIALS,
    clock: nowMs,
    logger: { info: line('info'), error: line('error') },
  });
  return createOriginServer(app);
}
