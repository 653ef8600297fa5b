// Validates the protected path patterns (`/prefix/{attraction}/`): one placeholder, a whole last segment, after at
// least one static segment. Everything under the static prefix is guarded, so prefixes must not overlap.
import { checkKeys, isRecord, readArray, readChoice, readInt, readString } from './config-fields.ts';
import type { Json, Problems } from './config-fields.ts';

type Enforcement = 'edge' | 'native';

export interface ProtectedPath {
  /** The pattern as written, e.g. `/attractions/{attraction}/`. */
  readonly pattern: string;
  /** The static part that the function guards, e.g. `/attractions/`. */
  readonly prefix: string;
  /** The placeholder name, e.g. `attraction`. */
  readonly placeholder: string;
  readonly ticketClaim: string;
  readonly cookieTtlSeconds: number;
  readonly signedUrlTtlSeconds: number;
  /** `edge`: this function guards the behaviour. `native`: CloudFront's trusted key group does (CDK wiring). */
  readonly enforcement: Enforcement;
}

const patternShape = /^((?:\/[A-Za-z0-9_~-][A-Za-z0-9_.~-]{0,63})+\/)\{([A-Za-z][A-Za-z0-9_]{0,31})\}\/$/;
const claimShape = { pattern: /^[A-Za-z0-9_:./-]{1,128}$/, hint: 'a claim name (letters, digits, _ : . / -)' };
const sevenDays = 604_800;

function parseOne(item: unknown, where: string, problems: Problems): ProtectedPath | undefined {
  if (!isRecord(item)) {
    problems.push(`${where} must be an object`);
    return undefined;
  }
  const allowed = ['pattern', 'ticketClaim', 'cookieTtlSeconds', 'signedUrlTtlSeconds', 'enforcement'];
  checkKeys(item, allowed, where, problems);
  const pattern = readString(item, 'pattern', where, problems, {
    pattern: patternShape,
    hint: 'like "/attractions/{attraction}/": static segments, then one placeholder as the last whole segment',
  });
  const match = pattern === undefined ? null : patternShape.exec(pattern);
  const prefix = match?.[1];
  const placeholder = match?.[2];
  if (prefix?.startsWith('/_edgepass/') === true) problems.push(`${where}.pattern must not be under /_edgepass/`);
  const ticketClaim = readString(item, 'ticketClaim', where, problems, claimShape);
  const cookieTtlSeconds = readInt(item, 'cookieTtlSeconds', where, problems, { min: 2, max: sevenDays });
  const signedUrlTtlSeconds = readInt(item, 'signedUrlTtlSeconds', where, problems, { min: 2, max: sevenDays });
  const enforcement = readChoice(item, 'enforcement', where, problems, ['edge', 'native'] as const, 'edge');
  if (
    pattern === undefined ||
    prefix === undefined ||
    placeholder === undefined ||
    ticketClaim === undefined ||
    cookieTtlSeconds === undefined ||
    signedUrlTtlSeconds === undefined ||
    enforcement === undefined
  ) {
    return undefined;
  }
  return { pattern, prefix, placeholder, ticketClaim, cookieTtlSeconds, signedUrlTtlSeconds, enforcement };
}

export function parseProtectedPaths(root: Json, problems: Problems): ProtectedPath[] {
  const paths: ProtectedPath[] = [];
  readArray(root, 'protectedPaths', '', problems, 1).forEach((item, index) => {
    const parsed = parseOne(item, `protectedPaths[${index}]`, problems);
    if (parsed !== undefined) paths.push(parsed);
  });
  for (const a of paths) {
    for (const b of paths) {
      if (a !== b && b.prefix.startsWith(a.prefix)) {
        problems.push(`protectedPaths: "${b.pattern}" overlaps "${a.pattern}" (one prefix contains the other)`);
      }
    }
  }
  return paths;
}
