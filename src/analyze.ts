/**
 * One call from parsed activities to everything a report needs: each
 * activity summarised (with its bounded chart extras, computed while the
 * samples are in memory), the training history across them, and the
 * findings of the rules. Browser-safe: no Node built-ins (for files,
 * folders and archives in worker threads use `analyzeExport` from
 * `stridewise/node`, which returns the same shape).
 */
import type { Activity } from './activity.js';
import { activityExtrasOf, type ActivityExtras, type ExtrasRequest } from './analysis/extras.js';
import type { AnalysisOptions, HistoryOptions } from './analysis/options.js';
import { summarizeActivity } from './analysis/summarize.js';
import type { ActivitySummary, TrainingHistory } from './analysis/types.js';
import { combineActivities, HilliestProfileKeeper, type ActivityDuplicate, type CollectedActivity } from './combine.js';
import type { RuleOptions } from './rules/options.js';
import type { Finding } from './rules/types.js';

/** Options of {@link analyzeActivities}. All optional. */
export interface AnalyzeActivitiesOptions {
  /** Options of `summarizeActivity` (height in metres, time zone, thresholds). Default `{}`. */
  readonly analysis?: AnalysisOptions;
  /** Options of `analyzeHistory`. `timeZone` defaults to `analysis.timeZone`. Default `{}`. */
  readonly history?: HistoryOptions;
  /** Options of `evaluateRules` (thresholds, rules switched off, compiled custom rules). Default `{}`. */
  readonly rules?: RuleOptions;
  /**
   * Chart data per activity (see `ExtrasRequest`). Default: a cadence
   * histogram, the elevation profile of every run with descent, and the
   * run trace (cadence, pace, heart rate and elevation against distance,
   * per-km and per-mile splits) of every run.
   */
  readonly extras?: ExtrasRequest;
  /**
   * Count each activity once when it is given several times (the same file
   * twice, the same run as FIT and GPX, a watch and a phone recording: see
   * `deduplicateActivities`), keeping the richest copy. `false` keeps every
   * summary (ids made unique). Default `true`.
   */
  readonly deduplicate?: boolean;
}

/** What {@link analyzeActivities} returns; `extras[i]` belongs to `summaries[i]`. */
export interface ActivitiesAnalysis {
  /** One per distinct activity, sorted by start time (undated last), then id, then file. */
  readonly summaries: ActivitySummary[];
  readonly history: TrainingHistory;
  readonly findings: Finding[];
  /** Recordings left out because another copy of the same activity was kept. */
  readonly duplicates: ActivityDuplicate[];
  /** Bounded chart data per summary (a few thousand numbers at most each, never raw samples). */
  readonly extras: ActivityExtras[];
}

/** The extras {@link analyzeActivities} computes when none are named. */
export const DEFAULT_EXTRAS_REQUEST: ExtrasRequest = Object.freeze({ cadenceHistogram: true, elevationProfile: true, runTrace: true });

/**
 * Summarises every activity, then combines them exactly as `analyzeExport`
 * does (`combineActivities`: sorted, zones from neighbours, the same
 * activity counted once, training history, implausible dates noted, rules),
 * in one call: the same activities give the same result either way. The
 * result feeds `buildReport` directly. Pure apart from reading the
 * activities; the order of the input does not matter.
 *
 * @throws {StridewiseError} `INVALID_OPTION` for bad options (never for bad data).
 * @example
 * import { parseActivities, analyzeActivities, buildReport, renderText } from 'stridewise';
 * const activities = await parseActivities(bytes, { fileName: 'run.fit' });
 * const { summaries, history, findings, duplicates, extras } = analyzeActivities(activities, { analysis: { timeZone: 'Europe/Paris' } });
 * console.log(renderText(buildReport({ summaries, history, findings, duplicates, extras })));
 */
export function analyzeActivities(activities: readonly Activity[], options: AnalyzeActivitiesOptions = {}): ActivitiesAnalysis {
  const analysis = options.analysis ?? {};
  const request = options.extras ?? DEFAULT_EXTRAS_REQUEST;
  const keeper =
    request.keepProfiles === 'hilliest' ? new HilliestProfileKeeper(request.hilliestFromDate ?? null, request.profileActivityId ?? null) : null;
  const collected: CollectedActivity[] = [];
  for (const activity of activities) {
    const summary = summarizeActivity(activity, analysis);
    const entry: CollectedActivity = { summary, extras: activityExtrasOf(activity, summary, request) };
    keeper?.consider(entry);
    collected.push(entry);
  }
  return combineActivities(collected, {
    history: { ...(analysis.timeZone !== undefined ? { timeZone: analysis.timeZone } : {}), ...options.history },
    ...(options.rules !== undefined ? { rules: options.rules } : {}),
    ...(options.deduplicate !== undefined ? { deduplicate: options.deduplicate } : {}),
  });
}
