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
