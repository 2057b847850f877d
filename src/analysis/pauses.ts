/**
 * Timer pauses as sorted, disjoint intervals, so that "is this time paused?"
 * costs O(log p) instead of a scan of every pause. A file can hold a pause
 * between every two samples (a GPX with one `<trkseg>` per point, a FIT file
 * with a timer stop/start per record); scanning all of them per sample made
 * the analysis quadratic (80,000 such points took 8 s).
 */
import type { Pause } from '../activity.js';

/** Disjoint closed intervals `[startS[k], endS[k]]`, in increasing order, seconds since the activity start. */
export interface PauseIndex {
  readonly startS: Float64Array;
  readonly endS: Float64Array;
}

/**
 * Sorts and merges pauses (overlapping or touching ones become one); pauses
 * with a missing bound or ending before they start are left out.
 *
 * @example indexPauses([{ startS: 5, endS: 8 }, { startS: 1, endS: 2 }, { startS: 7, endS: 9 }]) // starts [1, 5], ends [2, 9]
 */
export function indexPauses(pauses: readonly Pause[]): PauseIndex {
  const valid = pauses.filter((p) => Number.isFinite(p.startS) && Number.isFinite(p.endS) && p.endS >= p.startS);
  valid.sort((a, b) => a.startS - b.startS);
  const starts: number[] = [];
  const ends: number[] = [];
  for (const p of valid) {
    const k = ends.length - 1;
    if (k >= 0 && p.startS <= ends[k]!) ends[k] = Math.max(ends[k]!, p.endS);
    else {
      starts.push(p.startS);
      ends.push(p.endS);
    }
  }
  return { startS: Float64Array.from(starts), endS: Float64Array.from(ends) };
}

/**
 * True when time `tS` (s) lies inside a pause, bounds included.
 *
 * @example isPausedAt(indexPauses([{ startS: 10, endS: 20 }]), 15) // true
 */
export function isPausedAt(index: PauseIndex, tS: number): boolean {
  const { startS, endS } = index;
  // last k with startS[k] <= tS
  let lo = 0;
  let hi = startS.length - 1;
  let k = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (startS[mid]! <= tS) {
      k = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return k >= 0 && tS <= endS[k]!;
}

/**
 * True when some pause overlaps the open interval (`aS`, `bS`): a pause with
 * `endS > aS` and `startS < bS`.
 *
 * @example pauseOverlaps(indexPauses([{ startS: 10, endS: 20 }]), 5, 11) // true
 */
export function pauseOverlaps(index: PauseIndex, aS: number, bS: number): boolean {
  const { startS, endS } = index;
  // first k with endS[k] > aS (ends increase, the intervals being disjoint and sorted)
  let lo = 0;
  let hi = endS.length - 1;
  let k = endS.length;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (endS[mid]! > aS) {
      k = mid;
      hi = mid - 1;
    } else lo = mid + 1;
  }
  return k < endS.length && startS[k]! < bS;
}
