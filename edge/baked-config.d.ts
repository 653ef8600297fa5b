// The virtual module that esbuild.config.mjs provides: the output of parseConfig at build time, baked into the bundle.
declare module 'edgepass:config' {
  const config: unknown;
  export default config;
}
declare module 'edgepass:oidc' {
  // An ambient module cannot `import` a relative file; the import() type is the one way to name the contract.
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports
  export const oidcFlow: import('./core/runtime.ts').OidcFlow | null;
}
/** esbuild `define`: the share of log lines that carry decision metrics (edge/metrics.ts), in (0, 1]. */
declare const EDGEPASS_METRICS_SAMPLE_RATE: number;
