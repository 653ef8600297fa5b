// A loopback fake of the AWS APIs `edgepass versions` calls, for driving the real SDK clients in tests: every request
// must carry a valid SigV4 signature by a known access key; the signature's service picks the API (Lambda REST-JSON,
// CloudFront REST-XML, CloudFormation awsQuery). Each request is recorded for the tests to inspect.
import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { ChecksumConstructor } from '@smithy/types';
import { closeServer, listenOn } from '../../../local/listen.ts';
import { NodeSha256, parseAuthorization, queryRecord } from '../../../local/sigv4.ts';
import { cloudformationApi } from './cloudformation.ts';
import { cloudfrontApi } from './cloudfront.ts';
import { lambdaApi } from './lambda.ts';
import type { Reply } from './lambda.ts';
import type { FakeAccount, RecordedRequest } from './state.ts';

export interface FakeAws {
  readonly url: string;
  readonly account: FakeAccount;
  readonly requests: RecordedRequest[];
  /** Requests refused for their signature, with the reason. */
  readonly rejected: string[];
  readonly close: () => Promise<void>;
}

interface Incoming {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Signs the request again with the secret of its access key (the SDK's own signer) and compares signatures. */
async function verify(request: Incoming, secrets: ReadonlyMap<string, string>): Promise<string | undefined> {
  const auth = parseAuthorization(request.headers['authorization']);
  if (auth === undefined) return 'no SigV4 Authorization header';
  const secret = secrets.get(auth.accessKeyId);
  if (secret === undefined) return `unknown access key ${auth.accessKeyId}`;
  const amzDate = request.headers['x-amz-date'] ?? '';
  const date = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (Number.isNaN(date.getTime())) return 'no x-amz-date';
  const headers = Object.fromEntries(auth.signedHeaders.map((name) => [name, request.headers[name] ?? '']));
  const signer = new SignatureV4({
    credentials: { accessKeyId: auth.accessKeyId, secretAccessKey: secret },
    region: auth.region,
    service: auth.service,
    sha256: NodeSha256 as unknown as ChecksumConstructor,
  });
  const [hostname = '', port = '80'] = (request.headers['host'] ?? '').split(':');
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname,
      port: Number(port),
      path: request.rawPath,
      query: queryRecord(request.rawQuery),
      headers,
      body: request.body,
    },
    { signingDate: date },
  );
  const expected = parseAuthorization(signed.headers['authorization'])?.signature ?? '';
  const same =
    expected.length === auth.signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature));
  return same ? undefined : `signature does not match (${auth.service})`;
}

function flatQuery(rawQuery: string): Record<string, string> {
  const record = queryRecord(rawQuery);
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, Array.isArray(v) ? (v[0] ?? '') : v]));
}

function dispatch(account: FakeAccount, service: string, request: Incoming, path: string): Reply {
  const query = flatQuery(request.rawQuery);
  if (service === 'lambda') return lambdaApi(account, request.method, path, query);
  if (service === 'cloudfront') return cloudfrontApi(account, request.method, path, query);
  if (service === 'cloudformation') return cloudformationApi(account, request.method, request.body);
  return { status: 400, headers: {}, body: `fake: no service ${service}` };
}

async function read(req: http.IncomingMessage): Promise<Incoming> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return {
    method: req.method ?? 'GET',
    rawPath: q < 0 ? url : url.slice(0, q),
    rawQuery: q < 0 ? '' : url.slice(q + 1),
    headers,
    body: Buffer.concat(chunks).toString('utf8'),
  };
}

/** Starts the fake on 127.0.0.1 (a free port) for `account`; `credentials` maps access key ids to secrets. */
export async function startFakeAws(account: FakeAccount, credentials: ReadonlyMap<string, string>): Promise<FakeAws> {
  const requests: RecordedRequest[] = [];
  const rejected: string[] = [];
  const server = http.createServer((req, res) => {
    void (async () => {
      const request = await read(req);
      const problem = await verify(request, credentials);
      if (problem !== undefined) {
        rejected.push(problem);
        res.writeHead(403, { 'content-type': 'text/plain' }).end(problem);
        return;
      }
      const auth = parseAuthorization(request.headers['authorization']);
      const service = auth?.service ?? '';
      const path = decodeURIComponent(request.rawPath);
      const action =
        service === 'cloudformation' ? (new URLSearchParams(request.body).get('Action') ?? undefined) : undefined;
      requests.push({
        service,
        region: auth?.region ?? '',
        accessKeyId: auth?.accessKeyId ?? '',
        method: request.method,
        path,
        query: flatQuery(request.rawQuery),
        action,
      });
      const reply = dispatch(account, service, request, path);
      res.writeHead(reply.status, { ...reply.headers, 'x-amzn-requestid': '0f3c1c8e-0000-4000-8000-000000000000' });
      res.end(reply.body);
    })();
  });
  const port = await listenOn(server, 0, '127.0.0.1', 'FAKE_AWS_PORT');
  return { url: `http://127.0.0.1:${port}`, account, requests, rejected, close: () => closeServer(server) };
}
