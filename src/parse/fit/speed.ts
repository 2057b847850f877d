/**
 * Which speed decides the cadence unit: devices sometimes record a speed
 * that disagrees with their own distance.
 */
import type { ParseWarning, SampleColumns } from '../../activity.js';

/**
 * Speed from the distance column over a window of about ±`halfWindowS` seconds
 * (NaN where distance is missing). Some devices record a `speed` that disagrees
 * with their own distance (seen: an FR920XT whose record speed was 60 % of the
 * distance rate); the cadence unit test then uses this one.
 *
 * @example speedFromDistance(Float64Array.of(0, 1, 2), Float64Array.of(0, 3, 6)) // 3 m/s everywhere
 */
export function speedFromDistance(timeS: Float64Array, distanceM: Float64Array, halfWindowS = 5): Float32Array {
  const n = timeS.length;
  const out = new Float32Array(n).fill(Number.NaN);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    while (a < i && timeS[i]! - timeS[a]! > halfWindowS) a++;
    if (b < i) b = i;
    while (b + 1 < n && timeS[b + 1]! - timeS[i]! <= halfWindowS) b++;
    const dt = timeS[b]! - timeS[a]!;
    const dd = distanceM[b]! - distanceM[a]!;
    if (dt > 0 && Number.isFinite(dd) && dd >= 0) out[i] = dd / dt;
  }
  return out;
}

/**
 * Median of the kept values, estimated from at most about 4096 evenly spaced samples.
 *
 * @example medianOf([1, 2, 3, NaN], Number.isFinite) // 2
 */
export function medianOf(values: ArrayLike<number>, keep: (v: number) => boolean): number {
  const stride = Math.max(1, Math.floor(values.length / 4096));
  const a = new Float64Array(Math.ceil(values.length / stride));
  let n = 0;
  for (let i = 0; i < values.length; i += stride) if (keep(values[i]!)) a[n++] = values[i]!;
  if (n === 0) return Number.NaN;
  const kept = a.subarray(0, n).sort();
  return kept[n >> 1]!;
}

/**
 * The speed (m/s) to judge cadence units by: the recorded one, unless the distance rate
 * disagrees by more than 25 % (then a SPEED_INCONSISTENT warning is added to `warnings`).
 *
 * @example normalizeCadence(raw, detectionSpeed(columns, warnings), ctx)
 */
export function detectionSpeed(columns: SampleColumns, warnings: ParseWarning[]): Float32Array {
  const recorded = columns.speedMps;
  const derived = speedFromDistance(columns.timeS, columns.distanceM);
  const moving = (v: number): boolean => v > 0.5;
  const mDerived = medianOf(derived, moving);
  if (Number.isNaN(mDerived)) return recorded;
  const mRecorded = medianOf(recorded, moving);
  if (Number.isNaN(mRecorded)) return derived;
  if (Math.abs(mRecorded - mDerived) / mDerived > 0.25) {
    warnings.push({
      code: 'SPEED_INCONSISTENT',
      message: `the recorded speed (median ${mRecorded.toFixed(2)} m/s) disagrees with the distance rate (median ${mDerived.toFixed(2)} m/s); the distance rate was used to decide the cadence unit`,
    });
    return derived;
  }
  return recorded;
}
