import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeHistory, summarizeActivity, type ActivitySummary } from '../../src/analysis/index.js';
import { makeActivity, nonFinitePaths, series } from './helpers.js';

/** A random run: n samples, spacing 1–5 s, speed and cadence wandering, a smooth hilly profile, optional holes. */
const runArb = fc
  .record({
    n: fc.integer({ min: 2, max: 400 }),
    dt: fc.integer({ min: 1, max: 5 }),
    v0: fc.double({ min: 1.6, max: 5, noNaN: true }),
    c0: fc.double({ min: 140, max: 200, noNaN: true }),
    wobble: fc.double({ min: 0, max: 0.8, noNaN: true }),
    hillM: fc.double({ min: 0, max: 60, noNaN: true }),
    hillLenM: fc.double({ min: 200, max: 3000, noNaN: true }),
    holes: fc.boolean(),
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .map((p) => {
    const v = series(p.n, (i) => p.v0 * (1 + p.wobble * 0.3 * Math.sin(i / 17 + p.seed)));
    let d = 0;
    const dist = v.map((x, i) => (i === 0 ? 0 : (d += x * p.dt)));
    const hole = (i: number, x: number): number => (p.holes && (i + p.seed) % 11 === 0 ? Number.NaN : x);
    return {
      p,
      columns: {
        timeS: series(p.n, (i) => i * p.dt),
        distanceM: dist,
        speedMps: v.map((x, i) => hole(i, x)),
        cadenceSpm: series(p.n, (i) => hole(i + 3, p.c0 + 6 * Math.sin(i / 9))),
        altitudeM: dist.map((x, i) => hole(i + 5, 100 + p.hillM * Math.sin((2 * Math.PI * x) / p.hillLenM) + 0.05 * Math.sin(i * 7.7))),
        heartRateBpm: series(p.n, (i) => hole(i + 7, 140 + (i % 20))),
      },
    };
  });

describe('summarizeActivity properties', () => {
  it('no NaN or Infinity anywhere in a summary', () => {
    fc.assert(
      fc.property(runArb, fc.constantFrom('running', 'cycling', 'walking'), fc.constantFrom('generic', 'treadmill'), (r, sport, subSport) => {
        const s = summarizeActivity(makeActivity({ columns: r.columns, sport, subSport }));
        expect(nonFinitePaths(s)).toEqual([]);
        expect(JSON.parse(JSON.stringify(s))).toEqual(s); // plain JSON round-trips
      }),
      { numRuns: 150 },
    );
  });

  it('doubling every time column (spacing ≤ 5 s, under the 10 s cap) leaves time-weighted averages unchanged', () => {
    fc.assert(
      fc.property(runArb, (r) => {
        const a = summarizeActivity(makeActivity({ columns: r.columns }));
        const doubled = {
          ...r.columns,
          timeS: r.columns.timeS.map((t) => 2 * t),
          distanceM: r.columns.distanceM.map((x) => 2 * x),
        };
        const b = summarizeActivity(makeActivity({ columns: doubled }));
        expect(b.runningTimeS).toBeCloseTo(2 * a.runningTimeS, 6);
        for (const k of ['avgSpm', 'medianSpm', 'p10Spm', 'p90Spm'] as const) {
          if (a.cadence[k] === null) expect(b.cadence[k]).toBeNull();
          else expect(b.cadence[k]).toBeCloseTo(a.cadence[k], 6);
        }
        if (a.avgHeartRateBpm !== null) expect(b.avgHeartRateBpm).toBeCloseTo(a.avgHeartRateBpm, 6);
      }),
      { numRuns: 100 },
    );
  });

  it('time-weighted cadence lies between the smallest and largest running cadence', () => {
    fc.assert(
      fc.property(runArb, (r) => {
        const s = summarizeActivity(makeActivity({ columns: r.columns }));
        if (s.cadence.avgSpm === null) return;
        const c = r.columns.cadenceSpm.filter(Number.isFinite).map((x) => Math.fround(x));
        expect(s.cadence.avgSpm).toBeGreaterThanOrEqual(Math.min(...c) - 1e-6);
        expect(s.cadence.avgSpm).toBeLessThanOrEqual(Math.max(...c) + 1e-6);
        expect(s.cadence.p10Spm!).toBeLessThanOrEqual(s.cadence.medianSpm!);
        expect(s.cadence.medianSpm!).toBeLessThanOrEqual(s.cadence.p90Spm!);
        const bands = s.cadence.timeInBandsS;
        expect(bands.below160 + bands.from160to170 + bands.from170to180 + bands.atLeast180).toBeCloseTo(s.cadence.coverage * s.runningTimeS, 6);
      }),
      { numRuns: 100 },
    );
  });

  it('downhill segments lie within the run, are ordered, do not overlap, and meet the length/drop rules', () => {
    fc.assert(
      fc.property(runArb, (r) => {
        const s = summarizeActivity(makeActivity({ columns: r.columns }));
        let lastEnd = -Infinity;
        for (const seg of s.downhillSegments) {
          expect(seg.startDistanceM).toBeGreaterThanOrEqual(0);
          expect(seg.endDistanceM).toBeLessThanOrEqual(s.distanceM + 1e-6);
          expect(seg.startDistanceM).toBeGreaterThan(lastEnd);
          expect(seg.lengthM).toBeGreaterThanOrEqual(200);
          expect(seg.dropM).toBeGreaterThanOrEqual(s.elevation.source === 'gps' ? 15 : 10);
          expect(seg.meanGrade).toBeLessThan(0);
          expect(seg.maxGrade).toBeLessThanOrEqual(seg.meanGrade + 1e-9);
          // The generated runs all carry times, so both ends are numbers here.
          expect(seg.startTimeS).not.toBeNull();
          expect(seg.startTimeS!).toBeLessThanOrEqual(seg.endTimeS!);
          lastEnd = seg.endDistanceM;
        }
        expect(s.elevation.steepDownhillDistanceM).toBeLessThanOrEqual(s.elevation.downhillDistanceM);
      }),
      { numRuns: 150 },
    );
  });
});

describe('analyzeHistory properties', () => {
  const template = summarizeActivity(
    makeActivity({ columns: { timeS: [0, 1], distanceM: [0, 3], speedMps: [3, 3], cadenceSpm: [170, 170] } }),
  );
  const summaryArb = fc
    .record({
      minutes: fc.integer({ min: 0, max: 120 * 24 * 60 }), // within 120 days
      km: fc.double({ min: 0.5, max: 40, noNaN: true }),
      cls: fc.constantFrom('running', 'running', 'running', 'low-impact', 'walking', 'other'),
      gear: fc.constantFrom(null, 'A', 'B'),
      elapsedMin: fc.integer({ min: 5, max: 240 }),
    })
    .map((p) => ({ ...p }));
  const listArb = fc.uniqueArray(summaryArb, { minLength: 0, maxLength: 40, selector: (p) => p.minutes });

  function build(list: { minutes: number; km: number; cls: string; gear: string | null; elapsedMin: number }[]): ActivitySummary[] {
    return list.map((p, i) => {
      const start = new Date(Date.UTC(2025, 0, 1) + p.minutes * 60_000);
      return {
        ...template,
        id: `a${String(i).padStart(3, '0')}`,
        activityClass: p.cls as ActivitySummary['activityClass'],
        startTime: start.toISOString(),
        localDate: start.toISOString().slice(0, 10),
        distanceM: p.km * 1000,
        elapsedTimeS: p.elapsedMin * 60,
        movingTimeS: p.elapsedMin * 60,
        gear: p.gear,
      };
    });
  }

  it('output does not depend on input order', () => {
    fc.assert(
      fc.property(
        listArb.chain((list) => fc.tuple(fc.constant(list), fc.shuffledSubarray(list.map((_, i) => i), { minLength: list.length, maxLength: list.length }))),
        fc.constantFrom<string | undefined>(undefined, 'Europe/Berlin', 'America/New_York'),
        ([list, order], timeZone) => {
          const summaries = build(list);
          const opts = timeZone === undefined ? {} : { timeZone };
          const a = analyzeHistory(summaries, opts);
          const b = analyzeHistory(order.map((i) => summaries[i]!), opts);
          const c = analyzeHistory(summaries.slice().reverse(), opts);
          expect(b).toEqual(a);
          expect(c).toEqual(a);
          expect(nonFinitePaths(a)).toEqual([]);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('week distances add up to all running distance; sessions cover every running activity once', () => {
    fc.assert(
      fc.property(listArb, (list) => {
        const summaries = build(list);
        const h = analyzeHistory(summaries, { timeZone: 'Europe/Berlin' });
        const running = summaries.filter((s) => s.activityClass === 'running');
        const total = running.reduce((a, s) => a + s.distanceM, 0);
        expect(h.weeks.reduce((a, w) => a + w.distanceM, 0)).toBeCloseTo(total, 3);
        expect(h.sessions.flatMap((s) => s.activityIds).sort()).toEqual(running.map((s) => s.id).sort());
        for (const s of h.sessions) {
          if (s.spikeRatio !== null) expect(s.spikeRatio).toBeCloseTo(s.distanceM / s.refLongestM!, 9);
          expect(s.rolling7dM).toBeGreaterThanOrEqual(s.distanceM - 1e-6);
          expect(s.rolling14dM).toBeGreaterThanOrEqual(s.rolling7dM - 1e-6);
        }
      }),
      { numRuns: 120 },
    );
  });
});
