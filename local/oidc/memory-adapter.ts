// oidc-provider's storage (sessions, interactions, codes, tokens, grants) in memory, shared by every Provider the
// stack builds: a key rotation swaps the Provider, and sessions, grants and refresh tokens live on. Dev only: all of
// it is gone when the stack stops. Written from oidc-provider's documented Adapter interface.

type Payload = Record<string, unknown> & { grantId?: string; userCode?: string; uid?: string; consumed?: number };

interface Entry {
  payload: Payload;
  expiresAtMs: number;
}

export interface AdapterClass {
  new (name: string): unknown;
}

/**
 * The models a grant's revocation removes (oidc-provider's own memory adapter lists the same): its tokens and codes,
 * never an Interaction or a Session. An Interaction carries the grantId of the session it started under; revoked with
 * it, signing in as another account (whose resume ends the old session first) found no interaction to resume.
 */
const GRANTABLE = new Set([
  'AccessToken',
  'AuthorizationCode',
  'RefreshToken',
  'DeviceCode',
  'BackchannelAuthenticationRequest',
  'PreAuthorizedCode',
]);

/** Past this many entries, an upsert first sweeps out the expired ones (a long-running dev stack stays small). */
const SWEEP_ABOVE_ENTRIES = 10_000;

/** One store for the stack's lifetime; `nowMs` judges expiry. Returns the class oidc-provider's `adapter` takes. */
export function sharedMemoryAdapter(nowMs: () => number): AdapterClass {
  const store = new Map<string, Entry>();
  const grants = new Map<string, Set<string>>();

  const sweep = () => {
    const now = nowMs();
    for (const [key, entry] of store) if (entry.expiresAtMs <= now) store.delete(key);
    for (const [grantId, keys] of grants) {
      for (const key of keys) if (!store.has(key)) keys.delete(key);
      if (keys.size === 0) grants.delete(grantId);
    }
  };

  const live = (key: string): Payload | undefined => {
    const entry = store.get(key);
    if (entry === undefined) return undefined;
    if (nowMs() < entry.expiresAtMs) return entry.payload;
    store.delete(key);
    return undefined;
  };

  return class MemoryAdapter {
    readonly #name: string;

    constructor(name: string) {
      this.#name = name;
    }

    #key(id: string): string {
      return `${this.#name}:${id}`;
    }

    upsert(id: string, payload: Payload, expiresInSeconds: number): Promise<void> {
      if (store.size > SWEEP_ABOVE_ENTRIES) sweep();
      const key = this.#key(id);
      const expiresAtMs = nowMs() + expiresInSeconds * 1000;
      store.set(key, { payload, expiresAtMs });
      if (payload.grantId !== undefined && GRANTABLE.has(this.#name)) {
        const keys = grants.get(payload.grantId) ?? new Set<string>();
        keys.add(key);
        grants.set(payload.grantId, keys);
      }
      // Lookups by session uid and by device user code point at the entry, and expire with it.
      if (payload.uid !== undefined) store.set(`${this.#name}:uid:${payload.uid}`, { payload: { id }, expiresAtMs });
      if (payload.userCode !== undefined) {
        store.set(`${this.#name}:userCode:${payload.userCode}`, { payload: { id }, expiresAtMs });
      }
      return Promise.resolve();
    }

    find(id: string): Promise<Payload | undefined> {
      return Promise.resolve(live(this.#key(id)));
    }

    #findBy(index: string, value: string): Promise<Payload | undefined> {
      const id = live(`${this.#name}:${index}:${value}`)?.['id'];
      return Promise.resolve(typeof id === 'string' ? live(this.#key(id)) : undefined);
    }

    findByUid(uid: string): Promise<Payload | undefined> {
      return this.#findBy('uid', uid);
    }

    findByUserCode(userCode: string): Promise<Payload | undefined> {
      return this.#findBy('userCode', userCode);
    }

    consume(id: string): Promise<void> {
      const payload = live(this.#key(id));
      if (payload !== undefined) payload.consumed = Math.floor(nowMs() / 1000);
      return Promise.resolve();
    }

    destroy(id: string): Promise<void> {
      store.delete(this.#key(id));
      return Promise.resolve();
    }

    revokeByGrantId(grantId: string): Promise<void> {
      for (const key of grants.get(grantId) ?? []) store.delete(key);
      grants.delete(grantId);
      return Promise.resolve();
    }
  };
}
