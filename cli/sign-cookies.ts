// `edgepass sign-cookies`: prints CloudFront signed cookies for one resource (pattern) as Set-Cookie lines, a Cookie
// header value, or JSON. Cookies are scoped with Path (and Domain only when asked), Secure and HttpOnly.
import { signedCookies } from '../common/cloudfront/sign.ts';
import type { SignedCookie } from '../common/cloudfront/sign.ts';
import { asUsage, choiceOption, flag, parse, stringOption, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { customPolicyFor, policyRequest, signerFrom, signingHelp, signingOptions } from './signing-options.ts';

const help = `Usage: edgepass sign-cookies RESOURCE [options]

Prints the CloudFront-Expires|CloudFront-Policy, CloudFront-Signature and CloudFront-Key-Pair-Id cookies
(AWS Developer Guide, "Set signed cookies"). RESOURCE is a URL or a pattern with * (any characters, crossing /)
and ? (one character); a pattern always gets a custom policy.

Options:
${signingHelp}
  --format set-cookie|header|json
                        Set-Cookie lines (default), one Cookie header value, or a JSON object
  --path PATH           cookie Path (default: the resource's directory, up to the first wildcard)
  --domain DOMAIN       cookie Domain (default: none, so only the resource's host gets the cookies)
  -h, --help            show this help

Examples:
  edgepass sign-cookies 'https://media.example.com/attractions/giants-causeway/*' --ttl 3600
  curl -b "$(edgepass sign-cookies 'http://localhost:8080/attractions/giants-causeway/*' --format header)" \\
    http://localhost:8080/attractions/giants-causeway/video/master.m3u8`;

const cookiePath = /^\/[\x21-\x3a\x3c-\x7e]{0,255}$/;
const domainName = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** The directory part of the resource's path before any wildcard: `/a/b/*.ts` → `/a/b/`. */
function defaultPath(resource: string): string {
  const match = /^[a-z]+:\/\/[^/]+(\/[^*?]*)/.exec(resource);
  const path = match?.[1] ?? '/';
  return path.slice(0, path.lastIndexOf('/') + 1);
}

function attributes(path: string, domain: string | undefined, expiresS: number): string {
  const expires = new Date(expiresS * 1000).toUTCString();
  return `${domain === undefined ? '' : `; Domain=${domain}`}; Path=${path}; Expires=${expires}; Secure; HttpOnly`;
}

function render(cookies: readonly SignedCookie[], format: string, attrs: string): string {
  if (format === 'json') return JSON.stringify(Object.fromEntries(cookies.map((c) => [c.name, c.value])), null, 2);
  if (format === 'header') return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return cookies.map((c) => `Set-Cookie: ${c.name}=${c.value}${attrs}`).join('\n');
}

function scope(parsed: ReturnType<typeof parse>, resource: string): { path: string; domain: string | undefined } {
  const path = stringOption(parsed, 'path') ?? defaultPath(resource);
  const domain = stringOption(parsed, 'domain')?.toLowerCase();
  if (!cookiePath.test(path)) throw new UsageError('--path must start with / and hold no spaces or ;');
  if (domain !== undefined && !domainName.test(domain)) throw new UsageError('--domain must be a host name');
  return { path, domain };
}

export const signCookies: Command = {
  name: 'sign-cookies',
  help,
  run: async (args, io) => {
    const options = { ...signingOptions, format: { type: 'string' }, path: { type: 'string' } } as const;
    const parsed = parse(args, { ...options, domain: { type: 'string' } }, 1);
    if (flag(parsed, 'help')) {
      io.out(`${help}\n`);
      return 0;
    }
    const resource = parsed.positionals[0];
    if (resource === undefined) throw new UsageError('the resource to sign is missing');
    const format = choiceOption(parsed, 'format', ['set-cookie', 'header', 'json'] as const) ?? 'set-cookie';
    const { path, domain } = scope(parsed, resource);
    const request = policyRequest(parsed, Math.floor(io.nowMs() / 1000), /[*?]/.test(resource));
    const signer = await signerFrom(parsed, io);
    const cookies = asUsage(() =>
      request.custom
        ? signedCookies(signer, { policy: customPolicyFor(resource, request) })
        : signedCookies(signer, { resource, expiresEpochSeconds: request.dateLessThan }),
    );
    io.out(`${render(cookies, format, attributes(path, domain, request.dateLessThan))}\n`);
    return 0;
  },
};
