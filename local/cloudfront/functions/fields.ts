// Query parameters, headers and cookies share one shape in CloudFront Functions, `{ value, multiValue? }`; this
// file groups viewer values into it and reads it back from a function's result (untrusted shape, checked here).
// Rules: Developer Guide, "CloudFront Functions event structure", "Duplicate query strings, headers, and cookies".
import type { FunctionField } from './types.ts';

/** A result that fails CloudFront's validation; caught where the result is read and reported as `invalid`. */
export class InvalidResult extends Error {}

export type Raw = Record<string, unknown>;
export const isRecord = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Values may not hold CR, LF or NUL: those would split or end a header line. */
export const SAFE_VALUE = /^[^\r\n\0]*$/;

/** True when the text holds a control character (C0 or DEL) or one of `extra`. */
export function hasControl(text: string, extra = ''): boolean {
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code === 0x7f || extra.includes(char)) return true;
  }
  return false;
}

/** Groups repeated names: the first value is `value`, and `multiValue` lists every value when there are several. */
export function groupFields(pairs: Iterable<readonly [string, string]>): Record<string, FunctionField> {
  const grouped = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const values = grouped.get(name);
    if (values === undefined) grouped.set(name, [value]);
    else values.push(value);
  }
  // Object.fromEntries defines own properties, so a name such as "__proto__" stays a plain field.
  return Object.fromEntries(
    [...grouped].map(([name, values]): [string, FunctionField] => {
      const [first = ''] = values;
      return values.length === 1
        ? [name, { value: first }]
        : [name, { value: first, multiValue: values.map((value) => ({ value })) }];
    }),
  );
}

function multiValueOf(field: Raw, where: string): string[] | undefined {
  const list = field['multiValue'];
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) throw new InvalidResult(`${where}.multiValue must be an array`);
  return list.map((entry: unknown) => {
    if (!isRecord(entry) || typeof entry['value'] !== 'string') {
      throw new InvalidResult(`${where}.multiValue[] needs a string value`);
    }
    return entry['value'];
  });
}

export const sameValues = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((value, i) => value === b[i]);

/** Every value of a field as the event holds it. */
export const valuesOf = (field: FunctionField): string[] =>
  field.multiValue?.map((entry) => entry.value) ?? [field.value];

/**
 * The values a returned field stands for, by the documented rules: when `multiValue` exists and was changed, it
 * wins and `value` is ignored; otherwise `value` replaces the first value and the others stay as they were.
 */
export function fieldValues(field: unknown, original: FunctionField | undefined, where: string): string[] {
  if (!isRecord(field) || typeof field['value'] !== 'string') throw new InvalidResult(`${where} needs a string value`);
  const value = field['value'];
  const multi = multiValueOf(field, where);
  if (multi === undefined) return [value];
  const before = original?.multiValue?.map((entry) => entry.value);
  if (before === undefined || !sameValues(multi, before)) return multi;
  return [value, ...multi.slice(1)];
}

/** The values of every field of a returned map, in its order; `checkName` rejects a name with a reason. */
export function readFieldMap(
  raw: unknown,
  originals: Readonly<Record<string, FunctionField>>,
  where: string,
  checkName: (name: string) => string | undefined,
): [string, string[]][] {
  if (raw === undefined) return [];
  if (!isRecord(raw)) throw new InvalidResult(`${where} must be an object`);
  return Object.entries(raw).map(([name, field]): [string, string[]] => {
    const problem = checkName(name);
    if (problem !== undefined) throw new InvalidResult(`${where}: ${problem}`);
    const original = Object.hasOwn(originals, name) ? originals[name] : undefined;
    return [name, fieldValues(field, original, `${where}.${name}`)];
  });
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const COOKIE_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Cookie names are tokens (RFC 6265, section 4.1.1); case is kept. */
export function checkCookieName(name: string): string | undefined {
  return COOKIE_NAME.test(name) ? undefined : `cookie name "${name}" is not a token`;
}

/** Header names must be lower-case in the event and in what the function returns. */
export function checkHeaderName(name: string): string | undefined {
  return HEADER_NAME.test(name) ? undefined : `header name "${name}" must be a lower-case token`;
}

/** CloudFront writes header names back with the first letter of each word capitalised: `x-a-b` → `X-A-B`. */
export function capitalise(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_match, dash: string, letter: string) => dash + letter.toUpperCase());
}

/** Header lines for a checked header map; values may not split the line. */
export function headerLines(headers: readonly [string, string[]][], where: string): [string, string][] {
  return headers.flatMap(([name, values]) =>
    values.map((value): [string, string] => {
      if (!SAFE_VALUE.test(value)) throw new InvalidResult(`${where}.${name} holds a control character`);
      return [capitalise(name), value];
    }),
  );
}
