import { describe, expect, it } from 'vitest';
import { altitudeSpikes, findDownhillRanges, medianFilter, movingAverage, savitzkyGolay } from '../../src/analysis/elevation.js';
import { summarizeActivity } from '../../src/analysis/index.js';
import { makeActivity, series, steadyRun } from './helpers.js';

describe('elevation building blocks', () => {
  it('Savitzky–Golay (quadratic, 5 points) keeps a parabola exactly and weights −3, 12, 17, 12, −3 / 35', () => {
    const y = Float64Array.from(series(9, (i) => 0.5 * i * i - 2 * i + 7));
    const out = savitzkyGolay(y, 5);
    for (let i = 2; i < 7; i++) expect(out[i]).toBeCloseTo(y[i]!, 10); // a quadratic passes unchanged
    // an impulse of 35 at the centre: the centre weight is 17/35 → 17; neighbours 12; ends −3
    const impulse = Float64Array.from([0, 0, 0, 0, 35, 0, 0, 0, 0]);
    expect(Array.from(savitzkyGolay(impulse, 5).slice(2, 7)).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([-3, 12, 17, 12, -3]);
  });

  it('moving average and median filter shrink their window at the ends', () => {
    expect(Array.from(movingAverage(Float64Array.of(0, 3, 6, 9), 3))).toEqual([0, 3, 6, 9]); // a line is unchanged
    expect(Array.from(medianFilter(Float64Array.of(1, 100, 1, 1, 1), 5))).toEqual([1, 1, 1, 1, 1]); // ends: window of 3
  });

  it('drops raw altitude samples more than 25 m from the ±30 s median', () => {
    // 1 Hz, altitude 55 m with a 3-sample jump to 142 m right at the start (a barometer settling)
    const t = series(60, (i) => i);
    const h = series(60, (i) => (i >= 1 && i <= 3 ? 142.4 : 55));
    expect([...altitudeSpikes(t, h, series(60, (i) => i))].sort((a, b) => a - b)).toEqual([1, 2, 3]);
    // a steady 1.2 m/s climb (72 m in a minute) is not a spike
    expect(altitudeSpikes(t, series(60, (i) => 1.2 * i), series(60, (i) => i)).size).toBe(0);
  });

  it('downhill state machine: enters at −5 %, needs 30 m above −3 % to leave, merges gaps under 50 m', () => {
    // 5 m steps: 0–100 m flat, 100–300 m at −8 %, 300–340 m at −2 % (40 m: leaves), 340–540 m at −8 %
    const x = series(109, (k) => k * 5);
    const g = x.map((d) => (d >= 100 && d < 300 ? -0.08 : d >= 300 && d < 340 ? -0.02 : d >= 340 && d < 540 ? -0.08 : 0));
    let h = 100;
    const alt = x.map((_, k) => (k === 0 ? h : (h += g[k - 1]! * 5)));
    const p = { enter: -0.05, exit: -0.03, exitHoldM: 30, mergeGapM: 50, minLengthM: 200, minDropM: 10 };
    // the 40 m at −2 % ends the first segment at 300 m, but the gap to 340 m is < 50 m: merged
    expect(findDownhillRanges(x, alt, g, p).map(([a, b]) => [x[a], x[b]])).toEqual([[100, 540]]);
    expect(findDownhillRanges(x, alt, g, { ...p, mergeGapM: 10 }).map(([a, b]) => [x[a], x[b]])).toEqual([
      [100, 300],
      [340, 540],
    ]);
  });
});

describe('elevation across timer pauses', () => {
  it('a height change while the timer is stopped is not counted', () => {
    // 600 s at 3 m/s on the flat at 100 m; the timer stops 300–400 s and the altitude reads 90 m after it
    const cols = steadyRun(601, 1, 3, 170);
    const times = Array.from(cols.timeS);
    const keep = times.map((t) => t <= 300 || t >= 400);
    const pick = <T,>(a: ArrayLike<T>): T[] => Array.from(a).filter((_, i) => keep[i]);
    const alt = times.map((t) => (t <= 300 ? 100 : 90));
    const a = makeActivity({
      columns: {
        timeS: pick(cols.timeS),
        distanceM: pick(cols.timeS).map((t) => (t <= 300 ? 3 * t : 900 + 3 * (t - 400))),
        speedMps: pick(cols.speedMps!),
        cadenceSpm: pick(cols.cadenceSpm!),
        altitudeM: pick(alt),
      },
      pauses: [{ startS: 300, endS: 400 }],
    });
    const s = summarizeActivity(a);
    expect(s.pausedTimeS).toBe(100);
    expect(s.elevation.descentM).toBe(0); // without the pause it would be a 10 m drop
    expect(s.runningTimeS).toBe(500);
  });
});
