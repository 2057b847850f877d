/**
 * Validation of the input limits given to the parsers. A limit that is not a
 * positive number (`NaN`, a string from a config file, `-1`, `0`) would make
 * every `size > limit` test false and so switch the limit off without a word;
 * it is refused instead.
 */
import { ParseError } from '../errors.js';
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from './limits.js';

/**
 * The effective limits: `DEFAULT_PARSE_LIMITS` with the given fields replaced.
 * `Infinity` is allowed (no limit); an unknown field name is refused too, so
 * that a misspelt limit does not pass unnoticed.
 *
 * @throws {ParseError} `INVALID_OPTION` when a value is not a number greater than 0, or a field is unknown.
 * @example
 * resolveParseLimits({ maxSamplesPerActivity: 500_000 }).maxSamplesPerActivity // 500000
 * resolveParseLimits({ maxXmlDepth: Number.NaN }) // throws INVALID_OPTION
 */
export function resolveParseLimits(given: Partial<ParseLimits> | undefined): ParseLimits {
  if (given === undefined) return DEFAULT_PARSE_LIMITS;
  if (given === null || typeof given !== 'object') {
    throw new ParseError('INVALID_OPTION', `limits must be an object of numbers, got ${String(given)}`);
  }
  for (const [key, value] of Object.entries(given)) {
    if (!Object.prototype.hasOwnProperty.call(DEFAULT_PARSE_LIMITS, key)) {
      throw new ParseError('INVALID_OPTION', `unknown limit "${key}" (known: ${Object.keys(DEFAULT_PARSE_LIMITS).join(', ')})`);
    }
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value > 0)) {
      throw new ParseError('INVALID_OPTION', `limits.${key} must be a number greater than 0 (Infinity for none), got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
    }
  }
  const out: Record<string, number> = { ...DEFAULT_PARSE_LIMITS };
  for (const [key, value] of Object.entries(given)) if (value !== undefined) out[key] = value;
  return out as unknown as ParseLimits;
}
