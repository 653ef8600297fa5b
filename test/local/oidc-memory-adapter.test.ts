// The local provider's storage: a grant's revocation removes its tokens and codes and nothing else, as oidc-provider's
// own memory adapter does. An Interaction carries the grantId of the session it started under, and must outlive the
// revocation that ends that session (signing in as another account over a live session).
import { describe, expect, it } from 'vitest';
import { sharedMemoryAdapter } from '../../local/oidc/memory-adapter.ts';

interface Adapter {
  upsert(id: string, payload: Record<string, unknown>, expiresIn: number): Promise<void>;
  find(id: string): Promise<Record<string, unknown> | undefined>;
  revokeByGrantId(grantId: string): Promise<void>;
}

describe('the local provider storage', () => {
  it("revokes a grant's tokens and codes, never the interaction or session that carry its id", async () => {
    const Adapter = sharedMemoryAdapter(() => 1_000_000) as unknown as new (name: string) => Adapter;
    const [tokens, codes, interactions, sessions] = ['AccessToken', 'AuthorizationCode', 'Interaction', 'Session'].map(
      (name) => new Adapter(name),
    ) as [Adapter, Adapter, Adapter, Adapter];
    await tokens.upsert('t1', { grantId: 'g1' }, 60);
    await codes.upsert('c1', { grantId: 'g1' }, 60);
    await interactions.upsert('i1', { grantId: 'g1', uid: 'i1' }, 60);
    await sessions.upsert('s1', { uid: 'u1', grantId: 'g1' }, 60);
    await tokens.upsert('t2', { grantId: 'g2' }, 60);
    await codes.revokeByGrantId('g1');
    expect(await tokens.find('t1')).toBeUndefined();
    expect(await codes.find('c1')).toBeUndefined();
    expect(await interactions.find('i1')).toEqual({ grantId: 'g1', uid: 'i1' });
    expect(await sessions.find('s1')).toEqual({ uid: 'u1', grantId: 'g1' });
    expect(await tokens.find('t2')).toEqual({ grantId: 'g2' });
  });
});
