// A local Lambda function URL with AuthType AWS_IAM, as CloudFront's origin access control meets it: SigV4 checked,
// the payload hash checked against the body, the function's resource policy evaluated (IAM), then the request
// handed to the function as a payload 2.0 event (Lambda Developer Guide, "Lambda function URLs", "Invoking Lambda
// function URLs", "Control access to Lambda function URLs"). Trust boundary: the loopback socket; dev only.
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyStructuredResultV2, LambdaFunctionURLEvent } from 'aws-lambda';
import { readBoundedBody } from './http-body.ts';
import { evaluate } from './iam.ts';
import { queryRecord, verifyRequest } from './sigv4.ts';
import type { PolicyDocument } from './template/services.ts';
import { LOCAL_ACCOUNT_ID } from './template/intrinsics.ts';

export type FunctionUrlHandler = (event: LambdaFunctionURLEvent) => Promise<APIGatewayProxyStructuredResultV2>;

/** Who may call: access key → principal (the CloudFront service principal with the distribution as its source). */
export interface FunctionUrlCaller {
  readonly secretAccessKey: string;
  readonly principal: string;
  readonly sourceArn: string;
}

export interface FunctionUrlOptions {
  readonly functionArn: string;
  readonly resourcePolicy: PolicyDocument;
  readonly callers: ReadonlyMap<string, FunctionUrlCaller>;
  readonly handler: FunctionUrlHandler;
  readonly nowMs: () => number;
  readonly log: (line: string) => void;
}

/** Function URL request payloads are capped at 6 MB (Lambda Developer Guide, "Lambda quotas"). */
const MAX_BODY_BYTES = 6 * 1024 * 1024;
const TEXT = /^(text\/|application\/(json|xml|x-www-form-urlencoded|problem\+json))/;

function forbidden(res: ServerResponse, status = 403): void {
  // The shape Lambda answers an unauthorised function URL call with.
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ Message: 'Forbidden' }));
}

function lowerHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function toEvent(
  req: IncomingMessage,
  headers: Record<string, string>,
  body: Buffer,
  nowMs: number,
  accessKey: string,
) {
  const target = req.url ?? '/';
  const mark = target.indexOf('?');
  const rawPath = mark < 0 ? target : target.slice(0, mark);
  const rawQueryString = mark < 0 ? '' : target.slice(mark + 1);
  const text = TEXT.test(headers['content-type'] ?? '');
  const { cookie, ...rest } = headers;
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    ...(cookie === undefined ? {} : { cookies: cookie.split(/;\s*/) }),
    headers: rest,
    ...(rawQueryString === ''
      ? {}
      : { queryStringParameters: Object.fromEntries(new URLSearchParams(rawQueryString)) }),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: 'local',
      authorizer: {
        iam: { accessKey, accountId: LOCAL_ACCOUNT_ID, callerId: accessKey, userArn: '', userId: accessKey },
      },
      domainName: headers['host'] ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: req.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date(nowMs).toUTCString(),
      timeEpoch: nowMs,
    },
    ...(body.length === 0 ? {} : { body: body.toString(text ? 'utf8' : 'base64') }),
    isBase64Encoded: body.length > 0 && !text,
  };
  return event as unknown as LambdaFunctionURLEvent;
}

/** Both permissions: since October 2025 a function URL needs InvokeFunctionUrl and InvokeFunction for the caller. */
async function permitted(options: FunctionUrlOptions, caller: FunctionUrlCaller): Promise<boolean> {
  const ask = (action: string, context: Record<string, string>) =>
    evaluate({
      principal: caller.principal,
      action,
      resource: options.functionArn,
      identityPolicies: [],
      resourcePolicy: options.resourcePolicy,
      context: { 'aws:SourceArn': caller.sourceArn, ...context },
    });
  const [url, invoke] = await Promise.all([
    ask('lambda:InvokeFunctionUrl', { 'lambda:FunctionUrlAuthType': 'AWS_IAM' }),
    ask('lambda:InvokeFunction', { 'lambda:InvokedViaFunctionUrl': 'true' }),
  ]);
  return url.allowed && invoke.allowed;
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: [string, string][] = Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)]);
  for (const cookie of result.cookies ?? []) headers.push(['set-cookie', cookie]);
  const body = Buffer.from(result.body ?? '', result.isBase64Encoded === true ? 'base64' : 'utf8');
  res.writeHead(result.statusCode ?? 200, headers.flat()).end(body);
}

async function handle(options: FunctionUrlOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBoundedBody(req, MAX_BODY_BYTES);
  if (body === undefined) return void res.writeHead(413).end();
  const headers = lowerHeaders(req);
  const [hostname = '', port = '80'] = (headers['host'] ?? '').split(':');
  const target = req.url ?? '/';
  const mark = target.indexOf('?');
  const signable = {
    method: req.method ?? 'GET',
    hostname,
    port: Number(port),
    path: mark < 0 ? target : target.slice(0, mark),
    query: queryRecord(mark < 0 ? '' : target.slice(mark + 1)),
    headers,
    authorization: headers['authorization'],
  };
  // AWS checks the request time against its own clock, not the stack's (which tests may freeze).
  const verdict = await verifyRequest(signable, (id) => options.callers.get(id)?.secretAccessKey, Date.now());
  // Lambda refuses unsigned payloads: the signed hash must be the body's (SigV4 signs x-amz-content-sha256).
  const bodyHash = createHash('sha256').update(body).digest('hex');
  const hashOk =
    headers['x-amz-content-sha256'] === bodyHash ||
    (body.length === 0 && headers['x-amz-content-sha256'] === undefined);
  const caller = verdict.ok ? options.callers.get(verdict.by.accessKeyId) : undefined;
  if (!verdict.ok || !hashOk || caller === undefined || verdict.by.service !== 'lambda') {
    options.log(
      `function URL ${signable.method} ${signable.path} -> 403 (${verdict.ok ? 'payload hash does not match the body' : verdict.reason})`,
    );
    forbidden(res);
    return;
  }
  if (!(await permitted(options, caller))) {
    options.log(`function URL ${signable.method} ${signable.path} -> 403 (resource policy denies ${caller.principal})`);
    forbidden(res);
    return;
  }
  send(res, await options.handler(toEvent(req, headers, body, options.nowMs(), verdict.by.accessKeyId)));
}

export function createFunctionUrlServer(options: FunctionUrlOptions): http.Server {
  return http.createServer((req, res) => {
    handle(options, req, res).catch(() => {
      options.log(`function URL ${req.method ?? '?'} failed inside the local runtime`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Message: 'Internal Server Error' }));
    });
  });
}
