/**
 * Running form from samples: cadence (cards C1, C2), step length (card O1)
 * and running dynamics. Works on a {@link SampleView} plus a flat-and-steady mask.
 */
import type { Activity, Lap } from '../activity.js';
import { expectedCadenceSpm, expectedStepLengthM, isExtrapolatedSpeed } from './expected.js';
import type { ResolvedAnalysisOptions } from './options.js';
import type { SampleView } from './samples.js';
import { finiteOrNull, fitLine, weightedMean, weightedQuantile, weightedQuantiles } from './stats.js';
import type { CadenceSpeedBin, CadenceSummary, DynamicsSummary, StepLengthSpeedBin, StepLengthSummary } from './types.js';

/** Width of a speed bin, m/s (card C2). */
export const SPEED_BIN_MPS = 0.25;
/** GCT balance outside this band counts as imbalanced, % left (card O1). */
export const BALANCE_BAND_PCT: readonly [number, number] = [47.8, 52.2];

/** Centre of the 0.25 m/s bin holding `speedMps`. @example speedBinCentre(3.1) // 3.125 */
export function speedBinCentre(speedMps: number): number {
  return (Math.floor(speedMps / SPEED_BIN_MPS) + 0.5) * SPEED_BIN_MPS;
}

/** Weights of the samples selected by `keep` (0 elsewhere). */
function masked(view: SampleView, keep: (i: number) => boolean): Float64Array {
  const w = new Float64Array(view.n);
  for (let i = 0; i < view.n; i++) if (view.weightS[i]! > 0 && keep(i)) w[i] = view.weightS[i]!;
  return w;
}

function sum(a: Float64Array): number {
  let s = 0;
  for (const x of a) s += x;
  return s;
}

function binBy(
  values: ArrayLike<number>,
  speed: ArrayLike<number>,
  w: Float64Array,
): Map<number, { timeS: number; sumWx: number }> {
  const bins = new Map<number, { timeS: number; sumWx: number }>();
  for (let i = 0; i < w.length; i++) {
    const wi = w[i]!;
    const v = speed[i]!;
    const x = values[i]!;
    if (!(wi > 0) || !Number.isFinite(v) || !Number.isFinite(x)) continue;
    const k = Math.floor(v / SPEED_BIN_MPS);
    const b = bins.get(k) ?? { timeS: 0, sumWx: 0 };
    b.timeS += wi;
    b.sumWx += wi * x;
    bins.set(k, b);
  }
  return new Map([...bins.entries()].sort((a, b) => a[0] - b[0]));
}

/** Cadence, speed and running time of one lap, as in {@link CadenceSummary.laps}. */
export interface LapCadence {
  readonly index: number;
  readonly avgSpm: number | null;
  readonly speedMps: number | null;
  readonly timeS: number;
}

/** First position `p` in `order` with `t[order[p]] > x` (`order` sorts `t` ascending, NaN last). */
function firstAfter(t: ArrayLike<number>, order: Int32Array | null, x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = t[order === null ? mid : order[mid]!]!;
    if (v > x || Number.isNaN(v)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Per-lap cadence, speed and running time: for lap k, the samples with
 * `startS < t ≤ endS`; `runW` weighs running samples, `cadW` running samples
 * with cadence (0 elsewhere). Same definition as a scan of every sample per
 * lap, in O(n + L log n) for n samples and L laps: each lap's sample range is
 * found by binary search on the (non-decreasing) times; when the ranges do
 * not overlap (laps as devices write them) each sample is added once, in
 * sample order, so the result is exactly that of the per-lap scan;
 * overlapping or nested laps are summed from running totals instead (equal
 * up to rounding). Times out of order (not produced by the parsers) are
 * sorted first. A lap with a NaN bound holds no sample.
 *
 * @param t Sample times, s. @param speed m/s. @param c Cadence, steps/min.
 * @example
 * lapCadence([0, 1, 2], [{ startS: 0, endS: 2 }], [1, 1, 1], [3, 3, 3], [170, 172, 174], [1, 1, 1])[0].avgSpm // 173
 */
export function lapCadence(
  t: ArrayLike<number>,
  laps: readonly Pick<Lap, 'startS' | 'endS'>[],
  runW: ArrayLike<number>,
  speed: ArrayLike<number>,
  c: ArrayLike<number>,
  cadW: ArrayLike<number>,
): LapCadence[] {
  const n = t.length;
  let order: Int32Array | null = null;
  for (let i = 1; i < n; i++) {
    if (!(t[i]! >= t[i - 1]!)) {
      order = Int32Array.from({ length: n }, (_, k) => k);
      const key = (k: number): number => (Number.isNaN(t[k]!) ? Number.POSITIVE_INFINITY : t[k]!);
      order.sort((a, b) => key(a) - key(b) || (Number.isNaN(t[a]!) ? 1 : 0) - (Number.isNaN(t[b]!) ? 1 : 0) || a - b);
      break;
    }
  }
  const at = (p: number): number => (order === null ? p : order[p]!);
  const lo = new Int32Array(laps.length);
  const hi = new Int32Array(laps.length);
  for (let k = 0; k < laps.length; k++) {
    const { startS, endS } = laps[k]!;
    if (Number.isNaN(startS) || Number.isNaN(endS)) continue;
    lo[k] = firstAfter(t, order, startS);
    hi[k] = Math.max(lo[k]!, firstAfter(t, order, endS));
  }
  // Do the ranges overlap? (sorted by start; each must begin where the previous ended or later)
  const byStart = Int32Array.from({ length: laps.length }, (_, k) => k).sort((a, b) => lo[a]! - lo[b]! || a - b);
  let disjoint = true;
  let reach = 0;
  for (const k of byStart) {
    if (hi[k] === lo[k]) continue;
    if (lo[k]! < reach) {
      disjoint = false;
      break;
    }
    reach = hi[k]!;
  }
  const out: LapCadence[] = new Array<LapCadence>(laps.length);
  const result = (k: number, sw: number, swv: number, svw: number, sc: number, scw: number): LapCadence => ({
    index: k,
    avgSpm: sc > 0 ? finiteOrNull(scw / sc) : null,
    speedMps: svw > 0 ? finiteOrNull(swv / svw) : null,
    timeS: sw,
  });
  if (disjoint) {
    for (let k = 0; k < laps.length; k++) {
      let sw = 0;
      let swv = 0;
      let svw = 0;
      let sc = 0;
      let scw = 0;
      for (let p = lo[k]!; p < hi[k]!; p++) {
        const i = at(p);
        const w = runW[i]!;
        if (w > 0) {
          sw += w;
          const v = speed[i]!;
          if (Number.isFinite(v) && Number.isFinite(w)) {
            svw += w;
            swv += w * v;
          }
        }
        const wc = cadW[i]!;
        const x = c[i]!;
        if (wc > 0 && Number.isFinite(wc) && Number.isFinite(x)) {
          sc += wc;
          scw += wc * x;
        }
      }
      out[k] = result(k, sw, swv, svw, sc, scw);
    }
    return out;
  }
  // Overlapping laps: running totals over the sorted samples, one entry per position.
  const cw = new Float64Array(n + 1);
  const cwv = new Float64Array(n + 1);
  const cvw = new Float64Array(n + 1);
  const cc = new Float64Array(n + 1);
  const ccw = new Float64Array(n + 1);
  for (let p = 0; p < n; p++) {
    const i = at(p);
    const w = runW[i]!;
    const v = speed[i]!;
    const wc = cadW[i]!;
    const x = c[i]!;
    const run = w > 0;
    const withSpeed = run && Number.isFinite(v) && Number.isFinite(w);
    const withCad = wc > 0 && Number.isFinite(wc) && Number.isFinite(x);
    cw[p + 1] = cw[p]! + (run ? w : 0);
    cvw[p + 1] = cvw[p]! + (withSpeed ? w : 0);
    cwv[p + 1] = cwv[p]! + (withSpeed ? w * v : 0);
    cc[p + 1] = cc[p]! + (withCad ? wc : 0);
    ccw[p + 1] = ccw[p]! + (withCad ? wc * x : 0);
  }
  for (let k = 0; k < laps.length; k++) {
    const a = lo[k]!;
    const b = hi[k]!;
    out[k] = result(k, cw[b]! - cw[a]!, cwv[b]! - cwv[a]!, cvw[b]! - cvw[a]!, cc[b]! - cc[a]!, ccw[b]! - ccw[a]!);
  }
  return out;
}

/**
 * Cadence statistics (cards C1, C2). `flatSteady[i]` marks flat, steady samples.
 * @example summarizeCadence(activity, view, flatSteady, resolveAnalysisOptions({})).avgSpm // 171.2
 */
export function summarizeCadence(
  activity: Activity,
  view: SampleView,
  flatSteady: Uint8Array,
  o: ResolvedAnalysisOptions,
): CadenceSummary {
  const c = activity.samples.cadenceSpm;
  const t = activity.samples.timeS;
  const foot = activity.cadence.detected !== 'none';
  const runW = masked(view, (i) => view.running[i] === 1);
  const runTime = sum(runW);
  const cadW = masked(view, (i) => foot && view.running[i] === 1 && Number.isFinite(c[i]!));
  const cadTime = sum(cadW);
  const bands = { below160: 0, from160to170: 0, from170to180: 0, atLeast180: 0 };
  for (let i = 0; i < view.n; i++) {
    const w = cadW[i]!;
    if (!(w > 0)) continue;
    const x = c[i]!;
    if (x < 160) bands.below160 += w;
    else if (x < 170) bands.from160to170 += w;
    else if (x < 180) bands.from170to180 += w;
    else bands.atLeast180 += w;
  }
  // Thirds of running time (not of samples), so smart recording does not skew them.
  const first = new Float64Array(view.n);
  const last = new Float64Array(view.n);
  let cum = 0;
  for (let i = 0; i < view.n; i++) {
    const w = runW[i]!;
    if (!(w > 0)) continue;
    const mid = cum + w / 2;
    if (mid < runTime / 3) first[i] = cadW[i]!;
    else if (mid > (2 * runTime) / 3) last[i] = cadW[i]!;
    cum += w;
  }
  const firstThird = weightedMean(c, first);
  const lastThird = weightedMean(c, last);
  const laps = lapCadence(t, activity.laps, runW, view.speedMps, c, cadW);
  const flatW = masked(view, (i) => cadW[i]! > 0 && flatSteady[i] === 1 && Number.isFinite(view.speedMps[i]!));
  const flatTime = sum(flatW);
  const expOpts = {
    heightCoefSpmPerCm: o.heightCoefSpmPerCm,
    ...(o.heightM !== undefined ? { heightM: o.heightM } : {}),
  };
  const bySpeed: CadenceSpeedBin[] = [];
  for (const [k, b] of binBy(c, view.speedMps, flatW)) {
    const centre = (k + 0.5) * SPEED_BIN_MPS;
    bySpeed.push({
      speedMps: centre,
      timeS: b.timeS,
      avgSpm: b.sumWx / b.timeS,
      expectedSpm: expectedCadenceSpm(centre, expOpts),
      extrapolated: isExtrapolatedSpeed(centre),
    });
  }
  const binTimes = bySpeed.map((b) => b.timeS);
  const expected = weightedMean(
    bySpeed.map((b) => b.expectedSpm),
    binTimes,
  );
  const z = weightedMean(
    bySpeed.map((b) => (b.avgSpm - b.expectedSpm) / o.populationSdSpm),
    binTimes,
  );
  const line =
    bySpeed.length >= 2
      ? fitLine(
          bySpeed.map((b) => b.speedMps),
          bySpeed.map((b) => b.avgSpm),
          binTimes,
        )
      : null;
  const [p10 = Number.NaN, p50 = Number.NaN, p90 = Number.NaN] = weightedQuantiles(c, cadW, [0.1, 0.5, 0.9]);
  // Moving average over running and walking alike (what a watch shows), and the walking part alone.
  let movingTime = 0;
  let timerTime = 0;
  let movW = 0;
  let movWx = 0;
  let walkW = 0;
  let walkWx = 0;
  let timerWx = 0;
  for (let i = 0; i < view.n; i++) {
    const w = view.weightS[i]!;
    if (!(w > 0)) continue;
    timerTime += w;
    const x = c[i]!;
    const hasCadence = foot && x > 0 && Number.isFinite(x);
    if (hasCadence) timerWx += w * x;
    if (view.moving[i] !== 1) continue;
    movingTime += w;
    if (!hasCadence) continue;
    movW += w;
    movWx += w * x;
    if (view.running[i] !== 1) {
      walkW += w;
      walkWx += w * x;
    }
  }
  return {
    unitDetected: activity.cadence.detected,
    unitConfidence: Number.isFinite(activity.cadence.confidence) ? activity.cadence.confidence : 0,
    coverage: runTime > 0 ? cadTime / runTime : 0,
    avgSpm: finiteOrNull(weightedMean(c, cadW)),
    movingAvgSpm: movW > 0 ? finiteOrNull(movWx / movW) : null,
    timerAvgSpm: movW > 0 && timerTime > 0 ? finiteOrNull(timerWx / timerTime) : null,
    walkingAvgSpm: walkW > 0 ? finiteOrNull(walkWx / walkW) : null,
    runningShareOfMovingTime: movingTime > 0 ? Math.min(1, runTime / movingTime) : 0,
    runWalkMethod: view.runWalk.method,
    runWalkThresholdSpm: view.runWalk.thresholdSpm,
    medianSpm: finiteOrNull(p50),
    p10Spm: finiteOrNull(p10),
    p90Spm: finiteOrNull(p90),
    timeInBandsS: bands,
    flatAvgSpm: finiteOrNull(weightedMean(c, flatW)),
    flatTimeS: flatTime,
    flatSpeedMps: finiteOrNull(weightedMean(view.speedMps, flatW)),
    firstThirdSpm: finiteOrNull(firstThird),
    lastThirdSpm: finiteOrNull(lastThird),
    driftSpm: finiteOrNull(lastThird - firstThird),
    laps,
    bySpeed,
    runnerLine: line === null ? null : { interceptSpm: line.intercept, slopeSpmPerMps: line.slope },
    zVsExpected: finiteOrNull(z),
    expectedSpm: finiteOrNull(expected),
  };
}

/**
 * Step length (card O1).
 * @example summarizeStepLength(activity, view, flatSteady, false, resolveAnalysisOptions({ heightM: 1.8 })).relativeToHeight // 0.59
 */
export function summarizeStepLength(
  activity: Activity,
  view: SampleView,
  flatSteady: Uint8Array,
  isTreadmill: boolean,
  o: ResolvedAnalysisOptions,
): StepLengthSummary {
  const s = activity.samples;
  const foot = activity.cadence.detected !== 'none';
  let deviceTime = 0;
  let runTime = 0;
  for (let i = 0; i < view.n; i++) {
    if (view.running[i] !== 1) continue;
    runTime += view.weightS[i]!;
    if (Number.isFinite(s.stepLengthM[i]!) && s.stepLengthM[i]! > 0) deviceTime += view.weightS[i]!;
  }
  const source: StepLengthSummary['source'] =
    runTime > 0 && deviceTime >= runTime / 2 ? 'device' : foot ? 'derived' : 'none';
  const step = new Float64Array(view.n);
  for (let i = 0; i < view.n; i++) {
    if (source === 'device') step[i] = s.stepLengthM[i]! > 0 ? s.stepLengthM[i]! : Number.NaN;
    else if (source === 'derived') {
      const c = s.cadenceSpm[i]!;
      const v = view.speedMps[i]!;
      step[i] = c > 0 && Number.isFinite(v) ? (v * 60) / c : Number.NaN;
    } else step[i] = Number.NaN;
  }
  const runW = masked(view, (i) => view.running[i] === 1 && Number.isFinite(step[i]!));
  const avg = weightedMean(step, runW);
  const expOpts = {
    heightCoefSpmPerCm: o.heightCoefSpmPerCm,
    ...(o.heightM !== undefined ? { heightM: o.heightM } : {}),
  };
  const flatW = masked(view, (i) => runW[i]! > 0 && flatSteady[i] === 1 && Number.isFinite(view.speedMps[i]!));
  const ratio = new Float64Array(view.n);
  let longStepTimeS = 0;
  for (let i = 0; i < view.n; i++) {
    ratio[i] = flatW[i]! > 0 ? step[i]! / expectedStepLengthM(view.speedMps[i]!, expOpts) : Number.NaN;
    if (flatW[i]! > 0 && ratio[i]! >= o.longStepRatio) longStepTimeS += flatW[i]!;
  }
  const bySpeed: StepLengthSpeedBin[] = [];
  for (const [k, b] of binBy(step, view.speedMps, flatW)) {
    const centre = (k + 0.5) * SPEED_BIN_MPS;
    const avgM = b.sumWx / b.timeS;
    bySpeed.push({
      speedMps: centre,
      timeS: b.timeS,
      avgM,
      expectedM: expectedStepLengthM(centre, expOpts),
      relativeToHeight: o.heightM !== undefined ? avgM / o.heightM : null,
    });
  }
  return {
    source: Number.isFinite(avg) ? source : 'none',
    avgM: finiteOrNull(avg),
    medianM: finiteOrNull(weightedQuantile(step, runW, 0.5)),
    avgStrideM: finiteOrNull(2 * avg),
    ratioToExpected: finiteOrNull(weightedMean(ratio, flatW)),
    longStepTimeS,
    relativeToHeight: o.heightM !== undefined ? finiteOrNull(avg / o.heightM) : null,
    lowConfidence: isTreadmill || view.noSpeed,
    bySpeed,
  };
}

/**
 * Running dynamics averages over running samples; null when the file has none.
 * @example summarizeDynamics(activity, view, flatSteady)?.stanceTimeS // 0.252 (s)
 */
export function summarizeDynamics(activity: Activity, view: SampleView, flatSteady: Uint8Array): DynamicsSummary | null {
  const s = activity.samples;
  const runW = masked(view, (i) => view.running[i] === 1);
  const stance = weightedMean(s.stanceTimeS, runW);
  const vo = weightedMean(s.verticalOscillationM, runW);
  const vr = weightedMean(s.verticalRatioPct, runW);
  const bal = weightedMean(s.stanceTimeBalancePct, runW);
  if (![stance, vo, vr, bal].some(Number.isFinite)) return null;
  let imbalancedTimeS = 0;
  for (let i = 0; i < view.n; i++) {
    const b = s.stanceTimeBalancePct[i]!;
    if (runW[i]! > 0 && flatSteady[i] === 1 && Number.isFinite(b) && (b < BALANCE_BAND_PCT[0] || b > BALANCE_BAND_PCT[1])) {
      imbalancedTimeS += runW[i]!;
    }
  }
  const flatW = masked(view, (i) => runW[i]! > 0 && flatSteady[i] === 1 && Number.isFinite(view.speedMps[i]!));
  const st = binBy(s.stanceTimeS, view.speedMps, flatW);
  const vob = binBy(s.verticalOscillationM, view.speedMps, flatW);
  const vrb = binBy(s.verticalRatioPct, view.speedMps, flatW);
  const keys = [...new Set([...st.keys(), ...vob.keys(), ...vrb.keys()])].sort((a, b) => a - b);
  const avg = (m: Map<number, { timeS: number; sumWx: number }>, k: number): number | null => {
    const b = m.get(k);
    return b === undefined ? null : finiteOrNull(b.sumWx / b.timeS);
  };
  const bySpeed = keys.map((k) => ({
    speedMps: (k + 0.5) * SPEED_BIN_MPS,
    timeS: Math.max(st.get(k)?.timeS ?? 0, vob.get(k)?.timeS ?? 0, vrb.get(k)?.timeS ?? 0),
    stanceTimeS: avg(st, k),
    verticalOscillationM: avg(vob, k),
    verticalRatioPct: avg(vrb, k),
  }));
  return {
    stanceTimeS: finiteOrNull(stance),
    verticalOscillationM: finiteOrNull(vo),
    verticalRatioPct: finiteOrNull(vr),
    stanceTimeBalancePct: finiteOrNull(bal),
    imbalancedTimeS,
    bySpeed,
  };
}
