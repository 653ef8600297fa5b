// Command-line parsing shared by every command: node:util parseArgs in strict mode, bounded numbers, and usage
// errors whose messages name the option but never echo a value (a value may be a token, cookie or signed URL).
import { parseArgs } from 'node:util';
import { EdgepassError } from '../common/errors.ts';

/** The command line was wrong: exit code 2 and the command's usage hint. */
export class UsageError extends EdgepassError {
  constructor(message: string) {
    super('cli_usage', message);
    this.name = 'UsageError';
  }
}

export type OptionSpec = Record<
  string,
  { readonly type: 'string' | 'boolean'; readonly short?: string; readonly multiple?: boolean }
>;

const MAX_ARGUMENT_CHARS = 16_384;

/** node:util's messages quote only option names for these codes; anything else gets a generic message. */
function usageMessage(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return message.replace(/\. To specify a positional.*$/s, '');
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return message;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return 'too many arguments';
  return 'invalid command line';
}

export interface Parsed {
  readonly values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  readonly positionals: readonly string[];
}

/** Strict parse with `--help`/`-h` always known; positionals are counted by the caller. */
export function parse(args: readonly string[], options: OptionSpec, maxPositionals: number): Parsed {
  if (args.some((a) => a.length > MAX_ARGUMENT_CHARS)) throw new UsageError('an argument is too long');
  try {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: maxPositionals > 0,
    });
    if (positionals.length > maxPositionals) throw new UsageError('too many arguments');
    return { values, positionals };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(usageMessage(error));
  }
}

export function stringOption(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function listOption(parsed: Parsed, name: string): string[] {
  const value = parsed.values[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function flag(parsed: Parsed, name: string): boolean {
  return parsed.values[name] === true;
}

/** A whole number (seconds, epoch seconds, a port) in [min, max]; the message names the option, not the value. */
export function integerOption(parsed: Parsed, name: string, min: number, max: number): number | undefined {
  const text = stringOption(parsed, name);
  if (text === undefined) return undefined;
  const value = /^[0-9]{1,12}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/** One of a fixed set of words (case-insensitive), or undefined when absent. */
export function choiceOption<T extends string>(parsed: Parsed, name: string, choices: readonly T[]): T | undefined {
  const text = stringOption(parsed, name);
  if (text === undefined) return undefined;
  const found = choices.find((c) => c.toLowerCase() === text.toLowerCase());
  if (found === undefined) throw new UsageError(`--${name} must be one of ${choices.join(', ')}`);
  return found;
}

/** Runs `make`, turning a TypeError (a caller mistake in what the user typed) into a usage error. */
export function asUsage<T>(make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof TypeError) throw new UsageError(error.message);
    throw error;
  }
}
