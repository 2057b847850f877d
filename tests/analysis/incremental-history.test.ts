/**
 * The incremental history equals a full `analyzeHistory` over the same
 * summaries (the definition it must match, figure for figure), in any order of
 * addition, with copies, older activities and stored/restored states; and the
 * work of one add is bounded by the windows the new activity reaches.
 */
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_TIME_ZONE, demoSeasonActivities } from '../../fixtures/demo-season/index.js';
import { analyzeHistory, summarizeActivity, type ActivitySummary } from '../../src/analysis/index.js';
import { createHistory, historyFromJSON, historyOf, type HistoryState } from '../../src/analysis/incremental-history.js';
import { isStridewiseError } from '../../src/errors.js';

const DAY_MS = 86_400_000;
const OPTS = { timeZone: DEMO_TIME_ZONE, now: '2026-01-01T00:00:00Z' };

/** `x` moved by `days` (start and local date), under a new id. */
function shifted(x: ActivitySummary, days: number, tag: string): ActivitySummary {
  const move = (iso: string): string => new Date(Date.parse(iso) + days * DAY_MS).toISOString();
  return { ...x, id: `${x.id}${tag}`, startTime: move(x.startTime!), localDate: x.localDate === null ? null : move(`${x.localDate}T00:00:00Z`).slice(0, 10) };
}

let season: ActivitySummary[] = [];
let pool: ActivitySummary[] = [];
beforeAll(() => {
  season = demoSeasonActivities().map((a) => summarizeActivity(a, { timeZone: DEMO_TIME_ZONE }));
  const run = season.find((s) => s.activityClass === 'running' && s.distanceM > 5000)!;
  pool = [
    ...season,
    season[0]!, // the same file twice
    season[9]!,
    { ...run, id: 'gpx-copy-of-a-run', file: 'copy.gpx', distanceM: run.distanceM * 1.03, gear: null, name: 'Morning run' }, // a second recording of one run
    ...season.slice(0, 8).map((s) => shifted(s, -400, '-year-before')), // older than everything, across a gap of > 52 weeks
    ...season.slice(30, 36).map((s) => shifted(s, 120, '-later')),
    { ...season[4]!, id: 'undated', startTime: null },
    shifted(season[6]!, 3650, '-future'), // after `now`: an implausible date
  ];
});

describe('createHistory: equal to analyzeHistory', () => {
  it('over the demo season added in random orders, with copies, older activities and store/load in between', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...pool.keys()], { minLength: pool.length, maxLength: pool.length }),
        fc.array(fc.integer({ min: 0, max: pool.length - 1 }), { maxLength: 3 }),
        fc.constantFrom<object>({}, { deduplicate: false }, { weekStartsOn: 0 }, { timeZone: undefined }),
        (order, storeAt, variant) => {
          const opts = { ...OPTS, ...variant };
          let h = createHistory(opts);
          const added: ActivitySummary[] = [];
          order.forEach((k, step) => {
            h.add(pool[k]!);
            added.push(pool[k]!);
            if (storeAt.includes(step)) h = historyFromJSON(JSON.parse(JSON.stringify(h)) as HistoryState);
            if (step % 7 === 0) expect(h.history()).toStrictEqual(analyzeHistory(added, opts));
          });
          expect(h.history()).toStrictEqual(analyzeHistory(added, opts));
          expect(h.summaries()).toEqual(added);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('historyOf then add gives the same as adding one by one', () => {
    const h = historyOf(season.slice(10), OPTS);
    h.addMany(season.slice(0, 10).reverse());
    expect(h.history()).toStrictEqual(analyzeHistory(season, OPTS));
  });

  it('an empty history, and a history of undated activities only', () => {
    const h = createHistory(OPTS);
    expect(h.history()).toStrictEqual(analyzeHistory([], OPTS));
    h.add({ ...season[0]!, startTime: null });
    expect(h.history()).toStrictEqual(analyzeHistory([{ ...season[0]!, startTime: null }], OPTS));
    expect(h.history().undatedActivityIds).toEqual([season[0]!.id]);
  });
});

describe('createHistory: dates against the clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('an activity dated after today joins once the clock reaches it', () => {
    const run = season.find((s) => s.activityClass === 'running')!;
    const future = shifted(run, 30, '-next-month');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse(run.startTime!) + 2 * DAY_MS);
    const h = createHistory({ timeZone: DEMO_TIME_ZONE });
    h.addMany([run, future]);
    expect(h.history().implausibleDates?.map((x) => x.activityId)).toEqual([future.id]);
    expect(h.history()).toStrictEqual(analyzeHistory([run, future], { timeZone: DEMO_TIME_ZONE }));
    vi.setSystemTime(Date.parse(future.startTime!) + DAY_MS);
    h.add(season.find((s) => s.activityClass !== 'running')!);
    expect(h.history().implausibleDates).toBeUndefined();
    expect(h.history().sessions).toHaveLength(2);
    expect(h.history()).toStrictEqual(analyzeHistory(h.summaries(), { timeZone: DEMO_TIME_ZONE }));
  });

  it('a stored history loaded after the clock reached a waiting activity lets it in', () => {
    const runs = season.filter((s) => s.activityClass === 'running').slice(0, 6);
    const future = shifted(runs[5]!, 40, '-later');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse(runs[5]!.startTime!) + DAY_MS);
    const h = createHistory({ timeZone: DEMO_TIME_ZONE });
    h.addMany([...runs, future]);
    const stored = JSON.stringify(h);
    expect(h.history().sessions).toHaveLength(6);
    vi.setSystemTime(Date.parse(future.startTime!) + DAY_MS);
    const loaded = historyFromJSON(JSON.parse(stored) as HistoryState);
    expect(loaded.history().sessions).toHaveLength(7);
    expect(loaded.history()).toStrictEqual(analyzeHistory([...runs, future], { timeZone: DEMO_TIME_ZONE }));
  });
});

describe('createHistory: bounded work per add', () => {
  /** `n` demo seasons back to back, 16 weeks apart (a season spans 14 weeks). */
  const seasons = (n: number): ActivitySummary[] => Array.from({ length: n }, (_, k) => season.map((s) => shifted(s, 112 * k, `-s${k}`))).flat();
  const reachDays = 90 + 4 + 2; // max(longestWindowDays, spikeWindowDays, cadenceBaselineDays + 4) + 2 with the defaults
  const LATER = { ...OPTS, now: '2030-01-01T00:00:00Z' }; // six seasons reach into 2027

  it('appending the newest run recomputes the same few sessions whatever the length of the history', () => {
    const newest = (n: number): ActivitySummary => shifted(season.filter((s) => s.activityClass === 'running').at(-1)!, 112 * (n - 1) + 2, '-newest');
    const work = [1, 3, 6].map((n) => {
      const h = historyOf(seasons(n), LATER);
      const w = h.add(newest(n));
      expect(h.history()).toStrictEqual(analyzeHistory([...seasons(n), newest(n)], LATER));
      return w;
    });
    // the new session (and nothing after it): 1 session, no EWMA patch, the new week and the three after it
    for (const w of work) {
      expect(w.sessionsRecomputed).toBe(1);
      expect(w.sessionsPatched).toBe(0);
      expect(w.weeksRecomputed).toBeLessThanOrEqual(1 + 4);
      expect(w.summariesCompared).toBeLessThanOrEqual(5);
    }
    // the same work for 1 and 6 seasons, except the shoe's distance: every run of that shoe is summed again
    const { gearRunsSummed: g0, ...rest0 } = work[0]!;
    const { gearRunsSummed: g2, ...rest2 } = work[2]!;
    expect(rest2).toEqual(rest0);
    const shoe = newest(1).gear!;
    expect(g0).toBe(season.filter((s) => s.activityClass === 'running' && s.gear === shoe).length + 1);
    expect(g2).toBe(6 * (g0 - 1) + 1);
  });

  it('an old run added in the middle recomputes only the sessions of the window after it', () => {
    const run = season.find((s) => s.activityClass === 'running' && s.localDate! > '2025-03-20')!;
    const old = shifted(run, 112 + 1, '-late-upload'); // in the second season, a day after a run
    const counts = [3, 6].map((n) => {
      const all = seasons(n);
      const h = historyOf(all, LATER);
      const w = h.add(old);
      const full = analyzeHistory([...all, old], LATER);
      expect(h.history()).toStrictEqual(full);
      const t = Date.parse(old.startTime!);
      const inWindow = full.sessions.filter((x) => Date.parse(x.startTime) >= t - 2 * DAY_MS && Date.parse(x.startTime) <= t + reachDays * DAY_MS).length;
      expect(w.sessionsRecomputed).toBeGreaterThan(0);
      expect(w.sessionsRecomputed).toBeLessThanOrEqual(inWindow + 1);
      // later sessions only get their EWMA ratio patched (the EWMA carries every day before it)
      expect(w.sessionsRecomputed + w.sessionsPatched).toBeLessThanOrEqual(full.sessions.length);
      return { recomputed: w.sessionsRecomputed, weeks: w.weeksRecomputed, sessions: full.sessions.length };
    });
    expect(counts[1]!.sessions).toBeGreaterThan(counts[0]!.sessions * 1.9);
    expect(counts[1]!.recomputed).toBe(counts[0]!.recomputed); // twice the history, the same work
    expect(counts[1]!.weeks).toBe(counts[0]!.weeks);
  });

  it('adding a season in time order recomputes at most the sessions of one window per add', () => {
    const h = createHistory(LATER);
    let max = 0;
    const inOrder = [...season].sort((a, b) => Date.parse(a.startTime!) - Date.parse(b.startTime!));
    for (const s of inOrder) {
      const w = h.add(s);
      max = Math.max(max, w.sessionsRecomputed);
      // after the 28 days that seed the EWMA, appending never touches an earlier session
      if (Date.parse(s.startTime!) > Date.parse(inOrder[0]!.startTime!) + 30 * DAY_MS) expect(w.sessionsPatched).toBe(0);
    }
    expect(max).toBeLessThanOrEqual(2); // the new session, and the one it merged into or follows
    expect(h.history()).toStrictEqual(analyzeHistory(season, LATER));
  });
});

describe('createHistory: bad input', () => {
  it('a stored state that is not one gives INVALID_INPUT', () => {
    const derived = { sessions: [], weeks: [], ewmaA: [], ewmaC: [], seed: 0, cadenceBaseline: null, checkedAtMs: 0 };
    for (const bad of [
      null,
      {},
      { format: 'stridewise-history', version: 2, summaries: [], derived },
      { format: 'stridewise-history', version: 1, summaries: [], derived: null },
      { format: 'stridewise-history', version: 1, summaries: [42], derived },
    ]) {
      let err: unknown;
      try {
        historyFromJSON(bad as unknown as HistoryState);
      } catch (e) {
        err = e;
      }
      expect(isStridewiseError(err) && err.code).toBe('INVALID_INPUT');
    }
  });

  it('a state whose figures do not fit its summaries gives INVALID_INPUT', () => {
    const state = createHistory(OPTS);
    state.addMany(season.slice(0, 5));
    const json = JSON.parse(JSON.stringify(state)) as HistoryState;
    expect(() => historyFromJSON({ ...json, summaries: json.summaries.slice(0, 1) })).toThrow(/inconsistent/);
  });

  it('add() of something that is not a summary gives INVALID_INPUT and leaves the history as it was', () => {
    const h = createHistory(OPTS);
    h.add(season[0]!);
    expect(() => h.add(null as unknown as ActivitySummary)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(h.history()).toStrictEqual(analyzeHistory([season[0]!], OPTS));
  });
});
