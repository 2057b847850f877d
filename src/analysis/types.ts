/**
 * Result types of the analysis stage. Optional fields may be left out of hand-built summaries (tests, fixtures);
 * `summarizeActivity` and `analyzeHistory` always fill them. Everything here is plain JSON
 * (numbers, strings, booleans, arrays, objects; `null` where a value could
 * not be computed), small enough that a year of summaries fits in memory
 * and crosses a worker boundary cheaply. No per-sample arrays.
 *
 * Units: SI plus steps/min; every numeric field name ends in its unit.
 */
import type { DeviceSummary, SubSport, Sport, SportSource } from '../activity.js';

/** Knee-load class of an activity (card X1). */
export type ActivityClass = 'running' | 'walking' | 'low-impact' | 'other';

/** A data-quality flag (card Q1): what could not be trusted, and why. */
export interface QualityFlag {
  /** Stable code, e.g. `SHORT_RUN`, `CADENCE_SPARSE`, `CADENCE_UNIT_UNSURE`, `TREADMILL_SPEED`, `GPS_SPEED_GLITCHES`, `NO_ALTITUDE`, `GPS_ALTITUDE`, `ALTITUDE_EXCURSION`, `ALTITUDE_SPIKES`, `ALTITUDE_DRIFT`, `NO_TIME`. */
  readonly code: string;
  readonly message: string;
}

/**
 * How running was told from walking in one activity (card C1): `clusters` (a
 * walking and a running cadence cluster, split between them),
 * `single-cluster` (one running cluster, from the 140 spm prior or the
 * runner's own lower cluster up), `walking` (nothing looked like running),
 * `speed` (no step cadence: speed alone) or `none` (not a running activity).
 */
export type RunWalkMethod = 'clusters' | 'single-cluster' | 'walking' | 'speed' | 'none';

/** Time-weighted cadence statistics over running samples (cards C1, C2). */
export interface CadenceSummary {
  /** What the file stored, as detected by the parser. */
  readonly unitDetected: 'strides' | 'steps' | 'none';
  readonly unitConfidence: number;
  /** Share of running time that has cadence, 0..1. */
  readonly coverage: number;
  /** Running cadence: time-weighted mean over the running samples only (card C2). */
  readonly avgSpm: number | null;
  /**
   * Time-weighted mean over all moving samples with a step cadence (running and
   * walking, stops left out): the figure a watch shows as the average cadence.
   */
  readonly movingAvgSpm?: number | null;
  /**
   * Cadence the way watches total it: over all timer time, with time without a
   * step cadence (standing, the sensor silent) counted as 0. Garmin's session
   * average matches it within about 1 spm on real files; it is lower than
   * `movingAvgSpm` by the share of timer time without cadence.
   */
  readonly timerAvgSpm?: number | null;
  /** Time-weighted mean over moving samples that were not running (walking breaks, hiking); null when none. */
  readonly walkingAvgSpm?: number | null;
  /** Running time ÷ moving time, 0..1: how much of the activity `avgSpm` describes. */
  readonly runningShareOfMovingTime?: number;
  /** How running was told from walking (card C1): see {@link RunWalkMethod}. */
  readonly runWalkMethod?: RunWalkMethod;
  /** Lowest cadence counted as running, spm; null when cadence played no part. */
  readonly runWalkThresholdSpm?: number | null;
  readonly medianSpm: number | null;
  readonly p10Spm: number | null;
  readonly p90Spm: number | null;
  /** Seconds of running time in each band. */
  readonly timeInBandsS: { readonly below160: number; readonly from160to170: number; readonly from170to180: number; readonly atLeast180: number };
  /** Flat (|grade| < 2 %) and steady running only. */
  readonly flatAvgSpm: number | null;
  /** Seconds of flat, steady running with cadence. */
  readonly flatTimeS: number;
  /** Mean speed over the same flat, steady samples. */
  readonly flatSpeedMps: number | null;
  readonly firstThirdSpm: number | null;
  readonly lastThirdSpm: number | null;
  /** lastThird − firstThird. */
  readonly driftSpm: number | null;
  /** Per lap (index as in the file). */
  readonly laps: readonly { readonly index: number; readonly avgSpm: number | null; readonly speedMps: number | null; readonly timeS: number }[];
  /** Flat running binned by 0.25 m/s: observed vs population expectation (card C2). */
  readonly bySpeed: readonly CadenceSpeedBin[];
  /** Least-squares line of the runner's own cadence against speed on this run (null under 2 bins). */
  readonly runnerLine: { readonly interceptSpm: number; readonly slopeSpmPerMps: number } | null;
  /** Time-weighted z of observed vs expected cadence over flat running (card C2, sdPop 8 spm). */
  readonly zVsExpected: number | null;
  /** Time-weighted expected cadence for the flat running actually done. */
  readonly expectedSpm: number | null;
}

export interface CadenceSpeedBin {
  /** Bin centre. */
  readonly speedMps: number;
  readonly timeS: number;
  readonly avgSpm: number;
  /** van Oeveren 2019: 150.0 + 6.01·v (v clamped to 1.64–4.68 m/s), minus the optional height term. */
  readonly expectedSpm: number;
  /** True when the bin centre lies outside the regression's valid speed range. */
  readonly extrapolated: boolean;
}

/** Step and stride length (card O1). */
export interface StepLengthSummary {
  /** `device` when the file records step length (FIT running dynamics), else `derived` (speed ÷ steps per second). */
  readonly source: 'device' | 'derived' | 'none';
  readonly avgM: number | null;
  readonly medianM: number | null;
  /** Stride = two steps. */
  readonly avgStrideM: number | null;
  /** Time-weighted ratio of step length to the expected step length at that speed, flat steady running. */
  readonly ratioToExpected: number | null;
  /** Seconds of flat running with ratio ≥ the long-step threshold (default 1.10). */
  readonly longStepTimeS: number;
  /** Step length ÷ height, when a height is given. */
  readonly relativeToHeight: number | null;
  /** True when speed is untrusted (treadmill) so the step length is too. */
  readonly lowConfidence: boolean;
  /** Flat, steady running binned by 0.25 m/s (card O1: step length ÷ height is reported per speed bin only). */
  readonly bySpeed?: readonly StepLengthSpeedBin[];
}

/** Step length in one 0.25 m/s speed bin of flat, steady running (card O1). */
export interface StepLengthSpeedBin {
  /** Bin centre. */
  readonly speedMps: number;
  readonly timeS: number;
  readonly avgM: number;
  /** Expected step length at the bin centre (van Oeveren line). */
  readonly expectedM: number;
  /** avgM ÷ height, when a height is given. */
  readonly relativeToHeight: number | null;
}

/** Running dynamics averages, where the device recorded them. */
export interface DynamicsSummary {
  readonly stanceTimeS: number | null;
  readonly verticalOscillationM: number | null;
  readonly verticalRatioPct: number | null;
  readonly stanceTimeBalancePct: number | null;
  /** Flat running time with balance outside 47.8–52.2 %. */
  readonly imbalancedTimeS: number;
  /** Flat, steady running by 0.25 m/s speed bin: contact time falls with speed, so compare within a bin (card O1). */
  readonly bySpeed?: readonly {
    readonly speedMps: number;
    readonly timeS: number;
    readonly stanceTimeS: number | null;
    readonly verticalOscillationM: number | null;
    readonly verticalRatioPct: number | null;
  }[];
}

/** Downhill category by mean grade (card D3). */
export type DownhillCategory = 'mild' | 'moderate' | 'steep' | 'very-steep';

/** One downhill stretch of a run (card D3). Distances from the activity start. */
export interface DownhillSegment {
  readonly startDistanceM: number;
  readonly endDistanceM: number;
  /** Seconds since activity start; null when the file has no times (a GPX without `<time>`). */
  readonly startTimeS: number | null;
  readonly endTimeS: number | null;
  readonly lengthM: number;
  /** Positive number: metres lost. */
  readonly dropM: number;
  /** Negative, e.g. −0.08 for −8 %. */
  readonly meanGrade: number;
  readonly maxGrade: number;
  readonly category: DownhillCategory;
  readonly speedMps: number | null;
  readonly cadenceSpm: number | null;
  readonly stepLengthM: number | null;
}

/** Elevation work (cards D1–D3). */
export interface ElevationSummary {
  /** How altitude was treated; `none` when skipped. */
  readonly source: 'baro' | 'gps' | 'none';
  readonly ascentM: number | null;
  readonly descentM: number | null;
  /** Distance at grade ≤ −5 %. */
  readonly downhillDistanceM: number;
  /** Distance at grade ≤ −10 %. */
  readonly steepDownhillDistanceM: number;
  /** Why elevation was skipped (treadmill, no altitude, no distance), when it was. */
  readonly skippedReason: string | null;
  /** Median |second difference| of raw altitude on flat parts, m: the baro/GPS decision (card D1). */
  readonly altitudeNoiseM?: number | null;
  /** Hysteresis used for ascent/descent, m (3 barometric, 7 GPS). */
  readonly hysteresisM?: number | null;
  /** Moving-average window of the smoothing, m (40 barometric, 120 GPS). */
  readonly smoothingWindowM?: number | null;
  /** Distance over which grade is measured, m (50 barometric, 100 GPS). */
  readonly gradeBaseM?: number | null;
}

/**
 * How an activity's local zone was known: `option` (`timeZone`, `--tz`), `file` (the FIT file's UTC
 * offset), `position` (the zone at its first position fix), `export` (the activity of the same export
 * nearest in time), `utc` (nothing to go by).
 */
export type TimeZoneSource = 'option' | 'file' | 'position' | 'export' | 'utc';

/** One activity, summarised. */
export interface ActivitySummary {
  readonly id: string;
  readonly file: string | null;
  readonly name: string | null;
  readonly gear: string | null;
  readonly sport: Sport;
  readonly subSport: SubSport;
  /** How the sport was known (`unknown`: the sport is `generic` and `activityClass` follows `genericSportAs`). */
  readonly sportSource?: SportSource;
  /** Confidence (0..1) of an `inferred` sport. */
  readonly sportConfidence?: number;
  readonly activityClass: ActivityClass;
  readonly isTreadmill: boolean;
  /** ISO 8601 UTC, or null when the file has no time. */
  readonly startTime: string | null;
  /** Local calendar date `YYYY-MM-DD` in the analysis time zone (or the file's UTC offset). */
  readonly localDate: string | null;
  /** The zone `localDate` was computed in: an IANA name, a file offset such as `+02:00`, or `UTC`. */
  readonly timeZone?: string;
  /** How `timeZone` was known (see {@link TimeZoneSource}). */
  readonly timeZoneSource?: TimeZoneSource;
  /** Seconds inside timer pauses. */
  readonly pausedTimeS?: number;
  readonly distanceM: number;
  /** Distance covered while running (card C1 filter). */
  readonly runningDistanceM: number;
  readonly elapsedTimeS: number;
  readonly movingTimeS: number;
  readonly runningTimeS: number;
  readonly avgSpeedMps: number | null;
  /** Grade-adjusted speed (Minetti, card G1); display only, never used by rules. */
  readonly gradeAdjustedSpeedMps: number | null;
  readonly avgHeartRateBpm: number | null;
  readonly cadence: CadenceSummary;
  readonly stepLength: StepLengthSummary;
  readonly dynamics: DynamicsSummary | null;
  readonly elevation: ElevationSummary;
  readonly downhillSegments: readonly DownhillSegment[];
  readonly deviceSummary: DeviceSummary;
  readonly quality: readonly QualityFlag[];
  /** Speed coefficient of variation on running samples (intervals when > 0.25). */
  readonly speedCv: number | null;
  /** Banister TRIMP over timer time (card X1); null without heart rate or without resting and maximum heart rate options. */
  readonly trimp?: number | null;
}

/** A calendar week in the runner's time zone (display; card L1). */
export interface WeekSummary {
  /** First day of the week, `YYYY-MM-DD`. */
  readonly weekStart: string;
  /** Running distance (running-class activities, by local date), m. */
  readonly distanceM: number;
  /** Running moving time, s. */
  readonly timeS: number;
  /** Running sessions starting in the week (activities under 30 min apart count once). */
  readonly runs: number;
  /** Longest running session, m. */
  readonly longestRunM: number;
  /** Running descent (card D1 totals), m. */
  readonly descentM: number;
  /** Running distance at grade ≤ −5 %, m. */
  readonly downhillDistanceM: number;
  /** distance / previous week's distance − 1; null when the previous week had no running. */
  readonly changeRatio: number | null;
  /** Last two weeks vs the two before, − 1 (Nielsen 2014); null when undefined. */
  readonly twoWeekChangeRatio: number | null;
  /** Moving time of non-running activities by class (card X1), s. */
  readonly crossTrainingS: { readonly lowImpact: number; readonly walking: number; readonly other: number };
}

/** Load context of one running session (cards L1–L4), evaluated at the session. */
export interface SessionLoad {
  /** Activities merged into this session (gap < 30 min), the first is the session's id. */
  readonly activityIds: readonly string[];
  readonly startTime: string;
  readonly localDate: string;
  readonly distanceM: number;
  readonly descentM: number;
  /** Longest session in the previous 30 days (excluding this one, and any under 1 km or 10 min); null when none. */
  readonly refLongestM: number | null;
  /** distance / refLongestM; null when no reference. */
  readonly spikeRatio: number | null;
  /** Days of history before this session (since the first activity). */
  readonly historyDays: number;
  /** Rolling 7-day running distance ending at this session (inclusive). */
  readonly rolling7dM: number;
  /** The 7 days before that. */
  readonly prev7dM: number;
  /** Largest rolling 7-day distance in the 4 weeks before (card L3 guard). */
  readonly max4wRolling7dM: number;
  readonly rolling14dM: number;
  readonly prev14dM: number;
  /** Uncoupled ACWR (7 d vs mean week of days 8–28); null when chronic is 0. Information only. */
  readonly acwrRolling: number | null;
  /** EWMA ACWR (λa 0.25, λc 0.069); null during the first 28 days. Information only. */
  readonly acwrEwma: number | null;
  /** Longest session in the last 90 days (for the return-from-break cap). */
  readonly longest90dM: number | null;
  /** Days since the previous running session; null for the first. */
  readonly daysSincePrevious: number | null;
  readonly state: 'baseline-building' | 'return-from-break' | 'normal';
  /** Week (display) holding the session, `YYYY-MM-DD` of its first day. */
  readonly weekStart?: string;
  /** True while history is shorter than the weekly-progression baseline (first 3 weeks, card L3). */
  readonly weeklyBaselineBuilding?: boolean;
  /** True when any part is treadmill distance (estimated, card L2). */
  readonly estimatedDistance?: boolean;
  /** Moving time of the session, s (card L2 duration variant). */
  readonly timeS?: number;
  /** Longest session by moving time in the previous 30 days, s; null when none. */
  readonly refLongestTimeS?: number | null;
  /** Largest session descent in the previous 30 days, m; null when none had elevation (card D4). */
  readonly refDescentM?: number | null;
  /** descentM ÷ refDescentM (card D4, evidence D, information only); null without a reference. */
  readonly descentSpikeRatio?: number | null;
  /** Session TRIMP (card X1); null when no part has one. */
  readonly trimp?: number | null;
  /** Largest session TRIMP in the previous 30 days (card X1 intensity spike, off by default); null when none. */
  readonly refTrimp?: number | null;
  /**
   * Personal cadence line (card C3) fitted from the runs of the `cadenceBaselineDays` before this
   * session's day, never from later ones (no `bins`); null when those runs give none. The rules judge
   * the session's runs against it.
   */
  readonly cadenceBaseline?: CadenceBaseline | null;
}

/** Cumulative distance per gear (card S1). */
export interface GearUsage {
  readonly gear: string;
  readonly distanceM: number;
  readonly runs: number;
  readonly firstUsed: string;
  readonly lastUsed: string;
}

/** Personal cadence baseline (card C3). */
export interface CadenceBaseline {
  /** spm = interceptSpm + slopeSpmPerMps · v: least squares over the bins, weighted by their time, flat running of the last `windowDays`. */
  readonly interceptSpm: number;
  readonly slopeSpmPerMps: number;
  readonly windowDays: number;
  readonly timeS: number;
  /** The same line × (1 + targetPct). */
  readonly targetPct: number;
  /** `fit`: least squares over ≥ 2 bins; `population-slope`: one bin, slope taken from van Oeveren (6.01). */
  readonly method?: 'fit' | 'population-slope';
  /** The bins the line was fitted on: time-weighted median of each activity's bin average. */
  readonly bins?: readonly { readonly speedMps: number; readonly timeS: number; readonly spm: number }[];
  /** Share of binned flat running time at or above target − 2 spm (card C3 adherence). */
  readonly adherence?: number;
}

/** Everything across activities. */
export interface TrainingHistory {
  readonly timeZone: string;
  /** 0 = Sunday … 6 = Saturday; 1 (Monday, ISO) by default. */
  readonly weekStartsOn: number;
  readonly firstDate: string | null;
  readonly lastDate: string | null;
  readonly weeks: readonly WeekSummary[];
  /** Running sessions in time order. */
  readonly sessions: readonly SessionLoad[];
  readonly gear: readonly GearUsage[];
  readonly cadenceBaseline: CadenceBaseline | null;
  /** Gaps of 14 days or more without running: `from` = last run before, `to` = first run after. */
  readonly breaks: readonly { readonly from: string; readonly to: string; readonly days: number }[];
  /** Distinct shoes used in the last 60 days up to `lastDate` (card S1 rotation). */
  readonly gearInRotation?: number;
  /** Activities left out of every time-based figure because they carry no time. */
  readonly undatedActivityIds?: readonly string[];
  /** Activities left out because their start cannot be real (before 1990 or after today), with why. Absent when none. */
  readonly implausibleDates?: readonly { readonly activityId: string; readonly reason: string }[];
}
