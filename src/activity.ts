/**
 * The normalised activity model every parser produces.
 *
 * Units are SI plus steps per minute, and every numeric field name ends in its
 * unit (`distanceM`, `speedMps`, `cadenceSpm`). Per-sample data live in
 * typed-array columns of equal length; a missing value is `NaN`, never 0.
 */
import type { ActivityFormat } from './errors.js';

/**
 * Sport names follow the FIT profile's `sport` enum in snake_case
 * (`running`, `cycling`, `swimming`, `walking`, `hiking`, `rowing`,
 * `fitness_equipment`, `training`, `transition`, `generic`, ...).
 * GPX `<type>` and TCX `Sport` values are mapped onto these names.
 */
export type Sport =
  | 'running'
  | 'cycling'
  | 'swimming'
  | 'walking'
  | 'hiking'
  | 'rowing'
  | 'fitness_equipment'
  | 'training'
  | 'transition'
  | 'generic'
  | (string & {});

/**
 * How an activity's sport was known, strongest first: `file` (the file's own
 * sport), `export-metadata` (the export's record, e.g. Strava
 * `activities.csv` "Activity Type"), `name` (the activity's name, e.g.
 * "Afternoon Run"), `inferred` (from speed, cadence and power, with
 * {@link Activity.sportConfidence}), `unknown` (nothing said; the sport is
 * `generic`).
 */
export type SportSource = 'file' | 'export-metadata' | 'name' | 'inferred' | 'unknown';

/**
 * Sub-sport names follow the FIT profile's `sub_sport` enum in snake_case
 * (`generic`, `treadmill`, `street`, `trail`, `track`, `indoor_running`,
 * `indoor_cycling`, `elliptical`, `open_water`, `lap_swimming`, ...).
 */
export type SubSport =
  | 'generic'
  | 'treadmill'
  | 'street'
  | 'trail'
  | 'track'
  | 'indoor_running'
  | 'indoor_cycling'
  | 'virtual_activity'
  | 'elliptical'
  | 'indoor_rowing'
  | 'stair_climbing'
  | 'open_water'
  | 'lap_swimming'
  | (string & {});

/** Per-sample columns. All arrays have length `length`; missing values are `NaN`. */
export interface SampleColumns {
  /** Number of samples. */
  readonly length: number;
  /** Seconds since {@link Activity.startTime}; strictly non-decreasing. */
  readonly timeS: Float64Array;
  /** Cumulative distance in metres (from the device, else derived from positions). */
  readonly distanceM: Float64Array;
  /** Speed in metres per second (from the device, else derived from distance and time). */
  readonly speedMps: Float32Array;
  /** Altitude in metres above sea level. */
  readonly altitudeM: Float32Array;
  /** Latitude in degrees (WGS84). */
  readonly latDeg: Float64Array;
  /** Longitude in degrees (WGS84). */
  readonly lonDeg: Float64Array;
  /**
   * Cadence in **steps per minute** for foot sports (both feet counted),
   * after unit detection (see {@link CadenceDetection}). For cycling, swimming
   * and rowing it is the device's rpm / strokes per minute, never doubled.
   */
  readonly cadenceSpm: Float32Array;
  /** Heart rate in beats per minute. */
  readonly heartRateBpm: Float32Array;
  /** Power in watts. */
  readonly powerW: Float32Array;
  /** Step length in metres, as recorded by the device (FIT running dynamics). */
  readonly stepLengthM: Float32Array;
  /** Vertical oscillation in metres. */
  readonly verticalOscillationM: Float32Array;
  /** Ground contact (stance) time in seconds. */
  readonly stanceTimeS: Float32Array;
  /** Vertical ratio in percent (vertical oscillation / step length). */
  readonly verticalRatioPct: Float32Array;
  /** Ground contact time balance, percent on the left foot. */
  readonly stanceTimeBalancePct: Float32Array;
  /** Temperature in degrees Celsius. */
  readonly temperatureC: Float32Array;
}

/** Names of the numeric sample columns (everything but `length`). */
export type SampleColumnName = Exclude<keyof SampleColumns, 'length'>;

/** How the cadence unit of an activity was decided (science card C0). */
export interface CadenceDetection {
  /**
   * What the file stored: `strides` (one foot, doubled to steps), `steps`
   * (kept), or `none` (no usable cadence, or a sport whose cadence is not steps).
   */
  readonly detected: 'strides' | 'steps' | 'none';
  /** Factor applied to the raw values to obtain {@link SampleColumns.cadenceSpm} (1 or 2; 1 when `none`). */
  readonly factor: 1 | 2;
  /** Confidence of the decision, 0..1. Rules need at least 0.8 (card Q1). */
  readonly confidence: number;
  /** How it was decided. */
  readonly method: 'band' | 'step-length' | 'prior' | 'override' | 'not-a-foot-sport' | 'no-data';
  /** Median raw cadence over running samples, as stored in the file (NaN when none). */
  readonly medianRaw: number;
}

/** A lap as the file records it. Times are seconds since the activity start. */
export interface Lap {
  readonly startS: number;
  readonly endS: number;
  /** Timer time of the lap in seconds (excludes pauses), NaN if unknown. */
  readonly timerTimeS: number;
  /** Distance of the lap in metres, NaN if unknown. */
  readonly distanceM: number;
  /** Device's average cadence for the lap in steps/min (foot sports), NaN if unknown. */
  readonly avgCadenceSpm: number;
}

/** A stretch during which the timer was stopped. Seconds since activity start. */
export interface Pause {
  readonly startS: number;
  readonly endS: number;
}

/** Where an activity came from. */
export interface ActivitySource {
  readonly format: ActivityFormat;
  /** File name (or archive path such as `export.zip!activities/1.fit.gz`) when known. */
  readonly fileName?: string;
  /** GPX `creator`, TCX `Creator/Name`, or FIT manufacturer + product in words. */
  readonly creator?: string;
  /** FIT manufacturer name (`garmin`, `wahoo_fitness`, ...). */
  readonly manufacturer?: string;
  /** FIT product name or number. */
  readonly product?: string;
  /** Index of this activity within its file (FIT session, TCX Activity, GPX track), from 0. */
  readonly indexInFile: number;
}

/**
 * The device's own summary, converted to stridewise units. Only fields the
 * file holds are present.
 */
export interface DeviceSummary {
  readonly totalDistanceM?: number;
  readonly timerTimeS?: number;
  readonly elapsedTimeS?: number;
  /** Average cadence in steps/min (foot sports, after the same unit factor as the samples). */
  readonly avgCadenceSpm?: number;
  readonly maxCadenceSpm?: number;
  readonly ascentM?: number;
  readonly descentM?: number;
  /** Average step length in metres. */
  readonly avgStepLengthM?: number;
  readonly avgSpeedMps?: number;
  readonly avgHeartRateBpm?: number;
  /** Total steps (2 × FIT total_strides for running/walking). */
  readonly totalSteps?: number;
}

/** A non-fatal problem found while reading a file. */
export interface ParseWarning {
  /** Stable code, e.g. `TRUNCATED`, `CHAINED_FIT_MERGED`, `TIME_JUMP`, `INVALID_VALUES_DROPPED`. */
  readonly code: string;
  readonly message: string;
}

/** One activity (one FIT session, one TCX `<Activity>`, one GPX track). */
export interface Activity {
  /**
   * Stable identifier: the same file gives the same id on every run.
   * Built from the start time, the sport the file itself states (its label,
   * or a name that is exactly a label; `generic` when it states none,
   * whatever was resolved later, so the id does not move with export
   * metadata, names in words or inference) and index in file (or a content
   * hash when the file has no time), see `makeActivityId`;
   * `streams-...` for activities built from sample columns.
   */
  readonly id: string;
  readonly sport: Sport;
  readonly subSport: SubSport;
  /**
   * How {@link Activity.sport} was known. The parsers always set it; an
   * activity built by hand without it is read as `file`.
   */
  readonly sportSource?: SportSource;
  /** Confidence (0..1) of an `inferred` sport; absent for other sources. */
  readonly sportConfidence?: number;
  /** Start of the activity (UTC). `undefined` when the file holds no usable time. */
  readonly startTime: Date | undefined;
  /** Local time minus UTC in minutes, where the file gives it (FIT `activity.local_timestamp`). */
  readonly utcOffsetMin?: number;
  /** IANA zone at the first position fix, for files whose times carry no UTC offset (GPX, TCX). */
  readonly positionTimeZone?: string;
  /** Name given by the user or app (GPX `<name>`, Strava CSV), when known. */
  readonly name?: string;
  /** Gear (shoes) name, when known (Strava export `activities.csv`). */
  readonly gear?: string;
  readonly source: ActivitySource;
  readonly samples: SampleColumns;
  readonly laps: readonly Lap[];
  readonly pauses: readonly Pause[];
  readonly cadence: CadenceDetection;
  readonly deviceSummary: DeviceSummary;
  readonly warnings: readonly ParseWarning[];
}
