// A loopback stand-in for the Secrets Manager endpoint (the AWS network boundary is the only mock allowed): it
// verifies each GetSecretValue call's SigV4 with the SDK's signer and answers with the secret, an error, or later.
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { vi } from 'vitest';
import { oracleSign } from './sigv4-oracle.ts';
import type { OracleCredentials } from './sigv4-oracle.ts';

export type Answer =
  | { readonly kind: 'secret'; readonly secretString: string }
  | { readonly kind: 'error'; readonly status: number }
  | { readonly kind: 'hold'; readonly release: Promise<void>; readonly secretString: string };

export interface FakeSecretsManager {
  readonly endpoint: string;
  /** Every call, with whether its signature, target and secret id were right. */
  readonly calls: { readonly signatureOk: boolean; readonly secretId: unknown }[];
  answer: Answer;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `20260102T030405Z` → Date. */
function amzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (m === null) return new Date(NaN);
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
}

async function signatureOk(req: IncomingMessage, body: string, creds: OracleCredentials, region: string) {
  const header = (name: string) => String(req.headers[name] ?? '');
  if (header('x-amz-security-token') !== (creds.sessionToken ?? '')) return false;
  const expected = await oracleSign(
    {
      host: header('host'),
      path: req.url ?? '',
      headers: { 'content-type': header('content-type'), 'x-amz-target': header('x-amz-target') },
      body,
    },
    creds,
    region,
    amzDate(header('x-amz-date')),
  );
  const targetOk = header('x-amz-target') === 'secretsmanager.GetSecretValue';
  const typeOk = header('content-type') === 'application/x-amz-json-1.1';
  return req.method === 'POST' && targetOk && typeOk && expected['authorization'] === header('authorization');
}

export async function startFakeSecretsManager(
  creds: OracleCredentials,
  region: string,
  secretArn: string,
  answer: Answer,
): Promise<FakeSecretsManager> {
  const calls: FakeSecretsManager['calls'] = [];
  const state = { answer };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const ok = await signatureOk(req, body, creds, region);
      const secretId = (JSON.parse(body) as { SecretId?: unknown }).SecretId;
      calls.push({ signatureOk: ok, secretId });
      const current = state.answer;
      if (!ok || secretId !== secretArn) {
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'InvalidSignatureException' }));
        return;
      }
      if (current.kind === 'error') {
        res.writeHead(current.status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify({ __type: 'InternalServiceError' }));
        return;
      }
      if (current.kind === 'hold') await current.release;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ ARN: secretArn, Name: 'cf-key', SecretString: current.secretString, VersionId: 'v1' }));
    })();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${String(port)}/`,
    calls,
    get answer() {
      return state.answer;
    },
    set answer(next: Answer) {
      state.answer = next;
    },
    close: () =>
      new Promise<void>((done) => {
        server.close(() => {
          done();
        });
      }),
  };
}

/** The Lambda role's credentials in these tests (not real ones). */
export const ROLE_CREDENTIALS = {
  accessKeyId: 'ASIATESTKEY',
  secretAccessKey: 'test-secret-access-key',
  sessionToken: 'test-session',
};

/**
 * The fake (answering 500 until told otherwise), with the role's credentials in the environment where the Lambda
 * runtime puts them, for a bundle in Secrets Manager mode to read at cold start. `close` also restores the environment.
 */
export async function startSecretsManagerForBundles(region: string, secretArn: string): Promise<FakeSecretsManager> {
  const fake = await startFakeSecretsManager(ROLE_CREDENTIALS, region, secretArn, { kind: 'error', status: 500 });
  vi.stubEnv('AWS_ACCESS_KEY_ID', ROLE_CREDENTIALS.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', ROLE_CREDENTIALS.secretAccessKey);
  vi.stubEnv('AWS_SESSION_TOKEN', ROLE_CREDENTIALS.sessionToken);
  const close = fake.close.bind(fake);
  fake.close = async () => {
    vi.unstubAllEnvs();
    await close();
  };
  return fake;
}
