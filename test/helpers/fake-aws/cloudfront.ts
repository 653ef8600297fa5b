// The fake's CloudFront REST-XML API (CloudFront API Reference, 2020-05-31): ListDistributions with Marker/NextMarker
// pages (NextMarker = the last Id of a truncated page), DistributionSummary with its behaviours' Lambda@Edge
// associations, and CloudFront's XML error shape.
import type { Reply } from './lambda.ts';
import type { FakeAccount, FakeAssociation, FakeDistribution } from './state.ts';
import { ACCOUNT_ID } from './state.ts';

const NS = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function xml(status: number, body: string): Reply {
  return { status, headers: { 'content-type': 'text/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}` };
}

export function cloudfrontError(status: number, code: string, message: string): Reply {
  return xml(
    status,
    `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code>` +
      `<Message>${escape(message)}</Message></Error><RequestId>8c6a3a4e-0000-4000-8000-000000000000</RequestId></ErrorResponse>`,
  );
}

function associations(list: readonly FakeAssociation[]): string {
  const items = list
    .map(
      (a) =>
        `<LambdaFunctionAssociation><LambdaFunctionARN>${escape(a.arn)}</LambdaFunctionARN>` +
        `<EventType>${a.eventType}</EventType><IncludeBody>false</IncludeBody></LambdaFunctionAssociation>`,
    )
    .join('');
  return `<LambdaFunctionAssociations><Quantity>${list.length}</Quantity>${list.length === 0 ? '' : `<Items>${items}</Items>`}</LambdaFunctionAssociations>`;
}

/** The members every behaviour of an edgepass distribution carries (cache policy, methods, key groups off). */
function behaviourBody(list: readonly FakeAssociation[]): string {
  return (
    '<TargetOriginId>media</TargetOriginId>' +
    '<TrustedSigners><Enabled>false</Enabled><Quantity>0</Quantity></TrustedSigners>' +
    '<TrustedKeyGroups><Enabled>false</Enabled><Quantity>0</Quantity></TrustedKeyGroups>' +
    '<ViewerProtocolPolicy>redirect-to-https</ViewerProtocolPolicy>' +
    '<AllowedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items>' +
    '<CachedMethods><Quantity>2</Quantity><Items><Method>HEAD</Method><Method>GET</Method></Items></CachedMethods></AllowedMethods>' +
    '<SmoothStreaming>false</SmoothStreaming><Compress>true</Compress>' +
    associations(list) +
    '<FunctionAssociations><Quantity>0</Quantity></FunctionAssociations>' +
    '<FieldLevelEncryptionId></FieldLevelEncryptionId>' +
    '<CachePolicyId>658327ea-f89d-4fab-a63d-7e88639e58f6</CachePolicyId>'
  );
}

function summary(d: FakeDistribution): string {
  const behaviours = d.behaviours
    .map(
      (b) =>
        `<CacheBehavior><PathPattern>${escape(b.pathPattern)}</PathPattern>${behaviourBody(b.associations)}</CacheBehavior>`,
    )
    .join('');
  return (
    `<DistributionSummary><Id>${d.id}</Id><ARN>arn:aws:cloudfront::${ACCOUNT_ID}:distribution/${d.id}</ARN>` +
    '<Status>Deployed</Status><LastModifiedTime>2026-11-20T09:30:00.000Z</LastModifiedTime>' +
    `<DomainName>${d.id.toLowerCase()}.cloudfront.net</DomainName><Aliases><Quantity>0</Quantity></Aliases>` +
    '<Origins><Quantity>1</Quantity><Items><Origin><Id>media</Id>' +
    '<DomainName>edgepass-media.s3.eu-west-1.amazonaws.com</DomainName><OriginPath></OriginPath>' +
    '<CustomHeaders><Quantity>0</Quantity></CustomHeaders><S3OriginConfig><OriginAccessIdentity></OriginAccessIdentity></S3OriginConfig>' +
    '<ConnectionAttempts>3</ConnectionAttempts><ConnectionTimeout>10</ConnectionTimeout>' +
    '<OriginAccessControlId>E1OACEXAMPLE01</OriginAccessControlId></Origin></Items></Origins>' +
    `<DefaultCacheBehavior>${behaviourBody(d.defaultBehaviour)}</DefaultCacheBehavior>` +
    `<CacheBehaviors><Quantity>${d.behaviours.length}</Quantity>${d.behaviours.length === 0 ? '' : `<Items>${behaviours}</Items>`}</CacheBehaviors>` +
    '<CustomErrorResponses><Quantity>0</Quantity></CustomErrorResponses><Comment>edgepass private media</Comment>' +
    '<PriceClass>PriceClass_100</PriceClass><Enabled>true</Enabled>' +
    '<ViewerCertificate><CloudFrontDefaultCertificate>true</CloudFrontDefaultCertificate>' +
    '<SSLSupportMethod>vip</SSLSupportMethod><MinimumProtocolVersion>TLSv1</MinimumProtocolVersion>' +
    '<CertificateSource>cloudfront</CertificateSource></ViewerCertificate>' +
    '<Restrictions><GeoRestriction><RestrictionType>none</RestrictionType><Quantity>0</Quantity></GeoRestriction></Restrictions>' +
    '<WebACLId></WebACLId><HttpVersion>HTTP2and3</HttpVersion><IsIPV6Enabled>true</IsIPV6Enabled><Staging>false</Staging>' +
    '</DistributionSummary>'
  );
}

function listDistributions(account: FakeAccount, query: Record<string, string>): Reply {
  const marker = query['Marker'] ?? '';
  // "The results include distributions in the list that occur after the marker" (API Reference, ListDistributions).
  const start = marker === '' ? 0 : account.distributions.findIndex((d) => d.id === marker) + 1;
  if (start === 0 && marker !== '') return cloudfrontError(400, 'InvalidArgument', 'The marker is not valid.');
  const maxItems = Math.min(Number(query['MaxItems'] ?? 100), account.pageSize.cloudfront);
  const page = account.distributions.slice(start, start + maxItems);
  const truncated = start + maxItems < account.distributions.length;
  const next = truncated ? `<NextMarker>${page.at(-1)?.id ?? ''}</NextMarker>` : '';
  return xml(
    200,
    `<DistributionList xmlns="${NS}"><Marker>${escape(marker)}</Marker>${next}<MaxItems>${maxItems}</MaxItems>` +
      `<IsTruncated>${truncated}</IsTruncated><Quantity>${page.length}</Quantity>` +
      `${page.length === 0 ? '' : `<Items>${page.map(summary).join('')}</Items>`}</DistributionList>`,
  );
}

export function cloudfrontApi(
  account: FakeAccount,
  method: string,
  path: string,
  query: Record<string, string>,
): Reply {
  if (method === 'GET' && path === '/2020-05-31/distribution') {
    if (account.denied.has('ListDistributions')) {
      return cloudfrontError(
        403,
        'AccessDenied',
        `User: arn:aws:iam::${ACCOUNT_ID}:user/oncall is not authorized to perform: cloudfront:ListDistributions`,
      );
    }
    return listDistributions(account, query);
  }
  return cloudfrontError(404, 'NotFound', `fake: no ${method} ${path}`);
}
