/**
 * A generated FIT run with planted lap truths: 1,200 s at 3 m/s and 170 spm
 * in two 600 s laps, the first at 140 bpm on the flat (100 m), the second at
 * 170 bpm climbing 0.15 m per second (90 m over 1,800 m: a 5 % grade).
 */
import { encodeFitActivity, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';

/** The bytes of the two-lap run (starts 2025-04-06 07:00 UTC). */
export function lapRunFit(): Uint8Array {
  const base = steadyRunSamples({ seconds: 1200, speedMps: 3, cadenceSpm: 170 });
  return encodeFitActivity({
    startTime: new Date('2025-04-06T07:00:00Z'),
    samples: {
      ...base,
      heartRateBpm: base.timeS.map((t) => (t <= 600 ? 140 : 170)),
      altitudeM: base.timeS.map((t) => (t <= 600 ? 100 : 100 + 0.15 * (t - 600))),
    },
    laps: [
      { startS: 0, endS: 600, distanceM: 1800 },
      { startS: 600, endS: 1200, distanceM: 1800 },
    ],
  });
}
