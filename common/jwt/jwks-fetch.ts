// One download of an issuer's JWKS from its `jwksUri`, bounded in time (the whole exchange, body included) and in
// size (declared and streamed). Trust boundary: the body is the network's until it parses as a JWKS of public keys;
// it is never logged.
import type { JSONWebKeySet } from 'jose';
import { readCapped } from '../read-capped.ts';
import { hasPrivateMember, isRecord } from './checks.ts';
import type { JwksRefetch } from './refetch-options.ts';

/** The global fetch fits; tests pass fakes. Redirects are refused: a redirect could leave https. */
export type JwksFetch = (url: string, init: { signal: AbortSignal; redirect: 'error' }) => Promise<Response>;

async function download(fetch: JwksFetch, refetch: JwksRefetch, signal: AbortSignal): Promise<JSONWebKeySet> {
  const response = await fetch(refetch.uri, { signal, redirect: 'error' });
  if (response.status !== 200) throw new Error('JWKS status');
  const body = await readCapped(response, refetch.maxBytes);
  if (body === undefined) throw new RangeError('JWKS too large');
  const jwks: unknown = JSON.parse(body);
  // Any private member means a misconfigured issuer: the whole set is refused. Keys node cannot import (no `kty`,
  // an unknown type) are skipped later, by keyLookup.
  const isPublic = (key: unknown) => isRecord(key) && !hasPrivateMember(key);
  if (!isRecord(jwks) || !Array.isArray(jwks.keys) || !jwks.keys.every(isPublic)) throw new TypeError('not a JWKS');
  return jwks as unknown as JSONWebKeySet;
}

/**
 * The issuer's current JWKS, or a rejection (non-200, too large, not JSON, private key material, timeout). Settles
 * by `timeoutMs` even if the fetch ignores its signal; the signal is aborted on the way out, freeing the connection.
 */
export async function fetchJwks(fetch: JwksFetch, refetch: JwksRefetch): Promise<JSONWebKeySet> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Rejects at the timeout, whether or not the fetch honours its signal: no request waits longer than this.
  const deadline = new Promise<never>((resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error('JWKS fetch timed out'));
    }, refetch.timeoutMs);
  });
  try {
    return await Promise.race([download(fetch, refetch, controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
