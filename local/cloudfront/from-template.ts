// Turns the distribution read from the synthesized template into the behaviours the emulator runs: each origin
// pointed at its local stand-in (the S3 gate, the local function URL), origin access control signing as the
// CloudFront service principal, and the viewer-request code loaded from the template (bundle or function code).
import type {
  BehaviourModel,
  DistributionModel,
  LambdaEdgeCode,
  OriginModel,
  ViewerRequestCode,
} from '../template/distribution.ts';
import type { LocalBehaviour } from './behaviours.ts';
import type { OacSigner, OriginTarget } from './origin.ts';
import type { OriginResponseHandler } from './origin-response.ts';
import type { ViewerRequestRunner } from './viewer-request.ts';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export interface TemplateWiring {
  /** The local S3 (the gate in front of s3rver); buckets are addressed path-style. */
  readonly s3: Endpoint;
  readonly bucketName: (logicalId: string) => string;
  readonly functionUrl: (urlLogicalId: string) => Endpoint;
  /** The credentials the emulator signs origin requests with: CloudFront's service principal. */
  readonly oac: Omit<OacSigner, 'service'>;
  /** Loads the viewer-request code once per distinct function (the bundle, or the CloudFront Function). */
  readonly viewerRequest: (code: ViewerRequestCode) => Promise<ViewerRequestRunner>;
  /** Loads an origin-response function (the same bundle's handler: one module per function, as in one container). */
  readonly originResponse: (code: LambdaEdgeCode) => Promise<OriginResponseHandler>;
}

function originTarget(
  model: DistributionModel,
  origin: OriginModel,
  oac: boolean,
  wiring: TemplateWiring,
): OriginTarget {
  const signer = (service: string): OacSigner | undefined => (oac ? { ...wiring.oac, service } : undefined);
  if (origin.kind === 's3') {
    const bucket = wiring.bucketName(origin.bucketLogicalId);
    return {
      name: `S3 ${bucket}${origin.originPath}`,
      ...wiring.s3,
      pathPrefix: `/${bucket}${origin.originPath}`,
      defaultRootObject: model.defaultRootObject,
      signer: signer('s3'),
      custom: false,
    };
  }
  return {
    name: 'function URL',
    ...wiring.functionUrl(origin.urlLogicalId),
    pathPrefix: origin.originPath,
    defaultRootObject: undefined,
    signer: signer('lambda'),
    custom: true,
  };
}

export async function behavioursFromTemplate(
  model: DistributionModel,
  wiring: TemplateWiring,
): Promise<LocalBehaviour[]> {
  const runners = new Map<string, Promise<ViewerRequestRunner>>();
  const runnerFor = (code: ViewerRequestCode) => {
    const key = JSON.stringify(code);
    const existing = runners.get(key) ?? wiring.viewerRequest(code);
    runners.set(key, existing);
    return existing;
  };
  return Promise.all(
    model.behaviours.map(async (b: BehaviourModel) => ({
      pathPattern: b.pathPattern,
      allowedMethods: b.allowedMethods,
      restricted: b.trustedKeyPairIds.length > 0,
      viewerRequest: b.viewerRequest === undefined ? undefined : await runnerFor(b.viewerRequest),
      originResponse: b.originResponse === undefined ? undefined : await wiring.originResponse(b.originResponse),
      forward: b.forward,
      responseHeaders: b.responseHeaders,
      origin: originTarget(model, b.origin, b.originAccessControl, wiring),
    })),
  );
}
