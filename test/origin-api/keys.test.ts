// Key derivation properties: one folder per subject with no collisions or prefix overlaps, safe file names, and
// ownership checks that accept every key we mint for the caller and nothing of anyone else's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOwnedKey, objectKey, ownedKey, ownerPrefix, safeFileName } from '../../origin-api/core/keys.ts';

const sub = fc.string({ unit: 'binary', minLength: 1, maxLength: 64 });

describe('object keys', () => {
  it('gives distinct subjects folders that are distinct and never prefixes of one another', () => {
    fc.assert(
      fc.property(sub, sub, (a, b) => {
        fc.pre(a !== b);
        const pa = ownerPrefix('users/', a);
        const pb = ownerPrefix('users/', b);
        expect(pa.startsWith(pb) || pb.startsWith(pa)).toBe(false);
      }),
    );
  });

  it('maps subjects that naive sanitising would merge to different folders', () => {
    expect(ownerPrefix('users/', 'a.b')).not.toBe(ownerPrefix('users/', 'a_b'));
    expect(ownerPrefix('users/', 'auth0|1')).not.toBe(ownerPrefix('users/', 'auth0/1'));
  });

  it('makes file names of safe characters only, at most 64, never empty or dot-led', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (name) => {
        const safe = safeFileName(name);
        expect(safe).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/);
      }),
    );
  });

  it('accepts every key minted for the caller, through a percent-encoded path too', () => {
    fc.assert(
      fc.property(sub, fc.uuid(), fc.string({ maxLength: 100 }), (s, id, name) => {
        const owner = ownerPrefix('users/', s);
        const key = objectKey(owner, 'passport', id, name);
        expect(isOwnedKey(owner, key)).toBe(true);
        expect(ownedKey(owner, encodeURIComponent(key))).toBe(key);
        expect(ownedKey(owner, key)).toBe(key);
      }),
    );
  });

  it('refuses every key minted for someone else', () => {
    fc.assert(
      fc.property(sub, sub, fc.uuid(), (a, b, id) => {
        fc.pre(a !== b);
        const key = objectKey(ownerPrefix('users/', b), 'passport', id, 'x.jpg');
        expect(ownedKey(ownerPrefix('users/', a), key)).toBeUndefined();
      }),
    );
  });

  it.each([
    ['the folder itself', 'users/YWxpY2U/'],
    ['a parent segment', 'users/YWxpY2U/passport/../../Ym9i/x'],
    ['a dot segment', 'users/YWxpY2U/./x'],
    ['an empty segment', 'users/YWxpY2U/passport//x'],
    ['a space', 'users/YWxpY2U/passport/a b'],
    ['a key over 1,024 bytes', `users/YWxpY2U/${'a'.repeat(1020)}`],
  ])('refuses %s', (_name, key) => {
    expect(ownedKey('users/YWxpY2U/', encodeURIComponent(key))).toBeUndefined();
  });
});
