// The running local OpenID Provider: its persisted keys (rotated on demand, the previous key published for a grace
// period), the Provider built from them, and the current signer that `/_dev/token` shares. A rotation or the end of
// a grace builds a new Provider over the same storage and cookie keys: no restart, and sessions survive.
import { randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWK } from 'jose';
import { localClientUris, localIssuer } from './issuer.ts';
import { newSigningKey, signingKeyObject, writeProviderState } from './key-file.ts';
import { fingerprint, providerJwks, prune, publicJwks, rotate } from './key-set.ts';
import type { KeySet } from './key-set.ts';
import { sharedMemoryAdapter } from './memory-adapter.ts';
import { mountProvider } from './mount.ts';
import type { MountedProvider } from './mount.ts';
import { createProvider } from './provider.ts';

/** How long a retired key stays published when the stack is not told otherwise (a day, as IdPs commonly keep it). */
export const DEFAULT_KEY_GRACE_SECONDS = 86_400;

export interface LocalOpOptions {
  readonly stateDir: string;
  readonly cdnPort: number;
  /** The local client's id: the dev config's audience, so ID tokens verify under the same trust. */
  readonly clientId: string;
  /** The keys at start (openKeys), which the edge's baked trust publishes. */
  readonly keys: KeySet;
  readonly ticketClaims: readonly string[];
  readonly keyGraceSeconds: number;
  readonly nowMs: () => number;
}

export interface RotationReport {
  readonly previousKid: string;
  readonly currentKid: string;
  readonly previousPublishedUntilMs: number;
}

export interface LocalOp {
  readonly issuer: string;
  /** The public keys published now (the edge's baked trust at start). */
  publishedJwks(): { keys: JWK[] };
  /** The key that signs now, with its kid. */
  signer(): { readonly privateKey: KeyObject; readonly kid: string };
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  rotateKeys(): RotationReport;
}

export function openLocalOp(options: LocalOpOptions): LocalOp {
  const issuer = localIssuer(options.cdnPort);
  let keys = options.keys;
  // oidc-provider stamps its tokens with the real clock, so its storage expires by the same one.
  const adapter = sharedMemoryAdapter(() => Date.now());
  const cookieKeys = [randomBytes(32).toString('base64url')];
  const build = (): MountedProvider =>
    mountProvider(
      createProvider({
        issuer,
        jwks: providerJwks(keys),
        adapter,
        cookieKeys,
        client: { id: options.clientId, ...localClientUris(options.cdnPort) },
        ticketClaims: options.ticketClaims,
      }),
    );
  let mounted = build();
  let signer = { privateKey: signingKeyObject(keys.keys[0]), kid: keys.keys[0].kid };

  const update = (next: KeySet) => {
    if (fingerprint(next) === fingerprint(keys)) return;
    keys = next;
    writeProviderState(options.stateDir, { issuer, keys });
    mounted = build();
    signer = { privateKey: signingKeyObject(keys.keys[0]), kid: keys.keys[0].kid };
  };
  /** A retired key's grace is judged when it matters: on each request and each read of the keys. */
  const current = () => {
    update(prune(keys, options.nowMs()));
    return mounted;
  };

  return {
    issuer,
    publishedJwks: () => {
      current();
      return publicJwks(keys);
    },
    signer: () => {
      current();
      return signer;
    },
    handle: (req, res) => current().handle(req, res),
    rotateKeys: () => {
      current();
      const rotation = rotate(keys, newSigningKey(), options.nowMs(), options.keyGraceSeconds * 1000);
      update(rotation.set);
      const { previousKid, currentKid, previousPublishedUntilMs } = rotation;
      return { previousKid, currentKid, previousPublishedUntilMs };
    },
  };
}
