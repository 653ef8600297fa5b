// Chooses what the load test runs against and with which requests: pass-through requests (signed cookies and signed
// URLs of the warm users) sent with the configured Host, to a server that runs the real bundle per request.
import { DOMAIN } from '../fixtures/config.ts';
import type { Inputs } from '../fixtures/inputs.ts';
import type { Settings } from '../plan.ts';
import { runLoad } from './load.ts';
import type { LoadRequest, LoadResult } from './load.ts';

export function loadRequests(inputs: Inputs): LoadRequest[] {
  const host = DOMAIN;
  const cookies = inputs.cookieRequests.map((r) => ({
    path: r.uri,
    headers: {
      host,
      cookie: Object.entries(r.cookies)
        .map(([k, v]) => `${k}=${v}`)
        .join('; '),
    },
  }));
  const urls = inputs.urlRequests.map((r) => ({ path: `${r.uri}?${r.querystring}`, headers: { host } }));
  return cookies.flatMap((c, i) => [c, urls[i % urls.length]!]);
}

/**
 * The local stack (local/start.ts) runs with its own development keys and config; until it can be driven with the
 * benchmark's, the load test uses the fallback: a node:http server that runs the real bundle's handler per request.
 */
export async function loadTest(
  inputs: Inputs,
  bundle: string,
  s: Settings,
  say: (line: string) => void,
): Promise<{ load: LoadResult; loadNote: string }> {
  const loadNote = 'fallback node:http server running the real bundle handler per request (child process)';
  say(`load: ${s.load.durationSeconds} s of autocannon, ${s.load.connections} connections…`);
  const load = await runLoad({ target: loadNote, bundle, requests: loadRequests(inputs), ...s.load });
  return { load, loadNote };
}
