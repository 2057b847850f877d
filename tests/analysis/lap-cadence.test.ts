/**
 * lapCadence (one pass over the samples for all laps) against the per-lap
 * definition it replaced: for each lap, a scan of every sample with
 * startS < t ≤ endS.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lapCadence, type LapCadence } from '../../src/analysis/form.js';
import { weightedMean } from '../../src/analysis/stats.js';

/** The definition: one scan of all samples per lap. */
function perLap(t: number[], laps: { startS: number; endS: number }[], runW: number[], speed: number[], c: number[], cadW: number[]): LapCadence[] {
  return laps.map((lap, index) => {
    const inLap = (i: number): boolean => t[i]! > lap.startS && t[i]! <= lap.endS;
    const w = runW.map((x, i) => (x > 0 && inLap(i) ? x : 0));
    const wc = cadW.map((x, i) => (x > 0 && inLap(i) ? x : 0));
    const mean = (v: number[], ws: number[]): number | null => {
      const m = weightedMean(v, ws);
      return Number.isFinite(m) ? m : null;
    };
    return { index, avgSpm: mean(c, wc), speedMps: mean(speed, w), timeS: w.reduce((a, b) => a + b, 0) };
  });
}

const close = (a: number | null, b: number | null): boolean =>
  a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

const sampleArb = fc.record({
  dt: fc.integer({ min: 0, max: 4 }),
  run: fc.boolean(),
  w: fc.constantFrom(0, 0.5, 1, 2, 3),
  speed: fc.oneof(fc.double({ min: 0, max: 6, noNaN: true }), fc.constant(Number.NaN)),
  c: fc.oneof(fc.double({ min: 120, max: 200, noNaN: true }), fc.constant(Number.NaN)),
});
// Whole and half seconds over the span of the times (bounds on a sample's time test the open start and closed end).
const boundArb = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -6, max: 500 }).map((x) => x / 2) },
  { weight: 1, arbitrary: fc.constant(Number.NaN) },
);

describe('lapCadence', () => {
  it('equals the per-lap scan for sorted, unsorted, overlapping, nested and empty laps', () => {
    fc.assert(
      fc.property(
        fc.array(sampleArb, { minLength: 0, maxLength: 120 }),
        fc.array(fc.tuple(boundArb, boundArb), { maxLength: 25 }),
        fc.boolean(),
        (samples, bounds, shuffleTimes) => {
          let acc = 0;
          let t = samples.map((s) => (acc += s.dt));
          if (shuffleTimes) t = t.map((x, i) => (i % 3 === 1 ? x + 7 : x)); // out of order: not produced by parsers, still defined
          const runW = samples.map((s) => (s.run ? s.w : 0));
          const cadW = samples.map((s, i) => (runW[i]! > 0 && Number.isFinite(s.c) ? s.w : 0));
          const speed = samples.map((s) => s.speed);
          const c = samples.map((s) => s.c);
          const laps = bounds.map(([a, b]) => ({ startS: a, endS: b }));
          const got = lapCadence(t, laps, runW, speed, c, cadW);
          const want = perLap(t, laps, runW, speed, c, cadW);
          expect(got).toHaveLength(want.length);
          got.forEach((g, k) => {
            const w = want[k]!;
            expect(g.index).toBe(w.index);
            expect(close(g.timeS, w.timeS) && close(g.avgSpm, w.avgSpm) && close(g.speedMps, w.speedMps), JSON.stringify({ k, g, w })).toBe(true);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('back-to-back laps (as devices write them) give exactly the per-lap sums', () => {
    fc.assert(
      fc.property(fc.array(sampleArb, { minLength: 1, maxLength: 200 }), fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 20 }), (samples, widths) => {
        let acc = 0;
        const t = samples.map((s) => (acc += s.dt));
        const runW = samples.map((s) => (s.run ? s.w : 0));
        const cadW = samples.map((s, i) => (runW[i]! > 0 && Number.isFinite(s.c) ? s.w : 0));
        let start = -1;
        const laps = widths.map((w) => ({ startS: start, endS: (start += w) }));
        expect(lapCadence(t, laps, runW, samples.map((s) => s.speed), samples.map((s) => s.c), cadW)).toEqual(
          perLap(t, laps, runW, samples.map((s) => s.speed), samples.map((s) => s.c), cadW),
        );
      }),
      { numRuns: 300 },
    );
  });
});
