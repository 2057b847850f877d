/**
 * The analysis the command runs: every input goes through `analyzeExport`
 * (files parsed and summarised in a pool of workers, one per core, as many as memory allows, by
 * default), which hands back small summaries, a cadence histogram per
 * running activity and the elevation profile (at most 400 points) of the
 * hilliest run and of the `--profile-run` one, all computed in the workers
 * while the samples were in memory; then the reports are built from those.
 */
import type { ActivityExtras } from '../analysis/extras.js';
import { analyzeHistory, type ActivitySummary, type TrainingHistory } from '../analysis/index.js';
import { isStridewiseError } from '../errors.js';
import { analyzeExport, type ExportAnalysis, type ExportStats } from '../node/pipeline.js';
import {
  buildReport,
  compareText,
  mergeCadenceHistograms,
  type CadenceHistogram,
  type DuplicateActivity,
  type ElevationProfile,
  type FileError,
  type Report,
} from '../report/index.js';
import type { RuleOptions } from '../rules/index.js';

/** Everything the analysis needs, already validated. */
export interface AnalysisRequest {
  readonly paths: readonly string[];
  readonly heightM: number | null;
  readonly timeZone: string | null;
  readonly since: string | null;
  readonly until: string | null;
  readonly minCadenceSpm: number | null;
  readonly maxWeeklyIncreaseRatio: number | null;
  readonly ruleOptions: RuleOptions;
  readonly profileRun: string | null;
  /** Workers that parse and summarise files: a whole number ≥ 1 or `'auto'` (one per core, as many as memory allows). */
  readonly workers: number | 'auto';
  /** Class of activities whose sport is `generic` (no sport in the file); default `other`. */
  readonly unknownSportAs?: 'running' | 'walking' | 'other' | null;
  /** `--follow-links`: follow symbolic links out of the given folders. */
  readonly followLinks?: boolean;
  /** `--hr-max`: maximum heart rate, beats/min (heart-rate zones; TRIMP with the resting rate). */
  readonly maxHeartRateBpm?: number | null;
  /** `--hr-rest`: resting heart rate, beats/min. */
  readonly restingHeartRateBpm?: number | null;
  readonly generator: { readonly name: string; readonly version: string };
  readonly onProgress?: (done: number, total: number | undefined) => void;
}

/** The report and what the command needs to say about it. */
export interface AnalysisOutcome {
  readonly report: Report;
  /**
   * Why the run named by `--profile-run` is not the one profiled (the hilliest is shown instead):
   * `not-found` (no running activity with that id in the report) or `no-elevation`; `null` when it is.
   */
  readonly profileRunProblem: 'not-found' | 'no-elevation' | null;
  /** How the files were shared among workers; `null` when the pipeline itself failed. Never part of the report. */
  readonly stats: ExportStats | null;
}

/** Most points of the elevation profile drawn in the HTML report. */
const PROFILE_POINTS = 400;

function errorEntry(file: string, error: unknown): FileError {
  if (isStridewiseError(error)) return { file, code: error.code, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { file, code: 'INTERNAL', message: `unexpected failure: ${message}` };
}

function inRange(date: string | null, since: string | null, until: string | null): boolean {
  if (since === null && until === null) return true;
  if (date === null) return false;
  return (since === null || date >= since) && (until === null || date <= until);
}

/**
 * The `--profile-run` run's profile, or whether that run was not found or has no elevation. Without
 * `--profile-run` the report draws the running activity with the most descent, chosen by `buildReport`
 * from the extras (the same rule as the pipeline's `HilliestProfileKeeper`).
 */
function chooseProfile(
  shown: readonly { readonly summary: ActivitySummary; readonly extras: ActivityExtras | undefined }[],
  profileRun: string | null,
): { profile: ElevationProfile | undefined; problem: AnalysisOutcome['profileRunProblem'] } {
  if (profileRun === null) return { profile: undefined, problem: null };
  const run = shown.find(({ summary }) => summary.activityClass === 'running' && summary.id === profileRun);
  if (run === undefined) return { profile: undefined, problem: 'not-found' };
  const profile = run.extras?.elevationProfile ?? null;
  return profile !== null ? { profile: { ...profile, chosenBy: 'user' }, problem: null } : { profile: undefined, problem: 'no-elevation' };
}

/**
 * Runs the whole pipeline. Files that fail are recorded in `report.errors`;
 * the batch goes on.
 *
 * @example
 * const { report } = await runAnalysis({ paths: ['runs/'], ruleOptions: {}, workers: 'auto', ... });
 */
export async function runAnalysis(request: AnalysisRequest): Promise<AnalysisOutcome> {
  const analysis = {
    ...(request.heightM !== null ? { heightM: request.heightM } : {}),
    ...(request.timeZone !== null ? { timeZone: request.timeZone } : {}),
    ...(request.unknownSportAs != null ? { genericSportAs: request.unknownSportAs } : {}),
    ...(request.maxHeartRateBpm != null ? { maxHeartRateBpm: request.maxHeartRateBpm } : {}),
    ...(request.restingHeartRateBpm != null ? { restingHeartRateBpm: request.restingHeartRateBpm } : {}),
  };
  let result: ExportAnalysis | FileError;
  try {
    result = await analyzeExport(request.paths, {
      workers: request.workers,
      ...(request.followLinks === true ? { followLinks: true } : {}),
      analysis,
      rules: request.ruleOptions,
      extras: {
        cadenceHistogram: true,
        elevationProfile: true,
        elevationProfilePoints: PROFILE_POINTS,
        profileActivityId: request.profileRun,
        // only the profile the report can draw is kept: the hilliest run in the reported dates
        keepProfiles: 'hilliest',
        hilliestFromDate: request.since,
        // series and splits of every run (about 2 kB each) for the HTML run views
        runTrace: true,
        ...(request.maxHeartRateBpm != null ? { maxHeartRateBpm: request.maxHeartRateBpm } : {}),
      },
      ...(request.until !== null ? { until: request.until } : {}),
      ...(request.onProgress !== undefined ? { onProgress: request.onProgress } : {}),
    });
  } catch (error) {
    // A failure of the pipeline itself (not of one file): say what happened.
    result = errorEntry(request.paths.join(', '), error);
  }
  if (!('summaries' in result)) return failedOutcome(request, result);

  const { summaries: unique, history, findings, errors, duplicates } = result;
  const extras = result.extras ?? [];
  const inReport = (date: string | null): boolean => inRange(date, request.since, request.until);
  const shown = unique.map((summary, i) => ({ summary, extras: extras[i] })).filter((x) => inReport(x.summary.localDate));
  const shownSummaries = shown.map((x) => x.summary);
  const limited = request.since !== null || request.until !== null;
  const shownFindings = findings.filter((f) => {
    if (!limited) return true;
    if (f.date !== null) return inReport(f.date);
    if (f.week !== null) return weekOverlaps(f.week, request.since, request.until);
    return true; // about the whole history (e.g. shoes)
  });
  const shownHistory = restrictHistory(history, shownSummaries, request.since, request.until);
  const histogramList = shown
    .filter((x) => x.summary.activityClass === 'running')
    .map((x) => x.extras?.cadenceHistogram ?? null)
    .filter((h): h is CadenceHistogram => h !== null);
  const { profile, problem } = chooseProfile(shown, request.profileRun);
  const report = buildReport({
    summaries: shownSummaries,
    history: shownHistory,
    findings: shownFindings,
    errors,
    duplicates: limitedDuplicates(duplicates, shownSummaries),
    cadenceHistogram: mergeCadenceHistograms(histogramList),
    ...(profile !== undefined ? { elevationProfile: profile } : {}),
    extras: shown.map((x) => x.extras).filter((e): e is ActivityExtras => e !== undefined),
    settings: settingsOf(request),
    generator: request.generator,
  });
  return { report, profileRunProblem: problem, stats: result.stats };
}

function settingsOf(request: AnalysisRequest) {
  return {
    timeZone: request.timeZone,
    heightM: request.heightM,
    minCadenceSpm: request.minCadenceSpm,
    ...(request.maxWeeklyIncreaseRatio !== null ? { maxWeeklyIncreaseRatio: request.maxWeeklyIncreaseRatio } : {}),
    since: request.since,
    until: request.until,
  };
}

/** The report when the pipeline itself failed: no activity, the failure in `errors`. */
function failedOutcome(request: AnalysisRequest, error: FileError): AnalysisOutcome {
  const report = buildReport({
    summaries: [],
    history: analyzeHistory([], request.timeZone !== null ? { timeZone: request.timeZone } : {}),
    findings: [],
    errors: [error],
    duplicates: [],
    cadenceHistogram: null,
    elevationProfile: null,
    settings: settingsOf(request),
    generator: request.generator,
  });
  return { report, profileRunProblem: request.profileRun === null ? null : 'not-found', stats: null };
}

/** Duplicates of activities that are in the report (not of those only used as context). */
function limitedDuplicates(duplicates: readonly DuplicateActivity[], shown: readonly ActivitySummary[]): DuplicateActivity[] {
  const ids = new Set(shown.map((s) => s.id));
  return duplicates.filter((d) => ids.has(d.keptActivityId));
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function weekOverlaps(weekStart: string, since: string | null, until: string | null): boolean {
  const weekEnd = addDays(weekStart, 6);
  return (since === null || weekEnd >= since) && (until === null || weekStart <= until);
}

/** The history limited to the reported dates (activities before `--since` only gave context). */
function restrictHistory(
  history: TrainingHistory,
  shown: readonly ActivitySummary[],
  since: string | null,
  until: string | null,
): TrainingHistory {
  if (since === null && until === null) return history;
  const dates = shown.map((s) => s.localDate).filter((d): d is string => d !== null).sort(compareText);
  const weeks = history.weeks.filter((w) => weekOverlaps(w.weekStart, since, until));
  return {
    ...history,
    firstDate: dates[0] ?? null,
    lastDate: dates[dates.length - 1] ?? null,
    weeks,
    sessions: history.sessions.filter((s) => inRange(s.localDate, since, until)),
    breaks: history.breaks.filter((b) => (since === null || b.to >= since) && (until === null || b.from <= until)),
  };
}
