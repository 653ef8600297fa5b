// Values made in the us-east-1 stack (where CloudFront wants its web ACL, and where its logs can go from an opt-in
// region) read by the main stack in another region, the way CDK's EdgeFunction passes the authorizer's version ARN:
// an SSM parameter in us-east-1 and the custom resource that reads it at deploy time. No CloudFormation export, so
// the value can change later without the lock that cross-stack exports impose.
import { CustomResource, CustomResourceProviderBase, Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import type { Construct } from 'constructs';

// CDK's EdgeFunction writes `/cdk/EdgeFunctionArn/<consumer region>/<path>` and creates, in the consuming stack, one
// reader provider whose role may read that prefix in us-east-1 (aws-cdk-lib aws-cloudfront/lib/experimental).
const PREFIX = '/cdk/EdgeFunctionArn';
const READER_TYPE = 'Custom::CrossRegionStringParameterReader';

/** The reader provider the authorizer's EdgeFunction already made in this stack. */
function readerServiceToken(stack: Stack): string {
  const provider = stack.node.tryFindChild(`${READER_TYPE}CustomResourceProvider`);
  if (!(provider instanceof CustomResourceProviderBase)) {
    throw new Error(`no ${READER_TYPE} provider in ${stack.stackName}: create the EdgeFunction first`);
  }
  return provider.serviceToken;
}

/**
 * `value`, a token of a resource in `producer` (the us-east-1 stack), as a token `consumer` can use. `refresh`
 * changes whenever the value may (e.g. the producer resource's name): the reader reads again only then.
 */
export function readFromUsEast1(
  consumer: Construct,
  producer: Construct,
  id: string,
  value: string,
  refresh: string,
): string {
  const stack = Stack.of(consumer);
  if (Stack.of(producer) === stack) return value;
  const path = consumer.node.path.replace(/[^/\w.-]/g, '_');
  const parameterName = `${PREFIX}/${stack.region}/${path}/${id}`;
  new ssm.StringParameter(producer, `${id}Parameter`, { parameterName, stringValue: value });
  const reader = new CustomResource(consumer, `${id}Reader`, {
    resourceType: READER_TYPE,
    serviceToken: readerServiceToken(stack),
    properties: { Region: 'us-east-1', ParameterName: parameterName, RefreshToken: refresh },
  });
  // The reader answers the parameter's value as `FunctionArn`, whatever the value is.
  return reader.getAttString('FunctionArn');
}
