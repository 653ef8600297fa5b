// The pure decision of `edgepass versions prune` (cli/versions/plan.ts): what is never deleted ($LATEST, a version a
// behaviour names, the stack's current one, the newest N) and the order of deletion, from plain lists.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planVersions, toDelete } from '../../cli/versions/plan.ts';
import type { Association, EdgeVersion } from '../../cli/versions/plan.ts';

const ARN = 'arn:aws:lambda:us-east-1:111122223333:function:auth';

function version(v: string): EdgeVersion {
  return {
    version: v,
    arn: `${ARN}:${v}`,
    lastModified: '2026-11-01T09:30:00.000+0000',
    codeSha256: 'x',
    codeSizeBytes: 1,
  };
}
const all = (n: number) => [version('$LATEST'), ...Array.from({ length: n }, (_, i) => version(String(i + 1)))];
const uses = (v: string, distributionId = 'E1'): Association => ({
  distributionId,
  behaviour: '/attractions/*',
  eventType: 'viewer-request',
  functionArn: `${ARN}:${v}`,
});
const decisions = (plan: ReturnType<typeof planVersions>) =>
  Object.fromEntries(plan.map((p) => [p.version, p.decision.action === 'keep' ? p.decision.reason : 'delete']));

describe('planVersions', () => {
  it('keeps $LATEST, used versions, the stack version and the newest N; deletes the rest', () => {
    const plan = planVersions({
      versions: all(8),
      associations: [
        uses('6'),
        uses('6', 'E2'),
        uses('2'),
        { ...uses('3'), functionArn: 'arn:aws:lambda:us-east-1:111122223333:function:other:3' },
      ],
      stackVersionArn: `${ARN}:8`,
      keep: 2,
    });
    expect(decisions(plan)).toEqual({
      $LATEST: 'latest',
      '8': 'stack',
      '7': 'newest',
      '6': 'in-use',
      '5': 'delete',
      '4': 'delete',
      '3': 'delete',
      '2': 'in-use',
      '1': 'delete',
    });
    expect(plan.find((p) => p.version === '6')?.usedBy.map((a) => a.distributionId)).toEqual(['E1', 'E2']);
  });

  it('orders newest first by version number, not by text or input order', () => {
    const plan = planVersions({
      versions: [version('9'), version('10'), version('$LATEST'), version('2')],
      associations: [],
      stackVersionArn: undefined,
      keep: 1,
    });
    expect(plan.map((p) => p.version)).toEqual(['$LATEST', '10', '9', '2']);
  });

  it('deletes oldest first', () => {
    const plan = planVersions({ versions: all(5), associations: [], stackVersionArn: undefined, keep: 2 });
    expect(toDelete(plan).map((p) => p.version)).toEqual(['1', '2', '3']);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses keep = %s (a caller mistake)', (keep) => {
    expect(() => planVersions({ versions: all(2), associations: [], stackVersionArn: undefined, keep })).toThrow(
      TypeError,
    );
  });

  it('never offers $LATEST, a used version or one of the newest N, whatever the lists', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 10 }),
        fc.array(fc.integer({ min: 1, max: 40 })),
        (n, keep, used) => {
          const plan = planVersions({
            versions: all(n),
            associations: used.map((u) => uses(String(u))),
            stackVersionArn: undefined,
            keep,
          });
          const deleted = toDelete(plan).map((p) => p.version);
          expect(deleted).not.toContain('$LATEST');
          for (const u of used) expect(deleted).not.toContain(String(u));
          for (let v = Math.max(1, n - keep + 1); v <= n; v += 1) expect(deleted).not.toContain(String(v));
          expect(deleted.length).toBe(Math.max(0, n - keep - new Set(used.filter((u) => u <= n - keep)).size));
        },
      ),
    );
  });
});
