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
  readonly idp: { readonly privateKey: KeyObject; readonly kid: string };
}

/** Generates the dev state on first use (as `npm start` would) and validates it like any deployment config. */
function load(io: Io, create: boolean): DevContext {
  const dir = devStateDir(io);
  if (!existsSync(join(dir, 'config.json'))) {
    if (!create) throw new EdgepassError('cli_no_dev_state', `no dev state in ${dir}: give the keys explicitly`);
    io.err(`edgepass: creating local dev keys in ${dir}\n`);
  }
  const state = ensureDevState(dir);
  return { config: parseConfig(state.config), idp: { privateKey: state.idp.privateKey, kid: state.idp.kid } };
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

export function devIdentity(io: Io): DevIdentity {
  const { config, idp } = load(io, true);
  // The entry whose keys hold the dev IdP's key: its tokens are verified by that issuer's rules only.
  const entry =
    config.jwt.issuers.find((candidate) => candidate.jwks.keys.some((key) => key.kid === idp.kid)) ??
    config.jwt.issuers[0];
  const { issuer, audience, algorithms } = entry ?? { issuer: '', audience: null, algorithms: [] };
  return {
    privateKey: idp.privateKey,
    kid: idp.kid,
    issuer,
    audience: audience === null ? undefined : typeof audience === 'string' ? audience : audience[0],
    algorithms,
    ticketClaims: [...new Set(config.protectedPaths.map((p) => p.ticketClaim))],
  };
}
