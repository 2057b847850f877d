/**
 * The analysis the command runs: load every input, summarise each activity
 * while its samples are in memory (keeping only small summaries, a cadence
 * histogram and the elevation profile of one run), then the training
 * history, the rules and the reports.
 */
import type { Activity } from '../activity.js';
import { analyzeHistory, summarizeActivity, type ActivitySummary, type TrainingHistory } from '../analysis/index.js';
import { isStridewiseError } from '../errors.js';
import { loadActivities } from '../node/load.js';
import {
  buildReport,
  cadenceHistogramOf,
  compareText,
  elevationProfileOf,
  mergeCadenceHistograms,
  type CadenceHistogram,
  type DuplicateActivity,
  type ElevationProfile,
  type FileError,
  type Report,
} from '../report/index.js';
import { evaluateRules, type RuleOptions } from '../rules/index.js';

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
}

interface ProfileCandidate {
  readonly id: string;
  readonly file: string;
  readonly descentM: number;
  readonly profile: ElevationProfile;
}

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

/** Beats: more descent, or equal descent and a smaller id, then file (independent of reading order). */
function beats(descentM: number, id: string, file: string, current: ProfileCandidate | null): boolean {
  if (current === null || descentM > current.descentM) return true;
  return descentM === current.descentM && (compareText(id, current.id) || compareText(file, current.file)) < 0;
}

function keyOf(summary: ActivitySummary): string {
  return `${summary.id}\u0000${summary.file ?? ''}`;
}

/**
 * Runs the whole pipeline. Files that fail are recorded in `report.errors`;
 * the batch goes on.
 *
 * @example
 * const { report } = await runAnalysis({ paths: ['runs/'], ruleOptions: {}, ... });
 */
export async function runAnalysis(request: AnalysisRequest): Promise<AnalysisOutcome> {
  const summaries: ActivitySummary[] = [];
  const errors: FileError[] = [];
  const histograms = new Map<string, CadenceHistogram>();
  const picked: { hilliest: ProfileCandidate | null; chosen: ElevationProfile | null; chosenSeen: boolean } = {
    hilliest: null,
    chosen: null,
    chosenSeen: false,
  };
  const analysisOptions = {
    ...(request.heightM !== null ? { heightM: request.heightM } : {}),
    ...(request.timeZone !== null ? { timeZone: request.timeZone } : {}),
  };

  const considerActivity = (activity: Activity, file: string): void => {
    let summary: ActivitySummary;
    try {
      summary = summarizeActivity(activity, analysisOptions);
    } catch (error) {
      errors.push(errorEntry(activity.source.fileName ?? file, error));
      return;
    }
    if (request.until !== null && (summary.localDate === null || summary.localDate > request.until)) return;
    summaries.push(summary);
    if (!inRange(summary.localDate, request.since, request.until)) return; // context only
    if (summary.activityClass !== 'running') return;
    histograms.set(keyOf(summary), cadenceHistogramOf(activity));
    if (request.profileRun !== null && summary.id === request.profileRun) {
      picked.chosenSeen = true;
      picked.chosen = elevationProfileOf(activity, { chosenBy: 'user' });
    }
    const descentM = summary.elevation.descentM;
    if (descentM !== null && Number.isFinite(descentM) && descentM > 0 && beats(descentM, summary.id, summary.file ?? '', picked.hilliest)) {
      const profile = elevationProfileOf(activity);
      if (profile !== null) picked.hilliest = { id: summary.id, file: summary.file ?? '', descentM, profile };
    }
  };

  const paths = [...request.paths];
  try {
    for await (const loaded of loadActivities(paths, request.onProgress ? { onProgress: request.onProgress } : {})) {
      if (loaded.error !== undefined) errors.push({ file: loaded.path, code: loaded.error.code, message: loaded.error.message });
      for (const activity of loaded.activities) considerActivity(activity, loaded.path);
    }
  } catch (error) {
    // A failure of the loader itself (not of one file): keep what was read, say what happened.
    errors.push(errorEntry(paths.join(', '), error));
  }

  // Same order whatever order the files were read in.
  const ordered = [...summaries].sort(
    (a, b) => compareText(a.startTime ?? '~', b.startTime ?? '~') || compareText(a.id, b.id) || compareText(a.file ?? '', b.file ?? ''),
  );
  // The same activity reached twice (a file given twice, or the same run in two exports) counts once.
  const unique: ActivitySummary[] = [];
  const duplicates: DuplicateActivity[] = [];
  for (const s of ordered) {
    const kept = unique[unique.length - 1];
    if (kept !== undefined && kept.id === s.id) duplicates.push({ file: s.file ?? '', activityId: s.id, keptFile: kept.file ?? '' });
    else unique.push(s);
  }
  const history = analyzeHistory(unique, request.timeZone !== null ? { timeZone: request.timeZone } : {});
  const findings = evaluateRules(history, unique, request.ruleOptions);

  const inReport = (date: string | null): boolean => inRange(date, request.since, request.until);
  const shownSummaries = unique.filter((s) => inReport(s.localDate));
  const limited = request.since !== null || request.until !== null;
  const shownFindings = findings.filter((f) => {
    if (!limited) return true;
    if (f.date !== null) return inReport(f.date);
    if (f.week !== null) return weekOverlaps(f.week, request.since, request.until);
    return true; // about the whole history (e.g. shoes)
  });
  const shownHistory = restrictHistory(history, shownSummaries, request.since, request.until);
  const histogramList = shownSummaries.map((s) => histograms.get(keyOf(s))).filter((h): h is CadenceHistogram => h !== undefined);
  const report = buildReport({
    summaries: shownSummaries,
    history: shownHistory,
    findings: shownFindings,
    errors,
    duplicates: limitedDuplicates(duplicates, shownSummaries),
    cadenceHistogram: mergeCadenceHistograms(histogramList),
    elevationProfile: picked.chosen ?? picked.hilliest?.profile ?? null,
    settings: {
      timeZone: request.timeZone,
      heightM: request.heightM,
      minCadenceSpm: request.minCadenceSpm,
      ...(request.maxWeeklyIncreaseRatio !== null ? { maxWeeklyIncreaseRatio: request.maxWeeklyIncreaseRatio } : {}),
      since: request.since,
      until: request.until,
    },
    generator: request.generator,
  });
  const profileRunProblem =
    request.profileRun === null || picked.chosen !== null ? null : picked.chosenSeen ? ('no-elevation' as const) : ('not-found' as const);
  return { report, profileRunProblem };
}

/** Duplicates of activities that are in the report (not of those only used as context). */
function limitedDuplicates(duplicates: readonly DuplicateActivity[], shown: readonly ActivitySummary[]): DuplicateActivity[] {
  const ids = new Set(shown.map((s) => s.id));
  return duplicates.filter((d) => ids.has(d.activityId));
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
