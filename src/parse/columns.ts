import type { SampleColumnName, SampleColumns } from '../activity.js';

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
