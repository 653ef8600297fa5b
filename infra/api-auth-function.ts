// The CloudFront Function on `/api/*` (viewer request): moves the viewer's bearer token out of `Authorization`,
// which the Lambda origin access control overwrites with its own SigV4 signature, into `x-edgepass-authorization`.
import type { Construct } from 'constructs';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';

/** The header the origin API reads the viewer's `Authorization` value from when it is behind CloudFront. */
export const FORWARDED_AUTHORIZATION_HEADER = 'x-edgepass-authorization';

// With signing "always", CloudFront signs every origin request and overwrites a viewer Authorization header
// (CloudFront API Reference, "OriginAccessControlConfig": SigningBehavior). "no-override" would leave requests
// that carry a bearer token unsigned, which an AWS_IAM function URL rejects. So the token travels in another
// header. A viewer-supplied copy of that header is always dropped first, so only `Authorization` can set it.
// cloudfront-js-2.0 runtime (Developer Guide, "JavaScript runtime 2.0 features for CloudFront Functions").
export const API_AUTH_FUNCTION_CODE = `function handler(event) {
  var headers = event.request.headers;
  delete headers['${FORWARDED_AUTHORIZATION_HEADER}'];
  var auth = headers['authorization'];
  if (auth && typeof auth.value === 'string') {
    headers['${FORWARDED_AUTHORIZATION_HEADER}'] = { value: auth.value };
  }
  delete headers['authorization'];
  return event.request;
}
`;

export function createApiAuthFunction(scope: Construct): cloudfront.Function {
  return new cloudfront.Function(scope, 'ApiAuthorizationHeader', {
    comment: 'edgepass: forward the viewer bearer token past the Lambda OAC signature',
    runtime: cloudfront.FunctionRuntime.JS_2_0,
    code: cloudfront.FunctionCode.fromInline(API_AUTH_FUNCTION_CODE),
  });
}
