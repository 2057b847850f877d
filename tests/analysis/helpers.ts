/**
 * Builds in-memory Activities from plain arrays for analysis tests.
 */
import type { Activity, CadenceDetection, Lap, Pause, SampleColumnName } from '../../src/activity.js';
import { SampleBuilder } from '../../src/parse/columns.js';

export type ColumnArrays = Partial<Record<SampleColumnName, ArrayLike<number>>> & { timeS: ArrayLike<number> };

export interface MakeActivityInput {
  readonly columns: ColumnArrays;
  readonly id?: string;
  readonly sport?: string;
  readonly subSport?: string;
  readonly startTime?: Date | undefined;
  readonly utcOffsetMin?: number;
  readonly gear?: string;
  readonly laps?: readonly Lap[];
  readonly pauses?: readonly Pause[];
  readonly cadence?: Partial<CadenceDetection>;
}

/** An Activity from column arrays (missing columns stay NaN). Cadence is taken as steps/min. */
export function makeActivity(input: MakeActivityInput): Activity {
  const n = input.columns.timeS.length;
  const b = new SampleBuilder(n);
  for (let i = 0; i < n; i++) {
    const k = b.add();
    for (const [name, arr] of Object.entries(input.columns) as [SampleColumnName, ArrayLike<number>][]) {
      b.set(name, k, arr[i]!);
    }
  }
  const sport = input.sport ?? 'running';
  const hasCadence = input.columns.cadenceSpm !== undefined;
  const foot = !['cycling', 'swimming', 'rowing'].includes(sport);
  return {
    id: input.id ?? 'test-activity',
    sport,
    subSport: input.subSport ?? 'generic',
    startTime: 'startTime' in input ? input.startTime : new Date('2025-03-04T07:00:00Z'),
    ...(input.utcOffsetMin !== undefined ? { utcOffsetMin: input.utcOffsetMin } : {}),
    ...(input.gear !== undefined ? { gear: input.gear } : {}),
    source: { format: 'fit', indexInFile: 0 },
    samples: b.finish(),
    laps: input.laps ?? [],
    pauses: input.pauses ?? [],
    cadence: {
      detected: hasCadence && foot ? 'steps' : 'none',
      factor: 1,
      confidence: hasCadence && foot ? 0.95 : 1,
      method: hasCadence && foot ? 'band' : 'no-data',
      medianRaw: Number.NaN,
      ...input.cadence,
    },
    deviceSummary: {},
    warnings: [],
  };
}

/** `n` values from `f(i)`. */
export function series(n: number, f: (i: number) => number): number[] {
  return Array.from({ length: n }, (_, i) => f(i));
}

/**
 * A steady run: `n` samples every `dtS` seconds at `speedMps` and `spm`,
 * flat altitude `altM` (NaN for none), distance = speed × time.
 */
export function steadyRun(n: number, dtS: number, speedMps: number, spm: number, altM = Number.NaN): ColumnArrays {
  return {
    timeS: series(n, (i) => i * dtS),
    distanceM: series(n, (i) => i * dtS * speedMps),
    speedMps: series(n, () => speedMps),
    cadenceSpm: series(n, () => spm),
    altitudeM: series(n, () => altM),
  };
}

/** Walks a JSON value and returns the paths of every number that is not finite. */
export function nonFinitePaths(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFinitePaths(v, `${path}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => nonFinitePaths(v, `${path}.${k}`));
  }
  return [];
}
