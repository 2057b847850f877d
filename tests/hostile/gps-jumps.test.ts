/**
 * A position or distance glitch must not make the analysis cost grow with
 * the size of the glitch. Devices do record them: a GPS fix on the wrong
 * side of the planet, a distance counter that jumps by thousands of km. The
 * parsers keep such values (they are valid coordinates and within the
 * distance bounds), so the summary has to stay bounded by the number of
 * samples, not by the metres between them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { encodeFitActivity, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { encodeTcx } from '../../fixtures/lib/tcx-writer.js';
import { summarizeActivity } from '../../src/analysis/index.js';
import { parseActivities } from '../../src/parse/index.js';
import { ParseHarness } from './harness.js';

const harness = new ParseHarness('gps-jumps');
afterAll(() => harness.close());

/** A 9-point GPX run whose fixes alternate between (48, 11) and its near-antipode (-48, -169): 8 hops of ~20,000 km. */
function antipodeGpx(hops: number): string {
  let pts = '';
  for (let i = 0; i <= hops; i++) {
    const [lat, lon] = i % 2 === 0 ? [48, 11] : [-48, -169];
    pts += `<trkpt lat="${lat}" lon="${lon}"><ele>${100 + i}</ele><time>2024-05-27T06:00:${String(i).padStart(2, '0')}Z</time></trkpt>`;
  }
  return `<?xml version="1.0"?><gpx version="1.1" creator="glitch"><trk><type>running</type><trkseg>${pts}</trkseg></trk></gpx>`;
}

/** Parse + summary of a file of a few hundred bytes: a few ms unloaded; 3 s allows for a busy machine. */
const SMALL_FILE_BUDGET_MS = 3000;

describe('glitched positions and distances keep the analysis bounded', () => {
  it('GPX whose fixes jump to the antipode and back 8 times (9 points, < 1 kB)', async () => {
    // Measured before any bound: 19 s and 2 GB of memory for this file (the
    // elevation profile is resampled every 5 m over the 160,000 km the jumps add).
    await harness.check(antipodeGpx(8), 'GPX, 9 points alternating between antipodes', {}, SMALL_FILE_BUDGET_MS);
  });

  it('TCX whose device distance jumps by 45,000 km in one second', async () => {
    const s = steadyRunSamples({ seconds: 20, speedMps: 3, cadenceSpm: 170, altitudeM: 100 });
    const distanceM = s.distanceM.map((d, i) => (i >= 10 ? d + 45_000_000 : d));
    const tcx = encodeTcx({ startTime: new Date('2024-05-27T06:00:00Z'), sport: 'running', ...s, distanceM });
    await harness.check(tcx, 'TCX, DistanceMeters +45,000 km at sample 10', {}, SMALL_FILE_BUDGET_MS);
  });

  it('FIT whose record distance jumps by 40,000 km in one second', async () => {
    // 40,000 km is about the most a FIT record distance holds (uint32 in cm: 42,950 km).
    const s = steadyRunSamples({ seconds: 20, speedMps: 3, cadenceSpm: 170, altitudeM: 100 });
    const distanceM = s.distanceM.map((d, i) => (i >= 10 ? d + 40_000_000 : d));
    const fit = encodeFitActivity({
      startTime: new Date('2024-05-27T06:00:00Z'),
      samples: { ...s, distanceM },
      laps: [{ startS: 0, endS: 20, distanceM: 60 }],
      summary: { totalDistanceM: 60 },
    });
    await harness.check(fit, 'FIT, record distance +40,000 km at record 10', {}, SMALL_FILE_BUDGET_MS);
  });

  it('a one-hour run with one fix 50 km off is still profiled (the bound is far from real glitches), the antipode file is not', async () => {
    // 3,601 points at 3 m/s down a 2 % slope; point 1800 is moved 0.45° north (~50 km): +100 km of path.
    const s = steadyRunSamples({ seconds: 3600, speedMps: 3, cadenceSpm: 170 });
    const latDeg = s.latDeg.map((v, i) => (i === 1800 ? v + 0.45 : v));
    const altitudeM = s.distanceM.map((d) => 500 - d * 0.02);
    const [glitch] = await parseActivities(encodeGpx({ startTime: new Date('2024-05-27T06:00:00Z'), sport: 'running', ...s, latDeg, altitudeM }));
    const profiled = summarizeActivity(glitch!);
    expect(profiled.elevation.source).not.toBe('none');
    expect(profiled.elevation.descentM).toBeGreaterThan(150);
    const [antipodes] = await parseActivities(antipodeGpx(8));
    expect(summarizeActivity(antipodes!).elevation.source).toBe('none');
  });
});
