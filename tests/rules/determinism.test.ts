import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ActivitySummary, SessionLoad, TrainingHistory } from '../../src/analysis/types.js';
import { compareFindings, evaluateRules, type Finding } from '../../src/rules/index.js';
import { makeHistory, makeSegment, makeSession, makeSummary } from './helpers.js';

/** A small season with something for most rules (each line says what it plants). */
function scenario(): { history: TrainingHistory; summaries: ActivitySummary[] } {
  const summaries = [
    makeSummary({ id: 'a', localDate: '2025-03-01', startTime: '2025-03-01T07:00:00Z', cadence: { flatAvgSpm: 160 } }), // low cadence (info/caution)
    makeSummary({ id: 'b', localDate: '2025-03-03', startTime: '2025-03-03T07:00:00Z', cadence: { flatAvgSpm: 150 } }), // combined overstriding
    makeSummary({ id: 'c', localDate: '2025-03-03', startTime: '2025-03-03T18:00:00Z', runningTimeS: 300 }), // too short → data-quality
    makeSummary({ id: 'd', localDate: '2025-03-05', startTime: '2025-03-05T07:00:00Z', elevation: { descentM: 450 }, downhillSegments: [makeSegment({ cadenceSpm: 150 })] }), // downhill
    makeSummary({ id: 'e', localDate: '2025-03-05', startTime: '2025-03-05T12:00:00Z', gear: 'old', distanceM: 9000 }),
  ];
  const sessions: SessionLoad[] = [
    makeSession({ activityIds: ['a'], localDate: '2025-03-01', distanceM: 14000 }), // spike 1.4
    makeSession({ activityIds: ['b', 'c'], localDate: '2025-03-03', rolling7dM: 40000, prev7dM: 25000, max4wRolling7dM: 25000 }), // weekly
    makeSession({ activityIds: ['d'], localDate: '2025-03-05', acwrRolling: 1.7 }), // acwr
    makeSession({ activityIds: ['e'], localDate: '2025-03-05', distanceM: 9000 }),
  ];
  const history = makeHistory({ sessions, gear: [{ gear: 'old', distanceM: 700000, runs: 90, firstUsed: '2024-01-01', lastUsed: '2025-03-05' }] });
  return { history, summaries };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const TEXT_RULES = (f: Finding): string => [f.message, ...f.advice].join(' ');

describe('determinism and shape of the output', () => {
  const { history, summaries } = scenario();
  const reference = evaluateRules(history, summaries, {});

  it('the scenario produces findings from many rules', () => {
    expect(new Set(reference.map((f) => f.rule))).toEqual(
      new Set(['low-cadence', 'overstriding', 'data-quality', 'downhill-heavy', 'downhill-overstriding', 'session-spike', 'weekly-increase', 'acwr', 'shoe-mileage']),
    );
  });

  it('same input → same output; the order of summaries does not matter (property)', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(summaries, { minLength: summaries.length, maxLength: summaries.length }), (shuffled) => {
        expect(evaluateRules(history, shuffled, {})).toEqual(reference);
      }),
      { numRuns: 50 },
    );
  });

  it('is sorted by date, then rule, then activity', () => {
    expect([...reference].sort(compareFindings)).toEqual(reference);
    const dates = reference.map((f) => f.date ?? f.week ?? '~');
    expect([...dates].sort()).toEqual(dates);
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(reference))).toEqual(reference);
  });

  it('does not mutate its inputs', () => {
    const frozen = deepFreeze(scenario());
    const before = structuredClone(frozen);
    expect(evaluateRules(frozen.history, frozen.summaries, {})).toEqual(reference);
    expect(frozen).toEqual(before);
  });
});

const maybeNumber = fc.oneof(
  fc.constant(null),
  fc.constant(Number.NaN),
  fc.constant(Number.POSITIVE_INFINITY),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
  fc.double({ min: 0, max: 300, noNaN: true }),
);
const someNumber = fc.oneof(fc.constant(Number.NaN), fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 0, max: 3e4, noNaN: true }));

describe('rules never throw on data (property)', () => {
  it('arbitrary, even nonsensical numbers give findings of the right shape, never an exception', () => {
    fc.assert(
      fc.property(
        fc.record({
          flatAvgSpm: maybeNumber,
          flatSpeedMps: maybeNumber,
          zVsExpected: maybeNumber,
          ratio: maybeNumber,
          descentM: maybeNumber,
          runningTimeS: someNumber,
          coverage: someNumber,
          speedCv: maybeNumber,
          segSpm: maybeNumber,
          distanceM: someNumber,
          ref: maybeNumber,
          rolling7dM: someNumber,
          prev7dM: someNumber,
          historyDays: someNumber,
          daysSincePrevious: maybeNumber,
          acwr: maybeNumber,
        }),
        (r) => {
          const s = makeSummary({
            runningTimeS: r.runningTimeS,
            speedCv: r.speedCv,
            cadence: { flatAvgSpm: r.flatAvgSpm, flatSpeedMps: r.flatSpeedMps, zVsExpected: r.zVsExpected, coverage: r.coverage },
            stepLength: { ratioToExpected: r.ratio },
            elevation: { descentM: r.descentM },
            downhillSegments: [makeSegment({ cadenceSpm: r.segSpm })],
          });
          const history = makeHistory({
            sessions: [
              makeSession({ activityIds: ['p'], localDate: '2025-03-01', refLongestM: null }),
              makeSession({
                distanceM: r.distanceM,
                refLongestM: r.ref,
                rolling7dM: r.rolling7dM,
                prev7dM: r.prev7dM,
                historyDays: r.historyDays,
                daysSincePrevious: r.daysSincePrevious,
                acwrRolling: r.acwr,
              }),
            ],
          });
          const findings = evaluateRules(history, [s], {});
          for (const f of findings) {
            expect(['info', 'caution', 'warning']).toContain(f.severity);
            expect(['A', 'B', 'C', 'D']).toContain(f.evidence.grade);
            expect(f.message.length).toBeGreaterThan(0);
            expect(TEXT_RULES(f)).not.toMatch(/\b180\b|\bcauses?\b|NaN|Infinity|undefined/);
            if (f.rule === 'acwr') expect(f.severity).toBe('info');
            if (f.observed !== null) expect(Number.isFinite(f.observed)).toBe(true);
          }
          expect(JSON.parse(JSON.stringify(findings))).toEqual(findings);
        },
      ),
      {
        numRuns: 300,
        // Found by this property: a flat cadence of 0 at a speed of 5e-324 m/s printed a pace of "Infinity:NaN/km".
        examples: [
          [
            {
              flatAvgSpm: 0, flatSpeedMps: 5e-324, zVsExpected: Number.NaN, ratio: Number.POSITIVE_INFINITY, descentM: 0,
              runningTimeS: 599.9999994, coverage: 0.699999999, speedCv: null, segSpm: Number.POSITIVE_INFINITY, distanceM: 0,
              ref: Number.POSITIVE_INFINITY, rolling7dM: Number.NaN, prev7dM: Number.NaN, historyDays: 0, daysSincePrevious: null, acwr: null,
            },
          ],
        ],
      },
    );
  });
});
