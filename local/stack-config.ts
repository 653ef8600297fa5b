// The local stack's configuration document: the dev state's JSON plus what a local deployment needs (loopback host
// names, the sign-in page on the CDN host, app origins, the deployment section). No port appears in it, so the
// synthesized template it produces is reused from run to run. Validated by the same parsers as a real deployment.
import { createPublicKey } from 'node:crypto';
import type { EdgeConfig } from '../edge/config.ts';
import { parseConfig } from '../edge/config.ts';
import { DEV_LINK_AUDIENCE } from './dev-state.ts';
import { LOCAL_DEPLOY_REGION, LOCAL_STACK_NAME } from './template/synth.ts';

export interface StackConfig {
  /** The whole document (edge, origin API and deployment sections): what the CDK app synthesizes. */
  readonly document: Record<string, unknown>;
  readonly edge: EdgeConfig;
}

export type AdjustConfig = (raw: Record<string, unknown>) => Record<string, unknown>;

export function stackConfig(
  devConfig: Record<string, unknown>,
  appOrigins: readonly string[],
  adjust: AdjustConfig = (raw) => raw,
): StackConfig {
  const signer = devConfig['signer'] as { privateKeyPem: string };
  const publicKeyPem = createPublicKey(signer.privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  const raw: Record<string, unknown> = {
    ...devConfig,
    // Both loopback spellings, so curl to 127.0.0.1 works as well as a browser on localhost (ports are ignored).
    domainNames: ['localhost', '127.0.0.1'],
    viewerProtocol: 'http',
    loginUrl: '/_dev/login',
    // Links on, as a deployment would configure them: `edgepass token --link` makes one.
    linkTokens: { audience: DEV_LINK_AUDIENCE },
    appOrigins: [...appOrigins],
    originApi: {
      keyPrefix: 'uploads/',
      purposes: { passport: { contentTypes: ['image/png', 'image/jpeg'], maxBytes: 5 * 1024 * 1024 } },
    },
    deployment: {
      stackName: LOCAL_STACK_NAME,
      region: LOCAL_DEPLOY_REGION,
      privateKey: { source: 'inline' },
      publicKeys: [{ name: 'dev', publicKeyPem }],
      // No regional alarm stacks: the local stack reads the main template only, and each region would add a stack
      // to every synthesis. The main stack keeps its alarms, topic and dashboard (template resources it ignores).
      monitoring: { regions: [] },
    },
  };
  // The adjusted document is validated like any other: a bad adjustment fails here, all problems at once.
  const adjusted = adjust(raw);
  return { document: adjusted, edge: parseConfig(adjusted) };
}
