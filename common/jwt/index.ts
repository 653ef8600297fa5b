// Public surface of the shared JWT module (edge and origin API import from here).
export { parseJwtOptions } from './options.ts';
export type { IssuerOptions, JwtOptions } from './options.ts';
export { createTokenVerifier } from './verify.ts';
export { createKeyRing } from './key-ring.ts';
export type { KeyRing } from './key-ring.ts';
export type { JwksFetch } from './jwks-fetch.ts';
export type { TokenPurpose, TokenReason, TokenResult, TokenVerifier } from './verify.ts';
export { readTickets } from './tickets.ts';
export { parseLinkTokens } from './link.ts';
export type { LinkTokenOptions } from './link.ts';
