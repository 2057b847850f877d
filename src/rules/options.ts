/**
 * Rule configuration: every threshold of every rule, its default, and the
 * validation that turns a user's (possibly hand-written JSON) options into a
 * complete, checked configuration.
 *
 * Units: SI plus steps/min, as everywhere in stridewise; every numeric option
 * name ends in its unit (`minCadenceSpm`, `heavyDescentM`) or is a plain ratio
 * (`minRatio`, `dropPct` as a fraction: 0.03 = 3 %).
 */
import { StridewiseError } from '../errors.js';
import type { CompiledCustomRules } from './custom/types.js';
import { isCompiledCustomRules } from './custom/types.js';

/**
 * How the `low-cadence` rule judges a run's flat cadence.
 *
 * - `absolute`: below a fixed step rate (default 170 spm, as asked for by users;
 *   card C2's evidence-based floor is 166). Runs whose cadence is normal for
 *   their speed are reported as `info`, runs also low for their speed as `caution`.
 * - `speed-adjusted`: below the population expectation for the speed
 *   (van Oeveren 2019: 150.0 + 6.01·v spm, SD 8) by z ≤ −1.5.
 * - `personal`: more than 3 % below the runner's own cadence–speed line
 *   (card C3); falls back to `speed-adjusted` while no personal line exists.
 */
export type LowCadenceMode = 'absolute' | 'speed-adjusted' | 'personal';

/** Options of the `low-cadence` rule (cards C2, C3). */
export interface LowCadenceOptions {
  readonly enabled: boolean;
  /** Default `absolute`. */
  readonly mode: LowCadenceMode;
  /** `absolute` mode: flat cadence strictly below this fires. Default 170 spm (card C2's floor: 166). */
  readonly minCadenceSpm: number;
  /** `speed-adjusted` mode: z at or below this fires. Default −1.5 (card C2). */
  readonly maxZ: number;
  /** Population SD used for the `caution` test in `absolute` mode and in messages. Default 8 spm (card C2). */
  readonly populationSdSpm: number;
  /** `personal` mode: more than this fraction below the personal line fires. Default 0.03 (card C3). */
  readonly dropPct: number;
  /** Minimum flat, steady running with cadence before the rule judges a run. Default 600 s (card C2). */
  readonly minFlatTimeS: number;
}

/** Options of the `cadence-target` rule: weekly progress toward a personal retraining target (card C3). */
export interface CadenceTargetOptions {
  /** Default: on when `low-cadence` runs in `personal` mode, off otherwise. */
  readonly enabled: boolean;
  /** Target above the personal line, as a fraction. Default: the history's baseline value, else 0.05 (knob 0.05–0.10). */
  readonly targetPct: number | null;
  /** Time at or above `target − toleranceSpm` counts as on target. Default 2 spm (card C3). */
  readonly toleranceSpm: number;
  /** Weeks with less flat running than this are not reported. Default 600 s. */
  readonly minWeekFlatTimeS: number;
}

/** Options of the `overstriding` rule (card O1). */
export interface OverstridingOptions {
  readonly enabled: boolean;
  /** Step length ÷ expected step length at that speed, at or above which the rule fires. Default 1.10 (knob 1.05–1.15). */
  readonly minRatio: number;
  /** Minimum flat, steady running the ratio was measured over. Default 600 s. */
  readonly minFlatTimeS: number;
}

/** Options of the `downhill-overstriding` rule (card D3, `DOWNHILL_LOW_CADENCE`). */
export interface DownhillOverstridingOptions {
  readonly enabled: boolean;
  /** Segments whose mean grade is at or below this are judged. Default −0.05 (−5 %). */
  readonly maxGrade: number;
  /** Fires when the segment's cadence is more than this fraction below the runner's flat cadence at the same speed. Default 0.05. */
  readonly maxCadenceDropPct: number;
  /** Segments shorter than this (in time) are not judged. Default 60 s. */
  readonly minSegmentTimeS: number;
}

/** Options of the `downhill-heavy` rule (card D3, `DOWNHILL_HEAVY_SESSION`). */
export interface DownhillHeavyOptions {
  readonly enabled: boolean;
  /** Total descent at or above this fires. Default 300 m. */
  readonly heavyDescentM: number;
  /** Distance at grade ≤ −10 % at or above this fires. Default 1000 m. */
  readonly heavySteepDistanceM: number;
}

/** Options of the `descent-spike` rule (card D4; by analogy with L2, evidence D). */
export interface DescentSpikeOptions {
  /** Default false (no study validates a descent spike). */
  readonly enabled: boolean;
  /** Descent ÷ largest descent of the previous 30 days above this fires. Default 1.10. */
  readonly minRatio: number;
  /** Sessions with less descent than this are not judged. Default 100 m. */
  readonly minDescentM: number;
}

/** Options of the `session-spike` rule (card L2, Frandsen 2025). */
export interface SessionSpikeOptions {
  readonly enabled: boolean;
  /** Tier limits of distance ÷ longest run of the previous 30 days: small above [0], moderate above [1], large above [2]. Default [1.10, 1.30, 2.00]. */
  readonly thresholds: readonly [number, number, number];
  /** Below this reference distance, the absolute rule applies instead. Default 3000 m. */
  readonly minRefDistanceM: number;
  /** Absolute rule: a run this much longer than the reference fires. Default 3000 m. */
  readonly absoluteIncreaseM: number;
  /** With fewer days of history, a breach is only `info` ("baseline building"). Default 14. */
  readonly minHistoryDays: number;
  /** Ratios within this fraction above a tier limit are "borderline" (GPS distance error). Default 0.03. */
  readonly borderlinePct: number;
}

/** Options of the `return-from-break` rule (card L2 edge case, evidence D). */
export interface ReturnFromBreakOptions {
  readonly enabled: boolean;
  /** Days without running that make a break. Default 30. */
  readonly breakDays: number;
  /** Upper limit of the suggested first run back. Default 5000 m. */
  readonly capDistanceM: number;
  /** Suggested cap as a fraction of the longest run of the look-back window. Default 0.5. */
  readonly capFractionOfLongest: number;
  /** Look-back window for the longest run. Default 90 days. */
  readonly lookbackDays: number;
}

/** Options of the `weekly-increase` rule (card L3, the "10 % rule"). */
export interface WeeklyIncreaseOptions {
  readonly enabled: boolean;
  /**
   * `rolling` (default): the 7 days ending at each run vs the 7 days before, as
   * the studies measured it (Nielsen 2014, Frandsen 2025); one finding per
   * episode. `calendar`: each calendar week (`history.weeks`) vs the one before.
   */
  readonly window: 'rolling' | 'calendar';
  /** Rolling 7-day distance up by more than this fraction fires (`info`). Default 0.10. */
  readonly minIncreaseRatio: number;
  /** Up by more than this fraction is `caution`. Default 0.30. */
  readonly cautionIncreaseRatio: number;
  /** Previous 7 days below this: the absolute floor applies. Default 10000 m. */
  readonly minPrevDistanceM: number;
  /** Absolute floor: with a small previous week, only an increase of at least this is a full finding. Default 5000 m. */
  readonly absoluteFloorM: number;
  /** Guard: during the first days of history, breaches are only `info`. Default 21 (3 weeks). */
  readonly minHistoryDays: number;
  /** Guard: a 7-day total at or below this × the largest of the 4 weeks before is a return to usual volume (`info`). Default 1.1. */
  readonly returnToUsualRatio: number;
}

/** Options of the `acwr` rule (card L4; information only, never a warning). */
export interface AcwrOptions {
  readonly enabled: boolean;
  /** Uncoupled acute:chronic ratio at or above this is reported (`info`). Default 1.5. */
  readonly minRatio: number;
}

/** Options of the `shoe-mileage` rule (card S1). */
export interface ShoeMileageOptions {
  readonly enabled: boolean;
  /** Cumulative distance at or above this is reported (`info`). Default 640000 m (≈ 400 mi; knob 480–800 km). */
  readonly warnDistanceM: number;
}

/** Data-quality gates (card Q1). `enabled: false` hides the explanations; the gates always apply. */
export interface DataQualityOptions {
  readonly enabled: boolean;
  /** Minimum running time for cadence and form rules. Default 600 s. */
  readonly minRunningTimeS: number;
  /** Minimum share of running time with cadence. Default 0.7. */
  readonly minCadenceCoverage: number;
  /** Minimum confidence of the cadence unit detection. Default 0.8. */
  readonly minUnitConfidence: number;
  /** Above this speed coefficient of variation a run is treated as intervals (no cadence or form judgement). Default 0.25. */
  readonly maxSpeedCv: number;
}

/** A complete configuration, as returned by {@link resolveRuleOptions}. */
export interface ResolvedRuleOptions {
  readonly 'low-cadence': LowCadenceOptions;
  readonly 'cadence-target': CadenceTargetOptions;
  readonly overstriding: OverstridingOptions;
  readonly 'downhill-overstriding': DownhillOverstridingOptions;
  readonly 'downhill-heavy': DownhillHeavyOptions;
  readonly 'descent-spike': DescentSpikeOptions;
  readonly 'session-spike': SessionSpikeOptions;
  readonly 'return-from-break': ReturnFromBreakOptions;
  readonly 'weekly-increase': WeeklyIncreaseOptions;
  readonly acwr: AcwrOptions;
  readonly 'shoe-mileage': ShoeMileageOptions;
  readonly 'data-quality': DataQualityOptions;
  /** Rule ids switched off (built-in ids or `custom:<id>`). */
  readonly disable: readonly string[];
  readonly customRules: CompiledCustomRules | null;
  /** Judge each activity once when `summaries` hold copies of it (see `deduplicateActivities`). Default true. */
  readonly deduplicate: boolean;
}

/**
 * Built-in rule ids, in documentation order. Findings carry these in `rule`
 * (custom rules: `custom:<id>`).
 *
 * @example
 * ```ts
 * BUILT_IN_RULE_IDS.includes('session-spike'); // true
 * ```
 */
export const BUILT_IN_RULE_IDS = [
  'low-cadence',
  'cadence-target',
  'overstriding',
  'downhill-overstriding',
  'downhill-heavy',
  'descent-spike',
  'session-spike',
  'return-from-break',
  'weekly-increase',
  'acwr',
  'shoe-mileage',
  'data-quality',
] as const;

/** A built-in rule id. */
export type BuiltInRuleId = (typeof BUILT_IN_RULE_IDS)[number];

type Partialize<T> = { readonly [K in keyof T]?: T[K] };

/**
 * Options of {@link evaluateRules}: any subset of {@link ResolvedRuleOptions}.
 * Each section is keyed by the rule id it configures; `false` switches the
 * rule off (same as `{ enabled: false }`), `true` on with its defaults.
 *
 * @example
 * ```ts
 * const options: RuleOptions = {
 *   'low-cadence': { mode: 'speed-adjusted' },
 *   'weekly-increase': { minIncreaseRatio: 0.2 },
 *   'shoe-mileage': false,
 *   disable: ['acwr'],
 * };
 * ```
 */
export type RuleOptions = {
  readonly [K in BuiltInRuleId]?: Partialize<ResolvedRuleOptions[K]> | boolean;
} & {
  readonly disable?: readonly string[];
  /** Custom rules, compiled beforehand with `compileCustomRules` (mathjs is loaded only then). */
  readonly customRules?: CompiledCustomRules;
  /** Judge each activity once when `summaries` hold copies of it (the same run from two files); `false` judges every summary given. Default true. */
  readonly deduplicate?: boolean;
};

/**
 * The defaults, exactly as documented in docs/rules.md.
 *
 * @example
 * ```ts
 * DEFAULT_RULE_OPTIONS['low-cadence'].minCadenceSpm;   // 170 (spm)
 * DEFAULT_RULE_OPTIONS['shoe-mileage'].warnDistanceM;  // 640000 (m)
 * ```
 */
export const DEFAULT_RULE_OPTIONS: ResolvedRuleOptions = {
  'low-cadence': {
    enabled: true,
    mode: 'absolute',
    minCadenceSpm: 170,
    maxZ: -1.5,
    populationSdSpm: 8,
    dropPct: 0.03,
    minFlatTimeS: 600,
  },
  'cadence-target': { enabled: false, targetPct: null, toleranceSpm: 2, minWeekFlatTimeS: 600 },
  overstriding: { enabled: true, minRatio: 1.1, minFlatTimeS: 600 },
  'downhill-overstriding': { enabled: true, maxGrade: -0.05, maxCadenceDropPct: 0.05, minSegmentTimeS: 60 },
  'downhill-heavy': { enabled: true, heavyDescentM: 300, heavySteepDistanceM: 1000 },
  'descent-spike': { enabled: false, minRatio: 1.1, minDescentM: 100 },
  'session-spike': {
    enabled: true,
    thresholds: [1.1, 1.3, 2.0],
    minRefDistanceM: 3000,
    absoluteIncreaseM: 3000,
    minHistoryDays: 14,
    borderlinePct: 0.03,
  },
  'return-from-break': { enabled: true, breakDays: 30, capDistanceM: 5000, capFractionOfLongest: 0.5, lookbackDays: 90 },
  'weekly-increase': {
    enabled: true,
    window: 'rolling',
    minIncreaseRatio: 0.1,
    cautionIncreaseRatio: 0.3,
    minPrevDistanceM: 10000,
    absoluteFloorM: 5000,
    minHistoryDays: 21,
    returnToUsualRatio: 1.1,
  },
  acwr: { enabled: true, minRatio: 1.5 },
  'shoe-mileage': { enabled: true, warnDistanceM: 640000 },
  'data-quality': { enabled: true, minRunningTimeS: 600, minCadenceCoverage: 0.7, minUnitConfidence: 0.8, maxSpeedCv: 0.25 },
  disable: [],
  customRules: null,
  deduplicate: true,
};

/** Allowed range of each numeric option: [min, max] inclusive. */
const NUMBER_RANGES: { readonly [K in BuiltInRuleId]: Readonly<Record<string, readonly [number, number]>> } = {
  'low-cadence': {
    minCadenceSpm: [100, 220],
    maxZ: [-5, 0],
    populationSdSpm: [1, 30],
    dropPct: [0, 0.5],
    minFlatTimeS: [0, 36000],
  },
  'cadence-target': { toleranceSpm: [0, 20], minWeekFlatTimeS: [0, 360000] },
  overstriding: { minRatio: [1, 2], minFlatTimeS: [0, 36000] },
  'downhill-overstriding': { maxGrade: [-0.45, -0.01], maxCadenceDropPct: [0, 0.5], minSegmentTimeS: [0, 36000] },
  'downhill-heavy': { heavyDescentM: [1, 100000], heavySteepDistanceM: [1, 1000000] },
  'descent-spike': { minRatio: [1, 10], minDescentM: [0, 100000] },
  'session-spike': {
    minRefDistanceM: [0, 1000000],
    absoluteIncreaseM: [1, 1000000],
    minHistoryDays: [0, 365],
    borderlinePct: [0, 0.5],
  },
  'return-from-break': { breakDays: [1, 3650], capDistanceM: [100, 1000000], capFractionOfLongest: [0.05, 1], lookbackDays: [1, 3650] },
  'weekly-increase': {
    minIncreaseRatio: [0, 10],
    cautionIncreaseRatio: [0, 10],
    minPrevDistanceM: [0, 1000000],
    absoluteFloorM: [0, 1000000],
    minHistoryDays: [0, 365],
    returnToUsualRatio: [0, 10],
  },
  acwr: { minRatio: [0.1, 10] },
  'shoe-mileage': { warnDistanceM: [1000, 10000000] },
  'data-quality': { minRunningTimeS: [0, 36000], minCadenceCoverage: [0, 1], minUnitConfidence: [0, 1], maxSpeedCv: [0, 10] },
};

const LOW_CADENCE_MODES: readonly LowCadenceMode[] = ['absolute', 'speed-adjusted', 'personal'];

function invalid(message: string): never {
  throw new StridewiseError('INVALID_OPTION', message);
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

function checkNumber(path: string, value: unknown, range: readonly [number, number]): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(`${path} must be a finite number, got ${describe(value)}`);
  if (value < range[0] || value > range[1]) invalid(`${path} must be between ${range[0]} and ${range[1]}, got ${value}`);
  return value;
}

function resolveSection(id: BuiltInRuleId, given: unknown, lowCadenceMode: LowCadenceMode): Record<string, unknown> {
  const defaults = DEFAULT_RULE_OPTIONS[id] as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { ...defaults };
  if (id === 'cadence-target') out['enabled'] = lowCadenceMode === 'personal';
  if (given === undefined) return out;
  if (given === false) return { ...out, enabled: false };
  if (given === true) return { ...out, enabled: true };
  if (!isPlainRecord(given)) invalid(`options['${id}'] must be an object, true or false, got ${describe(given)}`);
  const ranges = NUMBER_RANGES[id];
  for (const [key, value] of Object.entries(given)) {
    const path = `options['${id}'].${key}`;
    if (!Object.hasOwn(defaults, key)) {
      invalid(`${path} is not an option of rule '${id}' (known: ${Object.keys(defaults).join(', ')})`);
    }
    if (value === undefined) continue;
    if (key === 'enabled') {
      if (typeof value !== 'boolean') invalid(`${path} must be true or false, got ${describe(value)}`);
      out[key] = value;
    } else if (key === 'mode') {
      if (!LOW_CADENCE_MODES.includes(value as LowCadenceMode)) invalid(`${path} must be one of ${LOW_CADENCE_MODES.join(', ')}, got ${describe(value)}`);
      out[key] = value;
    } else if (key === 'window') {
      if (value !== 'rolling' && value !== 'calendar') invalid(`${path} must be 'rolling' or 'calendar', got ${describe(value)}`);
      out[key] = value;
    } else if (key === 'thresholds') {
      if (!Array.isArray(value) || value.length !== 3) invalid(`${path} must be three ratios [small, moderate, large], got ${describe(value)}`);
      const t = value.map((v, i) => checkNumber(`${path}[${i}]`, v, [1, 20]));
      if (!(t[0]! < t[1]! && t[1]! < t[2]!)) invalid(`${path} must be strictly increasing, got [${t.join(', ')}]`);
      out[key] = [t[0], t[1], t[2]];
    } else if (key === 'targetPct') {
      out[key] = value === null ? null : checkNumber(path, value, [0.01, 0.2]);
    } else {
      const range = ranges[key];
      if (range === undefined) invalid(`${path} cannot be set`);
      out[key] = checkNumber(path, value, range);
    }
  }
  return out;
}

/**
 * Validates rule options and fills in every default. Call it early (the CLI
 * does, before reading any file) so a typo in a configuration fails at once.
 * {@link evaluateRules} calls it too.
 *
 * Accepts `unknown` so that options read from a JSON file can be passed as is.
 *
 * @param options - Partial options, e.g. from a configuration file.
 * @returns The complete configuration.
 * @throws StridewiseError `INVALID_OPTION` naming the offending key: an unknown
 *   rule or option name, a value of the wrong type or outside its range,
 *   thresholds out of order, an unknown id in `disable`, or custom rules that
 *   were not compiled with `compileCustomRules`.
 *
 * @example
 * ```ts
 * const resolved = resolveRuleOptions({ 'low-cadence': { minCadenceSpm: 166 } });
 * resolved['low-cadence'].minCadenceSpm; // 166
 * resolved['session-spike'].thresholds;  // [1.1, 1.3, 2]
 * ```
 */
export function resolveRuleOptions(options: unknown = {}): ResolvedRuleOptions {
  if (options === undefined || options === null) options = {};
  if (!isPlainRecord(options)) invalid(`rule options must be an object, got ${describe(options)}`);
  const known = new Set<string>([...BUILT_IN_RULE_IDS, 'disable', 'customRules', 'deduplicate']);
  for (const key of Object.keys(options)) {
    if (!known.has(key)) invalid(`'${key}' is not a rule or option (rules: ${BUILT_IN_RULE_IDS.join(', ')}; also: disable, customRules, deduplicate)`);
  }
  const deduplicate = options['deduplicate'] ?? true;
  if (typeof deduplicate !== 'boolean') invalid(`options.deduplicate must be true or false, got ${describe(deduplicate)}`);

  let customRules: CompiledCustomRules | null = null;
  const givenCustom = options['customRules'];
  if (givenCustom !== undefined && givenCustom !== null) {
    if (!isCompiledCustomRules(givenCustom)) {
      invalid('options.customRules must be the result of `await compileCustomRules(definitions)`, not the definitions themselves');
    }
    customRules = givenCustom;
  }

  const disable: string[] = [];
  const givenDisable = options['disable'];
  if (givenDisable !== undefined) {
    if (!Array.isArray(givenDisable)) invalid(`options.disable must be a list of rule ids, got ${describe(givenDisable)}`);
    const customIds = new Set(customRules?.rules.map((r) => `custom:${r.id}`) ?? []);
    for (const id of givenDisable) {
      if (typeof id !== 'string') invalid(`options.disable must hold rule ids (strings), got ${describe(id)}`);
      const isBuiltIn = (BUILT_IN_RULE_IDS as readonly string[]).includes(id);
      if (!isBuiltIn && !customIds.has(id)) {
        invalid(`options.disable: unknown rule '${id}' (rules: ${[...BUILT_IN_RULE_IDS, ...customIds].join(', ')})`);
      }
      if (!disable.includes(id)) disable.push(id);
    }
  }

  const lowGiven = options['low-cadence'];
  const low = resolveSection('low-cadence', lowGiven, 'absolute');
  const mode = low['mode'] as LowCadenceMode;
  const out: Record<string, unknown> = { 'low-cadence': low };
  for (const id of BUILT_IN_RULE_IDS) {
    if (id === 'low-cadence') continue;
    out[id] = resolveSection(id, options[id], mode);
  }
  const weekly = out['weekly-increase'] as WeeklyIncreaseOptions;
  if (weekly.cautionIncreaseRatio < weekly.minIncreaseRatio) {
    invalid(
      `options['weekly-increase'].cautionIncreaseRatio (${weekly.cautionIncreaseRatio}) must not be below minIncreaseRatio (${weekly.minIncreaseRatio})`,
    );
  }
  for (const id of disable) {
    const section = out[id] as Record<string, unknown> | undefined;
    if (section !== undefined) out[id] = { ...section, enabled: false };
  }
  out['disable'] = disable;
  out['customRules'] = customRules;
  out['deduplicate'] = deduplicate;
  return out as unknown as ResolvedRuleOptions;
}

/**
 * Validates rule options without returning them; same checks and errors as
 * {@link resolveRuleOptions}.
 *
 * @throws StridewiseError `INVALID_OPTION`
 * @example
 * ```ts
 * validateRuleOptions({ 'weekly-increase': { minIncreaseRatio: 0.15 } }); // ok
 * validateRuleOptions({ 'low-cadense': {} }); // throws INVALID_OPTION
 * ```
 */
export function validateRuleOptions(options: unknown): void {
  resolveRuleOptions(options);
}
