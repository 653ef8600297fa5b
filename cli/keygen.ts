// `edgepass keygen`: a CloudFront signing key pair as PEM files (private PKCS#8 mode 0600, public SPKI for the
// configuration's deployment.publicKeys). Trust boundary: the private key goes to its file only, never to stdout.
import { access, mkdir, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
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

Example (keys/ is git-ignored; the folder's name becomes the key's name in deployment.publicKeys):
  edgepass keygen --out keys/k202611`;

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

/** The key's name in deployment.publicKeys: the output folder's name when it is one CloudFront-stack-safe word. */
function keyName(dir: string): string {
  const name = basename(dir);
  return /^[A-Za-z0-9]{1,64}$/.test(name) ? name : 'k<yyyymm>';
}

/** The CDK keys-first flow (docs/deploy.md, "First deployment"; docs/key-rotation.md for a new key). */
function nextSteps(dir: string, publicPath: string, privatePath: string, publicPem: string): string {
  const name = keyName(dir);
  const entry = JSON.stringify({ name, publicKeyPem: publicPem });
  return `Public key:  ${publicPath}
Private key: ${privatePath} (mode 0600; keep it secret, never commit it: keys/ is git-ignored)

Next steps (the keys-first deployment: docs/deploy.md; a rotation: docs/key-rotation.md):
  1. Add the public key to deployment.publicKeys of your configuration (every new key gets a new name: CloudFront
     public keys are immutable):
       ${entry}
  2. Give the edge the private key. Production: a Secrets Manager secret (a key baked into the bundle stays in every
     Lambda version), then "privateKey": { "source": "secretsManager", "secretArn": "<the secret's ARN>" }:
       aws secretsmanager create-secret --name edgepass/${name} --secret-string file://${privatePath}
     If the secret also holds the OpenID Provider client secret (oidc.clientSecret { "jsonKey": … }), create it with
     the recipe of docs/deploy.md ("The OpenID Provider client secret in the same secret") instead: it keeps both.
     Or "privateKey": { "source": "file", "path": "<this private key, relative to the configuration>" }.
  3. Deploy the keys stack first:
       EDGEPASS_CONFIG=edgepass.json EDGEPASS_KEYS_ONLY=true npm run deploy
  4. Put its output KeyPairId${name} into signer.keyPairId (first deployment) or trustedKeys (rotation phase 1),
     then deploy everything:
       EDGEPASS_CONFIG=edgepass.json npm run deploy
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
    // The public key is meant to be shared (it goes into the configuration), so it stays world-readable like `.pub`.
    await writeNew(publicPath, publicPem, 0o644);
    io.out(nextSteps(dir, publicPath, privatePath, publicPem));
    return 0;
  },
};
