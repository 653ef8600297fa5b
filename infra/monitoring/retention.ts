// CloudWatch Logs retention: the configuration's number of days as CDK's RetentionDays (the same values).
import * as logs from 'aws-cdk-lib/aws-logs';

const BY_DAYS = new Map<number, logs.RetentionDays>();
for (const value of Object.values(logs.RetentionDays)) if (typeof value === 'number') BY_DAYS.set(value, value);

/** `days` must be one of RETENTION_DAYS (infra/config/monitoring.ts checks the configuration). */
export function retentionDays(days: number): logs.RetentionDays {
  const found = BY_DAYS.get(days);
  if (found === undefined) throw new TypeError(`${String(days)} days is not a CloudWatch Logs retention`);
  return found;
}
