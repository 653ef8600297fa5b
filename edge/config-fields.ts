// Small readers for untrusted configuration JSON: each records a problem instead of throwing, so that
// parseConfig can report every mistake at once (house style: configuration fails loudly, all problems together).

export type Problems = string[];
export type Json = Record<string, unknown>;

/** `where.key`, or just `key` at the top level. */
export function at(where: string, key: string): string {
  return where === '' ? key : `${where}.${key}`;
}

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reports keys of `obj` that are not in `allowed`. */
export function checkKeys(obj: Json, allowed: readonly string[], where: string, problems: Problems): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) problems.push(`${at(where, key)} is not a known setting`);
  }
}

export function readString(
  obj: Json,
  key: string,
  where: string,
  problems: Problems,
  check?: { pattern: RegExp; hint: string },
): string | undefined {
  const value = obj[key];
  if (typeof value !== 'string' || value === '') {
    problems.push(`${at(where, key)} is required and must be a non-empty string`);
    return undefined;
  }
  if (check !== undefined && !check.pattern.test(value)) {
    problems.push(`${at(where, key)} must be ${check.hint}`);
    return undefined;
  }
  return value;
}

/** An integer in [min, max]; `fallback` applies only when the key is absent (never for security settings). */
export function readInt(
  obj: Json,
  key: string,
  where: string,
  problems: Problems,
  range: { min: number; max: number; fallback?: number },
): number | undefined {
  const value = obj[key];
  if (value === undefined && range.fallback !== undefined) return range.fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    problems.push(`${at(where, key)} must be an integer from ${range.min} to ${range.max}`);
    return undefined;
  }
  return value;
}

export function readChoice<T extends string>(
  obj: Json,
  key: string,
  where: string,
  problems: Problems,
  choices: readonly T[],
  fallback: T,
): T | undefined {
  const value = obj[key];
  if (value === undefined) return fallback;
  const found = choices.find((choice) => choice === value);
  if (found === undefined) problems.push(`${at(where, key)} must be one of ${choices.map((c) => `"${c}"`).join(', ')}`);
  return found;
}

export function readArray(obj: Json, key: string, where: string, problems: Problems, min: number): unknown[] {
  const value = obj[key];
  if (!Array.isArray(value) || value.length < min) {
    problems.push(`${at(where, key)} must be an array with at least ${min} item${min === 1 ? '' : 's'}`);
    return [];
  }
  return value as unknown[];
}
