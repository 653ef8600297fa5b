// `edgepass keygen`: a CloudFront signing key pair as PEM files (private PKCS#8 mode 0600, public SPKI to paste
// into the console). Trust boundary: the private key goes to its file only, never to stdout or stderr.
import { access, mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EdgepassError } from '../common/errors.ts';
import { generateKeyPair } from '../common/keypair.ts';
import { choiceOption, flag, parse, stringOption } from './args.ts';
import type { Command } from './command.ts';

const help = `Usage: edgepass keygen [--type rsa|ecdsa] [--out DIR]

Generates a key pair CloudFront accepts for signed URLs and cookies (CloudFront API reference, "PublicKey"):
RSA-2048 (default; signatures are deterministic) or ECDSA P-256 (smaller signatures, accepted since 2025-09).

Options:
  --type rsa|ecdsa   key type (default: rsa)
  --out DIR          directory for private_key.pem (mode 0600) and public_key.pem (default: current directory)
  -h, --help         show this help

Existing files are never overwritten.

Example:
  edgepass keygen --type ecdsa --out keys/`;

function generate(type: 'rsa' | 'ecdsa'): { privatePem: string; publicPem: string } {
  const pair = generateKeyPair(type === 'rsa' ? 'rsa-2048' : 'ec-p256');
  return { privatePem: pair.privateKeyPem, publicPem: pair.publicKeyPem };
}

/** `wx`: fail rather than replace a key someone may already have uploaded to CloudFront. */
async function writeNew(path: string, text: string, mode: number): Promise<void> {
  try {
    await writeFile(path, text, { mode, flag: 'wx' });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EEXIST') throw new EdgepassError('cli_file_exists', `${path} already exists; not overwriting it`);
    throw new EdgepassError('cli_write_failed', `cannot write ${path} (${String(code)})`);
  }
}

/** Checked before generating, so a half-written pair (new private key, old public key) cannot happen. */
async function assertAbsent(paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const exists = await access(path).then(
      () => true,
      () => false,
    );
    if (exists) throw new EdgepassError('cli_file_exists', `${path} already exists; not overwriting it`);
  }
}

function nextSteps(publicPath: string, privatePath: string): string {
  return `Public key:  ${publicPath}
Private key: ${privatePath} (mode 0600; keep it secret, never commit it)

Next steps:
  1. CloudFront console > Key management > Public keys > Create public key: paste the contents of the public key.
  2. Add that public key to a key group; set the key group as a trusted key group on the protected cache behaviour
     (or list it in the edgepass config as signer/trustedKeys).
  3. Sign with the public key's ID (it looks like K2JCJMDEHXQW5F):
       edgepass sign-url https://dxxxx.cloudfront.net/path --key-pair-id K... --private-key ${privatePath}
`;
}

export const keygen: Command = {
  name: 'keygen',
  help,
  run: async (args, io) => {
    const parsed = parse(args, { type: { type: 'string' }, out: { type: 'string' } }, 0);
    if (flag(parsed, 'help')) {
      io.out(`${help}\n`);
      return 0;
    }
    const type = choiceOption(parsed, 'type', ['rsa', 'ecdsa'] as const) ?? 'rsa';
    const dir = resolve(io.cwd, stringOption(parsed, 'out') ?? '.');
    const privatePath = resolve(dir, 'private_key.pem');
    const publicPath = resolve(dir, 'public_key.pem');
    await assertAbsent([privatePath, publicPath]);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const { privatePem, publicPem } = generate(type);
    await writeNew(privatePath, privatePem, 0o600);
    // The public key is meant to be shared (pasted into CloudFront), so it stays world-readable like ssh's `.pub`.
    await writeNew(publicPath, publicPem, 0o644);
    io.out(nextSteps(publicPath, privatePath));
    return 0;
  },
};
