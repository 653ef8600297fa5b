// Wires the local stack: s3rver (seeded), the origin API, the dev identity provider and the CloudFront emulator
// running the real edge bundle, all on 127.0.0.1. Dev only: dev keys, dev credentials, nothing from AWS.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { join, resolve } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { importTrustedKeys } from '../common/cloudfront/keys.ts';
import { createVerifier } from '../common/cloudfront/verify.ts';
import { trustedKeyPems } from '../edge/config-keys.ts';
import { localBehaviours } from './cloudfront/behaviours.ts';
import type { ViewerRequestHandler } from './cloudfront/run-function.ts';
import { createEmulatorListener } from './cloudfront/server.ts';
import { createDevIdpServer } from './dev-idp.ts';
import { ensureDevState } from './dev-state.ts';
import type { DevState } from './dev-state.ts';
import { buildAndLoadEdgeBundle } from './edge-bundle.ts';
import { closeServer, listenOn } from './listen.ts';
import { createLocalOriginApi } from './origin-api.ts';
import { corsConfiguration, localS3Client, startLocalS3 } from './s3.ts';
import { seedDemoContent } from './seed.ts';
import { CONTENT_BUCKET, UPLOADS_BUCKET, stackConfig } from './stack-config.ts';
import type { AdjustConfig, StackConfig } from './stack-config.ts';

export interface StackOptions {
  /** The CDN port (default 8080; 0 picks a free one). */
  readonly port?: number;
  /** Internal ports; 0 (the default) picks free ones. */
  readonly s3Port?: number;
  readonly apiPort?: number;
  readonly idpPort?: number;
  /** The git-ignored state folder: dev keys, config, S3 data, the built bundle (default `.edgepass`). */
  readonly stateDir?: string;
  /** One line per CDN request (method, path, status, reason: never a query string or cookie). */
  readonly log?: (line: string) => void;
  readonly nowMs?: () => number;
  /** Changes the config document before validation and the bundle build (e.g. `enforcement: "native"`). */
  readonly adjustConfig?: AdjustConfig;
}

export interface Stack {
  readonly urls: { readonly cdn: string; readonly s3: string; readonly api: string; readonly idp: string };
  readonly bundleBytes: number;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
type Stops = (() => Promise<void>)[];

interface Parts {
  readonly options: StackOptions;
  readonly log: (line: string) => void;
  readonly nowMs: () => number;
  readonly stops: Stops;
}

async function listen(parts: Parts, server: http.Server, port: number | undefined, variable: string) {
  const bound = await listenOn(server, port ?? 0, HOST, variable);
  parts.stops.push(() => closeServer(server));
  return bound;
}

/** The CDN port is bound first: a taken port fails fast, and the sign-in URL needs the real port (503 until ready). */
async function openCdn(parts: Parts) {
  const gate: { listener?: http.RequestListener } = {};
  const server = http.createServer((req, res) => {
    if (gate.listener !== undefined) gate.listener(req, res);
    else res.writeHead(503, { 'Content-Type': 'text/plain' }).end('starting');
  });
  const port = await listen(parts, server, parts.options.port ?? 8080, 'PORT');
  return { port, gate };
}

async function startS3(parts: Parts, stateDir: string, cdnPort: number) {
  const cdnOrigins = [`http://localhost:${cdnPort}`, `http://${HOST}:${cdnPort}`];
  const s3 = await startLocalS3({
    directory: join(stateDir, 's3'),
    port: parts.options.s3Port ?? 0,
    buckets: [{ name: CONTENT_BUCKET }, { name: UPLOADS_BUCKET, configs: [corsConfiguration(cdnOrigins)] }],
  });
  parts.stops.push(() => s3.close());
  const client = localS3Client(s3.endpoint);
  parts.stops.push(() => {
    client.destroy();
    return Promise.resolve();
  });
  await seedDemoContent(client, CONTENT_BUCKET);
  return { endpoint: s3.endpoint, client };
}

async function startOrigins(parts: Parts, state: DevState, config: StackConfig) {
  const apiPort = await listen(
    parts,
    createLocalOriginApi(config.raw, parts.nowMs, parts.log),
    parts.options.apiPort,
    'API_PORT',
  );
  const ticketClaims = [...new Set(config.edge.protectedPaths.map((p) => p.ticketClaim))];
  const idp = createDevIdpServer({
    identity: { ...state.idp, ticketClaims },
    sessionCookieName: config.edge.sessionCookieName,
    secureCookies: config.edge.viewerProtocol === 'https',
    nowMs: parts.nowMs,
  });
  const idpPort = await listen(parts, idp, parts.options.idpPort, 'IDP_PORT');
  return { apiPort, idpPort };
}

function emulatorListener(
  parts: Parts,
  config: StackConfig,
  wiring: {
    handler: ViewerRequestHandler;
    client: S3Client;
    apiPort: number;
    idpPort: number;
  },
): http.RequestListener {
  // CloudFront's own check on `native` behaviours trusts the signer's key and the rotation keys.
  const trusted = trustedKeyPems(config.edge);
  return createEmulatorListener({
    behaviours: localBehaviours(config.edge.protectedPaths, {
      api: { name: 'origin API', host: HOST, port: wiring.apiPort },
      dev: { name: 'dev identity provider', host: HOST, port: wiring.idpPort },
    }),
    handler: wiring.handler,
    s3: { client: wiring.client, bucket: CONTENT_BUCKET },
    nativeVerifier: createVerifier(importTrustedKeys(trusted), { cacheEntries: 1000 }),
    distribution: { distributionDomainName: 'localhost', distributionId: `ELOCAL${randomBytes(4).toString('hex')}` },
    viewerProtocol: config.edge.viewerProtocol,
    nowMs: parts.nowMs,
    log: parts.log,
  });
}

async function startAll(parts: Parts): Promise<Stack> {
  const stateDir = resolve(parts.options.stateDir ?? '.edgepass');
  const cdn = await openCdn(parts);
  const state = ensureDevState(stateDir);
  const s3 = await startS3(parts, stateDir, cdn.port);
  const config = stackConfig(state.config, cdn.port, s3.endpoint, parts.options.adjustConfig);
  const bundle = await buildAndLoadEdgeBundle(config.raw, stateDir);
  const { apiPort, idpPort } = await startOrigins(parts, state, config);
  cdn.gate.listener = emulatorListener(parts, config, {
    handler: bundle.handler,
    client: s3.client,
    apiPort,
    idpPort,
  });
  const urls = {
    cdn: `http://localhost:${cdn.port}`,
    s3: s3.endpoint,
    api: `http://${HOST}:${apiPort}`,
    idp: `http://${HOST}:${idpPort}`,
  };
  return { urls, bundleBytes: bundle.bytes, stop: () => stopAll(parts.stops) };
}

async function stopAll(stops: Stops): Promise<void> {
  for (const close of stops.splice(0).reverse()) await close().catch(() => undefined);
}

/** Starts every part; if one fails, the parts already running are stopped before the error is rethrown. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const parts: Parts = {
    options,
    log: options.log ?? (() => undefined),
    nowMs: options.nowMs ?? (() => Date.now()),
    stops: [],
  };
  try {
    return await startAll(parts);
  } catch (error) {
    await stopAll(parts.stops);
    throw error;
  }
}
