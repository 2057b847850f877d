/**
 * `createHistory`: a training history that grows one activity at a time, for
 * services that analyse each upload as it comes. Adding a summary updates
 * only what it can change and gives exactly what `analyzeHistory` gives over
 * every summary added (the same numbers, bit for bit).
 */
import { StridewiseError } from '../errors.js';
import { deduplicateActivities } from './duplicates.js';
import {
  acwrEwmaOf,
  addDatedToWeek,
  addSessionToWeek,
  appendToSessions,
  breaksOf,
  cadenceBaseline,
  compareDated,
  compareText,
  ewmaSeed,
  fillEwma,
  gearUsageOf,
  listedWeeks,
  newWeekAcc,
  sessionBaseline,
  sessionLoadOf,
  sessionStateOf,
  weekStartDay,
  weekSummaryOf,
  type Dated,
  type LoadContext,
  type Session,
  type WeekAcc,
} from './history.js';
import { resolveHistoryOptions, type HistoryOptions, type ResolvedHistoryOptions } from './options.js';
import { dateToDayNumber, dayNumberToDate, implausibleStartReason, localDateIn } from './time.js';
import type { ActivitySummary, CadenceBaseline, GearUsage, SessionLoad, TrainingHistory, WeekSummary } from './types.js';

const DAY_MS = 86_400_000;
/** Spans this close (ms) may be copies of each other (as in `deduplicateActivities`). */
const TOUCH_MS = 1000;
/** `format` of {@link HistoryState}. */
export const HISTORY_STATE_FORMAT = 'stridewise-history';

/** Work done by the last {@link IncrementalHistory.add} (or by building a history), for monitoring and tests. */
export interface HistoryWork {
  /** Stored summaries compared for copies of the new one (its overlapping neighbours). */
  readonly summariesCompared: number;
  /** Sessions whose full load context was computed (rolling windows, spike references, cadence baseline). */
  readonly sessionsRecomputed: number;
  /** Later sessions whose EWMA ratio, history length or state was updated (a few arithmetic operations each). */
  readonly sessionsPatched: number;
  /** Days whose acute and chronic EWMA was updated (two multiply-adds each). */
  readonly ewmaDays: number;
  /** Display weeks whose totals or summary were computed. */
  readonly weeksRecomputed: number;
  /** Runs summed for shoe distances (every run of each shoe the change touches). */
  readonly gearRunsSummed: number;
}

/** What a service stores between uploads: JSON-safe (`JSON.stringify` keeps every number exactly). */
export interface HistoryState {
  readonly format: typeof HISTORY_STATE_FORMAT;
  readonly version: 1;
  /** The options the history was created with. */
  readonly options: HistoryOptions;
  /** Every summary added, in the order added (copies included: the choice among copies is made again on load). */
  readonly summaries: readonly ActivitySummary[];
  /** The computed figures, so that loading does no window analysis. */
  readonly derived: {
    readonly sessions: readonly SessionLoad[];
    readonly weeks: readonly (readonly [number, WeekSummary])[];
    readonly ewmaA: readonly number[];
    readonly ewmaC: readonly number[];
    readonly seed: number;
    readonly cadenceBaseline: CadenceBaseline | null;
    /** The present (ms since 1970) the dates were last checked against; later activities wait in `implausibleDates`. */
    readonly checkedAtMs: number;
  };
}

/** A training history that grows one summary at a time. See {@link createHistory}. */
export interface IncrementalHistory {
  /** Adds one summary (any date, a copy of one already there included). Returns the work it took. */
  add(summary: ActivitySummary): HistoryWork;
  /** Adds summaries one by one; returns the summed work. */
  addMany(summaries: Iterable<ActivitySummary>): HistoryWork;
  /** The history of every summary added: equal to `analyzeHistory(summaries(), options)`. */
  history(): TrainingHistory;
  /** Every summary added, in the order added. */
  summaries(): readonly ActivitySummary[];
  /** The state to store (see {@link historyFromJSON}). */
  toJSON(): HistoryState;
}

interface Kept {
  readonly seq: number;
  readonly s: ActivitySummary;
  readonly startMs: number;
  readonly dated: Dated | null;
  readonly implausibleReason: string | null;
}

interface RawSpan {
  readonly seq: number;
  readonly s: ActivitySummary;
  readonly startMs: number;
  readonly endMs: number;
}

function spanOf(seq: number, s: ActivitySummary): RawSpan | null {
  const startMs = s.startTime === null ? Number.NaN : Date.parse(s.startTime);
  if (!Number.isFinite(startMs)) return null;
  const elapsed = Number.isFinite(s.elapsedTimeS) && s.elapsedTimeS > 0 ? s.elapsedTimeS : 0;
  return { seq, s, startMs, endMs: startMs + elapsed * 1000 };
}

/** First index in `arr` (sorted by `key`) whose key is ≥ `value`. */
function lowerBound<T>(arr: readonly T[], value: number, key: (t: T) => number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(arr[mid]!) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts `x` into `arr` sorted by `cmp` (after equal elements). */
function insertSorted<T>(arr: T[], x: T, cmp: (a: T, b: T) => number): void {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(arr[mid]!, x) <= 0) lo = mid + 1;
    else hi = mid;
  }
  arr.splice(lo, 0, x);
}

function removeSorted<T>(arr: T[], x: T, cmp: (a: T, b: T) => number): void {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cmp(arr[mid]!, x) < 0) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < arr.length; i++) {
    if (arr[i] === x) {
      arr.splice(i, 1);
      return;
    }
  }
  const i = arr.indexOf(x);
  if (i >= 0) arr.splice(i, 1);
}

function sameMembers(a: Session, b: Session): boolean {
  return a.members.length === b.members.length && a.members.every((m, i) => m === b.members[i]);
}

const bySessionStart = (a: Session, b: Session): number => a.startMs - b.startMs;

class Engine implements IncrementalHistory {
  private readonly o: ResolvedHistoryOptions;
  private readonly toLocal: ((d: Date) => string) | null;
  private readonly raw: ActivitySummary[] = [];
  /** Dated raw summaries by start, for finding the neighbours of a new one. */
  private readonly rawSpans: RawSpan[] = [];
  private maxSpanMs = 0;
  private readonly keptBySeq = new Map<number, Kept>();
  /** The kept summaries whose dates are implausible (before 1990, after today). */
  private readonly implausibleBySeq = new Map<number, Kept>();
  private readonly undatedIds: string[] = [];
  private readonly dated: Dated[] = [];
  private readonly running: Dated[] = [];
  private readonly dayCounts = new Map<number, number>();
  private firstDay = Number.NaN;
  private lastDay = Number.NaN;
  private sessions: Session[] = [];
  private loads: SessionLoad[] = [];
  private readonly sessionsByDay = new Map<number, Session[]>();
  private readonly daily = new Map<number, number>();
  private readonly datedByWeek = new Map<number, Dated[]>();
  private readonly accByWeek = new Map<number, WeekAcc>();
  private readonly weekSummaries = new Map<number, WeekSummary>();
  private readonly gearRuns = new Map<string, Dated[]>();
  private readonly gearUsage = new Map<string, GearUsage>();
  private ewmaA: number[] = [];
  private ewmaC: number[] = [];
  private seed = 0;
  private firstRunDay = Number.NaN;
  private baseline: CadenceBaseline | null = null;
  private cached: TrainingHistory | null = null;
  private work = { summariesCompared: 0, sessionsRecomputed: 0, sessionsPatched: 0, ewmaDays: 0, weeksRecomputed: 0, gearRunsSummed: 0 };

  constructor(readonly options: HistoryOptions) {
    this.o = resolveHistoryOptions(options);
    this.toLocal = this.o.timeZone !== undefined ? localDateIn(this.o.timeZone) : null;
  }

  /** The present the dates were last checked against. */
  private checkedAtMs = Number.NEGATIVE_INFINITY;

  private nowMs(): number {
    this.checkedAtMs = this.o.now !== undefined ? Date.parse(this.o.now) : Date.now();
    return this.checkedAtMs;
  }

  summaries(): readonly ActivitySummary[] {
    return this.raw;
  }

  addMany(summaries: Iterable<ActivitySummary>): HistoryWork {
    const sum = { summariesCompared: 0, sessionsRecomputed: 0, sessionsPatched: 0, ewmaDays: 0, weeksRecomputed: 0, gearRunsSummed: 0 };
    for (const s of summaries) {
      const w = this.add(s);
      for (const k of Object.keys(sum) as (keyof HistoryWork)[]) sum[k] += w[k];
    }
    return sum;
  }

  add(summary: ActivitySummary): HistoryWork {
    if (summary === null || typeof summary !== 'object' || typeof summary.id !== 'string') {
      throw new StridewiseError('INVALID_INPUT', 'add() takes an ActivitySummary (from summarizeActivity)');
    }
    this.work = { summariesCompared: 0, sessionsRecomputed: 0, sessionsPatched: 0, ewmaDays: 0, weeksRecomputed: 0, gearRunsSummed: 0 };
    this.cached = null;
    const seq = this.raw.length;
    this.raw.push(summary);
    const span = spanOf(seq, summary);
    const removed: Dated[] = [];
    const added: Dated[] = [];
    if (span === null) {
      if (!this.o.deduplicate || !this.undatedIds.includes(summary.id)) insertSorted(this.undatedIds, summary.id, compareText);
    } else {
      this.replaceNeighbourhood(span, removed, added);
    }
    this.promoteNowPlausible(added);
    this.apply(removed, added);
    return { ...this.work };
  }

  /** Runs the choice among copies again over the new summary's overlapping neighbours. */
  private replaceNeighbourhood(span: RawSpan, removed: Dated[], added: Dated[]): void {
    insertSorted(this.rawSpans, span, (a, b) => a.startMs - b.startMs || a.seq - b.seq);
    this.maxSpanMs = Math.max(this.maxSpanMs, span.endMs - span.startMs);
    let group: RawSpan[] = [span];
    if (this.o.deduplicate) {
      let a = span.startMs;
      let b = span.endMs;
      for (;;) {
        const from = lowerBound(this.rawSpans, a - this.maxSpanMs - TOUCH_MS, (r) => r.startMs);
        const found: RawSpan[] = [];
        let na = a;
        let nb = b;
        for (let i = from; i < this.rawSpans.length && this.rawSpans[i]!.startMs <= b + TOUCH_MS; i++) {
          const r = this.rawSpans[i]!;
          this.work.summariesCompared++;
          if (r.endMs + TOUCH_MS < a) continue;
          found.push(r);
          na = Math.min(na, r.startMs);
          nb = Math.max(nb, r.endMs);
        }
        group = found;
        if (na === a && nb === b) break;
        a = na;
        b = nb;
      }
      group.sort((x, y) => x.seq - y.seq);
    }
    const result = this.o.deduplicate ? deduplicateActivities(group.map((r) => r.s)) : { summaries: [span.s], keptIndices: [0] };
    // a kept copy that comes out as it was stays in place (a file sent twice changes nothing)
    const unchanged = new Set<number>();
    result.summaries.forEach((s, i) => {
      const seq = group[result.keptIndices[i]!]!.seq;
      const old = this.keptBySeq.get(seq);
      if (old !== undefined && (old.s === s || JSON.stringify(old.s) === JSON.stringify(s))) unchanged.add(seq);
    });
    for (const r of group) {
      const old = this.keptBySeq.get(r.seq);
      if (old === undefined || unchanged.has(r.seq)) continue;
      this.keptBySeq.delete(r.seq);
      this.implausibleBySeq.delete(r.seq);
      if (old.dated !== null) removed.push(old.dated);
    }
    const nowMs = this.nowMs();
    result.summaries.forEach((s, i) => {
      const r = group[result.keptIndices[i]!]!;
      if (unchanged.has(r.seq)) return;
      const kept = this.keep(r.seq, s, nowMs);
      if (kept.dated !== null) added.push(kept.dated);
    });
  }

  private keep(seq: number, s: ActivitySummary, nowMs: number): Kept {
    const startMs = Date.parse(s.startTime!);
    const reason = implausibleStartReason(startMs, nowMs);
    let dated: Dated | null = null;
    if (reason === null) {
      const local = this.toLocal !== null ? this.toLocal(new Date(startMs)) : (s.localDate ?? s.startTime!.slice(0, 10));
      const elapsed = Number.isFinite(s.elapsedTimeS) && s.elapsedTimeS > 0 ? s.elapsedTimeS : 0;
      dated = { s, startMs, endMs: startMs + elapsed * 1000, day: dateToDayNumber(local) };
    }
    const kept: Kept = { seq, s, startMs, dated, implausibleReason: reason };
    this.keptBySeq.set(seq, kept);
    if (reason !== null) this.implausibleBySeq.set(seq, kept);
    else this.implausibleBySeq.delete(seq);
    return kept;
  }

  /** Activities dated after "now" become plausible once the clock reaches them. */
  private promoteNowPlausible(added: Dated[]): void {
    const nowMs = this.nowMs();
    for (const k of [...this.implausibleBySeq.values()]) {
      if (k.dated !== null || implausibleStartReason(k.startMs, nowMs) !== null) continue;
      const kept = this.keep(k.seq, k.s, nowMs);
      added.push(kept.dated!);
    }
  }

  private indexDated(d: Dated, sign: 1 | -1): void {
    if (sign > 0) insertSorted(this.dated, d, compareDated);
    else removeSorted(this.dated, d, compareDated);
    this.dayCounts.set(d.day, (this.dayCounts.get(d.day) ?? 0) + sign);
    if (this.dayCounts.get(d.day) === 0) this.dayCounts.delete(d.day);
    const wk = weekStartDay(d.day, this.o.weekStartsOn);
    const list = this.datedByWeek.get(wk) ?? [];
    if (sign > 0) insertSorted(list, d, compareDated);
    else removeSorted(list, d, compareDated);
    if (list.length > 0) this.datedByWeek.set(wk, list);
    else this.datedByWeek.delete(wk);
    if (d.s.activityClass !== 'running') return;
    if (sign > 0) insertSorted(this.running, d, compareDated);
    else removeSorted(this.running, d, compareDated);
    const g = d.s.gear;
    if (g === null || g === '') return;
    const runs = this.gearRuns.get(g) ?? [];
    if (sign > 0) insertSorted(runs, d, compareDated);
    else removeSorted(runs, d, compareDated);
    if (runs.length > 0) this.gearRuns.set(g, runs);
    else this.gearRuns.delete(g);
  }

  private ctx(): LoadContext {
    const running = this.running;
    const o = this.o;
    return {
      o,
      firstRunDay: this.firstRunDay,
      lastDay: this.lastDay,
      daily: this.daily,
      seed: this.seed,
      ewmaA: this.ewmaA,
      ewmaC: this.ewmaC,
      baselineBefore: (day, startMs) => {
        const to = lowerBound(running, startMs + 4 * DAY_MS, (r) => r.startMs);
        const from = Math.min(to, lowerBound(running, startMs - (o.cadenceBaselineDays + 4) * DAY_MS, (r) => r.startMs));
        return sessionBaseline(running, day, o, from, to);
      },
    };
  }

  /** Updates every derived figure after `removed` left and `added` joined the dated activities. */
  private apply(removed: readonly Dated[], added: readonly Dated[]): void {
    if (removed.length === 0 && added.length === 0) return;
    for (const d of removed) this.indexDated(d, -1);
    for (const d of added) this.indexDated(d, 1);
    const changed = [...removed, ...added];
    const oldFirstDay = this.updateDayRange(added);
    const changedRuns = changed.filter((d) => d.s.activityClass === 'running');
    const { j0, newCount, touchedDays } = this.rescanSessions(changedRuns);
    const oldFirstRunDay = this.firstRunDay;
    const ewmaFrom = this.updateEwma(touchedDays);
    this.updateLoads(changedRuns, touchedDays, j0, newCount, ewmaFrom, !Object.is(oldFirstRunDay, this.firstRunDay));
    this.updateWeeks(changed, touchedDays, oldFirstDay);
    this.updateGear(changed);
    // The personal cadence baseline of the runs of the last `cadenceBaselineDays` (card C3).
    this.baseline = this.latestBaseline();
  }

  /** First and last day of any dated activity; returns the first day before the change. */
  private updateDayRange(added: readonly Dated[]): number {
    const oldFirstDay = this.firstDay;
    if (this.dayCounts.has(this.firstDay) && this.dayCounts.has(this.lastDay)) {
      for (const d of added) {
        this.firstDay = Math.min(this.firstDay, d.day);
        this.lastDay = Math.max(this.lastDay, d.day);
      }
    } else {
      // the first or last day lost its activities (or the history was empty): look at every day once
      this.recomputeDayRange();
    }
    return oldFirstDay;
  }

  /** Sets the first and last day (day numbers) from every day that holds an activity; NaN when none does. */
  private recomputeDayRange(): void {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (const day of this.dayCounts.keys()) {
      lo = Math.min(lo, day);
      hi = Math.max(hi, day);
    }
    this.firstDay = this.dayCounts.size > 0 ? lo : Number.NaN;
    this.lastDay = this.dayCounts.size > 0 ? hi : Number.NaN;
  }

  /** Sessions (card L1): scanned again from the last session that starts before the change until the old sessions resume. */
  private rescanSessions(changedRuns: readonly Dated[]): { j0: number; newCount: number; touchedDays: Set<number> } {
    const o = this.o;
    const touchedDays = new Set<number>();
    let j0 = this.sessions.length;
    let newCount = 0;
    if (changedRuns.length > 0) {
      let tLo = Number.POSITIVE_INFINITY;
      let tHi = Number.NEGATIVE_INFINITY;
      for (const d of changedRuns) {
        tLo = Math.min(tLo, d.startMs);
        tHi = Math.max(tHi, d.startMs);
        touchedDays.add(d.day);
      }
      j0 = Math.max(0, lowerBound(this.sessions, tLo, (x) => x.startMs) - 1);
      const i0 = j0 < this.sessions.length ? lowerBound(this.running, this.sessions[j0]!.startMs, (r) => r.startMs) : this.running.length;
      const fresh: Session[] = [];
      let jEnd = this.sessions.length;
      for (let i = j0 === 0 ? 0 : i0; i < this.running.length; i++) {
        const r = this.running[i]!;
        const last = fresh[fresh.length - 1];
        const startsNew = last === undefined || r.startMs - last.endMs >= o.mergeGapS * 1000;
        if (startsNew && r.startMs > tHi) {
          const k = lowerBound(this.sessions, r.startMs, (x) => x.startMs);
          if (k < this.sessions.length && k >= j0 && this.sessions[k]!.members[0] === r) {
            jEnd = k;
            break;
          }
        }
        appendToSessions(fresh, r, o.mergeGapS);
      }
      // sessions at the front of the scan that came out as they were keep their loads (their windows end before the change)
      let same = 0;
      while (same < fresh.length && j0 + same < jEnd && sameMembers(fresh[same]!, this.sessions[j0 + same]!)) same++;
      const old = this.sessions.splice(j0 + same, jEnd - j0 - same, ...fresh.slice(same));
      this.loads.splice(j0 + same, jEnd - j0 - same, ...fresh.slice(same).map(() => null as unknown as SessionLoad));
      j0 += same;
      fresh.splice(0, same);
      newCount = fresh.length;
      for (const x of old) {
        touchedDays.add(x.day);
        const list = this.sessionsByDay.get(x.day)!;
        list.splice(list.indexOf(x), 1);
        if (list.length === 0) this.sessionsByDay.delete(x.day);
      }
      for (const x of fresh) {
        touchedDays.add(x.day);
        const list = this.sessionsByDay.get(x.day) ?? [];
        insertSorted(list, x, bySessionStart);
        this.sessionsByDay.set(x.day, list);
      }
      for (const day of touchedDays) {
        const list = this.sessionsByDay.get(day);
        if (list === undefined) {
          this.daily.delete(day);
          continue;
        }
        let sum = 0;
        for (const x of list) sum += x.distanceM;
        this.daily.set(day, sum);
      }
    }
    return { j0, newCount, touchedDays };
  }

  /** EWMA (card L4) from the first changed day on; all of it when the first running day or the seed changes. Returns the first day index updated. */
  private updateEwma(touchedDays: ReadonlySet<number>): number {
    const oldFirstRunDay = this.firstRunDay;
    const oldLength = this.ewmaA.length;
    this.firstRunDay = this.sessions.length > 0 ? this.sessions[0]!.day : this.firstDay;
    const oldSeed = this.seed;
    let ewmaFrom = Number.POSITIVE_INFINITY;
    if (this.dayCounts.size > 0) {
      this.seed = ewmaSeed(this.daily, this.firstRunDay, this.lastDay);
      if (!Object.is(oldFirstRunDay, this.firstRunDay) || !Object.is(oldSeed, this.seed)) ewmaFrom = 0;
      else {
        ewmaFrom = oldLength;
        for (const day of touchedDays) ewmaFrom = Math.min(ewmaFrom, day - this.firstRunDay);
        ewmaFrom = Math.max(0, ewmaFrom);
      }
      const n = Math.max(0, this.lastDay - this.firstRunDay + 1);
      if (ewmaFrom === 0) {
        this.ewmaA = [];
        this.ewmaC = [];
      }
      fillEwma(this.ewmaA, this.ewmaC, this.daily, this.firstRunDay, this.lastDay, this.seed, ewmaFrom);
      this.work.ewmaDays += Math.max(0, n - ewmaFrom);
    } else {
      this.ewmaA = [];
      this.ewmaC = [];
    }
    return ewmaFrom;
  }

  /** Session loads: in full for the sessions whose windows hold a change, patched (EWMA ratio, history length, state) for the later ones. */
  private updateLoads(changedRuns: readonly Dated[], touchedDays: ReadonlySet<number>, j0: number, newCount: number, ewmaFrom: number, rebase: boolean): void {
    const o = this.o;
    const ctx = this.ctx();
    const full = new Set<number>();
    if (changedRuns.length > 0) {
      const reach = Math.max(o.longestWindowDays, o.spikeWindowDays, o.cadenceBaselineDays + 4, 35) + 2;
      let tHi = Number.NEGATIVE_INFINITY;
      let dHi = Number.NEGATIVE_INFINITY;
      let dLo = Number.POSITIVE_INFINITY;
      for (const d of changedRuns) {
        tHi = Math.max(tHi, d.endMs);
        dHi = Math.max(dHi, d.day);
        dLo = Math.min(dLo, d.day);
      }
      for (const day of touchedDays) {
        dHi = Math.max(dHi, day);
        dLo = Math.min(dLo, day);
      }
      for (let j = j0; j < Math.min(this.sessions.length, j0 + newCount + 1); j++) full.add(j);
      const jStop = lowerBound(this.sessions, tHi + reach * DAY_MS + 1, (x) => x.startMs);
      for (let j = j0; j < jStop; j++) full.add(j);
      for (let day = dLo; day <= dHi + reach; day++) {
        for (const x of this.sessionsByDay.get(day) ?? []) full.add(lowerBound(this.sessions, x.startMs, (y) => y.startMs));
      }
    }
    for (const j of full) this.loads[j] = sessionLoadOf(ctx, this.sessions, j);
    this.work.sessionsRecomputed += full.size;
    if (rebase || ewmaFrom < Number.POSITIVE_INFINITY) {
      const fromDay = rebase ? Number.NEGATIVE_INFINITY : this.firstRunDay + ewmaFrom;
      const jFrom = rebase ? 0 : Math.max(0, lowerBound(this.sessions, (fromDay - 3) * DAY_MS, (x) => x.startMs));
      for (let j = jFrom; j < this.sessions.length; j++) {
        if (full.has(j)) continue;
        const x = this.sessions[j]!;
        if (!rebase && x.day <= fromDay) continue;
        const load = this.loads[j]!;
        const historyDays = x.day - this.firstRunDay;
        this.loads[j] = {
          ...load,
          historyDays,
          acwrEwma: acwrEwmaOf(ctx, this.sessions, j),
          state: sessionStateOf(o, j, historyDays, load.daysSincePrevious),
          weeklyBaselineBuilding: historyDays < o.weeklyBaselineDays,
        };
        this.work.sessionsPatched++;
      }
    }
  }

  /** Weeks (cards L1, L3): totals of the weeks touched, summaries of those and the three after. */
  private updateWeeks(changed: readonly Dated[], touchedDays: ReadonlySet<number>, oldFirstDay: number): void {
    const o = this.o;
    const touchedWeeks = new Set<number>();
    for (const d of changed) touchedWeeks.add(weekStartDay(d.day, o.weekStartsOn));
    for (const day of touchedDays) touchedWeeks.add(weekStartDay(day, o.weekStartsOn));
    for (const wk of touchedWeeks) {
      const list = this.datedByWeek.get(wk);
      if (list === undefined) {
        this.accByWeek.delete(wk);
        continue;
      }
      const acc = newWeekAcc();
      for (const d of list) addDatedToWeek(acc, d);
      for (let day = wk; day < wk + 7; day++) for (const x of this.sessionsByDay.get(day) ?? []) addSessionToWeek(acc, x);
      this.accByWeek.set(wk, acc);
    }
    const firstWeek = this.dayCounts.size > 0 ? weekStartDay(this.firstDay, o.weekStartsOn) : Number.NaN;
    const summarise = new Set<number>();
    for (const wk of touchedWeeks) for (let e = 0; e < 4; e++) summarise.add(wk + 7 * e);
    const oldFirstWeek = Number.isNaN(oldFirstDay) ? Number.NaN : weekStartDay(oldFirstDay, o.weekStartsOn);
    if (!Object.is(oldFirstWeek, firstWeek)) {
      const lo = Number.isNaN(oldFirstWeek) ? firstWeek : Number.isNaN(firstWeek) ? oldFirstWeek : Math.min(oldFirstWeek, firstWeek);
      const hi = Number.isNaN(oldFirstWeek) ? firstWeek : Number.isNaN(firstWeek) ? oldFirstWeek : Math.max(oldFirstWeek, firstWeek);
      for (let wk = lo; wk < hi + 21; wk += 7) summarise.add(wk);
    }
    const distanceOfWeek = (k: number): number => this.accByWeek.get(k)?.distanceM ?? 0;
    for (const wk of summarise) {
      if (this.accByWeek.has(wk) && !Number.isNaN(firstWeek)) this.weekSummaries.set(wk, weekSummaryOf(wk, firstWeek, this.accByWeek.get(wk), distanceOfWeek));
      else this.weekSummaries.delete(wk); // empty weeks are summarised when listed
    }
    this.work.weeksRecomputed += touchedWeeks.size + summarise.size;
  }

  /** Shoes (card S1): every run of each shoe the change touches is summed again. */
  private updateGear(changed: readonly Dated[]): void {
    const touchedGear = new Set<string>();
    for (const d of changed) if (d.s.activityClass === 'running' && d.s.gear !== null && d.s.gear !== '') touchedGear.add(d.s.gear);
    for (const g of touchedGear) {
      const runs = this.gearRuns.get(g);
      if (runs === undefined) this.gearUsage.delete(g);
      else {
        this.gearUsage.set(g, gearUsageOf(g, runs));
        this.work.gearRunsSummed += runs.length;
      }
    }
  }

  private latestBaseline(): CadenceBaseline | null {
    if (this.dayCounts.size === 0) return null;
    const o = this.o;
    const lastRunDay = this.sessions.length > 0 ? this.sessions[this.sessions.length - 1]!.day : this.lastDay;
    const runs = this.runsOfDays(lastRunDay - o.cadenceBaselineDays + 1, lastRunDay);
    return cadenceBaseline(runs, lastRunDay, o.cadenceBaselineDays, o.cadenceBaselineMinBinS, o.cadenceTargetPct);
  }

  /** Running activities whose day is in [a, b], in time order (whatever their sessions' days). */
  private runsOfDays(a: number, b: number): Dated[] {
    const out: Dated[] = [];
    for (const list of this.weekRange(a, b)) {
      for (const d of list) if (d.s.activityClass === 'running' && d.day >= a && d.day <= b) out.push(d);
    }
    return out.sort(compareDated);
  }

  private *weekRange(a: number, b: number): Iterable<Dated[]> {
    for (let wk = weekStartDay(a, this.o.weekStartsOn); wk <= b; wk += 7) {
      const list = this.datedByWeek.get(wk);
      if (list !== undefined) yield list;
    }
  }

  /** Lets in the activities whose dates the clock has reached. */
  private promote(): void {
    if (this.implausibleBySeq.size === 0) return;
    const promoted: Dated[] = [];
    this.promoteNowPlausible(promoted);
    if (promoted.length === 0) return;
    this.cached = null;
    this.apply([], promoted);
  }

  history(): TrainingHistory {
    this.promote();
    if (this.cached !== null) return this.cached;
    const o = this.o;
    const implausible = [...this.implausibleBySeq.values()]
      .sort((a, b) => compareText(a.s.id, b.s.id) || a.seq - b.seq)
      .map((k) => ({ activityId: k.s.id, reason: k.implausibleReason! }));
    const base = {
      timeZone: o.timeZone ?? 'activity',
      weekStartsOn: o.weekStartsOn,
      undatedActivityIds: [...this.undatedIds],
      ...(implausible.length > 0 ? { implausibleDates: implausible } : {}),
    };
    if (this.dated.length === 0) {
      this.cached = { ...base, firstDate: null, lastDate: null, weeks: [], sessions: [], gear: [], cadenceBaseline: null, breaks: [], gearInRotation: 0 };
      return this.cached;
    }
    const firstWeek = weekStartDay(this.firstDay, o.weekStartsOn);
    const distanceOfWeek = (k: number): number => this.accByWeek.get(k)?.distanceM ?? 0;
    const weeks = listedWeeks([...this.accByWeek.keys()].sort((a, b) => a - b)).map((k) => {
      let w = this.weekSummaries.get(k);
      if (w === undefined) {
        w = weekSummaryOf(k, firstWeek, this.accByWeek.get(k), distanceOfWeek);
        this.weekSummaries.set(k, w);
      }
      return w;
    });
    const rotation = new Set<string>();
    for (const d of this.runsOfDays(this.lastDay - o.gearRotationDays + 1, this.lastDay)) if (d.s.gear !== null && d.s.gear !== '') rotation.add(d.s.gear);
    const sessions = [...this.loads];
    this.cached = {
      ...base,
      firstDate: dayNumberToDate(this.firstDay),
      lastDate: dayNumberToDate(this.lastDay),
      weeks,
      sessions,
      gear: [...this.gearUsage.keys()].sort(compareText).map((g) => this.gearUsage.get(g)!),
      cadenceBaseline: this.baseline,
      breaks: breaksOf(sessions, o.breakDays),
      gearInRotation: rotation.size,
    };
    return this.cached;
  }

  toJSON(): HistoryState {
    return {
      format: HISTORY_STATE_FORMAT,
      version: 1,
      options: this.options,
      summaries: [...this.raw],
      derived: {
        sessions: [...this.loads],
        weeks: [...this.weekSummaries.entries()],
        ewmaA: [...this.ewmaA],
        ewmaC: [...this.ewmaC],
        seed: this.seed,
        cadenceBaseline: this.baseline,
        checkedAtMs: this.checkedAtMs,
      },
    };
  }

  /** Rebuilds the indexes from stored summaries in one pass and takes the computed figures as stored. */
  restore(state: HistoryState, withDerived = true): void {
    const added: Dated[] = [];
    const spans: RawSpan[] = [];
    for (const s of state.summaries) {
      const seq = this.raw.length;
      this.raw.push(s);
      const span = spanOf(seq, s);
      if (span === null) {
        if (!this.o.deduplicate || !this.undatedIds.includes(s.id)) insertSorted(this.undatedIds, s.id, compareText);
        continue;
      }
      spans.push(span);
      this.maxSpanMs = Math.max(this.maxSpanMs, span.endMs - span.startMs);
    }
    spans.sort((a, b) => a.startMs - b.startMs || a.seq - b.seq);
    this.rawSpans.push(...spans);
    const bySeq = [...spans].sort((a, b) => a.seq - b.seq);
    const result = this.o.deduplicate ? deduplicateActivities(bySeq.map((r) => r.s)) : { summaries: bySeq.map((r) => r.s), keptIndices: bySeq.map((_, i) => i) };
    // dates as they were checked when stored; activities the clock has reached since then join below
    const storedNow = withDerived && Number.isFinite(state.derived.checkedAtMs) ? state.derived.checkedAtMs : this.nowMs();
    result.summaries.forEach((s, i) => {
      const kept = this.keep(bySeq[result.keptIndices[i]!]!.seq, s, storedNow);
      if (kept.dated !== null) added.push(kept.dated);
    });
    for (const d of added) this.indexDated(d, 1);
    this.recomputeDayRange();
    for (const r of this.running) appendToSessions(this.sessions, r, this.o.mergeGapS);
    for (const x of this.sessions) {
      const list = this.sessionsByDay.get(x.day) ?? [];
      list.push(x);
      this.sessionsByDay.set(x.day, list);
      this.daily.set(x.day, (this.daily.get(x.day) ?? 0) + x.distanceM);
    }
    this.firstRunDay = this.sessions.length > 0 ? this.sessions[0]!.day : this.firstDay;
    for (const [wk, list] of this.datedByWeek) {
      const acc = newWeekAcc();
      for (const d of list) addDatedToWeek(acc, d);
      this.accByWeek.set(wk, acc);
    }
    for (const x of this.sessions) addSessionToWeek(this.accByWeek.get(weekStartDay(x.day, this.o.weekStartsOn))!, x);
    for (const [g, runs] of this.gearRuns) this.gearUsage.set(g, gearUsageOf(g, runs));
    if (!withDerived) return;
    const d = state.derived;
    if (d.sessions.length !== this.sessions.length) {
      throw new StridewiseError('INVALID_INPUT', `stored history state is inconsistent: ${d.sessions.length} sessions stored, ${this.sessions.length} rebuilt from its summaries`);
    }
    this.loads = [...d.sessions];
    for (const [k, w] of d.weeks) this.weekSummaries.set(k, w);
    this.ewmaA = [...d.ewmaA];
    this.ewmaC = [...d.ewmaC];
    this.seed = d.seed;
    this.baseline = d.cadenceBaseline;
    this.checkedAtMs = storedNow;
    this.promote();
  }

  /** Computes every figure from the indexes (the first build, without a stored state). */
  computeAll(): void {
    if (this.dayCounts.size > 0) {
      this.seed = ewmaSeed(this.daily, this.firstRunDay, this.lastDay);
      fillEwma(this.ewmaA, this.ewmaC, this.daily, this.firstRunDay, this.lastDay, this.seed, 0);
    }
    const ctx = this.ctx();
    this.loads = this.sessions.map((_, j) => sessionLoadOf(ctx, this.sessions, j));
    const firstWeek = weekStartDay(this.firstDay, this.o.weekStartsOn);
    const distanceOfWeek = (k: number): number => this.accByWeek.get(k)?.distanceM ?? 0;
    for (const [k, acc] of this.accByWeek) this.weekSummaries.set(k, weekSummaryOf(k, firstWeek, acc, distanceOfWeek));
    this.baseline = this.latestBaseline();
  }
}

/**
 * A training history that grows one activity at a time, for a service that
 * analyses each upload as it arrives and stores the history between uploads.
 * `history()` is always equal (deep equality, the same numbers bit for bit)
 * to `analyzeHistory` over every summary added, in any order, copies and
 * activities older than the others included.
 *
 * Cost of one `add` (see {@link HistoryWork}, returned by every add):
 * - copies: the new summary is compared with the stored ones its time span
 *   touches only;
 * - sessions whose windows hold the change are computed in full: those within
 *   `max(longestWindowDays, spikeWindowDays, cadenceBaselineDays + 4)` + 2 days
 *   after it (90-day spike and cadence references, 34 days of rolling sums),
 *   plus the next session (its days since the previous one);
 * - the EWMA acute:chronic ratio (card L4) carries every day before it, so an
 *   activity added before the latest day updates the EWMA of each later day and
 *   patches each later session's ratio (a few multiply-adds each, no window
 *   analysis); an activity before the first run, or within its first 28 days
 *   (the EWMA seed), restarts the EWMA and patches every session's history
 *   length and state. Appending the newest activity patches nothing;
 * - weeks: the weeks touched and the three after them (week-over-week and
 *   two-week change);
 * - shoes: every run of the shoe of the new run is summed again (a shoe's
 *   life is a few hundred runs), the latest cadence baseline over the last
 *   `cadenceBaselineDays`.
 * Keeping the sorted indexes moves array elements (`splice`), and `history()`
 * copies the session list and lists the weeks: O(sessions + weeks) copying,
 * no analysis; the result is cached until the next add.
 *
 * @param options - As for `analyzeHistory`. Set `timeZone` for weeks in the
 *   runner's zone. Without `now`, dates are checked against the clock at each
 *   add and each `history()` (an activity dated after today joins once the
 *   clock reaches it).
 * @throws {StridewiseError} `INVALID_OPTION` for a bad option; `add` throws `INVALID_INPUT` for a non-summary.
 * @example
 * const options = { timeZone: 'Europe/Berlin' };
 * const h = createHistory(options);
 * h.addMany(summaries.slice(0, -1)); // the season so far
 * h.add(summaries.at(-1)).sessionsRecomputed; // ≤ 2: the new session and the one before it
 * JSON.stringify(h.history()) === JSON.stringify(analyzeHistory(summaries, options)); // true
 * h.history().weeks.length; // 14
 */
export function createHistory(options: HistoryOptions = {}): IncrementalHistory {
  return new Engine(options);
}

/**
 * Loads a history stored with `toJSON()`: rebuilds its indexes from the
 * stored summaries in one pass (sorting, the choice among copies and the
 * session merge, O(n log n)) and takes the computed figures as stored, so
 * the window analysis is not run again.
 *
 * @param state - `toJSON()` of an {@link IncrementalHistory}, or its `JSON.parse`d text.
 * @throws {StridewiseError} `INVALID_INPUT` when the state is not one (wrong `format` or `version`, or figures that do not fit its summaries).
 * @example
 * const db = new Map(); // stands for a database
 * db.set('runner-42', JSON.stringify(historyOf(summaries.slice(0, 20), { timeZone: 'Europe/Berlin' })));
 * const h = historyFromJSON(JSON.parse(db.get('runner-42')));
 * h.add(summaries[20]).sessionsRecomputed; // ≤ 2
 * db.set('runner-42', JSON.stringify(h));
 * h.summaries().length; // 21
 * historyFromJSON({ format: 'other' }); // throws INVALID_INPUT
 */
export function historyFromJSON(state: HistoryState): IncrementalHistory {
  if (state === null || typeof state !== 'object' || state.format !== HISTORY_STATE_FORMAT || state.version !== 1 || !Array.isArray(state.summaries)) {
    throw new StridewiseError('INVALID_INPUT', `not a stored stridewise history (expected format '${HISTORY_STATE_FORMAT}', version 1)`);
  }
  const d = state.derived as HistoryState['derived'] | null | undefined;
  if (d === null || typeof d !== 'object' || !Array.isArray(d.sessions) || !Array.isArray(d.weeks) || !Array.isArray(d.ewmaA) || !Array.isArray(d.ewmaC)) {
    throw new StridewiseError('INVALID_INPUT', 'stored history state has no computed figures (derived.sessions, weeks, ewmaA, ewmaC)');
  }
  const bad = state.summaries.findIndex((s) => s === null || typeof s !== 'object' || typeof s.id !== 'string');
  if (bad >= 0) throw new StridewiseError('INVALID_INPUT', `stored history state: summaries[${bad}] is not an activity summary`);
  const engine = new Engine(state.options ?? {});
  engine.restore(state);
  return engine;
}

/**
 * A history of `summaries` at once, ready to grow (`createHistory` plus one
 * full analysis, the cost of `analyzeHistory`).
 *
 * @example
 * const h = historyOf(summaries.slice(0, 30), { timeZone: 'Europe/Berlin' });
 * h.history().sessions.length; // 25
 * h.add(summaries[30]).summariesCompared; // ≤ 2: only the neighbours of the new activity
 */
export function historyOf(summaries: readonly ActivitySummary[], options: HistoryOptions = {}): IncrementalHistory {
  const engine = new Engine(options);
  engine.restore({ format: HISTORY_STATE_FORMAT, version: 1, options, summaries, derived: { sessions: [], weeks: [], ewmaA: [], ewmaC: [], seed: 0, cadenceBaseline: null, checkedAtMs: Number.NaN } }, false);
  engine.computeAll();
  return engine;
}
