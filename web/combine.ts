/**
 * From per-file results to the report, in the page: the same steps, in the
 * same order, as the command (`analyzeExport` then `runAnalysis` without
 * `--since`, `--until` or `--profile-run`): the collected summaries combined
 * by the core's `combineActivities` (the very function `analyzeExport` ends
 * with), the cadence histograms of the runs merged in report order, the
 * elevation profile of the run with the most descent, then `buildReport`
 * with every run's extras (the run views of the HTML report). The browser
 * test checks that the page's JSON equals the command's for the same files.
 */
import type { CadenceHistogram } from '../src/analysis/extras.js';
import { combineActivities, type CollectedActivity } from '../src/combine.js';
import type { ErrorCode } from '../src/errors.js';
import { mergeCadenceHistograms } from '../src/report/extras.js';
import { buildReport, type ReportSettings, type Report } from '../src/report/model.js';
import type { RuleOptions } from '../src/rules/options.js';

export type { CollectedActivity } from '../src/combine.js';

/** A file that gave no summaries. */
export interface CollectedError {
  readonly file: string;
  readonly code: ErrorCode;
  readonly message: string;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What {@link combineReport} needs besides the collected files. */
export interface ReportOptions {
  /** IANA zone of dates and weeks, or `null` for each file's own offset. */
  readonly timeZone: string | null;
  readonly ruleOptions: RuleOptions;
  /** The report's `settings` (as the command's `--height`, `--min-cadence`, `--max-weekly-increase`, `--tz`). */
  readonly settings: ReportSettings;
  readonly generator: { readonly name: string; readonly version: string };
}

/**
 * The report of everything collected: duplicates counted once, history and
 * rules, the merged cadence histogram, the hilliest run's profile and the
 * run views.
 *
 * @example const report = combineReport(collected, errors, { timeZone: 'Europe/Zurich', ruleOptions: {}, settings, generator });
 */
export function combineReport(collected: readonly CollectedActivity[], errors: readonly CollectedError[], options: ReportOptions): Report {
  const { summaries, history, findings, duplicates, extras } = combineActivities(collected, {
    history: options.timeZone !== null ? { timeZone: options.timeZone } : {},
    rules: options.ruleOptions,
  });
  const histograms = summaries
    .map((s, i) => (s.activityClass === 'running' ? (extras[i]!.cadenceHistogram ?? null) : null))
    .filter((h): h is CadenceHistogram => h !== null);
  return buildReport({
    summaries,
    history,
    findings,
    errors: [...errors].sort((a, b) => compareText(a.file, b.file) || compareText(a.code, b.code) || compareText(a.message, b.message)),
    duplicates,
    cadenceHistogram: mergeCadenceHistograms(histograms),
    // the elevation profile: buildReport's default from the extras, the running activity with the most descent (as the command's)
    extras,
    settings: options.settings,
    generator: options.generator,
  });
}
