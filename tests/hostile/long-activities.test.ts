/**
 * Activities at the size limits must not overflow the call stack: no
 * `push(...array)` or `Math.max(...array)` over per-sample data. A spread of
 * about 120,000 values or more exceeds Node's default stack, far below
 * `maxSamplesPerActivity` (2,000,000).
 */
import { describe, expect, it } from 'vitest';
import type { Activity, SampleColumns } from '../../src/activity.js';
import { summarizeActivity } from '../../src/analysis/index.js';
import { createColumns } from '../../src/parse/columns.js';
import { nonFiniteNumbers } from './check.js';

/** `n` samples at 1 Hz, 3 m/s, 170 spm, flat at 100 m with a 300 m barometer spike every 1,000 samples. */
function longRun(n: number): Activity {
  const c = createColumns(n) as { -readonly [K in keyof SampleColumns]: SampleColumns[K] };
  for (let i = 0; i < n; i++) {
    c.timeS[i] = i;
    c.distanceM[i] = i * 3;
    c.speedMps[i] = 3;
    c.altitudeM[i] = i % 1000 === 500 ? 400 : 100;
    c.cadenceSpm[i] = 170;
    c.heartRateBpm[i] = 140;
  }
  return {
    id: `long-${n}`,
    sport: 'running',
    subSport: 'generic',
    startTime: new Date('2024-05-27T06:00:00Z'),
    source: { format: 'fit', indexInFile: 0 },
    samples: c,
    laps: [],
    pauses: [],
    cadence: { detected: 'steps', factor: 1, confidence: 1, method: 'band', medianRaw: 170 },
    deviceSummary: {},
    warnings: [],
  };
}

describe('long activities', () => {
  it('250,000 samples (69 h at 1 Hz) with altitude spikes summarise without a stack overflow', () => {
    // Before: RangeError "Maximum call stack size exceeded" from idx.push(...kept) in the spike filter.
    const s = summarizeActivity(longRun(250_000));
    expect(nonFiniteNumbers(s)).toEqual([]);
    // planted truth: flat apart from the spikes, which the filter drops
    expect(s.elevation.ascentM ?? 0).toBeLessThan(10);
    expect(s.distanceM).toBeCloseTo(249_999 * 3, 0);
  });
});
