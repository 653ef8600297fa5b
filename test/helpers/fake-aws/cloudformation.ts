// The fake's CloudFormation awsQuery API (CloudFormation API Reference, 2010-05-15): DescribeStacks with a StackName,
// answered in XML, and ValidationError "Stack with id … does not exist" for an unknown stack.
import type { Reply } from './lambda.ts';
import type { FakeAccount } from './state.ts';
import { ACCOUNT_ID, REGION } from './state.ts';

const NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
const REQUEST_ID = '<RequestId>b9b4b1a0-0000-4000-8000-000000000000</RequestId>';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xml = (status: number, body: string): Reply => ({ status, headers: { 'content-type': 'text/xml' }, body });

function error(status: number, code: string, message: string): Reply {
  return xml(
    status,
    `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escape(message)}</Message>` +
      `</Error>${REQUEST_ID}</ErrorResponse>`,
  );
}

function describeStacks(account: FakeAccount, name: string | null): Reply {
  const stack = account.stacks.find((s) => s.name === name);
  if (name === null || stack === undefined)
    return error(400, 'ValidationError', `Stack with id ${name ?? ''} does not exist`);
  const outputs = Object.entries(stack.outputs)
    .map(([key, value]) => `<member><OutputKey>${key}</OutputKey><OutputValue>${escape(value)}</OutputValue></member>`)
    .join('');
  const id = `arn:aws:cloudformation:${REGION}:${ACCOUNT_ID}:stack/${stack.name}/5b3f6a60-0000-4000-8000-000000000000`;
  return xml(
    200,
    `<DescribeStacksResponse xmlns="${NS}"><DescribeStacksResult><Stacks><member>` +
      `<StackName>${stack.name}</StackName><StackId>${id}</StackId>` +
      '<CreationTime>2026-11-01T09:00:00.000Z</CreationTime><LastUpdatedTime>2026-11-20T09:30:00.000Z</LastUpdatedTime>' +
      `<StackStatus>UPDATE_COMPLETE</StackStatus><Outputs>${outputs}</Outputs>` +
      '<Capabilities/><Tags/><DisableRollback>false</DisableRollback>' +
      `</member></Stacks></DescribeStacksResult><ResponseMetadata>${REQUEST_ID}</ResponseMetadata></DescribeStacksResponse>`,
  );
}

export function cloudformationApi(account: FakeAccount, method: string, body: string): Reply {
  const form = new URLSearchParams(body);
  if (method === 'POST' && form.get('Action') === 'DescribeStacks' && form.get('Version') === '2010-05-15') {
    return describeStacks(account, form.get('StackName'));
  }
  return error(400, 'InvalidAction', `fake: no action ${form.get('Action') ?? ''}`);
}
