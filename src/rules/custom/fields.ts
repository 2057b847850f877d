/**
 * The fields a custom rule may read: an explicit catalogue, so that an
 * expression can reach exactly these values and nothing else. This module does
 * not load mathjs.
 */
import type { ActivitySummary, SessionLoad } from '../../analysis/types.js';
import type { FieldValue } from './types.js';

/** Description of one field available to custom rules. */
export interface CustomRuleField {
  /** Dotted name as written in an expression, e.g. `cadence.avgSpm`. */
  readonly name: string;
  readonly type: 'number' | 'string' | 'boolean';
  /** Unit of a number (`spm`, `km`, `m`, `s`, `min`, `m/s`, `ratio`, ...); empty for strings and booleans. */
  readonly unit: string;
  readonly description: string;
}

interface FieldSpec extends CustomRuleField {
  readonly get: (summary: ActivitySummary, session: SessionLoad | null) => FieldValue;
}

function num(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
function div(value: number | null | undefined, by: number): number | null {
  const v = num(value);
  return v === null ? null : v / by;
}

const SPECS: readonly FieldSpec[] = [
  { name: 'distanceKm', type: 'number', unit: 'km', description: 'Distance of the activity.', get: (s) => div(s.distanceM, 1000) },
  { name: 'distanceM', type: 'number', unit: 'm', description: 'Distance of the activity.', get: (s) => num(s.distanceM) },
  { name: 'runningDistanceKm', type: 'number', unit: 'km', description: 'Distance covered while running (walking breaks and stops excluded).', get: (s) => div(s.runningDistanceM, 1000) },
  { name: 'elapsedTimeMin', type: 'number', unit: 'min', description: 'Elapsed time, pauses included.', get: (s) => div(s.elapsedTimeS, 60) },
  { name: 'movingTimeMin', type: 'number', unit: 'min', description: 'Moving time.', get: (s) => div(s.movingTimeS, 60) },
  { name: 'runningTimeMin', type: 'number', unit: 'min', description: 'Time spent running.', get: (s) => div(s.runningTimeS, 60) },
  { name: 'avgSpeedMps', type: 'number', unit: 'm/s', description: 'Average speed.', get: (s) => num(s.avgSpeedMps) },
  {
    name: 'paceMinPerKm',
    type: 'number',
    unit: 'min/km',
    description: 'Average pace (5.5 = 5:30/km).',
    get: (s) => {
      const v = num(s.avgSpeedMps);
      return v === null || v <= 0 ? null : 1000 / 60 / v;
    },
  },
  { name: 'avgHeartRateBpm', type: 'number', unit: 'bpm', description: 'Average heart rate.', get: (s) => num(s.avgHeartRateBpm) },
  { name: 'speedCv', type: 'number', unit: 'ratio', description: 'Speed coefficient of variation while running (intervals above 0.25).', get: (s) => num(s.speedCv) },
  { name: 'isTreadmill', type: 'boolean', unit: '', description: 'Treadmill or indoor run.', get: (s) => s.isTreadmill },
  { name: 'sport', type: 'string', unit: '', description: 'Sport, FIT names (`running`, `walking`, ...).', get: (s) => s.sport },
  { name: 'subSport', type: 'string', unit: '', description: 'Sub-sport, FIT names (`trail`, `treadmill`, ...).', get: (s) => s.subSport },
  { name: 'activityClass', type: 'string', unit: '', description: '`running`, `walking`, `low-impact` or `other`.', get: (s) => s.activityClass },
  { name: 'gear', type: 'string', unit: '', description: 'Shoes, when known.', get: (s) => s.gear },
  { name: 'cadence.avgSpm', type: 'number', unit: 'spm', description: 'Average step rate while running.', get: (s) => num(s.cadence.avgSpm) },
  { name: 'cadence.medianSpm', type: 'number', unit: 'spm', description: 'Median step rate while running.', get: (s) => num(s.cadence.medianSpm) },
  { name: 'cadence.p10Spm', type: 'number', unit: 'spm', description: '10th percentile of step rate.', get: (s) => num(s.cadence.p10Spm) },
  { name: 'cadence.p90Spm', type: 'number', unit: 'spm', description: '90th percentile of step rate.', get: (s) => num(s.cadence.p90Spm) },
  { name: 'cadence.flatAvgSpm', type: 'number', unit: 'spm', description: 'Average step rate on flat, steady running.', get: (s) => num(s.cadence.flatAvgSpm) },
  { name: 'cadence.flatTimeMin', type: 'number', unit: 'min', description: 'Flat, steady running with cadence.', get: (s) => div(s.cadence.flatTimeS, 60) },
  { name: 'cadence.flatSpeedMps', type: 'number', unit: 'm/s', description: 'Speed over the same flat, steady running.', get: (s) => num(s.cadence.flatSpeedMps) },
  { name: 'cadence.expectedSpm', type: 'number', unit: 'spm', description: 'Population expectation for that speed (van Oeveren 2019).', get: (s) => num(s.cadence.expectedSpm) },
  { name: 'cadence.zVsExpected', type: 'number', unit: 'z', description: 'Flat cadence vs expectation, in population SDs (8 spm).', get: (s) => num(s.cadence.zVsExpected) },
  { name: 'cadence.driftSpm', type: 'number', unit: 'spm', description: 'Last third minus first third of the run.', get: (s) => num(s.cadence.driftSpm) },
  { name: 'cadence.coverage', type: 'number', unit: 'ratio', description: 'Share of running time with cadence (0–1).', get: (s) => num(s.cadence.coverage) },
  { name: 'cadence.unitConfidence', type: 'number', unit: 'ratio', description: 'Confidence of the cadence unit detection (0–1).', get: (s) => num(s.cadence.unitConfidence) },
  { name: 'cadence.below160Min', type: 'number', unit: 'min', description: 'Running time below 160 spm.', get: (s) => div(s.cadence.timeInBandsS.below160, 60) },
  { name: 'stepLength.avgM', type: 'number', unit: 'm', description: 'Average step length.', get: (s) => num(s.stepLength.avgM) },
  { name: 'stepLength.ratioToExpected', type: 'number', unit: 'ratio', description: 'Step length ÷ expected step length at that speed (flat running).', get: (s) => num(s.stepLength.ratioToExpected) },
  { name: 'stepLength.longStepTimeMin', type: 'number', unit: 'min', description: 'Flat running with a long step for the speed.', get: (s) => div(s.stepLength.longStepTimeS, 60) },
  { name: 'stepLength.relativeToHeight', type: 'number', unit: 'ratio', description: 'Step length ÷ height, when a height is given.', get: (s) => num(s.stepLength.relativeToHeight) },
  { name: 'dynamics.stanceTimeMs', type: 'number', unit: 'ms', description: 'Ground contact time.', get: (s) => (s.dynamics === null ? null : div(s.dynamics.stanceTimeS, 0.001)) },
  { name: 'dynamics.verticalOscillationCm', type: 'number', unit: 'cm', description: 'Vertical oscillation.', get: (s) => (s.dynamics === null ? null : div(s.dynamics.verticalOscillationM, 0.01)) },
  { name: 'dynamics.verticalRatioPct', type: 'number', unit: '%', description: 'Vertical ratio.', get: (s) => (s.dynamics === null ? null : num(s.dynamics.verticalRatioPct)) },
  { name: 'dynamics.stanceTimeBalancePct', type: 'number', unit: '%', description: 'Ground contact time balance (left foot).', get: (s) => (s.dynamics === null ? null : num(s.dynamics.stanceTimeBalancePct)) },
  { name: 'elevation.ascentM', type: 'number', unit: 'm', description: 'Total ascent.', get: (s) => num(s.elevation.ascentM) },
  { name: 'elevation.descentM', type: 'number', unit: 'm', description: 'Total descent.', get: (s) => num(s.elevation.descentM) },
  { name: 'elevation.downhillKm', type: 'number', unit: 'km', description: 'Distance at grade ≤ −5 %.', get: (s) => div(s.elevation.downhillDistanceM, 1000) },
  { name: 'elevation.steepDownhillKm', type: 'number', unit: 'km', description: 'Distance at grade ≤ −10 %.', get: (s) => div(s.elevation.steepDownhillDistanceM, 1000) },
  { name: 'downhill.segmentCount', type: 'number', unit: 'count', description: 'Number of downhill segments.', get: (s) => s.downhillSegments.length },
  { name: 'session.spikeRatio', type: 'number', unit: 'ratio', description: 'Session distance ÷ longest run of the previous 30 days.', get: (_s, l) => num(l?.spikeRatio) },
  { name: 'session.refLongestKm', type: 'number', unit: 'km', description: 'Longest run of the previous 30 days.', get: (_s, l) => div(l?.refLongestM, 1000) },
  { name: 'session.rolling7dKm', type: 'number', unit: 'km', description: 'Running distance of the 7 days ending with this run.', get: (_s, l) => div(l?.rolling7dM, 1000) },
  { name: 'session.prev7dKm', type: 'number', unit: 'km', description: 'Running distance of the 7 days before those.', get: (_s, l) => div(l?.prev7dM, 1000) },
  { name: 'session.acwr', type: 'number', unit: 'ratio', description: 'Uncoupled acute:chronic ratio (information only).', get: (_s, l) => num(l?.acwrRolling) },
  { name: 'session.daysSincePrevious', type: 'number', unit: 'd', description: 'Days since the previous run.', get: (_s, l) => num(l?.daysSincePrevious) },
  { name: 'session.historyDays', type: 'number', unit: 'd', description: 'Days of history before this run.', get: (_s, l) => num(l?.historyDays) },
];

const BY_NAME: ReadonlyMap<string, FieldSpec> = new Map(SPECS.map((s) => [s.name, s]));

/**
 * Every field a custom rule expression may use, with type, unit and meaning.
 *
 * @example
 * ```ts
 * CUSTOM_RULE_FIELDS.find((f) => f.name === 'cadence.avgSpm')?.unit; // 'spm'
 * ```
 */
export const CUSTOM_RULE_FIELDS: readonly CustomRuleField[] = SPECS.map(({ name, type, unit, description }) => ({ name, type, unit, description }));

/** The field of this dotted name, if any. */
export function findCustomRuleField(name: string): CustomRuleField | undefined {
  return BY_NAME.get(name);
}

/** Top-level names of the scope (`distanceKm`, `cadence`, `session`, ...). */
export function fieldRoots(): ReadonlySet<string> {
  return new Set(SPECS.map((s) => s.name.split('.')[0]!));
}

/**
 * The values of the given fields for one activity. Numbers that are missing
 * or not finite are `null`.
 */
export function readFields(names: readonly string[], summary: ActivitySummary, session: SessionLoad | null): Map<string, FieldValue> {
  const out = new Map<string, FieldValue>();
  for (const name of names) {
    const spec = BY_NAME.get(name);
    out.set(name, spec === undefined ? null : spec.get(summary, session));
  }
  return out;
}
