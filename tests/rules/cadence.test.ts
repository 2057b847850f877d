import { describe, expect, it } from 'vitest';
import { evaluateRules, type Finding, type RuleOptions } from '../../src/rules/index.js';
import { makeBaseline, makeHistory, makeSummary, type SummaryOverrides } from './helpers.js';
import type { CadenceBaseline } from '../../src/analysis/types.js';

function run(o: SummaryOverrides, options: RuleOptions = {}, baseline: CadenceBaseline | null = null): Finding[] {
  return evaluateRules(makeHistory({ cadenceBaseline: baseline }), [makeSummary(o)], options);
}
function rules(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.rule);
}
function only(findings: readonly Finding[], rule: string): Finding {
  const matching = findings.filter((f) => f.rule === rule);
  expect(matching, `exactly one ${rule} finding`).toHaveLength(1);
  return matching[0]!;
}

describe('clean run', () => {
  it('a 45-min flat run at 175 spm and 3.0 m/s gives no finding at all', () => {
    expect(run({})).toEqual([]);
  });
});

describe('low-cadence, absolute mode (default 170 spm)', () => {
  it('fires just below 170, not at 170 or just above', () => {
    expect(rules(run({ cadence: { flatAvgSpm: 169.9 } }))).toEqual(['low-cadence']);
    expect(run({ cadence: { flatAvgSpm: 170 } })).toEqual([]);
    expect(run({ cadence: { flatAvgSpm: 170.1 } })).toEqual([]);
  });

  it('is info when the cadence is normal for the pace, caution when it is also low for the pace', () => {
    // 169.9 at 3.0 m/s: z = (169.9 − 168.03)/8 = +0.23 → normal for the pace
    const normal = only(run({ cadence: { flatAvgSpm: 169.9 } }), 'low-cadence');
    expect(normal.severity).toBe('info');
    expect(normal.observed).toBe(169.9);
    expect(normal.threshold).toBe(170);
    expect(normal.unit).toBe('spm');
    expect(normal.details['lowForSpeed']).toBe(false);
    // 155 at 3.0 m/s: z = (155 − 168.03)/8 = −1.63 ≤ −1.5; step ratio 168.03/155 = 1.084 < 1.10 (no overstriding)
    const low = only(run({ cadence: { flatAvgSpm: 155 } }), 'low-cadence');
    expect(low.severity).toBe('caution');
    expect(low.details['lowForSpeed']).toBe(true);
    expect(low.message).toContain('155 spm');
    expect(low.message).toContain('168');
  });

  it('honours a configured floor (card C2: 166)', () => {
    expect(run({ cadence: { flatAvgSpm: 167 } }, { 'low-cadence': { minCadenceSpm: 166 } })).toEqual([]);
    expect(rules(run({ cadence: { flatAvgSpm: 165.9 } }, { 'low-cadence': { minCadenceSpm: 166 } }))).toEqual(['low-cadence']);
  });

  it('needs 10 min of flat, steady running: 599 s explains, 600 s judges', () => {
    const thin = run({ cadence: { flatAvgSpm: 160, flatTimeS: 599 } });
    expect(rules(thin)).toEqual(['data-quality']);
    expect(thin[0]!.message).toContain('flat, steady running');
    expect(rules(run({ cadence: { flatAvgSpm: 160, flatTimeS: 600 } }))).toEqual(['low-cadence']);
  });

  it('can be switched off with false, enabled: false or disable', () => {
    const o = { cadence: { flatAvgSpm: 160 } };
    expect(run(o, { 'low-cadence': false })).toEqual([]);
    expect(run(o, { 'low-cadence': { enabled: false } })).toEqual([]);
    expect(run(o, { disable: ['low-cadence'] })).toEqual([]);
  });

  it('never names 180 as a target and words the link as an association', () => {
    const f = only(run({ cadence: { flatAvgSpm: 150, flatSpeedMps: 2.5 }, stepLength: { ratioToExpected: 1.0 } }), 'low-cadence');
    const text = [f.message, ...f.advice].join(' ');
    expect(text).not.toMatch(/\b180\b/);
    expect(text).not.toMatch(/\bcauses?\b/i);
    // +5–10 % of 150 spm = 158–165 spm (hand calculation)
    expect(f.advice.join(' ')).toContain('158–165 spm');
  });
});

describe('low-cadence, speed-adjusted mode (z ≤ −1.5)', () => {
  const opts: RuleOptions = { 'low-cadence': { mode: 'speed-adjusted' } };
  it('fires at and below −1.5, not just above', () => {
    const at = (z: number) => run({ cadence: { flatAvgSpm: 160, zVsExpected: z }, stepLength: { ratioToExpected: 1.0 } }, opts);
    expect(at(-1.49)).toEqual([]);
    expect(rules(at(-1.5))).toEqual(['low-cadence']);
    expect(rules(at(-1.51))).toEqual(['low-cadence']);
    const f = only(at(-1.51), 'low-cadence');
    expect(f.severity).toBe('caution');
    expect(f.unit).toBe('z');
    expect(f.threshold).toBe(-1.5);
    expect(f.evidence.grade).toBe('C');
  });

  it('does not flag 165 spm at an easy 2.4 m/s (expected 164.4) that the absolute 170 rule would report', () => {
    // 150.0 + 6.01 × 2.4 = 164.42 spm; z = (165 − 164.42)/8 = +0.07
    expect(run({ cadence: { flatAvgSpm: 165, flatSpeedMps: 2.4 } }, opts)).toEqual([]);
    expect(rules(run({ cadence: { flatAvgSpm: 165, flatSpeedMps: 2.4 } }))).toEqual(['low-cadence']);
  });

  it('does not judge a treadmill run (speed untrusted) but says why', () => {
    const f = run({ isTreadmill: true, stepLength: { lowConfidence: true }, cadence: { flatAvgSpm: 150 } }, opts);
    expect(rules(f)).toEqual(['data-quality']);
    expect(f[0]!.message).toContain('treadmill');
  });
});

describe('low-cadence, personal mode (card C3, more than 3 % below the own line)', () => {
  const opts: RuleOptions = { 'low-cadence': { mode: 'personal' }, 'cadence-target': false };
  // own line 140 + 10·v → 170 spm at 3.0 m/s; −3 % = 164.9 spm
  const at = (spm: number) => run({ cadence: { flatAvgSpm: spm, zVsExpected: 0 }, stepLength: { ratioToExpected: 1.0 } }, opts, makeBaseline());
  it('fires just below −3 %, not at −3 % or above', () => {
    expect(at(165)).toEqual([]);
    expect(at(164.9)).toEqual([]);
    const f = only(at(164.8), 'low-cadence');
    expect(f.severity).toBe('caution');
    expect(f.observed).toBeCloseTo(164.8 / 170 - 1, 4);
    expect(f.threshold).toBe(-0.03);
    expect(f.details['personalSpm']).toBe(170);
  });

  it('falls back to the population expectation while no personal line exists, and says so', () => {
    const f = run({ cadence: { flatAvgSpm: 150, zVsExpected: -2.25 }, stepLength: { ratioToExpected: 1.0 } }, opts, null);
    const low = only(f, 'low-cadence');
    expect(low.details['personalBaselineMissing']).toBe(true);
    expect(low.message).toContain('personal baseline is not available');
  });
});

describe('overstriding (card O1, ratio ≥ 1.10) and the combined finding', () => {
  // 172 spm keeps the absolute rule quiet; the ratio is set directly
  const at = (ratio: number, extra: SummaryOverrides = {}) => run({ ...extra, cadence: { flatAvgSpm: 172, ...extra.cadence }, stepLength: { ratioToExpected: ratio, ...extra.stepLength } });
  it('fires at and above 1.10, not just below', () => {
    expect(at(1.09)).toEqual([]);
    expect(rules(at(1.1))).toEqual(['overstriding']);
    const f = only(at(1.11), 'overstriding');
    expect(f.severity).toBe('caution');
    expect(f.details['combinedWithLowCadence']).toBe(false);
    expect(f.unit).toBe('ratio');
  });

  it('needs 10 min of flat running', () => {
    expect(rules(at(1.2, { cadence: { flatTimeS: 599 } }))).toEqual(['data-quality']);
  });

  it('gives ONE finding when low cadence fires on the same run (card O1: they are redundant)', () => {
    // 150 spm at 3.0 m/s: ratio 168.03/150 = 1.12, z = −2.25
    const f = run({ cadence: { flatAvgSpm: 150 } });
    expect(rules(f)).toEqual(['overstriding']);
    expect(f[0]!.details['combinedWithLowCadence']).toBe(true);
    expect(f[0]!.details['flatAvgSpm']).toBe(150);
    expect(f[0]!.message).toContain('150 spm');
    expect(f[0]!.observed).toBeCloseTo(168.03 / 150, 3);
  });

  it('mentions step length relative to height when known, as information without a threshold', () => {
    const f = only(at(1.15, { stepLength: { relativeToHeight: 0.62 } }), 'overstriding');
    expect(f.message).toContain('62 % of your height');
    expect(f.details['stepLengthToHeight']).toBe(0.62);
  });

  it('is not judged on a treadmill (speed, hence step length, is estimated); cadence still is', () => {
    const f = run({ isTreadmill: true, stepLength: { ratioToExpected: 1.3, lowConfidence: true }, cadence: { flatAvgSpm: 160 } });
    expect(rules(f).sort()).toEqual(['data-quality', 'low-cadence']);
    expect(only(f, 'low-cadence').severity).toBe('info');
    expect(only(f, 'data-quality').details['skipped']).toBe('overstriding');
  });
});

describe('data-quality gates (card Q1): no judgement from data that cannot carry it', () => {
  const low = { flatAvgSpm: 150 };
  it.each([
    ['running under 10 min', { runningTimeS: 599 }, 'SHORT_RUN'],
    ['cadence coverage under 70 %', { cadence: { ...low, coverage: 0.69 } }, 'CADENCE_SPARSE'],
    ['unit confidence under 0.8', { cadence: { ...low, unitConfidence: 0.79 } }, 'CADENCE_UNIT_UNSURE'],
    ['no cadence in the file', { cadence: { ...low, unitDetected: 'none' as const, avgSpm: null } }, 'NO_CADENCE'],
    ['interval session', { speedCv: 0.26 }, 'INTERVALS'],
  ])('%s → only an info that says why', (_name, o, code) => {
    const merged: SummaryOverrides = { ...o, cadence: { ...low, ...(o as SummaryOverrides).cadence } };
    const f = run(merged);
    expect(rules(f)).toEqual(['data-quality']);
    expect(f[0]!.severity).toBe('info');
    expect(String(f[0]!.details['codes'])).toContain(code);
  });

  it('at the gate values themselves (600 s, 70 %, 0.8, CV 0.25) the run is judged', () => {
    const f = run({ runningTimeS: 600, speedCv: 0.25, cadence: { ...low, coverage: 0.7, unitConfidence: 0.8 } });
    expect(rules(f)).toEqual(['overstriding']);
  });

  it('the explanation can be hidden while the gate still applies', () => {
    expect(run({ runningTimeS: 300, cadence: low }, { 'data-quality': false })).toEqual([]);
  });

  it('no explanation when the skipped rules are off anyway', () => {
    expect(run({ runningTimeS: 300, cadence: low }, { 'low-cadence': false, overstriding: false })).toEqual([]);
  });

  it('walking and other non-running activities are not judged at all', () => {
    expect(run({ activityClass: 'walking', sport: 'walking', cadence: { flatAvgSpm: 110 } })).toEqual([]);
  });
});

describe('cadence-target (card C3: progress toward +5 % over the weeks)', () => {
  const opts: RuleOptions = { 'low-cadence': { mode: 'personal' } };
  it('is on in personal mode and reports each week’s share of flat running on target', () => {
    // own line 170 spm at 3.0 m/s → target 178.5; on target from 176.5 (tolerance 2)
    const history = makeHistory({ cadenceBaseline: makeBaseline() });
    const s1 = makeSummary({ id: 'a', localDate: '2025-03-04', startTime: '2025-03-04T07:00:00Z', cadence: { flatAvgSpm: 171, bySpeed: [
      { speedMps: 3.0, timeS: 1800, avgSpm: 171, expectedSpm: 168.03, extrapolated: false },
      { speedMps: 3.0, timeS: 600, avgSpm: 177, expectedSpm: 168.03, extrapolated: false },
    ] } });
    const s2 = makeSummary({ id: 'b', localDate: '2025-03-11', startTime: '2025-03-11T07:00:00Z', cadence: { flatAvgSpm: 177, bySpeed: [
      { speedMps: 3.0, timeS: 1200, avgSpm: 177, expectedSpm: 168.03, extrapolated: false },
      { speedMps: 3.0, timeS: 1200, avgSpm: 174, expectedSpm: 168.03, extrapolated: false },
    ] } });
    const f = evaluateRules(history, [s2, s1], opts).filter((x) => x.rule === 'cadence-target');
    expect(f.map((x) => x.week)).toEqual(['2025-03-03', '2025-03-10']);
    expect(f[0]!.observed).toBeCloseTo(600 / 2400, 4); // 0.25
    expect(f[1]!.observed).toBeCloseTo(1200 / 2400, 4); // 0.5
    expect(f[1]!.details['previousShare']).toBeCloseTo(0.25, 4);
    expect(f[1]!.details['targetSpm']).toBeCloseTo(178.5, 4);
    expect(f[1]!.message).toContain('up from 25 %');
    expect(f.every((x) => x.severity === 'info')).toBe(true);
  });

  it('weeks with under 10 min of flat running are not reported: 599 s no, 600 s yes', () => {
    const history = makeHistory({ cadenceBaseline: makeBaseline() });
    const week = (timeS: number) =>
      evaluateRules(history, [makeSummary({ cadence: { bySpeed: [{ speedMps: 3.0, timeS, avgSpm: 175, expectedSpm: 168.03, extrapolated: false }] } })], opts).filter(
        (x) => x.rule === 'cadence-target',
      );
    expect(week(599)).toEqual([]);
    expect(week(600)).toHaveLength(1);
  });

  it('is off by default in absolute mode, and explains a missing baseline when on', () => {
    expect(evaluateRules(makeHistory({ cadenceBaseline: makeBaseline() }), [makeSummary()], {})).toEqual([]);
    const f = evaluateRules(makeHistory(), [makeSummary()], { 'cadence-target': { enabled: true } });
    expect(rules(f)).toEqual(['cadence-target']);
    expect(f[0]!.message).toContain('No personal cadence baseline yet');
  });
});
