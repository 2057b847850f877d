/**
 * Load rules over running sessions: single-run spike (card L2, the primary
 * load rule), return from a break, weekly progression (L3, the "10 % rule",
 * evaluated on rolling 7-day windows at each session), acute:chronic ratio
 * (L4, information only) and descent spike (D4, off by default).
 *
 * Why rolling and not calendar weeks: the studies behind these rules compare
 * the period before each session (Nielsen 2014, Frandsen 2025), and calendar
 * weeks create artefacts when a long run moves across the week boundary.
 * Calendar weeks stay for display (`history.weeks`).
 */
import type { SessionLoad, TrainingHistory } from '../analysis/types.js';
import { ADVICE_GRADUAL, ADVICE_LISTEN, ADVICE_PROFESSIONAL, ADVICE_RETURN, ADVICE_STRENGTH, ADVICE_DOWNHILL_GRADUAL, EVIDENCE } from './advice.js';
import type { ResolvedRuleOptions } from './options.js';
import type { Finding, Severity } from './types.js';
import { above, atLeast, atMost, below, finite, km, makeFinding, pct, round } from './util.js';

const DAY_MS = 86_400_000;

function timeMs(s: SessionLoad): number {
  return Date.parse(s.startTime);
}

/** Frandsen 2025 tiers: adjusted hazard rate ratios and 95 % CIs. */
const SPIKE_TIERS = [
  { name: 'small', severity: 'caution', hrr: '1.64, 95 % CI 1.31–2.05' },
  { name: 'moderate', severity: 'caution', hrr: '1.52, 95 % CI 1.16–2.00' },
  { name: 'large', severity: 'warning', hrr: '2.28, 95 % CI 1.50–3.48' },
] as const;

function isBreak(s: SessionLoad, o: ResolvedRuleOptions): boolean {
  return finite(s.daysSincePrevious) && atLeast(s.daysSincePrevious, o['return-from-break'].breakDays);
}

/** `session-spike` (card L2). */
export function sessionSpikeFindings(history: TrainingHistory, o: ResolvedRuleOptions): Finding[] {
  const opt = o['session-spike'];
  if (!opt.enabled) return [];
  const out: Finding[] = [];
  const [t0, t1, t2] = opt.thresholds;
  for (const s of history.sessions) {
    if (o['return-from-break'].enabled && isBreak(s, o)) continue;
    const ref = s.refLongestM;
    // Distances under 1 m are treated as no running (also keeps ratios finite).
    if (!finite(ref) || ref < 1 || !finite(s.distanceM) || s.distanceM < 0) continue;
    const ratio = s.distanceM / ref;
    const increaseM = s.distanceM - ref;
    const lowBaseline = below(ref, opt.minRefDistanceM);
    const tierIndex: number = above(ratio, t2) ? 2 : above(ratio, t1) ? 1 : above(ratio, t0) ? 0 : -1;
    const absoluteBreach = lowBaseline && atLeast(increaseM, opt.absoluteIncreaseM);
    if (tierIndex < 0 && !absoluteBreach) continue;

    const reasons: string[] = [];
    let severity: Severity = tierIndex >= 0 ? SPIKE_TIERS[tierIndex]!.severity : 'caution';
    if (lowBaseline && !absoluteBreach) {
      severity = 'info';
      reasons.push(
        `your runs of the last 30 days were short (longest ${km(ref)}), so percentages are large for small distances; this is ${km(increaseM)} more, under the ${km(opt.absoluteIncreaseM)} that counts at low volume`,
      );
    }
    const building = !finite(s.historyDays) || below(s.historyDays, opt.minHistoryDays);
    if (building) {
      severity = 'info';
      reasons.push(`your history is only ${finite(s.historyDays) ? Math.round(s.historyDays) : 0} days old, so the 30-day reference is still building`);
    }
    // ±borderlinePct around a tier limit (GPS distance error); only above the first limit, since below it nothing fires.
    const nearThreshold = [t0, t1, t2].find((t) => atMost(Math.abs(ratio - t), t * opt.borderlinePct) && (t !== t0 || above(ratio, t0)));
    const borderline = nearThreshold !== undefined && !lowBaseline;
    if (borderline && nearThreshold === t0 && severity !== 'info') {
      severity = 'info';
      reasons.push(`it is within ${Math.round(opt.borderlinePct * 100)} % of the ${pct(t0 - 1)} limit, about the size of GPS distance error`);
    }
    const tier = tierIndex >= 0 ? SPIKE_TIERS[tierIndex]! : null;
    const safeMaxM = t0 * ref;
    const tierText =
      tier !== null
        ? `a ${tier.name} spike. In 5,205 runners followed for 18 months, ${tier.name} spikes were associated with a higher injury rate than runs within 10 % of the 30-day longest (hazard rate ratio ${tier.hrr}; Frandsen 2025).`
        : `${km(increaseM)} longer than anything in the last 30 days.`;
    const borderText =
      borderline && nearThreshold !== undefined && nearThreshold !== t0 ? ` It is close to the ${pct(nearThreshold - 1)} limit between tiers (borderline).` : '';
    const guardText = reasons.length > 0 ? ` Reported for information because ${reasons.join('; and ')}.` : '';
    const estimatedText = s.estimatedDistance === true ? ' (Part of this distance is from a treadmill, estimated by the watch.)' : '';
    out.push(
      makeFinding({
        rule: 'session-spike',
        severity,
        activityId: s.activityIds[0] ?? null,
        date: s.localDate,
        observed: lowBaseline ? increaseM : ratio,
        threshold: lowBaseline ? opt.absoluteIncreaseM : t0,
        unit: lowBaseline ? 'm' : 'ratio',
        evidence: EVIDENCE.sessionSpike,
        message: `This ${km(s.distanceM)} run was ${round(ratio, 2)}× your longest run of the previous 30 days (${km(ref)}): ${tierText}${borderText}${guardText}${estimatedText}`,
        advice: [
          `Runs up to ${km(safeMaxM)} (${t0} × ${km(ref)}) would have stayed within the reference range; plan the next long runs back within that and build in steps of about 10 %.`,
          ADVICE_GRADUAL,
          ...(severity === 'info' ? [] : [ADVICE_LISTEN, ADVICE_PROFESSIONAL]),
        ],
        details: {
          distanceM: s.distanceM,
          refLongestM: ref,
          spikeRatio: ratio,
          increaseM,
          tier: tier?.name ?? 'absolute',
          safeMaxM,
          lowBaseline,
          borderline,
          baselineBuilding: building,
          historyDays: s.historyDays,
          estimatedDistance: s.estimatedDistance ?? false,
          activityIds: s.activityIds.join(','),
        },
      }),
    );
  }
  return out;
}

/** `return-from-break`: the first run after `breakDays` without running, with a suggested cap. */
export function returnFromBreakFindings(history: TrainingHistory, o: ResolvedRuleOptions): Finding[] {
  const opt = o['return-from-break'];
  if (!opt.enabled) return [];
  const out: Finding[] = [];
  const sessions = history.sessions;
  sessions.forEach((s, i) => {
    if (!isBreak(s, o) || !finite(s.distanceM)) return;
    const t = timeMs(s);
    const before = sessions.slice(0, i).filter((p) => timeMs(p) < t);
    // Runs under 1 km (test files, GPS starts) say nothing about what the runner is used to.
    const real = before.filter((p) => finite(p.distanceM) && p.distanceM >= 1000);
    const recent = real.filter((p) => timeMs(p) >= t - opt.lookbackDays * DAY_MS);
    const pool = recent.length > 0 ? recent : real;
    const longest = pool.reduce((m, p) => Math.max(m, p.distanceM), 0);
    const capM = longest > 0 ? Math.min(opt.capDistanceM, opt.capFractionOfLongest * longest) : opt.capDistanceM;
    const over = above(s.distanceM, capM);
    const days = Math.round(s.daysSincePrevious ?? 0);
    out.push(
      makeFinding({
        rule: 'return-from-break',
        severity: over ? 'caution' : 'info',
        activityId: s.activityIds[0] ?? null,
        date: s.localDate,
        observed: s.distanceM,
        threshold: capM,
        unit: 'm',
        evidence: EVIDENCE.returnFromBreak,
        message: over
          ? `First run after ${days} days without running, and it was ${km(s.distanceM)}: more than the ${km(capM)} suggested for a first run back (${longest > 0 ? `the smaller of ${km(opt.capDistanceM)} and ${Math.round(opt.capFractionOfLongest * 100)} % of your longest run before the break, ${km(longest)}` : 'no run of 1 km or more before the break to go by'}). Tissues lose some of their tolerance during a break.`
          : `First run after ${days} days without running (${km(s.distanceM)}, within the suggested ${km(capM)}). Keep the next runs short and build back gradually.`,
        advice: over ? [ADVICE_RETURN, ADVICE_STRENGTH, ADVICE_PROFESSIONAL] : [ADVICE_RETURN],
        details: {
          daysSincePrevious: s.daysSincePrevious,
          capM,
          longestBeforeM: longest > 0 ? longest : null,
          lookbackUsed: recent.length > 0 ? 'recent' : real.length > 0 ? 'all-history' : 'none',
        },
      }),
    );
  });
  return out;
}

interface Candidate {
  readonly session: SessionLoad;
  readonly severity: Severity;
  readonly score: number;
  readonly finding: Finding;
}

/**
 * Keeps one finding per episode, the loudest then the largest breach of it. An episode is a stretch of
 * consecutive sessions that all breach, each within 7 days of the one before: a session that does not
 * breach (a lower stretch) ends it, so a later breach is its own finding and never hides in an episode
 * that began weeks earlier. Which breaches are reported then depends on the sessions' days only, not on
 * how breaches chain across quieter days.
 */
function onePerEpisode(sessions: readonly SessionLoad[], candidates: readonly Candidate[]): Finding[] {
  const rank: Record<Severity, number> = { info: 0, caution: 1, warning: 2 };
  const bySession = new Map<SessionLoad, Candidate>();
  for (const c of candidates) bySession.set(c.session, c);
  const out: Finding[] = [];
  let episode: Candidate[] = [];
  const flush = (): void => {
    if (episode.length === 0) return;
    let best = episode[0]!;
    for (const c of episode) {
      if (rank[c.severity] > rank[best.severity] || (rank[c.severity] === rank[best.severity] && c.score > best.score)) best = c;
    }
    const first = episode[0]!.session.localDate;
    out.push({ ...best.finding, details: { ...best.finding.details, episodeStart: first, episodeSessions: episode.length } });
    episode = [];
  };
  for (const s of sessions) {
    const c = bySession.get(s);
    if (c === undefined) {
      flush();
      continue;
    }
    const last = episode[episode.length - 1];
    if (last !== undefined && timeMs(c.session) - timeMs(last.session) > 7 * DAY_MS) flush();
    episode.push(c);
  }
  flush();
  return out;
}

/** Messages and severity shared by the rolling and calendar forms of `weekly-increase`. */
function weeklyJudgement(
  cur: number,
  prev: number,
  usualMaxM: number | null,
  inFirstWeeks: boolean,
  opt: ResolvedRuleOptions['weekly-increase'],
): { change: number; strong: boolean; severity: Severity; reasons: string[]; science: string } | null {
  // Nothing in the previous 7 days nor in the 4 weeks before: no volume to compare with (a restart;
  // return-from-break speaks about it), so no breach.
  if (prev < 1 && (usualMaxM === null || usualMaxM < 1)) return null;
  const change = prev > 0 ? cur / prev - 1 : Number.POSITIVE_INFINITY;
  if (!above(change, opt.minIncreaseRatio)) return null;
  const increaseM = cur - prev;
  const strong = above(change, opt.cautionIncreaseRatio);
  const reasons: string[] = [];
  if (inFirstWeeks) reasons.push(`it is in the first ${Math.round(opt.minHistoryDays / 7)} weeks of your history, while a baseline is still building`);
  if (below(prev, opt.minPrevDistanceM) && below(increaseM, opt.absoluteFloorM)) {
    reasons.push(`the previous 7 days were light (${km(prev)}), and +${km(increaseM)} is under the ${km(opt.absoluteFloorM)} that counts at low volume`);
  }
  if (usualMaxM !== null && usualMaxM > 0 && atMost(cur, opt.returnToUsualRatio * usualMaxM)) {
    const after = prev < 1 ? 'time off' : 'a lighter week';
    reasons.push(`you are back to your usual volume after ${after} (your biggest week in the previous 4 weeks: ${km(usualMaxM)})`);
  }
  const severity: Severity = strong && reasons.length === 0 ? 'caution' : 'info';
  const science = strong
    ? ' Increases above 30 % were associated with more distance-related injuries (knee pain among them) in novice runners (Nielsen 2014: HR 1.59, 95 % CI 0.96–2.66).'
    : ' The 10 % rule is a convention: a trial that enforced it found no fewer injuries (Buist 2008); single long runs matter more (see session-spike).';
  return { change, strong, severity, reasons, science };
}

/** `weekly-increase` per calendar week (`window: 'calendar'`). */
function calendarWeeklyFindings(history: TrainingHistory, opt: ResolvedRuleOptions['weekly-increase']): Finding[] {
  const weeks = [...history.weeks].sort((a, b) => (a.weekStart < b.weekStart ? -1 : a.weekStart > b.weekStart ? 1 : 0));
  const out: Finding[] = [];
  // weeks may skip a long gap without activities: the week before is the adjacent calendar week or none
  const dayOf = (weekStart: string): number => Math.round(Date.parse(`${weekStart}T00:00:00Z`) / DAY_MS);
  weeks.forEach((w, i) => {
    if (i === 0) return;
    const cur = finite(w.distanceM) ? w.distanceM : 0;
    const day = dayOf(w.weekStart);
    const adjacent = dayOf(weeks[i - 1]!.weekStart) === day - 7;
    const prevRaw = adjacent ? weeks[i - 1]!.distanceM : 0;
    const prev = finite(prevRaw) && prevRaw >= 1 ? prevRaw : 0;
    if (cur < 1) return;
    const usual = weeks
      .slice(Math.max(0, i - 4), i)
      .filter((x) => dayOf(x.weekStart) >= day - 28)
      .reduce((m, x) => Math.max(m, finite(x.distanceM) ? x.distanceM : 0), 0);
    const j = weeklyJudgement(cur, prev, usual, i < Math.ceil(opt.minHistoryDays / 7), opt);
    if (j === null) return;
    const changeText = Number.isFinite(j.change) ? pct(j.change) : 'up from nothing';
    const guardText = j.reasons.length > 0 ? ` Reported for information because ${j.reasons.join('; and ')}.` : '';
    out.push(
      makeFinding({
        rule: 'weekly-increase',
        severity: j.severity,
        week: w.weekStart,
        observed: Number.isFinite(j.change) ? j.change : null,
        threshold: j.strong ? opt.cautionIncreaseRatio : opt.minIncreaseRatio,
        unit: 'ratio',
        evidence: j.strong ? EVIDENCE.weeklyCaution : EVIDENCE.weeklyInfo,
        message: `Your running in the week of ${w.weekStart} was ${km(cur)}, ${changeText} on the week before (${km(prev)}).${j.science}${guardText}`,
        advice: j.severity === 'info' ? [ADVICE_GRADUAL] : [ADVICE_GRADUAL, ADVICE_STRENGTH, ADVICE_LISTEN, ADVICE_PROFESSIONAL],
        details: {
          window: 'calendar',
          distanceM: cur,
          prevDistanceM: prev,
          increaseM: cur - prev,
          changeRatio: Number.isFinite(j.change) ? j.change : null,
          twoWeekChangeRatio: w.twoWeekChangeRatio,
          max4wDistanceM: usual,
          guarded: j.reasons.length > 0,
        },
      }),
    );
  });
  return out;
}

/** `weekly-increase` (card L3): rolling 7 days vs the 7 days before, at each session (or per calendar week). */
export function weeklyIncreaseFindings(history: TrainingHistory, o: ResolvedRuleOptions): Finding[] {
  const opt = o['weekly-increase'];
  if (!opt.enabled) return [];
  if (opt.window === 'calendar') return calendarWeeklyFindings(history, opt);
  const candidates: Candidate[] = [];
  for (const s of history.sessions) {
    const cur = s.rolling7dM;
    // Distances under 1 m are treated as no running (also keeps ratios finite).
    const prev = finite(s.prev7dM) && s.prev7dM >= 1 ? s.prev7dM : 0;
    if (!finite(cur) || cur < 1 || !finite(s.prev7dM)) continue;
    // Before day 7 the previous 7 days lie before the first run: nothing to compare, so no breach.
    if (finite(s.historyDays) && s.historyDays < 7) continue;
    const usual = finite(s.max4wRolling7dM) ? s.max4wRolling7dM : null;
    const j = weeklyJudgement(cur, prev, usual, !finite(s.historyDays) || below(s.historyDays, opt.minHistoryDays), opt);
    if (j === null) continue;
    const { change, strong, severity, reasons, science } = j;
    const increaseM = cur - prev;
    const changeText = Number.isFinite(change) ? pct(change) : 'up from nothing';
    const twoWeek = finite(s.prev14dM) && s.prev14dM > 0 ? s.rolling14dM / s.prev14dM - 1 : null;
    const evidence = strong ? EVIDENCE.weeklyCaution : EVIDENCE.weeklyInfo;
    const guardText = reasons.length > 0 ? ` Reported for information because ${reasons.join('; and ')}.` : '';
    candidates.push({
      session: s,
      severity,
      score: Number.isFinite(change) ? change : Number.MAX_VALUE,
      finding: makeFinding({
        rule: 'weekly-increase',
        severity,
        activityId: s.activityIds[0] ?? null,
        date: s.localDate,
        observed: Number.isFinite(change) ? change : null,
        threshold: strong ? opt.cautionIncreaseRatio : opt.minIncreaseRatio,
        unit: 'ratio',
        evidence,
        message: `Your running over the 7 days to ${s.localDate} was ${km(cur)}, ${changeText} on the 7 days before (${km(prev)}).${science}${guardText}`,
        advice: severity === 'info' ? [ADVICE_GRADUAL] : [ADVICE_GRADUAL, ADVICE_STRENGTH, ADVICE_LISTEN, ADVICE_PROFESSIONAL],
        details: {
          rolling7dM: cur,
          prev7dM: prev,
          increaseM,
          changeRatio: Number.isFinite(change) ? change : null,
          twoWeekChangeRatio: twoWeek,
          max4wRolling7dM: s.max4wRolling7dM,
          historyDays: s.historyDays,
          window: 'rolling',
          guarded: reasons.length > 0,
        },
      }),
    });
  }
  return onePerEpisode(history.sessions, candidates);
}

/** `acwr` (card L4): acute:chronic ratio as information only, never a warning. */
export function acwrFindings(history: TrainingHistory, o: ResolvedRuleOptions): Finding[] {
  const opt = o.acwr;
  if (!opt.enabled) return [];
  const candidates: Candidate[] = [];
  for (const s of history.sessions) {
    const r = s.acwrRolling;
    // Card L4: the first 28 days are "warming up" (the chronic window is not yet filled).
    if (!finite(s.historyDays) || s.historyDays < 28) continue;
    if (!finite(r) || !atLeast(r, opt.minRatio)) continue;
    candidates.push({
      session: s,
      severity: 'info',
      score: r,
      finding: makeFinding({
        rule: 'acwr',
        severity: 'info',
        activityId: s.activityIds[0] ?? null,
        date: s.localDate,
        observed: r,
        threshold: opt.minRatio,
        unit: 'ratio',
        evidence: EVIDENCE.acwr,
        message: `A large week compared with your last month: the 7 days to ${s.localDate} were ${round(r, 2)}× your average week of the three weeks before. Shown for information only: in runners this ratio has not been linked to more injuries (Nakaoka 2021; Frandsen 2025), unlike single long runs.`,
        advice: [ADVICE_GRADUAL],
        details: { acwrRolling: r, acwrEwma: s.acwrEwma, rolling7dM: s.rolling7dM },
      }),
    });
  }
  return onePerEpisode(history.sessions, candidates);
}

/** `descent-spike` (card D4, by analogy with L2; evidence D, off by default). */
export function descentSpikeFindings(history: TrainingHistory, o: ResolvedRuleOptions): Finding[] {
  const opt = o['descent-spike'];
  if (!opt.enabled) return [];
  const out: Finding[] = [];
  const sessions = history.sessions;
  const times = sessions.map(timeMs);
  // Largest descent over the previous 30 days: a monotonic queue over the time-ordered sessions (linear time).
  const queue: number[] = [];
  let next = 0;
  sessions.forEach((s, i) => {
    const t = times[i]!;
    while (next < i && times[next]! < t) {
      const d = sessions[next]!.descentM;
      const v = finite(d) ? d : 0;
      while (queue.length > 0 && (finite(sessions[queue[queue.length - 1]!]!.descentM) ? sessions[queue[queue.length - 1]!]!.descentM : 0) <= v) queue.pop();
      queue.push(next);
      next++;
    }
    while (queue.length > 0 && !(times[queue[0]!]! > t - 30 * DAY_MS)) queue.shift();
    if (!finite(s.descentM) || below(s.descentM, opt.minDescentM) || !Number.isFinite(t) || queue.length === 0) return;
    const head = sessions[queue[0]!]!.descentM;
    const ref = finite(head) ? head : 0;
    const ratio = ref >= 1 ? s.descentM / ref : Number.POSITIVE_INFINITY;
    if (!above(ratio, opt.minRatio)) return;
    out.push(
      makeFinding({
        rule: 'descent-spike',
        severity: 'info',
        activityId: s.activityIds[0] ?? null,
        date: s.localDate,
        observed: Number.isFinite(ratio) ? ratio : null,
        threshold: opt.minRatio,
        unit: 'ratio',
        evidence: EVIDENCE.downhillLoad,
        message: `More descent than usual: ${Math.round(s.descentM)} m, against at most ${Math.round(ref)} m on any run of the previous 30 days. No study has tested descent spikes; this mirrors the distance-spike rule.`,
        advice: [ADVICE_DOWNHILL_GRADUAL],
        details: { descentM: s.descentM, refMaxDescentM: ref, ratio: Number.isFinite(ratio) ? ratio : null },
      }),
    );
  });
  return out;
}
