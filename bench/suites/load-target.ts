// What the load test runs against: the local stack (local/start.ts: CloudFront emulator, the real bundle built from
// its dev config, s3rver as origin), or, when the stack cannot start, a bare server running our bundle per request.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getSignedCookies, getSignedUrl } from '@aws-sdk/cloudfront-signer';
import { DOMAIN } from '../fixtures/config.ts';
import type { Inputs } from '../fixtures/inputs.ts';
import type { Settings } from '../plan.ts';
import { runLoad } from './load.ts';
import type { LoadRequest, LoadResult } from './load.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
/** One Cookie header from the signer's output (`CloudFront-Policy`, `-Signature`, `-Key-Pair-Id`). */
function cookieHeader(cookies: object): string {
  return Object.entries(cookies as Record<string, string | number | undefined>)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('; ');
}

/** Fallback requests: the warm users' signed cookies and signed URLs, with the configured Host. */
export function loadRequests(inputs: Inputs): LoadRequest[] {
  const host = DOMAIN;
  const cookies = inputs.cookieRequests.map((r) => ({
    path: r.uri,
    headers: { host, cookie: cookieHeader(r.cookies) },
  }));
  const urls = inputs.urlRequests.map((r) => ({ path: `${r.uri}?${r.querystring}`, headers: { host } }));
  return cookies.flatMap((c, i) => [c, urls[i % urls.length]!]);
}

/**
 * Requests for the stack's seeded attractions, signed with the stack's dev key (read from its state folder): per
 * attraction 16 distinct cookie sets (as many visitors) and a signed URL per object, for small objects.
 */
async function stackRequests(stateDir: string, baseUrl: string, nowS: number): Promise<LoadRequest[]> {
  const { ensureDevState } = await import('../../local/dev-state.ts');
  const { ATTRACTIONS } = await import('../../local/demo-content.ts');
  const { keyPairId, privateKeyPem } = ensureDevState(stateDir).cloudfront;
  const requests: LoadRequest[] = [];
  for (const a of ATTRACTIONS) {
    const paths = [`/attractions/${a.id}/index.html`, `/attractions/${a.id}/${a.badge}`];
    for (let visitor = 0; visitor < 16; visitor++) {
      const Resource = `${baseUrl}/attractions/${a.id}/*`;
      const expires = nowS + 3600 + visitor;
      const policy = JSON.stringify({
        Statement: [{ Resource, Condition: { DateLessThan: { 'AWS:EpochTime': expires } } }],
      });
      const cookie = cookieHeader(getSignedCookies({ policy, keyPairId, privateKey: privateKeyPem }));
      requests.push({ path: paths[visitor % paths.length]!, headers: { cookie } });
    }
    for (const path of paths) {
      const signed = getSignedUrl({
        url: `${baseUrl}${path}`,
        keyPairId,
        privateKey: privateKeyPem,
        dateLessThan: new Date((nowS + 300) * 1000),
      });
      requests.push({ path: signed.slice(baseUrl.length), headers: {} });
    }
  }
  return requests;
}

export interface LoadRun {
  readonly load: LoadResult;
  /** What served the load, or why the stand-in was used. */
  readonly loadNote: string;
}

/** The local stack under load, or the stand-in server with the reason when the stack is missing or fails. */
export async function stackLoad(inputs: Inputs, bundle: string, dir: string, s: Settings): Promise<LoadRun> {
  const stateDir = join(dir, 'stack');
  let why = 'local/start.ts is missing';
  if (existsSync(join(ROOT, 'local', 'start.ts'))) {
    const target = 'local stack (npm start: CloudFront emulator + real bundle + s3rver origin), child process';
    try {
      const server = { mode: 'stack' as const, where: stateDir };
      // Signed once the stack is up: its dev keys exist then, and ensureDevState only reads them.
      const requestsFor = (url: string) => stackRequests(stateDir, url, inputs.nowS);
      return { load: await runLoad({ target, server, requestsFor, ...s.load.stack }), loadNote: target };
    } catch (error) {
      why = `the local stack failed (${error instanceof Error ? error.message : 'unknown error'})`;
    }
  }
  const run = await edgeServerLoad(inputs, bundle, s);
  return { load: run.load, loadNote: `${run.loadNote}, standing in for the stack: ${why}` };
}

/** The edge alone: a bare node:http server running the bundle's handler, so the stack's origin does not dominate. */
export async function edgeServerLoad(inputs: Inputs, bundle: string, s: Settings): Promise<LoadRun> {
  const target = 'bare node:http server running the real bundle per request, child process';
  const server = { mode: 'bundle' as const, where: bundle };
  const requestsFor = () => Promise.resolve(loadRequests(inputs));
  return { load: await runLoad({ target, server, requestsFor, ...s.load.edge }), loadNote: target };
}
