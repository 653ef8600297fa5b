// The virtual module that esbuild.config.mjs provides: the output of parseConfig at build time, baked into the bundle.
declare module 'edgepass:config' {
  const config: unknown;
  export default config;
}
