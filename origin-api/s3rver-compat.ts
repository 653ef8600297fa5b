// Local-only SDK middleware: s3rver 4 computes SigV4 over `/<bucket>` while the SDK signs bucket-level calls
// (ListObjects) as `/<bucket>/`, so they fail with SignatureDoesNotMatch. Installed only with a custom endpoint.
import type { BuildMiddleware, MetadataBearer } from '@smithy/types';

interface PathRequest {
  path?: unknown;
}

/** Rewrites a path-style `/<bucket>/` to `/<bucket>` before signing; real S3 treats both alike. */
export function stripBucketSlash(bucket: string): BuildMiddleware<object, MetadataBearer> {
  return (next) => (args) => {
    const request = args.request as PathRequest;
    if (request.path === `/${bucket}/`) request.path = `/${bucket}`;
    return next(args);
  };
}
stripBucketSlash.step = { step: 'build', name: 'edgepassStripBucketSlash' } as const;
