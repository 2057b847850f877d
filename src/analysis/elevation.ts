/**
 * Elevation (science cards D1–D3): altitude source by noise, resampling by
 * distance, despiking, smoothing, ascent/descent with hysteresis, grade, and
 * downhill segments by a hysteresis state machine.
 *
 * Choices, stated once: raw spikes (> 25 m off the ±30 s median) dropped;
 * height changes across timer pauses ignored; resampling step 5 m; median
 * filter over 5 points (25 m); smoothing over 40 m with a quadratic
 * Savitzky–Golay filter (barometric) or a 120 m centred moving average (GPS);
 * hysteresis 3 m (barometric, the GoldenCheetah default) or 7 m (GPS, middle
 * of the 5–10 m range in card D1); grade over 50 m (barometric) or 100 m (GPS),
 * clamped to ±45 %.
 */
import type { Activity } from '../activity.js';
import type { ResolvedAnalysisOptions } from './options.js';
import { indexPauses, pauseOverlaps } from './pauses.js';
import { STATIONARY_SPEED_MPS, type SampleView } from './samples.js';
import { median } from './stats.js';

/** Distance step of the resampled profile, m (card D1 step 3). */
export const RESAMPLE_STEP_M = 5;
/** Parameters per altitude source. */
export const ELEVATION_PARAMS = Object.freeze({
  baro: Object.freeze({ smoothWindowM: 40, hysteresisM: 3, gradeBaseM: 50, minDropM: 10 }),
  gps: Object.freeze({ smoothWindowM: 120, hysteresisM: 7, gradeBaseM: 100, minDropM: 15 }),
});
/** Grades are clamped to ±45 % (card D2, the range of Minetti's data). */
export const MAX_ABS_GRADE = 0.45;
/**
 * Most points of the resampled profile: 200,000 (1,000 km at 5 m), or 50 per
 * sample (250 m per sample on average) when that is more. A position or
 * distance glitch can put thousands of km between two samples; the profile
 * must stay bounded by the samples, not by the glitch (a 9-point GPX with
 * antipodal fixes took 19 s and 2 GB before this bound).
 */
export const MAX_PROFILE_POINTS = 200_000;
export const MAX_PROFILE_POINTS_PER_SAMPLE = 50;

/**
 * Lowest altitude taken as real, m. The lowest dry land (the Dead Sea shore)
 * lies at about −430 m; FIT stores altitude as (m + 500) × 5, so an empty
 * raw 0 reads −500 m and must not become a valley.
 */
export const MIN_PLAUSIBLE_ALTITUDE_M = -450;
/**
 * Fastest vertical speed a runner produces while moving, m/s. The vertical
 * kilometre record climbs at about 0.6 m/s and fast descents on steep trails
 * reach about 1 m/s; a GPS or barometer excursion at 1.5 m/s at an
 * unchanged pace is no terrain. Deviation from card D1: the card has no
 * such step; it was added after real files showed −59 m dips at 51° N.
 */
export const MAX_VERTICAL_SPEED_MPS = 1.0;
/** Largest lag-1 noise a 0.2 m altitude dither explains (|±0.2 − ∓0.2| plus rounding), m. */
export const DITHER_MAX_NOISE_M = 0.5;
/** Window over which the vertical speed is measured, s (20 s keeps GPS jitter of a few metres from deciding). */
export const VERTICAL_WINDOW_S = 20;
/** Altitude noise allowed on top of the vertical speed within one window, m. */
export const VERTICAL_NOISE_M = 3;
/** Smallest net height change of a stretch treated as impossible, m. */
export const MIN_EXCURSION_M = 10;

/** What {@link repairAltitudeExcursions} changed. */
export interface ExcursionRepair {
  /** Stretches of impossible vertical speed removed (a dip and its return are two). */
  readonly stretches: number;
  /** Points whose altitude was replaced by interpolation. */
  readonly pointsReplaced: number;
}

/**
 * Removes height changes no runner can produce (card D1, added step): within
 * any {@link VERTICAL_WINDOW_S} window the altitude may change by at most
 * 1.0 m/s × Δt + 3 m. Each stretch that breaks it is trimmed to its steep
 * steps (over 1.0 m/s from one point to the next) and, when it nets ≥ 10 m,
 * removed: the points after it are shifted back by its height change and the
 * points inside are interpolated linearly by distance. A dip that comes back
 * (down at 1.5 m/s, along, up at 1.5 m/s) thus leaves the track at its level,
 * keeping whatever real relief lies between; a lone jump (a barometer or
 * phone altitude resetting) is taken out alike. Works in place on the point
 * series `h` (times `t`, s; distances `d`, m; points without a time are left
 * alone). Linear in points.
 * @example
 * // 1 Hz at 3 m/s, flat at 100 m, except a 60 s fall to 10 m, 60 s there and 60 s back up
 * repairAltitudeExcursions(t, d, h) // { stretches: 2, pointsReplaced: ≈ 118 }; every point back at 100 m
 */
export function repairAltitudeExcursions(t: Float64Array, d: Float64Array, h: Float64Array): ExcursionRepair {
  const m = h.length;
  const diff = new Int32Array(m + 1);
  let p = 0;
  for (let q = 1; q < m; q++) {
    const tq = t[q]!;
    if (!Number.isFinite(tq)) continue;
    while (p < q && (!Number.isFinite(t[p]!) || tq - t[p]! > VERTICAL_WINDOW_S)) p++;
    if (p >= q) continue;
    const dt = tq - t[p]!;
    // no time between the points (repeated or missing stamps): no vertical speed to judge
    if (!(dt > 0)) continue;
    if (Math.abs(h[q]! - h[p]!) > MAX_VERTICAL_SPEED_MPS * dt + VERTICAL_NOISE_M) {
      diff[p + 1] = diff[p + 1]! + 1;
      diff[q + 1] = diff[q + 1]! - 1;
    }
  }
  // A window marks up to 20 s of good points around a jump: trim each stretch to its steep steps.
  const steep = (q: number): boolean => {
    const dt = t[q]! - t[q - 1]!;
    return dt > 0 && Math.abs(h[q]! - h[q - 1]!) > MAX_VERTICAL_SPEED_MPS * dt;
  };
  let stretches = 0;
  let pointsReplaced = 0;
  let acc = 0;
  let start = -1;
  for (let q = 0; q <= m; q++) {
    acc += diff[q]!;
    const marked = q < m && acc > 0;
    if (marked && start < 0) start = q;
    if (marked || start < 0) continue;
    let a = start;
    let b = q - 1;
    start = -1;
    while (a <= b && !steep(a)) a++;
    while (b >= a && !steep(b)) b--;
    if (a > b) continue;
    // h[a − 1] is the last good point before the stretch, h[b] the first after it
    const jump = h[b]! - h[a - 1]!;
    if (Math.abs(jump) < MIN_EXCURSION_M) continue;
    stretches++;
    // everything from b on moves back by the jump; points a … b − 1 go on the line from a − 1 to b
    for (let k = b; k < m; k++) h[k] = h[k]! - jump;
    const d0 = d[a - 1]!;
    const span = d[b]! - d0;
    for (let k = a; k < b; k++) {
      const f = span > 0 ? (d[k]! - d0) / span : (k - a + 1) / (b - a + 1);
      h[k] = h[a - 1]! + f * (h[b]! - h[a - 1]!);
      pointsReplaced++;
    }
  }
  return { stretches, pointsReplaced };
}

/** A downhill found on the resampled profile (distances as in the file's distance column). */
export interface RawDownhill {
  readonly startX: number;
  readonly endX: number;
  readonly startTimeS: number;
  readonly endTimeS: number;
  readonly dropM: number;
  readonly meanGrade: number;
  /** Steepest (most negative) grade inside. */
  readonly maxGrade: number;
}

/** Result of the elevation pass. */
export interface ElevationResult {
  readonly source: 'baro' | 'gps' | 'none';
  readonly skippedReason: string | null;
  /** Median |second difference| used for the baro/GPS decision, m (NaN when not measured). */
  readonly noiseM: number;
  readonly ascentM: number;
  readonly descentM: number;
  readonly downhillDistanceM: number;
  readonly steepDownhillDistanceM: number;
  readonly downhills: readonly RawDownhill[];
  /** Grade at each sample (NaN where unknown). */
  readonly gradeAtSample: Float64Array;
  /** Raw altitude samples dropped by the spike filter. */
  readonly spikesRemoved: number;
  /** Stretches of vertical speed no runner produces, removed. */
  readonly excursions: ExcursionRepair;
  /** Samples below −450 m (FIT's empty altitude reads −500 m) ignored. */
  readonly implausibleAltitudes: number;
}

function skipped(n: number, reason: string): ElevationResult {
  const g = new Float64Array(n);
  g.fill(Number.NaN);
  return {
    source: 'none',
    skippedReason: reason,
    noiseM: Number.NaN,
    ascentM: Number.NaN,
    descentM: Number.NaN,
    downhillDistanceM: 0,
    steepDownhillDistanceM: 0,
    downhills: [],
    gradeAtSample: g,
    spikesRemoved: 0,
    excursions: { stretches: 0, pointsReplaced: 0 },
    implausibleAltitudes: 0,
  };
}

/**
 * Centred median over `k` points (odd), truncated at the ends.
 * @example medianFilter(Float64Array.of(1, 1, 9, 1, 1), 5) // [1, 1, 1, 1, 1]
 */
export function medianFilter(y: Float64Array, k: number): Float64Array {
  const h = k >> 1;
  const out = new Float64Array(y.length);
  const buf = new Float64Array(k);
  for (let i = 0; i < y.length; i++) {
    const a = Math.max(0, i - h);
    const b = Math.min(y.length - 1, i + h);
    const m = b - a + 1;
    // insertion sort of at most k values: cheaper than a general sort for k = 5
    for (let j = 0; j < m; j++) {
      const v = y[a + j]!;
      let q = j - 1;
      while (q >= 0 && buf[q]! > v) {
        buf[q + 1] = buf[q]!;
        q--;
      }
      buf[q + 1] = v;
    }
    out[i] = m % 2 === 1 ? buf[m >> 1]! : (buf[(m >> 1) - 1]! + buf[m >> 1]!) / 2;
  }
  return out;
}

/**
 * Centred moving average over `k` points (odd), truncated symmetrically at the ends so no slope is invented there.
 * @example movingAverage(Float64Array.of(0, 3, 0), 3) // [0, 1, 0]
 */
export function movingAverage(y: Float64Array, k: number): Float64Array {
  const n = y.length;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + y[i]!;
  const out = new Float64Array(n);
  const h = k >> 1;
  for (let i = 0; i < n; i++) {
    const r = Math.min(h, i, n - 1 - i);
    out[i] = (prefix[i + r + 1]! - prefix[i - r]!) / (2 * r + 1);
  }
  return out;
}

/**
 * Savitzky–Golay smoothing, quadratic, over `k` points (odd): weights
 * cⱼ = (3(3m² + 3m − 1) − 15j²) / ((2m − 1)(2m + 1)(2m + 3)), m = (k − 1)/2.
 * Keeps the height of summits and valleys that a moving average flattens.
 * Near the ends the window shrinks symmetrically.
 * @example savitzkyGolay(Float64Array.of(0, 0, 0, 10, 0, 0, 0), 5)[3] // 10 × 17/35 ≈ 4.86
 */
export function savitzkyGolay(y: Float64Array, k: number): Float64Array {
  const n = y.length;
  const out = new Float64Array(n);
  const h = k >> 1;
  const weights: Float64Array[] = [];
  for (let m = 0; m <= h; m++) {
    const w = new Float64Array(2 * m + 1);
    if (m === 0) w[0] = 1;
    else {
      const den = (2 * m - 1) * (2 * m + 1) * (2 * m + 3);
      for (let j = -m; j <= m; j++) w[j + m] = (3 * (3 * m * m + 3 * m - 1) - 15 * j * j) / den;
    }
    weights.push(w);
  }
  for (let i = 0; i < n; i++) {
    const m = Math.min(h, i, n - 1 - i);
    const w = weights[m]!;
    let acc = 0;
    for (let j = -m; j <= m; j++) acc += w[j + m]! * y[i + j]!;
    out[i] = acc;
  }
  return out;
}

/**
 * Total ascent and descent with a hysteresis deadband: a rise or fall counts
 * only once it exceeds `hysteresisM` from the last confirmed extreme, and then
 * counts in full (extreme to extreme).
 * @example ascentDescentM(Float64Array.of(0, 10, 8, 20, 0), 3) // { ascentM: 20, descentM: 20 } (the 2 m dip is noise)
 */
export function ascentDescentM(h: ArrayLike<number>, hysteresisM: number): { ascentM: number; descentM: number } {
  let ascentM = 0;
  let descentM = 0;
  if (h.length === 0) return { ascentM, descentM };
  let dir = 0;
  let lo = h[0]!;
  let hi = h[0]!;
  let anchor = h[0]!;
  let ext = h[0]!;
  for (let i = 1; i < h.length; i++) {
    const x = h[i]!;
    if (dir === 0) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
      if (x - lo >= hysteresisM) {
        dir = 1;
        anchor = lo;
        ext = x;
      } else if (hi - x >= hysteresisM) {
        dir = -1;
        anchor = hi;
        ext = x;
      }
    } else if (dir === 1) {
      if (x > ext) ext = x;
      else if (ext - x >= hysteresisM) {
        ascentM += ext - anchor;
        anchor = ext;
        ext = x;
        dir = -1;
      }
    } else if (x < ext) ext = x;
    else if (x - ext >= hysteresisM) {
      descentM += anchor - ext;
      anchor = ext;
      ext = x;
      dir = 1;
    }
  }
  if (dir === 1) ascentM += ext - anchor;
  if (dir === -1) descentM += anchor - ext;
  return { ascentM, descentM };
}

/** Centred grade over a base of `2·halfPts` resampled points, clamped to ±45 %. */
function gradeSeries(h: Float64Array, halfPts: number, ds: number): Float64Array {
  const n = h.length;
  const g = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const a = Math.max(0, k - halfPts);
    const b = Math.min(n - 1, k + halfPts);
    const run = (b - a) * ds;
    g[k] = run > 0 ? Math.max(-MAX_ABS_GRADE, Math.min(MAX_ABS_GRADE, (h[b]! - h[a]!) / run)) : 0;
  }
  return g;
}

/**
 * Downhill segments on a distance-resampled grade series (card D3): enter at
 * grade ≤ `enter`, leave once grade stays above `exit` for `exitHoldM`;
 * merge gaps under `mergeGapM`; keep length ≥ `minLengthM` and drop ≥ `minDropM`.
 * Returns index ranges [start, end] into the series.
 * @example
 * // 5 m steps, grade −8 % from 100 m to 400 m on a 500 m profile: one range [20, 80] (indices)
 * findDownhillRanges(x, h, grade, { enter: -0.05, exit: -0.03, exitHoldM: 30, mergeGapM: 50, minLengthM: 200, minDropM: 10 })
 */
export function findDownhillRanges(
  x: ArrayLike<number>,
  h: ArrayLike<number>,
  grade: ArrayLike<number>,
  p: { enter: number; exit: number; exitHoldM: number; mergeGapM: number; minLengthM: number; minDropM: number },
): Array<[number, number]> {
  const raw: Array<[number, number]> = [];
  let inside = false;
  let start = 0;
  let above = -1;
  for (let k = 0; k < grade.length; k++) {
    const g = grade[k]!;
    if (!inside) {
      if (g <= p.enter) {
        inside = true;
        start = k;
        above = -1;
      }
      continue;
    }
    if (g > p.exit) {
      if (above < 0) above = k;
      if (x[k]! - x[above]! >= p.exitHoldM) {
        raw.push([start, above]);
        inside = false;
      }
    } else above = -1;
  }
  if (inside) raw.push([start, above >= 0 ? above : grade.length - 1]);
  const merged: Array<[number, number]> = [];
  for (const r of raw) {
    const last = merged[merged.length - 1];
    if (last !== undefined && x[r[0]]! - x[last[1]]! < p.mergeGapM) last[1] = r[1];
    else merged.push([r[0], r[1]]);
  }
  return merged.filter(([a, b]) => x[b]! - x[a]! >= p.minLengthM && h[a]! - h[b]! >= p.minDropM);
}

/** Half-width of the time window of the raw-altitude spike filter, s. */
export const SPIKE_WINDOW_HALF_S = 30;
/**
 * Largest deviation from the ±30 s median kept, m. A runner climbs at most
 * about 1.4 m/s (3 m/s up a 45 % grade), so a summit or valley sits at most
 * ~20 m from the median of a symmetric 60 s window; 25 m leaves room.
 */
export const SPIKE_MAX_DEVIATION_M = 25;

/**
 * Marks raw altitude samples that sit more than 25 m from the median of the
 * samples within ±30 s (a Hampel-style filter in time). Catches barometer
 * jumps at the start of a recording (card D1 edge case) that span several
 * samples, which the 5-point median on the resampled series cannot remove.
 * @example altitudeSpikes([0, 1, 2, 3, 4, 5], [55, 142, 55, 55, 55, 55], [0, 1, 2, 3, 4, 5]) // Set {1}
 */
export function altitudeSpikes(timeS: ArrayLike<number>, altitudeM: ArrayLike<number>, idx: readonly number[]): Set<number> {
  const out = new Set<number>();
  // Sliding window kept sorted: insert on the right, remove on the left, O(window) each.
  const sorted: number[] = [];
  const insert = (v: number): void => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    sorted.splice(lo, 0, v);
  };
  const remove = (v: number): void => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    sorted.splice(lo, 1);
  };
  let lo = 0;
  let hi = 0;
  for (let q = 0; q < idx.length; q++) {
    const t = timeS[idx[q]!]!;
    while (hi < idx.length && timeS[idx[hi]!]! <= t + SPIKE_WINDOW_HALF_S) insert(altitudeM[idx[hi++]!]!);
    while (lo < q && timeS[idx[lo]!]! < t - SPIKE_WINDOW_HALF_S) remove(altitudeM[idx[lo++]!]!);
    const m = sorted.length;
    if (m < 5) continue;
    const med = m % 2 === 1 ? sorted[m >> 1]! : (sorted[(m >> 1) - 1]! + sorted[m >> 1]!) / 2;
    if (Math.abs(altitudeM[idx[q]!]! - med) > SPIKE_MAX_DEVIATION_M) out.add(idx[q]!);
  }
  return out;
}

/**
 * Runs cards D1–D3 over one activity. `onFoot` (running and walking classes)
 * enables the removal of vertical speeds no one on foot produces; a cyclist
 * descends faster than 1 m/s vertically as a matter of course.
 * @example
 * const e = analyzeElevation(activity, buildSampleView(activity, true, o), false, o);
 * e.source; // 'baro'
 * e.downhills[0]; // { startX: 2017, endX: 2600, dropM: 34.9, meanGrade: -0.06, ... }
 */
export function analyzeElevation(
  activity: Activity,
  view: SampleView,
  isTreadmill: boolean,
  o: ResolvedAnalysisOptions,
  onFoot = true,
): ElevationResult {
  const s = activity.samples;
  const n = s.length;
  if (isTreadmill) return skipped(n, 'treadmill: no outdoor elevation, downhill analysis skipped');
  // D1 steps 2–3: usable points, stationary samples and repeated distances dropped.
  const idx: number[] = [];
  let lastD = Number.NEGATIVE_INFINITY;
  let anyAlt = false;
  let anyDist = false;
  let implausibleAltitudes = 0;
  for (let i = 0; i < n; i++) {
    const a = s.altitudeM[i]!;
    const d = s.distanceM[i]!;
    if (Number.isFinite(a) && a < MIN_PLAUSIBLE_ALTITUDE_M) implausibleAltitudes++;
    else if (Number.isFinite(a)) anyAlt = true;
    if (Number.isFinite(d)) anyDist = true;
    if (!Number.isFinite(a) || a < MIN_PLAUSIBLE_ALTITUDE_M || !Number.isFinite(d)) continue;
    const v = view.speedMps[i]!;
    if (Number.isFinite(v) && v < STATIONARY_SPEED_MPS) continue;
    if (d <= lastD + 1e-6) continue;
    idx.push(i);
    lastD = d;
  }
  if (!anyAlt) return skipped(n, 'no altitude in the file');
  // Excursions first, on a copy: the spike filter's ±30 s median cannot see a dip that lasts a minute.
  const altIn = new Float64Array(n);
  let excursions: ExcursionRepair = { stretches: 0, pointsReplaced: 0 };
  {
    const tq = new Float64Array(idx.length);
    const dq = new Float64Array(idx.length);
    const hq = new Float64Array(idx.length);
    for (let q = 0; q < idx.length; q++) {
      tq[q] = s.timeS[idx[q]!]!;
      dq[q] = s.distanceM[idx[q]!]!;
      hq[q] = s.altitudeM[idx[q]!]!;
    }
    if (onFoot) excursions = repairAltitudeExcursions(tq, dq, hq);
    for (let q = 0; q < idx.length; q++) altIn[idx[q]!] = hq[q]!;
  }
  const spikes = altitudeSpikes(s.timeS, altIn, idx);
  if (spikes.size > 0) {
    const kept = idx.filter((i) => !spikes.has(i));
    idx.length = 0;
    // not idx.push(...kept): spreading 200,000 indices overflows the call stack
    for (const i of kept) idx.push(i);
  }
  if (!anyDist) return skipped(n, 'no distance in the file');
  if (idx.length < 3 || s.distanceM[idx[idx.length - 1]!]! - s.distanceM[idx[0]!]! < 4 * RESAMPLE_STEP_M) {
    return skipped(n, 'too little moving distance with altitude');
  }
  // Timer-stopped intervals are excluded (card C1): a height change across a pause
  // (walking while stopped, barometer recalibration) is not climbing, so the
  // profile after each pause is shifted to continue from where it stopped.
  const alt = new Float64Array(n);
  let offset = 0;
  const pauses = activity.pauses.length > 0 ? indexPauses(activity.pauses) : undefined;
  for (let q = 0; q < idx.length; q++) {
    const i = idx[q]!;
    if (q > 0 && pauses !== undefined) {
      const a = idx[q - 1]!;
      const ta = s.timeS[a]!;
      const tb = s.timeS[i]!;
      if (pauseOverlaps(pauses, ta, tb)) offset += alt[a]! - (altIn[i]! + offset);
    }
    alt[i] = altIn[i]! + offset;
  }
  const ds = RESAMPLE_STEP_M;
  const x0 = s.distanceM[idx[0]!]!;
  const xEnd = s.distanceM[idx[idx.length - 1]!]!;
  const m = Math.floor((xEnd - x0) / ds) + 1;
  if (m > Math.max(MAX_PROFILE_POINTS, MAX_PROFILE_POINTS_PER_SAMPLE * n)) {
    let jumpM = 0;
    for (let q = 1; q < idx.length; q++) jumpM = Math.max(jumpM, s.distanceM[idx[q]!]! - s.distanceM[idx[q - 1]!]!);
    return skipped(n, `the distance jumps by up to ${Math.round(jumpM / 1000)} km between two samples (a position or distance glitch): elevation not analysed`);
  }
  const x = new Float64Array(m);
  const hRaw = new Float64Array(m);
  const tRes = new Float64Array(m);
  // Times of the profile points with gaps (a point without <time>) filled from the nearest timed
  // point, so a downhill that starts or ends on such a point still gets times (NaN leaked before).
  const tIdx = new Float64Array(idx.length);
  let lastT = Number.NaN;
  for (let q = 0; q < idx.length; q++) {
    const t = s.timeS[idx[q]!]!;
    if (Number.isFinite(t)) lastT = t;
    tIdx[q] = lastT;
  }
  for (let q = idx.length - 2; q >= 0; q--) if (Number.isNaN(tIdx[q]!)) tIdx[q] = tIdx[q + 1]!;
  let j = 0;
  for (let k = 0; k < m; k++) {
    const xk = x0 + k * ds;
    x[k] = xk;
    while (j < idx.length - 2 && s.distanceM[idx[j + 1]!]! < xk) j++;
    const ia = idx[j]!;
    const ib = idx[Math.min(j + 1, idx.length - 1)]!;
    const da = s.distanceM[ia]!;
    const db = s.distanceM[ib]!;
    const f = db > da ? Math.min(1, Math.max(0, (xk - da) / (db - da))) : 0;
    hRaw[k] = alt[ia]! + f * (alt[ib]! - alt[ia]!);
    const ta = tIdx[j]!;
    const tb = tIdx[Math.min(j + 1, idx.length - 1)]!;
    tRes[k] = ta + f * (tb - ta);
  }
  const hDespiked = medianFilter(hRaw, 5);
  const pts = (w: number): number => 2 * Math.round(w / ds / 2) + 1;
  const halfPts = (base: number): number => Math.max(1, Math.round(base / ds / 2));

  // D1 step 1: noise of the raw altitude on flat parts (flatness from a wide preliminary smoothing).
  const prelimGrade = gradeSeries(movingAverage(hDespiked, pts(ELEVATION_PARAMS.gps.smoothWindowM)), halfPts(100), ds);
  const gradeAtX = (g: Float64Array, d: number): number => g[Math.min(m - 1, Math.max(0, Math.round((d - x0) / ds)))]!;
  // Second differences at lag 1 and lag 2: barometric devices that store altitude in
  // alternating 0.2 m steps (one FIT quantum) show |Δ²| = 0.4 m at lag 1 but 0 at lag 2,
  // while GPS noise is as large at both lags. The smaller median decides.
  const diffs = (maxDt: number, flatOnly: boolean, lag: number): number[] => {
    const out: number[] = [];
    for (let q = lag; q + lag < idx.length; q++) {
      const a = idx[q - lag]!;
      const b = idx[q]!;
      const c = idx[q + lag]!;
      if (s.timeS[b]! - s.timeS[a]! > lag * maxDt || s.timeS[c]! - s.timeS[b]! > lag * maxDt) continue;
      if (flatOnly && Math.abs(gradeAtX(prelimGrade, s.distanceM[b]!)) >= 0.02) continue;
      out.push(Math.abs(altIn[c]! - 2 * altIn[b]! + altIn[a]!));
    }
    return out;
  };
  const noiseAtLag = (lag: number): number => {
    let sample = diffs(1.5, true, lag);
    if (sample.length < 20) sample = diffs(5.5, true, lag);
    if (sample.length < 20) sample = diffs(5.5, false, lag);
    return sample.length >= 5 ? median(sample) : Number.NaN;
  };
  const noise1 = noiseAtLag(1);
  // Lag 2 can only lower the figure, and a dither of one 0.2 m quantum adds at most 0.4 m at lag 1:
  // measured only when lag 1 lies between the baro limit and that (a cost saved on most files).
  const noise2 = Number.isFinite(noise1) && noise1 >= o.baroNoiseMaxM && noise1 <= DITHER_MAX_NOISE_M ? noiseAtLag(2) : Number.NaN;
  const noiseM = Number.isFinite(noise2) && !(noise2 >= noise1) ? noise2 : noise1;
  const source: 'baro' | 'gps' =
    o.altitudeSource !== 'auto' ? o.altitudeSource : Number.isFinite(noiseM) && noiseM < o.baroNoiseMaxM ? 'baro' : 'gps';
  const p = ELEVATION_PARAMS[source];
  // Barometric: Savitzky–Golay keeps short summits a moving average would shave
  // (measured on the corpus: fenix 2 trail run ascent −14 % with a 40 m moving
  // average, −8 % with Savitzky–Golay, against the device's total). GPS: the
  // moving average, whose stronger noise suppression matters more there.
  const h = source === 'baro' ? savitzkyGolay(hDespiked, pts(p.smoothWindowM)) : movingAverage(hDespiked, pts(p.smoothWindowM));
  const { ascentM, descentM } = ascentDescentM(h, p.hysteresisM);
  const grade = gradeSeries(h, halfPts(p.gradeBaseM), ds);
  let downhillDistanceM = 0;
  let steepDownhillDistanceM = 0;
  for (let k = 0; k < m; k++) {
    if (grade[k]! <= -0.05) downhillDistanceM += ds;
    if (grade[k]! <= -0.1) steepDownhillDistanceM += ds;
  }
  const ranges = findDownhillRanges(x, h, grade, {
    enter: o.downhillEnterGrade,
    exit: o.downhillExitGrade,
    exitHoldM: o.downhillExitHoldM,
    mergeGapM: o.downhillMergeGapM,
    minLengthM: o.downhillMinLengthM,
    minDropM: o.downhillMinDropM ?? p.minDropM,
  });
  const downhills: RawDownhill[] = ranges.map(([a, b]) => {
    let maxGrade = 0;
    for (let k = a; k <= b; k++) maxGrade = Math.min(maxGrade, grade[k]!);
    const dropM = h[a]! - h[b]!;
    return {
      startX: x[a]!,
      endX: x[b]!,
      startTimeS: tRes[a]!,
      endTimeS: tRes[b]!,
      dropM,
      meanGrade: Math.max(-MAX_ABS_GRADE, -dropM / (x[b]! - x[a]!)),
      maxGrade,
    };
  });
  const gradeAtSample = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = s.distanceM[i]!;
    gradeAtSample[i] = Number.isFinite(d) && d >= x0 - ds && d <= xEnd + ds ? gradeAtX(grade, d) : Number.NaN;
  }
  return {
    source,
    skippedReason: null,
    noiseM,
    ascentM,
    descentM,
    downhillDistanceM,
    steepDownhillDistanceM,
    downhills,
    gradeAtSample,
    spikesRemoved: spikes.size,
    excursions,
    implausibleAltitudes,
  };
}
