/**
 * `analyzeHistory`: activity summaries into weekly load, session load
 * context, gear and the personal cadence baseline (cards L1–L4, S1, X1, C3).
 * Works on summaries only, never on samples.
 */
import { deduplicateActivities } from './duplicates.js';
import { resolveHistoryOptions, type HistoryOptions, type ResolvedHistoryOptions } from './options.js';
import { fitLine, weightedQuantile } from './stats.js';
import { dateToDayNumber, dayNumberToDate, implausibleStartReason, localDateIn, weekStart } from './time.js';
import type { ActivitySummary, CadenceBaseline, GearUsage, SessionLoad, TrainingHistory, WeekSummary } from './types.js';

const DAY_MS = 86_400_000;
/** A recording shorter than this (m) is never a reference of a spike (a test recording, a GPS start). */
export const MIN_REFERENCE_DISTANCE_M = 1000;
/** A recording shorter than this (s) is never a reference of a spike. */
export const MIN_REFERENCE_TIME_S = 600;
/** Empty weeks are listed across a gap without activities only up to this many weeks (a long break); longer gaps are left out. */
export const MAX_LISTED_EMPTY_WEEKS = 52;
/** EWMA decay of the acute load, 2/(7+1) (Williams 2017, card L4). */
export const EWMA_ACUTE_LAMBDA = 2 / (7 + 1);
/** EWMA decay of the chronic load, 2/(28+1) (Williams 2017, card L4). */
export const EWMA_CHRONIC_LAMBDA = 2 / (28 + 1);

/** @internal A dated activity: its summary, UTC span and local day number. */
export interface Dated {
  readonly s: ActivitySummary;
  readonly startMs: number;
  readonly endMs: number;
  readonly day: number;
}

/** @internal A running session: activities closer than the merge gap. */
export interface Session {
  readonly members: Dated[];
  readonly startMs: number;
  endMs: number;
  readonly day: number;
  distanceM: number;
  descentM: number;
  timeS: number;
  trimp: number | null;
  estimated: boolean;
}

/** A session long enough to be a reference for later ones: at least 1 km and 10 minutes (moving or elapsed). */
function isReference(x: Session): boolean {
  const timeS = Math.max(x.timeS, (x.endMs - x.startMs) / 1000);
  return x.distanceM >= MIN_REFERENCE_DISTANCE_M && timeS >= MIN_REFERENCE_TIME_S;
}

/** @internal */
export function compareDated(a: Dated, b: Dated): number {
  if (a.startMs !== b.startMs) return a.startMs - b.startMs;
  if (a.s.id !== b.s.id) return a.s.id < b.s.id ? -1 : 1;
  const ja = JSON.stringify(a.s);
  const jb = JSON.stringify(b.s);
  return ja < jb ? -1 : ja > jb ? 1 : 0;
}

/** @internal */
export function cadenceBaseline(
  running: readonly Dated[],
  lastDay: number,
  windowDays: number,
  minBinS: number,
  targetPct: number,
  from = 0,
  to = running.length,
): CadenceBaseline | null {
  const perBin = new Map<number, { spm: number[]; time: number[] }>();
  for (let k = from; k < to; k++) {
    const r = running[k]!;
    if (r.day <= lastDay - windowDays || r.day > lastDay || r.s.isTreadmill) continue;
    for (const b of r.s.cadence.bySpeed) {
      if (!(b.timeS > 0) || !Number.isFinite(b.avgSpm)) continue;
      const key = Math.round(b.speedMps * 1000);
      const e = perBin.get(key) ?? { spm: [], time: [] };
      e.spm.push(b.avgSpm);
      e.time.push(b.timeS);
      perBin.set(key, e);
    }
  }
  const bins = [...perBin.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([key, e]) => ({
      speedMps: key / 1000,
      timeS: e.time.reduce((x, y) => x + y, 0),
      spm: weightedQuantile(e.spm, e.time, 0.5),
      raw: e,
    }))
    .filter((b) => b.timeS >= minBinS);
  if (bins.length === 0) return null;
  let interceptSpm: number;
  let slopeSpmPerMps: number;
  let method: 'fit' | 'population-slope';
  const line =
    bins.length >= 2
      ? fitLine(
          bins.map((b) => b.speedMps),
          bins.map((b) => b.spm),
          bins.map((b) => b.timeS),
        )
      : null;
  if (line !== null) {
    interceptSpm = line.intercept;
    slopeSpmPerMps = line.slope;
    method = 'fit';
  } else {
    const b = bins[0]!;
    slopeSpmPerMps = 6.01;
    interceptSpm = b.spm - slopeSpmPerMps * b.speedMps;
    method = 'population-slope';
  }
  let atTarget = 0;
  let total = 0;
  for (const b of bins) {
    const target = (interceptSpm + slopeSpmPerMps * b.speedMps) * (1 + targetPct);
    b.raw.spm.forEach((spm, i) => {
      const t = b.raw.time[i]!;
      total += t;
      if (spm >= target - 2) atTarget += t;
    });
  }
  return {
    interceptSpm,
    slopeSpmPerMps,
    windowDays,
    timeS: total,
    targetPct,
    method,
    bins: bins.map((b) => ({ speedMps: b.speedMps, timeS: b.timeS, spm: b.spm })),
    adherence: total > 0 ? atTarget / total : 0,
  };
}

/**
 * Builds the training history across activities: display weeks in the
 * runner's time zone (ISO weeks by default), one load context per running
 * session (activities closer than 30 min merged) with rolling 7/14-day sums,
 * the 30-day spike reference (Frandsen 2025), acute:chronic ratios (for
 * information only), baseline-building and return-from-break states, breaks,
 * gear distance and the personal cadence baseline.
 *
 * The result does not depend on the order of `summaries`. Activities
 * without a start time are listed in `undatedActivityIds` and otherwise left out.
 *
 * @throws {StridewiseError} `INVALID_OPTION` for an unknown time zone or bad option.
 * @example
 * const history = analyzeHistory(runs.map((r) => summarizeActivity(r)), { timeZone: 'Europe/Berlin' });
 * history.weeks.at(-1)?.changeRatio;   // e.g. 0.12: 12 % more than the week before
 * history.sessions.at(-1)?.spikeRatio; // e.g. 1.47: 47 % longer than the longest run of the previous 30 days
 */
export function analyzeHistory(summaries: readonly ActivitySummary[], options: HistoryOptions = {}): TrainingHistory {
  const o = resolveHistoryOptions(options);
  const toLocal = o.timeZone !== undefined ? localDateIn(o.timeZone) : null;
  const nowMs = o.now !== undefined ? Date.parse(o.now) : Date.now();
  const dated: Dated[] = [];
  const undated: string[] = [];
  const implausible: { activityId: string; reason: string }[] = [];
  const unique = o.deduplicate ? deduplicateActivities(summaries).summaries : summaries;
  for (const s of unique) {
    const startMs = s.startTime === null ? Number.NaN : Date.parse(s.startTime);
    if (!Number.isFinite(startMs)) {
      undated.push(s.id);
      continue;
    }
    const implausibleReason = implausibleStartReason(startMs, nowMs);
    if (implausibleReason !== null) {
      implausible.push({ activityId: s.id, reason: implausibleReason });
      continue;
    }
    const local = toLocal !== null ? toLocal(new Date(startMs)) : (s.localDate ?? s.startTime!.slice(0, 10));
    const elapsed = Number.isFinite(s.elapsedTimeS) && s.elapsedTimeS > 0 ? s.elapsedTimeS : 0;
    dated.push({ s, startMs, endMs: startMs + elapsed * 1000, day: dateToDayNumber(local) });
  }
  dated.sort(compareDated);
  undated.sort();
  implausible.sort((a, b) => (a.activityId < b.activityId ? -1 : a.activityId > b.activityId ? 1 : 0));
  const base = {
    timeZone: o.timeZone ?? 'activity',
    weekStartsOn: o.weekStartsOn,
    undatedActivityIds: undated,
    ...(implausible.length > 0 ? { implausibleDates: implausible } : {}),
  };
  if (dated.length === 0) {
    return { ...base, firstDate: null, lastDate: null, weeks: [], sessions: [], gear: [], cadenceBaseline: null, breaks: [], gearInRotation: 0 };
  }
  let firstDay = Number.POSITIVE_INFINITY;
  let lastDay = Number.NEGATIVE_INFINITY;
  for (const d of dated) {
    firstDay = Math.min(firstDay, d.day);
    lastDay = Math.max(lastDay, d.day);
  }
  const running = dated.filter((d) => d.s.activityClass === 'running');

  // Sessions (card L1): running activities whose gap is under mergeGapS join the previous one.
  const sessions: Session[] = [];
  for (const r of running) appendToSessions(sessions, r, o.mergeGapS);

  // Daily running distance (by session day), for rolling windows and EWMA.
  const firstRunDay = sessions.length > 0 ? sessions[0]!.day : firstDay;
  const daily = new Map<number, number>();
  for (const x of sessions) addDaily(daily, x);
  // EWMA (card L4) over whole days, seeded with the mean daily load of the first 28 days.
  const seed = ewmaSeed(daily, firstRunDay, lastDay);
  const ewmaA: number[] = [];
  const ewmaC: number[] = [];
  fillEwma(ewmaA, ewmaC, daily, firstRunDay, lastDay, seed, 0);

  // Card C3 per session: the personal cadence line from the runs of the `cadenceBaselineDays` before the
  // session's day (never the session itself nor anything later), so an old run is judged by its own era.
  const baselineByDay = new Map<number, CadenceBaseline | null>();
  let windowFrom = 0;
  let windowTo = 0;
  // Local days follow start instants within a day either way (zones span −12…+14 h), so the window is
  // found by start instant with a 4-day margin (monotonic over the sessions) and filtered by day exactly.
  const baselineBefore = (day: number, startMs: number): CadenceBaseline | null => {
    while (windowTo < running.length && running[windowTo]!.startMs < startMs + 4 * DAY_MS) windowTo++;
    while (windowFrom < windowTo && running[windowFrom]!.startMs < startMs - (o.cadenceBaselineDays + 4) * DAY_MS) windowFrom++;
    const known = baselineByDay.get(day);
    if (known !== undefined) return known;
    const compact = sessionBaseline(running, day, o, windowFrom, windowTo);
    baselineByDay.set(day, compact);
    return compact;
  };
  const ctx: LoadContext = { o, firstRunDay, lastDay, daily, seed, ewmaA, ewmaC, baselineBefore };
  const sessionLoads: SessionLoad[] = sessions.map((_, j) => sessionLoadOf(ctx, sessions, j));

  // Display weeks (card L1): every week from the first activity to the last, empty ones included, except
  // across a gap of more than MAX_LISTED_EMPTY_WEEKS empty weeks (years without a file are not listed week by week).
  const firstWeek = weekStartDay(firstDay, o.weekStartsOn);
  const accByWeek = new Map<number, WeekAcc>();
  const weekOf = (day: number): WeekAcc => {
    const k = weekStartDay(day, o.weekStartsOn);
    let w = accByWeek.get(k);
    if (w === undefined) {
      w = newWeekAcc();
      accByWeek.set(k, w);
    }
    return w;
  };
  for (const d of dated) addDatedToWeek(weekOf(d.day), d);
  for (const x of sessions) addSessionToWeek(weekOf(x.day), x);
  const distanceOfWeek = (k: number): number => accByWeek.get(k)?.distanceM ?? 0;
  const weeks: WeekSummary[] = listedWeeks([...accByWeek.keys()].sort((a, b) => a - b)).map((k) =>
    weekSummaryOf(k, firstWeek, accByWeek.get(k), distanceOfWeek),
  );

  // Gear (card S1).
  const gearRuns = new Map<string, Dated[]>();
  for (const r of running) {
    if (r.s.gear === null || r.s.gear === '') continue;
    const list = gearRuns.get(r.s.gear);
    if (list === undefined) gearRuns.set(r.s.gear, [r]);
    else list.push(r);
  }
  const gear: GearUsage[] = [...gearRuns.keys()].sort(compareText).map((name) => gearUsageOf(name, gearRuns.get(name)!));
  const rotation = new Set(
    running.filter((r) => r.s.gear !== null && r.s.gear !== '' && r.day > lastDay - o.gearRotationDays).map((r) => r.s.gear),
  );

  const breaks = breaksOf(sessionLoads, o.breakDays);
  const lastRunDay = sessions.length > 0 ? sessions[sessions.length - 1]!.day : lastDay;
  return {
    ...base,
    firstDate: dayNumberToDate(firstDay),
    lastDate: dayNumberToDate(lastDay),
    weeks,
    sessions: sessionLoads,
    gear,
    cadenceBaseline: cadenceBaseline(running, lastRunDay, o.cadenceBaselineDays, o.cadenceBaselineMinBinS, o.cadenceTargetPct),
    breaks,
    gearInRotation: rotation.size,
  };
}

/** @internal */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** @internal Adds running activity `r` (in time order) to `sessions`: merged into the last one when closer than `mergeGapS`. */
export function appendToSessions(sessions: Session[], r: Dated, mergeGapS: number): void {
  const prev = sessions[sessions.length - 1];
  const dist = Number.isFinite(r.s.distanceM) ? r.s.distanceM : 0;
  const desc = r.s.elevation.descentM ?? 0;
  const time = Number.isFinite(r.s.movingTimeS) ? r.s.movingTimeS : 0;
  if (prev !== undefined && r.startMs - prev.endMs < mergeGapS * 1000) {
    prev.members.push(r);
    prev.endMs = Math.max(prev.endMs, r.endMs);
    prev.distanceM += dist;
    prev.descentM += desc;
    prev.timeS += time;
    if (r.s.trimp !== undefined && r.s.trimp !== null) prev.trimp = (prev.trimp ?? 0) + r.s.trimp;
    prev.estimated ||= r.s.isTreadmill;
  } else {
    sessions.push({ members: [r], startMs: r.startMs, endMs: r.endMs, day: r.day, distanceM: dist, descentM: desc, timeS: time, trimp: r.s.trimp ?? null, estimated: r.s.isTreadmill });
  }
}

/** @internal Adds a session's distance to its day. */
export function addDaily(daily: Map<number, number>, x: Session): void {
  daily.set(x.day, (daily.get(x.day) ?? 0) + x.distanceM);
}

/**
 * @internal Running distance of whole days [a, b] (day numbers, inclusive) within [firstRunDay, lastDay],
 * summed day by day in date order (a local sum, so a change far away never alters its rounding).
 */
export function windowSum(daily: ReadonlyMap<number, number>, firstRunDay: number, lastDay: number, a: number, b: number): number {
  let sum = 0;
  const hi = Math.min(b, lastDay);
  for (let d = Math.max(a, firstRunDay); d <= hi; d++) sum += daily.get(d) ?? 0;
  return sum;
}

/** @internal EWMA seed (card L4): mean daily load of the first 28 days. */
export function ewmaSeed(daily: ReadonlyMap<number, number>, firstRunDay: number, lastDay: number): number {
  return windowSum(daily, firstRunDay, lastDay, firstRunDay, firstRunDay + 27) / 28;
}

/**
 * @internal Fills the acute and chronic EWMA (card L4) of days `from` (index from `firstRunDay`) to
 * `lastDay`; the days before `from` must be filled already. Truncates the arrays to the range.
 */
export function fillEwma(ewmaA: number[], ewmaC: number[], daily: ReadonlyMap<number, number>, firstRunDay: number, lastDay: number, seed: number, from: number): void {
  const n = Math.max(0, lastDay - firstRunDay + 1);
  ewmaA.length = Math.min(ewmaA.length, n);
  ewmaC.length = Math.min(ewmaC.length, n);
  for (let i = Math.max(0, from); i < n; i++) {
    const pa = i === 0 ? seed : ewmaA[i - 1]!;
    const pc = i === 0 ? seed : ewmaC[i - 1]!;
    const load = daily.get(firstRunDay + i) ?? 0;
    ewmaA[i] = EWMA_ACUTE_LAMBDA * load + (1 - EWMA_ACUTE_LAMBDA) * pa;
    ewmaC[i] = EWMA_CHRONIC_LAMBDA * load + (1 - EWMA_CHRONIC_LAMBDA) * pc;
  }
}

/** @internal The compact personal cadence line of the runs before `day`, from `running[from..to)` (a superset of the window). */
export function sessionBaseline(running: readonly Dated[], day: number, o: ResolvedHistoryOptions, from: number, to: number): CadenceBaseline | null {
  const b = cadenceBaseline(running, day - 1, o.cadenceBaselineDays, o.cadenceBaselineMinBinS, o.cadenceTargetPct, from, to);
  return b === null
    ? null
    : { interceptSpm: b.interceptSpm, slopeSpmPerMps: b.slopeSpmPerMps, windowDays: b.windowDays, timeS: b.timeS, targetPct: b.targetPct, ...(b.method !== undefined ? { method: b.method } : {}) };
}

/** @internal Baseline building, return from a break or normal (cards L2, L3). */
export function sessionStateOf(o: ResolvedHistoryOptions, j: number, historyDays: number, daysSincePrevious: number | null): SessionLoad['state'] {
  return j === 0 || historyDays < o.baselineDays
    ? 'baseline-building'
    : daysSincePrevious !== null && daysSincePrevious >= o.breakDays
      ? 'return-from-break'
      : 'normal';
}

/** @internal What one session's load context reads. */
export interface LoadContext {
  readonly o: ResolvedHistoryOptions;
  readonly firstRunDay: number;
  readonly lastDay: number;
  readonly daily: ReadonlyMap<number, number>;
  readonly seed: number;
  readonly ewmaA: readonly number[];
  readonly ewmaC: readonly number[];
  baselineBefore(day: number, startMs: number): CadenceBaseline | null;
}

/** @internal The EWMA acute:chronic ratio of session `j` (card L4). */
export function acwrEwmaOf(ctx: LoadContext, sessions: readonly Session[], j: number): number | null {
  const x = sessions[j]!;
  let sameDayBefore = 0;
  for (let k = j; k >= 0 && sessions[k]!.day === x.day; k--) sameDayBefore += sessions[k]!.distanceM;
  const i = x.day - ctx.firstRunDay;
  const pa = i === 0 ? ctx.seed : ctx.ewmaA[i - 1]!;
  const pc = i === 0 ? ctx.seed : ctx.ewmaC[i - 1]!;
  const acuteE = EWMA_ACUTE_LAMBDA * sameDayBefore + (1 - EWMA_ACUTE_LAMBDA) * pa;
  const chronicE = EWMA_CHRONIC_LAMBDA * sameDayBefore + (1 - EWMA_CHRONIC_LAMBDA) * pc;
  return i >= 28 && chronicE > 0 ? acuteE / chronicE : null;
}

/**
 * @internal The load context of session `j` (cards L1–L4, C3). Reads the sessions of the
 * `max(longestWindowDays, spikeWindowDays)` days before it, the daily distances of the 34 days before it,
 * the EWMA of the day before, the previous session's day and `firstRunDay`.
 */
export function sessionLoadOf(ctx: LoadContext, sessions: readonly Session[], j: number): SessionLoad {
  const { o, firstRunDay } = ctx;
  const daysSum = (a: number, b: number): number => windowSum(ctx.daily, firstRunDay, ctx.lastDay, a, b);
  const x = sessions[j]!;
  let sameDayBefore = 0;
  for (let k = j; k >= 0 && sessions[k]!.day === x.day; k--) sameDayBefore += sessions[k]!.distanceM;
  const rolling7dM = daysSum(x.day - 6, x.day - 1) + sameDayBefore;
  const rolling14dM = daysSum(x.day - 13, x.day - 1) + sameDayBefore;
  let refLongest = -1;
  let refTime = -1;
  let refDescent = -1;
  let refTrimp = -1;
  let longest90 = -1;
  for (let k = j - 1; k >= 0; k--) {
    const y = sessions[k]!;
    if (y.startMs < x.startMs - Math.max(o.longestWindowDays, o.spikeWindowDays) * DAY_MS) break;
    if (!isReference(y)) continue;
    if (y.startMs >= x.startMs - o.longestWindowDays * DAY_MS) longest90 = Math.max(longest90, y.distanceM);
    if (y.startMs >= x.startMs - o.spikeWindowDays * DAY_MS) {
      refLongest = Math.max(refLongest, y.distanceM);
      refTime = Math.max(refTime, y.timeS);
      refDescent = Math.max(refDescent, y.descentM);
      if (y.trimp !== null) refTrimp = Math.max(refTrimp, y.trimp);
    }
  }
  let max4w = 0;
  for (let d = x.day - 28; d <= x.day - 1; d++) max4w = Math.max(max4w, daysSum(d - 6, d));
  const chronicWeekM = daysSum(x.day - 27, x.day - 7) / 3;
  const historyDays = x.day - firstRunDay;
  const daysSincePrevious = j === 0 ? null : x.day - sessions[j - 1]!.day;
  const state = sessionStateOf(o, j, historyDays, daysSincePrevious);
  const date = dayNumberToDate(x.day);
  return {
    activityIds: x.members.map((m) => m.s.id),
    startTime: new Date(x.startMs).toISOString(),
    localDate: date,
    distanceM: x.distanceM,
    descentM: x.descentM,
    refLongestM: refLongest >= 0 ? refLongest : null,
    spikeRatio: refLongest > 0 ? x.distanceM / refLongest : null,
    historyDays,
    rolling7dM,
    prev7dM: daysSum(x.day - 13, x.day - 7),
    max4wRolling7dM: max4w,
    rolling14dM,
    prev14dM: daysSum(x.day - 27, x.day - 14),
    acwrRolling: chronicWeekM > 0 ? rolling7dM / chronicWeekM : null,
    acwrEwma: acwrEwmaOf(ctx, sessions, j),
    longest90dM: longest90 >= 0 ? longest90 : null,
    daysSincePrevious,
    state,
    weekStart: weekStart(date, o.weekStartsOn),
    weeklyBaselineBuilding: historyDays < o.weeklyBaselineDays,
    estimatedDistance: x.estimated,
    timeS: x.timeS,
    refLongestTimeS: refTime >= 0 ? refTime : null,
    refDescentM: refDescent >= 0 ? refDescent : null,
    descentSpikeRatio: refDescent > 0 ? x.descentM / refDescent : null,
    trimp: x.trimp,
    refTrimp: refTrimp >= 0 ? refTrimp : null,
    cadenceBaseline: ctx.baselineBefore(x.day, x.startMs),
  };
}

/** @internal Totals of one display week. */
export interface WeekAcc {
  distanceM: number;
  timeS: number;
  runs: number;
  longestRunM: number;
  descentM: number;
  downhillDistanceM: number;
  lowImpact: number;
  walking: number;
  other: number;
}

/** @internal */
export function newWeekAcc(): WeekAcc {
  return { distanceM: 0, timeS: 0, runs: 0, longestRunM: 0, descentM: 0, downhillDistanceM: 0, lowImpact: 0, walking: 0, other: 0 };
}

/** @internal Adds one dated activity (in time order) to its week's totals. */
export function addDatedToWeek(w: WeekAcc, d: Dated): void {
  const t = Number.isFinite(d.s.movingTimeS) ? d.s.movingTimeS : 0;
  if (d.s.activityClass === 'running') {
    w.distanceM += Number.isFinite(d.s.distanceM) ? d.s.distanceM : 0;
    w.timeS += t;
    w.descentM += d.s.elevation.descentM ?? 0;
    w.downhillDistanceM += d.s.elevation.downhillDistanceM;
  } else if (d.s.activityClass === 'low-impact') w.lowImpact += t;
  else if (d.s.activityClass === 'walking') w.walking += t;
  else w.other += t;
}

/** @internal Counts one session in its week. */
export function addSessionToWeek(w: WeekAcc, x: Session): void {
  w.runs++;
  w.longestRunM = Math.max(w.longestRunM, x.distanceM);
}

/** @internal Day number of the first day of the display week holding `day`. */
export function weekStartDay(day: number, weekStartsOn: number): number {
  return dateToDayNumber(weekStart(dayNumberToDate(day), weekStartsOn));
}

/** @internal The weeks listed, from the sorted weeks with activities: empty weeks between them unless the gap is over MAX_LISTED_EMPTY_WEEKS. */
export function listedWeeks(activeWeeks: readonly number[]): number[] {
  const listed: number[] = [];
  for (let i = 0; i < activeWeeks.length; i++) {
    const k = activeWeeks[i]!;
    const prev = i > 0 ? activeWeeks[i - 1]! : k;
    if ((k - prev) / 7 - 1 <= MAX_LISTED_EMPTY_WEEKS) for (let e = prev + 7; e < k; e += 7) listed.push(e);
    listed.push(k);
  }
  return listed;
}

/** @internal The summary of the week starting on day `k`: its totals and its change against the 1 and 2 weeks before (card L3). */
export function weekSummaryOf(k: number, firstWeek: number, acc: WeekAcc | undefined, distanceOfWeek: (k: number) => number): WeekSummary {
  const w = acc ?? newWeekAcc();
  const prev = distanceOfWeek(k - 7);
  const two = k - firstWeek >= 21 ? distanceOfWeek(k - 14) + distanceOfWeek(k - 21) : 0;
  return {
    weekStart: dayNumberToDate(k),
    distanceM: w.distanceM,
    timeS: w.timeS,
    runs: w.runs,
    longestRunM: w.longestRunM,
    descentM: w.descentM,
    downhillDistanceM: w.downhillDistanceM,
    changeRatio: prev > 0 ? w.distanceM / prev - 1 : null,
    twoWeekChangeRatio: two > 0 ? (w.distanceM + prev) / two - 1 : null,
    crossTrainingS: { lowImpact: w.lowImpact, walking: w.walking, other: w.other },
  };
}

/** @internal Distance and dates of one shoe (card S1), from its runs in time order. */
export function gearUsageOf(name: string, runs: readonly Dated[]): GearUsage {
  let distanceM = 0;
  let first = runs[0]!.day;
  let last = runs[0]!.day;
  for (const r of runs) {
    distanceM += Number.isFinite(r.s.distanceM) ? r.s.distanceM : 0;
    first = Math.min(first, r.day);
    last = Math.max(last, r.day);
  }
  return { gear: name, distanceM, runs: runs.length, firstUsed: dayNumberToDate(first), lastUsed: dayNumberToDate(last) };
}

/** @internal Gaps without running of at least `breakDays`, from the session loads. */
export function breaksOf(sessions: readonly SessionLoad[], breakDays: number): TrainingHistory['breaks'][number][] {
  const breaks: TrainingHistory['breaks'][number][] = [];
  for (const x of sessions) {
    const days = x.daysSincePrevious;
    if (days !== null && days >= breakDays) breaks.push({ from: dayNumberToDate(dateToDayNumber(x.localDate) - days), to: x.localDate, days });
  }
  return breaks;
}
