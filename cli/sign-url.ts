// `edgepass sign-url`: prints one CloudFront signed URL (canned or custom policy) for a URL given on the command line.
// The URL is put in wire form first (what a browser sends), because those are the bytes CloudFront compares.
import { toWireUrl } from '../common/cloudfront/resource.ts';
import { signedUrl } from '../common/cloudfront/sign.ts';
import { asUsage, flag, parse, stringOption, UsageError } from './args.ts';
import type { Command } from './command.ts';
import { customPolicyFor, policyRequest, signerFrom, signingHelp, signingOptions } from './signing-options.ts';

const help = `Usage: edgepass sign-url URL [options]

Prints URL with CloudFront's Expires|Policy, Key-Pair-Id and Signature parameters (AWS Developer Guide,
"Create a signed URL using a canned policy" / "using a custom policy").

Options:
${signingHelp}
  --resource PATTERN    custom policy: sign for this pattern (* and ? wildcards) instead of the URL alone
  -h, --help            show this help

Examples:
  edgepass sign-url https://d111111abcdef8.cloudfront.net/attractions/titanic-belfast/intro.mp4 --ttl 600
  edgepass sign-url https://media.example.com/a/b.jpg --key-pair-id K2JCJMDEHXQW5F --private-key private_key.pem \\
    --ip 203.0.113.0/24 --hash SHA256`;

export const signUrl: Command = {
  name: 'sign-url',
  help,
  run: async (args, io) => {
    const parsed = parse(args, { ...signingOptions, resource: { type: 'string' } }, 1);
    if (flag(parsed, 'help')) {
      io.out(`${help}\n`);
      return 0;
    }
    const raw = parsed.positionals[0];
    if (raw === undefined) throw new UsageError('the URL to sign is missing');
    const url = asUsage(() => toWireUrl(raw));
    const resource = stringOption(parsed, 'resource');
    const nowS = Math.floor(io.nowMs() / 1000);
    const request = policyRequest(parsed, nowS, resource !== undefined);
    const signer = await signerFrom(parsed, io);
    const signed = asUsage(() => {
      if (!request.custom) return signedUrl(signer, url, { expiresEpochSeconds: request.dateLessThan });
      return signedUrl(signer, url, { policy: customPolicyFor(resource ?? url, request) });
    });
    io.out(`${signed}\n`);
    return 0;
  },
};
