// collectMonitoring: the `deployment.monitoring` section (where alarms live, whom they notify, how long the
// authorizer's replica logs are kept, how many edge log lines carry metrics). Untrusted operator input; every problem
// is collected for the one ConfigError of the deployment section, never key material.
import { checkKeys, isRecord, readArray } from '../../edge/config-fields.ts';
import type { Json, Problems } from '../../edge/config-fields.ts';

export interface MonitoringConfig {
  /** Regions whose authorizer replicas get alarms and a log retention (infra/monitoring/). */
  readonly regions: readonly string[];
  /** Subscribed to every alarm topic the deployment creates. */
  readonly alarmEmail: string | null;
  /** Existing SNS topics, at most one per region: alarms in that region notify it instead of a topic of our own. */
  readonly snsTopicArns: readonly string[];
  readonly logRetentionDays: number;
  /** Share of the edge's log lines that carry decision metrics (edge/metrics.ts), in (0, 1]. */
  readonly metricsSampleRate: number;
}

type PriceClass = 'PriceClass_100' | 'PriceClass_200' | 'PriceClass_All';

/**
 * Regions with a CloudFront regional edge cache, where Lambda@Edge replicas run and log (CloudFront Developer Guide,
 * "Edge function logs": logs go to the region where the function ran), grouped by the cheapest price class whose
 * edge locations they serve (Price Class 100: North America, Europe, Israel; 200 adds Asia, the Middle East and
 * Africa; All adds South America and Oceania). AWS publishes no API for this list: it is the set the CloudFront
 * console's Lambda@Edge monitoring page offers, as also listed by the Gruntwork lambda-edge-log-group module (2022).
 */
const EDGE_REGIONS: Readonly<Record<PriceClass, readonly string[]>> = {
  PriceClass_100: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-central-1', 'eu-west-1', 'eu-west-2'],
  PriceClass_200: ['ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-southeast-1'],
  PriceClass_All: ['ap-southeast-2', 'sa-east-1'],
};

/** The regions a distribution of `priceClass` is expected to run its authorizer in: the default `regions`. */
export function defaultMonitoringRegions(priceClass: PriceClass): string[] {
  const classes: PriceClass[] = ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'];
  return classes.slice(0, classes.indexOf(priceClass) + 1).flatMap((c) => EDGE_REGIONS[c]);
}

/** The values CloudWatch Logs accepts for a retention (PutRetentionPolicy `retentionInDays`). */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
/** The region the CloudFront alarm lives in: CloudFront publishes its metrics there only. */
export const CLOUDFRONT_METRICS_REGION = 'us-east-1';

const KEYS = ['regions', 'alarmEmail', 'snsTopicArns', 'logRetentionDays', 'metricsSampleRate'];
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const EMAIL = /^[^\s@]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i;
// A standard topic (CloudWatch alarms cannot publish to FIFO topics, whose names end in .fifo).
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):\d{12}:[A-Za-z0-9_-]{1,256}$/;

function parseRegions(obj: Json, priceClass: PriceClass, problems: Problems): string[] {
  if (obj['regions'] === undefined) return defaultMonitoringRegions(priceClass);
  const regions: string[] = [];
  readArray(obj, 'regions', 'deployment.monitoring', problems, 0).forEach((item, index) => {
    const where = `deployment.monitoring.regions[${index}]`;
    if (typeof item !== 'string' || !REGION.test(item))
      problems.push(`${where} must be an AWS region such as eu-west-1`);
    else if (regions.includes(item)) problems.push(`${where} "${item}" is repeated`);
    else regions.push(item);
  });
  return regions;
}

function parseEmail(obj: Json, problems: Problems): string | null {
  const raw = obj['alarmEmail'];
  if (raw === undefined) return null;
  if (typeof raw === 'string' && raw.length <= 254 && EMAIL.test(raw)) return raw;
  problems.push('deployment.monitoring.alarmEmail must be an email address');
  return null;
}

/** Topics by region; a region must hold alarms (`alarmRegions`) for its topic to mean anything. */
function parseTopics(obj: Json, alarmRegions: ReadonlySet<string>, problems: Problems): string[] {
  if (obj['snsTopicArns'] === undefined) return [];
  const byRegion = new Map<string, string>();
  readArray(obj, 'snsTopicArns', 'deployment.monitoring', problems, 1).forEach((item, index) => {
    const where = `deployment.monitoring.snsTopicArns[${index}]`;
    const region = typeof item === 'string' ? TOPIC_ARN.exec(item)?.[1] : undefined;
    if (typeof item !== 'string' || region === undefined) {
      problems.push(`${where} must be a standard SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)`);
    } else if (byRegion.has(region)) {
      problems.push(`${where}: alarms notify one topic per region, and ${region} already has one`);
    } else if (!alarmRegions.has(region)) {
      problems.push(`${where}: no alarm lives in ${region} (alarms notify topics in their own region only)`);
    } else byRegion.set(region, item);
  });
  return [...byRegion.values()];
}

function parseRetention(obj: Json, problems: Problems): number {
  const raw = obj['logRetentionDays'];
  if (raw === undefined) return 30;
  if (typeof raw === 'number' && RETENTION_DAYS.includes(raw)) return raw;
  problems.push(`deployment.monitoring.logRetentionDays must be one of ${RETENTION_DAYS.join(', ')}`);
  return 30;
}

function parseSampleRate(obj: Json, problems: Problems): number {
  const raw = obj['metricsSampleRate'];
  if (raw === undefined) return 1;
  if (typeof raw === 'number' && raw > 0 && raw <= 1) return raw;
  problems.push('deployment.monitoring.metricsSampleRate must be a number above 0 and at most 1');
  return 1;
}

/**
 * The monitoring settings, with defaults when the section or a key is absent. `deployment` supplies the main region
 * (origin API alarms) and price class (default regions); problems go to the shared list.
 */
export function collectMonitoring(
  raw: unknown,
  deployment: { readonly region: string | undefined; readonly priceClass: PriceClass | undefined },
  problems: Problems,
): MonitoringConfig {
  const obj = raw === undefined ? {} : raw;
  if (!isRecord(obj)) {
    problems.push('deployment.monitoring must be an object { regions, alarmEmail, snsTopicArns, … }');
    return collectMonitoring(undefined, deployment, problems);
  }
  checkKeys(obj, KEYS, 'deployment.monitoring', problems);
  const regions = parseRegions(obj, deployment.priceClass ?? 'PriceClass_All', problems);
  const main = deployment.region === undefined ? [] : [deployment.region];
  const alarmRegions = new Set([...regions, CLOUDFRONT_METRICS_REGION, ...main]);
  return {
    regions,
    alarmEmail: parseEmail(obj, problems),
    snsTopicArns: parseTopics(obj, alarmRegions, problems),
    logRetentionDays: parseRetention(obj, problems),
    metricsSampleRate: parseSampleRate(obj, problems),
  };
}
