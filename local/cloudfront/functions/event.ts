// Turns a viewer's HTTP request into the CloudFront Functions viewer-request event (Developer Guide, "CloudFront
// Functions event structure"). Input is untrusted viewer data: kept raw (never decoded), only split and grouped.
import { splitTarget } from '../event.ts';
import type { Distribution, ViewerRequest } from '../event.ts';
import { isHiddenFromViewerRequest } from '../headers.ts';
import { groupFields } from './fields.ts';
import type { FunctionEvent } from './types.ts';

/** `a=1&b&a=2` → [a, 1], [b, ''], [a, 2]; empty names are dropped, values stay percent-encoded. */
export function parseQuery(querystring: string): [string, string][] {
  return querystring.split('&').flatMap((part): [string, string][] => {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    return name === '' ? [] : [[name, eq < 0 ? '' : part.slice(eq + 1)]];
  });
}

/** One Cookie header line → [name, value] pairs in order, repeats kept; a part without a name is dropped. */
export function parseCookieLine(line: string): [string, string][] {
  return line.split(';').flatMap((part): [string, string][] => {
    const eq = part.indexOf('=');
    const name = eq < 0 ? '' : part.slice(0, eq).trim();
    return name === '' ? [] : [[name, part.slice(eq + 1).trim()]];
  });
}

/**
 * Header names become lower case and repeats become `multiValue`; Cookie headers go to `cookies` only. Headers
 * CloudFront never shows a function are left out, and so are viewer-sent `CloudFront-Viewer-*` headers: the emulator
 * does not compute those, and a viewer's own copy must not pass for CloudFront's (Developer Guide, "Restrictions on
 * all edge functions": disallowed headers).
 */
export function toFunctionEvent(viewer: ViewerRequest, distribution: Distribution, requestId: string): FunctionEvent {
  const { uri, querystring } = splitTarget(viewer.target);
  const headers: [string, string][] = [];
  const cookies: [string, string][] = [];
  for (let i = 0; i + 1 < viewer.rawHeaders.length; i += 2) {
    const name = (viewer.rawHeaders[i] ?? '').toLowerCase();
    const value = viewer.rawHeaders[i + 1] ?? '';
    if (isHiddenFromViewerRequest(name)) continue;
    if (name === 'cookie') cookies.push(...parseCookieLine(value));
    else headers.push([name, value]);
  }
  return {
    version: '1.0',
    context: {
      distributionDomainName: distribution.distributionDomainName,
      distributionId: distribution.distributionId,
      eventType: 'viewer-request',
      requestId,
    },
    viewer: { ip: viewer.clientIp },
    request: {
      method: viewer.method,
      uri,
      querystring: groupFields(parseQuery(querystring)),
      headers: groupFields(headers),
      cookies: groupFields(cookies),
    },
  };
}
