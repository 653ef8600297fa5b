// Names of CloudFront and WAF (scope CLOUDFRONT) resources. They are global to the account: the same stack name
// deployed in two regions must not collide, so every name carries the region of the stack that owns it.
import { Aws, Names, Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Room kept for a region (the longest today, `ap-southeast-5`, has 14 characters) when it is not known at synth. */
const REGION_ROOM = 16;

/**
 * `<stack>-<path>-<hash>-<suffix>-<region>`: unique per construct path (CDK's hash of it), per stack and per region,
 * within `maxLength` and of letters, digits and `-` only (what CloudFront and WAF names accept). CDK's own defaults
 * leave the region out of key group, public key, origin request and response headers policy and origin access
 * control names (its cache policies and CloudFront Functions carry it already).
 */
export function regionalName(scope: IConstruct, suffix: string, maxLength: number): string {
  const region = Stack.of(scope).region;
  const known = !Token.isUnresolved(region);
  const room = (known ? region.length : REGION_ROOM) + suffix.length + 2;
  const base = Names.uniqueResourceName(scope, {
    maxLength: maxLength - room,
    separator: '-',
    allowedSpecialCharacters: '-',
  });
  return `${base}-${suffix}-${known ? region : Aws.REGION}`;
}
