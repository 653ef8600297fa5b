// `edgepass token`: a JWT from the local dev identity provider (.edgepass/ key), with ticket claims the local stack
// accepts. Trust boundary: dev keys only; the token is the requested output and is printed nowhere else.
import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { EdgepassError } from '../common/errors.ts';
import { flag, parse, integerOption, stringOption, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { DEFAULT_LINK_LIFETIME_SECONDS } from '../common/jwt/link.ts';
import { DEV_LINK_AUDIENCE } from '../local/dev-state.ts';
import { devIdentity } from './dev-keys.ts';

const help = `Usage: edgepass token --sub SUBJECT --tickets ID[,ID...] [--ttl SECONDS] [--ticket-exp EPOCH] [--link]

Prints a JWT signed by the local dev identity provider (keys in .edgepass/, created on first use), with the
issuer, audience and ticket claim of the dev configuration, so the local stack ("edgepass dev") accepts it.

Options:
  --sub SUBJECT         the user (JWT "sub")
  --tickets IDS         comma-separated attraction ids the user holds tickets for
  --ttl SECONDS         token lifetime (default: 3600, at most 604800)
  --ticket-exp EPOCH    give every ticket its own end ({ "attraction", "exp" } entries) instead of plain ids
  --link                a link token for ?token= (the local stack's link audience, lifetime at most 300 s,
                        default 300): it earns an attraction's cookies once and works nowhere else
  -h, --help            show this help

Examples:
  edgepass token --sub alice --tickets giants-causeway,titanic-belfast
  curl -H "Authorization: Bearer $(edgepass token --sub alice --tickets giants-causeway)" \\
    http://localhost:8080/attractions/giants-causeway/index.html
  open "http://localhost:8080/attractions/giants-causeway/index.html?token=$(edgepass token --link --sub alice --tickets giants-causeway)"`;

const ticketId = /^[A-Za-z0-9_.~-]{1,64}$/;
const MAX_TICKETS = 256; // readTickets (common/jwt/tickets.ts) ignores anything beyond this
const subject = /^[\x21-\x7e]{1,256}$/;

function ticketIds(text: string | undefined): string[] {
  if (text === undefined) throw new UsageError('--tickets is required (comma-separated attraction ids)');
  const ids = text.split(',').map((id) => id.trim());
  if (ids.length > MAX_TICKETS || !ids.every((id) => ticketId.test(id))) {
    throw new UsageError(`--tickets must be 1-${MAX_TICKETS} ids of letters, digits, _ . ~ or -`);
  }
  return [...new Set(ids)];
}

/** The JWS algorithm the dev IdP key can make, which the dev config must also allow (fail closed otherwise). */
function algorithmFor(key: KeyObject, allowed: readonly string[]): string {
  const details = key.asymmetricKeyDetails;
  const alg =
    key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1'
      ? 'ES256'
      : key.asymmetricKeyType === 'rsa'
        ? 'RS256'
        : undefined;
  if (alg === undefined || !allowed.includes(alg)) {
    throw new EdgepassError('cli_dev_state', 'the dev identity key does not match the dev config algorithms');
  }
  return alg;
}

export const token: Command = {
  name: 'token',
  help,
  run: async (args, io) => {
    const options = { sub: { type: 'string' }, tickets: { type: 'string' }, ttl: { type: 'string' } } as const;
    const parsed = parse(args, { ...options, 'ticket-exp': { type: 'string' }, link: { type: 'boolean' } }, 0);
    if (flag(parsed, 'help')) {
      io.out(`${help}\n`);
      return 0;
    }
    const sub = stringOption(parsed, 'sub');
    if (sub === undefined || !subject.test(sub)) throw new UsageError('--sub is required (1-256 visible characters)');
    const ids = ticketIds(stringOption(parsed, 'tickets'));
    const link = flag(parsed, 'link');
    const maxTtl = link ? DEFAULT_LINK_LIFETIME_SECONDS : 604_800;
    const ttl = integerOption(parsed, 'ttl', 1, maxTtl) ?? (link ? DEFAULT_LINK_LIFETIME_SECONDS : 3600);
    const ticketExp = integerOption(parsed, 'ticket-exp', 1, 32_503_680_000);
    const nowS = Math.floor(io.nowMs() / 1000);
    if (ticketExp !== undefined && ticketExp <= nowS) throw new UsageError('--ticket-exp is in the past');
    const idp = devIdentity(io);
    const tickets = ticketExp === undefined ? ids : ids.map((attraction) => ({ attraction, exp: ticketExp }));
    const claims = Object.fromEntries(idp.ticketClaims.map((name) => [name, tickets]));
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: algorithmFor(idp.privateKey, idp.algorithms), kid: idp.kid, typ: 'JWT' })
      .setSubject(sub)
      .setIssuer(idp.issuer)
      .setIssuedAt(nowS)
      .setExpirationTime(nowS + ttl);
    if (link) jwt.setAudience(DEV_LINK_AUDIENCE);
    else if (idp.audience !== undefined) jwt.setAudience(idp.audience);
    io.out(`${await jwt.sign(idp.privateKey)}\n`);
    return 0;
  },
};
