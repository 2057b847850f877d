/**
 * From per-file results to the report, in the page: the same steps, in the
 * same order, as the command (`analyzeExport` then `runAnalysis` without
 * `--since`, `--until` or `--profile-run`): summaries sorted by start time,
 * id and file; the same activity found twice counted once; training history
 * and rules over the kept summaries; the cadence histograms of the runs
 * merged and the elevation profile of the run with the most descent; then
 * `buildReport`. Those two command functions read files and start worker
 * threads (Node-only), so their few pure steps are restated here over the
 * same core functions; the browser test checks that the page's JSON equals
 * the command's for the same files.
 */
import type { ActivityExtras } from '../src/analysis/extras.js';
import { deduplicateActivities } from '../src/analysis/duplicates.js';
import { analyzeHistory } from '../src/analysis/history.js';
import { zonesFromNeighbours } from '../src/analysis/zone.js';
import type { ActivitySummary } from '../src/analysis/types.js';
import type { ErrorCode } from '../src/errors.js';
import { buildReport, type ReportSettings, type Report } from '../src/report/model.js';
import { mergeCadenceHistograms } from '../src/report/extras.js';
import type { CadenceHistogram, ElevationProfile } from '../src/analysis/extras.js';
import { evaluateRules } from '../src/rules/index.js';
import type { RuleOptions } from '../src/rules/options.js';

/** A summary from one file, with the chart extras computed beside it. */
export interface CollectedActivity {
  readonly summary: ActivitySummary;
  /** Replaced (profile dropped) when another run turns out hillier. */
  extras: ActivityExtras | undefined;
}

/** A file that gave no summaries. */
export interface CollectedError {
  readonly file: string;
  readonly code: ErrorCode;
  readonly message: string;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Keeps the elevation profile of the hilliest run only, dropping the others
 * as they arrive (twins with the same id all keep theirs until deduplication).
 *
 * @example const keeper = new HilliestKeeper(); for (const c of collected) keeper.consider(c);
 */
export class HilliestKeeper {
  private best: { readonly descentM: number; readonly id: string; readonly file: string } | null = null;
  private holders: CollectedActivity[] = [];

  consider(entry: CollectedActivity): void {
    if ((entry.extras?.elevationProfile ?? null) === null) return;
    const s = entry.summary;
    const descentM = s.elevation.descentM;
    if (descentM === null || !Number.isFinite(descentM) || descentM <= 0) {
      drop(entry);
      return;
    }
    const file = s.file ?? '';
    const best = this.best;
    const beats = best === null || descentM > best.descentM || (descentM === best.descentM && (compareText(s.id, best.id) || compareText(file, best.file)) < 0);
    if (best !== null && best.id === s.id) {
      this.holders.push(entry);
      if (beats) this.best = { descentM, id: s.id, file };
    } else if (beats) {
      for (const h of this.holders) drop(h);
      this.holders = [entry];
      this.best = { descentM, id: s.id, file };
    } else drop(entry);
  }
}

function drop(entry: CollectedActivity): void {
  if (entry.extras !== undefined) entry.extras = { ...entry.extras, elevationProfile: null };
}

/** Start time (undated last), id, file: independent of reading order. */
function compareCollected(x: CollectedActivity, y: CollectedActivity): number {
  const a = x.summary;
  const b = y.summary;
  return compareText(a.startTime ?? '~', b.startTime ?? '~') || compareText(a.id, b.id) || compareText(a.file ?? '', b.file ?? '');
}

/** What {@link combineReport} needs besides the collected files. */
export interface CombineOptions {
  /** IANA zone of dates and weeks, or `null` for each file's own offset. */
  readonly timeZone: string | null;
  readonly ruleOptions: RuleOptions;
  /** The report's `settings` (as the command's `--height`, `--min-cadence`, `--max-weekly-increase`, `--tz`). */
  readonly settings: ReportSettings;
  readonly generator: { readonly name: string; readonly version: string };
}

/**
 * The report of everything collected: duplicates counted once, history and
 * rules, the merged cadence histogram and the hilliest run's profile.
 *
 * @example const report = combineReport(collected, errors, { timeZone: 'Europe/Zurich', ruleOptions: {}, settings, generator });
 */
export function combineReport(collected: CollectedActivity[], errors: readonly CollectedError[], options: CombineOptions): Report {
  const sorted = [...collected].sort(compareCollected);
  const zoned = zonesFromNeighbours(sorted.map((c) => c.summary));
  const found = deduplicateActivities(zoned);
  const kept: CollectedActivity[] = found.keptIndices.map((index, k) => ({ summary: found.summaries[k]!, extras: sorted[index]!.extras }));
  const duplicates = found.duplicates.map((d) => ({ file: d.file ?? '', activityId: d.activityId, keptFile: d.keptFile ?? '', keptActivityId: d.keptActivityId, reason: d.reason }));
  const history = analyzeHistory(kept.map((c) => c.summary), { ...(options.timeZone !== null ? { timeZone: options.timeZone } : {}), deduplicate: false });
  const implausible = new Map((history.implausibleDates ?? []).map((d) => [d.activityId, d.reason]));
  const summaries = kept.map((c) => {
    const reason = implausible.get(c.summary.id);
    if (reason === undefined) return c.summary;
    const message = `${reason}: the date cannot be real, so the activity is left out of the training history`;
    return { ...c.summary, quality: [...c.summary.quality, { code: 'IMPLAUSIBLE_DATE', message }] };
  });
  const findings = evaluateRules(history, summaries, { ...options.ruleOptions, deduplicate: false });
  const histograms = kept
    .filter((c) => c.summary.activityClass === 'running')
    .map((c) => c.extras?.cadenceHistogram ?? null)
    .filter((h): h is CadenceHistogram => h !== null);
  return buildReport({
    summaries,
    history,
    findings,
    errors: [...errors].sort((a, b) => compareText(a.file, b.file) || compareText(a.code, b.code) || compareText(a.message, b.message)),
    duplicates,
    cadenceHistogram: mergeCadenceHistograms(histograms),
    elevationProfile: hilliestProfile(kept),
    settings: options.settings,
    generator: options.generator,
  });
}

/** The running activity with the most descent that has a profile (ties: smaller id, then file). */
function hilliestProfile(kept: readonly CollectedActivity[]): ElevationProfile | null {
  let best: { descentM: number; id: string; file: string; profile: ElevationProfile } | null = null;
  for (const { summary, extras } of kept) {
    if (summary.activityClass !== 'running') continue;
    const profile = extras?.elevationProfile ?? null;
    const descentM = summary.elevation.descentM;
    if (profile === null || descentM === null || !Number.isFinite(descentM) || descentM <= 0) continue;
    const file = summary.file ?? '';
    if (best === null || descentM > best.descentM || (descentM === best.descentM && (compareText(summary.id, best.id) || compareText(file, best.file)) < 0)) {
      best = { descentM, id: summary.id, file, profile };
    }
  }
  return best?.profile ?? null;
}
