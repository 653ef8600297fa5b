// Wires the local stack from the synthesized deployment: the CDK app is synthesized (or reused) for the local
// config, and every part is built from that template: the distribution's behaviours and policies, the bucket's CORS
// and policy, the function URL's permissions and the origin API role. All on 127.0.0.1; dev keys only.
import http from 'node:http';
import { resolve } from 'node:path';
import { importTrustedKeys } from '../common/cloudfront/keys.ts';
import { createVerifier } from '../common/cloudfront/verify.ts';
import { trustedKeyPems } from '../edge/config-keys.ts';
import { devIdpBehaviour } from './cloudfront/behaviours.ts';
import { behavioursFromTemplate } from './cloudfront/from-template.ts';
import { createEmulatorListener } from './cloudfront/server.ts';
import { createDevIdpServer } from './dev-idp.ts';
import { sessionReader } from './dev-session.ts';
import { ensureDevState } from './dev-state.ts';
import type { DevState } from './dev-state.ts';
import { closeServer, listenOn } from './listen.ts';
import { startLocalAws } from './local-aws.ts';
import type { LocalAws } from './local-aws.ts';
import { adminRoute } from './oidc/admin.ts';
import { localIssuer } from './oidc/issuer.ts';
import { openKeys } from './oidc/key-file.ts';
import { publicJwks } from './oidc/key-set.ts';
import type { KeySet } from './oidc/key-set.ts';
import { DEFAULT_KEY_GRACE_SECONDS, openLocalOp } from './oidc/local-op.ts';
import { isOidcPath } from './oidc/mount.ts';
import { stackConfig } from './stack-config.ts';
import type { AdjustConfig, StackConfig } from './stack-config.ts';
import { DEFAULT_APP_ORIGINS, DEFAULT_CDN_PORT, DEFAULT_STATE_DIR, PORT_VARIABLES } from './stack-env.ts';
import { readDistribution } from './template/distribution.ts';
import type { DistributionModel } from './template/distribution.ts';
import { synthLocal } from './template/synth.ts';
import { viewerRequestLoader } from './viewer-code.ts';

export interface StackOptions {
  /** The CDN port (default 8080; 0 picks a free one). */
  readonly port?: number;
  /** Internal ports; 0 (the default) picks free ones. */
  readonly s3Port?: number;
  readonly apiPort?: number;
  readonly idpPort?: number;
  /** Browser app origins allowed to call the CDN and the API (default http://localhost:5173). */
  readonly appOrigins?: readonly string[];
  /** The git-ignored state folder: dev keys, config, S3 data, the synthesized template (default `.edgepass`). */
  readonly stateDir?: string;
  /** One line per CDN request (method, path, status, reason: never a query string or cookie). */
  readonly log?: (line: string) => void;
  readonly nowMs?: () => number;
  /** Changes the config document before validation and synthesis (e.g. `enforcement: "native"`). */
  readonly adjustConfig?: AdjustConfig;
  /** How long the dev IdP's previous key stays published after `edgepass dev rotate-idp-keys` (default a day). */
  readonly idpKeyGraceSeconds?: number;
}

export interface Stack {
  readonly urls: { readonly cdn: string; readonly s3: string; readonly api: string; readonly idp: string };
  readonly bundleBytes: number;
  readonly appOrigins: readonly string[];
  /** The state folder in use, absolute. */
  readonly stateDir: string;
  /** How the template was obtained: synthesized now, or reused (same config and code), and how long it took. */
  readonly synthesis: { readonly reused: boolean; readonly elapsedMs: number };
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

/** The CDN port is bound first: a taken port fails fast (503 until the rest is ready). */
async function openCdn(parts: Parts) {
  const gate: {
    listener?: http.RequestListener;
    admin?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
  } = {};
  const server = http.createServer((req, res) => {
    if (gate.admin?.(req, res) === true) return;
    if (gate.listener !== undefined) gate.listener(req, res);
    else res.writeHead(503, { 'Content-Type': 'text/plain' }).end('starting');
  });
  const port = await listen(parts, server, parts.options.port ?? DEFAULT_CDN_PORT, PORT_VARIABLES.port);
  return { port, gate };
}

interface Idp {
  readonly cdnPort: number;
  readonly keys: KeySet;
}

/** The dev IdP server and the OpenID Provider it mounts; `/_dev/token` signs with the provider's current key. */
async function startDevIdp(parts: Parts, state: DevState, config: StackConfig, idp: Idp) {
  const ticketClaims = [...new Set(config.edge.protectedPaths.map((p) => p.ticketClaim))];
  const op = openLocalOp({
    stateDir: state.dir,
    cdnPort: idp.cdnPort,
    clientId: state.idp.audience,
    keys: idp.keys,
    ticketClaims,
    keyGraceSeconds: parts.options.idpKeyGraceSeconds ?? DEFAULT_KEY_GRACE_SECONDS,
    nowMs: parts.nowMs,
  });
  const server = createDevIdpServer({
    identity: () => ({ ...op.signer(), issuer: op.issuer, audience: state.idp.audience, ticketClaims }),
    sessionCookieName: config.edge.sessionCookieName,
    secureCookies: config.edge.viewerProtocol === 'https',
    nowMs: parts.nowMs,
    oidc: { handles: isOidcPath, handle: (req, res) => op.handle(req, res) },
    session: sessionReader({
      issuer: op.issuer,
      audience: state.idp.audience,
      jwks: () => op.publishedJwks(),
      sessionCookieName: config.edge.sessionCookieName,
      ticketClaim: ticketClaims[0] ?? 'tickets',
      nowMs: parts.nowMs,
    }),
  });
  return { op, port: await listen(parts, server, parts.options.idpPort, PORT_VARIABLES.idpPort) };
}

interface Built {
  readonly assemblyDir: string;
  readonly model: DistributionModel;
}

async function emulator(
  parts: Parts,
  config: StackConfig,
  { assemblyDir, model }: Built,
  aws: LocalAws,
  idpPort: number,
) {
  const loader = viewerRequestLoader(assemblyDir, parts.log);
  const behaviours = await behavioursFromTemplate(model, {
    s3: aws.s3,
    bucketName: aws.bucketName,
    functionUrl: aws.functionUrl,
    oac: aws.oac,
    viewerRequest: (code) => loader.load(code),
    originResponse: (code) => loader.loadOriginResponse(code),
  });
  // The dev identity provider is the one local-only behaviour, just before the default (`*`).
  behaviours.splice(behaviours.length - 1, 0, devIdpBehaviour(HOST, idpPort));
  const listener = createEmulatorListener({
    behaviours,
    // CloudFront's own check on key-group behaviours trusts the signer's key and the rotation keys.
    nativeVerifier: createVerifier(importTrustedKeys(trustedKeyPems(config.edge)), { cacheEntries: 1000 }),
    distribution: { distributionDomainName: 'localhost', distributionId: model.id },
    viewerProtocol: config.edge.viewerProtocol,
    nowMs: parts.nowMs,
    log: parts.log,
  });
  return { listener, bundleBytes: loader.bundleBytes() };
}

async function startAll(parts: Parts): Promise<Stack> {
  const stateDir = resolve(parts.options.stateDir ?? DEFAULT_STATE_DIR);
  const cdn = await openCdn(parts);
  const state = ensureDevState(stateDir);
  const appOrigins = parts.options.appOrigins ?? DEFAULT_APP_ORIGINS;
  // One issuer for everything local, on the CDN's port; the edge trusts the keys the provider publishes at start.
  const issuer = localIssuer(cdn.port);
  const keys = openKeys(state.dir, issuer, state.idp, parts.nowMs());
  const trust = { issuer, jwks: publicJwks(keys) };
  const config = stackConfig(state.config, appOrigins, parts.options.adjustConfig, trust);
  const synth = await synthLocal(config.document, stateDir);
  parts.log(`template ${synth.reused ? 'reused' : 'synthesized'} in ${Math.round(synth.elapsedMs)} ms`);
  const model = readDistribution(synth.template);
  const aws = await startLocalAws({
    template: synth.template,
    distribution: model,
    stateDir,
    cdnPort: cdn.port,
    ports: { s3: parts.options.s3Port, api: parts.options.apiPort },
    nowMs: parts.nowMs,
    log: parts.log,
    listen: (server, port, variable) => listen(parts, server, port, variable),
    onStop: (stop) => parts.stops.push(stop),
  });
  const { op, port: idpPort } = await startDevIdp(parts, state, config, { cdnPort: cdn.port, keys });
  const { listener, bundleBytes } = await emulator(
    parts,
    config,
    { assemblyDir: synth.assemblyDir, model },
    aws,
    idpPort,
  );
  cdn.gate.admin = adminRoute({ cdnPort: cdn.port, rotate: () => op.rotateKeys(), log: parts.log });
  cdn.gate.listener = listener;
  return {
    urls: { cdn: `http://localhost:${cdn.port}`, s3: aws.s3Url, api: aws.apiUrl, idp: `http://${HOST}:${idpPort}` },
    bundleBytes,
    appOrigins,
    stateDir,
    synthesis: { reused: synth.reused, elapsedMs: synth.elapsedMs },
    stop: () => stopAll(parts.stops),
  };
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
