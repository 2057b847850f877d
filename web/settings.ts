/**
 * The page's settings, as a runner sets them, into the options of the
 * analysis, the rules and the report, with the same meaning as the
 * command's flags: `minCadenceSpm` is `--min-cadence` (the absolute
 * low-cadence floor), `maxWeeklyIncreasePct` is `--max-weekly-increase`,
 * `timeZone` is `--tz`, `heightCm` is `--height`, `unknownSportAs` is
 * `--unknown-sport-as`. Saved in localStorage under one key; nothing else
 * is stored.
 */
import type { AnalysisOptions } from '../src/analysis/options.js';
import { isStridewiseError } from '../src/errors.js';
import type { ReportSettings } from '../src/report/model.js';
import { DEFAULT_RULE_OPTIONS, resolveRuleOptions, type LowCadenceMode, type RuleOptions } from '../src/rules/options.js';

/** Everything a runner can set. `null` means the default (shown beside the field). */
export interface WebSettings {
  readonly units: 'km' | 'mi';
  /** IANA zone, or `''` for each file's own offset (the command without `--tz`). */
  readonly timeZone: string;
  /** Height in centimetres. */
  readonly heightCm: number | null;
  readonly maxHeartRateBpm: number | null;
  readonly restingHeartRateBpm: number | null;
  readonly unknownSportAs: 'other' | 'running' | 'walking';
  readonly lowCadenceMode: LowCadenceMode;
  /** Absolute floor, steps/min (sets the mode to `absolute`, as `--min-cadence`). */
  readonly minCadenceSpm: number | null;
  /** Week-over-week increase that is flagged, percent. */
  readonly maxWeeklyIncreasePct: number | null;
  /** Step length ÷ expected step length that flags overstriding. */
  readonly overstridingMinRatio: number | null;
  /** Descent of one run that flags a heavy downhill session, metres. */
  readonly heavyDescentM: number | null;
  /** Shoe distance that flags worn shoes, kilometres. */
  readonly shoeWarnKm: number | null;
}

/** localStorage key of the saved settings. */
export const SETTINGS_KEY = 'stridewise.settings';

/** Countries whose runners count in miles. */
const MILE_REGIONS = new Set(['US', 'GB', 'LR', 'MM']);

/**
 * Units from a browser locale: miles in the US, UK, Liberia and Myanmar, else km.
 *
 * @example unitsForLocale('en-US') // 'mi'
 */
export function unitsForLocale(locale: string | undefined): 'km' | 'mi' {
  const region = (locale ?? '').split(/[-_]/)[1]?.toUpperCase();
  return region !== undefined && MILE_REGIONS.has(region) ? 'mi' : 'km';
}

/**
 * Defaults for this browser: its locale's units and its time zone.
 *
 * @example defaultSettings('en-GB', 'Europe/London').units // 'mi'
 */
export function defaultSettings(locale: string | undefined, timeZone: string | undefined): WebSettings {
  return {
    units: unitsForLocale(locale),
    timeZone: timeZone ?? '',
    heightCm: null,
    maxHeartRateBpm: null,
    restingHeartRateBpm: null,
    unknownSportAs: 'other',
    lowCadenceMode: DEFAULT_RULE_OPTIONS['low-cadence'].mode,
    minCadenceSpm: null,
    maxWeeklyIncreasePct: null,
    overstridingMinRatio: null,
    heavyDescentM: null,
    shoeWarnKm: null,
  };
}

/** Rule defaults shown beside the fields, in the fields' units. */
export const RULE_DEFAULTS = {
  minCadenceSpm: DEFAULT_RULE_OPTIONS['low-cadence'].minCadenceSpm,
  maxWeeklyIncreasePct: DEFAULT_RULE_OPTIONS['weekly-increase'].minIncreaseRatio * 100,
  overstridingMinRatio: DEFAULT_RULE_OPTIONS.overstriding.minRatio,
  heavyDescentM: DEFAULT_RULE_OPTIONS['downhill-heavy'].heavyDescentM,
  shoeWarnKm: DEFAULT_RULE_OPTIONS['shoe-mileage'].warnDistanceM / 1000,
} as const;

/**
 * Saved settings merged over the defaults; fields of the wrong type are dropped.
 *
 * @example restoreSettings('{"units":"mi"}', defaults).units // 'mi'
 */
export function restoreSettings(saved: string | null, defaults: WebSettings): WebSettings {
  if (saved === null) return defaults;
  let raw: unknown;
  try {
    raw = JSON.parse(saved);
  } catch {
    return defaults;
  }
  if (raw === null || typeof raw !== 'object') return defaults;
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(defaults)) {
    const got = (raw as Record<string, unknown>)[key];
    if (got === undefined) continue;
    const numeric = key.endsWith('Cm') || key.endsWith('Bpm') || key.endsWith('Spm') || key.endsWith('Pct') || key.endsWith('Ratio') || key.endsWith('M') || key.endsWith('Km');
    if (numeric ? got === null || (typeof got === 'number' && Number.isFinite(got)) : typeof got === typeof value) out[key] = got;
  }
  const allowed: Record<string, readonly unknown[]> = {
    units: ['km', 'mi'],
    unknownSportAs: ['other', 'running', 'walking'],
    lowCadenceMode: ['absolute', 'speed-adjusted', 'personal'],
  };
  for (const [key, values] of Object.entries(allowed)) if (!values.includes(out[key])) out[key] = (defaults as unknown as Record<string, unknown>)[key];
  return out as unknown as WebSettings;
}

const FIELD_NAMES: Record<string, string> = {
  heightCm: 'height',
  maxHeartRateBpm: 'maximum heart rate',
  restingHeartRateBpm: 'resting heart rate',
  minCadenceSpm: 'cadence floor',
  maxWeeklyIncreasePct: 'weekly increase',
  overstridingMinRatio: 'overstriding ratio',
  heavyDescentM: 'heavy descent',
  shoeWarnKm: 'shoe distance',
};

/** What one analysis runs with. */
export interface AnalysisSetup {
  readonly analysis: AnalysisOptions;
  readonly ruleOptions: RuleOptions;
  /** `null`: each file's own offset. */
  readonly timeZone: string | null;
  readonly reportSettings: ReportSettings;
}

/**
 * The options of one analysis, or the message of the first invalid setting
 * (the rules' own validation messages).
 *
 * @example setupOf(defaultSettings('en', 'UTC')) // { ok: true, setup: { analysis: { timeZone: 'UTC' }, ... } }
 */
export function setupOf(s: WebSettings): { ok: true; setup: AnalysisSetup } | { ok: false; message: string } {
  for (const [key, value] of Object.entries(s)) {
    if (typeof value === 'number' && !Number.isFinite(value)) return { ok: false, message: `${FIELD_NAMES[key] ?? key} must be a number` };
  }
  const timeZone = s.timeZone === '' ? null : s.timeZone;
  if (timeZone !== null) {
    try {
      new Intl.DateTimeFormat('en', { timeZone });
    } catch {
      return { ok: false, message: `time zone "${timeZone}" is not known to this browser` };
    }
  }
  const heightM = s.heightCm !== null ? Math.round(s.heightCm * 10) / 1000 : null;
  if (heightM !== null && !(heightM >= 0.5 && heightM <= 2.5)) return { ok: false, message: 'height must be between 50 and 250 cm' };
  const rest = s.restingHeartRateBpm;
  const max = s.maxHeartRateBpm;
  if ((rest === null) !== (max === null)) return { ok: false, message: 'give both the resting and the maximum heart rate, or neither' };
  if (rest !== null && max !== null && !(rest >= 25 && max <= 250 && rest < max)) {
    return { ok: false, message: 'heart rates must satisfy 25 ≤ resting < maximum ≤ 250 beats/min' };
  }
  const options: Record<string, unknown> = {};
  if (s.lowCadenceMode !== DEFAULT_RULE_OPTIONS['low-cadence'].mode) options['low-cadence'] = { mode: s.lowCadenceMode };
  if (s.minCadenceSpm !== null) options['low-cadence'] = { mode: 'absolute', minCadenceSpm: s.minCadenceSpm };
  if (s.maxWeeklyIncreasePct !== null) {
    const ratio = s.maxWeeklyIncreasePct / 100;
    const caution = DEFAULT_RULE_OPTIONS['weekly-increase'].cautionIncreaseRatio;
    options['weekly-increase'] = { minIncreaseRatio: ratio, cautionIncreaseRatio: Math.max(caution, ratio) };
  }
  if (s.overstridingMinRatio !== null) options['overstriding'] = { minRatio: s.overstridingMinRatio };
  if (s.heavyDescentM !== null) options['downhill-heavy'] = { heavyDescentM: s.heavyDescentM };
  if (s.shoeWarnKm !== null) options['shoe-mileage'] = { warnDistanceM: s.shoeWarnKm * 1000 };
  let resolved;
  try {
    resolved = resolveRuleOptions(options);
  } catch (error) {
    return { ok: false, message: isStridewiseError(error) ? error.message : String(error) };
  }
  const analysis: AnalysisOptions = {
    ...(heightM !== null ? { heightM } : {}),
    ...(timeZone !== null ? { timeZone } : {}),
    ...(s.unknownSportAs !== 'other' ? { genericSportAs: s.unknownSportAs } : {}),
    ...(rest !== null && max !== null ? { restingHeartRateBpm: rest, maxHeartRateBpm: max } : {}),
  };
  return {
    ok: true,
    setup: {
      analysis,
      ruleOptions: options as RuleOptions,
      timeZone,
      reportSettings: {
        timeZone,
        heightM,
        minCadenceSpm: s.minCadenceSpm,
        maxWeeklyIncreaseRatio: resolved['weekly-increase'].minIncreaseRatio,
        since: null,
        until: null,
      },
    },
  };
}
