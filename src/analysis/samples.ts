/**
 * Per-sample weights and masks (science card C1): which samples are moving,
 * which are running, how much time each stands for, and which are steady.
 * Internal to the analysis stage: nothing here leaves it as typed arrays.
 */
import type { Activity } from '../activity.js';
import type { ResolvedAnalysisOptions } from './options.js';
import { indexPauses, isPausedAt } from './pauses.js';

/** Speed below which a sample is stationary, m/s (card D1 step 3). */
export const STATIONARY_SPEED_MPS = 0.5;

/** Masks and weights over the samples of one activity. */
export interface SampleView {
  readonly n: number;
  /** Time weight of each sample: min(tᵢ − tᵢ₋₁, maxSampleGapS), 0 for the first sample and inside pauses. */
  readonly weightS: Float64Array;
  /** Distance covered in the interval ending at each sample (0 where unknown or negative). */
  readonly stepM: Float64Array;
  /** Speed used by the analysis (device speed; NaN where missing or a glitch). */
  readonly speedMps: Float64Array;
  /** 1 where the sample moves (speed ≥ 0.5 m/s, not paused). */
  readonly moving: Uint8Array;
  /** 1 where the sample is running (card C1). */
  readonly running: Uint8Array;
  /** 1 where the rolling speed CV is below the steady threshold. */
  readonly steady: Uint8Array;
  /** Samples dropped as GPS glitches (acceleration above the limit). */
  readonly glitches: number;
  /** True when the activity has no speed at all (running then decided by cadence only). */
  readonly noSpeed: boolean;
  /** True when cumulative distance goes backwards somewhere. */
  readonly distanceNotMonotonic: boolean;
}

/**
 * Builds the sample view. `runningSport` says whether the C1 running filter
 * applies at all (running-class activities); for others `running` is all 0.
 * @example buildSampleView(activity, true, resolveAnalysisOptions({})).weightS[1] // 1 (s, for 1 Hz data)
 */
export function buildSampleView(activity: Activity, runningSport: boolean, o: ResolvedAnalysisOptions): SampleView {
  const s = activity.samples;
  const n = s.length;
  const weightS = new Float64Array(n);
  const stepM = new Float64Array(n);
  const speedMps = new Float64Array(n);
  const moving = new Uint8Array(n);
  const running = new Uint8Array(n);
  const steady = new Uint8Array(n);
  let noSpeed = true;
  for (let i = 0; i < n; i++) {
    const v = s.speedMps[i]!;
    speedMps[i] = Number.isFinite(v) && v >= 0 ? v : Number.NaN;
    if (Number.isFinite(speedMps[i]!)) noSpeed = false;
  }
  let glitches = 0;
  let distanceNotMonotonic = false;
  let lastDist = Number.NaN;
  const footCadence = activity.cadence.detected !== 'none';
  const pauses = activity.pauses.length > 0 ? indexPauses(activity.pauses) : undefined;
  for (let i = 0; i < n; i++) {
    const d = s.distanceM[i]!;
    if (Number.isFinite(d)) {
      if (Number.isFinite(lastDist)) {
        const dd = d - lastDist;
        if (dd >= 0) stepM[i] = dd;
        else distanceNotMonotonic = true;
      }
      lastDist = d;
    }
    if (i === 0) continue;
    const dt = s.timeS[i]! - s.timeS[i - 1]!;
    if (!(dt > 0)) continue;
    const mid = (s.timeS[i]! + s.timeS[i - 1]!) / 2;
    if (pauses !== undefined && isPausedAt(pauses, mid)) {
      stepM[i] = 0;
      continue;
    }
    weightS[i] = Math.min(dt, o.maxSampleGapS);
    const v0 = speedMps[i - 1]!;
    const v1 = speedMps[i]!;
    if (Number.isFinite(v0) && Number.isFinite(v1) && Math.abs(v1 - v0) / dt > o.maxAccelerationMps2) {
      speedMps[i] = Number.NaN;
      glitches++;
    }
  }
  // When the file has no distance column at all, distance comes from speed × time.
  if (!Number.isFinite(lastDist)) for (let i = 0; i < n; i++) stepM[i] = Number.isFinite(speedMps[i]!) ? speedMps[i]! * weightS[i]! : 0;
  for (let i = 0; i < n; i++) {
    if (!(weightS[i]! > 0)) continue;
    const v = speedMps[i]!;
    const c = s.cadenceSpm[i]!;
    const cadenceOk = !footCadence || !Number.isFinite(c) || c >= o.walkRunSpm;
    if (noSpeed) {
      // No speed at all (e.g. an indoor file with cadence only): cadence alone decides.
      if (runningSport && footCadence && Number.isFinite(c) && c >= o.walkRunSpm) {
        moving[i] = 1;
        running[i] = 1;
      }
      continue;
    }
    if (Number.isFinite(v) && v >= STATIONARY_SPEED_MPS) moving[i] = 1;
    if (runningSport && Number.isFinite(v) && v >= o.minRunSpeedMps && cadenceOk) running[i] = 1;
  }
  // Rolling speed CV over a centred window of steadyWindowS (card C2 "steady").
  const half = o.steadyWindowS / 2;
  let lo = 0;
  let hi = 0;
  let sum = 0;
  let sum2 = 0;
  let cnt = 0;
  for (let i = 0; i < n; i++) {
    const t = s.timeS[i]!;
    while (hi < n && s.timeS[hi]! <= t + half) {
      const v = speedMps[hi]!;
      if (Number.isFinite(v)) {
        sum += v;
        sum2 += v * v;
        cnt++;
      }
      hi++;
    }
    while (lo < hi && s.timeS[lo]! < t - half) {
      const v = speedMps[lo]!;
      if (Number.isFinite(v)) {
        sum -= v;
        sum2 -= v * v;
        cnt--;
      }
      lo++;
    }
    if (cnt >= 2 && sum > 0) {
      const mean = sum / cnt;
      const variance = Math.max(0, sum2 / cnt - mean * mean);
      if (Math.sqrt(variance) / mean < o.steadyCvMax) steady[i] = 1;
    } else if (cnt === 1 && sum > 0) steady[i] = 1;
    if (noSpeed) steady[i] = 1;
  }
  return { n, weightS, stepM, speedMps, moving, running, steady, glitches, noSpeed, distanceNotMonotonic };
}
