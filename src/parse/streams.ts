/**
 * `activityFromStreams`: an {@link Activity} from sample columns a program
 * already holds (a database, an API), not from a file. The columns go through
 * the same steps as a parsed file: range checks, position checks, distance and
 * speed derivation, cadence unit detection (card C0), and the same limits.
 */
import type { Activity, DeviceSummary, Lap, ParseWarning, Pause, SampleColumnName, SampleColumns, Sport, SubSport } from '../activity.js';
import { ParseError, StridewiseError } from '../errors.js';
import { normalizeCadence, type CadenceUnitOption } from './cadence.js';
import { createColumns, dropImplausibleValues, dropInvalidPositions, SAMPLE_COLUMN_NAMES } from './columns.js';
import { detectionSpeed } from './fit/speed.js';
import { deriveDistanceAndSpeed } from './geo.js';
import { resolveParseLimits } from './guard.js';
import { fnv1aHex, makeActivityId } from './id.js';
import type { ParseLimits } from './limits.js';

/** One column of values: a plain array (entries `null`/`undefined` read as missing) or a typed array. */
export type StreamValues = ArrayLike<number | null | undefined>;

/**
 * Columns given to {@link activityFromStreams}, named as the {@link SampleColumns}
 * (same units), all of the same length. Give either `cadenceSpm` (steps/min) or
 * `cadence` (raw, unit per {@link StreamMeta.cadenceUnit}), not both.
 */
export type StreamColumns = { readonly [K in SampleColumnName]?: StreamValues } & {
  /** Raw cadence in the unit {@link StreamMeta.cadenceUnit} says (strides/min, steps/min, or `auto` to detect). */
  readonly cadence?: StreamValues;
};

/** What {@link activityFromStreams} needs besides the columns. */
export interface StreamMeta {
  /** Start of the activity: a `Date` or an ISO 8601 string with a zone (`2024-05-01T06:00:00Z`). `timeS` counts from it. */
  readonly startTime: Date | string;
  /** Sport in stridewise's names (`running`, `cycling`, `walking`, ...; FIT `sport` enum in snake_case). */
  readonly sport: Sport;
  /** Sub-sport; when absent, `generic`, or `treadmill` for a run without any position (as for GPX and TCX). */
  readonly subSport?: SubSport;
  readonly name?: string;
  readonly gear?: string;
  /** Local time minus UTC in minutes, when known. */
  readonly utcOffsetMin?: number;
  /** IANA time zone where the activity took place (e.g. `'Europe/Paris'`), when no offset is known: local dates then follow it, as for a GPX file's first position fix. */
  readonly positionTimeZone?: string;
  /** The recording device's or service's own totals, in stridewise units (cadence in steps/min). */
  readonly deviceSummary?: DeviceSummary;
  /** Unit of the `cadence` column: `strides` (doubled), `steps` (kept) or `auto` (default: detected as for files, card C0). */
  readonly cadenceUnit?: CadenceUnitOption;
  /** Timer pauses, seconds since the start. */
  readonly pauses?: readonly Pause[];
  /** Laps, seconds since the start, cadence in steps/min. */
  readonly laps?: readonly Lap[];
  /** Identifier to use instead of the built one (`streams-<start>-<sport>-0`). */
  readonly id?: string;
  /** Shown as `source.creator` (e.g. `Strava API`). */
  readonly creator?: string;
  /** Limits as for {@link parseActivities} (only `maxSamplesPerActivity` applies). */
  readonly limits?: Partial<ParseLimits>;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const COLUMN_SET = new Set<string>([...SAMPLE_COLUMN_NAMES, 'cadence']);

function invalid(message: string): ParseError {
  return new ParseError('INVALID_INPUT', message);
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return !(v instanceof DataView);
  return false;
}

/** Copies a column into `dst`, checking each entry is a number (or null/undefined: missing). */
function copyColumn(name: string, src: ArrayLike<unknown>, dst: Float64Array | Float32Array): void {
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    if (v === null || v === undefined) continue;
    if (typeof v !== 'number' && typeof v !== 'bigint') {
      throw invalid(`column ${name}[${i}] is ${typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : typeof v}, not a number`);
    }
    const x = Number(v);
    dst[i] = Number.isFinite(x) ? x : Number.NaN;
  }
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Sports in which a recorded distance grows by at least metres per minute. */
const MOVING_SPORTS = new Set(['running', 'walking', 'hiking', 'cycling']);

/** Sports whose speed can never be a sustained 12 m/s (43 km/h). */
const FOOT_SPEED_SPORTS = new Set(['running', 'walking', 'hiking']);

/**
 * Unit checks: values that fit one unit mistake much better than the
 * documented unit (time in milliseconds, epoch seconds, distance in km, speed in km/h).
 */
function checkUnits(c: SampleColumns, sport: Sport): void {
  const n = c.length;
  const t = c.timeS;
  // Time as epoch seconds or milliseconds instead of seconds since the start.
  let first = -1;
  for (let i = 0; i < n; i++) if (!Number.isNaN(t[i]!)) { first = i; break; }
  if (first >= 0 && Math.abs(t[first]!) > 1e8) {
    throw invalid(`column timeS[${first}] is ${t[first]}: timeS counts seconds from meta.startTime, not epoch seconds or milliseconds`);
  }
  const dts: number[] = [];
  for (let i = 1, last = first; i < n && last >= 0; i++) {
    if (Number.isNaN(t[i]!)) continue;
    if (t[i]! > t[last]!) dts.push(t[i]! - t[last]!);
    last = i;
  }
  let lastT = Number.NaN;
  for (let i = n - 1; i >= 0; i--) if (!Number.isNaN(t[i]!)) { lastT = t[i]!; break; }
  if (dts.length >= 10 && median(dts) >= 500 && lastT - t[first]! > 7 * 86_400) {
    throw invalid(`column timeS: samples are a median ${median(dts)} apart over ${Math.round(lastT - t[first]!)} — this looks like milliseconds; timeS is in seconds`);
  }
  // Distance rate against the speed column, sample by sample (both given).
  const rates: number[] = [];
  const speeds: number[] = [];
  for (let i = 1; i < n; i++) {
    const dt = t[i]! - t[i - 1]!;
    const dd = c.distanceM[i]! - c.distanceM[i - 1]!;
    const v = c.speedMps[i]!;
    if (dt > 0 && dd > 0 && v > 0) {
      rates.push(dd / dt);
      speeds.push(v);
    }
  }
  if (rates.length >= 10) {
    const ratio = median(speeds) / median(rates);
    if (ratio > 500 && ratio < 2000) {
      throw invalid(`column distanceM grows 1000 times slower than speedMps says (median ${median(rates).toPrecision(3)} per s vs ${median(speeds).toPrecision(3)} m/s) — kilometres? distanceM is in metres`);
    }
    if (ratio > 3.2 && ratio < 4) {
      throw invalid(`column speedMps is 3.6 times the distance rate (median ${median(speeds).toPrecision(3)} vs ${median(rates).toPrecision(3)} m/s) — km/h? speedMps is in metres per second`);
    }
    return;
  }
  // Distance alone, for sports that move: a typical rate under 5 cm/s and a mean pace under 3 cm/s
  // over 10 minutes, both plausible times 1000 (GPS drift while standing still moves in larger jumps).
  let lastD = Number.NaN;
  let lastDi = -1;
  for (let i = n - 1; i >= 0; i--) if (!Number.isNaN(c.distanceM[i]!)) { lastD = c.distanceM[i]!; lastDi = i; break; }
  const duration = lastDi >= 0 && first >= 0 ? t[lastDi]! - t[first]! : Number.NaN;
  const rateOnly: number[] = [];
  for (let i = 1; i < n; i++) {
    const dt = t[i]! - t[i - 1]!;
    const dd = c.distanceM[i]! - c.distanceM[i - 1]!;
    if (dt > 0 && dd > 0) rateOnly.push(dd / dt);
  }
  if (
    MOVING_SPORTS.has(sport) &&
    lastD > 0 &&
    duration > 600 &&
    lastD / duration < 0.03 &&
    (lastD * 1000) / duration > 0.5 &&
    rateOnly.length >= 10 &&
    median(rateOnly) < 0.05
  ) {
    throw invalid(`column distanceM[${lastDi}] is ${lastD} after ${Math.round(duration)} s — kilometres? distanceM is in metres`);
  }
  // Speed alone for foot sports: a median over 12 m/s is km/h.
  if (FOOT_SPEED_SPORTS.has(sport)) {
    const moving: number[] = [];
    for (let i = 0; i < n; i++) if (c.speedMps[i]! > 0.3) moving.push(c.speedMps[i]!);
    const m = median(moving);
    if (moving.length >= 10 && m > 12) {
      throw invalid(`column speedMps has a median of ${m.toPrecision(3)} for ${sport} — km/h? speedMps is in metres per second`);
    }
  }
}

function parseStart(value: unknown): Date {
  const d = value instanceof Date ? new Date(value.getTime()) : typeof value === 'string' ? new Date(value) : undefined;
  if (d === undefined || Number.isNaN(d.getTime())) {
    throw invalid(`meta.startTime must be a Date or an ISO 8601 string, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
  }
  return d;
}

/**
 * Builds a validated {@link Activity} from sample columns (plain arrays or
 * typed arrays) named and measured as {@link SampleColumns}: `timeS` (seconds
 * since `meta.startTime`), `distanceM`, `speedMps`, `altitudeM`, `latDeg`/`lonDeg`,
 * `cadenceSpm` (steps/min) or raw `cadence` with `meta.cadenceUnit`,
 * `heartRateBpm`, `powerW`, running dynamics (`stepLengthM`, `verticalOscillationM`,
 * `stanceTimeS`, `verticalRatioPct`, `stanceTimeBalancePct`), `temperatureC`.
 * Missing columns and `null` entries become `NaN`, as from the parsers.
 *
 * Sanitised as a GPX or TCX file is: values outside physical ranges become NaN
 * (warning `INVALID_VALUES_DROPPED`), bad positions too (`INVALID_POSITION_DROPPED`),
 * distance is derived from positions and speed from distance where absent, raw
 * cadence goes through the unit detection of card C0 (`cadenceSpm` is taken as
 * steps/min; cycling and other non-foot sports keep their rpm).
 *
 * The input is not modified.
 *
 * @throws {ParseError} `INVALID_INPUT` naming the column and index: an unknown
 * column name, a column that is not an array of numbers, columns of unequal
 * lengths, `timeS` going back, half a position column, both `cadence` and
 * `cadenceSpm`, units that fit a mistake (epoch or millisecond times, km for m,
 * km/h for m/s), a bad `meta.startTime` or `meta.sport`. `NO_DATA` with zero
 * samples; `TOO_MANY_SAMPLES` over `maxSamplesPerActivity`.
 * @example
 * const run = activityFromStreams(
 *   { timeS: [0, 1, 2, 3], distanceM: [0, 3, 6, 9], cadence: [85, 86, 85, 86] },
 *   { startTime: '2024-05-01T06:00:00Z', sport: 'running', cadenceUnit: 'strides' },
 * );
 * run.samples.cadenceSpm[1]; // 172 (86 strides/min doubled)
 * run.samples.speedMps[1]; // 3 (derived from distance)
 */
export function activityFromStreams(columns: StreamColumns, meta: StreamMeta): Activity {
  try {
    return build(columns, meta);
  } catch (error) {
    if (error instanceof StridewiseError) throw error;
    throw new ParseError('INTERNAL', `unexpected failure while building an activity from streams: ${String(error)}`, { cause: error });
  }
}

function build(columns: StreamColumns, meta: StreamMeta): Activity {
  if (columns === null || typeof columns !== 'object' || Array.isArray(columns)) {
    throw invalid('columns must be an object of arrays keyed by column name (timeS, distanceM, ...)');
  }
  if (meta === null || typeof meta !== 'object') throw invalid('meta must be an object with startTime and sport');
  const startTime = parseStart(meta.startTime);
  if (typeof meta.sport !== 'string' || meta.sport.trim() === '') {
    throw invalid(`meta.sport must be a sport name such as 'running', got ${String(meta.sport)}`);
  }
  const limits = resolveParseLimits(meta.limits);
  const cadenceUnit = meta.cadenceUnit ?? 'auto';
  if (cadenceUnit !== 'auto' && cadenceUnit !== 'strides' && cadenceUnit !== 'steps') {
    throw invalid(`meta.cadenceUnit must be 'auto', 'strides' or 'steps', got ${String(cadenceUnit)}`);
  }

  let length = -1;
  let lengthFrom = '';
  const given: [string, ArrayLike<unknown>][] = [];
  for (const [name, values] of Object.entries(columns)) {
    if (!COLUMN_SET.has(name)) {
      throw invalid(`unknown column ${JSON.stringify(name)} (known: ${[...COLUMN_SET].join(', ')})`);
    }
    if (values === undefined) continue;
    if (!isArrayLike(values)) throw invalid(`column ${name} must be an array or a typed array, got ${values === null ? 'null' : typeof values}`);
    if (length < 0) {
      length = values.length;
      lengthFrom = name;
    } else if (values.length !== length) {
      throw invalid(`column ${name} has ${values.length} values but ${lengthFrom} has ${length}: all columns must have the same length`);
    }
    given.push([name, values]);
  }
  if (columns.cadence !== undefined && columns.cadenceSpm !== undefined) {
    throw invalid('give either cadenceSpm (steps/min) or cadence (raw, with meta.cadenceUnit), not both');
  }
  if ((columns.latDeg === undefined) !== (columns.lonDeg === undefined)) {
    throw invalid(`column ${columns.latDeg === undefined ? 'latDeg' : 'lonDeg'} is missing: positions need both latDeg and lonDeg`);
  }
  if (length <= 0) throw new ParseError('NO_DATA', 'the streams hold no samples');
  if (length > limits.maxSamplesPerActivity) {
    throw new ParseError('TOO_MANY_SAMPLES', `the streams hold ${length} samples, over the limit of ${limits.maxSamplesPerActivity}`);
  }

  const c = createColumns(length) as Mutable<SampleColumns>;
  const rawCadence = new Float32Array(length).fill(Number.NaN);
  for (const [name, values] of given) {
    copyColumn(name, values, name === 'cadence' ? rawCadence : c[name as SampleColumnName]);
  }
  if (columns.cadenceSpm !== undefined) rawCadence.set(c.cadenceSpm);

  // Time: non-decreasing where given.
  let last = -1;
  for (let i = 0; i < length; i++) {
    const v = c.timeS[i]!;
    if (Number.isNaN(v)) continue;
    if (last >= 0 && v < c.timeS[last]!) {
      throw invalid(`column timeS goes back at index ${i}: timeS[${i}] = ${v} is before timeS[${last}] = ${c.timeS[last]}`);
    }
    last = i;
  }
  const warnings: ParseWarning[] = [];
  if (last < 0) {
    warnings.push({ code: 'NO_TIME', message: 'no sample has a time: durations, speeds and time-based measures cannot be computed' });
  } else {
    const untimed = c.timeS.reduce((k, x) => (Number.isNaN(x) ? k + 1 : k), 0);
    if (untimed > 0) warnings.push({ code: 'PARTIAL_TIME', message: `${untimed} of ${length} samples have no time` });
  }
  checkUnits(c, meta.sport);

  // Positions: out of range, half given or (0, 0) are dropped, as in GPX/TCX.
  dropInvalidPositions(c, length, warnings, 'samples');
  // Physical ranges (raw cadence checked in its own column).
  dropImplausibleValues((name) => (name === 'cadenceSpm' ? rawCadence : c[name]), length, warnings);

  let subSport: SubSport = meta.subSport ?? 'generic';
  if (meta.subSport === undefined && meta.sport === 'running' && !c.latDeg.some((x) => !Number.isNaN(x))) subSport = 'treadmill';
  deriveDistanceAndSpeed(c);

  const unit: CadenceUnitOption = columns.cadenceSpm !== undefined ? 'steps' : cadenceUnit;
  // As for FIT: the distance rate decides the unit where the speed column disagrees with it (warning SPEED_INCONSISTENT).
  const { cadenceSpm, detection } = normalizeCadence(rawCadence, unit === 'auto' ? detectionSpeed(c, warnings) : c.speedMps, {
    sport: meta.sport,
    subSport,
    format: 'streams',
    ...(unit !== 'auto' ? { override: unit } : {}),
  });
  c.cadenceSpm = cadenceSpm;

  const hash = (): string => fnv1aHex(`${length}:${c.timeS[0]}:${c.distanceM[length - 1]}`);
  return {
    id: meta.id ?? makeActivityId('streams', startTime, meta.sport, 0, hash),
    sport: meta.sport,
    subSport,
    // The caller states the sport as a file does; a generic one stays unknown (no inference on caller data).
    sportSource: meta.sport === 'generic' ? 'unknown' : 'file',
    startTime,
    ...(meta.utcOffsetMin !== undefined && Number.isFinite(meta.utcOffsetMin) ? { utcOffsetMin: meta.utcOffsetMin } : {}),
    ...(meta.positionTimeZone !== undefined && meta.positionTimeZone !== '' ? { positionTimeZone: meta.positionTimeZone } : {}),
    ...(meta.name !== undefined && meta.name !== '' ? { name: meta.name } : {}),
    ...(meta.gear !== undefined && meta.gear !== '' ? { gear: meta.gear } : {}),
    source: { format: 'streams', ...(meta.creator !== undefined ? { creator: meta.creator } : {}), indexInFile: 0 },
    samples: c,
    laps: (meta.laps ?? []).map((l) => ({ ...l })),
    pauses: (meta.pauses ?? []).filter((p) => p.endS > p.startS).map((p) => ({ startS: p.startS, endS: p.endS })),
    cadence: detection,
    deviceSummary: { ...(meta.deviceSummary ?? {}) },
    warnings,
  };
}
