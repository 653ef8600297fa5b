// Builders for CloudFront viewer-request events as Lambda@Edge receives them (Developer Guide, "Lambda@Edge event
// structure"): lower-case header map of { key, value } lists, querystring without "?".
import type {
  CloudFrontHeaders,
  CloudFrontRequestEvent,
  CloudFrontRequestResult,
  CloudFrontResponse,
  CloudFrontResponseEvent,
} from 'aws-lambda';

export interface ViewerRequestInput {
  readonly uri?: string;
  readonly querystring?: string;
  /** name → value; joined into one Cookie header. */
  readonly cookies?: Readonly<Record<string, string>>;
  readonly headers?: Readonly<Record<string, string | readonly string[]>>;
  readonly clientIp?: string;
  readonly host?: string;
  readonly method?: string;
  readonly requestId?: string;
}

function canonicalKey(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}

export function viewerRequest(input: ViewerRequestInput = {}): CloudFrontRequestEvent {
  const headers: CloudFrontHeaders = {};
  const add = (name: string, value: string): void => {
    const lower = name.toLowerCase();
    (headers[lower] ??= []).push({ key: canonicalKey(lower), value });
  };
  add('host', input.host ?? 'cdn.example.test');
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    for (const one of typeof value === 'string' ? [value] : value) add(name, one);
  }
  const cookies = Object.entries(input.cookies ?? {});
  if (cookies.length > 0) add('cookie', cookies.map(([name, value]) => `${name}=${value}`).join('; '));
  return {
    Records: [
      {
        cf: {
          config: {
            distributionDomainName: 'd111111abcdef8.cloudfront.net',
            distributionId: 'EDFDVBD6EXAMPLE',
            eventType: 'viewer-request',
            requestId: input.requestId ?? 'req-test-1',
          },
          request: {
            clientIp: input.clientIp ?? '203.0.113.10',
            headers,
            method: input.method ?? 'GET',
            querystring: input.querystring ?? '',
            uri: input.uri ?? '/',
          },
        },
      },
    ],
  };
}

/** The origin-response event of the same request: the origin's status and headers, never its body. */
export function originResponse(input: ViewerRequestInput, response: CloudFrontResponse): CloudFrontResponseEvent {
  const { config, request } = viewerRequest(input).Records[0]!.cf;
  return { Records: [{ cf: { config: { ...config, eventType: 'origin-response' }, request, response } }] };
}

/** A generated response, or undefined when the handler passed the request on. */
export interface Generated {
  readonly status: number;
  readonly headers: Record<string, string[]>;
  readonly body: string;
}

export function asResponse(result: CloudFrontRequestResult): Generated | undefined {
  if (result === undefined || result === null || !('status' in result)) return undefined;
  const headers: Record<string, string[]> = {};
  for (const [name, list] of Object.entries(result.headers ?? {})) headers[name] = list.map((h) => h.value);
  return { status: Number(result.status), headers, body: result.body ?? '' };
}

/** Parses `Set-Cookie` lines into name → { value, attributes }. */
export function setCookies(response: Generated): Map<string, { value: string; attributes: string }> {
  const cookies = new Map<string, { value: string; attributes: string }>();
  for (const line of response.headers['set-cookie'] ?? []) {
    const [pair = '', ...rest] = line.split('; ');
    const eq = pair.indexOf('=');
    cookies.set(pair.slice(0, eq), { value: pair.slice(eq + 1), attributes: rest.join('; ') });
  }
  return cookies;
}
