// The local dev state (.edgepass/ under the working directory, or EDGEPASS_STATE_DIR as for `npm start`; made by
// local/dev-state.ts) as the CLI's default keys: the CloudFront signer, the trusted public keys and the dev identity
// provider. Localhost-only keys.
import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EdgepassError } from '../common/errors.ts';
import type { SignerInput } from '../common/cloudfront/keys.ts';
import { parseConfig } from '../edge/config.ts';
import type { EdgeConfig } from '../edge/config.ts';
import { trustedKeyPems } from '../edge/config-keys.ts';
import { ensureDevState } from '../local/dev-state.ts';
import { stateDirFrom } from '../local/stack-env.ts';
import type { Io } from './io.ts';

/** The dev state folder, absolute: the one `npm start` uses from the same directory and environment. */
export function devStateDir(io: Io): string {
  return resolve(io.cwd, stateDirFrom(io.env));
}

interface DevContext {
  readonly config: EdgeConfig;
  readonly idp: { readonly privateKey: KeyObject; readonly kid: string; readonly issuer: string };
}

/** Generates the dev state on first use (as `npm start` would) and validates it like any deployment config. */
function load(io: Io, create: boolean): DevContext {
  const dir = devStateDir(io);
  if (!existsSync(join(dir, 'config.json'))) {
    if (!create) throw new EdgepassError('cli_no_dev_state', `no dev state in ${dir}: give the keys explicitly`);
    io.err(`edgepass: creating local dev keys in ${dir}\n`);
  }
  const state = ensureDevState(dir);
  const { privateKey, kid, issuer } = state.idp;
  return { config: parseConfig(state.config), idp: { privateKey, kid, issuer } };
}

export function devSignerInput(io: Io): SignerInput {
  const { signer } = load(io, true).config;
  if (!('privateKeyPem' in signer)) {
    throw new EdgepassError(
      'cli_no_private_key',
      'the dev config reads its key from Secrets Manager: give --private-key',
    );
  }
  return { keyPairId: signer.keyPairId, privateKeyPem: signer.privateKeyPem, hashAlgorithm: signer.hashAlgorithm };
}

/** Key pair id → public key PEM: the dev signer's own key plus any rotation keys in the dev config. */
export function devTrustedKeysPem(io: Io): Record<string, string> {
  return trustedKeyPems(load(io, false).config);
}

export interface DevIdentity {
  readonly privateKey: KeyObject;
  readonly kid: string;
  readonly issuer: string;
  /** The first configured audience, or undefined when the dev config opts out of audience checks. */
  readonly audience: string | undefined;
  readonly algorithms: readonly string[];
  /** Claim names that protected paths read tickets from (usually just `tickets`). */
  readonly ticketClaims: readonly string[];
}

/**
 * The local OpenID Provider's current key and issuer (the last stack started from this state folder, whose port the
 * issuer carries; before any start, the dev config's), with the audience and algorithms of the dev IdP's entry:
 * the first one, which the local stack points at its provider (local/stack-config.ts).
 */
export function devIdentity(io: Io): DevIdentity {
  const { config, idp } = load(io, true);
  const { audience, algorithms } = config.jwt.issuers[0] ?? { audience: null, algorithms: [] };
  return {
    privateKey: idp.privateKey,
    kid: idp.kid,
    issuer: idp.issuer,
    audience: audience === null ? undefined : typeof audience === 'string' ? audience : audience[0],
    algorithms,
    ticketClaims: [...new Set(config.protectedPaths.map((p) => p.ticketClaim))],
  };
}
