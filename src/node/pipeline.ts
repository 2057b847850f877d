/**
 * `analyzeExport`: a whole export (files, folders, zips) from disk to
 * summaries, training history and findings, with files parsed and
 * summarised in workers (child processes or threads) and only the small summaries kept.
 */
import type { Activity } from '../activity.js';
import { analyzeHistory } from '../analysis/history.js';
import type { AnalysisOptions, HistoryOptions } from '../analysis/options.js';
import type { ActivitySummary, TrainingHistory } from '../analysis/types.js';
import { type ErrorCode, StridewiseError } from '../errors.js';
import type { ParseOptions } from '../parse/index.js';
import type { ParseLimits } from '../parse/limits.js';
import type { CadenceUnitOption } from '../parse/cadence.js';
import { evaluateRules } from '../rules/index.js';
import type { RuleOptions } from '../rules/options.js';
import type { Finding } from '../rules/types.js';
import type { ArchiveLimits } from './limits.js';
import { loadActivities, type ParseFunction } from './load.js';
import type { ProgressCallback } from './progress.js';
import { resolveWorkerCount, SummaryPool, type WorkerIsolation } from './workers.js';

/** Options of {@link analyzeExport}. */
export interface ExportOptions {
  /**
   * Workers that parse and summarise files: a whole number ≥ 1, or `'auto'`
   * (`os.availableParallelism()`). With 1 every file is read in the calling
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
  /** Called after each file with files done and, when known, the total (as `loadActivities`). */
  readonly onProgress?: ProgressCallback;
  /** Stops the analysis: the promise rejects with the signal's reason and every worker is stopped. */
  readonly signal?: AbortSignal;
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
  /** Per failed file, in code-point order of `file` (so the order of entries in an archive does not change the result). */
  readonly errors: ExportFileError[];
  readonly stats: ExportStats;
}

const SUMMARY = Symbol('stridewise.summary');

/**
 * What the parse stage hands back to the loader in place of an activity: the
 * summary, plus `name` and `gear` where the loader writes a Strava CSV's
 * values (it spreads each returned object, which keeps symbol keys).
 */
interface SummaryCarrier {
  readonly name?: string;
  readonly gear?: string;
  readonly [SUMMARY]: ActivitySummary;
}

function toCarrier(summary: ActivitySummary): SummaryCarrier {
  return {
    ...(summary.name !== null ? { name: summary.name } : {}),
    ...(summary.gear !== null ? { gear: summary.gear } : {}),
    [SUMMARY]: summary,
  };
}

/** The carried summary with the name and gear as the loader left them. */
function fromCarrier(carrier: SummaryCarrier): ActivitySummary {
  const s = carrier[SUMMARY];
  const name = carrier.name ?? null;
  const gear = carrier.gear ?? null;
  return name === s.name && gear === s.gear ? s : { ...s, name, gear };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Start time (undated last), id, file: independent of reading order. */
function compareSummaries(a: ActivitySummary, b: ActivitySummary): number {
  return compareText(a.startTime ?? '~', b.startTime ?? '~') || compareText(a.id, b.id) || compareText(a.file ?? '', b.file ?? '');
}

/**
 * Analyses a whole export: every FIT, GPX and TCX file in the given files,
 * folders and zip archives (a Garmin or Strava export as downloaded) goes
 * through parse → `summarizeActivity` in workers (child processes or
 * worker threads, one per core by default), and only the
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
 */
export async function analyzeExport(paths: string | readonly string[], options: ExportOptions = {}): Promise<ExportAnalysis> {
  const workersRequested = resolveWorkerCount(options.workers);
  const analysis: AnalysisOptions = options.analysis ?? {};
  const historyOptions: HistoryOptions = {
    ...(analysis.timeZone !== undefined ? { timeZone: analysis.timeZone } : {}),
    ...options.history,
  };
  const isolation: WorkerIsolation = options.isolation ?? 'threads';
  if (isolation !== 'processes' && isolation !== 'threads') {
    throw new StridewiseError('INVALID_OPTION', `isolation must be 'processes' or 'threads', got ${String(isolation)}`);
  }
  const pool = new SummaryPool({ maxWorkers: workersRequested, analysis, isolation });
  const byFile: { file: string; workerId: number; activities: number }[] = [];
  const workerOf = new Map<string, number>();

  // stands in for parseActivities inside the loader: returns carriers, never activities
  const parse: ParseFunction = async (bytes: Uint8Array, parseOptions: ParseOptions): Promise<Activity[]> => {
    const { summaries, workerId } = await pool.summarize(bytes, parseOptions);
    if (parseOptions.fileName !== undefined) workerOf.set(parseOptions.fileName, workerId);
    return summaries.map(toCarrier) as unknown as Activity[];
  };

  const collected: ActivitySummary[] = [];
  const errors: ExportFileError[] = [];
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
      ...(options.onProgress !== undefined ? { onProgress: options.onProgress } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    });
    for await (const file of loaded) {
      files++;
      if (file.error !== undefined) {
        errors.push({ file: file.path, code: file.error.code, message: file.error.message });
        continue;
      }
      const carriers = file.activities as unknown as SummaryCarrier[];
      for (const c of carriers) collected.push(fromCarrier(c));
      const workerId = workerOf.get(file.path);
      workerOf.delete(file.path);
      byFile.push({ file: file.path, workerId: workerId ?? 0, activities: carriers.length });
    }
  } finally {
    await pool.close();
  }

  const ordered = collected.sort(compareSummaries);
  const summaries = ordered.filter((s, i) => i === 0 || s.id !== ordered[i - 1]!.id);
  const history = analyzeHistory(summaries, historyOptions);
  const findings = evaluateRules(history, summaries, options.rules ?? {});
  return {
    summaries,
    history,
    findings,
    errors: errors.sort((a, b) => compareText(a.file, b.file) || compareText(a.code, b.code) || compareText(a.message, b.message)),
    stats: { workersRequested, isolation, workersStarted: pool.workersStarted, fallbackReason: pool.fallbackReason, files, byFile },
  };
}

