// The deployment record: what the last successful `npm run deploy` of a configuration put in CloudFront (public keys
// by name and fingerprint, the key group, the signer, how long retired signers' grants live). Synth is offline, so
// this record is how it refuses what CloudFront would do wrong or silently: docs/key-rotation.md. Pure functions.
import { createHash, createPublicKey } from 'node:crypto';
import type { EdgeConfig } from '../../edge/config.ts';
import type { DeploymentConfig } from './deployment.ts';

export interface KeyRecord {
  readonly stackName: string;
  readonly region: string;
  /** Every public key of the keys stack: name → fingerprint. */
  readonly publicKeys: Readonly<Record<string, string>>;
  /** Every key the key group trusted: key pair id → fingerprint; null until the first full deploy. */
  readonly keyGroup: Readonly<Record<string, string>> | null;
  readonly signer: string | null;
  /** Keys that stopped signing: key pair id → ISO time until which the grants they signed may still be presented. */
  readonly grantsUntil: Readonly<Record<string, string>>;
}

interface Deployed {
  readonly edge: EdgeConfig;
  readonly deployment: DeploymentConfig;
}

/**
 * Lambda@Edge replicas of the previous version may keep signing with the old key for a while after the deploy
 * returns (CloudFront replicates a new association to every edge location in minutes): an hour of margin.
 */
const REPLICATION_MARGIN_SECONDS = 3600;

/** SHA-256 of the key's SubjectPublicKeyInfo (DER), hex: one spelling per key, whatever the PEM's line breaks. */
export function fingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

/** The longest a cookie or signed URL minted by the edge can live. */
function maxGrantSeconds(edge: EdgeConfig): number {
  return Math.max(...edge.protectedPaths.map((p) => Math.max(p.cookieTtlSeconds, p.signedUrlTtlSeconds)));
}

/** The keys the edge signs with or accepts, each with its fingerprint: what the key group trusts. */
function usedKeys(edge: EdgeConfig): { id: string; where: string; fp: string }[] {
  return [
    { id: edge.signer.keyPairId, where: 'signer', fp: fingerprint(edge.signer.publicKeyPem) },
    ...edge.trustedKeys.map((k, i) => ({
      id: k.keyPairId,
      where: `trustedKeys[${i}]`,
      fp: fingerprint(k.publicKeyPem),
    })),
  ];
}

/** The record after a successful deploy: a keys-only deploy changes the public keys and nothing else. */
export function nextRecord(config: Deployed, previous: KeyRecord | null, keysOnly: boolean, nowMs: number): KeyRecord {
  const { stackName, region } = config.deployment;
  const publicKeys = Object.fromEntries(config.deployment.publicKeys.map((k) => [k.name, fingerprint(k.publicKeyPem)]));
  if (keysOnly) return { keyGroup: null, signer: null, grantsUntil: {}, ...previous, stackName, region, publicKeys };
  const keyGroup = Object.fromEntries(usedKeys(config.edge).map((k) => [k.id, k.fp]));
  const signer = config.edge.signer.keyPairId;
  const grantsUntil = Object.fromEntries(Object.entries(previous?.grantsUntil ?? {}).filter(([id]) => id in keyGroup));
  const old = previous?.signer ?? null;
  if (old !== null && old !== signer && old in keyGroup) {
    const seconds = maxGrantSeconds(config.edge) + REPLICATION_MARGIN_SECONDS;
    grantsUntil[old] = new Date(nowMs + seconds * 1000).toISOString();
  }
  return { stackName, region, publicKeys, keyGroup, signer, grantsUntil };
}

function publicKeyProblems(deployment: DeploymentConfig, record: KeyRecord, source: string): string[] {
  const problems: string[] = [];
  const names = new Set(deployment.publicKeys.map((k) => k.name));
  const nameOf = new Map(Object.entries(record.publicKeys).map(([name, fp]) => [fp, name]));
  for (const key of deployment.publicKeys) {
    const fp = fingerprint(key.publicKeyPem);
    const was = record.publicKeys[key.name];
    const other = nameOf.get(fp);
    if (was !== undefined && was !== fp) {
      problems.push(
        `deployment.publicKeys "${key.name}": its PEM is not the key deployed under that name (${source}). CloudFront ` +
          'public keys are immutable: restore this PEM, and add the new key under a new name (rotation phase 1)',
      );
    } else if (was === undefined && other !== undefined && !names.has(other)) {
      problems.push(
        `deployment.publicKeys "${key.name}" is the key deployed as "${other}" (${source}): renaming would create a ` +
          `new CloudFront key (a new id) and delete the old one; keep the name "${other}"`,
      );
    }
  }
  for (const [name, fp] of Object.entries(record.publicKeys)) {
    const trustedBy = Object.entries(record.keyGroup ?? {}).filter(([, f]) => f === fp);
    if (names.has(name) || trustedBy.length === 0) continue;
    problems.push(
      `deployment.publicKeys: "${name}" is gone, but the key group deployed last (${source}) still trusts it ` +
        `(${trustedBy.map(([id]) => id).join(', ')}): first remove it from signer/trustedKeys and deploy, then ` +
        'remove it from publicKeys and deploy again (rotation phase 3 takes two deploys)',
    );
  }
  return problems;
}

function signerProblems(config: Deployed, record: KeyRecord, source: string, nowMs: number): string[] {
  const problems: string[] = [];
  const group = record.keyGroup;
  if (group === null) return problems;
  const used = usedKeys(config.edge);
  for (const key of used) {
    const fp = group[key.id];
    if (fp !== undefined && fp !== key.fp) {
      problems.push(
        `${key.where} (${key.id}): the key group deployed last (${source}) holds another public key under this id; ` +
          'a key pair id names one CloudFront key for ever: check the id you copied from the keys stack',
      );
    }
  }
  const signer = config.edge.signer.keyPairId;
  if (signer !== record.signer && group[signer] === undefined) {
    problems.push(
      `signer.keyPairId ${signer}: the key group deployed last (${source}) does not trust it yet. Rotation phase 1 ` +
        `first: add it to trustedKeys with the signer unchanged (${record.signer ?? 'as deployed'}) and deploy; then ` +
        'switch the signer (phase 2)',
    );
  }
  const kept = new Set([...used.map((k) => k.id), ...config.deployment.retireNow]);
  for (const id of Object.keys(group)) {
    if (kept.has(id)) continue;
    const until = record.grantsUntil[id];
    if (id === record.signer) {
      problems.push(
        `trustedKeys: ${id} signs the grants outstanding now (${source}); moving the signer keeps it in ` +
          'trustedKeys until they have expired (phase 3). A compromised key: deployment.rotation.retireNow',
      );
    } else if (until !== undefined && Date.parse(until) > nowMs) {
      problems.push(
        `trustedKeys: grants signed with ${id} live until ${until} (${source}): keep it in trustedKeys until then ` +
          '(rotation phase 3). A compromised key: deployment.rotation.retireNow',
      );
    }
  }
  return problems;
}

/** What this configuration would do wrong to the deployment `record` describes; empty when nothing. */
export function recordProblems(config: Deployed, record: KeyRecord, source: string, nowMs: number): string[] {
  const { stackName, region } = config.deployment;
  if (record.stackName !== stackName || record.region !== region) {
    return [
      `${source} records ${record.stackName} in ${record.region}, but this configuration deploys ${stackName} in ` +
        `${region}: a new deployment starts without a record (move ${source} away if that is what you mean)`,
    ];
  }
  return [...publicKeyProblems(config.deployment, record, source), ...signerProblems(config, record, source, nowMs)];
}
