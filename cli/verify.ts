// `edgepass verify`: judges a signed URL or cookie set with common/cloudfront's verifier and explains each check.
// Untrusted input: the URL and cookies are echoed only with signing values removed or redacted.
import { parseIpv4 } from '../common/cloudfront/ipv4.ts';
import { importTrustedKeys } from '../common/cloudfront/keys.ts';
import type { TrustedKeys } from '../common/cloudfront/keys.ts';
import { presentedCookies, splitSignedUrl } from '../common/cloudfront/signed-request.ts';
import type { Presented } from '../common/cloudfront/signed-request.ts';
import { createVerifier } from '../common/cloudfront/verify.ts';
import { flag, listOption, parse, integerOption, stringOption, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { devTrustedKeysPem } from './dev-keys.ts';
import { explain } from './explain.ts';
import { readKeyFile } from './key-file.ts';
import type { Io } from './io.ts';
import { renderReport } from './report.ts';

const help = `Usage: edgepass verify URL [--cookie 'CloudFront-Policy=…; …'] [--public-key ID=FILE ...] [--ip A.B.C.D]
                       [--now EPOCH]

Explains whether CloudFront would accept the signed URL (or, for a URL without signing parameters, the cookies)
and why: key id, hash algorithm, policy, signature, expiry, start, resource and IP. Exit code 0 when valid, 1 when not.
A URL that carries Expires, Policy, Signature, Key-Pair-Id or Hash-Algorithm is judged as a signed URL and cookies
are ignored, as CloudFront does.

Options:
  --cookie COOKIES      a Cookie header value (repeatable); "Cookie:" / "Set-Cookie:" prefixes are accepted
  --public-key ID=FILE  a trusted public key (repeatable; default: the dev keys in .edgepass/)
  --ip A.B.C.D          the viewer's IPv4 address, for policies with an IpAddress condition
  --now EPOCH           judge at this time instead of now
  -h, --help            show this help

Examples:
  edgepass verify "$(edgepass sign-url http://localhost:8080/attractions/giants-causeway/basalt.jpg)"
  edgepass verify https://d111111abcdef8.cloudfront.net/a.jpg --cookie "$(cat cookies.txt)" \\
    --public-key K2JCJMDEHXQW5F=public_key.pem --ip 203.0.113.7`;

const MAX_COOKIES = 64;

/** Cookie header text → name/value map; the first of repeated names wins, like a browser-ordered header. */
function parseCookies(texts: readonly string[]): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const text of texts) {
    for (const part of text.replace(/^\s*(set-)?cookie:\s*/i, '').split(';')) {
      const eq = part.indexOf('=');
      if (eq <= 0) continue;
      const name = part.slice(0, eq).trim();
      if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
      if (cookies.size > MAX_COOKIES) throw new UsageError(`--cookie holds more than ${MAX_COOKIES} cookies`);
    }
  }
  return cookies;
}

async function trustedKeys(specs: readonly string[], io: Io): Promise<TrustedKeys> {
  if (specs.length === 0) return importTrustedKeys(devTrustedKeysPem(io));
  const pems: Record<string, string> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError('--public-key must be ID=FILE');
    pems[spec.slice(0, eq)] = await readKeyFile(io.cwd, spec.slice(eq + 1));
  }
  return importTrustedKeys(pems);
}

/** Where the credentials are, as CloudFront picks them: the URL's own parameters first, else the cookies. */
function credentials(url: string, cookies: ReadonlyMap<string, string>) {
  const split = splitSignedUrl(url);
  if (split.kind === 'signed') return { via: 'signed URL', resource: split.resource, presented: split.presented };
  if (split.kind === 'duplicate') return { via: 'signed URL', resource: url, presented: undefined };
  const presented: Presented | undefined = presentedCookies(cookies);
  const via = presented === undefined ? 'none (no signing parameters in the URL, no CloudFront cookies)' : 'cookies';
  return { via, resource: url, presented };
}

function facts(parsed: ReturnType<typeof parse>, io: Io) {
  const ip = stringOption(parsed, 'ip');
  if (ip !== undefined && parseIpv4(ip) === undefined) throw new UsageError('--ip must be an IPv4 address');
  const nowS = integerOption(parsed, 'now', 0, 32_503_680_000) ?? Math.floor(io.nowMs() / 1000);
  return { clientIp: ip, nowS };
}

export const verify: Command = {
  name: 'verify',
  help,
  run: async (args, io) => {
    const options = {
      cookie: { type: 'string', multiple: true },
      'public-key': { type: 'string', multiple: true },
    } as const;
    const parsed = parse(args, { ...options, ip: { type: 'string' }, now: { type: 'string' } }, 1);
    if (flag(parsed, 'help')) {
      io.out(`${help}\n`);
      return 0;
    }
    const url = parsed.positionals[0];
    if (url === undefined) throw new UsageError('the URL to check is missing');
    const { clientIp, nowS } = facts(parsed, io);
    const cookies = parseCookies(listOption(parsed, 'cookie'));
    const trusted = await trustedKeys(listOption(parsed, 'public-key'), io);
    const verifier = createVerifier(trusted, { cacheEntries: 0 });
    const verdict = verifier.verifyRequest({ url, clientIp: clientIp ?? '', nowEpochSeconds: nowS, cookies });
    const found = credentials(url, cookies);
    const steps =
      found.presented === undefined
        ? []
        : explain(found.presented, trusted, { resource: found.resource, clientIp, nowS }, verdict);
    const ignoredCookies = found.via === 'signed URL' && cookies.size > 0;
    io.out(renderReport({ resource: found.resource, via: found.via, steps, verdict, ignoredCookies }));
    return verdict.ok ? 0 : 1;
  },
};
