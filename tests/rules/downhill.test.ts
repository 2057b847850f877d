import { describe, expect, it } from 'vitest';
import { evaluateRules, type Finding, type RuleOptions } from '../../src/rules/index.js';
import { makeHistory, makeSegment, makeSummary, type SummaryOverrides } from './helpers.js';

function run(o: SummaryOverrides, options: RuleOptions = {}): Finding[] {
  return evaluateRules(makeHistory(), [makeSummary(o)], options);
}
function rules(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.rule);
}

describe('downhill-heavy (card D3: ≥ 300 m descent or ≥ 1 km at −10 % or steeper)', () => {
  it('descent: 299 m no, 300 m and 301 m yes', () => {
    expect(run({ elevation: { descentM: 299 } })).toEqual([]);
    expect(rules(run({ elevation: { descentM: 300 } }))).toEqual(['downhill-heavy']);
    const f = run({ elevation: { descentM: 301 } })[0]!;
    expect(f.severity).toBe('caution');
    expect(f.observed).toBe(301);
    expect(f.threshold).toBe(300);
    expect(f.unit).toBe('m');
    expect(f.message).toContain('301 m of descent');
    expect(f.evidence.grade).toBe('D');
  });

  it('steep distance: 999 m no, 1000 m yes', () => {
    expect(run({ elevation: { steepDownhillDistanceM: 999 } })).toEqual([]);
    const f = run({ elevation: { steepDownhillDistanceM: 1000 } });
    expect(rules(f)).toEqual(['downhill-heavy']);
    expect(f[0]!.observed).toBe(1000);
    expect(f[0]!.threshold).toBe(1000);
    expect(f[0]!.details['bySteepDistance']).toBe(true);
  });

  it('says when altitude is from GPS (may overstate descent)', () => {
    expect(run({ elevation: { descentM: 400, source: 'gps' } })[0]!.message).toContain('GPS');
  });

  it('no elevation (treadmill, no altitude) gives nothing', () => {
    expect(run({ isTreadmill: true, stepLength: { lowConfidence: true }, elevation: { source: 'none', descentM: null, skippedReason: 'treadmill' } }).filter((f) => f.rule === 'downhill-heavy')).toEqual([]);
  });

  it('thresholds are configurable and the rule can be switched off', () => {
    expect(run({ elevation: { descentM: 250 } }, { 'downhill-heavy': { heavyDescentM: 200 } })).toHaveLength(1);
    expect(run({ elevation: { descentM: 500 } }, { 'downhill-heavy': false })).toEqual([]);
  });
});

describe('downhill-overstriding (card D3: cadence on descents > 5 % below own flat cadence at that speed)', () => {
  // This run: flat 175 spm at 3.0 m/s, no personal line → reference at v = 175 + 6.01·(v − 3.0).
  // At 3.3 m/s: 175 + 6.01 × 0.3 = 176.803 spm; −5 % → 167.963 spm.
  const ref = 175 + 6.01 * 0.3;
  const seg = (spm: number, o: Parameters<typeof makeSegment>[0] = {}) => run({ downhillSegments: [makeSegment({ cadenceSpm: spm, ...o })] });

  it('fires just below −5 %, not at or above', () => {
    expect(seg(ref * 0.95 + 0.05)).toEqual([]);
    expect(seg(ref * 0.95)).toEqual([]);
    const f = seg(ref * 0.95 - 0.05);
    expect(rules(f)).toEqual(['downhill-overstriding']);
    expect(f[0]!.threshold).toBeCloseTo(ref * 0.95, 3);
    expect(f[0]!.details['referenceSource']).toBe('this-run-flat');
  });

  it('carries the span of the segment', () => {
    const f = seg(150)[0]!;
    expect(f.span).toEqual({ startS: 600, endS: 720, startM: 2000, endM: 2400 });
    expect(f.severity).toBe('caution');
    expect(f.message).toContain('−8 %');
  });

  it('reports the worst of several segments once, with the count', () => {
    const f = run({
      downhillSegments: [
        makeSegment({ cadenceSpm: 160 }),
        makeSegment({ cadenceSpm: 150, startTimeS: 1200, endTimeS: 1300, startDistanceM: 4000, endDistanceM: 4330 }),
        makeSegment({ cadenceSpm: 176, startTimeS: 1500, endTimeS: 1600 }),
      ],
    });
    expect(rules(f)).toEqual(['downhill-overstriding']);
    expect(f[0]!.observed).toBe(150);
    expect(f[0]!.span?.startS).toBe(1200);
    expect(f[0]!.details['segmentsFlagged']).toBe(2);
  });

  it('only judges segments at −5 % or steeper lasting 60 s or more', () => {
    expect(seg(150, { meanGrade: -0.049 })).toEqual([]);
    expect(rules(seg(150, { meanGrade: -0.05 }))).toEqual(['downhill-overstriding']);
    expect(seg(150, { startTimeS: 600, endTimeS: 659 })).toEqual([]);
    expect(rules(seg(150, { startTimeS: 600, endTimeS: 660 }))).toEqual(['downhill-overstriding']);
  });

  it('uses the personal line when there is one', () => {
    // own line 140 + 10·v → 173 spm at 3.3 m/s; −5 % = 164.35
    const history = makeHistory({ cadenceBaseline: { interceptSpm: 140, slopeSpmPerMps: 10, windowDays: 90, timeS: 36000, targetPct: 0.05 } });
    const s = (spm: number) => makeSummary({ downhillSegments: [makeSegment({ cadenceSpm: spm })] });
    expect(evaluateRules(history, [s(164.4)], {})).toEqual([]);
    const f = evaluateRules(history, [s(164.3)], {});
    expect(rules(f)).toEqual(['downhill-overstriding']);
    expect(f[0]!.details['referenceSource']).toBe('personal-baseline');
  });

  it('not on untrustworthy data: treadmill speed or unsure cadence', () => {
    const bad = run({ downhillSegments: [makeSegment({ cadenceSpm: 140 })], cadence: { unitConfidence: 0.5 } });
    expect(rules(bad)).toEqual(['data-quality']);
    expect(bad[0]!.details['skipped']).toContain('downhill-overstriding');
  });
});

describe('descent-spike (card D4, off by default)', () => {
  it('is off by default, and informational when switched on', async () => {
    const { makeSession } = await import('./helpers.js');
    const sessions = [
      makeSession({ activityIds: ['a'], localDate: '2025-03-01', descentM: 200 }),
      makeSession({ activityIds: ['b'], localDate: '2025-03-08', descentM: 221 }),
      makeSession({ activityIds: ['c'], localDate: '2025-03-15', descentM: 243 }),
    ];
    const history = makeHistory({ sessions });
    expect(evaluateRules(history, [], {})).toEqual([]);
    const f = evaluateRules(history, [], { 'descent-spike': { enabled: true } });
    // b: 221/200 = 1.105 > 1.10 → fires; c: 243/221 = 1.0995 → not
    expect(f.map((x) => [x.rule, x.activityId, x.severity])).toEqual([['descent-spike', 'b', 'info']]);
  });
});

describe('descent-spike reference (property): the largest descent of the previous 30 days', () => {
  it('matches a direct scan over all earlier sessions', async () => {
    const fc = (await import('fast-check')).default;
    const { makeSession, addDays } = await import('./helpers.js');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 600 })), { minLength: 1, maxLength: 40 }), (steps) => {
        let day = 0;
        const sessions = steps.map(([gap, descent], i) => {
          day += gap;
          return makeSession({ activityIds: [`s${i}`], localDate: addDays('2025-01-01', day), startTime: new Date(Date.parse(`${addDays('2025-01-01', day)}T06:00:00Z`) + i * 60_000).toISOString(), descentM: descent });
        });
        const expected = sessions
          .filter((s) => {
            const t = Date.parse(s.startTime);
            const window = sessions.filter((p) => Date.parse(p.startTime) < t && Date.parse(p.startTime) > t - 30 * 86_400_000);
            if (window.length === 0 || s.descentM < 100) return false;
            const ref = Math.max(...window.map((p) => p.descentM));
            return ref < 1 || s.descentM / ref > 1.1 + 1e-9 * 1.1;
          })
          .map((s) => s.activityIds[0]);
        const got = evaluateRules(makeHistory({ sessions }), [], { 'descent-spike': true, 'session-spike': false, 'weekly-increase': false, acwr: false }).map((f) => f.activityId);
        expect([...got].sort()).toEqual([...expected].sort());
      }),
      { numRuns: 200 },
    );
  });
});

describe('no usable altitude on an outdoor run (card Q1)', () => {
  const flat = { source: 'none' as const, ascentM: null, descentM: null, skippedReason: 'no altitude in the file' };
  it('says that descents could not be judged', () => {
    const f = run({ elevation: flat });
    expect(f.map((x) => x.rule)).toEqual(['data-quality']);
    expect(f[0]!.details['skipped']).toBe('downhill-heavy');
    expect(f[0]!.message).toContain('no usable altitude (no altitude in the file)');
  });

  it('adds a caveat to a low-cadence finding ("flat" may include hills)', () => {
    const f = run({ elevation: flat, cadence: { flatAvgSpm: 160 } }).find((x) => x.rule === 'low-cadence');
    expect(f?.message).toContain('no altitude');
  });

  it('says nothing about altitude on a treadmill (none is expected) or when the downhill rules are off', () => {
    expect(run({ elevation: flat, isTreadmill: true, stepLength: { lowConfidence: true } }).map((x) => x.details['codes'])).toEqual(['TREADMILL_SPEED']);
    expect(run({ elevation: flat }, { 'downhill-heavy': false, 'downhill-overstriding': false })).toEqual([]);
  });
});
