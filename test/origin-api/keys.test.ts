// Key derivation properties: one folder per subject with no collisions or prefix overlaps, safe file names, and
// ownership checks that accept every key we mint for the caller and nothing of anyone else's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isOwnedKey,
  isWellFormed,
  objectKey,
  ownedKey,
  ownerPrefix,
  safeFileName,
} from '../../origin-api/core/keys.ts';

/** Any well-formed string (lone surrogates are refused before a folder is made: see auth). */
const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 64 }).filter(isWellFormed);
const ISSUERS = ['https://id.example.test/', 'https://partner.example.test/', 'a', 'a.'];
const caller = fc.record({ issuer: fc.oneof(fc.constantFrom(...ISSUERS), text), sub: text });
const legacy = fc.constantFrom(null, ...ISSUERS);
const folder = (c: { issuer: string; sub: string }, legacyIssuer: string | null = null) =>
  ownerPrefix('users/', c, legacyIssuer);

describe('object keys', () => {
  it('gives distinct (issuer, subject) pairs folders that are distinct and never prefixes of one another', () => {
    fc.assert(
      fc.property(caller, caller, legacy, (a, b, legacyIssuer) => {
        fc.pre(a.issuer !== b.issuer || a.sub !== b.sub);
        const pa = folder(a, legacyIssuer);
        const pb = folder(b, legacyIssuer);
        expect(pa.startsWith(pb) || pb.startsWith(pa)).toBe(false);
      }),
    );
  });

  it('keeps the folder of earlier versions for the legacy issuer only', () => {
    const alice = { issuer: ISSUERS[0]!, sub: 'alice' };
    expect(folder(alice, ISSUERS[0])).toBe('users/YWxpY2U/');
    expect(folder(alice)).toBe('users/aHR0cHM6Ly9pZC5leGFtcGxlLnRlc3Qv.YWxpY2U/');
    expect(folder({ ...alice, issuer: ISSUERS[1]! }, ISSUERS[0])).not.toBe(folder(alice, ISSUERS[0]));
  });

  it('maps subjects that naive sanitising would merge to different folders', () => {
    const at = (sub: string) => folder({ issuer: ISSUERS[0]!, sub });
    expect(at('a.b')).not.toBe(at('a_b'));
    expect(at('auth0|1')).not.toBe(at('auth0/1'));
  });

  it.each(['\ud800', '\udfff', 'a\udc00b'])(
    'refuses a subject with a lone surrogate (%j) rather than merge it',
    (sub) => {
      expect(isWellFormed(sub)).toBe(false);
      expect(() => folder({ issuer: ISSUERS[0]!, sub })).toThrow(TypeError);
      expect(isWellFormed('\ufffd')).toBe(true);
    },
  );

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
      fc.property(caller, fc.uuid(), fc.string({ maxLength: 100 }), (c, id, name) => {
        const owner = folder(c);
        const key = objectKey(owner, 'passport', id, name);
        expect(isOwnedKey(owner, key)).toBe(true);
        expect(ownedKey(owner, encodeURIComponent(key))).toBe(key);
        expect(ownedKey(owner, key)).toBe(key);
      }),
    );
  });

  it('refuses every key minted for someone else', () => {
    fc.assert(
      fc.property(caller, caller, legacy, fc.uuid(), (a, b, legacyIssuer, id) => {
        fc.pre(a.issuer !== b.issuer || a.sub !== b.sub);
        const key = objectKey(folder(b, legacyIssuer), 'passport', id, 'x.jpg');
        expect(ownedKey(folder(a, legacyIssuer), key)).toBeUndefined();
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
