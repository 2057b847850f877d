/**
 * Small per-activity chart data that needs the samples of an
 * {@link Activity}: a cadence histogram and a distance-resampled elevation
 * profile of bounded size. Computed while the samples are still in memory
 * (in an export worker, next to `summarizeActivity`), so only these few
 * hundred numbers outlive the samples.
 */
import type { Activity } from '../activity.js';
import type { ActivitySummary } from './types.js';

/** Running time per cadence bin (same shape as the report's cadence distribution). */
export interface CadenceHistogram {
  /** Lower edge of the first bin, steps/min. */
  readonly fromSpm: number;
  /** Bin width, steps/min. */
  readonly binWidthSpm: number;
  /** Seconds of running per bin. */
  readonly timeS: readonly number[];
}

/** A run's altitude against distance, resampled to a few hundred points (same shape as the report's elevation profile). */
export interface ElevationProfile {
  /** The run it belongs to (`ActivitySummary.id`). */
  readonly activityId: string;
  /** Why this run was chosen: the hilliest (most descent), or named by the user. */
  readonly chosenBy: 'most-descent' | 'user';
  /** Distance from the start in metres, increasing. */
  readonly distanceM: readonly number[];
  /** Mean altitude in metres over each distance bin, `null` where the bin had none. */
  readonly altitudeM: readonly (number | null)[];
}

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

/** Which per-activity extras {@link activityExtrasOf} computes. */
export interface ExtrasRequest {
  /** A {@link cadenceHistogramOf} histogram (default bins) of every running activity. Default `false`. */
  readonly cadenceHistogram?: boolean;
  /**
   * An {@link elevationProfileOf} profile of every running activity with a
   * descent above 0 m (the candidates for "the hilliest run"), and of the
   * running activity whose id is {@link ExtrasRequest.profileActivityId}.
   * Default `false`.
   */
  readonly elevationProfile?: boolean;
  /** Most points of each profile (1 point = one distance bin), 2 to 10 000. Default 400. */
  readonly elevationProfilePoints?: number;
  /** Id of a running activity whose profile is wanted even without descent. Default none. */
  readonly profileActivityId?: string | null;
  /**
   * Which profiles a whole export keeps (`analyzeExport`; a single activity
   * ignores it): `'all'` candidates, or `'hilliest'`: only the running
   * activity with the most descent (ties: smaller id, then file) dated
   * {@link ExtrasRequest.hilliestFromDate} or later, plus the
   * {@link ExtrasRequest.profileActivityId} one. Workers still compute every
   * candidate; the others are dropped as they arrive, so an export of any
   * size holds one or two profiles. Default `'all'`.
   */
  readonly keepProfiles?: 'all' | 'hilliest';
  /** With `keepProfiles: 'hilliest'`: first local date (`YYYY-MM-DD`) that competes; undated activities then do not. Default: every date. */
  readonly hilliestFromDate?: string | null;
  /** A {@link runTraceOf} trace (series against distance, splits) of every running activity. Default `false`. */
  readonly runTrace?: boolean;
  /** Most points of each trace's series, 10 to 1 000. Default {@link RUN_TRACE_POINTS}. */
  readonly runTracePoints?: number;
  /** Maximum heart rate, beats/min: each trace then holds its time per heart-rate zone (`HEART_RATE_ZONES`). Default none. */
  readonly maxHeartRateBpm?: number;
}

/** Small chart data of one activity, next to its summary: a few hundred numbers at most, never samples. */
export interface ActivityExtras {
  /** `ActivitySummary.id` of the activity. */
  readonly activityId: string;
  /** Running time per cadence bin; `null` when not asked for or not a running activity. */
  readonly cadenceHistogram: CadenceHistogram | null;
  /** Resampled profile (`chosenBy: 'most-descent'`); `null` when not asked for, not a candidate, or without altitude. */
  readonly elevationProfile: ElevationProfile | null;
  /** Series and splits of a running activity; absent or `null` when not asked for or not a run with distance. */
  readonly runTrace?: RunTrace | null;
}

/**
 * The extras of one activity for a request, from the activity (samples still
 * in memory) and its summary (`activityClass`, `elevation.descentM`, `id`).
 * Deterministic: the same activity always gives the same numbers.
 *
 * @throws {RangeError} when `elevationProfilePoints` is not a whole number from 2 to 10 000.
 * @example
 * const summary = summarizeActivity(activity);
 * const extras = activityExtrasOf(activity, summary, { cadenceHistogram: true, elevationProfile: true });
 * extras.elevationProfile?.distanceM.length; // ≤ 400
 */
export function activityExtrasOf(activity: Activity, summary: ActivitySummary, request: ExtrasRequest): ActivityExtras {
  const points = request.elevationProfilePoints ?? 400;
  if (!Number.isInteger(points) || points < 2 || points > 10_000) {
    throw new RangeError(`elevationProfilePoints must be a whole number from 2 to 10000, got ${String(points)}`);
  }
  const running = summary.activityClass === 'running';
  const descentM = summary.elevation.descentM;
  const candidate =
    running &&
    request.elevationProfile === true &&
    ((descentM !== null && Number.isFinite(descentM) && descentM > 0) ||
      (request.profileActivityId !== undefined && request.profileActivityId !== null && summary.id === request.profileActivityId));
  return {
    activityId: summary.id,
    cadenceHistogram: running && request.cadenceHistogram === true ? cadenceHistogramOf(activity) : null,
    elevationProfile: candidate ? elevationProfileOf(activity, { points }) : null,
    ...(request.runTrace === true
      ? {
          runTrace: running
            ? runTraceOf(activity, {
                points: request.runTracePoints ?? RUN_TRACE_POINTS,
                ...(request.maxHeartRateBpm !== undefined ? { maxHeartRateBpm: request.maxHeartRateBpm } : {}),
              })
            : null,
        }
      : {}),
  };
}

/** Default number of distance bins of a {@link RunTrace}. */
export const RUN_TRACE_POINTS = 100;

/** One split (a whole km or mile, the last one shorter) of a run. */
export interface RunSplit {
  /** Distance covered in the split, m (the unit, or less for the last one). */
  readonly distanceM: number;
  /** Moving time of the split (gaps over 10 s counted as 10 s), s. */
  readonly timeS: number;
  /** Time-weighted cadence over running samples (card C1 filter), steps/min; `null` without. */
  readonly cadenceSpm: number | null;
  /** Running distance ÷ steps taken, m; `null` without cadence. */
  readonly stepLengthM: number | null;
  /** Mean heart rate, beats/min; `null` without. */
  readonly heartRateBpm: number | null;
  /** Altitude change ÷ distance, fraction (−0.05 = −5 %); `null` without altitude. */
  readonly grade: number | null;
}

/** Heart rate and grade of one lap (the activity's lap of the same index), for a run view's lap table. */
export interface RunLap {
  /** Time-weighted mean heart rate over the lap (gaps over 10 s counted as 10 s), beats/min; `null` without. */
  readonly heartRateBpm: number | null;
  /**
   * Altitude change ÷ distance over the lap, fraction (0.05 = 5 % up), from the
   * last sample at or before the lap start to the last sample in the lap
   * (both with altitude and distance); `null` without altitude or under 50 m.
   */
  readonly grade: number | null;
}

/**
 * One run's series against distance, for a run view: equal distance bins
 * with the time-weighted mean of each column over the running samples
 * (card C1 filter: speed ≥ 1.5 m/s, and cadence ≥ 140 spm where cadence
 * exists), plus splits per kilometre and per mile. Values are rounded to
 * what a chart can show (cadence and heart rate whole, speed 0.01 m/s,
 * altitude 0.1 m) so that a thousand runs embed in a few megabytes.
 */
export interface RunTrace {
  readonly activityId: string;
  /** Width of one distance bin, m; bin k covers `[k·binM, (k+1)·binM)` from the first sample's distance. */
  readonly binM: number;
  readonly cadenceSpm: readonly (number | null)[];
  readonly speedMps: readonly (number | null)[];
  readonly heartRateBpm: readonly (number | null)[];
  /** Mean altitude over the bin (all samples, running or not), m. */
  readonly altitudeM: readonly (number | null)[];
  readonly splitsKm: readonly RunSplit[];
  readonly splitsMi: readonly RunSplit[];
  /** Seconds per heart-rate zone (`HEART_RATE_ZONES`), when a maximum heart rate was given and the run has heart rate. */
  readonly heartRateZonesS?: readonly number[];
  /** One per lap of the activity, same order, when it has two laps or more (`runLapsOf`). */
  readonly laps?: readonly RunLap[];
}

/** First position `p` with `t[p] > x` in non-decreasing `t` (NaN counts as after everything). */
function firstAfterTime(t: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = t[mid]!;
    if (v > x || Number.isNaN(v)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Heart rate and grade per lap. A lap holds the samples with
 * `startS < t ≤ endS`, as for lap cadence (`lapCadence`). Linear in samples
 * plus laps × log(samples) whatever the laps (overlapping or nested ones
 * too): heart rate comes from running totals, each lap's range from a binary
 * search, its end points from the nearest samples with altitude and
 * distance. Sample times out of order (the parsers never give them) give
 * `null` for every lap.
 *
 * @example
 * // laps 0–600 s at 140 bpm on the flat, 600–1200 s at 170 bpm climbing 0.15 m/s at 3 m/s
 * runLapsOf(activity) // [{ heartRateBpm: 140, grade: 0 }, { heartRateBpm: 170, grade: 0.05 }]
 */
export function runLapsOf(activity: Activity): RunLap[] {
  const { timeS: t, distanceM: d, heartRateBpm, altitudeM, length: n } = activity.samples;
  const laps = activity.laps;
  const none = (): RunLap[] => laps.map(() => ({ heartRateBpm: null, grade: null }));
  for (let i = 1; i < n; i++) if (!(t[i]! >= t[i - 1]!)) return none();
  // running totals of heart rate × time and time with heart rate, position p = samples before p
  const hrW = new Float64Array(n + 1);
  const hrWT = new Float64Array(n + 1);
  // last sample at or before p with altitude and distance (−1: none)
  const lastWith = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const dtRaw = i > 0 ? t[i]! - t[i - 1]! : 0;
    const dt = Number.isFinite(dtRaw) && dtRaw > 0 ? Math.min(10, dtRaw) : 0;
    const hr = heartRateBpm[i]!;
    const counted = hr > 0 && Number.isFinite(hr) && dt > 0;
    hrW[i + 1] = hrW[i]! + (counted ? dt : 0);
    hrWT[i + 1] = hrWT[i]! + (counted ? hr * dt : 0);
    lastWith[i] = Number.isFinite(altitudeM[i]!) && Number.isFinite(d[i]!) ? i : i > 0 ? lastWith[i - 1]! : -1;
  }
  // first sample at or after p with altitude and distance (n: none)
  const nextWith = new Int32Array(n + 1).fill(n);
  for (let i = n - 1; i >= 0; i--) nextWith[i] = lastWith[i] === i ? i : nextWith[i + 1]!;
  return laps.map((lap) => {
    if (Number.isNaN(lap.startS) || Number.isNaN(lap.endS)) return { heartRateBpm: null, grade: null };
    const lo = firstAfterTime(t, lap.startS);
    const hi = Math.max(lo, firstAfterTime(t, lap.endS));
    const w = hrW[hi]! - hrW[lo]!;
    const heartRateBpm = w > 0 ? roundTo((hrWT[hi]! - hrWT[lo]!) / w, 1) : null;
    let grade: number | null = null;
    if (hi > lo) {
      const end = lastWith[hi - 1]!;
      // the start: the last sample at or before the lap start, else the lap's first one with altitude
      let start = lo > 0 ? lastWith[lo - 1]! : -1;
      if (start < 0 && nextWith[lo]! < hi) start = nextWith[lo]!;
      const runM = start >= 0 && end > start ? d[end]! - d[start]! : 0;
      if (runM > 50) grade = roundTo((altitudeM[end]! - altitudeM[start]!) / runM, 0.001);
    }
    return { heartRateBpm, grade };
  });
}

/**
 * Lower edges of the five heart-rate zones as shares of the maximum heart
 * rate (zone 1 also holds everything below 60 %): the common %HRmax scheme
 * of watch makers; zones are display only, no rule uses them.
 */
export const HEART_RATE_ZONES = [0, 0.6, 0.7, 0.8, 0.9] as const;

/** Options of {@link runTraceOf}. */
export interface RunTraceOptions {
  /** Most distance bins, 10 to 1 000. Default {@link RUN_TRACE_POINTS}. */
  readonly points?: number;
  /** Maximum heart rate, beats/min: adds the time per heart-rate zone. Default none. */
  readonly maxHeartRateBpm?: number;
}

function roundTo(value: number, step: number): number {
  const inv = Math.round(1 / step);
  return Math.round(value * inv) / inv;
}

class Acc {
  t = 0;
  cad = 0;
  cadT = 0;
  runDist = 0;
  spd = 0;
  spdT = 0;
  hr = 0;
  hrT = 0;
  alt = 0;
  altN = 0;
  add(dt: number, dd: number, v: number, c: number, hr: number, h: number, running: boolean): void {
    this.t += dt;
    if (running) {
      this.spd += v * dt;
      this.spdT += dt;
      if (c > 0) {
        this.cad += c * dt;
        this.cadT += dt;
        this.runDist += dd;
      }
    }
    if (hr > 0) {
      this.hr += hr * dt;
      this.hrT += dt;
    }
    if (Number.isFinite(h)) {
      this.alt += h;
      this.altN++;
    }
  }
}

/**
 * The {@link RunTrace} of an activity, or `null` when it has fewer than two
 * samples with distance. Bounded: at most `points` bins and one split per
 * whole km or mile.
 *
 * @example
 * const trace = runTraceOf(activity); // { binM: 83.4, cadenceSpm: [172, 174, ...120 values], splitsKm: [...] }
 */
export function runTraceOf(activity: Activity, options: RunTraceOptions = {}): RunTrace | null {
  const points = Math.max(10, Math.min(1000, Math.floor(options.points ?? RUN_TRACE_POINTS)));
  const { timeS: t, distanceM: d, speedMps, cadenceSpm, heartRateBpm, altitudeM, length } = activity.samples;
  let d0 = NaN;
  let d1 = NaN;
  for (let i = 0; i < length; i++) {
    const di = d[i]!;
    if (!Number.isFinite(di)) continue;
    if (!Number.isFinite(d0)) d0 = di;
    d1 = di;
  }
  if (!(d1 > d0)) return null;
  const hasCadence = activity.cadence.detected !== 'none';
  const binM = (d1 - d0) / points;
  const bins = Array.from({ length: points }, () => new Acc());
  const splitAcc = (): { acc: Acc[]; startAlt: number[]; endAlt: number[] } => ({ acc: [], startAlt: [], endAlt: [] });
  const km = splitAcc();
  const mi = splitAcc();
  const units: [number, ReturnType<typeof splitAcc>][] = [
    [1000, km],
    [1609.344, mi],
  ];
  let prevD = NaN;
  const hrMax = options.maxHeartRateBpm;
  const zones = hrMax !== undefined && hrMax > 0 ? [0, 0, 0, 0, 0] : null;
  for (let i = 0; i < length; i++) {
    const di = d[i]!;
    if (!Number.isFinite(di)) continue;
    const dtRaw = i > 0 ? t[i]! - t[i - 1]! : 0;
    const dt = Number.isFinite(dtRaw) && dtRaw > 0 ? Math.min(10, dtRaw) : 0;
    const dd = Number.isFinite(prevD) ? Math.max(0, di - prevD) : 0;
    prevD = di;
    const v = speedMps[i]!;
    const c = cadenceSpm[i]!;
    const running = v >= 1.5 && (!hasCadence || c >= 140);
    const cad = hasCadence && running && Number.isFinite(c) ? c : 0;
    const hr = heartRateBpm[i]!;
    const h = altitudeM[i]!;
    if (zones !== null && hr > 0 && dt > 0) {
      let z = HEART_RATE_ZONES.length - 1;
      while (z > 0 && hr < HEART_RATE_ZONES[z]! * hrMax!) z--;
      zones[z]! += dt;
    }
    const rel = di - d0;
    bins[Math.min(points - 1, Math.floor(rel / binM))]!.add(dt, dd, v, cad, Number.isFinite(hr) ? hr : 0, h, running);
    for (const [unitM, s] of units) {
      const k = Math.min(Math.floor(rel / unitM), Math.max(0, Math.ceil((d1 - d0) / unitM) - 1));
      while (s.acc.length <= k) s.acc.push(new Acc());
      s.acc[k]!.add(dt, dd, v, cad, Number.isFinite(hr) ? hr : 0, h, running);
      if (Number.isFinite(h)) {
        if (s.startAlt[k] === undefined) s.startAlt[k] = h;
        s.endAlt[k] = h;
      }
    }
  }
  const mean = (sum: number, w: number, step: number): number | null => (w > 0 ? roundTo(sum / w, step) : null);
  const splits = (unitM: number, s: ReturnType<typeof splitAcc>): RunSplit[] =>
    s.acc.map((a, k) => {
      const distanceM = Math.min(unitM, d1 - d0 - k * unitM);
      const steps = a.cad / 60;
      const h0 = s.startAlt[k];
      const h1 = s.endAlt[k];
      return {
        distanceM: roundTo(distanceM, 0.1),
        timeS: roundTo(a.t, 0.1),
        cadenceSpm: mean(a.cad, a.cadT, 0.1),
        stepLengthM: steps > 0 ? roundTo(a.runDist / steps, 0.001) : null,
        heartRateBpm: mean(a.hr, a.hrT, 1),
        grade: h0 !== undefined && h1 !== undefined && distanceM > 50 ? roundTo((h1 - h0) / distanceM, 0.001) : null,
      };
    });
  return {
    activityId: activity.id,
    binM: roundTo(binM, 0.01),
    cadenceSpm: bins.map((b) => mean(b.cad, b.cadT, 1)),
    speedMps: bins.map((b) => mean(b.spd, b.spdT, 0.01)),
    heartRateBpm: bins.map((b) => mean(b.hr, b.hrT, 1)),
    altitudeM: bins.map((b) => (b.altN > 0 ? roundTo(b.alt / b.altN, 0.1) : null)),
    splitsKm: splits(1000, km),
    splitsMi: splits(1609.344, mi),
    ...(zones !== null && zones.some((z) => z > 0) ? { heartRateZonesS: zones.map((z) => roundTo(z, 1)) } : {}),
    ...(activity.laps.length > 1 ? { laps: runLapsOf(activity) } : {}),
  };
}
