import { describe, expect, it } from 'vitest';
import type { SessionLoad } from '../../src/analysis/types.js';
import { evaluateRules, type Finding, type RuleOptions } from '../../src/rules/index.js';
import { addDays, makeHistory, makeSession, makeSummary, makeWeek } from './helpers.js';

type SessionOver = Parameters<typeof makeSession>[0];

function sessions(list: readonly SessionLoad[], options: RuleOptions = {}): Finding[] {
  return evaluateRules(makeHistory({ sessions: list }), [], options);
}
function one(o: SessionOver, options: RuleOptions = {}): Finding[] {
  return sessions([makeSession(o)], options);
}
function of(findings: readonly Finding[], rule: string): Finding[] {
  return findings.filter((f) => f.rule === rule);
}

describe('session-spike (card L2, Frandsen 2025: > 10 % over the longest run of the previous 30 days)', () => {
  const spike = (distanceM: number, o: SessionOver = {}) => of(one({ refLongestM: 10000, distanceM, ...o }), 'session-spike');

  it('ratio 1.10 exactly is the reference category: no finding', () => {
    expect(spike(11000)).toEqual([]);
    expect(spike(10500)).toEqual([]);
  });

  it('just above 1.10 is a breach, reported as borderline info (within GPS distance error, ±3 %)', () => {
    const [f] = spike(11001);
    expect(f?.severity).toBe('info');
    expect(f?.details['borderline']).toBe(true);
    expect(f?.message).toContain('within 3 %');
  });

  it('small spike (1.10, 1.30]: caution, with the hazard rate ratio 1.64 in the message', () => {
    const [f] = spike(11400); // 1.14, above the borderline band 1.10–1.133
    expect(f?.severity).toBe('caution');
    expect(f?.details['tier']).toBe('small');
    expect(f?.details['borderline']).toBe(false);
    expect(f?.message).toContain('hazard rate ratio 1.64, 95 % CI 1.31–2.05');
    expect(f?.observed).toBe(1.14);
    expect(f?.threshold).toBe(1.1);
    expect(f?.unit).toBe('ratio');
    expect(f?.evidence.grade).toBe('A');
    // safe max for the next long run: 1.10 × 10.0 km = 11.0 km
    expect(f?.details['safeMaxM']).toBe(11000);
    expect(f?.advice[0]).toContain('11.0 km');
  });

  it('1.30 is still small; just above is moderate (HRR 1.52); both near the tier limit are noted as borderline', () => {
    expect(spike(13000)[0]?.details['tier']).toBe('small');
    expect(spike(13000)[0]?.details['borderline']).toBe(true);
    const [m] = spike(13001);
    expect(m?.details['tier']).toBe('moderate');
    expect(m?.severity).toBe('caution');
    expect(m?.message).toContain('1.52, 95 % CI 1.16–2.00');
    expect(spike(13500)[0]?.details['borderline']).toBe(false);
  });

  it('2.00 is still moderate; above is a large spike: warning with HRR 2.28', () => {
    expect(spike(20000)[0]?.details['tier']).toBe('moderate');
    const [l] = spike(25000);
    expect(l?.details['tier']).toBe('large');
    expect(l?.severity).toBe('warning');
    expect(l?.message).toContain('2.28, 95 % CI 1.50–3.48');
    expect(l?.advice.join(' ')).toContain('more than two weeks');
  });

  it('low baseline (longest < 3 km): the absolute rule; +2.999 km is info, +3 km a finding', () => {
    const [small] = spike(4999, { refLongestM: 2000 });
    expect(small?.severity).toBe('info');
    expect(small?.details['lowBaseline']).toBe(true);
    expect(small?.message).toContain('short');
    const [big] = spike(5000, { refLongestM: 2000 });
    expect(big?.severity).toBe('warning'); // 5.0/2.0 = 2.5 → large tier
    expect(big?.observed).toBe(3000);
    expect(big?.threshold).toBe(3000);
    expect(big?.unit).toBe('m');
    // at exactly 3 km reference the percentage rule applies again
    expect(spike(3400, { refLongestM: 3000 })[0]?.details['lowBaseline']).toBe(false);
  });

  it('baseline building (< 14 days of history): info that says why; 14 days: normal', () => {
    const [b] = spike(14000, { historyDays: 13 });
    expect(b?.severity).toBe('info');
    expect(b?.details['baselineBuilding']).toBe(true);
    expect(b?.message).toContain('still building');
    expect(spike(14000, { historyDays: 14 })[0]?.severity).toBe('caution');
  });

  it('no reference (first run) gives nothing; thresholds are configurable', () => {
    expect(spike(20000, { refLongestM: null })).toEqual([]);
    const custom = of(one({ refLongestM: 10000, distanceM: 11600 }, { 'session-spike': { thresholds: [1.2, 1.5, 2.5] } }), 'session-spike');
    expect(custom).toEqual([]);
  });
});

describe('return-from-break (no run in 30 days: cap min(5 km, 0.5 × longest of the last 90 days))', () => {
  const history = (distanceM: number, days: number, longest = 12000): SessionLoad[] => [
    makeSession({ activityIds: ['a'], localDate: '2025-01-01', distanceM: longest, refLongestM: null }),
    makeSession({ activityIds: ['b'], localDate: '2025-01-20', distanceM: 8000, refLongestM: longest }),
    makeSession({ activityIds: ['c'], localDate: addDays('2025-01-20', days), distanceM, daysSincePrevious: days, refLongestM: null }),
  ];

  it('29 days off is not a break', () => {
    expect(of(sessions(history(9000, 29)), 'return-from-break')).toEqual([]);
  });

  it('cap = min(5 km, 0.5 × 12 km) = 5 km: 5.0 km is info, 5.001 km caution', () => {
    const [ok] = of(sessions(history(5000, 40)), 'return-from-break');
    expect(ok?.severity).toBe('info');
    expect(ok?.threshold).toBe(5000);
    const [over] = of(sessions(history(5001, 40)), 'return-from-break');
    expect(over?.severity).toBe('caution');
    expect(over?.activityId).toBe('c');
    expect(over?.message).toContain('40 days');
  });

  it('with no run of 1 km or more before the break, the cap is 5 km', () => {
    const [f] = of(sessions(history(5500, 40, 600).map((x) => (x.activityIds[0] === 'b' ? { ...x, distanceM: 900 } : x))), 'return-from-break');
    expect(f?.threshold).toBe(5000);
    expect(f?.message).toContain('no run of 1 km or more');
  });

  it('cap = 0.5 × 8 km = 4 km when the longest run before was 8 km', () => {
    const [f] = of(sessions(history(4500, 30, 8000)), 'return-from-break');
    expect(f?.threshold).toBe(4000);
    expect(f?.severity).toBe('caution');
  });

  it('the break run is not also reported as a spike', () => {
    expect(of(sessions(history(20000, 45)), 'session-spike')).toEqual([]);
  });
});

describe('weekly-increase (card L3, rolling 7 days vs the 7 before)', () => {
  // max4w = prev so the "back to usual" guard stays out of the way unless tested
  const week = (cur: number, prev: number, o: SessionOver = {}) =>
    of(one({ rolling7dM: cur, prev7dM: prev, max4wRolling7dM: prev, ...o }), 'weekly-increase');

  it('+10 % exactly: nothing; just above: info (the 10 % rule, evidence D)', () => {
    expect(week(22000, 20000)).toEqual([]);
    const [f] = week(22001, 20000);
    expect(f?.severity).toBe('info');
    expect(f?.evidence.grade).toBe('D');
    expect(f?.threshold).toBe(0.1);
    expect(f?.message).toContain('+10 %');
  });

  it('+30 % exactly: info; just above: caution (Nielsen 2014, evidence B)', () => {
    expect(week(26000, 20000)[0]?.severity).toBe('info');
    const [f] = week(26001, 20000);
    expect(f?.severity).toBe('caution');
    expect(f?.evidence.grade).toBe('B');
    expect(f?.threshold).toBe(0.3);
    expect(f?.message).toContain('HR 1.59');
  });

  it('guard: previous 7 days under 10 km → increases under 5 km are info and say why', () => {
    const [g] = week(12999, 8000); // +62 %, +4.999 km
    expect(g?.severity).toBe('info');
    expect(g?.details['guarded']).toBe(true);
    expect(g?.message).toContain('light');
    expect(week(13000, 8000)[0]?.severity).toBe('caution'); // +5 km
    expect(week(13001, 10000)[0]?.severity).toBe('caution'); // 10 km: no floor
  });

  it('guard: first 3 weeks of history → info', () => {
    const [g] = week(30000, 20000, { historyDays: 20 });
    expect(g?.severity).toBe('info');
    expect(g?.message).toContain('first 3 weeks');
    expect(week(30000, 20000, { historyDays: 21 })[0]?.severity).toBe('caution');
  });

  it('guard: back to the usual volume after a lighter week (≤ 1.1 × max of the 4 weeks before) → info with the reason', () => {
    const [g] = week(33000, 15000, { max4wRolling7dM: 30000 });
    expect(g?.severity).toBe('info');
    expect(g?.message).toContain('back to your usual volume after a lighter week');
    expect(week(33001, 15000, { max4wRolling7dM: 30000 })[0]?.severity).toBe('caution');
  });

  it('one finding per episode: the loudest session of breaches within 7 days of each other', () => {
    const list = [
      makeSession({ activityIds: ['d1'], localDate: '2025-03-01', rolling7dM: 23000, prev7dM: 20000, max4wRolling7dM: 20000 }),
      makeSession({ activityIds: ['d3'], localDate: '2025-03-03', rolling7dM: 28000, prev7dM: 20000, max4wRolling7dM: 20000 }),
      makeSession({ activityIds: ['d5'], localDate: '2025-03-05', rolling7dM: 27000, prev7dM: 20000, max4wRolling7dM: 20000 }),
      makeSession({ activityIds: ['d20'], localDate: '2025-03-20', rolling7dM: 23000, prev7dM: 20000, max4wRolling7dM: 20000 }),
    ];
    const f = of(sessions(list), 'weekly-increase');
    expect(f.map((x) => [x.activityId, x.severity])).toEqual([
      ['d3', 'caution'],
      ['d20', 'info'],
    ]);
    expect(f[0]?.details['episodeSessions']).toBe(3);
    expect(f[0]?.details['episodeStart']).toBe('2025-03-01');
  });

  it('no comparison in the first 7 days of history (the previous 7 days lie before the first run)', () => {
    expect(week(12000, 5000, { historyDays: 6 })).toEqual([]);
    expect(week(12000, 5000, { historyDays: 7 })[0]?.severity).toBe('info');
  });

  it('from nothing: with running in the 4 weeks before, a guarded info (observed null); with none at all, a restart (no comparison)', () => {
    const [f] = week(12000, 0, { max4wRolling7dM: 10000 });
    expect(f?.severity).toBe('caution');
    expect(f?.observed).toBeNull();
    const [back] = week(12000, 0, { max4wRolling7dM: 20000 });
    expect(back?.severity).toBe('info');
    expect(back?.message).toContain('after time off');
    expect(week(12000, 0, { max4wRolling7dM: 0 })).toEqual([]);
  });
});

describe('weekly-increase per calendar week (window: calendar)', () => {
  const calendar: RuleOptions = { 'weekly-increase': { window: 'calendar' } };
  const weeks = (...km: number[]) => km.map((d, i) => makeWeek(addDays('2025-01-06', 7 * i), d * 1000));
  const run = (...km: number[]) => evaluateRules(makeHistory({ weeks: weeks(...km) }), [], calendar);

  it('judges each week against the one before, with the same tiers (+10 % nothing, +30 % info, more caution)', () => {
    // weeks 4–6 (index 3–5) are past the first 3 weeks; 20 → 22 → 28.6 → 37.19 km
    const f = run(20, 20, 20, 22, 28.6, 37.19);
    expect(f.map((x) => [x.week, x.severity])).toEqual([
      ['2025-02-03', 'info'], // 28.6/22 = +30 % exactly → info tier
      ['2025-02-10', 'caution'], // 37.19/28.6 = +30.03 %
    ]);
    expect(f[0]!.activityId).toBeNull();
    expect(f[1]!.details['window']).toBe('calendar');
  });

  it('first 3 weeks → info; a return to a usual week after a light one → info', () => {
    expect(run(20, 30).map((x) => x.severity)).toEqual(['info']);
    const back = run(30, 30, 30, 30, 15, 33);
    expect(back.map((x) => [x.week, x.severity])).toEqual([['2025-02-10', 'info']]);
    expect(back[0]!.message).toContain('back to your usual volume');
  });
});

describe('acwr (card L4): information only, never a warning', () => {
  it('1.49 nothing; 1.5 and even 3.0 only info', () => {
    expect(of(one({ acwrRolling: 1.49 }), 'acwr')).toEqual([]);
    expect(of(one({ acwrRolling: 1.5 }), 'acwr')[0]?.severity).toBe('info');
    const [f] = of(one({ acwrRolling: 3.0 }), 'acwr');
    expect(f?.severity).toBe('info');
    expect(f?.message).toContain('information only');
  });

  it('not during the first 28 days of history (card L4: warming up)', () => {
    expect(of(one({ acwrRolling: 4, historyDays: 27 }), 'acwr')).toEqual([]);
    expect(of(one({ acwrRolling: 4, historyDays: 28 }), 'acwr')).toHaveLength(1);
  });
});

describe('shoe-mileage (card S1, 640 km)', () => {
  const run = (id: string, date: string, distanceM: number) =>
    makeSummary({ id, gear: 'Trail shoes', localDate: date, startTime: `${date}T07:00:00Z`, distanceM, runningDistanceM: distanceM });
  const gear = (distanceM: number) => [{ gear: 'Trail shoes', distanceM, runs: 2, firstUsed: '2025-01-01', lastUsed: '2025-03-01' }];

  it('639.999 km nothing; 640 km info on the run that crossed it', () => {
    expect(evaluateRules(makeHistory({ gear: gear(639999) }), [], {})).toEqual([]);
    const summaries = [run('late', '2025-03-01', 240000), run('early', '2025-01-01', 400000)];
    const f = evaluateRules(makeHistory({ gear: gear(640000) }), summaries, {}).filter((x) => x.rule === 'shoe-mileage');
    expect(f).toHaveLength(1);
    expect(f[0]?.severity).toBe('info');
    expect(f[0]?.activityId).toBe('late');
    expect(f[0]?.message).toContain('640.0 km');
    expect(f[0]?.message).toContain('not been shown to predict knee pain');
  });

  it('no gear data: nothing', () => {
    expect(evaluateRules(makeHistory({ gear: [] }), [makeSummary()], {})).toEqual([]);
  });
});

describe('session-spike on treadmill distance (card L2: compare anyway, marked estimated)', () => {
  it('still judges the run and says the distance is estimated', () => {
    const [f] = of(one({ refLongestM: 10000, distanceM: 14000, estimatedDistance: true }), 'session-spike');
    expect(f?.severity).toBe('caution');
    expect(f?.details['estimatedDistance']).toBe(true);
    expect(f?.message).toContain('treadmill');
  });
});
