// The one host function the sandbox can call: strings in, a string out, and it never throws, because a host-realm
// object inside the context (an Error included) leads back to the host's Function constructor and so to `process`.
// It backs Buffer, TextEncoder/TextDecoder, atob/btoa and require('crypto') (runtime 2.0 page, "Built-in modules").
import { createHash, createHmac } from 'node:crypto';

/** Marks a failure: the sandbox side turns it into its own TypeError. */
export const BRIDGE_FAILURE = '\u0000';

/** The encodings the runtime 2.0 page lists for Buffer, and the digests it lists for crypto. */
const ENCODINGS: ReadonlySet<string> = new Set(['utf8', 'hex', 'base64', 'base64url']);
const DIGESTS: ReadonlySet<string> = new Set(['md5', 'sha1', 'sha256']);
// atob follows the HTML "forgiving-base64 decode": ASCII whitespace removed, padding optional.
const FORGIVING_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

function call(op: string, a: string, b: string, c: string): string {
  switch (op) {
    case 'encode': // a: encoding, b: text → bytes as a latin1 string
      return ENCODINGS.has(a)
        ? Buffer.from(b, a as BufferEncoding).toString('latin1')
        : `${BRIDGE_FAILURE}Unknown encoding: ${a}`;
    case 'decode': // a: encoding, b: bytes as a latin1 string → text
      return ENCODINGS.has(a) ? latin1(b).toString(a as BufferEncoding) : `${BRIDGE_FAILURE}Unknown encoding: ${a}`;
    case 'hash': // a: algorithm, b: data
      return DIGESTS.has(a)
        ? createHash(a).update(latin1(b)).digest().toString('latin1')
        : `${BRIDGE_FAILURE}Digest method not supported`;
    case 'hmac': // a: algorithm, b: data, c: key
      return DIGESTS.has(a)
        ? createHmac(a, latin1(c)).update(latin1(b)).digest().toString('latin1')
        : `${BRIDGE_FAILURE}Digest method not supported`;
    case 'clock': // for the runner only (prelude.ts keeps it from function code: no high-resolution timers there)
      return process.hrtime.bigint().toString();
    case 'btoa':
      return /^[\0-\xff]*$/.test(a) ? latin1(a).toString('base64') : `${BRIDGE_FAILURE}Invalid character`;
    case 'atob': {
      const compact = a.replace(/[\t\n\f\r ]/g, '');
      return FORGIVING_BASE64.test(compact)
        ? Buffer.from(compact, 'base64').toString('latin1')
        : `${BRIDGE_FAILURE}Invalid character`;
    }
    default:
      return `${BRIDGE_FAILURE}unknown operation`;
  }
}

export function hostBridge(op: unknown, a: unknown, b: unknown, c: unknown): string {
  try {
    if (typeof op !== 'string' || typeof a !== 'string' || typeof b !== 'string' || typeof c !== 'string') {
      return `${BRIDGE_FAILURE}invalid arguments`;
    }
    return call(op, a, b, c);
  } catch {
    return `${BRIDGE_FAILURE}the runtime could not complete ${typeof op === 'string' ? op.slice(0, 16) : 'a call'}`;
  }
}
