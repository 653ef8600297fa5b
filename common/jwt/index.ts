// Public surface of the shared JWT module (edge and origin API import from here).
export {
  parseJwtOptions,
  JWT_ALGORITHMS,
  DEFAULT_CLOCK_TOLERANCE_SECONDS,
  DEFAULT_MAX_TOKEN_BYTES,
} from './options.ts';
export type { JwtOptions, JwtAlgorithm } from './options.ts';
export { createTokenVerifier } from './verify.ts';
export type { TokenReason, TokenResult, TokenVerifier } from './verify.ts';
export { readTickets } from './tickets.ts';
export type { Tickets } from './tickets.ts';
