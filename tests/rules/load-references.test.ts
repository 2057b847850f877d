/**
 * Load references and baselines that mean something: a tiny recording is no
 * spike reference, a run's personal cadence line comes from the runs before
 * it, and a rolling 7-day breach after a lower stretch is its own finding.
 */
import { describe, expect, it } from 'vitest';
import { analyzeHistory } from '../../src/analysis/index.js';
import type { ActivitySummary } from '../../src/analysis/types.js';
import { evaluateRules, type Finding } from '../../src/rules/index.js';
import { addDays, makeHistory, makeSession, makeSummary } from './helpers.js';

const NOW = '2030-01-01T00:00:00Z';

function run(id: string, date: string, distanceM: number, o: { timeS?: number; spm?: number; hour?: string } = {}): ActivitySummary {
  const timeS = o.timeS ?? distanceM / 3;
  return makeSummary({
    id,
    startTime: `${date}T${o.hour ?? '07'}:00:00.000Z`,
    localDate: date,
    distanceM,
    runningDistanceM: distanceM,
    movingTimeS: timeS,
    elapsedTimeS: timeS,
    runningTimeS: timeS,
    cadence: { flatAvgSpm: o.spm ?? 175, flatSpeedMps: 3.0 },
  });
}

function of(findings: readonly Finding[], rule: string): Finding[] {
  return findings.filter((f) => f.rule === rule);
}

describe('spike reference (card L2)', () => {
  it('a 45 m test recording is never the longest-run reference: the 3.6 km run after it is not an 81× spike', () => {
    // history: 3 weeks of 4 km runs (the last on 2025-01-19), then only a 45 m recording, then 3.6 km
    const list: ActivitySummary[] = [];
    for (let d = 0; d < 21; d += 3) list.push(run(`base-${d}`, addDays('2025-01-01', d), 4000));
    list.push(run('test-45m', '2025-03-01', 45, { timeS: 20 }));
    list.push(run('run-3600', '2025-03-05', 3600));
    const h = analyzeHistory(list, { now: NOW });
    const last = h.sessions.at(-1)!;
    expect(last.activityIds).toEqual(['run-3600']);
    // the 4 km runs ended 2025-01-19, more than 30 days before: no reference at all (was 45 m → ratio 80, a warning)
    expect(last.refLongestM).toBeNull();
    expect(last.spikeRatio).toBeNull();
    expect(of(evaluateRules(h, list), 'session-spike')).toEqual([]);
  });

  it('a 9-minute 1.5 km run is no reference either, but a 12-minute 2 km run is', () => {
    const list = [run('a', '2025-03-01', 1500, { timeS: 540 }), run('b', '2025-03-03', 2000, { timeS: 720 }), run('c', '2025-03-05', 2100)];
    const h = analyzeHistory(list, { now: NOW });
    expect(h.sessions[1]!.refLongestM).toBeNull(); // b: only a (9 min) before it
    expect(h.sessions[2]!.refLongestM).toBe(2000); // c: b counts, a does not
  });
});

describe('personal cadence baseline (card C3) from earlier runs only', () => {
  // Three years: 160 spm at 3.0 m/s in 2022, 180 spm in 2024 (after retraining), runs every 4 days.
  const list: ActivitySummary[] = [];
  for (let d = 0; d < 360; d += 4) list.push(run(`y1-${d}`, addDays('2022-01-03', d), 8000, { spm: 160 }));
  for (let d = 0; d < 360; d += 4) list.push(run(`y3-${d}`, addDays('2024-01-01', d), 8000, { spm: 180 }));
  // judged runs: 162 spm in late 2022 (normal then), 172 spm in late 2024 (a drop then)
  list.push(run('old-162', '2022-12-20', 8000, { spm: 162, hour: '18' }));
  list.push(run('new-172', '2024-12-20', 8000, { spm: 172, hour: '18' }));
  const h = analyzeHistory(list, { now: NOW });
  const findings = evaluateRules(h, list, { 'low-cadence': { mode: 'personal' } });
  const low = of(findings, 'low-cadence');

  it('each session carries the line of the 90 days before its day', () => {
    const old = h.sessions.find((s) => s.activityIds.includes('old-162'))!;
    const recent = h.sessions.find((s) => s.activityIds.includes('new-172'))!;
    // one speed bin at 3.0 m/s: the line passes through the bin's median (population slope), 160 resp. 180 spm at 3 m/s
    expect(old.cadenceBaseline!.interceptSpm + old.cadenceBaseline!.slopeSpmPerMps * 3).toBeCloseTo(160, 6);
    expect(recent.cadenceBaseline!.interceptSpm + recent.cadenceBaseline!.slopeSpmPerMps * 3).toBeCloseTo(180, 6);
    // the history's own baseline stays the latest one (for the retraining target)
    expect(h.cadenceBaseline!.interceptSpm + h.cadenceBaseline!.slopeSpmPerMps * 3).toBeCloseTo(180, 6);
  });

  it('a 2022 run at 162 spm is not judged against the 180 spm of 2024; a 2024 run at 172 spm is a 4.4 % drop', () => {
    // 162/160 − 1 = +1.25 %: no finding (against 180 it would be −10 %)
    expect(low.find((f) => f.activityId === 'old-162')).toBeUndefined();
    const recent = low.find((f) => f.activityId === 'new-172');
    expect(recent?.observed).toBeCloseTo(172 / 180 - 1, 3); // observed is rounded to 4 decimals
  });

  it('the first run has no earlier runs, so no personal baseline', () => {
    expect(h.sessions[0]!.cadenceBaseline).toBeNull();
  });
});

describe('rolling 7-day episodes (card L3)', () => {
  const s = (id: string, date: string, rolling7dM: number) => makeSession({ activityIds: [id], localDate: date, rolling7dM, prev7dM: 20000, max4wRolling7dM: 20000 });

  it('a breach after a lower stretch is its own finding, even within 7 days of the earlier breach', () => {
    const list = [s('d1', '2025-03-01', 28000), s('d3', '2025-03-03', 20000), s('d6', '2025-03-06', 27000)];
    const f = of(evaluateRules(makeHistory({ sessions: list }), []), 'weekly-increase');
    expect(f.map((x) => x.activityId)).toEqual(['d1', 'd6']);
    expect(f.map((x) => x.details['episodeSessions'])).toEqual([1, 1]);
  });

  it('a chain of breaches every 5 days does not swallow a later one after a quiet session', () => {
    // as with --tz Asia/Tokyo before: breaches chained across weeks hid a +31 % week in an episode begun three weeks earlier
    const list = [
      s('a', '2025-03-01', 24000),
      s('b', '2025-03-06', 24000),
      s('c', '2025-03-11', 24000),
      s('quiet', '2025-03-14', 21000),
      s('d', '2025-03-17', 26200),
    ];
    const f = of(evaluateRules(makeHistory({ sessions: list }), []), 'weekly-increase');
    expect(f.map((x) => x.activityId)).toEqual(['a', 'd']);
    expect(f[1]!.observed).toBeCloseTo(0.31, 6);
  });
});
