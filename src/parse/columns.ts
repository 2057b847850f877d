import type { ParseWarning, SampleColumnName, SampleColumns } from '../activity.js';

const F64: readonly SampleColumnName[] = ['timeS', 'distanceM', 'latDeg', 'lonDeg'];
/** All column names in a fixed order (used by builders and serialisers). */
export const SAMPLE_COLUMN_NAMES: readonly SampleColumnName[] = [
  'timeS',
  'distanceM',
  'speedMps',
  'altitudeM',
  'latDeg',
  'lonDeg',
  'cadenceSpm',
  'heartRateBpm',
  'powerW',
  'stepLengthM',
  'verticalOscillationM',
  'stanceTimeS',
  'verticalRatioPct',
  'stanceTimeBalancePct',
  'temperatureC',
];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function allocate(name: SampleColumnName, n: number): Float64Array | Float32Array {
  const a = F64.includes(name) ? new Float64Array(n) : new Float32Array(n);
  a.fill(Number.NaN);
  return a;
}

/** Creates columns of length `n`, every value `NaN`. */
export function createColumns(n: number): SampleColumns {
  const out = { length: n } as Mutable<SampleColumns>;
  for (const name of SAMPLE_COLUMN_NAMES) (out as Record<string, unknown>)[name] = allocate(name, n);
  return out;
}

/**
 * Growable column store for streaming parsers: call {@link SampleBuilder.add}
 * for each new sample, then {@link SampleBuilder.set} for the values it has;
 * unset values stay `NaN`. {@link SampleBuilder.finish} returns exact-length columns.
 */
export class SampleBuilder {
  private capacity: number;
  private n = 0;
  private cols: Record<SampleColumnName, Float64Array | Float32Array>;

  constructor(initialCapacity = 1024) {
    this.capacity = Math.max(16, initialCapacity);
    this.cols = {} as Record<SampleColumnName, Float64Array | Float32Array>;
    for (const name of SAMPLE_COLUMN_NAMES) this.cols[name] = allocate(name, this.capacity);
  }

  /** Number of samples added so far. */
  get length(): number {
    return this.n;
  }

  /** Starts a new sample (all values NaN) and returns its index. */
  add(): number {
    if (this.n === this.capacity) this.grow();
    return this.n++;
  }

  /** Sets a value of sample `index`. Non-finite values are stored as NaN. */
  set(name: SampleColumnName, index: number, value: number): void {
    this.cols[name][index] = Number.isFinite(value) ? value : Number.NaN;
  }

  /** Reads a value back (NaN if unset). */
  get(name: SampleColumnName, index: number): number {
    return this.cols[name][index] ?? Number.NaN;
  }

  /** Drops the last sample (e.g. a point that turned out to be incomplete). */
  pop(): void {
    if (this.n === 0) return;
    this.n--;
    for (const name of SAMPLE_COLUMN_NAMES) this.cols[name][this.n] = Number.NaN;
  }

  /** Returns exact-length copies of the columns. The builder can be discarded afterwards. */
  finish(): SampleColumns {
    const out = { length: this.n } as Mutable<SampleColumns>;
    for (const name of SAMPLE_COLUMN_NAMES) {
      (out as Record<string, unknown>)[name] = this.cols[name].slice(0, this.n);
    }
    return out;
  }

  private grow(): void {
    const next = this.capacity * 2;
    for (const name of SAMPLE_COLUMN_NAMES) {
      const a = allocate(name, next);
      a.set(this.cols[name]);
      this.cols[name] = a;
    }
    this.capacity = next;
  }
}

/** Returns a copy of `columns` keeping only the rows where `keep(i)` is true. */
export function filterColumns(columns: SampleColumns, keep: (i: number) => boolean): SampleColumns {
  const idx: number[] = [];
  for (let i = 0; i < columns.length; i++) if (keep(i)) idx.push(i);
  const out = createColumns(idx.length) as Mutable<SampleColumns>;
  for (const name of SAMPLE_COLUMN_NAMES) {
    const src = columns[name];
    const dst = out[name];
    for (let j = 0; j < idx.length; j++) dst[j] = src[idx[j]!]!;
  }
  return out;
}

/**
 * Physical ranges of the sample columns parsers fill; values outside become
 * NaN (warning `INVALID_VALUES_DROPPED`). Wide on purpose: they catch
 * sentinels, unit mix-ups and damage, not unusual athletes.
 */
export const PLAUSIBLE_RANGES: ReadonlyArray<readonly [SampleColumnName, number, number]> = [
  ['altitudeM', -1_000, 10_000],
  ['heartRateBpm', 0, 300],
  ['cadenceSpm', 0, 500],
  ['powerW', 0, 5_000],
  ['speedMps', 0, 200],
  ['distanceM', 0, 50_000_000],
  ['temperatureC', -90, 70],
];

/**
 * Sets to NaN every position (degrees) that is half given, out of range
 * (|lat| > 90, |lon| > 180) or exactly (0, 0), in place, and adds warning
 * `INVALID_POSITION_DROPPED` with the count when any was dropped.
 *
 * @param c - columns whose `latDeg`/`lonDeg` are checked, first `n` samples
 * @param n - number of samples
 * @param warnings - list the warning is appended to
 * @param noun - what a sample is called in the message ("samples", "points")
 * @returns the number of positions dropped
 * @example
 * const c = createColumns(1);
 * c.latDeg[0] = 0; c.lonDeg[0] = 0;
 * dropInvalidPositions(c, 1, warnings, 'points'); // 1, c.latDeg[0] is NaN
 */
export function dropInvalidPositions(
  c: Pick<SampleColumns, 'latDeg' | 'lonDeg'>,
  n: number,
  warnings: ParseWarning[],
  noun: string,
): number {
  let badPositions = 0;
  for (let i = 0; i < n; i++) {
    const lat = c.latDeg[i]!;
    const lon = c.lonDeg[i]!;
    if (Number.isNaN(lat) && Number.isNaN(lon)) continue;
    if (Number.isNaN(lat) || Number.isNaN(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180 || (lat === 0 && lon === 0)) {
      c.latDeg[i] = Number.NaN;
      c.lonDeg[i] = Number.NaN;
      badPositions++;
    }
  }
  if (badPositions > 0) {
    warnings.push({
      code: 'INVALID_POSITION_DROPPED',
      message: `${badPositions} ${noun} had an incomplete, out-of-range or (0, 0) position; it was dropped`,
    });
  }
  return badPositions;
}

/**
 * Sets to NaN, in place, every value outside {@link PLAUSIBLE_RANGES} and
 * every heart rate of 0 (written where the strap had no reading), and adds
 * warning `INVALID_VALUES_DROPPED` counting the non-zero values dropped.
 *
 * @param column - the array holding a column's values (a parser may keep one,
 *   e.g. raw cadence, outside its columns)
 * @param n - number of samples
 * @param warnings - list the warning is appended to
 * @returns the number of non-zero values dropped
 * @example
 * const c = createColumns(1);
 * c.heartRateBpm[0] = 400;
 * dropImplausibleValues((name) => c[name], 1, warnings); // 1, c.heartRateBpm[0] is NaN
 */
export function dropImplausibleValues(
  column: (name: SampleColumnName) => Float64Array | Float32Array,
  n: number,
  warnings: ParseWarning[],
): number {
  let dropped = 0;
  for (const [name, lo, hi] of PLAUSIBLE_RANGES) {
    const col = column(name);
    for (let i = 0; i < n; i++) {
      const v = col[i]!;
      if (v < lo || v > hi || (name === 'heartRateBpm' && v === 0)) {
        col[i] = Number.NaN;
        if (v !== 0) dropped++;
      }
    }
  }
  if (dropped > 0) {
    warnings.push({
      code: 'INVALID_VALUES_DROPPED',
      message: `${dropped} values outside physical ranges (altitude, heart rate, cadence, power, speed, distance, temperature) were dropped`,
    });
  }
  return dropped;
}
