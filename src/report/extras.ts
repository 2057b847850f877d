/**
 * Chart data that needs the samples of an {@link Activity}: a cadence
 * histogram and a small elevation profile. Computed while the samples are
 * still in memory (summaries carry no per-sample arrays), kept small.
 */
import type { Activity } from '../activity.js';
import type { CadenceHistogram, ElevationProfile } from './model.js';

/** Options of {@link cadenceHistogramOf}. */
export interface CadenceHistogramOptions {
  /** Lower edge of the first bin, steps/min. Default 120. */
  readonly fromSpm?: number;
  /** Upper edge of the last bin, steps/min. Default 220. */
  readonly toSpm?: number;
  /** Bin width, steps/min. Default 2. */
  readonly binWidthSpm?: number;
  /** Slowest speed that counts as running (card C1), m/s. Default 1.5. */
  readonly minRunSpeedMps?: number;
  /** Lowest cadence that counts as running (card C1), steps/min. Default 140. */
  readonly minRunCadenceSpm?: number;
  /** Longest gap one sample may stand for (card C1), seconds. Default 10. */
  readonly maxDtS?: number;
}

/** True for activities whose cadence is steps (running, trail, treadmill). */
function isRunning(activity: Activity): boolean {
  return activity.sport === 'running';
}

/**
 * Running time per cadence bin for one activity (card C1 running filter:
 * speed ≥ 1.5 m/s and cadence ≥ 140 spm; each sample weighted by the time
 * since the previous one, at most 10 s). Cadence outside the range lands in
 * the first or last bin. Non-running activities give an all-zero histogram.
 *
 * @example
 * const h = cadenceHistogramOf(activity); // { fromSpm: 120, binWidthSpm: 2, timeS: [...50 bins] }
 */
export function cadenceHistogramOf(activity: Activity, options: CadenceHistogramOptions = {}): CadenceHistogram {
  const fromSpm = options.fromSpm ?? 120;
  const toSpm = options.toSpm ?? 220;
  const binWidthSpm = options.binWidthSpm ?? 2;
  const minSpeed = options.minRunSpeedMps ?? 1.5;
  const minCadence = options.minRunCadenceSpm ?? 140;
  const maxDt = options.maxDtS ?? 10;
  const bins = Math.max(1, Math.ceil((toSpm - fromSpm) / binWidthSpm));
  const timeS = new Array<number>(bins).fill(0);
  if (isRunning(activity) && activity.cadence.detected !== 'none') {
    const { timeS: t, speedMps, cadenceSpm, length } = activity.samples;
    for (let i = 1; i < length; i++) {
      const c = cadenceSpm[i]!;
      const v = speedMps[i]!;
      if (!(c >= minCadence) || !(v >= minSpeed)) continue;
      const dt = Math.min(maxDt, t[i]! - t[i - 1]!);
      if (!(dt > 0)) continue;
      const k = Math.min(bins - 1, Math.max(0, Math.floor((c - fromSpm) / binWidthSpm)));
      timeS[k]! += dt;
    }
  }
  return { fromSpm, binWidthSpm, timeS };
}

/**
 * Sum of histograms with the same bins, in the order given (sort the list
 * first for results independent of reading order). `null` for an empty list.
 *
 * @throws {RangeError} when the histograms have different bins.
 * @example
 * mergeCadenceHistograms([a, b]).timeS[10]; // a.timeS[10] + b.timeS[10]
 */
export function mergeCadenceHistograms(histograms: readonly CadenceHistogram[]): CadenceHistogram | null {
  const first = histograms[0];
  if (first === undefined) return null;
  const timeS = new Array<number>(first.timeS.length).fill(0);
  for (const h of histograms) {
    if (h.fromSpm !== first.fromSpm || h.binWidthSpm !== first.binWidthSpm || h.timeS.length !== first.timeS.length) {
      throw new RangeError('cadence histograms with different bins cannot be merged');
    }
    h.timeS.forEach((v, i) => {
      timeS[i]! += v;
    });
  }
  return { fromSpm: first.fromSpm, binWidthSpm: first.binWidthSpm, timeS };
}

/** Options of {@link elevationProfileOf}. */
export interface ElevationProfileOptions {
  /** Number of distance bins (points of the profile). Default 400. */
  readonly points?: number;
  /** Why the run was chosen. Default `most-descent`. */
  readonly chosenBy?: ElevationProfile['chosenBy'];
}

/**
 * A distance-resampled elevation profile: the run's distance is cut into
 * equal bins and each point is the mean altitude of the samples in its bin
 * (averaging also damps GPS altitude noise). `null` when the run has no
 * altitude with distance.
 *
 * @example
 * const p = elevationProfileOf(activity, { points: 200 });
 * p?.distanceM.length; // 200
 */
export function elevationProfileOf(activity: Activity, options: ElevationProfileOptions = {}): ElevationProfile | null {
  const { distanceM: d, altitudeM: h, length } = activity.samples;
  let dMin = Infinity;
  let dMax = -Infinity;
  let usable = 0;
  for (let i = 0; i < length; i++) {
    const di = d[i]!;
    if (!Number.isFinite(di) || !Number.isFinite(h[i]!)) continue;
    usable++;
    if (di < dMin) dMin = di;
    if (di > dMax) dMax = di;
  }
  if (usable < 2 || !(dMax > dMin)) return null;
  const points = Math.max(2, Math.min(options.points ?? 400, usable));
  const width = (dMax - dMin) / points;
  const sum = new Float64Array(points);
  const n = new Uint32Array(points);
  for (let i = 0; i < length; i++) {
    const di = d[i]!;
    const hi = h[i]!;
    if (!Number.isFinite(di) || !Number.isFinite(hi)) continue;
    const k = Math.min(points - 1, Math.floor((di - dMin) / width));
    sum[k]! += hi;
    n[k]!++;
  }
  const distanceM: number[] = [];
  const altitudeM: (number | null)[] = [];
  for (let k = 0; k < points; k++) {
    distanceM.push(dMin + (k + 0.5) * width);
    altitudeM.push(n[k]! > 0 ? sum[k]! / n[k]! : null);
  }
  return { activityId: activity.id, chosenBy: options.chosenBy ?? 'most-descent', distanceM, altitudeM };
}
