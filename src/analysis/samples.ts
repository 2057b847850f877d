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
/** Ashman's D at or above which two cadence clusters count as clearly separate (the two halves of one normal distribution, split at its mean, already reach 2.65). */
export const CLUSTER_SEPARATION_D = 3;
/** Smallest share of moving time a cadence cluster needs to count. */
export const MIN_CLUSTER_SHARE = 0.03;
/** Smallest gap between the means of a walking and a running cluster, spm. */
export const MIN_CLUSTER_GAP_SPM = 15;
/**
 * A cluster whose mean cadence is below the walk–run prior still runs when its
 * mean speed is at least this, m/s: adults change from walking to running at
 * about 1.8–2.2 m/s, and the activity was recorded as a run (a 149 spm Stryd
 * run at 1.98 m/s scaled to 137 spm must stay a run).
 */
export const RUN_LIKE_SPEED_MPS = 1.8;
/**
 * … and its steps are at least this long, m: 130–140 spm at 1.8–3 m/s gives
 * 0.8–1.4 m, while walking steps at 1.3–1.5 m/s are about 0.65–0.8 m.
 */
export const RUN_LIKE_STEP_M = 0.8;
/** Below the prior, a single running cluster keeps samples down to its mean minus this, spm. */
export const SINGLE_CLUSTER_SPREAD_SPM = 25;

/**
 * How running was told from walking in one activity (card C1, revised):
 * `clusters`: the activity's cadence has a walking and a running cluster,
 * split at `thresholdSpm`; `single-cluster`: one running cluster, samples
 * from `thresholdSpm` up (the 140 spm prior, or lower for a runner whose own
 * cluster sits lower); `walking`: no cluster looks like running;
 * `speed`: no foot cadence, speed alone decides; `none`: not a running activity.
 */
export interface RunWalkSplit {
  readonly method: 'clusters' | 'single-cluster' | 'walking' | 'speed' | 'none';
  readonly thresholdSpm: number | null;
}

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
  /** How running was told from walking. */
  readonly runWalk: RunWalkSplit;
}

/** Weighted cadence statistics of one side of a histogram split. */
interface Side {
  readonly w: number;
  readonly meanSpm: number;
  readonly sdSpm: number;
  /** Mean speed over the part of the side that has speed, m/s (NaN when none). */
  readonly speedMps: number;
}

const HIST_BINS = 256;

/**
 * Is a cadence cluster running? Its mean is at or above the walk–run prior, or
 * its speed and step length fit running (a low-cadence runner at 130–140 spm
 * moves at 2.3 m/s or more with steps of about a metre).
 */
function runLike(side: Side, priorSpm: number): boolean {
  if (side.meanSpm >= priorSpm) return true;
  if (!Number.isFinite(side.speedMps) || !(side.meanSpm > 0)) return false;
  return side.speedMps >= RUN_LIKE_SPEED_MPS && (side.speedMps * 60) / side.meanSpm >= RUN_LIKE_STEP_M;
}

/** Is a cadence cluster walking? Well below the prior, and not moving like a run. */
function walkLike(side: Side, priorSpm: number): boolean {
  if (!(side.meanSpm < priorSpm + 10)) return false;
  if (!Number.isFinite(side.speedMps) || !(side.meanSpm > 0)) return true;
  return !(side.speedMps >= RUN_LIKE_SPEED_MPS && (side.speedMps * 60) / side.meanSpm >= RUN_LIKE_STEP_M);
}

/**
 * Tells running from walking within one activity (card C1, revised) from a
 * time-weighted 1-spm histogram of the moving samples' cadence, so it is
 * linear in samples. Otsu's split of the histogram gives two clusters; they
 * are a walking and a running cluster when they are clearly separate
 * (Ashman's D ≥ 3, each ≥ 3 % of the time, means ≥ 15 spm apart) and the lower
 * one walks (mean below prior + 10 spm and not at running speed and step
 * length). Otherwise the activity is one cluster: running when it is
 * run-like, with samples from min(prior, mean − 25 spm) up, else walking.
 * Deviation from card C1 as first written: 140 spm is no per-sample floor any more.
 */
function splitRunWalk(
  cadence: ArrayLike<number>,
  speed: Float64Array,
  weightS: Float64Array,
  candidate: Uint8Array,
  priorSpm: number,
): RunWalkSplit {
  const w = new Float64Array(HIST_BINS);
  const wc = new Float64Array(HIST_BINS);
  const wc2 = new Float64Array(HIST_BINS);
  const wv = new Float64Array(HIST_BINS);
  const wvW = new Float64Array(HIST_BINS);
  let total = 0;
  for (let i = 0; i < weightS.length; i++) {
    if (candidate[i] !== 1) continue;
    const c = cadence[i]!;
    if (!(c > 0) || !Number.isFinite(c)) continue;
    const k = Math.min(HIST_BINS - 1, Math.floor(c));
    const wi = weightS[i]!;
    w[k] = w[k]! + wi;
    wc[k] = wc[k]! + wi * c;
    wc2[k] = wc2[k]! + wi * c * c;
    const v = speed[i]!;
    if (Number.isFinite(v)) {
      wv[k] = wv[k]! + wi * v;
      wvW[k] = wvW[k]! + wi;
    }
    total += wi;
  }
  if (!(total > 0)) return { method: 'walking', thresholdSpm: null };
  const side = (a: number, b: number): Side => {
    let sw = 0;
    let sc = 0;
    let sc2 = 0;
    let sv = 0;
    let svw = 0;
    for (let k = a; k < b; k++) {
      sw += w[k]!;
      sc += wc[k]!;
      sc2 += wc2[k]!;
      sv += wv[k]!;
      svw += wvW[k]!;
    }
    const mean = sw > 0 ? sc / sw : Number.NaN;
    return { w: sw, meanSpm: mean, sdSpm: sw > 0 ? Math.sqrt(Math.max(0, sc2 / sw - mean * mean)) : Number.NaN, speedMps: svw > 0 ? sv / svw : Number.NaN };
  };
  // Otsu: the split maximising the between-cluster variance w0·w1·(μ0 − μ1)².
  let best = -1;
  let bestEnd = -1;
  let bestScore = 0;
  let w0 = 0;
  let s0 = 0;
  let sAll = 0;
  for (let k = 0; k < HIST_BINS; k++) sAll += wc[k]!;
  for (let k = 1; k < HIST_BINS; k++) {
    w0 += w[k - 1]!;
    s0 += wc[k - 1]!;
    const w1 = total - w0;
    if (!(w0 > 0) || !(w1 > 0)) continue;
    const d = s0 / w0 - (sAll - s0) / w1;
    const score = w0 * w1 * d * d;
    if (score > bestScore * (1 + 1e-12)) {
      bestScore = score;
      best = k;
      bestEnd = k;
    } else if (score >= bestScore * (1 - 1e-12)) bestEnd = k;
  }
  // An empty gap between the clusters scores the same at every split inside it: take its middle.
  best = Math.round((best + bestEnd) / 2);
  if (best > 0) {
    const lo = side(0, best);
    const hi = side(best, HIST_BINS);
    // Ashman's D = √2·|μ₁ − μ₀| / √(σ₀² + σ₁²)
    const spread = Math.sqrt(lo.sdSpm * lo.sdSpm + hi.sdSpm * hi.sdSpm);
    const ashmanD = spread > 0 ? (Math.SQRT2 * (hi.meanSpm - lo.meanSpm)) / spread : Number.POSITIVE_INFINITY;
    const separate =
      ashmanD >= CLUSTER_SEPARATION_D &&
      lo.w >= MIN_CLUSTER_SHARE * total &&
      hi.w >= MIN_CLUSTER_SHARE * total &&
      hi.meanSpm - lo.meanSpm >= MIN_CLUSTER_GAP_SPM;
    if (separate && walkLike(lo, priorSpm)) {
      return runLike(hi, priorSpm) ? { method: 'clusters', thresholdSpm: best } : { method: 'walking', thresholdSpm: null };
    }
  }
  const all = side(0, HIST_BINS);
  if (!runLike(all, priorSpm)) return { method: 'walking', thresholdSpm: null };
  return { method: 'single-cluster', thresholdSpm: Math.min(priorSpm, Math.max(0, all.meanSpm - SINGLE_CLUSTER_SPREAD_SPM)) };
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
  // Moving samples first; running is then told from walking within the activity.
  const candidate = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (!(weightS[i]! > 0)) continue;
    const v = speedMps[i]!;
    const c = s.cadenceSpm[i]!;
    if (noSpeed) {
      // No speed at all (e.g. an indoor file with cadence only): moving feet decide.
      if (footCadence && Number.isFinite(c) && c > 0) {
        candidate[i] = 1;
        if (runningSport) moving[i] = 1;
      }
      continue;
    }
    if (Number.isFinite(v) && v >= STATIONARY_SPEED_MPS) {
      moving[i] = 1;
      candidate[i] = 1;
    }
  }
  let runWalk: RunWalkSplit = { method: 'none', thresholdSpm: null };
  if (runningSport) {
    runWalk = footCadence ? splitRunWalk(s.cadenceSpm, speedMps, weightS, candidate, o.walkRunSpm) : { method: 'speed', thresholdSpm: null };
    const floor = runWalk.thresholdSpm;
    const runs = runWalk.method !== 'walking';
    for (let i = 0; i < n; i++) {
      if (candidate[i] !== 1 || !runs) continue;
      const v = speedMps[i]!;
      const c = s.cadenceSpm[i]!;
      const cadenceOk = floor === null || !Number.isFinite(c) || c >= floor;
      if (noSpeed) {
        if (cadenceOk) running[i] = 1;
      } else if (Number.isFinite(v) && v >= o.minRunSpeedMps && cadenceOk) running[i] = 1;
    }
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
  return { n, weightS, stepM, speedMps, moving, running, steady, glitches, noSpeed, distanceNotMonotonic, runWalk };
}
