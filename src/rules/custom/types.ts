/**
 * Types of custom rules. This module does not load mathjs: it is reachable
 * from the package entry point.
 */
import type { Evidence, Severity } from '../types.js';

/**
 * A custom rule as a user writes it (e.g. in a configuration file).
 *
 * @example
 * ```ts
 * const rule: CustomRuleDefinition = {
 *   id: 'long-slow',
 *   when: 'distanceKm > 15 and cadence.avgSpm < 165',
 *   severity: 'caution',
 *   message: 'Long run ({distanceKm} km) at a low step rate ({cadence.avgSpm} spm).',
 * };
 * ```
 */
export interface CustomRuleDefinition {
  /** Lower-case letters, digits and dashes, 1–40 characters. Findings carry `custom:<id>`. */
  readonly id: string;
  /**
   * A condition over the fields listed by `CUSTOM_RULE_FIELDS` (mathjs syntax,
   * restricted): numbers, strings, `true`/`false`, arithmetic, comparisons,
   * `and`/`or`/`not`/`xor`, `cond ? a : b`, and the functions abs, min, max,
   * round, floor, ceil, sqrt, exp, log, log10. At most 500 characters.
   */
  readonly when: string;
  readonly severity: Severity;
  /** Text of the finding; `{field}` is replaced by the field's value (numbers rounded to 2 decimals). */
  readonly message: string;
  readonly advice?: readonly string[];
  /** Default `{ grade: 'D', reference: 'user-defined rule' }`. */
  readonly evidence?: Evidence;
  /** A numeric field whose value becomes the finding's `observed` (its unit becomes `unit`). */
  readonly observedField?: string;
  /** Which activities the rule looks at. Default `running`. */
  readonly appliesTo?: 'running' | 'all';
}

/** Value a scope field may hold. `null` = not available for this activity. */
export type FieldValue = number | string | boolean | null;

/** One compiled custom rule. */
export interface CompiledCustomRule {
  readonly id: string;
  readonly when: string;
  readonly severity: Severity;
  readonly message: string;
  readonly advice: readonly string[];
  readonly evidence: Evidence;
  readonly observedField: string | null;
  readonly appliesTo: 'running' | 'all';
  /** Dotted names of the fields the condition reads, sorted. */
  readonly fields: readonly string[];
  /**
   * Evaluates the condition on a scope built from exactly {@link fields}.
   * Returns whether it holds; throws only if mathjs itself fails (caught by the rules).
   */
  readonly test: (values: ReadonlyMap<string, FieldValue>) => boolean;
}

/** Marker of a {@link CompiledCustomRules} value (shared across bundle copies). */
export const COMPILED_CUSTOM_RULES_KIND = 'stridewise.compiled-custom-rules';

/** Result of `compileCustomRules`: pass it as `options.customRules` to `evaluateRules`. */
export interface CompiledCustomRules {
  readonly kind: typeof COMPILED_CUSTOM_RULES_KIND;
  readonly rules: readonly CompiledCustomRule[];
}

/**
 * True for a value returned by `compileCustomRules` (checked by marker, so it
 * also works across two copies of the library).
 *
 * @example
 * ```ts
 * isCompiledCustomRules(await compileCustomRules([])); // true
 * isCompiledCustomRules([{ id: 'x', when: 'distanceKm > 1' }]); // false: not compiled
 * ```
 */
export function isCompiledCustomRules(value: unknown): value is CompiledCustomRules {
  if (value === null || typeof value !== 'object') return false;
  const v = value as { kind?: unknown; rules?: unknown };
  return (
    v.kind === COMPILED_CUSTOM_RULES_KIND &&
    Array.isArray(v.rules) &&
    v.rules.every((r: unknown) => typeof r === 'object' && r !== null && typeof (r as { test?: unknown }).test === 'function')
  );
}
