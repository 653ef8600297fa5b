// One HTTP exchange of the smoke test: never follows a redirect (each hop is checked by its step), bounded by a
// timeout, and reads the reason code an answer carries (edge JSON `reason`, origin API `code`, the HTML page's
// `<code>`, S3 or CloudFront XML `<Code>`). Trust boundary: answers are untrusted text; only a code-shaped reason
// and numbers are taken from them.
import { createHash } from 'node:crypto';
import type { SmokeDeps } from './types.ts';

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Uint8Array;
  /** A reason code from the body, when it has one that looks like a code. */
  readonly reason: string | undefined;
}

const CODE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

const codeShaped = (value: unknown): string | undefined =>
  typeof value === 'string' && CODE.test(value) ? value : undefined;

function jsonReason(text: string): string | undefined {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null) return undefined;
    const { reason, code } = body as { reason?: unknown; code?: unknown };
    return codeShaped(reason) ?? codeShaped(code);
  } catch {
    return undefined;
  }
}

export function reasonOf(contentType: string, bytes: Uint8Array): string | undefined {
  if (bytes.length === 0 || bytes.length > 64 * 1024) return undefined;
  const text = Buffer.from(bytes).toString('utf8');
  if (/json/i.test(contentType)) return jsonReason(text);
  if (/html/i.test(contentType)) return codeShaped(/<code>([^<]{1,64})<\/code>/.exec(text)?.[1]);
  if (/xml/i.test(contentType)) return codeShaped(/<Code>([^<]{1,64})<\/Code>/.exec(text)?.[1]);
  return undefined;
}

export async function exchange(deps: SmokeDeps, timeoutMs: number, url: string, init: RequestInit): Promise<Answer> {
  const signal = AbortSignal.timeout(timeoutMs);
  const headers = new Headers(init.headers);
  headers.set('user-agent', 'edgepass-smoke');
  const response = await deps.fetch(url, { ...init, headers, redirect: 'manual', signal });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const reason = reasonOf(response.headers.get('content-type') ?? '', bytes);
  return { status: response.status, headers: response.headers, bytes, reason };
}

/** `403 no_ticket`, or just `200`. */
export const statusOf = (answer: Answer): string =>
  answer.reason === undefined ? String(answer.status) : `${String(answer.status)} ${answer.reason}`;

/** `text/html, 1,234 B`: what an object answer was, without its content. */
export function describeBody(answer: Answer): string {
  const type = (answer.headers.get('content-type') ?? 'no type').split(';')[0]?.trim() ?? '';
  return `${type.slice(0, 40)}, ${answer.bytes.length.toLocaleString('en-US')} B`;
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The `name=value` pairs of Set-Cookie lines (attributes dropped). */
export function setCookies(answer: Answer): { name: string; value: string; line: string }[] {
  return answer.headers.getSetCookie().flatMap((line) => {
    const pair = line.split(';', 1)[0] ?? '';
    const eq = pair.indexOf('=');
    return eq <= 0 ? [] : [{ name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), line }];
  });
}

/** An attribute of a Set-Cookie line (`path`, `max-age`), case-insensitive, or undefined. */
export function cookieAttribute(line: string, name: string): string | undefined {
  for (const part of line.split(';').slice(1)) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase();
    if (key === name) return eq < 0 ? '' : part.slice(eq + 1).trim();
  }
  return undefined;
}
