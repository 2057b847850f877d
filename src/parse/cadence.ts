/**
 * Cadence unit detection and normalisation (docs/algorithms.md, card C0).
 *
 * FIT stores running cadence as strides per minute of one foot; some GPX/TCX
 * writers store steps per minute, a few double twice. The unit is therefore
 * decided per activity from the data: the median running cadence falls in a
 * band typical of strides or of steps, and where it does not, the factor whose
 * implied step length (`speed * 60 / spm`) is plausible for the speed wins.
 *
 * Deviation from the card: walking and hiking use their own bands
 * (strides 40–75, steps 80–150) so that a slow hike at 88 steps/min is not
 * doubled, and activities whose median moving speed is under 2 m/s use the
 * walking bands even when labelled running (a walk recorded as a run).
 * An activity of unknown sport (`generic`) whose cadence samples move at a
 * median of {@link MAX_RUN_MEDIAN_SPEED_MPS} or more is pedalling: never doubled.
 */
import type { CadenceDetection, Sport, SubSport } from '../activity.js';
import type { ActivityFormat } from '../errors.js';

/** Caller override of the cadence unit. */
export type CadenceUnitOption = 'auto' | 'strides' | 'steps';

const NOT_FOOT_SPORTS = new Set<string>([
  'cycling',
  'swimming',
  'rowing',
  'fitness_equipment',
  'e_biking',
  'paddling',
  'kayaking',
  'rafting',
  'sailing',
  'stand_up_paddleboarding',
  'alpine_skiing',
  'cross_country_skiing',
  'snowboarding',
  'inline_skating',
  'ice_skating',
  'driving',
  'motorcycling',
  'flying',
  'horseback_riding',
]);
const NOT_FOOT_SUB_SPORTS = new Set<string>([
  'indoor_cycling',
  'spin',
  'road',
  'mountain',
  'cyclocross',
  'track_cycling',
  'elliptical',
  'indoor_rowing',
  'lap_swimming',
  'open_water',
  'virtual_activity',
]);
const WALK_SPORTS = new Set<string>(['walking', 'hiking', 'mountaineering', 'snowshoeing']);

/**
 * Median moving speed no one runs a whole activity at, m/s (23 km/h; elite
 * marathon pace is 5.7 m/s). A cadence recorded at such a speed is a
 * pedalling cadence, whatever the file calls the sport.
 */
export const MAX_RUN_MEDIAN_SPEED_MPS = 6.5;

/**
 * True when cadence of this sport is a step/stride count (running, walking, hiking, generic foot activity).
 *
 * @example isFootSport('running', 'treadmill') // true
 * @example isFootSport('cycling', 'road') // false (pedal rpm, never doubled)
 */
export function isFootSport(sport: Sport, subSport: SubSport): boolean {
  if (NOT_FOOT_SPORTS.has(sport)) return false;
  if (sport !== 'running' && NOT_FOOT_SUB_SPORTS.has(subSport)) return false;
  return true;
}

/** Median of `src[i]` over `indices` that pass `keep`; a typed-array sort (numeric, no comparator call). */
function medianAt(indices: readonly number[], src: ArrayLike<number>, keep?: (v: number) => boolean): number {
  const buf = new Float64Array(indices.length);
  let k = 0;
  for (const i of indices) {
    const v = src[i]!;
    if (keep === undefined || keep(v)) buf[k++] = v;
  }
  if (k === 0) return Number.NaN;
  const s = buf.subarray(0, k).sort();
  const m = k >> 1;
  return k % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Expected running step length in metres at speed v (van Oeveren 2019 line, card C0). */
function expectedRunStepM(v: number): number {
  return (v * 60) / (150 + 6.01 * v);
}
/** Expected walking step length in metres at speed v (step rate about 95 + 15·v spm at 0.8–2 m/s). */
function expectedWalkStepM(v: number): number {
  return (v * 60) / (95 + 15 * v);
}

export interface CadenceContext {
  readonly sport: Sport;
  readonly subSport: SubSport;
  readonly format: ActivityFormat;
  readonly override?: CadenceUnitOption;
}

/**
 * Decides the unit of `raw` cadence values (in the file's own unit, FIT
 * fractional part already added) and returns steps/min values plus the
 * decision. `raw` is not modified. Zero and non-finite raw values become NaN
 * (a stopped foot is "no cadence", never "cadence 0").
 *
 * @example
 * // 85 strides/min at 3 m/s is 170 steps/min (implied step 1.06 m)
 * normalizeCadence(Float32Array.of(85, 85), Float32Array.of(3, 3), { sport: 'running', subSport: 'generic', format: 'fit' })
 */
export function normalizeCadence(
  raw: ArrayLike<number>,
  speedMps: ArrayLike<number>,
  ctx: CadenceContext,
): { cadenceSpm: Float32Array; detection: CadenceDetection } {
  const n = raw.length;
  const out = new Float32Array(n);
  const valid: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = raw[i]!;
    if (Number.isFinite(c) && c > 0) valid.push(i);
    out[i] = Number.NaN;
  }
  const apply = (factor: 1 | 2): void => {
    for (const i of valid) out[i] = raw[i]! * factor;
  };

  // A sport the file does not name, moving at cycling speed while the cadence is recorded: pedalling.
  const pedalling =
    ctx.sport === 'generic' &&
    medianAt(
      valid.filter((i) => (speedMps[i] ?? Number.NaN) > 0.3),
      speedMps,
    ) >= MAX_RUN_MEDIAN_SPEED_MPS;
  if (!isFootSport(ctx.sport, ctx.subSport) || pedalling) {
    apply(1);
    return {
      cadenceSpm: out,
      detection: {
        detected: 'none',
        factor: 1,
        confidence: 1,
        method: 'not-a-foot-sport',
        medianRaw: medianAt(valid, raw),
      },
    };
  }
  if (valid.length === 0) {
    return {
      cadenceSpm: out,
      detection: { detected: 'none', factor: 1, confidence: 1, method: 'no-data', medianRaw: Number.NaN },
    };
  }
  if (ctx.override === 'strides' || ctx.override === 'steps') {
    const factor = ctx.override === 'strides' ? 2 : 1;
    apply(factor);
    return {
      cadenceSpm: out,
      detection: {
        detected: ctx.override,
        factor,
        confidence: 1,
        method: 'override',
        medianRaw: medianAt(valid, raw),
      },
    };
  }

  const moving = valid.filter((i) => (speedMps[i] ?? Number.NaN) > 0.3);
  const medSpeed = medianAt(moving, speedMps);
  const hasSpeed = Number.isFinite(medSpeed);
  const walking = WALK_SPORTS.has(ctx.sport) || (hasSpeed && medSpeed < 2.0);
  const runningIdx = valid.filter((i) => (speedMps[i] ?? Number.NaN) >= 1.5);
  const basis = !walking && runningIdx.length >= Math.max(10, valid.length * 0.2) ? runningIdx : valid;
  const cMed = medianAt(basis, raw);
  const vMed = hasSpeed ? medianAt(basis, speedMps, (v) => Number.isFinite(v) && v > 0.3) : Number.NaN;
  const generic = ctx.sport !== 'running' && !WALK_SPORTS.has(ctx.sport);
  const scale = generic ? 0.8 : 1;

  const stridesBand: [number, number] = walking ? [40, 75] : [60, 115];
  const stepsBand: [number, number] = walking ? [80, 150] : [130, 240];
  const plausible: [number, number] = walking ? [0.3, 1.1] : [0.5, 1.8];
  const expected = walking ? expectedWalkStepM : expectedRunStepM;
  const stepLenFor = (k: 1 | 2): number => (vMed * 60) / (k * cMed);
  const isPlausible = (k: 1 | 2): boolean => {
    const l = stepLenFor(k);
    return l >= plausible[0] && l <= plausible[1];
  };

  let factor: 1 | 2;
  let method: CadenceDetection['method'];
  let confidence: number;
  const inBand = (b: [number, number]): boolean => cMed >= b[0] && cMed <= b[1];
  if (inBand(stridesBand) || inBand(stepsBand)) {
    factor = inBand(stridesBand) ? 2 : 1;
    method = 'band';
    confidence = !Number.isFinite(vMed) ? 0.85 : isPlausible(factor) ? 0.95 : 0.7;
  } else if (Number.isFinite(vMed) && (isPlausible(1) || isPlausible(2))) {
    method = 'step-length';
    const e = expected(vMed);
    const candidates = ([1, 2] as const).filter(isPlausible);
    factor = candidates.reduce((best, k) => (Math.abs(stepLenFor(k) - e) < Math.abs(stepLenFor(best) - e) ? k : best));
    confidence = candidates.length === 1 ? 0.85 : 0.75;
  } else {
    method = 'prior';
    if (ctx.format === 'fit') factor = 2;
    else {
      const target = walking ? 110 : 170;
      factor = Math.abs(2 * cMed - target) < Math.abs(cMed - target) ? 2 : 1;
    }
    confidence = 0.5;
  }
  apply(factor);
  return {
    cadenceSpm: out,
    detection: {
      detected: factor === 2 ? 'strides' : 'steps',
      factor,
      confidence: Math.round(confidence * scale * 100) / 100,
      method,
      medianRaw: cMed,
    },
  };
}
