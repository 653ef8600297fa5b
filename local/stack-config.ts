// The local stack's configuration: the dev state's JSON (ensureDevState) plus what only the running stack knows
// (loopback host names, the sign-in page on the actual port, the origin API's local S3). Validated by parseConfig.
import type { EdgeConfig } from '../edge/config.ts';
import { parseConfig } from '../edge/config.ts';
import { LOCAL_REGION } from './s3.ts';

export const CONTENT_BUCKET = 'edgepass-content';
export const UPLOADS_BUCKET = 'edgepass-uploads';

export interface StackConfig {
  /** The raw document: what the bundle build and the origin API parse. */
  readonly raw: Record<string, unknown>;
  readonly edge: EdgeConfig;
}

export type AdjustConfig = (raw: Record<string, unknown>) => Record<string, unknown>;

export function stackConfig(
  devConfig: Record<string, unknown>,
  cdnPort: number,
  s3Endpoint: string,
  adjust: AdjustConfig = (raw) => raw,
): StackConfig {
  const raw: Record<string, unknown> = {
    ...devConfig,
    // Both loopback spellings, so curl to 127.0.0.1 works as well as a browser on localhost (ports are ignored).
    domainNames: ['localhost', '127.0.0.1'],
    viewerProtocol: 'http',
    loginUrl: `http://localhost:${cdnPort}/_dev/login`,
    originApi: {
      bucket: UPLOADS_BUCKET,
      region: LOCAL_REGION,
      endpoint: s3Endpoint,
      purposes: { passport: { contentTypes: ['image/png', 'image/jpeg'], maxBytes: 5 * 1024 * 1024 } },
    },
  };
  // The adjusted document is validated like any other: a bad adjustment fails here, all problems at once.
  const adjusted = adjust(raw);
  return { raw: adjusted, edge: parseConfig(adjusted) };
}
