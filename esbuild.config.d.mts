// Types for esbuild.config.mjs (the build script stays plain ESM so that tsx can run it directly).
import type { BuildOptions } from 'esbuild';

export declare const DEFAULT_OUTFILE: string;
/** esbuild options shared by every Lambda code package. */
export declare const LAMBDA_BUILD_OPTIONS: BuildOptions;

export interface BuildEdgeBundleInput {
  /** The raw JSON configuration; validated with parseConfig (throws ConfigError) before anything is written. */
  readonly config: unknown;
  /** @default dist/edge/index.mjs under the repository root */
  readonly outfile?: string;
  /** Tests only: send GetSecretValue to this loopback endpoint (`http://127.0.0.1:<port>/`) instead of AWS. */
  readonly secretsEndpointForTests?: string;
  /** Share of log lines that carry decision metrics (deployment.monitoring.metricsSampleRate), in (0, 1]. @default 1 */
  readonly metricsSampleRate?: number;
}

/** Writes the bundle with mode 0600 (it may hold the signing key), creating missing folders with mode 0700. */
export declare function buildEdgeBundle(input: BuildEdgeBundleInput): Promise<{ outfile: string; bytes: number }>;
