// The virtual modules that esbuild.config.mjs provides for the key source: which source is bundled, and (test
// builds only) a loopback Secrets Manager endpoint. Neither exists outside a bundle.
declare module 'edgepass:key-source' {
  // An ambient module cannot `import` a relative file; the import() type is the one way to name the contract.
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports
  export const createKeySource: import('./types.ts').CreateKeySource;
}
/** esbuild `define`: null, or the loopback endpoint of a test build. */
declare const EDGEPASS_SECRETS_ENDPOINT: string | null;
