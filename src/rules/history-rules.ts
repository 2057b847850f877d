/**
 * Rules over the whole history that are neither load nor single-run form:
 * shoe mileage (card S1) and weekly progress toward a personal cadence
 * target (card C3).
 */
import type { ActivitySummary, TrainingHistory } from '../analysis/types.js';
import { ADVICE_SHOES, EVIDENCE, adviceStepRate } from './advice.js';
import type { RunGate } from './form.js';
import type { ResolvedRuleOptions } from './options.js';
import type { Finding } from './types.js';
import { atLeast, finite, km, makeFinding, pace, weekStartOf } from './util.js';

function startKey(s: ActivitySummary): string {
  return `${s.startTime ?? s.localDate ?? ''}\u0000${s.id}`;
}

/** `shoe-mileage` (card S1): a pair of shoes past `warnDistanceM`. */
export function shoeMileageFindings(history: TrainingHistory, summaries: readonly ActivitySummary[], o: ResolvedRuleOptions): Finding[] {
  const opt = o['shoe-mileage'];
  if (!opt.enabled) return [];
  const out: Finding[] = [];
  for (const g of history.gear) {
    if (!finite(g.distanceM) || !atLeast(g.distanceM, opt.warnDistanceM)) continue;
    const runs = summaries.filter((s) => s.gear === g.gear).sort((a, b) => (startKey(a) < startKey(b) ? -1 : startKey(a) > startKey(b) ? 1 : 0));
    let total = 0;
    let crossing: ActivitySummary | null = null;
    for (const s of runs) {
      total += finite(s.distanceM) ? s.distanceM : 0;
      if (atLeast(total, opt.warnDistanceM)) {
        crossing = s;
        break;
      }
    }
    out.push(
      makeFinding({
        rule: 'shoe-mileage',
        severity: 'info',
        activityId: crossing?.id ?? null,
        date: crossing?.localDate ?? g.lastUsed,
        observed: g.distanceM,
        threshold: opt.warnDistanceM,
        unit: 'm',
        evidence: EVIDENCE.shoes,
        message: `Your shoes "${g.gear}" have ${km(g.distanceM)} on them (${g.runs} runs), past the ${km(opt.warnDistanceM)} at which many runners replace them. This is a convention from machine tests of cushioning; shoe mileage has not been shown to predict knee pain.`,
        advice: [ADVICE_SHOES],
        details: { gear: g.gear, distanceM: g.distanceM, runs: g.runs, firstUsed: g.firstUsed, lastUsed: g.lastUsed },
      }),
    );
  }
  return out;
}

interface WeekTally {
  flatS: number;
  onTargetS: number;
  targetSpmTimesS: number;
  speedTimesS: number;
  spmTimesS: number;
}

/** `cadence-target` (card C3): per week, the share of flat running at or above the personal retraining target. */
export function cadenceTargetFindings(
  history: TrainingHistory,
  runs: readonly { readonly summary: ActivitySummary; readonly gate: RunGate }[],
  o: ResolvedRuleOptions,
): Finding[] {
  const opt = o['cadence-target'];
  if (!opt.enabled) return [];
  const b = history.cadenceBaseline;
  if (b === null) {
    return [
      makeFinding({
        rule: 'cadence-target',
        severity: 'info',
        unit: '',
        evidence: EVIDENCE.cadencePersonal,
        message:
          'No personal cadence baseline yet: it needs more flat, steady running with cadence (card C3 fits your own step rate against speed). Progress toward a retraining target is shown once it exists.',
        details: {},
      }),
    ];
  }
  const targetPct = opt.targetPct ?? (finite(b.targetPct) && b.targetPct > 0 ? b.targetPct : 0.05);
  const weeks = new Map<string, WeekTally>();
  for (const { summary: s, gate } of runs) {
    if (!gate.cadenceOk || !gate.speedOk || s.localDate === null) continue;
    const week = weekStartOf(s.localDate, history.weekStartsOn);
    if (week === null) continue;
    let t = weeks.get(week);
    if (t === undefined) {
      t = { flatS: 0, onTargetS: 0, targetSpmTimesS: 0, speedTimesS: 0, spmTimesS: 0 };
      weeks.set(week, t);
    }
    for (const bin of s.cadence.bySpeed) {
      if (!(bin.timeS > 0) || !finite(bin.avgSpm)) continue;
      const target = (b.interceptSpm + b.slopeSpmPerMps * bin.speedMps) * (1 + targetPct);
      t.flatS += bin.timeS;
      t.targetSpmTimesS += target * bin.timeS;
      t.speedTimesS += bin.speedMps * bin.timeS;
      t.spmTimesS += bin.avgSpm * bin.timeS;
      if (atLeast(bin.avgSpm, target - opt.toleranceSpm)) t.onTargetS += bin.timeS;
    }
  }
  const out: Finding[] = [];
  let previousShare: number | null = null;
  for (const week of [...weeks.keys()].sort()) {
    const t = weeks.get(week)!;
    if (!(t.flatS > 0) || !atLeast(t.flatS, opt.minWeekFlatTimeS)) continue;
    const share = t.onTargetS / t.flatS;
    const targetSpm = t.targetSpmTimesS / t.flatS;
    const speed = t.speedTimesS / t.flatS;
    const avgSpm = t.spmTimesS / t.flatS;
    const prevPct = previousShare === null ? null : Math.round(previousShare * 100);
    const nowPct = Math.round(share * 100);
    const trend =
      prevPct === null ? '' : prevPct === nowPct ? ' (the same as the week before)' : ` (${nowPct > prevPct ? 'up' : 'down'} from ${prevPct} % the week before)`;
    out.push(
      makeFinding({
        rule: 'cadence-target',
        severity: 'info',
        week,
        observed: share,
        threshold: null,
        unit: 'share',
        evidence: EVIDENCE.cadenceTarget,
        message: `Cadence retraining, week of ${week}: ${Math.round(share * 100)} % of your flat running was at or near your target${trend}. Your target is ${Math.round(targetPct * 100)} % above your own usual step rate: about ${Math.round(targetSpm)} spm at ${pace(speed)} (you averaged ${Math.round(avgSpm)}).`,
        advice: [adviceStepRate(avgSpm)],
        details: {
          flatTimeS: t.flatS,
          onTargetTimeS: t.onTargetS,
          share,
          previousShare,
          targetPct,
          targetSpm,
          avgSpm,
          speedMps: speed,
          baselineInterceptSpm: b.interceptSpm,
          baselineSlopeSpmPerMps: b.slopeSpmPerMps,
        },
      }),
    );
    previousShare = share;
  }
  return out;
}
