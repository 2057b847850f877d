/**
 * From per-file summaries to the analysis of a whole export: the one place
 * that orders the summaries, gives zone-less activities their neighbours'
 * zone, counts the same activity once, builds the training history, marks
 * impossible dates and evaluates the rules. `analyzeExport` (files read in
 * workers), `analyzeActivities` (parsed activities) and the page all end
 * here, so they give the same result for the same activities.
 * Browser-safe: no Node built-ins.
 */
import type { ActivityExtras } from './analysis/extras.js';
import { deduplicateActivities } from './analysis/duplicates.js';
import { analyzeHistory } from './analysis/history.js';
import type { HistoryOptions } from './analysis/options.js';
import type { ActivitySummary, TrainingHistory } from './analysis/types.js';
import { zonesFromNeighbours } from './analysis/zone.js';
import { evaluateRules } from './rules/index.js';
import type { RuleOptions } from './rules/options.js';
import type { Finding } from './rules/types.js';

/** One activity's summary with the chart extras computed beside it (while its samples were in memory). */
export interface CollectedActivity {
  readonly summary: ActivitySummary;
  /** Replaced (profile dropped) by {@link HilliestProfileKeeper} when another activity turns out hillier. */
  extras: ActivityExtras | undefined;
}

/** A recording of an activity already kept, left out (counted once). */
export interface ActivityDuplicate {
  /** The file left out (`''` when the activity came without a file name). */
  readonly file: string;
  /** `ActivitySummary.id` of the copy left out. */
  readonly activityId: string;
  /** The file whose summary was kept (the richest copy: see `deduplicateActivities`). */
  readonly keptFile: string;
  /** `ActivitySummary.id` of the copy kept, as in the combined summaries. */
  readonly keptActivityId: string;
  /** Why they are the same activity and why that copy was kept. */
  readonly reason: string;
}

/** Options of {@link combineActivities}. All optional. */
export interface CombineOptions {
  /** Options of `analyzeHistory` (its `deduplicate` is the default of {@link CombineOptions.deduplicate}). Default `{}`. */
  readonly history?: HistoryOptions;
  /** Options of `evaluateRules`. Default `{}`. */
  readonly rules?: RuleOptions;
  /**
   * Count each activity once when it is reached several times (see
   * `deduplicateActivities`), keeping the richest copy; `false` keeps every
   * summary, ids made unique with `~2`, `~3`… Default `history.deduplicate`, else `true`.
   */
  readonly deduplicate?: boolean;
}

/** What {@link combineActivities} returns; `extras[i]` belongs to `summaries[i]`. */
export interface CombinedActivities {
  /** One per distinct activity, ordered by start time, then id, then file (undated last). */
  readonly summaries: ActivitySummary[];
  readonly history: TrainingHistory;
  /** In `evaluateRules` order. */
  readonly findings: Finding[];
  /** Recordings left out because another copy was kept, in the order of the kept copies. */
  readonly duplicates: ActivityDuplicate[];
  /** One per summary, same order (empty extras where an activity came without any). */
  readonly extras: ActivityExtras[];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Start time (undated last), id, file: independent of reading order. */
function compareCollected(x: CollectedActivity, y: CollectedActivity): number {
  const a = x.summary;
  const b = y.summary;
  return compareText(a.startTime ?? '~', b.startTime ?? '~') || compareText(a.id, b.id) || compareText(a.file ?? '', b.file ?? '');
}

/**
 * Keeps the elevation profile (`ActivityExtras.elevationProfile`) of the
 * hilliest activity only, and that of `profileActivityId`, dropping the
 * others as they arrive, so that an export of thousands of runs holds a
 * few profiles at a time (`ExtrasRequest.keepProfiles: 'hilliest'`).
 * Hilliest: most descent in metres, ties to the smaller id, then file;
 * only activities dated on or after `fromDate` compete. Twins (the same id
 * from two files) all keep theirs, since which of them survives
 * deduplication is decided later; {@link combineActivities} moves a profile
 * kept on a copy that is then left out to the kept copy.
 *
 * @example
 * const keeper = new HilliestProfileKeeper(null, null);
 * for (const entry of collected) keeper.consider(entry); // entry.extras lose their profile unless hilliest
 */
export class HilliestProfileKeeper {
  private best: { readonly descentM: number; readonly id: string; readonly file: string } | null = null;
  private holders: CollectedActivity[] = [];

  /**
   * @param fromDate Local date `YYYY-MM-DD` of the first activity that may be the hilliest, or `null` for any.
   * @param profileActivityId Id of an activity whose profile is always kept, or `null`.
   */
  constructor(
    private readonly fromDate: string | null = null,
    private readonly profileActivityId: string | null = null,
  ) {}

  /** Takes one more activity: drops its profile, or the profiles held so far when it is hillier. */
  consider(entry: CollectedActivity): void {
    if ((entry.extras?.elevationProfile ?? null) === null) return;
    const s = entry.summary;
    const descentM = s.elevation.descentM;
    const eligible =
      descentM !== null && Number.isFinite(descentM) && descentM > 0 && (this.fromDate === null || (s.localDate !== null && s.localDate >= this.fromDate));
    if (!eligible) {
      this.drop(entry);
      return;
    }
    const file = s.file ?? '';
    const best = this.best;
    const beats =
      best === null || descentM > best.descentM || (descentM === best.descentM && (compareText(s.id, best.id) || compareText(file, best.file)) < 0);
    if (best !== null && best.id === s.id) {
      this.holders.push(entry);
      if (beats) this.best = { descentM, id: s.id, file };
    } else if (beats) {
      for (const h of this.holders) this.drop(h);
      this.holders = [entry];
      this.best = { descentM, id: s.id, file };
    } else {
      this.drop(entry);
    }
  }

  private drop(entry: CollectedActivity): void {
    if (entry.extras === undefined || entry.summary.id === this.profileActivityId) return;
    entry.extras = { ...entry.extras, elevationProfile: null };
  }
}

/** Extras of an activity that came without any. */
function noExtras(activityId: string): ActivityExtras {
  return { activityId, cadenceHistogram: null, elevationProfile: null };
}

/**
 * Combines the summaries collected from a whole export (or any set of
 * files): sorted by start time, id and file; activities without a zone
 * (a treadmill TCX) take the zone of the activity nearest in time
 * (`zonesFromNeighbours`); the same activity reached twice counted once
 * (`deduplicateActivities`, the richest copy kept, and an elevation profile
 * kept only on a left-out copy moved to the kept one); `analyzeHistory`;
 * activities dated before 1990 or in the future get an `IMPLAUSIBLE_DATE`
 * quality note (they stay listed, out of the history); `evaluateRules`.
 * The result does not depend on the order of `collected`, which is not changed.
 *
 * @throws {StridewiseError} `INVALID_OPTION` for bad history or rule options.
 * @example
 * const collected = files.flatMap((f) => f.summaries.map((summary, i) => ({ summary, extras: f.extras[i] })));
 * const { summaries, history, findings, duplicates } = combineActivities(collected, { history: { timeZone: 'Europe/Zurich' } });
 * duplicates.length; // 1 when the same run was given as FIT and as GPX
 */
export function combineActivities(collected: readonly CollectedActivity[], options: CombineOptions = {}): CombinedActivities {
  const sorted = [...collected].sort(compareCollected);
  const zoned = zonesFromNeighbours(sorted.map((c) => c.summary));
  const all: CollectedActivity[] = sorted.map((c, i) => (zoned[i] === c.summary ? c : { summary: zoned[i]!, extras: c.extras }));
  const kept: CollectedActivity[] = [];
  const duplicates: ActivityDuplicate[] = [];
  if (options.deduplicate ?? options.history?.deduplicate ?? true) {
    const found = deduplicateActivities(all.map((c) => c.summary));
    found.keptIndices.forEach((index, k) => {
      const c = all[index]!;
      const summary = found.summaries[k]!;
      const extras = c.extras !== undefined && c.extras.activityId !== summary.id ? { ...c.extras, activityId: summary.id } : c.extras;
      kept.push({ summary, extras });
    });
    // a left-out copy may hold the only elevation profile kept (the hilliest): it moves to the kept copy
    const keptAt = new Map<string, number>();
    kept.forEach((c, k) => keptAt.set(c.summary.id, k));
    const byIdAndFile = new Map<string, CollectedActivity>();
    for (const c of all) byIdAndFile.set(`${c.summary.id}\u0000${c.summary.file ?? ''}`, c);
    for (const d of found.duplicates) {
      duplicates.push({ file: d.file ?? '', activityId: d.activityId, keptFile: d.keptFile ?? '', keptActivityId: d.keptActivityId, reason: d.reason });
      const k = keptAt.get(d.keptActivityId);
      const profile = byIdAndFile.get(`${d.activityId}\u0000${d.file ?? ''}`)?.extras?.elevationProfile ?? null;
      const target = k !== undefined ? kept[k]! : undefined;
      if (profile !== null && target?.extras !== undefined && target.extras.elevationProfile === null) {
        target.extras = { ...target.extras, elevationProfile: { ...profile, activityId: target.summary.id } };
      }
    }
  } else {
    const seen = new Map<string, number>();
    for (const c of all) {
      const count = (seen.get(c.summary.id) ?? 0) + 1;
      seen.set(c.summary.id, count);
      if (count === 1) kept.push(c);
      else {
        const id = `${c.summary.id}~${count}`;
        kept.push({ summary: { ...c.summary, id }, extras: c.extras !== undefined ? { ...c.extras, activityId: id } : undefined });
      }
    }
  }
  const history = analyzeHistory(
    kept.map((c) => c.summary),
    { ...options.history, deduplicate: false },
  );
  // activities dated before 1990 or in the future stay listed, with a warning, but out of the history
  const implausible = new Map((history.implausibleDates ?? []).map((d) => [d.activityId, d.reason]));
  const summaries = kept.map((c) => {
    const reason = implausible.get(c.summary.id);
    if (reason === undefined) return c.summary;
    const message = `${reason}: the date cannot be real, so the activity is left out of the training history`;
    return { ...c.summary, quality: [...c.summary.quality, { code: 'IMPLAUSIBLE_DATE', message }] };
  });
  const findings = evaluateRules(history, summaries, { ...options.rules, deduplicate: false });
  return { summaries, history, findings, duplicates, extras: kept.map((c) => c.extras ?? noExtras(c.summary.id)) };
}
