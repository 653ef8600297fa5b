// Assembles the edgepass CDK app from a validated configuration and built bundles: the keys stack, the main
// stack (and the us-east-1 stack CDK adds for Lambda@Edge), with cdk-nag's AwsSolutions checks on all of them.
import { App, Aspects } from 'aws-cdk-lib';
import type { AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Bundles } from './bundles.ts';
import type { EdgePassConfig } from './config/load.ts';
import { addMonitoring } from './monitoring/stacks.ts';
import type { EdgePassMonitoringStack } from './monitoring/stacks.ts';
import { EdgePassKeysStack, EdgePassStack } from './stacks.ts';

export interface EdgePassApp {
  readonly app: App;
  readonly keys: EdgePassKeysStack;
  /** Absent when only the keys stack is synthesised (first deployment, before key ids are known). */
  readonly main: EdgePassStack | undefined;
  /** The alarm stacks of the regions other than the main one (infra/monitoring/), with the main stack. */
  readonly monitoring: readonly EdgePassMonitoringStack[];
}

export interface BuildAppOptions {
  readonly config: EdgePassConfig;
  /** Built bundles; without them only the keys stack is synthesised. */
  readonly bundles: Bundles | undefined;
  /** The account to deploy to. @default - environment-agnostic account (resolved by the CLI at deploy time) */
  readonly account?: string | undefined;
  readonly appProps?: AppProps;
}

export function buildApp(options: BuildAppOptions): EdgePassApp {
  const { deployment } = options.config;
  const app = new App(options.appProps);
  // An explicit region: Lambda@Edge needs one to place its us-east-1 companion stack (reference: "CDK offline").
  const account = deployment.account ?? options.account;
  const env = { region: deployment.region, ...(account === undefined ? {} : { account }) };
  const keys = new EdgePassKeysStack(app, `${deployment.stackName}-keys`, {
    env,
    publicKeys: deployment.publicKeys,
    description: 'edgepass: CloudFront public keys (deploy before the main stack)',
  });
  let main: EdgePassStack | undefined;
  let monitoring: EdgePassMonitoringStack[] = [];
  if (options.bundles !== undefined) {
    main = new EdgePassStack(app, deployment.stackName, {
      env,
      config: options.config,
      bundles: options.bundles,
      description: 'edgepass: private media through CloudFront',
    });
    main.addStackDependency(keys, 'the key group trusts public keys created by the keys stack');
    monitoring = addMonitoring(app, main, options.config, env);
  }
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, keys, main, monitoring };
}
