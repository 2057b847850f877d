/**
 * What counts as the same activity: one recording reached twice (the same
 * file given twice, the same run saved as FIT and as TCX, a Garmin export
 * beside a Strava export of the same months, a watch and a phone recording
 * the same run). The one place that decides it; the export pipeline, the
 * history and the rules all call {@link deduplicateActivities}.
 *
 * Two recordings are the same activity when their time spans in UTC overlap
 * by at least 80 % of the shorter one, their sports are compatible (same
 * knee-load class, or one of them has no sport) and their distances agree
 * within 10 % (of the longer). Two runs on one day (doubles, a warm-up then
 * a race) do not overlap in time, so they stay two; a 10-minute recording
 * inside a long run overlaps but is far shorter, so it stays too; a file with
 * the same start second but a different run in it differs in distance or
 * duration, so it is not taken for a copy. Recordings without a duration,
 * and activities without a start time, match only when their ids are equal
 * (the same start second, or the same content hash), and two activities of
 * one file are never copies of each other.
 */
import { classifyActivity } from './classify.js';
import type { ActivitySummary } from './types.js';

/** Share of the shorter recording's time span that must overlap the other. */
export const DUPLICATE_MIN_OVERLAP = 0.8;
/** Largest distance difference, as a fraction of the longer distance. */
export const DUPLICATE_MAX_DISTANCE_DIFF = 0.1;
/** Below this distance (m) both recordings count as "no distance" and durations are compared instead. */
const NO_DISTANCE_M = 50;
/** Spans this close (ms) count as the same instant, for recordings without a duration. */
const SAME_INSTANT_MS = 1000;

/** One recording left out because another copy of the same activity was kept. */
export interface DuplicateMatch {
  /** `ActivitySummary.id` of the copy kept. */
  readonly keptActivityId: string;
  /** File of the copy kept (`null` when the summary has none). */
  readonly keptFile: string | null;
  /** `ActivitySummary.id` of the copy left out. */
  readonly activityId: string;
  /** File of the copy left out. */
  readonly file: string | null;
  /** `same-id`: identical id and content figures (the same file read twice); `overlap`: the same time span, sport and distance. */
  readonly match: 'same-id' | 'overlap';
  /** Overlap of the two time spans over the shorter span, 0..1 (1 for `same-id` and for recordings without a duration). */
  readonly overlapShare: number;
  /** Human explanation: why they are the same, and why this copy was kept. */
  readonly reason: string;
}

/** Result of {@link deduplicateActivities}. */
export interface DeduplicatedActivities {
  /**
   * One summary per activity, in input order of the kept copies, with name,
   * gear and sport carried from the left-out copies. Ids are unique: a
   * different activity that had the id of an earlier one (the same start
   * second, sport and format) gets `~2`, `~3`… appended.
   */
  readonly summaries: ActivitySummary[];
  /** Index in the input of each kept summary (same order as `summaries`). */
  readonly keptIndices: number[];
  /** Every copy left out, ordered by the kept copy's position, then by id and file. */
  readonly duplicates: DuplicateMatch[];
}

interface Span {
  readonly index: number;
  readonly s: ActivitySummary;
  readonly startMs: number;
  readonly endMs: number;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function formatOf(s: ActivitySummary): string {
  const m = /^(fit|tcx|gpx)-/.exec(s.id);
  return m !== null ? m[1]! : '';
}

const FORMAT_RANK: Readonly<Record<string, number>> = { fit: 3, tcx: 2, gpx: 1 };

/** Channels a copy carries, for choosing the richest: cadence, heart rate, barometric altitude, running dynamics. */
function channelsOf(s: ActivitySummary): string[] {
  const out: string[] = [];
  if (s.cadence.unitDetected !== 'none') out.push('cadence');
  if (s.avgHeartRateBpm !== null && Number.isFinite(s.avgHeartRateBpm)) out.push('heart rate');
  if (s.elevation.source === 'baro') out.push('barometric altitude');
  const d = s.dynamics;
  if (d !== null && (d.stanceTimeS !== null || d.verticalOscillationM !== null || d.verticalRatioPct !== null || d.stanceTimeBalancePct !== null)) {
    out.push('running dynamics');
  }
  return out;
}

/**
 * Order of preference (richest first): a known sport, then more channels,
 * then FIT over TCX over GPX, then the smaller id and file (so the choice
 * never depends on reading order).
 */
function compareRichness(a: ActivitySummary, b: ActivitySummary): number {
  const sa = a.sport === 'generic' ? 0 : 1;
  const sb = b.sport === 'generic' ? 0 : 1;
  if (sa !== sb) return sb - sa;
  const ca = channelsOf(a).length;
  const cb = channelsOf(b).length;
  if (ca !== cb) return cb - ca;
  const fa = FORMAT_RANK[formatOf(a)] ?? 0;
  const fb = FORMAT_RANK[formatOf(b)] ?? 0;
  if (fa !== fb) return fb - fa;
  return compareText(a.id, b.id) || compareText(a.file ?? '', b.file ?? '') || compareText(a.startTime ?? '', b.startTime ?? '');
}

function finiteDistance(s: ActivitySummary): number {
  return Number.isFinite(s.distanceM) && s.distanceM > 0 ? s.distanceM : 0;
}

function sportsCompatible(a: ActivitySummary, b: ActivitySummary): boolean {
  return a.sport === b.sport || a.sport === 'generic' || b.sport === 'generic' || a.activityClass === b.activityClass;
}

/** Distances within 10 % of the longer, or both without distance and durations within 10 %. */
function amountsCompatible(a: Span, b: Span): boolean {
  const da = finiteDistance(a.s);
  const db = finiteDistance(b.s);
  if (da >= NO_DISTANCE_M || db >= NO_DISTANCE_M) return Math.abs(da - db) <= DUPLICATE_MAX_DISTANCE_DIFF * Math.max(da, db);
  const ta = a.endMs - a.startMs;
  const tb = b.endMs - b.startMs;
  return Math.abs(ta - tb) <= DUPLICATE_MAX_DISTANCE_DIFF * Math.max(ta, tb) + SAME_INSTANT_MS;
}

/** Overlap over the shorter span, 0..1; spans without duration overlap fully only when they start within a second of the other's span. */
function overlapShare(a: Span, b: Span): number {
  const shorter = Math.min(a.endMs - a.startMs, b.endMs - b.startMs);
  if (shorter <= 0) {
    const instant = a.endMs - a.startMs <= 0 ? a : b;
    const other = instant === a ? b : a;
    return instant.startMs >= other.startMs - SAME_INSTANT_MS && instant.startMs <= other.endMs + SAME_INSTANT_MS ? 1 : 0;
  }
  const overlap = Math.min(a.endMs, b.endMs) - Math.max(a.startMs, b.startMs);
  return overlap > 0 ? overlap / shorter : 0;
}

function spanOf(index: number, s: ActivitySummary): Span | null {
  const startMs = s.startTime === null ? Number.NaN : Date.parse(s.startTime);
  if (!Number.isFinite(startMs)) return null;
  const elapsedS = Number.isFinite(s.elapsedTimeS) && s.elapsedTimeS > 0 ? s.elapsedTimeS : 0;
  return { index, s, startMs, endMs: startMs + elapsedS * 1000 };
}

function km(m: number): string {
  return `${(m / 1000).toFixed(2)} km`;
}

/** The kept summary with the name, gear and sport of the other copies where it has none. */
function carryOver(kept: ActivitySummary, others: readonly ActivitySummary[]): ActivitySummary {
  let name = kept.name;
  let gear = kept.gear;
  let sport = kept.sport;
  let subSport = kept.subSport;
  for (const o of others) {
    if ((name === null || name === '') && o.name !== null && o.name !== '') name = o.name;
    if ((gear === null || gear === '') && o.gear !== null && o.gear !== '') gear = o.gear;
    // a sport is carried only where it does not change the class the summary was computed for
    if (sport === 'generic' && o.sport !== 'generic' && classifyActivity(o.sport, o.subSport) === kept.activityClass) {
      sport = o.sport;
      subSport = o.subSport;
    }
  }
  if (name === kept.name && gear === kept.gear && sport === kept.sport && subSport === kept.subSport) return kept;
  return { ...kept, name, gear, sport, subSport };
}

class UnionFind {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r]!;
    while (this.parent[i] !== r) {
      const next = this.parent[i]!;
      this.parent[i] = r;
      i = next;
    }
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/**
 * Finds the copies of the same activity among summaries and keeps one per
 * activity: the richest (a known sport; then more channels among cadence,
 * heart rate, barometric altitude and running dynamics; then FIT over TCX
 * over GPX), with the name, gear and sport of the other copies carried onto
 * it where it has none (a Strava CSV name onto the kept FIT).
 *
 * Recordings are compared by their time spans in UTC, sorted by start, each
 * only against those still running when it starts: O(n log n) for any real
 * export (overlapping recordings are a handful at a time).
 *
 * @param summaries - From `summarizeActivity`, any order.
 * @returns The kept summaries (in input order), their input indices and every copy left out with the reason.
 * @example
 * const { summaries, duplicates } = deduplicateActivities([fitSummary, gpxSummaryOfTheSameRun]);
 * summaries.length;        // 1 (the FIT, named as the GPX was)
 * duplicates[0]?.reason;   // e.g. 'the same activity: 100 % of the shorter recording overlaps, 10.61 km against 10.58 km; kept …'
 */
export function deduplicateActivities(summaries: readonly ActivitySummary[]): DeduplicatedActivities {
  const n = summaries.length;
  const uf = new UnionFind(n);
  const spans: Span[] = [];
  const undatedById = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const s = summaries[i]!;
    const span = spanOf(i, s);
    if (span !== null) spans.push(span);
    else {
      // without a time the id is a content hash: equal ids are the same bytes
      const first = undatedById.get(s.id);
      if (first === undefined) undatedById.set(s.id, i);
      else uf.union(first, i);
    }
  }
  spans.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs || a.index - b.index);
  // recordings still running when the next one starts (ordered by start)
  let active: Span[] = [];
  for (const cur of spans) {
    active = active.filter((p) => p.endMs + SAME_INSTANT_MS >= cur.startMs);
    for (const prev of active) {
      const sameId = prev.s.id === cur.s.id;
      // one file never holds the same activity twice (tracks of a GPX, sessions of a FIT are distinct)
      if (!sameId && prev.s.file !== null && prev.s.file === cur.s.file) continue;
      // without a duration there is no overlap to measure: only the same recording (same id) matches
      if (!sameId && (prev.endMs <= prev.startMs || cur.endMs <= cur.startMs)) continue;
      if (!sportsCompatible(prev.s, cur.s) || !amountsCompatible(prev, cur)) continue;
      if (overlapShare(prev, cur) >= DUPLICATE_MIN_OVERLAP) uf.union(prev.index, cur.index);
    }
    active.push(cur);
  }

  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = uf.find(i);
    const g = groups.get(r);
    if (g === undefined) groups.set(r, [i]);
    else g.push(i);
  }
  const keptOf = new Map<number, { kept: number; others: number[] }>();
  for (const members of groups.values()) {
    const sorted = [...members].sort((a, b) => compareRichness(summaries[a]!, summaries[b]!) || a - b);
    keptOf.set(sorted[0]!, { kept: sorted[0]!, others: sorted.slice(1) });
  }

  const out: ActivitySummary[] = [];
  const keptIndices: number[] = [];
  const duplicates: DuplicateMatch[] = [];
  const seenIds = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const group = keptOf.get(i);
    if (group === undefined) continue;
    const others = group.others.map((k) => summaries[k]!);
    let kept = carryOver(summaries[i]!, others);
    // different activities that share an id (the same start second, sport and format) get distinct ids
    const count = (seenIds.get(kept.id) ?? 0) + 1;
    seenIds.set(kept.id, count);
    if (count > 1) {
      let fresh = `${kept.id}~${count}`;
      while (seenIds.has(fresh)) fresh = `${fresh}~`;
      seenIds.set(fresh, 1);
      kept = { ...kept, id: fresh };
    }
    out.push(kept);
    keptIndices.push(i);
    if (group.others.length === 0) continue;
    const keptSpan = spanOf(i, kept);
    const why = `kept ${kept.file ?? kept.id} (${[...channelsOf(kept), formatOf(kept).toUpperCase()].filter((x) => x !== '').join(', ') || 'no extra channels'})`;
    const leftOut = group.others
      .map((k) => summaries[k]!)
      .sort((a, b) => compareText(a.id, b.id) || compareText(a.file ?? '', b.file ?? ''));
    for (const o of leftOut) {
      const oSpan = spanOf(-1, o);
      const sameId = o.id === summaries[i]!.id;
      const share = keptSpan !== null && oSpan !== null ? overlapShare(keptSpan, oSpan) : 1;
      const reason = sameId
        ? `the same recording found twice (id ${kept.id}, ${km(finiteDistance(kept))}); ${why}`
        : `the same activity: ${Math.round(share * 100)} % of the shorter recording overlaps, ${km(finiteDistance(o))} against ${km(finiteDistance(kept))}; ${why}`;
      duplicates.push({
        keptActivityId: kept.id,
        keptFile: kept.file,
        activityId: o.id,
        file: o.file,
        match: sameId ? 'same-id' : 'overlap',
        overlapShare: share,
        reason,
      });
    }
  }
  return { summaries: out, keptIndices, duplicates };
}
