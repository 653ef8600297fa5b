// Options shared by `sign-url` and `sign-cookies`: which key signs, the validity window, canned or custom policy,
// the hash. Trust boundary: a private key file is read here and imported once; its text never reaches output.
import { normaliseCidrText } from '../common/cloudfront/ipv4.ts';
import { importSigner } from '../common/cloudfront/keys.ts';
import { customPolicy } from '../common/cloudfront/policy.ts';
import type { HashAlgorithm, Signer } from '../common/cloudfront/keys.ts';
import { choiceOption, flag, integerOption, stringOption, UsageError } from './args.ts';
import type { OptionSpec, Parsed } from './args.ts';
import { devSignerInput } from './dev-keys.ts';
import { readKeyFile } from './key-file.ts';
import type { Io } from './io.ts';

export const signingOptions: OptionSpec = {
  'key-pair-id': { type: 'string' },
  'private-key': { type: 'string' },
  expires: { type: 'string' },
  ttl: { type: 'string' },
  policy: { type: 'string' },
  starts: { type: 'string' },
  ip: { type: 'string' },
  hash: { type: 'string' },
  'allow-expired': { type: 'boolean' },
};

export const signingHelp = `  --key-pair-id ID      CloudFront public key ID (with --private-key; default: the dev key in .edgepass/)
  --private-key FILE    PEM private key (RSA-2048 or ECDSA P-256), e.g. from "edgepass keygen"
  --expires EPOCH       end of validity, epoch seconds
  --ttl SECONDS         end of validity relative to now (default: 3600; not with --expires)
  --policy canned|custom
                        canned unless --starts, --ip or a wildcard asks for custom
  --starts EPOCH        custom policy: not valid before this time
  --ip CIDR             custom policy: only for viewers in this IPv4 block (a bare address means /32)
  --hash SHA1|SHA256    signature hash (default: SHA1, or the dev config's; SHA256 adds Hash-Algorithm=SHA256)
  --allow-expired       accept an --expires in the past: expired material for tests (verify says cf_expired)`;

const MAX_TTL_SECONDS = 31_536_000;
const MAX_EPOCH_SECONDS = 32_503_680_000; // year 3000: far enough, and keeps arithmetic exact

/** Validity window and conditions; `custom` is decided here so both commands apply the same rule. */
export interface PolicyRequest {
  readonly custom: boolean;
  readonly dateLessThan: number;
  readonly dateGreaterThan?: number;
  readonly sourceIp?: string;
}

/** The explicit key pair, or the dev state's key when neither option is given (never one without the other). */
export async function signerFrom(parsed: Parsed, io: Io): Promise<Signer> {
  const keyPairId = stringOption(parsed, 'key-pair-id');
  const keyFile = stringOption(parsed, 'private-key');
  const hash: HashAlgorithm | undefined = choiceOption(parsed, 'hash', ['SHA1', 'SHA256'] as const);
  if ((keyPairId === undefined) !== (keyFile === undefined)) {
    throw new UsageError('--key-pair-id and --private-key go together (give both, or neither for the dev key)');
  }
  if (keyPairId !== undefined && keyFile !== undefined) {
    const privateKeyPem = await readKeyFile(io.cwd, keyFile);
    return importSigner({ keyPairId, privateKeyPem, hashAlgorithm: hash ?? 'SHA1' });
  }
  const dev = devSignerInput(io);
  return importSigner({ ...dev, hashAlgorithm: hash ?? dev.hashAlgorithm });
}

function endOfValidity(parsed: Parsed, nowS: number): number {
  const expires = integerOption(parsed, 'expires', 1, MAX_EPOCH_SECONDS);
  const ttl = integerOption(parsed, 'ttl', 1, MAX_TTL_SECONDS);
  if (expires !== undefined && ttl !== undefined) throw new UsageError('give --expires or --ttl, not both');
  const end = expires ?? nowS + (ttl ?? 3600);
  // Expired material is useful only to test a refusal: it takes an explicit flag, never a typo in --expires.
  if (end <= nowS && !flag(parsed, 'allow-expired')) {
    throw new UsageError('--expires is in the past (add --allow-expired to make expired test material)');
  }
  return end;
}

/**
 * Canned unless a start, an IP or a wildcard needs a custom policy (as @aws-sdk/cloudfront-signer decides);
 * an explicit `--policy canned` that cannot express them is a usage error rather than a silently wider grant.
 */
export function policyRequest(parsed: Parsed, nowS: number, wildcard: boolean): PolicyRequest {
  const dateLessThan = endOfValidity(parsed, nowS);
  const dateGreaterThan = integerOption(parsed, 'starts', 0, MAX_EPOCH_SECONDS);
  const ipText = stringOption(parsed, 'ip');
  const sourceIp = ipText === undefined ? undefined : normaliseCidrText(ipText);
  if (ipText !== undefined && sourceIp === undefined) throw new UsageError('--ip must be an IPv4 address or CIDR');
  if (dateGreaterThan !== undefined && dateGreaterThan >= dateLessThan) {
    throw new UsageError('--starts must be before the end of validity');
  }
  const needsCustom = dateGreaterThan !== undefined || sourceIp !== undefined || wildcard;
  const chosen = choiceOption(parsed, 'policy', ['canned', 'custom'] as const);
  if (chosen === 'canned' && needsCustom) {
    throw new UsageError('--starts, --ip and wildcard resources need --policy custom');
  }
  return {
    custom: chosen === 'custom' || needsCustom,
    dateLessThan,
    ...(dateGreaterThan === undefined ? {} : { dateGreaterThan }),
    ...(sourceIp === undefined ? {} : { sourceIp }),
  };
}

/** The custom policy bytes for `resource` under the requested window and IP condition. */
export function customPolicyFor(resource: string, request: PolicyRequest): string {
  const { dateLessThan, dateGreaterThan, sourceIp } = request;
  return customPolicy({
    resource,
    dateLessThan,
    ...(dateGreaterThan === undefined ? {} : { dateGreaterThan }),
    ...(sourceIp === undefined ? {} : { sourceIp }),
  });
}
