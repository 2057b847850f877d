import { describe, expect, it } from 'vitest';
import { analyzeHistory, summarizeActivity, type ActivitySummary } from '../../src/analysis/index.js';
import { isStridewiseError } from '../../src/errors.js';
import { makeActivity, steadyRun } from './helpers.js';

const TEMPLATE = summarizeActivity(makeActivity({ columns: steadyRun(601, 1, 3, 170, 100) }));

/** A running summary of `km` kilometres starting at `iso` (UTC), 1 hour long. */
function run(id: string, iso: string, km: number, extra: Partial<ActivitySummary> = {}): ActivitySummary {
  return { ...TEMPLATE, id, startTime: new Date(iso).toISOString(), localDate: iso.slice(0, 10), distanceM: km * 1000, elapsedTimeS: 3600, movingTimeS: 3600, ...extra };
}

describe('analyzeHistory: weeks (card L1, L3)', () => {
  it('ISO weeks, week-over-week and two-week change', () => {
    // Mondays 2025-03-03, 10, 17, 24: 10, 10, 11, 13 km
    const h = analyzeHistory([
      run('a', '2025-03-03T07:00:00Z', 10),
      run('b', '2025-03-10T07:00:00Z', 10),
      run('c', '2025-03-17T07:00:00Z', 11),
      run('d', '2025-03-24T07:00:00Z', 13),
    ]);
    expect(h.weeks.map((w) => w.weekStart)).toEqual(['2025-03-03', '2025-03-10', '2025-03-17', '2025-03-24']);
    expect(h.weeks.map((w) => w.changeRatio)).toEqual([null, 0, expect.closeTo(0.1, 12), expect.closeTo(13 / 11 - 1, 12)]);
    // two-week: (13 + 11) / (10 + 10) − 1 = 0.2
    expect(h.weeks[3]!.twoWeekChangeRatio).toBeCloseTo(0.2, 12);
    expect(h.weeks[2]!.twoWeekChangeRatio).toBeNull(); // needs four weeks
  });

  it('keeps empty weeks so a gap shows as 0 km, and null change after an empty week', () => {
    const h = analyzeHistory([run('a', '2025-03-03T07:00:00Z', 10), run('b', '2025-03-17T07:00:00Z', 10)]);
    expect(h.weeks.map((w) => w.distanceM)).toEqual([10000, 0, 10000]);
    expect(h.weeks[1]!.changeRatio).toBe(-1);
    expect(h.weeks[2]!.changeRatio).toBeNull();
  });

  it('weekStartsOn 0 puts a Sunday run in its own week', () => {
    const runs = [run('a', '2025-03-08T07:00:00Z', 5), run('b', '2025-03-09T07:00:00Z', 6)]; // Saturday, Sunday
    expect(analyzeHistory(runs).weeks.map((w) => w.weekStart)).toEqual(['2025-03-03']);
    expect(analyzeHistory(runs, { weekStartsOn: 0 }).weeks.map((w) => w.weekStart)).toEqual(['2025-03-02', '2025-03-09']);
  });

  it('a run at 00:20 Berlin time on Monday 31 March 2025 (22:20 UTC Sunday, first CEST day) belongs to the new week', () => {
    const runs = [run('sun', '2025-03-30T05:30:00Z', 8), run('mon', '2025-03-30T22:20:00Z', 5)];
    const berlin = analyzeHistory(runs, { timeZone: 'Europe/Berlin' });
    expect(berlin.weeks.map((w) => [w.weekStart, w.distanceM])).toEqual([
      ['2025-03-24', 8000],
      ['2025-03-31', 5000],
    ]);
    expect(berlin.sessions.map((s) => s.localDate)).toEqual(['2025-03-30', '2025-03-31']);
    const utc = analyzeHistory(runs, { timeZone: 'UTC' });
    expect(utc.weeks.map((w) => [w.weekStart, w.distanceM])).toEqual([['2025-03-24', 13000]]);
  });

  it('counts cross-training time by class, not as running distance', () => {
    const ride = { ...run('ride', '2025-03-04T07:00:00Z', 30), activityClass: 'low-impact' as const, sport: 'cycling', movingTimeS: 3000 };
    const walk = { ...run('walk', '2025-03-05T07:00:00Z', 4), activityClass: 'walking' as const, sport: 'walking', movingTimeS: 2880 };
    const h = analyzeHistory([run('a', '2025-03-03T07:00:00Z', 10), ride, walk]);
    expect(h.weeks[0]).toMatchObject({ distanceM: 10000, runs: 1, crossTrainingS: { lowImpact: 3000, walking: 2880, other: 0 } });
    expect(h.sessions).toHaveLength(1);
  });
});

describe('analyzeHistory: sessions (cards L1, L2)', () => {
  it('merges runs less than 30 min apart, not an AM/PM double', () => {
    const h = analyzeHistory([
      run('a', '2025-03-03T07:00:00Z', 4, { elapsedTimeS: 1200 }), // ends 07:20
      run('b', '2025-03-03T07:30:00Z', 3, { elapsedTimeS: 1200 }), // 10 min gap → merged
      run('c', '2025-03-03T18:00:00Z', 5),
    ]);
    expect(h.sessions.map((s) => [s.activityIds, s.distanceM])).toEqual([
      [['a', 'b'], 7000],
      [['c'], 5000],
    ]);
    expect(h.weeks[0]!.runs).toBe(2);
    expect(h.weeks[0]!.longestRunM).toBe(7000);
  });

  it('spike ratio against the longest session of the previous 30 days', () => {
    const h = analyzeHistory([
      run('a', '2025-03-01T07:00:00Z', 12),
      run('b', '2025-03-20T07:00:00Z', 10),
      run('c', '2025-03-30T07:00:00Z', 13), // a (29 days before) is in the window: 13 / 12
      run('d', '2025-04-01T07:00:00Z', 11), // a is 31 days back: ref = max(10, 13) = 13
    ]);
    const byId = Object.fromEntries(h.sessions.map((s) => [s.activityIds[0], s]));
    expect(byId.a!.refLongestM).toBeNull();
    expect(byId.a!.spikeRatio).toBeNull();
    expect(byId.c!.spikeRatio).toBeCloseTo(13 / 12, 12);
    expect(byId.d!.refLongestM).toBe(13000);
    expect(byId.d!.longest90dM).toBe(13000);
  });

  it('descent and duration references for the optional spike variants (cards D4, L2)', () => {
    const withDescent = (m: number) => ({ elevation: { ...TEMPLATE.elevation, descentM: m } });
    const h = analyzeHistory([
      run('a', '2025-03-01T07:00:00Z', 10, { ...withDescent(100), movingTimeS: 3000 }),
      run('b', '2025-03-10T07:00:00Z', 10, { ...withDescent(250), movingTimeS: 3300 }),
    ]);
    // 250 m against 100 m → 2.5; 3300 s against 3000 s
    expect(h.sessions[1]).toMatchObject({ refDescentM: 100, descentSpikeRatio: 2.5, timeS: 3300, refLongestTimeS: 3000 });
    expect(h.sessions[0]).toMatchObject({ refDescentM: null, descentSpikeRatio: null, refLongestTimeS: null });
  });

  it('rolling 7/14-day sums by local day, inclusive of the session', () => {
    // days 0..13 one 5 km run each: at day 13, A7 = 7 × 5 = 35 km, prev7 = 35 km, A14 = 70 km
    const runs = Array.from({ length: 14 }, (_, d) => run(`r${d}`, new Date(Date.UTC(2025, 2, 3 + d, 7)).toISOString(), 5));
    const h = analyzeHistory(runs);
    const last = h.sessions[13]!;
    expect([last.rolling7dM, last.prev7dM, last.rolling14dM, last.prev14dM]).toEqual([35000, 35000, 70000, 0]);
    expect(h.sessions[3]!.rolling7dM).toBe(20000); // days 0..3
    expect(last.historyDays).toBe(13);
    expect(last.state).toBe('baseline-building'); // under 14 days of history
    expect(last.weeklyBaselineBuilding).toBe(true);
  });

  it('acute:chronic ratios are 1 for a perfectly even load', () => {
    // 10 km every day for 35 days: A7 = 70 km; chronic = (days t−27..t−7: 21 × 10 km) / 3 = 70 km → 1.0
    // EWMA seeded with the first-28-day mean (10 km) and fed 10 km a day stays 10 km → 1.0
    const runs = Array.from({ length: 35 }, (_, d) => run(`r${d}`, new Date(Date.UTC(2025, 0, 1 + d, 7)).toISOString(), 10));
    const h = analyzeHistory(runs);
    const last = h.sessions[34]!;
    expect(last.acwrRolling).toBeCloseTo(1, 12);
    expect(last.acwrEwma).toBeCloseTo(1, 12);
    expect(h.sessions[27]!.acwrEwma).toBeNull(); // first 28 days warm up
    expect(last.max4wRolling7dM).toBe(70000);
  });

  it('breaks of 14+ days and the return-from-break state', () => {
    const h = analyzeHistory([
      run('a', '2025-03-01T07:00:00Z', 5),
      run('b', '2025-03-20T07:00:00Z', 5),
      run('c', '2025-04-10T07:00:00Z', 5), // 21 days later
    ]);
    expect(h.breaks).toEqual([
      { from: '2025-03-01', to: '2025-03-20', days: 19 },
      { from: '2025-03-20', to: '2025-04-10', days: 21 },
    ]);
    expect(h.sessions.map((s) => s.state)).toEqual(['baseline-building', 'return-from-break', 'return-from-break']);
    expect(h.sessions[2]!.daysSincePrevious).toBe(21);
    expect(h.sessions[2]!.refLongestM).toBe(5000); // 20 March is 21 days back, inside the 30-day window
  });
});

describe('analyzeHistory: gear, baseline, edge cases', () => {
  it('sums distance per shoe and counts shoes in rotation (60 days)', () => {
    const h = analyzeHistory([
      run('a', '2025-01-01T07:00:00Z', 10, { gear: 'Old' }),
      run('b', '2025-03-01T07:00:00Z', 8, { gear: 'New' }),
      run('c', '2025-03-03T07:00:00Z', 6, { gear: 'New' }),
      run('d', '2025-03-04T07:00:00Z', 6, { gear: null }),
    ]);
    expect(h.gear).toEqual([
      { gear: 'New', distanceM: 14000, runs: 2, firstUsed: '2025-03-01', lastUsed: '2025-03-03' },
      { gear: 'Old', distanceM: 10000, runs: 1, firstUsed: '2025-01-01', lastUsed: '2025-01-01' },
    ]);
    expect(h.gearInRotation).toBe(1); // 'Old' was last used 62 days before 4 March
  });

  it('personal cadence baseline: line through binned medians of the last 90 days (card C3)', () => {
    const bins = (spm26: number, spm36: number) => ({
      ...TEMPLATE.cadence,
      bySpeed: [
        { speedMps: 2.625, timeS: 600, avgSpm: spm26, expectedSpm: 165.8, extrapolated: false },
        { speedMps: 3.625, timeS: 600, avgSpm: spm36, expectedSpm: 171.8, extrapolated: false },
      ],
    });
    const h = analyzeHistory([
      run('a', '2025-03-01T07:00:00Z', 8, { cadence: bins(166, 176) }),
      run('b', '2025-03-02T07:00:00Z', 8, { cadence: bins(166, 176) }),
      run('c', '2025-03-03T07:00:00Z', 8, { cadence: bins(150, 150) }), // one odd run: the median ignores it
    ]);
    const b = h.cadenceBaseline!;
    // medians 166 @ 2.625 and 176 @ 3.625 → slope 10, intercept 166 − 26.25 = 139.75
    expect(b.slopeSpmPerMps).toBeCloseTo(10, 10);
    expect(b.interceptSpm).toBeCloseTo(139.75, 10);
    expect(b.method).toBe('fit');
    expect(b.timeS).toBe(3600);
    // target = line × 1.05: 174.3 @ 2.625 and 184.8 @ 3.625 → nothing within 2 spm → adherence 0
    expect(b.adherence).toBe(0);
  });

  it('no summaries, or only undated ones', () => {
    const empty = analyzeHistory([]);
    expect(empty).toMatchObject({ weeks: [], sessions: [], firstDate: null, cadenceBaseline: null, undatedActivityIds: [] });
    const undated = analyzeHistory([{ ...TEMPLATE, id: 'x', startTime: null, localDate: null }]);
    expect(undated.undatedActivityIds).toEqual(['x']);
  });

  it('rejects bad options with INVALID_OPTION', () => {
    for (const bad of [{ timeZone: 'Nowhere/Here' }, { weekStartsOn: 7 }, { mergeGapS: -1 }]) {
      let err: unknown;
      try {
        analyzeHistory([], bad);
      } catch (e) {
        err = e;
      }
      expect(isStridewiseError(err) && err.code).toBe('INVALID_OPTION');
    }
  });
});

describe('analyzeHistory: intensity reference', () => {
  it('session TRIMP and the largest TRIMP of the previous 30 days', () => {
    const h = analyzeHistory([
      run('a', '2025-03-01T07:00:00Z', 10, { trimp: 80 }),
      run('b', '2025-03-05T07:00:00Z', 10, { trimp: 120 }),
      run('c', '2025-03-09T07:00:00Z', 10, { trimp: null }),
    ]);
    expect(h.sessions.map((s) => [s.trimp, s.refTrimp])).toEqual([
      [80, null],
      [120, 80],
      [null, 120],
    ]);
  });
});
