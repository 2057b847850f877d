/**
 * Records of a decoded FIT part written straight into typed-array columns,
 * in stridewise units, with invalid and out-of-range values as NaN.
 */
import type { SampleColumns } from '../../activity.js';
import { createColumns } from '../columns.js';
import type { FitMessage } from './decode.js';
import { packedByte } from './hr.js';
import { num, timeMs, type Mutable } from './values.js';

/** A forward gap between records larger than this is reported as a time jump. */
const TIME_JUMP_S = 3600;

/**
 * Expands `compressed_speed_distance` (FR60/FR70 foot pods) over a part's records, in file
 * order (the distance accumulates across the whole part). `undefined` when no record has it.
 *
 * @example
 * expandCompressedSpeedDistance([{ compressed_speed_distance: [44, 1, 3] }])?.distanceM[0] // 3 (48/16 m)
 */
export function expandCompressedSpeedDistance(records: readonly FitMessage[]): { distanceM: Float64Array; speedMps: Float32Array } | undefined {
  let any = false;
  for (const r of records) {
    if (r['compressed_speed_distance'] !== undefined) {
      any = true;
      break;
    }
  }
  if (!any) return undefined;
  // FIT profile, record field 8: components speed (12 bits, scale 100, m/s) and
  // distance (12 bits, scale 16, m, accumulated: rolls over at 4096).
  const distanceM = new Float64Array(records.length).fill(Number.NaN);
  const speedMps = new Float32Array(records.length).fill(Number.NaN);
  let total = Number.NaN;
  let last = 0;
  for (let i = 0; i < records.length; i++) {
    const v = records[i]!['compressed_speed_distance'];
    if (!Array.isArray(v) || v.length < 3) continue;
    const b0 = packedByte(v[0]);
    const b1 = packedByte(v[1]);
    const b2 = packedByte(v[2]);
    if (!Number.isFinite(b0) || !Number.isFinite(b1) || !Number.isFinite(b2)) continue;
    if (b0 === 0xff && b1 === 0xff && b2 === 0xff) continue;
    const speed = b0 | ((b1 & 0x0f) << 8);
    const dist = (b1 >> 4) | (b2 << 4);
    if (Number.isNaN(total)) total = dist;
    else total += (dist - last) & 0xfff;
    last = dist;
    speedMps[i] = speed / 100;
    distanceM[i] = total / 16;
  }
  return { distanceM, speedMps };
}

/** What {@link fillColumns} dropped or noticed, for warnings. */
export interface Counters {
  invalid: number;
  merged: number;
  backwards: number;
  jumps: number;
  maxJumpS: number;
  noTime: number;
}

/**
 * Writes the records `idx` (indices into `records`, file order) into columns.
 * Records without a time or going back in time are dropped (counted); records
 * sharing a timestamp become one sample. Units: m, m/s, deg, steps or strides
 * as stored (`rawCadence`, normalised later), W, s, %, °C; `sampleTimeMs` is
 * UTC epoch ms of each kept sample.
 *
 * @example
 * const { columns } = fillColumns(part.records, [0, 1, 2], startMs, undefined, counters);
 */
export function fillColumns(
  records: readonly FitMessage[],
  idx: readonly number[],
  startMs: number,
  expanded: { distanceM: Float64Array; speedMps: Float32Array } | undefined,
  counters: Counters,
): { columns: Mutable<SampleColumns>; rawCadence: Float32Array; sampleTimeMs: Float64Array } {
  const n0 = idx.length;
  const c = createColumns(n0) as Mutable<SampleColumns>;
  const rawCadence = new Float32Array(n0).fill(Number.NaN);
  const sampleTimeMs = new Float64Array(n0);
  const { timeS, distanceM, speedMps, altitudeM, latDeg, lonDeg, heartRateBpm, powerW, stepLengthM } = c;
  const { verticalOscillationM, stanceTimeS, verticalRatioPct, stanceTimeBalancePct, temperatureC } = c;
  const merged: (Float64Array | Float32Array)[] = [rawCadence];
  for (const key of Object.keys(c) as (keyof SampleColumns)[]) if (key !== 'length' && key !== 'timeS') merged.push(c[key] as Float64Array | Float32Array);
  let n = 0;
  let lastMs = -Infinity;
  let invalid = 0;
  for (let k = 0; k < n0; k++) {
    const ri = idx[k]!;
    const r = records[ri]!;
    const t = timeMs(r['timestamp']);
    if (Number.isNaN(t)) {
      counters.noTime++;
      continue;
    }
    if (t < lastMs) {
      counters.backwards++;
      continue;
    }
    if (lastMs !== -Infinity && t - lastMs > TIME_JUMP_S * 1000) {
      counters.jumps++;
      counters.maxJumpS = Math.max(counters.maxJumpS, (t - lastMs) / 1000);
    }
    lastMs = t;
    sampleTimeMs[n] = t;
    timeS[n] = (t - startMs) / 1000;

    let d = num(r['distance']);
    let v = num(r['enhanced_speed']);
    if (Number.isNaN(v)) v = num(r['speed']);
    if (expanded !== undefined) {
      if (Number.isNaN(d)) d = expanded.distanceM[ri]!;
      if (Number.isNaN(v)) v = expanded.speedMps[ri]!;
    }
    if (d < 0 || d > 1e8) {
      d = Number.NaN;
      invalid++;
    }
    if (v < 0 || v > 100) {
      v = Number.NaN;
      invalid++;
    }
    distanceM[n] = d;
    speedMps[n] = v;

    let alt = num(r['enhanced_altitude']);
    if (Number.isNaN(alt)) alt = num(r['altitude']);
    if (alt < -1000 || alt > 10000) {
      alt = Number.NaN;
      invalid++;
    }
    altitudeM[n] = alt;

    let lat = num(r['position_lat']);
    let lon = num(r['position_long']);
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180 || (lat === 0 && lon === 0)) {
      if (!Number.isNaN(lat) || !Number.isNaN(lon)) invalid++;
      lat = Number.NaN;
      lon = Number.NaN;
    }
    if (Number.isNaN(lat) || Number.isNaN(lon)) {
      lat = Number.NaN;
      lon = Number.NaN;
    }
    latDeg[n] = lat;
    lonDeg[n] = lon;

    let cad = num(r['cadence']);
    if (Number.isNaN(cad)) {
      const c256 = num(r['cadence256']);
      if (!Number.isNaN(c256)) cad = c256;
    } else {
      const frac = num(r['fractional_cadence']);
      if (frac > 0 && frac < 1) cad += frac;
    }
    if (cad < 0 || cad >= 255) {
      cad = Number.NaN;
      invalid++;
    }
    rawCadence[n] = cad;

    const hr = num(r['heart_rate']);
    if (hr >= 255 || hr < 0) invalid++;
    heartRateBpm[n] = hr > 0 && hr < 255 ? hr : Number.NaN;

    const p = num(r['power']);
    if (p < 0 || p > 5000) invalid++;
    powerW[n] = p >= 0 && p <= 5000 ? p : Number.NaN;

    // fit-file-parser leaves these in the profile's units (mm, ms) whatever lengthUnit says.
    const sl = num(r['step_length']);
    stepLengthM[n] = sl > 0 && sl < 5000 ? sl / 1000 : Number.NaN;
    const vo = num(r['vertical_oscillation']);
    verticalOscillationM[n] = vo > 0 && vo < 500 ? vo / 1000 : Number.NaN;
    const st = num(r['stance_time']);
    stanceTimeS[n] = st > 0 && st < 4000 ? st / 1000 : Number.NaN;
    const vr = num(r['vertical_ratio']);
    verticalRatioPct[n] = vr > 0 && vr < 100 ? vr : Number.NaN;
    const sb = num(r['stance_time_balance']);
    stanceTimeBalancePct[n] = sb > 0 && sb < 100 ? sb : Number.NaN;
    const temp = num(r['temperature']);
    if (temp < -60 || temp > 70) invalid++;
    temperatureC[n] = temp >= -60 && temp <= 70 ? temp : Number.NaN;
    if (n > 0 && sampleTimeMs[n - 1] === t) {
      // Several records with one timestamp (some apps write position and distance apart):
      // one sample, the first value of each column kept.
      for (const col of merged) {
        if (Number.isNaN(col[n - 1]!)) col[n - 1] = col[n]!;
        col[n] = Number.NaN;
      }
      counters.merged++;
      continue;
    }
    n++;
  }
  counters.invalid += invalid;
  if (n === n0) return { columns: c, rawCadence, sampleTimeMs };
  const out = createColumns(n) as Mutable<SampleColumns>;
  for (const key of Object.keys(c) as (keyof SampleColumns)[]) {
    if (key === 'length') continue;
    (out[key] as Float64Array | Float32Array).set((c[key] as Float64Array | Float32Array).subarray(0, n));
  }
  return { columns: out, rawCadence: rawCadence.slice(0, n), sampleTimeMs: sampleTimeMs.slice(0, n) };
}
