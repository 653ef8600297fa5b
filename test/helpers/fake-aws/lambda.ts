// The fake's Lambda REST-JSON API (Lambda API Reference, 2015-03-31): ListVersionsByFunction with Marker/NextMarker
// pages, DeleteFunction with a Qualifier, and Lambda's error shape (x-amzn-ErrorType header, {"Type","message"}).
import type { FakeAccount, FakeFunction } from './state.ts';
import { ACCOUNT_ID, functionArn } from './state.ts';

export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export function lambdaError(status: number, type: string, message: string): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': type },
    body: JSON.stringify({ Type: 'User', message }),
  };
}

const json = (status: number, body: unknown): Reply => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** A name, a full ARN or a partial ARN (`account:function:name`), as the API accepts (Lambda API Reference). */
function findFunction(account: FakeAccount, given: string): FakeFunction | undefined {
  const match = /^(?:arn:aws:lambda:[a-z0-9-]+:)?(?:\d{12}:)?(?:function:)?([A-Za-z0-9_-]{1,64})$/.exec(given);
  return account.functions.find((f) => f.name === match?.[1]);
}

function configuration(fn: FakeFunction, v: FakeFunction['versions'][number]) {
  return {
    FunctionName: fn.name,
    FunctionArn: functionArn(fn.name, v.version),
    Runtime: 'nodejs22.x',
    Role: `arn:aws:iam::${ACCOUNT_ID}:role/EdgePass-edge-AuthorizerFnServiceRole-1A2B3C4D5E6F`,
    Handler: 'index.handler',
    CodeSize: v.codeSize,
    Description: 'edgepass viewer-request authorizer (config baked in at synth)',
    Timeout: 5,
    MemorySize: 128,
    LastModified: v.lastModified,
    CodeSha256: v.codeSha256,
    Version: v.version,
    TracingConfig: { Mode: 'PassThrough' },
    RevisionId: `00000000-0000-4000-8000-${v.version.replace(/\D/g, '0').padStart(12, '0')}`,
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${fn.name}` },
  };
}

function notFound(name: string): Reply {
  return lambdaError(404, 'ResourceNotFoundException', `Function not found: ${functionArn(name)}`);
}

function listVersions(account: FakeAccount, fn: FakeFunction, query: Record<string, string>): Reply {
  // Markers are opaque to clients; here the index to resume at. At most 50 per page (API Reference).
  const start = query['Marker'] === undefined ? 0 : Number(Buffer.from(query['Marker'], 'base64url').toString());
  if (!Number.isSafeInteger(start) || start < 0) {
    return lambdaError(400, 'InvalidParameterValueException', 'Invalid marker');
  }
  const size = Math.min(account.pageSize.lambda, Number(query['MaxItems'] ?? 50), 50);
  const page = fn.versions.slice(start, start + size);
  const next = start + size < fn.versions.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
  return json(200, {
    ...(next === undefined ? {} : { NextMarker: next }),
    Versions: page.map((v) => configuration(fn, v)),
  });
}

function deleteVersion(fn: FakeFunction, qualifier: string | undefined): Reply {
  if (qualifier === undefined) return lambdaError(400, 'InvalidParameterValueException', 'fake: whole-function delete');
  const v = fn.versions.find((x) => x.version === qualifier);
  if (v === undefined) return notFound(`${fn.name}:${qualifier}`);
  if (v.deleteFails === 'replicated') {
    // The message Lambda returns for a version CloudFront still replicates (CloudFront Developer Guide, "Delete
    // Lambda@Edge functions and replicas"; the same text appears in CloudFormation's DELETE_FAILED events).
    const arn = functionArn(fn.name, qualifier);
    return lambdaError(
      400,
      'InvalidParameterValueException',
      `Lambda was unable to delete ${arn} because it is a replicated function. Please see our documentation for Deleting Lambda@Edge Functions and Replicas.`,
    );
  }
  if (v.deleteFails === 'conflict') {
    return lambdaError(409, 'ResourceConflictException', 'The operation cannot be performed at this time.');
  }
  fn.versions = fn.versions.filter((x) => x !== v);
  return { status: 204, headers: {}, body: '' };
}

export function lambdaApi(account: FakeAccount, method: string, path: string, query: Record<string, string>): Reply {
  const versions = /^\/2015-03-31\/functions\/([^/]+)\/versions$/.exec(path);
  const fnPath = /^\/2015-03-31\/functions\/([^/]+)$/.exec(path);
  const name = versions?.[1] ?? fnPath?.[1];
  const fn = name === undefined ? undefined : findFunction(account, name);
  if (name !== undefined && fn === undefined) return notFound(name);
  if (versions !== null && method === 'GET' && fn !== undefined) return listVersions(account, fn, query);
  if (fnPath !== null && method === 'DELETE' && fn !== undefined) return deleteVersion(fn, query['Qualifier']);
  return lambdaError(404, 'UnknownOperationException', `fake: no ${method} ${path}`);
}
