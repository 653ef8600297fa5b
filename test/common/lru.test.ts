// The one cache every edgepass cache is built on: bounded whatever happens, never answers a stale or foreign value,
// and keeps what is in use through churn.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Lru } from '../../common/lru.ts';

type Op = { kind: 'set'; key: number; value: number } | { kind: 'get' | 'delete'; key: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: fc.nat(40), value: fc.integer() }),
  fc.record({ kind: fc.constantFrom('get' as const, 'delete' as const), key: fc.nat(40) }),
);

describe('Lru', () => {
  it('never holds more than maxEntries, and a get answers the latest value set for that key or nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(op, { maxLength: 300 }), (max, ops) => {
        const lru = new Lru<number, number>(max);
        const latest = new Map<number, number>();
        for (const o of ops) {
          if (o.kind === 'set') {
            lru.set(o.key, o.value);
            latest.set(o.key, o.value);
            // The value just set is always there.
            expect(lru.get(o.key)).toBe(o.value);
          } else if (o.kind === 'delete') {
            lru.delete(o.key);
            latest.delete(o.key);
            expect(lru.get(o.key)).toBeUndefined();
          } else {
            const got = lru.get(o.key);
            if (got !== undefined) expect(got).toBe(latest.get(o.key));
          }
          expect(lru.size).toBeLessThanOrEqual(max);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('stays at its bound under a million distinct keys', () => {
    const lru = new Lru<string, number>(1024);
    for (let i = 0; i < 1_000_000; i++) lru.set(`k${i}`, i);
    expect(lru.size).toBeLessThanOrEqual(1024);
    expect(lru.size).toBeGreaterThanOrEqual(511);
    expect(lru.get('k999999')).toBe(999_999);
    expect(lru.get('k0')).toBeUndefined();
  });

  it('keeps an entry that is used at least once per half-capacity insertions, whatever else churns', () => {
    const lru = new Lru<string, string>(100);
    lru.set('hot', 'kept');
    for (let i = 0; i < 10_000; i++) {
      lru.set(`cold${i}`, 'x');
      if (i % 49 === 0) expect(lru.get('hot')).toBe('kept');
    }
    // A key never touched again is gone long before.
    expect(lru.get('cold0')).toBeUndefined();
  });

  it('replaces a value in place and refuses a capacity that is not a positive integer', () => {
    const lru = new Lru<string, number>(4);
    lru.set('a', 1);
    lru.set('a', 2);
    expect([lru.get('a'), lru.size]).toEqual([2, 1]);
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => new Lru(bad)).toThrow(TypeError);
  });
});
