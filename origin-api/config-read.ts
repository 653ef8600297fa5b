// Small readers for the untrusted `originApi` configuration JSON: each records a problem instead of throwing,
// so that parseOriginConfig can report every mistake at once (house style: all problems together).

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readInteger(
  raw: unknown,
  fallback: number,
  [min, max]: readonly [number, number],
  where: string,
  problems: string[],
): number {
  if (raw === undefined) return fallback;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) {
    problems.push(`${where} must be an integer from ${min} to ${max}`);
    return fallback;
  }
  return raw;
}

export function readString(raw: unknown, pattern: RegExp, rule: string, where: string, problems: string[]): string {
  if (typeof raw === 'string' && pattern.test(raw)) return raw;
  problems.push(raw === undefined ? `${where} is required (${rule})` : `${where} must be ${rule}`);
  return '';
}

export function checkKeys(obj: Json, allowed: readonly string[], where: string, problems: string[]): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) problems.push(`${where}.${key} is not a known setting`);
  }
}
