// The virtual module that esbuild.config.mjs provides: the output of parseConfig at build time, baked into the bundle.
declare module 'edgepass:config' {
  const config: unknown;
  export default config;
}
/** esbuild `define`: the share of log lines that carry decision metrics (edge/metrics.ts), in (0, 1]. */
declare const EDGEPASS_METRICS_SAMPLE_RATE: number;
