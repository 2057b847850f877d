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
import { analyzeHistory } from './analysis/history.js';
import type { AnalysisOptions, HistoryOptions } from './analysis/options.js';
import { summarizeActivity } from './analysis/summarize.js';
import type { ActivitySummary, TrainingHistory } from './analysis/types.js';
import { evaluateRules } from './rules/index.js';
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
}

/** What {@link analyzeActivities} returns; `extras[i]` belongs to `summaries[i]`. */
export interface ActivitiesAnalysis {
  /** One per activity, sorted by start time (undated last), then id. The same id twice is kept once. */
  readonly summaries: ActivitySummary[];
  readonly history: TrainingHistory;
  readonly findings: Finding[];
  /** Bounded chart data per summary (a few thousand numbers at most each, never raw samples). */
  readonly extras: ActivityExtras[];
}

/** The extras {@link analyzeActivities} computes when none are named. */
export const DEFAULT_EXTRAS_REQUEST: ExtrasRequest = Object.freeze({ cadenceHistogram: true, elevationProfile: true, runTrace: true });

function compareStart(a: ActivitySummary, b: ActivitySummary): number {
  const x = a.startTime ?? '~';
  const y = b.startTime ?? '~';
  return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Summarises every activity, builds the training history and evaluates the
 * rules, in one call. The result feeds `buildReport` directly. Pure apart
 * from reading the activities; the order of the input does not matter.
 *
 * @throws {StridewiseError} `INVALID_OPTION` for bad options (never for bad data).
 * @example
 * import { parseActivities, analyzeActivities, buildReport, renderText } from 'stridewise';
 * const activities = await parseActivities(bytes, { fileName: 'run.fit' });
 * const { summaries, history, findings, extras } = analyzeActivities(activities, { analysis: { timeZone: 'Europe/Paris' } });
 * console.log(renderText(buildReport({ summaries, history, findings, extras })));
 */
export function analyzeActivities(activities: readonly Activity[], options: AnalyzeActivitiesOptions = {}): ActivitiesAnalysis {
  const analysis = options.analysis ?? {};
  const request = options.extras ?? DEFAULT_EXTRAS_REQUEST;
  const pairs: { summary: ActivitySummary; extras: ActivityExtras }[] = [];
  const seen = new Set<string>();
  for (const activity of activities) {
    const summary = summarizeActivity(activity, analysis);
    if (seen.has(summary.id)) continue;
    seen.add(summary.id);
    pairs.push({ summary, extras: activityExtrasOf(activity, summary, request) });
  }
  pairs.sort((a, b) => compareStart(a.summary, b.summary));
  const summaries = pairs.map((p) => p.summary);
  const history = analyzeHistory(summaries, {
    ...(analysis.timeZone !== undefined ? { timeZone: analysis.timeZone } : {}),
    ...options.history,
  });
  const findings = evaluateRules(history, summaries, options.rules ?? {});
  return { summaries, history, findings, extras: pairs.map((p) => p.extras) };
}
