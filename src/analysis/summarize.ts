/**
 * `summarizeActivity`: one Activity (typed-array columns) into a small,
 * plain-JSON {@link ActivitySummary}.
 */
import type { Activity } from '../activity.js';
import { classifyActivity, isTreadmillSubSport } from './classify.js';
import { analyzeElevation, ELEVATION_PARAMS, MAX_VERTICAL_SPEED_MPS, MIN_PLAUSIBLE_ALTITUDE_M, type RawDownhill } from './elevation.js';
import { summarizeCadence, summarizeDynamics, summarizeStepLength } from './form.js';
import { gradeSpeedFactor } from './gap.js';
import { resolveAnalysisOptions, type AnalysisOptions } from './options.js';
import { buildSampleView, type SampleView } from './samples.js';
import { haversineM } from '../parse/geo.js';
import { finiteOrNull, median, weightedCv, weightedMean } from './stats.js';
import { localTimeOf } from './zone.js';
import type { ActivitySummary, DownhillCategory, DownhillSegment, QualityFlag } from './types.js';

/** Least running time for cadence and form findings, s (card Q1). */
export const MIN_RUNNING_TIME_S = 600;
/** Least share of running time with cadence (card Q1). */
export const MIN_CADENCE_COVERAGE = 0.7;
/** Least cadence-unit confidence (card Q1). */
export const MIN_UNIT_CONFIDENCE = 0.8;
/** Fastest plausible running speed, m/s (card Q1). */
export const MAX_RUN_SPEED_MPS = 8;
/** A track that ends within this distance of its start is a loop, m (card D3 drift check). */
export const LOOP_CLOSE_M = 100;
/** Start and end altitude of a loop differing by more than this flags drift, m. */
export const LOOP_DRIFT_M = 15;

/** Median of the first (or last) `k` finite values of a column at or above `min`. */
function edgeMedian(col: ArrayLike<number>, fromEnd: boolean, k = 10, min = Number.NEGATIVE_INFINITY): number {
  const vals: number[] = [];
  for (let q = 0; q < col.length && vals.length < k; q++) {
    const v = col[fromEnd ? col.length - 1 - q : q]!;
    if (Number.isFinite(v) && v >= min) vals.push(v);
  }
  return median(vals);
}

/**
 * Banister TRIMP of heart-rate samples: Σ (wᵢ/60) · HRrᵢ · k·e^(b·HRrᵢ), with
 * HRr = (HR − rest) / (max − rest) clamped to 0..1, k = 0.64, b = 1.92 (male)
 * or k = 0.86, b = 1.67 (female). Null when no sample has heart rate.
 * @example banisterTrimp([150], [3600], 50, 190, 'male') // ≈ 108.1 (60 min × 0.714 × 0.64·e^(1.92·0.714))
 */
export function banisterTrimp(
  heartRateBpm: ArrayLike<number>,
  weightS: ArrayLike<number>,
  restingBpm: number,
  maxBpm: number,
  weighting: 'male' | 'female',
): number | null {
  const [k, b] = weighting === 'female' ? [0.86, 1.67] : [0.64, 1.92];
  let total = 0;
  let any = false;
  for (let i = 0; i < heartRateBpm.length; i++) {
    const hr = heartRateBpm[i]!;
    const w = weightS[i]!;
    if (!Number.isFinite(hr) || !(w > 0)) continue;
    const r = Math.min(1, Math.max(0, (hr - restingBpm) / (maxBpm - restingBpm)));
    total += (w / 60) * r * k * Math.exp(b * r);
    any = true;
  }
  return any ? total : null;
}

/**
 * Category of a downhill by its mean grade (card D3): mild (−3 to −5 %),
 * moderate (−5 to −10 %), steep (−10 to −15 %), very steep (below −15 %).
 * @example downhillCategory(-0.12) // 'steep'
 */
export function downhillCategory(meanGrade: number): DownhillCategory {
  if (meanGrade < -0.15) return 'very-steep';
  if (meanGrade <= -0.1) return 'steep';
  if (meanGrade <= -0.05) return 'moderate';
  return 'mild';
}

function segmentStats(activity: Activity, view: SampleView, step: Float64Array, downhills: readonly RawDownhill[], distance0: number): DownhillSegment[] {
  const s = activity.samples;
  const k = downhills.length;
  // Segments do not overlap and come in distance order: each running sample finds its
  // segment by binary search, so the pass costs n·log k rather than n·k.
  const sums = new Float64Array(k * 6); // per segment: Σw·v, Σw (speed); Σw·c, Σw (cadence); Σw·L, Σw (step)
  const add = (seg: number, slot: number, x: number, w: number): void => {
    if (!Number.isFinite(x)) return;
    sums[seg * 6 + slot] = sums[seg * 6 + slot]! + w * x;
    sums[seg * 6 + slot + 1] = sums[seg * 6 + slot + 1]! + w;
  };
  for (let i = 0; i < view.n; i++) {
    const w = view.weightS[i]!;
    if (view.running[i] !== 1 || !(w > 0) || !Number.isFinite(w)) continue;
    const x = s.distanceM[i]!;
    let lo = 0;
    let hi = k - 1;
    let seg = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = downhills[mid]!;
      if (x <= d.startX) hi = mid - 1;
      else if (x > d.endX) lo = mid + 1;
      else {
        seg = mid;
        break;
      }
    }
    if (seg < 0) continue;
    add(seg, 0, view.speedMps[i]!, w);
    add(seg, 2, s.cadenceSpm[i]!, w);
    add(seg, 4, step[i]!, w);
  }
  const mean = (seg: number, slot: number): number | null => {
    const sw = sums[seg * 6 + slot + 1]!;
    return sw > 0 ? finiteOrNull(sums[seg * 6 + slot]! / sw) : null;
  };
  const foot = activity.cadence.detected !== 'none';
  return downhills.map((d, seg) => ({
    startDistanceM: d.startX - distance0,
    endDistanceM: d.endX - distance0,
    startTimeS: finiteOrNull(d.startTimeS),
    endTimeS: finiteOrNull(d.endTimeS),
    lengthM: d.endX - d.startX,
    dropM: d.dropM,
    meanGrade: d.meanGrade,
    maxGrade: d.maxGrade,
    category: downhillCategory(d.meanGrade),
    speedMps: mean(seg, 0),
    cadenceSpm: foot ? mean(seg, 2) : null,
    stepLengthM: foot ? mean(seg, 4) : null,
  }));
}

/**
 * Summarises one activity: running-sample filter (card C1), cadence (C2),
 * step length and running dynamics (O1), elevation and downhills (D1–D3),
 * grade-adjusted speed (G1), class (X1) and data-quality flags (Q1).
 * Pure: the activity is not modified. Thin data gives `null`s and flags,
 * never an exception; only invalid options throw.
 *
 * @throws {StridewiseError} `INVALID_OPTION` for an out-of-range option or unknown time zone.
 * @example
 * const [run] = await parseActivities(bytes);
 * const s = summarizeActivity(run, { timeZone: 'Europe/Berlin' });
 * s.cadence.avgSpm;          // e.g. 171.2 (steps/min, time-weighted over running)
 * s.downhillSegments[0];     // { startDistanceM: 2017, dropM: 35.1, category: 'moderate', ... }
 */
export function summarizeActivity(activity: Activity, options: AnalysisOptions = {}): ActivitySummary {
  const o = resolveAnalysisOptions(options);
  const s = activity.samples;
  const n = s.length;
  const activityClass = activity.sport === 'generic' ? o.genericSportAs : classifyActivity(activity.sport, activity.subSport);
  const isTreadmill = isTreadmillSubSport(activity.subSport);
  const view = buildSampleView(activity, activityClass === 'running', o);

  let firstT = Number.NaN;
  let lastT = Number.NaN;
  let firstD = Number.NaN;
  let lastD = Number.NaN;
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(s.timeS[i]!)) {
      if (!Number.isFinite(firstT)) firstT = s.timeS[i]!;
      lastT = s.timeS[i]!;
    }
    if (Number.isFinite(s.distanceM[i]!)) {
      if (!Number.isFinite(firstD)) firstD = s.distanceM[i]!;
      lastD = s.distanceM[i]!;
    }
  }
  let movingTimeS = 0;
  let runningTimeS = 0;
  let runningDistanceM = 0;
  let stepSum = 0;
  for (let i = 0; i < n; i++) {
    const w = view.weightS[i]!;
    stepSum += view.stepM[i]!;
    if (view.moving[i] === 1 || (view.noSpeed && activityClass !== 'running')) movingTimeS += w;
    if (view.running[i] === 1) {
      runningTimeS += w;
      runningDistanceM += view.stepM[i]!;
    }
  }
  const sampleDistance = Number.isFinite(lastD) ? lastD - firstD : stepSum;
  const distanceM = sampleDistance > 0 ? sampleDistance : (activity.deviceSummary.totalDistanceM ?? 0);
  const elapsedTimeS = Number.isFinite(lastT) && lastT > firstT ? lastT - firstT : (activity.deviceSummary.elapsedTimeS ?? 0);
  let pausedTimeS = 0;
  for (const p of activity.pauses) {
    const a = Math.max(p.startS, Number.isFinite(firstT) ? firstT : p.startS);
    const b = Math.min(p.endS, Number.isFinite(lastT) ? lastT : p.endS);
    if (b > a) pausedTimeS += b - a;
  }

  const elevation = analyzeElevation(activity, view, isTreadmill, o, activityClass === 'running' || activityClass === 'walking');
  const gradeKnown = elevation.source !== 'none';
  const flatSteady = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (view.running[i] !== 1 || view.steady[i] !== 1) continue;
    const g = elevation.gradeAtSample[i]!;
    if (!gradeKnown || (Number.isFinite(g) && Math.abs(g) < o.flatGradeMax)) flatSteady[i] = 1;
  }
  const cadence = summarizeCadence(activity, view, flatSteady, o);
  const stepLength = summarizeStepLength(activity, view, flatSteady, isTreadmill, o);
  const dynamics = summarizeDynamics(activity, view, flatSteady);
  const distance0 = Number.isFinite(firstD) ? firstD : 0;
  // Step length per sample for downhill stretches: the device's where recorded, else speed ÷ steps per second.
  const step = new Float64Array(elevation.downhills.length > 0 ? n : 0);
  for (let i = 0; i < step.length; i++) {
    const dev = s.stepLengthM[i]!;
    const c = s.cadenceSpm[i]!;
    step[i] = dev > 0 ? dev : c > 0 ? (view.speedMps[i]! * 60) / c : Number.NaN;
  }
  const downhillSegments = segmentStats(activity, view, step, elevation.downhills, distance0);

  // Card G1: equivalent flat distance Σ ds·Cr(i)/Cr(0) over running samples with a grade.
  let gapDistance = 0;
  let gapTime = 0;
  if (gradeKnown) {
    for (let i = 0; i < n; i++) {
      const g = elevation.gradeAtSample[i]!;
      if (view.running[i] !== 1 || !Number.isFinite(g)) continue;
      gapDistance += view.stepM[i]! * gradeSpeedFactor(g);
      gapTime += view.weightS[i]!;
    }
  }
  const runW = new Float64Array(n);
  for (let i = 0; i < n; i++) if (view.running[i] === 1) runW[i] = view.weightS[i]!;
  const speedCv = weightedCv(view.speedMps, runW);
  const avgSpeed =
    activityClass === 'running' ? runningDistanceM / runningTimeS : movingTimeS > 0 ? distanceM / movingTimeS : Number.NaN;

  const { startTime, localDate, timeZone, timeZoneSource } = localTimeOf(activity, o.timeZone);

  const quality: QualityFlag[] = [];
  const flag = (code: string, message: string): void => {
    quality.push({ code, message });
  };
  if (startTime === null) flag('NO_TIME', 'the file holds no usable start time; the activity is left out of weekly load');
  if (activityClass === 'running') {
    if (runningTimeS < MIN_RUNNING_TIME_S) {
      flag('SHORT_RUN', `only ${Math.round(runningTimeS)} s of running (under ${MIN_RUNNING_TIME_S} s): too little for cadence and form findings`);
    }
    if (activity.cadence.detected === 'none') flag('NO_CADENCE', 'no step cadence recorded');
    else {
      if (cadence.coverage < MIN_CADENCE_COVERAGE) {
        flag('CADENCE_SPARSE', `cadence present in ${Math.round(cadence.coverage * 100)} % of running time (under 70 %)`);
      }
      if (activity.cadence.confidence < MIN_UNIT_CONFIDENCE) {
        flag('CADENCE_UNIT_UNSURE', `cadence unit (${activity.cadence.detected}) decided with confidence ${activity.cadence.confidence} (under 0.8)`);
      }
    }
    if (isTreadmill) flag('TREADMILL_SPEED', 'treadmill: speed and distance come from an accelerometer, so step length is low confidence and distance is estimated');
    let maxSpeed = 0;
    for (let i = 0; i < n; i++) if (view.running[i] === 1) maxSpeed = Math.max(maxSpeed, view.speedMps[i]!);
    if (view.glitches > 0 || maxSpeed > MAX_RUN_SPEED_MPS) {
      flag('GPS_SPEED_GLITCHES', `${view.glitches} samples dropped for acceleration over ${o.maxAccelerationMps2} m/s²; top running speed ${maxSpeed.toFixed(1)} m/s`);
    }
    if (view.noSpeed) flag('NO_SPEED', 'no speed recorded: running decided by cadence alone, no step length');
    if (!gradeKnown && !isTreadmill) flag('NO_ALTITUDE', `elevation skipped (${elevation.skippedReason ?? 'unknown'}): flat-only figures assume level ground`);
    if (elevation.source === 'gps') flag('GPS_ALTITUDE', 'altitude looks GPS-derived (noisy): wider smoothing, larger thresholds, lower confidence in grades');
  }
  if (gradeKnown) {
    const lat0 = edgeMedian(s.latDeg, false);
    const lon0 = edgeMedian(s.lonDeg, false);
    const lat1 = edgeMedian(s.latDeg, true);
    const lon1 = edgeMedian(s.lonDeg, true);
    const driftM = Math.abs(edgeMedian(s.altitudeM, true, 10, MIN_PLAUSIBLE_ALTITUDE_M) - edgeMedian(s.altitudeM, false, 10, MIN_PLAUSIBLE_ALTITUDE_M));
    if (Number.isFinite(lat0 + lon0 + lat1 + lon1) && haversineM(lat0, lon0, lat1, lon1) <= LOOP_CLOSE_M && driftM > LOOP_DRIFT_M) {
      flag('ALTITUDE_DRIFT', `the run ends where it started but ${driftM.toFixed(0)} m higher or lower: the altimeter drifted, totals may be off`);
    }
  }
  const ex = elevation.excursions;
  if (ex.stretches > 0 || elevation.implausibleAltitudes > 0) {
    const rate =
      ex.stretches > 0
        ? `${ex.stretches} altitude ${ex.stretches === 1 ? 'stretch' : 'stretches'} changing faster than ${MAX_VERTICAL_SPEED_MPS} m/s vertically while moving (no runner climbs or drops like that) were taken out and bridged`
        : '';
    const low = elevation.implausibleAltitudes > 0 ? `${elevation.implausibleAltitudes} samples below ${MIN_PLAUSIBLE_ALTITUDE_M} m (an empty FIT altitude reads −500 m) were ignored` : '';
    flag('ALTITUDE_EXCURSION', [rate, low].filter((x) => x !== '').join('; '));
  }
  if (elevation.spikesRemoved > 0) {
    flag('ALTITUDE_SPIKES', `${elevation.spikesRemoved} altitude samples more than 25 m off their ±30 s median were ignored`);
  }
  if (view.distanceNotMonotonic) flag('DISTANCE_NOT_MONOTONIC', 'cumulative distance goes backwards in places; those steps were ignored');

  const p = elevation.source === 'none' ? null : ELEVATION_PARAMS[elevation.source];
  return {
    id: activity.id,
    file: activity.source.fileName ?? null,
    name: activity.name ?? null,
    gear: activity.gear ?? null,
    sport: activity.sport,
    subSport: activity.subSport,
    sportSource: activity.sportSource ?? 'file',
    ...(activity.sportConfidence !== undefined ? { sportConfidence: activity.sportConfidence } : {}),
    activityClass,
    isTreadmill,
    startTime,
    localDate,
    timeZone,
    timeZoneSource,
    distanceM,
    runningDistanceM,
    elapsedTimeS,
    movingTimeS,
    runningTimeS,
    pausedTimeS,
    avgSpeedMps: finiteOrNull(avgSpeed),
    gradeAdjustedSpeedMps: gapTime > 0 ? finiteOrNull(gapDistance / gapTime) : null,
    avgHeartRateBpm: finiteOrNull(weightedMean(s.heartRateBpm, view.weightS)),
    cadence,
    stepLength,
    dynamics,
    elevation: {
      source: elevation.source,
      ascentM: finiteOrNull(elevation.ascentM),
      descentM: finiteOrNull(elevation.descentM),
      downhillDistanceM: elevation.downhillDistanceM,
      steepDownhillDistanceM: elevation.steepDownhillDistanceM,
      skippedReason: elevation.skippedReason,
      altitudeNoiseM: finiteOrNull(elevation.noiseM),
      hysteresisM: p?.hysteresisM ?? null,
      smoothingWindowM: p?.smoothWindowM ?? null,
      gradeBaseM: p?.gradeBaseM ?? null,
    },
    downhillSegments,
    deviceSummary: Object.fromEntries(
      Object.entries(activity.deviceSummary).filter(([, v]) => typeof v !== 'number' || Number.isFinite(v)),
    ) as ActivitySummary['deviceSummary'],
    quality,
    speedCv: finiteOrNull(speedCv),
    trimp:
      o.restingHeartRateBpm !== undefined && o.maxHeartRateBpm !== undefined
        ? banisterTrimp(s.heartRateBpm, view.weightS, o.restingHeartRateBpm, o.maxHeartRateBpm, o.trimpWeighting)
        : null,
  };
}
