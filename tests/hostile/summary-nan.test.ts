/**
 * Summaries of activities with holes where a number is expected: no NaN
 * may reach an ActivitySummary (JSON would turn it into null where the type
 * promises a number). Found by the corpus mutation fuzzing: a bit flip in a
 * `<time>` of gpxpy/Mojstrovka.gpx gave `downhillSegments[0].endTimeS = NaN`.
 */
import { describe, expect, it } from 'vitest';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { summarizeActivity } from '../../src/analysis/index.js';
import { parseActivities } from '../../src/parse/index.js';
import { nonFiniteNumbers } from './check.js';

/** A 300 s, 900 m run down a steady 10 % slope (1000 m → 910 m), 1 Hz: one downhill segment covering it all. */
function downhillGpx(timelessPoint: number | null): string {
  const n = 301;
  const timeS = Array.from({ length: n }, (_, i) => (i === timelessPoint ? Number.NaN : i));
  const distanceM = Array.from({ length: n }, (_, i) => i * 3);
  return encodeGpx({
    startTime: new Date('2024-05-27T06:00:00Z'),
    sport: 'running',
    timeS,
    latDeg: distanceM.map((d) => 46 + d / 111_195),
    lonDeg: distanceM.map(() => 7),
    altitudeM: distanceM.map((d) => 1000 - d * 0.1),
    cadenceSpm: distanceM.map(() => 170),
  });
}

describe('a point without <time> at the edge of a downhill', () => {
  it.each([
    ['no point without time', null],
    ['a timeless point in the middle', 150],
    ['the last point without time', 300],
    ['the first point without time', 0],
  ])('%s: the downhill is found and its times are numbers', async (_label, timeless) => {
    const [a] = await parseActivities(downhillGpx(timeless));
    const s = summarizeActivity(a!);
    expect(s.downhillSegments.length).toBeGreaterThan(0);
    expect(nonFiniteNumbers(s)).toEqual([]);
  });

  it('a GPX without any <time>: downhill segments still have numbers for times (or the segment times are left out by type)', async () => {
    const n = 301;
    const distanceM = Array.from({ length: n }, (_, i) => i * 3);
    const gpx = encodeGpx({
      startTime: new Date('2024-05-27T06:00:00Z'),
      sport: 'running',
      timeS: distanceM.map(() => Number.NaN),
      latDeg: distanceM.map((d) => 46 + d / 111_195),
      lonDeg: distanceM.map(() => 7),
      altitudeM: distanceM.map((d) => 1000 - d * 0.1),
    });
    const [a] = await parseActivities(gpx);
    expect(nonFiniteNumbers(summarizeActivity(a!))).toEqual([]);
  });
});
