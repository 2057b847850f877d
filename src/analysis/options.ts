/**
 * Options of the analysis stage, their defaults and validation.
 * Every option name ends in its unit; every default cites its card in
 * docs/algorithms.md.
 */
import { StridewiseError } from '../errors.js';

/** How altitude is treated: detected from its noise (`auto`), or forced. */
export type AltitudeSourceOption = 'auto' | 'baro' | 'gps';

/** Options of {@link summarizeActivity}. All optional; defaults in brackets. */
export interface AnalysisOptions {
  /** Runner's height in metres; enables step length ÷ height and the optional height term of expected cadence. [none] */
  readonly heightM?: number;
  /**
   * IANA time zone for the local date (e.g. `Europe/Berlin`). [the file's UTC
   * offset when it has one, else `UTC`]
   */
  readonly timeZone?: string;
  /** Card C1: slowest speed that counts as running, m/s. [1.5] */
  readonly minRunSpeedMps?: number;
  /**
   * Card C1: the walk–run transition, steps/min: a prior used where an activity's own cadence has no
   * separate walking and running clusters (a runner whose single cluster sits lower still runs). [140]
   */
  readonly walkRunSpm?: number;
  /** Card C1: largest time weight of one sample, seconds. [10] */
  readonly maxSampleGapS?: number;
  /** Card C1: speed changes faster than this are GPS glitches, m/s². [3] */
  readonly maxAccelerationMps2?: number;
  /** Card O1: step length ÷ expected step length counted as a long step. [1.10] */
  readonly longStepRatio?: number;
  /** Card C2: population SD of cadence at a given speed, steps/min. [8] */
  readonly populationSdSpm?: number;
  /** Card C2: optional height term, spm per cm above 175 cm (subtracted). Off by default (evidence conflicting). [0] */
  readonly heightCoefSpmPerCm?: number;
  /** Card C2: |grade| below this is flat, as a fraction. [0.02] */
  readonly flatGradeMax?: number;
  /** Card C2: rolling speed CV below this is steady. [0.10] */
  readonly steadyCvMax?: number;
  /** Card C2: window of the rolling speed CV, seconds. [30] */
  readonly steadyWindowS?: number;
  /** Card D1: force the altitude treatment instead of detecting it from noise. [`auto`] */
  readonly altitudeSource?: AltitudeSourceOption;
  /** Card D1: median |second difference| of altitude below which it is barometric, m. [0.3] */
  readonly baroNoiseMaxM?: number;
  /** Card D3: grade at or below which a downhill starts, fraction. [−0.05] */
  readonly downhillEnterGrade?: number;
  /** Card D3: grade above which a downhill may end, fraction. [−0.03] */
  readonly downhillExitGrade?: number;
  /** Card D3: distance the grade must stay above the exit grade to end a downhill, m. [30] */
  readonly downhillExitHoldM?: number;
  /** Card D3: downhills closer than this are merged, m. [50] */
  readonly downhillMergeGapM?: number;
  /** Card D3: shortest kept downhill, m. [200] */
  readonly downhillMinLengthM?: number;
  /** Card D3: smallest kept drop, m. [10 barometric, 15 GPS] */
  readonly downhillMinDropM?: number;
  /** Card X1: resting heart rate, beats/min; with `maxHeartRateBpm` enables Banister TRIMP. [none] */
  readonly restingHeartRateBpm?: number;
  /** Card X1: maximum heart rate, beats/min. [none] */
  readonly maxHeartRateBpm?: number;
  /**
   * Card X1: class given to activities whose sport is `generic` (GPX without
   * `<type>`, many exporters): set `running` when the files are known to be runs. [`other`]
   */
  readonly genericSportAs?: 'running' | 'walking' | 'low-impact' | 'other';
  /** Card X1: Banister's weighting, 0.64·e^(1.92·HRr) (`male`) or 0.86·e^(1.67·HRr) (`female`). [`male`] */
  readonly trimpWeighting?: 'male' | 'female';
}

/** Options of {@link analyzeHistory}. All optional; defaults in brackets. */
export interface HistoryOptions {
  /**
   * IANA time zone for local dates and weeks. [each summary's own `localDate`,
   * i.e. the zone or file offset it was summarised with]
   */
  readonly timeZone?: string;
  /** First day of a display week: 0 = Sunday … 6 = Saturday. [1, ISO Monday] */
  readonly weekStartsOn?: number;
  /** Card L1: running activities closer than this are one session, seconds. [1800] */
  readonly mergeGapS?: number;
  /** Card L2: look-back of the session spike reference, days. [30] */
  readonly spikeWindowDays?: number;
  /** Card L2: history shorter than this is baseline building, days. [14] */
  readonly baselineDays?: number;
  /** Card L3: history shorter than this suppresses weekly progression (reported as `weeklyBaselineBuilding`), days. [21] */
  readonly weeklyBaselineDays?: number;
  /** Gaps without running of at least this many days are breaks; the next session returns from a break. [14] */
  readonly breakDays?: number;
  /** Card L2 edge case: look-back of the return-from-break cap, days. [90] */
  readonly longestWindowDays?: number;
  /** Card C3: look-back of the personal cadence baseline, days. [90] */
  readonly cadenceBaselineDays?: number;
  /** Card C3: smallest time in a speed bin for the baseline fit, seconds. [300] */
  readonly cadenceBaselineMinBinS?: number;
  /** Card C3: retraining target above the personal line, fraction. [0.05] */
  readonly cadenceTargetPct?: number;
  /** Card S1: look-back of the shoe rotation count, days. [60] */
  readonly gearRotationDays?: number;
  /**
   * Count copies of the same activity once (see `deduplicateActivities`: overlapping time spans,
   * compatible sport, distance within 10 %); `false` takes every summary as given. [true]
   */
  readonly deduplicate?: boolean;
  /**
   * The present, as an ISO 8601 instant: activities starting more than two days after it (or before
   * 1990) have implausible dates and are left out. [the system clock]
   */
  readonly now?: string;
}

type Required<T> = { readonly [K in keyof T]-?: Exclude<T[K], undefined> };

/** Resolved per-activity options (height and zone stay optional). */
export type ResolvedAnalysisOptions = Required<
  Omit<AnalysisOptions, 'heightM' | 'timeZone' | 'downhillMinDropM' | 'restingHeartRateBpm' | 'maxHeartRateBpm'>
> &
  Pick<AnalysisOptions, 'heightM' | 'timeZone' | 'downhillMinDropM' | 'restingHeartRateBpm' | 'maxHeartRateBpm'>;

/** Defaults of {@link AnalysisOptions}. */
export const DEFAULT_ANALYSIS_OPTIONS: ResolvedAnalysisOptions = Object.freeze({
  minRunSpeedMps: 1.5,
  walkRunSpm: 140,
  maxSampleGapS: 10,
  maxAccelerationMps2: 3,
  longStepRatio: 1.1,
  populationSdSpm: 8,
  heightCoefSpmPerCm: 0,
  flatGradeMax: 0.02,
  steadyCvMax: 0.1,
  steadyWindowS: 30,
  altitudeSource: 'auto',
  baroNoiseMaxM: 0.3,
  downhillEnterGrade: -0.05,
  downhillExitGrade: -0.03,
  downhillExitHoldM: 30,
  downhillMergeGapM: 50,
  downhillMinLengthM: 200,
  trimpWeighting: 'male',
  genericSportAs: 'other',
});

/** Defaults of {@link HistoryOptions} (without the time zone). */
export const DEFAULT_HISTORY_OPTIONS: Required<Omit<HistoryOptions, 'timeZone' | 'now'>> = Object.freeze({
  weekStartsOn: 1,
  mergeGapS: 1800,
  spikeWindowDays: 30,
  baselineDays: 14,
  weeklyBaselineDays: 21,
  breakDays: 14,
  longestWindowDays: 90,
  cadenceBaselineDays: 90,
  cadenceBaselineMinBinS: 300,
  cadenceTargetPct: 0.05,
  gearRotationDays: 60,
  deduplicate: true,
});

function invalid(name: string, value: unknown, expected: string): never {
  throw new StridewiseError('INVALID_OPTION', `option ${name} must be ${expected}, got ${String(value)}`);
}

function checkNumber(name: string, value: number, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    invalid(name, value, `a number in [${min}, ${max}]`);
  }
}

/**
 * Throws `INVALID_OPTION` unless `timeZone` is a zone `Intl.DateTimeFormat` knows.
 * @example assertTimeZone('Europe/Berlin') // ok
 */
export function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch (cause) {
    throw new StridewiseError('INVALID_OPTION', `option timeZone must be an IANA time zone, got ${timeZone}`, { cause });
  }
}

/**
 * Fills defaults and validates; throws `INVALID_OPTION` on a bad value.
 * @example resolveAnalysisOptions({ walkRunSpm: 150 }).minRunSpeedMps // 1.5 (default kept)
 */
export function resolveAnalysisOptions(options: AnalysisOptions): ResolvedAnalysisOptions {
  const o = { ...DEFAULT_ANALYSIS_OPTIONS } as Record<string, unknown>;
  for (const [k, v] of Object.entries(options)) if (v !== undefined) o[k] = v;
  const r = o as unknown as ResolvedAnalysisOptions;
  if (r.heightM !== undefined) checkNumber('heightM', r.heightM, 0.5, 2.5);
  if (r.timeZone !== undefined) assertTimeZone(r.timeZone);
  checkNumber('minRunSpeedMps', r.minRunSpeedMps, 0, 10);
  checkNumber('walkRunSpm', r.walkRunSpm, 0, 300);
  checkNumber('maxSampleGapS', r.maxSampleGapS, 0.1, 3600);
  checkNumber('maxAccelerationMps2', r.maxAccelerationMps2, 0.1, 100);
  checkNumber('longStepRatio', r.longStepRatio, 0.5, 3);
  checkNumber('populationSdSpm', r.populationSdSpm, 0.1, 100);
  checkNumber('heightCoefSpmPerCm', r.heightCoefSpmPerCm, 0, 5);
  checkNumber('flatGradeMax', r.flatGradeMax, 0, 0.45);
  checkNumber('steadyCvMax', r.steadyCvMax, 0, 10);
  checkNumber('steadyWindowS', r.steadyWindowS, 1, 3600);
  if (!['auto', 'baro', 'gps'].includes(r.altitudeSource)) invalid('altitudeSource', r.altitudeSource, "'auto', 'baro' or 'gps'");
  checkNumber('baroNoiseMaxM', r.baroNoiseMaxM, 0, 100);
  checkNumber('downhillEnterGrade', r.downhillEnterGrade, -0.45, 0);
  checkNumber('downhillExitGrade', r.downhillExitGrade, -0.45, 0);
  if (r.downhillExitGrade < r.downhillEnterGrade) invalid('downhillExitGrade', r.downhillExitGrade, 'at or above downhillEnterGrade');
  checkNumber('downhillExitHoldM', r.downhillExitHoldM, 0, 10_000);
  checkNumber('downhillMergeGapM', r.downhillMergeGapM, 0, 10_000);
  checkNumber('downhillMinLengthM', r.downhillMinLengthM, 0, 100_000);
  if (r.downhillMinDropM !== undefined) checkNumber('downhillMinDropM', r.downhillMinDropM, 0, 10_000);
  if (r.restingHeartRateBpm !== undefined) checkNumber('restingHeartRateBpm', r.restingHeartRateBpm, 20, 150);
  if (r.maxHeartRateBpm !== undefined) checkNumber('maxHeartRateBpm', r.maxHeartRateBpm, 80, 250);
  if (r.restingHeartRateBpm !== undefined && r.maxHeartRateBpm !== undefined && r.maxHeartRateBpm <= r.restingHeartRateBpm) {
    invalid('maxHeartRateBpm', r.maxHeartRateBpm, 'above restingHeartRateBpm');
  }
  if (!['running', 'walking', 'low-impact', 'other'].includes(r.genericSportAs)) {
    invalid('genericSportAs', r.genericSportAs, "'running', 'walking', 'low-impact' or 'other'");
  }
  if (r.trimpWeighting !== 'male' && r.trimpWeighting !== 'female') invalid('trimpWeighting', r.trimpWeighting, "'male' or 'female'");
  return r;
}

/** Resolved history options. */
export type ResolvedHistoryOptions = Required<Omit<HistoryOptions, 'timeZone' | 'now'>> & Pick<HistoryOptions, 'timeZone' | 'now'>;

/**
 * Fills defaults and validates; throws `INVALID_OPTION` on a bad value.
 * @example resolveHistoryOptions({}).weekStartsOn // 1 (ISO Monday)
 */
export function resolveHistoryOptions(options: HistoryOptions): ResolvedHistoryOptions {
  const o = { ...DEFAULT_HISTORY_OPTIONS } as Record<string, unknown>;
  for (const [k, v] of Object.entries(options)) if (v !== undefined) o[k] = v;
  const r = o as unknown as ResolvedHistoryOptions;
  if (r.timeZone !== undefined) assertTimeZone(r.timeZone);
  if (!Number.isInteger(r.weekStartsOn) || r.weekStartsOn < 0 || r.weekStartsOn > 6) {
    invalid('weekStartsOn', r.weekStartsOn, 'an integer 0 (Sunday) … 6 (Saturday)');
  }
  checkNumber('mergeGapS', r.mergeGapS, 0, 86_400);
  checkNumber('spikeWindowDays', r.spikeWindowDays, 1, 3650);
  checkNumber('baselineDays', r.baselineDays, 0, 3650);
  checkNumber('weeklyBaselineDays', r.weeklyBaselineDays, 0, 3650);
  checkNumber('breakDays', r.breakDays, 1, 3650);
  checkNumber('longestWindowDays', r.longestWindowDays, 1, 3650);
  checkNumber('cadenceBaselineDays', r.cadenceBaselineDays, 1, 3650);
  checkNumber('cadenceBaselineMinBinS', r.cadenceBaselineMinBinS, 0, 86_400);
  checkNumber('cadenceTargetPct', r.cadenceTargetPct, 0, 1);
  checkNumber('gearRotationDays', r.gearRotationDays, 1, 3650);
  if (typeof r.deduplicate !== 'boolean') invalid('deduplicate', r.deduplicate, 'true or false');
  if (r.now !== undefined && (typeof r.now !== 'string' || !Number.isFinite(Date.parse(r.now)))) invalid('now', r.now, 'an ISO 8601 instant');
  return r;
}
