/**
 * Running form from samples: cadence (cards C1, C2), step length (card O1)
 * and running dynamics. Works on a {@link SampleView} plus a flat-and-steady mask.
 */
import type { Activity } from '../activity.js';
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
  const laps = activity.laps.map((lap, index) => {
    const w = masked(view, (i) => view.running[i] === 1 && t[i]! > lap.startS && t[i]! <= lap.endS);
    const wc = masked(view, (i) => cadW[i]! > 0 && t[i]! > lap.startS && t[i]! <= lap.endS);
    return {
      index,
      avgSpm: finiteOrNull(weightedMean(c, wc)),
      speedMps: finiteOrNull(weightedMean(view.speedMps, w)),
      timeS: sum(w),
    };
  });
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
