/**
 * `analyzeExport`: a whole export (files, folders, zips) from disk to
 * summaries, training history and findings, with files parsed and
 * summarised in workers (child processes or threads) and only the small
 * summaries kept (plus, on request, small per-activity chart extras).
 */
import type { Activity } from '../activity.js';
import type { ActivityExtras, ExtrasRequest } from '../analysis/extras.js';
import type { AnalysisOptions, HistoryOptions } from '../analysis/options.js';
import type { ActivitySummary, TrainingHistory } from '../analysis/types.js';
import { combineActivities, HilliestProfileKeeper, type ActivityDuplicate, type CollectedActivity } from '../combine.js';
import { type ErrorCode, StridewiseError } from '../errors.js';
import { capLength } from '../labels.js';
import type { ParseOptions } from '../parse/index.js';
import type { ParseLimits } from '../parse/limits.js';
import type { CadenceUnitOption } from '../parse/cadence.js';
import type { RuleOptions } from '../rules/options.js';
import type { Finding } from '../rules/types.js';
import type { ArchiveLimits } from './limits.js';
import { loadActivities, type ParseFunction } from './load.js';
import type { ProgressCallback } from './progress.js';
import { resolveWorkerCount, SummaryPool, type WorkerIsolation } from './workers.js';
import type { ExportMetadata } from './garmin.js';

/** Options of {@link analyzeExport}. */
export interface ExportOptions {
  /**
   * Workers that parse and summarise files: a whole number ≥ 1, or `'auto'`
   * (one per core, as many as fit in half the memory at `workerHeapMb`
   * + 768 MiB each; see `autoWorkerCount`). With 1 every file is read in the calling
   * thread; above 1 workers are started as files arrive, up to this many.
   * Results are the same whatever the number. Default `'auto'`.
   */
  readonly workers?: number | 'auto';
  /**
   * What a worker is: `'threads'` (`worker_threads` in this process; bytes
   * are transferred, not copied) or `'processes'` (forked child processes,
   * each with its own V8 heap; the peak RSS is then spread over several
   * processes). Results are the same either way. Default `'threads'`.
   */
  readonly isolation?: WorkerIsolation;
  /**
   * Heap limit of each worker in MiB (a whole number ≥ 16): a file whose
   * reading goes over it fails with code `OUT_OF_MEMORY`, its worker is
   * replaced and the batch goes on. Also sizes `workers: 'auto'`.
   * Default 1024 (`DEFAULT_WORKER_HEAP_MB`).
   */
  readonly workerHeapMb?: number;
  /**
   * Small per-activity chart data computed in the workers beside each
   * summary, while the samples are in memory (cadence histogram, elevation
   * profile of at most `elevationProfilePoints` points; see
   * `activityExtrasOf`), returned in {@link ExportAnalysis.extras}. No
   * samples cross the worker boundary. Default: none.
   */
  readonly extras?: ExtrasRequest;
  /**
   * Last local date (`YYYY-MM-DD`, in `analysis.timeZone` or the file's
   * offset) to analyse: later activities, and undated ones, are left out
   * before duplicates, history and rules, as if not in the export.
   * Default: no limit.
   */
  readonly until?: string;
  /** Options of `summarizeActivity` (applied in every worker). Default `{}`. */
  readonly analysis?: AnalysisOptions;
  /** Options of `analyzeHistory`. `timeZone` defaults to `analysis.timeZone`. Default `{}`. */
  readonly history?: HistoryOptions;
  /** Options of `evaluateRules` (custom rules compiled with `compileCustomRules`). Default `{}`. */
  readonly rules?: RuleOptions;
  /** Cadence unit of the files. Default `'auto'` (detected per activity, card C0). */
  readonly cadenceUnit?: CadenceUnitOption;
  /** Parser input limits per file; unspecified fields keep `DEFAULT_PARSE_LIMITS`. */
  readonly limits?: Partial<ParseLimits>;
  /** Archive safety limits; unspecified fields keep `DEFAULT_ARCHIVE_LIMITS`. */
  readonly archiveLimits?: Partial<ArchiveLimits>;
  /** Leave out files that hold no activity (`NOT_AN_ACTIVITY`: wellness FIT files) instead of listing them in `errors`. Default `false`. */
  readonly skipNonActivities?: boolean;
  /** Follow symbolic links out of the given folders (as `loadActivities`). Default `false`. */
  readonly followLinks?: boolean;
  /** Called after each file with files done and, when known, the total (as `loadActivities`). */
  readonly onProgress?: ProgressCallback;
  /**
   * Stops the analysis: the promise rejects with the signal's reason within
   * moments, busy workers are terminated mid-file and every worker is
   * stopped. With one worker (files read in the calling thread) the signal
   * is checked between stages of a file (after the parse, after each
   * activity's summary), so a long parse finishes before the abort is seen.
   */
  readonly signal?: AbortSignal;
  /**
   * Time budget of one file in milliseconds: a file still being read after
   * it fails with code `TIMEOUT` (its worker is terminated and replaced) and
   * the batch goes on. In the calling thread (`workers: 1`) it is checked
   * between stages, so a single parse is not cut short. Default 600,000
   * (10 minutes: real files take seconds at most); `Infinity` for none.
   */
  readonly fileTimeoutMs?: number;
  /**
   * Count each activity once when it is reached several times (the same file twice, the same run as
   * FIT and GPX, a watch and a phone recording of one run: see `deduplicateActivities`), keeping the
   * richest copy. `false` keeps every summary (ids made unique). Default `true`.
   */
  readonly deduplicate?: boolean;
}

/** A file that gave no summaries, and why. */
export interface ExportFileError {
  /** Path as given, or `export.zip!inner/path` for an archive entry. */
  readonly file: string;
  /** Stable {@link ErrorCode}. */
  readonly code: ErrorCode;
  /** Human explanation. */
  readonly message: string;
}

/** A recording of an activity already kept, left out (counted once); `file` and `keptFile` as in {@link ExportFileError.file}. */
export type ExportDuplicate = ActivityDuplicate;

/** How the work was shared out. Varies with the machine; everything else in {@link ExportAnalysis} does not. */
export interface ExportStats {
  /** Threads asked for (after resolving `'auto'`). */
  readonly workersRequested: number;
  /** How workers were isolated (see {@link ExportOptions.isolation}). */
  readonly isolation: WorkerIsolation;
  /** Workers actually started; 0 when every file was read in the calling thread. */
  readonly workersStarted: number;
  /** Why files were read in the calling thread although more than one worker was asked for; null otherwise. */
  readonly fallbackReason: string | null;
  /** Files found (including those with errors). */
  readonly files: number;
  /** Per file that was parsed: the worker that summarised it (0 = the calling thread, else a thread id or process id) and its activity count. */
  readonly byFile: readonly { readonly file: string; readonly workerId: number; readonly activities: number }[];
}

/** Result of {@link analyzeExport}: plain JSON, no per-sample data. */
export interface ExportAnalysis {
  /** One per distinct activity id, ordered by start time, then id, then file (undated last). */
  readonly summaries: ActivitySummary[];
  readonly history: TrainingHistory;
  /** In `evaluateRules` order. */
  readonly findings: Finding[];
  /**
   * Per failed file, in code-point order of `file` (so the order of entries
   * in an archive does not change the result). `file` and `message` are cut
   * to `MAX_ERROR_TEXT_CHARS` characters; past `MAX_EXPORT_ERRORS`
   * entries one last entry counts the rest.
   */
  readonly errors: ExportFileError[];
  /** Recordings left out because another copy of the same activity was kept, in the order of the kept copies in {@link ExportAnalysis.summaries}. */
  readonly duplicates: ExportDuplicate[];
  /**
   * Only when {@link ExportOptions.extras} was given: one per summary, same
   * order (`extras[i].activityId === summaries[i].id`), from the same file
   * as the summary.
   */
  readonly extras?: ActivityExtras[];
  readonly stats: ExportStats;
}

/**
 * Most entries in {@link ExportAnalysis.errors}: past it the first ones in
 * path order are kept and one last entry counts the rest. A Garmin export
 * holds a few thousand files without an activity; an archive may name a
 * million entries, which as a list would not fit in one report.
 */
export const MAX_EXPORT_ERRORS = 100_000;
/** Longest `file` and `message` of an {@link ExportFileError}, in characters (longer ones keep start and end around `…`). */
export const MAX_ERROR_TEXT_CHARS = 1_024;

/**
 * The errors, each text capped, at most `MAX_EXPORT_ERRORS` of them
 * (the first in path order); kept bounded as they arrive so that memory does
 * not grow with the number of failed entries.
 */
class ErrorList {
  private list: ExportFileError[] = [];
  private omitted = 0;
  private readonly omittedByCode = new Map<ErrorCode, number>();

  add(file: string, code: ErrorCode, message: string): void {
    this.list.push({ file: capLength(file, MAX_ERROR_TEXT_CHARS), code, message: capLength(message, MAX_ERROR_TEXT_CHARS) });
    if (this.list.length >= 2 * MAX_EXPORT_ERRORS) this.prune();
  }

  private prune(): void {
    this.list.sort(compareErrors);
    for (const e of this.list.splice(MAX_EXPORT_ERRORS)) {
      this.omitted++;
      this.omittedByCode.set(e.code, (this.omittedByCode.get(e.code) ?? 0) + 1);
    }
  }

  /** Sorted by file, code, message; a last entry counts what was left out. */
  finish(): ExportFileError[] {
    this.prune();
    if (this.omitted === 0) return this.list;
    const codes = [...this.omittedByCode.entries()].sort((a, b) => b[1] - a[1] || compareText(a[0], b[0]));
    return [
      ...this.list,
      {
        file: `(${this.omitted} more files)`,
        code: codes[0]![0],
        message: `${this.omitted} more files gave no activity (${codes.map(([c, n]) => `${n} ${c}`).join(', ')}); only the first ${MAX_EXPORT_ERRORS} in path order are listed`,
      },
    ];
  }
}

function compareErrors(a: ExportFileError, b: ExportFileError): number {
  return compareText(a.file, b.file) || compareText(a.code, b.code) || compareText(a.message, b.message);
}

const SUMMARY = Symbol('stridewise.summary');
const EXTRAS = Symbol('stridewise.extras');

/**
 * What the parse stage hands back to the loader in place of an activity: the
 * summary, plus `name` and `gear` where the loader writes a Strava CSV's
 * values (it spreads each returned object, which keeps symbol keys).
 */
interface SummaryCarrier {
  readonly name?: string;
  readonly gear?: string;
  readonly [SUMMARY]: ActivitySummary;
  readonly [EXTRAS]: ActivityExtras | undefined;
}

function toCarrier(summary: ActivitySummary, extras: ActivityExtras | undefined): SummaryCarrier {
  return {
    ...(summary.name !== null ? { name: summary.name } : {}),
    ...(summary.gear !== null ? { gear: summary.gear } : {}),
    [SUMMARY]: summary,
    [EXTRAS]: extras,
  };
}

/** The carried summary with the name and gear as the loader left them. */
function fromCarrier(carrier: SummaryCarrier): ActivitySummary {
  const s = carrier[SUMMARY];
  const name = carrier.name ?? null;
  const gear = carrier.gear ?? null;
  return name === s.name && gear === s.gear ? s : { ...s, name, gear };
}

/** A real calendar date written `YYYY-MM-DD`. */
function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Analyses a whole export: every FIT, GPX and TCX file in the given files,
 * folders and zip archives (a Garmin or Strava export as downloaded) goes
 * through parse → `summarizeActivity` in workers (child processes or
 * worker threads, one per core by default, as many as memory allows), and only the
 * summaries come back: samples are dropped as soon as each activity is
 * summarised, so memory stays bounded by a few files at a time whatever the
 * export's size. Then `analyzeHistory` and `evaluateRules` run on the
 * summaries.
 *
 * Files are listed and read in the calling thread (through
 * `loadActivities`, so zip entries are streamed, never unpacked to disk);
 * their bytes are sent to the workers. The result is the same for
 * any worker count: summaries are sorted by start time, id and file, and the
 * same activity found twice (a file given twice, the same run in two
 * exports) counts once. A file that fails is listed in `errors` and the
 * batch goes on.
 *
 * @throws {StridewiseError} `INVALID_OPTION` for a bad `workers` value or bad
 * rule options; the signal's reason when aborted. Never for a bad file.
 * @example
 * import { analyzeExport } from 'stridewise/node';
 * const { summaries, history, findings, errors } = await analyzeExport(['export.zip'], {
 *   workers: 'auto',
 *   analysis: { heightM: 1.78, timeZone: 'Europe/Zurich' },
 *   onProgress: (done, total) => console.log(`${done}/${total ?? '?'}`),
 * });
 * for (const f of findings) console.log(f.date, f.severity, f.message);
 * errors.length; // 0 (every file was read)
 *
 * // chart data computed in the workers beside each summary (no samples cross back)
 * const { extras } = await analyzeExport('export.zip', { extras: { cadenceHistogram: true, elevationProfile: true, keepProfiles: 'hilliest' } });
 * const hilliest = extras?.find((e) => e.elevationProfile !== null)?.elevationProfile;
 * hilliest?.distanceM.length; // ≤ 400
 */
export async function analyzeExport(paths: string | readonly string[], options: ExportOptions = {}): Promise<ExportAnalysis> {
  const workersRequested = resolveWorkerCount(options.workers, options.workerHeapMb);
  const analysis: AnalysisOptions = options.analysis ?? {};
  const historyOptions: HistoryOptions = {
    ...(analysis.timeZone !== undefined ? { timeZone: analysis.timeZone } : {}),
    ...options.history,
  };
  const until = options.until;
  if (until !== undefined && !isIsoDate(until)) {
    throw new StridewiseError('INVALID_OPTION', `until must be a date as YYYY-MM-DD, got ${JSON.stringify(until)}`);
  }
  const extrasRequest = options.extras;
  const from = extrasRequest?.hilliestFromDate;
  if (from !== undefined && from !== null && !isIsoDate(from)) {
    throw new StridewiseError('INVALID_OPTION', `extras.hilliestFromDate must be a date as YYYY-MM-DD, got ${JSON.stringify(from)}`);
  }
  const keep = extrasRequest?.keepProfiles;
  if (keep !== undefined && keep !== 'all' && keep !== 'hilliest') {
    throw new StridewiseError('INVALID_OPTION', `extras.keepProfiles must be 'all' or 'hilliest', got ${String(keep)}`);
  }
  const points = extrasRequest?.elevationProfilePoints;
  if (points !== undefined && (!Number.isInteger(points) || points < 2 || points > 10_000)) {
    throw new StridewiseError('INVALID_OPTION', `extras.elevationProfilePoints must be a whole number from 2 to 10000, got ${String(points)}`);
  }
  const isolation: WorkerIsolation = options.isolation ?? 'threads';
  if (isolation !== 'processes' && isolation !== 'threads') {
    throw new StridewiseError('INVALID_OPTION', `isolation must be 'processes' or 'threads', got ${String(isolation)}`);
  }
  const pool = new SummaryPool({
    maxWorkers: workersRequested,
    analysis,
    isolation,
    ...(extrasRequest !== undefined ? { extras: extrasRequest } : {}),
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    ...(options.fileTimeoutMs !== undefined ? { fileTimeoutMs: options.fileTimeoutMs } : {}),
    ...(options.workerHeapMb !== undefined ? { workerHeapMb: options.workerHeapMb } : {}),
  });
  const byFile: { file: string; workerId: number; activities: number }[] = [];
  const workerOf = new Map<string, number>();

  // stands in for parseActivities inside the loader: returns carriers, never activities
  const parse: ParseFunction = async (bytes: Uint8Array, parseOptions: ParseOptions, meta?: ExportMetadata): Promise<Activity[]> => {
    const { summaries, extras, workerId } = await pool.summarize(bytes, parseOptions, meta);
    if (parseOptions.fileName !== undefined) workerOf.set(parseOptions.fileName, workerId);
    return summaries.map((s, i) => toCarrier(s, extras?.[i])) as unknown as Activity[];
  };

  const collected: CollectedActivity[] = [];
  const hilliest =
    extrasRequest?.keepProfiles === 'hilliest'
      ? new HilliestProfileKeeper(extrasRequest.hilliestFromDate ?? null, extrasRequest.profileActivityId ?? null)
      : null;
  const errors = new ErrorList();
  let files = 0;
  try {
    const loaded = loadActivities(paths, {
      parse,
      // one file queued per worker beside the one it reads, so no worker waits for the reader
      concurrency: workersRequested > 1 ? workersRequested * 2 : 1,
      ...(options.cadenceUnit !== undefined ? { cadenceUnit: options.cadenceUnit } : {}),
      ...(options.limits !== undefined ? { limits: options.limits } : {}),
      ...(options.archiveLimits !== undefined ? { archiveLimits: options.archiveLimits } : {}),
      ...(options.skipNonActivities !== undefined ? { skipNonActivities: options.skipNonActivities } : {}),
      ...(options.followLinks !== undefined ? { followLinks: options.followLinks } : {}),
      ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    });
    for await (const file of loaded) {
      files++;
      if (file.error !== undefined) {
        errors.add(file.path, file.error.code, file.error.message);
        continue;
      }
      const carriers = file.activities as unknown as SummaryCarrier[];
      for (const c of carriers) {
        const summary = fromCarrier(c);
        if (until !== undefined && (summary.localDate === null || summary.localDate > until)) continue;
        const entry: CollectedActivity = { summary, extras: c[EXTRAS] };
        hilliest?.consider(entry);
        collected.push(entry);
      }
      const workerId = workerOf.get(file.path);
      workerOf.delete(file.path);
      byFile.push({ file: file.path, workerId: workerId ?? 0, activities: carriers.length });
    }
  } finally {
    await pool.close();
  }
  options.signal?.throwIfAborted();

  // sorted, zones from neighbours, the same activity reached twice (a file given twice, FIT and GPX, watch and phone) counted once
  const combined = combineActivities(collected, {
    history: historyOptions,
    ...(options.rules !== undefined ? { rules: options.rules } : {}),
    ...(options.deduplicate !== undefined ? { deduplicate: options.deduplicate } : {}),
  });
  const { summaries, history, findings, duplicates } = combined;
  return {
    summaries,
    history,
    findings,
    errors: errors.finish(),
    duplicates,
    ...(extrasRequest !== undefined ? { extras: combined.extras } : {}),
    stats: { workersRequested, isolation, workersStarted: pool.workersStarted, fallbackReason: pool.fallbackReason, files, byFile },
  };
}

