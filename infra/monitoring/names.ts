// Names the monitoring reads in every region, fixed at synth: the authorizer's function name (so that each region's
// alarms and log group can name its replicas without a cross-region lookup), its replicas' names, alarm names.
import { createHash } from 'node:crypto';

/** Lambda function names: letters, digits, - and _, at most 64 (Lambda API Reference, CreateFunction). */
const MAX_FUNCTION_NAME = 64;
const SUFFIX = '-authorizer';

/**
 * The authorizer's physical name, `<stackName>-authorizer`. A stack name too long for that keeps its first
 * characters and a hash of the whole, so two stack names never share a function.
 */
export function authorizerFunctionName(stackName: string): string {
  const name = `${stackName}${SUFFIX}`;
  if (name.length <= MAX_FUNCTION_NAME) return name;
  const hash = createHash('sha256').update(stackName).digest('hex').slice(0, 8);
  return `${stackName.slice(0, MAX_FUNCTION_NAME - SUFFIX.length - hash.length - 1)}-${hash}${SUFFIX}`;
}

/**
 * A Lambda@Edge replica's function name in the region where it ran: Lambda@Edge prefixes the name with the region
 * the function was created in (us-east-1). Its metrics carry it as the `FunctionName` dimension, as the CloudWatch
 * console's own Lambda@Edge graphs do (aws/aws-cdk#5449 shows one), and its logs go to `/aws/lambda/<this name>`
 * (CloudFront Developer Guide, "Edge function logs").
 */
export function replicaName(functionName: string): string {
  return `us-east-1.${functionName}`;
}

export function replicaLogGroupName(functionName: string): string {
  return `/aws/lambda/${replicaName(functionName)}`;
}

/** Alarm names start with the stack name: the alarm topics' policies admit exactly those alarms. */
export function alarmName(stackName: string, what: string): string {
  return `${stackName}-${what}`;
}
