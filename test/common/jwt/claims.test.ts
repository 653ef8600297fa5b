// The claims checks (common/jwt/claims.ts) against jose's jwtVerify as the oracle: the same signed token, the same
// rules, the same verdict and reason, on generated headers and claim sets (valid, absent, mistyped and boundary
// values). The one intended difference, `iat` in the future, is part of the oracle below.
import fc from 'fast-check';
import { CompactSign, jwtVerify } from 'jose';
import type { JWTVerifyOptions } from 'jose';
import { describe, expect, it } from 'vitest';
import { claimsFault, jsonObjectOf } from '../../../common/jwt/claims.ts';
import type { ClaimRules } from '../../../common/jwt/claims.ts';
import type { TokenReason } from '../../../common/jwt/verify.ts';
import { generateKeyPair } from '../../../common/keypair.ts';

const { privateKey, publicKey } = generateKeyPair('ec-p256');
const NOW_S = 1_767_225_000;
const ISSUER = 'https://id.example.test/';

async function sign(header: Record<string, unknown>, payload: Uint8Array): Promise<string> {
  return new CompactSign(payload).setProtectedHeader({ ...header, alg: 'ES256' }).sign(privateKey);
}

/** jose's error, as the verifier named it before claims.ts: the claim jose names, or the type fault. */
function joseReason(error: unknown): TokenReason {
  const { code, claim, reason } = error as { code?: string; claim?: string; reason?: string };
  if (code === 'ERR_JWT_EXPIRED') return 'token_expired';
  if (code === 'ERR_JWT_INVALID') return 'token_malformed';
  if (code !== 'ERR_JWT_CLAIM_VALIDATION_FAILED') throw error;
  if (reason === 'invalid') return 'token_invalid';
  if (claim === 'exp' && reason === 'missing') return 'token_missing_exp';
  const byClaim: Record<string, TokenReason> = {
    nbf: 'token_not_yet_valid',
    iss: 'token_bad_issuer',
    aud: 'token_bad_audience',
    typ: 'token_bad_type',
  };
  return byClaim[claim ?? ''] ?? 'token_invalid';
}

/** The oracle: jwtVerify with the rules as options, then "issued in the future" (which jose checks only with maxTokenAge). */
async function oracle(token: string, rules: ClaimRules): Promise<TokenReason | undefined> {
  const options: JWTVerifyOptions = {
    issuer: rules.issuer,
    ...(rules.audience === null ? {} : { audience: rules.audience as string | string[] }),
    ...(rules.typ === null ? {} : { typ: rules.typ }),
    algorithms: ['ES256'],
    clockTolerance: rules.clockToleranceSeconds,
    requiredClaims: ['exp'],
    currentDate: new Date(NOW_S * 1000),
  };
  try {
    const { payload } = await jwtVerify(token, publicKey, options);
    const { iat } = payload;
    return typeof iat === 'number' && iat > NOW_S + rules.clockToleranceSeconds ? 'token_not_yet_valid' : undefined;
  } catch (error) {
    return joseReason(error);
  }
}

/** Ours, on the same token: the header and payload parts as compactVerify hands them over. */
function ours(token: string, rules: ClaimRules): TokenReason | undefined {
  const [header, payload] = token.split('.').map((part) => Buffer.from(part, 'base64url'));
  const claims = jsonObjectOf(payload ?? new Uint8Array());
  if (claims === undefined) return 'token_malformed';
  return claimsFault(jsonObjectOf(header ?? new Uint8Array()) ?? {}, claims, rules, NOW_S);
}

const absent = fc.constant(undefined);
const mistyped = fc.constantFrom<unknown>(null, '1767225000', true, [1], {});
/** Mostly the usual value, so that most runs reach the later checks (and acceptance), sometimes a faulty one. */
const mostly = <T>(usual: fc.Arbitrary<T>, other: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.oneof({ weight: 6, arbitrary: usual }, { weight: 1, arbitrary: other });
// Around now and around the tolerance's edges, fractions included.
const edges = fc.constantFrom(-3600, -31, -30, -29.5, -1, 0, 0.5, 1, 29, 30, 30.5, 31, 3600).map((d) => NOW_S + d);
const claimSet = fc.record(
  {
    iss: mostly(fc.constant(ISSUER), fc.constantFrom<unknown>(undefined, 'https://other.example.test/', null, 7)),
    aud: mostly(
      fc.constantFrom<unknown>('app', ['other', 'app']),
      fc.constantFrom<unknown>(undefined, 'other', [], ['x', 3], null, 3),
    ),
    exp: mostly(fc.constant(NOW_S + 3600), fc.oneof(absent, mistyped, edges)),
    nbf: mostly(fc.oneof(absent, fc.constant(NOW_S - 60)), fc.oneof(mistyped, edges)),
    iat: mostly(fc.oneof(absent, fc.constant(NOW_S - 60)), fc.oneof(mistyped, edges)),
    sub: fc.oneof(absent, fc.string()),
  },
  { requiredKeys: [] },
);
const typ = mostly(
  fc.constantFrom<unknown>(undefined, 'JWT', 'at+jwt', 'application/at+JWT'),
  fc.constantFrom<unknown>('jwt', 'at+jwt; x', 'text/plain', 5),
);
const rules = fc.record({
  issuer: fc.constant(ISSUER),
  audience: mostly<ClaimRules['audience']>(fc.constantFrom(null, 'app', ['api', 'app']), fc.constant(['none'])),
  typ: fc.constantFrom<string | null>(null, null, 'at+jwt', 'JWT'),
  clockToleranceSeconds: fc.constantFrom(0, 30),
});

const withoutUndefined = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));

describe('the claims checks, against jose jwtVerify', () => {
  it('give jose’s verdict and reason on generated headers, claim sets and rules', async () => {
    const seen = new Set<TokenReason | undefined>();
    await fc.assert(
      fc.asyncProperty(typ, claimSet, rules, async (headerTyp, claims, rule) => {
        const payload = Buffer.from(JSON.stringify(withoutUndefined(claims)));
        const token = await sign(withoutUndefined({ typ: headerTyp }), payload);
        const expected = await oracle(token, rule);
        seen.add(expected);
        expect(ours(token, rule)).toBe(expected);
      }),
      { numRuns: 1500 },
    );
    // The generators reach every outcome, acceptance included: the comparison is not vacuous.
    expect([...seen].sort()).toEqual(
      [
        undefined,
        'token_bad_audience',
        'token_bad_issuer',
        'token_bad_type',
        'token_expired',
        'token_invalid',
        'token_missing_exp',
        'token_not_yet_valid',
      ].sort(),
    );
  });

  it('refuse a payload that is not a UTF-8 JSON object as malformed, as jose does', async () => {
    const rule: ClaimRules = { issuer: ISSUER, audience: null, typ: null, clockToleranceSeconds: 0 };
    const payloads = ['[]', '"x"', 'null', '12', '{"exp":', '', '{"iss":"a"}{}'].map((text) => Buffer.from(text));
    payloads.push(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])); // {"\xff":1}: not UTF-8
    for (const payload of payloads) {
      const token = await sign({}, payload);
      expect(await oracle(token, rule)).toBe('token_malformed');
      expect(ours(token, rule)).toBe('token_malformed');
    }
  });
});
