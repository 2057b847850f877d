/**
 * Lap heart rate and grade of a run view, from a generated FIT file with a
 * planted truth (tests/helpers/lap-run.ts): two 600 s laps at 3 m/s, the
 * first at 140 bpm on the flat, the second at 170 bpm climbing 0.15 m per
 * second (5 % grade).
 */
import { describe, expect, it } from 'vitest';
import { activityExtrasOf, runLapsOf } from '../../src/analysis/extras.js';
import { parseActivities, summarizeActivity } from '../../src/index.js';
import type { Activity } from '../../src/activity.js';
import { lapRunFit as lapRun } from '../helpers/lap-run.js';

describe('run view laps', () => {
  it('give each lap its heart rate and grade, computed in the extras beside the summary', async () => {
    const [activity] = await parseActivities(lapRun(), { fileName: 'laps.fit' });
    expect(activity!.laps).toHaveLength(2);
    const summary = summarizeActivity(activity!);
    const trace = activityExtrasOf(activity!, summary, { runTrace: true }).runTrace!;
    // lap 1 holds 0 < t ≤ 600: every sample at 140 bpm; lap 2 holds 600 < t ≤ 1200: 170 bpm
    // lap 1 altitude 100 m throughout: grade 0
    // lap 2 from the sample at t = 600 (100 m, 1,800 m) to t = 1,200 (190 m, 3,600 m): 90 / 1,800 = 0.05
    expect(trace.laps).toEqual([
      { heartRateBpm: 140, grade: 0 },
      { heartRateBpm: 170, grade: 0.05 },
    ]);
    // one entry per lap of the summary, same order
    expect(summary.cadence.laps).toHaveLength(2);
  });

  it('are left out for a run of one lap, and null where a lap has no samples or no altitude', async () => {
    const [activity] = await parseActivities(lapRun(), { fileName: 'laps.fit' });
    const oneLap: Activity = { ...activity!, laps: [activity!.laps[0]!] };
    expect(activityExtrasOf(oneLap, summarizeActivity(oneLap), { runTrace: true }).runTrace!.laps).toBeUndefined();
    const noAltitude: Activity = {
      ...activity!,
      samples: { ...activity!.samples, altitudeM: new Float32Array(activity!.samples.length).fill(Number.NaN) },
      laps: [...activity!.laps, { startS: 5000, endS: 6000, timerTimeS: 1000, distanceM: Number.NaN, avgCadenceSpm: Number.NaN }],
    };
    expect(runLapsOf(noAltitude)).toEqual([
      { heartRateBpm: 140, grade: null },
      { heartRateBpm: 170, grade: null },
      { heartRateBpm: null, grade: null },
    ]);
  });
});
