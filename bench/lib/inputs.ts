/**
 * The benchmark's single-file inputs: one steady, hilly 1 Hz run written as
 * GPX (with cadence and heart rate) and as FIT, for a given number of hours.
 * Seeded, so every run of the benchmark parses the same bytes.
 */
import { encodeFitActivity } from '../../fixtures/lib/fit-writer.js';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { recordingOf, runColumns, seededRandom } from './export.js';

/** GPX and FIT bytes of one run of `hours` h at 1 Hz. */
export interface RunFiles {
  readonly hours: number;
  readonly samples: number;
  readonly gpx: Uint8Array;
  readonly fit: Uint8Array;
}

/**
 * Writes one run of `hours` hours (3600 · hours + 1 samples) as GPX
 * (Garmin-style `gpxtpx` extensions with cadence in strides and heart rate) and FIT.
 *
 * @example const { gpx, fit } = runFiles(1);
 */
export function runFiles(hours: number, seed = 42): RunFiles {
  const cols = runColumns(Math.round(hours * 3600), seededRandom(seed), 3.0, 25);
  const start = new Date('2024-04-07T07:00:00Z');
  const gpx = new TextEncoder().encode(encodeGpx(recordingOf(cols, start, `Bench ${hours} h`), { cadenceAs: 'strides', extensionPrefix: 'gpxtpx' }));
  const fit = encodeFitActivity({ startTime: start, samples: cols });
  return { hours, samples: cols.timeS.length, gpx, fit };
}

/**
 * The floor for GPX: one pass over the bytes that pulls out every number
 * (sign, integer and fraction) and adds them up, knowing nothing of XML.
 *
 * @example bareNumberScan(new TextEncoder().encode('<ele>1.5</ele>')) // 1.5
 */
export function bareNumberScan(bytes: Uint8Array): number {
  let sum = 0;
  let int = 0;
  let frac = 0;
  let scale = 1;
  let sign = 1;
  let state = 0; // 0 outside, 1 integer part, 2 fraction
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c >= 48 && c <= 57) {
      if (state === 2) {
        frac = frac * 10 + (c - 48);
        scale *= 10;
      } else {
        int = int * 10 + (c - 48);
        state = 1;
      }
    } else if (c === 46 && state === 1) {
      state = 2;
    } else {
      if (state !== 0) {
        sum += sign * (int + frac / scale);
        int = 0;
        frac = 0;
        scale = 1;
        state = 0;
      }
      sign = c === 45 ? -1 : 1;
    }
  }
  if (state !== 0) sum += sign * (int + frac / scale);
  return sum;
}
