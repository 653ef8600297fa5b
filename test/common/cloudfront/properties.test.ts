// Properties that must hold for all inputs: any changed character of a minted URL, cookie or policy is refused;
// the wildcard matcher agrees with a plain dynamic-programming reference; base64 round-trips canonically.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromCloudFrontBase64, toCloudFrontBase64 } from '../../../common/cloudfront/base64.ts';
import { customPolicy } from '../../../common/cloudfront/policy.ts';
import { matchesResource } from '../../../common/cloudfront/resource.ts';
import { signPolicy, signedCookies, signedUrl } from '../../../common/cloudfront/sign.ts';
import { createVerifier } from '../../../common/cloudfront/verify.ts';
import { cloudFrontKeys, signerOf, trustedKeysOf } from '../../helpers/cloudfront-keys.ts';

const { rsa, ec } = cloudFrontKeys();
const verifier = createVerifier(trustedKeysOf(rsa, ec), { cacheEntries: 1000 });
const now = 1_800_000_000;
const expires = now + 600;
const clientIp = '192.0.2.10';
const url = 'https://cdn.example.com/media/a/clip.mp4?v=1&lang=en';

/** Printable ASCII plus a few bytes that matter to parsers: `%`, space, `&`, `=`, `?`, `#`, `~`, `_`, `-`. */
const replacement = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));

function changeOneCharacter(text: string): fc.Arbitrary<string> {
  return fc
    .tuple(fc.nat({ max: text.length - 1 }), replacement)
    .filter(([i, c]) => text[i] !== c)
    .map(([i, c]) => `${text.slice(0, i)}${c}${text.slice(i + 1)}`);
}

const mintedUrls = {
  'canned, RSA SHA-1': signedUrl(signerOf(rsa), url, { expiresEpochSeconds: expires }),
  'custom with IP and start, RSA SHA-256': signedUrl(signerOf(rsa, 'SHA256'), url, {
    policy: customPolicy({ resource: url, dateLessThan: expires, dateGreaterThan: now - 10, sourceIp: '192.0.2.0/24' }),
  }),
  'canned, ECDSA SHA-256': signedUrl(signerOf(ec, 'SHA256'), url, { expiresEpochSeconds: expires }),
};

describe.each(Object.entries(mintedUrls))('a minted %s URL', (_name, minted) => {
  it('is accepted as minted', () => {
    expect(verifier.verifyUrl({ url: minted, clientIp, nowEpochSeconds: now }).ok).toBe(true);
  });

  it('is refused after any one character changes', () => {
    fc.assert(
      fc.property(changeOneCharacter(minted), (changed) => {
        expect(verifier.verifyUrl({ url: changed, clientIp, nowEpochSeconds: now }).ok).toBe(false);
      }),
      { numRuns: 400 },
    );
  });
});

describe('minted cookies', () => {
  const policy = customPolicy({
    resource: 'https://cdn.example.com/media/a/*',
    dateLessThan: expires,
    sourceIp: clientIp,
  });
  const minted = signedCookies(signerOf(rsa, 'SHA256'), { policy });
  const request = { url, clientIp, nowEpochSeconds: now };

  it('are accepted as minted', () => {
    const cookies = new Map(minted.map((c) => [c.name, c.value]));
    expect(verifier.verifyCookies({ ...request, cookies }).ok).toBe(true);
  });

  it.each(minted.map((c) => c.name))('are refused after any one character of %s changes', (name) => {
    const original = minted.find((c) => c.name === name)!.value;
    fc.assert(
      fc.property(changeOneCharacter(original), (changed) => {
        const cookies = new Map(minted.map((c) => [c.name, c.name === name ? changed : c.value]));
        expect(verifier.verifyCookies({ ...request, cookies }).ok).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});

describe('a signed policy', () => {
  const signer = signerOf(ec);
  const policy = customPolicy({
    resource: 'https://cdn.example.com/media/*',
    dateLessThan: expires,
    sourceIp: '192.0.2.0/24',
  });
  const signature = signPolicy(signer, policy);
  const withPolicy = (text: string) =>
    `${url}&Policy=${toCloudFrontBase64(text)}&Key-Pair-Id=${ec.keyPairId}&Signature=${signature}`;

  it('is accepted as signed', () => {
    expect(verifier.verifyUrl({ url: withPolicy(policy), clientIp, nowEpochSeconds: now }).ok).toBe(true);
  });

  it('is refused after any one character of its JSON changes, even when it still parses', () => {
    fc.assert(
      fc.property(changeOneCharacter(policy), (changed) => {
        expect(verifier.verifyUrl({ url: withPolicy(changed), clientIp, nowEpochSeconds: now }).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

/** Reference matcher: textbook dynamic programming over (pattern prefix, text prefix). */
function referenceMatch(pattern: string, text: string): boolean {
  let row = Array.from({ length: text.length + 1 }, (_v, j) => j === 0);
  for (const p of pattern) {
    const next = [p === '*' && row[0] === true];
    for (let j = 1; j <= text.length; j++) {
      next[j] =
        p === '*' ? row[j] === true || next[j - 1] === true : row[j - 1] === true && (p === '?' || p === text[j - 1]);
    }
    row = next;
  }
  return row[text.length] === true;
}

describe('matchesResource', () => {
  const alphabet = (...chars: string[]) => fc.constantFrom(...chars);

  it('agrees with the reference on short patterns over a small alphabet', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: alphabet('a', 'b', '/', '*', '?'), maxLength: 12 }),
        fc.string({ unit: alphabet('a', 'b', '/', '*', '?'), maxLength: 16 }),
        (pattern, text) => {
          expect(matchesResource(pattern, text)).toBe(referenceMatch(pattern, text));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('agrees with the reference on patterns longer than one 32-bit word', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: alphabet('a', 'b', '*', '?'), minLength: 30, maxLength: 100 }),
        fc.string({ unit: alphabet('a', 'b'), maxLength: 120 }),
        (pattern, text) => {
          expect(matchesResource(pattern, text)).toBe(referenceMatch(pattern, text));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('matches every text it was derived from (wildcards replaced by what they stand for)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('lit', '*', '?'), fc.string({ maxLength: 5 }))), (parts) => {
        const pattern = parts.map(([kind, s]) => (kind === 'lit' ? s.replace(/[*?]/g, 'x') : kind)).join('');
        const text = parts
          .map(([kind, s]) => (kind === 'lit' ? s.replace(/[*?]/g, 'x') : kind === '?' ? 'q' : s))
          .join('');
        expect(matchesResource(pattern, text)).toBe(true);
      }),
    );
  });
});

describe('CloudFront base64', () => {
  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = toCloudFrontBase64(bytes);
        expect(text).toMatch(/^[A-Za-z0-9_~-]*$/);
        if (bytes.length > 0) expect(fromCloudFrontBase64(text)?.equals(Buffer.from(bytes))).toBe(true);
      }),
    );
  });

  it('decodes exactly like a regex + Buffer reference on any text over a wide alphabet', () => {
    // The reference is the obvious implementation: check the shape and canonical last character, then let Buffer
    // decode standard base64. The fast decoder must agree on every input, accepted or not.
    const reference = (text: string): Buffer | undefined => {
      if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9~-]*_{0,2}$/.test(text)) return undefined;
      const standard = text.replaceAll('-', '+').replaceAll('~', '/').replaceAll('_', '=');
      const bytes = Buffer.from(standard, 'base64');
      return bytes.toString('base64') === standard ? bytes : undefined;
    };
    const chars = fc.constantFrom(...'AQgwBz09-~_+/=. é\u0000'.split(''), 'A', 'b', '7', '_');
    // Random texts (mostly invalid) and valid encodings with one character replaced (often still valid).
    const random = fc.array(chars, { maxLength: 24 }).map((list) => list.join(''));
    const nearValid = fc
      .tuple(fc.uint8Array({ minLength: 1, maxLength: 20 }), fc.nat(), chars)
      .map(([bytes, at, char]) => {
        const text = toCloudFrontBase64(bytes);
        const i = at % text.length;
        return `${text.slice(0, i)}${char}${text.slice(i + 1)}`;
      });
    const seen = { accepted: 0, refused: 0 };
    fc.assert(
      fc.property(fc.oneof(random, nearValid), (text) => {
        const expected = reference(text);
        const actual = fromCloudFrontBase64(text);
        expect(actual === undefined ? undefined : actual.toString('hex')).toBe(expected?.toString('hex'));
        seen[expected === undefined ? 'refused' : 'accepted']++;
      }),
      { numRuns: 5000 },
    );
    // Both outcomes were exercised many times, so agreement means something.
    expect(Math.min(seen.accepted, seen.refused)).toBeGreaterThan(500);
  });

  it('never decodes a changed text to the same bytes', () => {
    fc.assert(
      fc.property(
        fc
          .uint8Array({ minLength: 1, maxLength: 64 })
          .chain((bytes) => fc.tuple(fc.constant(bytes), changeOneCharacter(toCloudFrontBase64(bytes)))),
        ([bytes, changed]) => {
          expect(fromCloudFrontBase64(changed)?.equals(Buffer.from(bytes)) ?? false).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
