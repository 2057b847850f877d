/**
 * A pool of workers (worker threads or child processes) that turn one
 * file's bytes into activity summaries: each worker parses and summarises,
 * and posts back only the small JSON summaries, so per-sample columns never
 * cross a worker boundary and are garbage as soon as the worker moves on to
 * the next file.
 *
 * The worker entry is `worker.js` beside the built bundle (`dist/worker.js`,
 * `dist/worker.cjs`). Run from source (`src/node/workers.ts` under vitest or
 * tsx), the entry is `worker.ts`, loaded through tsx's `register` API. When no entry
 * can be started the pool runs every file in the calling thread instead and
 * says why in {@link SummaryPool.fallbackReason}.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, totalmem } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { activityExtrasOf, type ActivityExtras, type ExtrasRequest } from '../analysis/extras.js';
import { summarizeActivity } from '../analysis/summarize.js';
import type { AnalysisOptions } from '../analysis/options.js';
import type { ActivitySummary } from '../analysis/types.js';
import { type ErrorCode, isStridewiseError, StridewiseError } from '../errors.js';
import { parseActivities, type ParseOptions } from '../parse/index.js';
import { applyExportMetadata, type ExportMetadata } from './garmin.js';

/** What one file gave: its summaries, and the worker that made them. */
export interface FileSummaries {
  readonly summaries: ActivitySummary[];
  /** When extras were asked for: one per summary, same order. */
  readonly extras?: ActivityExtras[];
  /** Who parsed and summarised the file: 0 = the calling thread, else the worker thread's `threadId` or the worker process's `pid`. */
  readonly workerId: number;
}

/**
 * How workers are isolated: `threads` (`worker_threads`, one process) or
 * `processes` (`child_process.fork`, one V8 heap and address space each).
 */
export type WorkerIsolation = 'threads' | 'processes';

/** A task as posted to a worker. */
export interface WorkerTask {
  readonly taskId: number;
  readonly bytes: Uint8Array;
  readonly parse: ParseOptions;
  /** What the export says about the file, applied before summarising. */
  readonly meta?: ExportMetadata;
}

/** A worker's answer to one {@link WorkerTask}. */
export type WorkerReply =
  | {
      readonly taskId: number;
      readonly ok: true;
      readonly summaries: ActivitySummary[];
      /** One per summary, same order, when the start data asked for extras. */
      readonly extras?: ActivityExtras[];
      readonly workerId: number;
    }
  | { readonly taskId: number; readonly ok: false; readonly code: ErrorCode; readonly message: string };

/** Data every worker starts with (`workerData` of a thread, first message to a process). */
export interface WorkerStartData {
  readonly analysis: AnalysisOptions;
  /** Per-activity extras computed beside each summary; none when absent. */
  readonly extras?: ExtrasRequest;
}

/** First message to a worker process, in answer to its {@link WorkerReady}. */
export interface WorkerInit {
  readonly init: WorkerStartData;
}

/** First message of a worker: its module loaded and it is listening. */
export interface WorkerReady {
  readonly ready: true;
}

/**
 * Parses one file's bytes and summarises each activity, dropping the
 * activities (and their sample columns) before returning. This is what a
 * worker runs; the pool runs it in the calling thread when it has no workers.
 *
 * @throws {StridewiseError} any {@link parseActivities} error, or the error of
 * {@link summarizeActivity} for one of the activities.
 * @example
 * const summaries = await summarizeFileBytes(bytes, { fileName: 'run.fit' }, { heightM: 1.8 });
 */
export async function summarizeFileBytes(bytes: Uint8Array, parse: ParseOptions, analysis: AnalysisOptions): Promise<ActivitySummary[]> {
  return (await analyzeFileBytes(bytes, parse, analysis)).summaries;
}

/** What {@link analyzeFileBytes} gives for one file. */
export interface FileAnalysis {
  readonly summaries: ActivitySummary[];
  /** One per summary, same order, when extras were asked for. */
  readonly extras?: ActivityExtras[];
}

/**
 * {@link summarizeFileBytes} plus, when `extras` is given, the small
 * per-activity extras ({@link activityExtrasOf}) computed while the
 * samples are in memory. Only summaries and extras are returned.
 *
 * `meta`, when given, is applied to the parsed activities before they are
 * summarised ({@link applyExportMetadata}: the sport from Strava's
 * `activities.csv` or Garmin's activity summaries, for files that state none).
 *
 * `between`, when given, is awaited after the parse and after each
 * activity's summary and extras: the place to stop a long file (it throws
 * to stop; see {@link SummaryPool}'s abort signal and time budget).
 *
 * @throws {StridewiseError} as {@link summarizeFileBytes}; `INTERNAL` for a bad extras request; whatever `between` throws.
 * @example
 * const { summaries, extras } = await analyzeFileBytes(bytes, { fileName: 'run.fit' }, {}, { cadenceHistogram: true });
 */
export async function analyzeFileBytes(
  bytes: Uint8Array,
  parse: ParseOptions,
  analysis: AnalysisOptions,
  extras?: ExtrasRequest,
  between?: () => void | Promise<void>,
  meta?: ExportMetadata,
): Promise<FileAnalysis> {
  const parsed = await parseActivities(bytes, parse);
  const activities = meta !== undefined ? applyExportMetadata(parsed, meta, parse.cadenceUnit) : parsed;
  await between?.();
  const summaries: ActivitySummary[] = [];
  const extrasOut: ActivityExtras[] = [];
  for (const a of activities) {
    const summary = summarizeActivity(a, analysis);
    summaries.push(summary);
    if (extras !== undefined) extrasOut.push(activityExtrasOf(a, summary, extras));
    await between?.();
  }
  return extras === undefined ? { summaries } : { summaries, extras: extrasOut };
}

/** Default of {@link SummaryPoolOptions.fileTimeoutMs}: 10 minutes, far beyond any real file (the largest take seconds). */
export const DEFAULT_FILE_TIMEOUT_MS = 600_000;

const MAX_TIMER_MS = 2_147_483_647;

/** A time budget in ms: a number > 0 (`Infinity` for none). @throws {StridewiseError} `INVALID_OPTION` otherwise. */
export function resolveFileTimeoutMs(value: number | undefined): number {
  if (value === undefined) return DEFAULT_FILE_TIMEOUT_MS;
  if (typeof value !== 'number' || !(value > 0)) {
    throw new StridewiseError('INVALID_OPTION', `fileTimeoutMs must be a positive number of milliseconds (or Infinity), got ${String(value)}`);
  }
  return value;
}

function timeoutError(fileName: string | undefined, ms: number): StridewiseError {
  return new StridewiseError('TIMEOUT', `reading ${fileName ?? 'a file'} took longer than its time budget of ${ms / 1000} s and was stopped`);
}

/** Lets timers and abort events run: a microtask would not, so an abort during a long file would go unseen. */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Code and message of any failure, for posting across threads.
 *
 * @example describeFailure(new Error('boom'), 'a.fit') // { code: 'INTERNAL', message: 'unexpected failure reading a.fit: boom' }
 */
export function describeFailure(error: unknown, fileName: string | undefined): { code: ErrorCode; message: string } {
  if (isStridewiseError(error)) return { code: error.code, message: error.message };
  const what = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `unexpected failure${fileName !== undefined ? ` reading ${fileName}` : ''}: ${what}` };
}

/**
 * Default old-generation heap limit of one worker, in MiB (worker threads get
 * it as `resourceLimits.maxOldGenerationSizeMb`, worker processes as
 * `--max-old-space-size`). A FIT file costs about 0.5 KiB of heap per record
 * while it is decoded, so 1 GiB holds some 2,000,000 records: more than 20
 * times a 24-hour run at 1 Hz. A file that needs more fails with code
 * `OUT_OF_MEMORY` and its worker is replaced.
 */
export const DEFAULT_WORKER_HEAP_MB = 1024;

/**
 * Memory one worker may hold besides its heap, in MiB: the file's bytes
 * (up to `maxInputBytes`, 256 MiB) and a gzip file's decoded content (up to
 * `maxDecompressedBytes`, 512 MiB) live outside the V8 heap.
 */
export const WORKER_EXTERNAL_MB = 768;

/** Share of the machine's (or container's) memory that `'auto'` gives to workers: the rest is for the calling thread and everything else. */
export const AUTO_WORKER_MEMORY_SHARE = 0.5;

/** What {@link autoWorkerCount} sizes by. */
export interface WorkerSizing {
  /** Cores, `os.availableParallelism()`. */
  readonly cores: number;
  /** Memory of the machine in bytes, `os.totalmem()`. */
  readonly totalMemBytes: number;
  /** Memory the process may use in bytes (a container's limit, `process.constrainedMemory()`); 0, absent or non-finite for none. */
  readonly constrainedMemBytes?: number;
  /** Heap limit of one worker in MiB. Default {@link DEFAULT_WORKER_HEAP_MB}. */
  readonly workerHeapMb?: number;
}

/**
 * Workers for `'auto'`: one per core, but no more than fit in
 * `AUTO_WORKER_MEMORY_SHARE` of the memory (the smaller of the
 * machine's and a container's limit), each worker budgeted at its heap
 * limit plus `WORKER_EXTERNAL_MB`; at least 1. So the workers together
 * stay within half the memory whatever the core count.
 *
 * @example
 * // 64 cores, 16 GiB: 8 GiB for workers at 1 GiB + 768 MiB each
 * autoWorkerCount({ cores: 64, totalMemBytes: 16 * 2 ** 30 }) // 4
 */
export function autoWorkerCount(sizing: WorkerSizing): number {
  const heapMb = sizing.workerHeapMb ?? DEFAULT_WORKER_HEAP_MB;
  const constrained = sizing.constrainedMemBytes;
  const memBytes =
    constrained !== undefined && Number.isFinite(constrained) && constrained > 0 ? Math.min(constrained, sizing.totalMemBytes) : sizing.totalMemBytes;
  const perWorkerBytes = (heapMb + WORKER_EXTERNAL_MB) * 2 ** 20;
  const byMemory = Math.floor((memBytes * AUTO_WORKER_MEMORY_SHARE) / perWorkerBytes);
  return Math.max(1, Math.min(Math.floor(sizing.cores), byMemory));
}

/** A container's memory limit of this process in bytes, where Node tells it (`process.constrainedMemory`); undefined otherwise. */
function constrainedMemory(): number | undefined {
  const f = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory;
  return typeof f === 'function' ? f.call(process) : undefined;
}

/**
 * A worker heap limit in MiB: a whole number ≥ 16 (`undefined` for the default).
 *
 * @throws {StridewiseError} `INVALID_OPTION` otherwise.
 * @example resolveWorkerHeapMb(undefined) // 1024
 */
export function resolveWorkerHeapMb(value: number | undefined): number {
  if (value === undefined) return DEFAULT_WORKER_HEAP_MB;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 16) {
    throw new StridewiseError('INVALID_OPTION', `workerHeapMb must be a whole number of MiB, at least 16, got ${String(value)}`);
  }
  return value;
}

/**
 * Number of workers for a `workers` option: `'auto'` is
 * {@link autoWorkerCount} of this machine (cores, memory, a container's
 * limit) for workers of `workerHeapMb`; a number must be a whole number ≥ 1.
 *
 * @throws {StridewiseError} `INVALID_OPTION` for anything else.
 * @example resolveWorkerCount('auto') // 2 on a 2-core machine with 8 GiB
 */
export function resolveWorkerCount(workers: number | 'auto' | undefined, workerHeapMb?: number): number {
  if (workers === undefined || workers === 'auto') {
    const constrained = constrainedMemory();
    return autoWorkerCount({
      cores: availableParallelism(),
      totalMemBytes: totalmem(),
      ...(constrained !== undefined ? { constrainedMemBytes: constrained } : {}),
      workerHeapMb: resolveWorkerHeapMb(workerHeapMb),
    });
  }
  if (typeof workers !== 'number' || !Number.isInteger(workers) || workers < 1) {
    throw new StridewiseError('INVALID_OPTION', `workers must be 'auto' or a whole number of at least 1, got ${String(workers)}`);
  }
  return workers;
}

declare const __filename: string | undefined;

/** URL of this module, in the ESM build, the CJS build, and from source. */
function moduleUrl(): string | undefined {
  // esbuild's CJS output replaces `import.meta` with `{}`; CJS has __filename instead
  const meta = (import.meta as { url?: unknown }).url;
  if (typeof meta === 'string') return meta;
  return typeof __filename === 'string' ? pathToFileURL(__filename).href : undefined;
}

/** Where a worker is started from (a file, or module code to evaluate), or why none can be. */
export type WorkerEntry =
  | { readonly ok: true; readonly url: URL }
  | { readonly ok: true; readonly evalCode: string }
  | { readonly ok: false; readonly reason: string };

/** URL of tsx's ESM `register` API, from its package `exports` (the `import` condition). */
function tsxEsmApiUrl(from: string): string | undefined {
  try {
    const require = createRequire(from);
    const pkgPath = require.resolve('tsx/package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports?: Record<string, unknown> };
    const api = pkg.exports?.['./esm/api'] as { import?: { default?: unknown } } | undefined;
    const rel = api?.import?.default;
    return typeof rel === 'string' ? new URL(rel, pathToFileURL(pkgPath)).href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds the worker entry beside this module: `worker.js` / `worker.cjs` in a
 * build. From TypeScript source it is `worker.ts`, started by a small
 * evaluated module that first registers the tsx loader in the new thread
 * (a worker does not take loader hooks from `--import` in Node 20).
 *
 * @example findWorkerEntry() // { ok: true, url: URL('file:///…/dist/worker.js') }
 */
export function findWorkerEntry(): WorkerEntry {
  const self = moduleUrl();
  if (self === undefined) return { ok: false, reason: 'the module location is unknown' };
  if (self.endsWith('.ts')) {
    const url = new URL('./worker.ts', self);
    if (!existsSync(fileURLToPath(url))) return { ok: false, reason: `no worker entry at ${url.href}` };
    const api = tsxEsmApiUrl(self);
    if (api === undefined) return { ok: false, reason: 'running from TypeScript source and the tsx loader is not installed' };
    return { ok: true, evalCode: `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(url.href)}); });` };
  }
  const url = new URL(self.endsWith('.cjs') ? './worker.cjs' : './worker.js', self);
  if (!existsSync(fileURLToPath(url))) return { ok: false, reason: `no worker entry at ${url.href}` };
  return { ok: true, url };
}

/**
 * The parent's Node options minus those that apply only to the parent's own
 * entry (`--input-type` for `node -e` code, `-e`/`--eval`/`-p`/`--print` and their code),
 * which would stop a worker from starting or run the parent's code again.
 *
 * @example workerExecArgv(['--input-type=module', '--max-old-space-size=512']) // ['--max-old-space-size=512']
 */
export function workerExecArgv(parent: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < parent.length; i++) {
    const a = parent[i]!;
    if (a.startsWith('--input-type=')) continue;
    if (a === '--input-type' || a === '-e' || a === '--eval' || a === '-p' || a === '--print') {
      i++;
      continue;
    }
    if (a.startsWith('--eval=') || a.startsWith('--print=')) continue;
    out.push(a);
  }
  return out;
}

/**
 * One running worker, thread or process, behind the same small interface.
 * `onMessage` gets every message; `onFail` at most once, with a reason.
 */
interface Channel {
  readonly id: number;
  send(task: WorkerTask): void;
  stop(): Promise<void>;
}

interface ChannelEvents {
  readonly onMessage: (msg: WorkerReply | WorkerReady) => void;
  /** `outOfMemory`: the worker went over its heap limit. */
  readonly onFail: (why: string, outOfMemory: boolean) => void;
}

/** How a worker process reports its heap limit being reached on stderr (V8's fatal error). */
const HEAP_LIMIT_TEXT = /heap out of memory|Reached heap limit/i;

/** Bytes as a buffer of their own (a view into a larger buffer is copied), ready to transfer. */
function ownBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const owns = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return (owns ? bytes : bytes.slice()) as Uint8Array<ArrayBuffer>;
}

function startThread(entry: Extract<WorkerEntry, { ok: true }>, data: WorkerStartData, heapMb: number, events: ChannelEvents): Channel {
  const options = { workerData: data, execArgv: workerExecArgv(process.execArgv), resourceLimits: { maxOldGenerationSizeMb: heapMb } };
  const worker = 'url' in entry ? new Worker(entry.url, options) : new Worker(entry.evalCode, { ...options, eval: true });
  let stopping = false;
  worker.on('message', events.onMessage);
  worker.on('error', (error: unknown) =>
    events.onFail(error instanceof Error ? error.message : String(error), (error as { code?: unknown } | null)?.code === 'ERR_WORKER_OUT_OF_MEMORY'),
  );
  worker.on('exit', (code) => {
    if (!stopping) events.onFail(`exit code ${code}`, false);
  });
  return {
    id: worker.threadId,
    send: (task) => {
      const bytes = ownBytes(task.bytes);
      worker.postMessage({ ...task, bytes }, [bytes.buffer]);
    },
    stop: async () => {
      stopping = true;
      await worker.terminate();
    },
  };
}

const STDERR_KEEP = 2000;

function startProcess(entry: Extract<WorkerEntry, { ok: true }>, data: WorkerStartData, heapMb: number, events: ChannelEvents): Channel {
  // the last --max-old-space-size wins: the parent's own is overridden
  const execArgv = [...workerExecArgv(process.execArgv), `--max-old-space-size=${heapMb}`];
  const modulePath = 'url' in entry ? fileURLToPath(entry.url) : fileURLToPath(new URL('./worker.js', moduleUrl() ?? pathToFileURL(process.cwd() + '/').href));
  const child: ChildProcess = fork(modulePath, [], {
    // evaluated entries (source runs, tests) run as `node -e code`; modulePath is then only argv[1]
    execArgv: 'url' in entry ? execArgv : [...execArgv, '--eval', entry.evalCode],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stopping = false;
  let failed = false;
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-STDERR_KEEP);
  });
  const fail = (why: string): void => {
    if (failed || stopping) return;
    failed = true;
    // Node prints an uncaught error as source line, caret, `Error: message`, stack, version: quote the message line
    const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    const said = lines.find((l) => /^[A-Za-z]*Error\b/.test(l)) ?? lines[lines.length - 1];
    events.onFail(said !== undefined ? `${why}: ${said}` : why, HEAP_LIMIT_TEXT.test(stderr));
  };
  const init: WorkerInit = { init: data };
  child.on('message', (msg: WorkerReply | WorkerReady) => {
    // the child listens before it says ready; init goes first on the channel, so before any task
    if ('ready' in msg) child.send(init);
    events.onMessage(msg);
  });
  child.on('error', (error) => fail(error.message));
  // 'close' comes after stderr has ended, so its last lines can be quoted
  child.on('close', (code, signal) => fail(signal !== null ? `killed by ${signal}` : `exit code ${String(code)}`));
  return {
    id: child.pid ?? -1,
    send: (task) => {
      child.send(task);
    },
    stop: async () => {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const closed = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill();
      await closed;
    },
  };
}

interface Pending {
  readonly task: WorkerTask;
  readonly resolve: (r: FileSummaries) => void;
  readonly reject: (e: unknown) => void;
  /** The time budget, from when a worker took the task. */
  timer?: ReturnType<typeof setTimeout>;
}

interface Slot {
  readonly channel: Channel;
  ready: boolean;
  current: Pending | undefined;
}

/** Options of {@link SummaryPool}. */
export interface SummaryPoolOptions {
  /** Most workers; 1 runs everything in the calling thread. */
  readonly maxWorkers: number;
  /** Passed to {@link summarizeActivity} for every activity. */
  readonly analysis: AnalysisOptions;
  /** Per-activity extras to compute beside each summary ({@link activityExtrasOf}); none by default. */
  readonly extras?: ExtrasRequest;
  /** Worker threads or child processes. Default `'threads'`. */
  readonly isolation?: WorkerIsolation;
  /** Where workers start from; default {@link findWorkerEntry}. */
  readonly entry?: WorkerEntry;
  /**
   * Stops everything: queued and running files reject at once with the
   * signal's reason and busy workers are terminated. In the calling thread
   * the signal is checked between stages (after the parse, after each
   * activity), with a turn of the event loop before each check.
   */
  readonly signal?: AbortSignal;
  /**
   * Time budget of one file in ms, from when a worker takes it; over it the
   * file fails with code `TIMEOUT` and its worker is terminated (and
   * replaced). In the calling thread it is checked between stages, so one
   * stage (a parse) is not cut short. Default {@link DEFAULT_FILE_TIMEOUT_MS}
   * (10 minutes); `Infinity` for none.
   */
  readonly fileTimeoutMs?: number;
  /**
   * Heap limit of each worker in MiB (old generation: worker threads'
   * `resourceLimits.maxOldGenerationSizeMb`, worker processes'
   * `--max-old-space-size`). A file whose reading goes over it fails with
   * code `OUT_OF_MEMORY` and its worker is replaced; the other files go on.
   * Files read in the calling thread (`maxWorkers` 1) have the process's
   * own heap limit instead. Default {@link DEFAULT_WORKER_HEAP_MB}.
   */
  readonly workerHeapMb?: number;
}

/**
 * Summarises files in up to `maxWorkers` workers (threads or processes),
 * started on demand (a batch of one file starts one worker). Tasks are
 * queued and handed to the first idle worker; for threads the bytes are
 * transferred, not copied, whenever they own their whole buffer. A worker
 * that dies fails only its current file (code `INTERNAL`, or
 * `OUT_OF_MEMORY` when it went over its heap limit, `workerHeapMb`) and is
 * replaced, so memory stays within `maxWorkers` × (heap limit + the file's bytes).
 * Call {@link SummaryPool.close} when done.
 *
 * @example
 * const pool = new SummaryPool({ maxWorkers: 2, analysis: {} });
 * try { const { summaries } = await pool.summarize(bytes, { fileName: 'a.fit' }); } finally { await pool.close(); }
 */
export class SummaryPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly entry: WorkerEntry;
  private readonly isolation: WorkerIsolation;
  private nextTaskId = 1;
  private started = 0;
  private closed = false;
  private broken: string | null = null;
  private readonly fileTimeoutMs: number;
  private readonly workerHeapMb: number;
  private readonly onAbort = (): void => this.abort();

  constructor(private readonly options: SummaryPoolOptions) {
    this.isolation = options.isolation ?? 'threads';
    this.fileTimeoutMs = resolveFileTimeoutMs(options.fileTimeoutMs);
    this.workerHeapMb = resolveWorkerHeapMb(options.workerHeapMb);
    this.entry = options.maxWorkers > 1 ? (options.entry ?? findWorkerEntry()) : { ok: false, reason: 'one worker: files are summarised in the calling thread' };
    if (options.maxWorkers > 1 && !this.entry.ok) this.broken = this.entry.reason;
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Rejects every queued and running file with the signal's reason and terminates the busy workers. */
  private abort(): void {
    const reason: unknown = this.options.signal?.reason;
    for (const p of this.queue.splice(0)) p.reject(reason);
    for (const slot of this.slots.splice(0)) {
      const p = slot.current;
      slot.current = undefined;
      if (p !== undefined) {
        clearTimeout(p.timer);
        p.reject(reason);
      }
      void slot.channel.stop();
    }
  }

  /** Workers started so far (0 when every file ran in the calling thread). */
  get workersStarted(): number {
    return this.started;
  }

  /** Why files run in the calling thread although more than one worker was asked for; null otherwise. */
  get fallbackReason(): string | null {
    return this.broken;
  }

  /**
   * Parses and summarises one file's bytes. The bytes may be transferred to
   * a worker thread: do not use them afterwards.
   *
   * @throws {StridewiseError} the file's parse error (same code and message as in-thread).
   */
  summarize(bytes: Uint8Array, parse: ParseOptions, meta?: ExportMetadata): Promise<FileSummaries> {
    if (this.closed) return Promise.reject(new StridewiseError('INTERNAL', 'the worker pool is closed'));
    if (this.options.signal?.aborted === true) return Promise.reject(this.options.signal.reason);
    if (this.options.maxWorkers <= 1 || this.broken !== null) return this.here(bytes, parse, meta);
    return new Promise<FileSummaries>((resolve, reject) => {
      this.queue.push({ task: { taskId: this.nextTaskId++, bytes, parse, ...(meta !== undefined ? { meta } : {}) }, resolve, reject });
      this.pump();
    });
  }

  /** Stops every worker; queued files fail with `INTERNAL`. */
  async close(): Promise<void> {
    this.closed = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    for (const p of this.queue.splice(0)) p.reject(new StridewiseError('INTERNAL', 'the worker pool was closed'));
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.channel.stop()));
  }

  private async here(bytes: Uint8Array, parse: ParseOptions, meta?: ExportMetadata): Promise<FileSummaries> {
    const signal = this.options.signal;
    const budget = this.fileTimeoutMs;
    const t0 = performance.now();
    const between = async (): Promise<void> => {
      await yieldToEvents();
      signal?.throwIfAborted();
      if (performance.now() - t0 > budget) throw timeoutError(parse.fileName, budget);
    };
    const { summaries, extras } = await analyzeFileBytes(bytes, parse, this.options.analysis, this.options.extras, between, meta);
    return extras !== undefined ? { summaries, extras, workerId: 0 } : { summaries, workerId: 0 };
  }

  private pump(): void {
    while (this.queue.length > 0) {
      if (this.broken !== null) {
        // no worker can start: what is queued runs here
        for (const p of this.queue.splice(0)) this.here(p.task.bytes, p.task.parse, p.task.meta).then(p.resolve, p.reject);
        return;
      }
      const slot = this.slots.find((s) => s.ready && s.current === undefined);
      if (slot === undefined) {
        const starting = this.slots.some((s) => !s.ready);
        if (starting || this.slots.length >= this.options.maxWorkers) return; // wait for a worker to be ready or free
        this.spawn();
        return;
      }
      const next = this.queue.shift()!;
      slot.current = next;
      // setTimeout fires at once for delays past 2^31 − 1 ms (24.8 days): those are no budget
      if (this.fileTimeoutMs <= MAX_TIMER_MS) next.timer = setTimeout(() => this.timeOut(slot, next), this.fileTimeoutMs);
      slot.channel.send(next.task);
    }
  }

  /** A file over its time budget: fail it, stop its worker, carry on with a new one. */
  private timeOut(slot: Slot, p: Pending): void {
    if (slot.current !== p) return;
    slot.current = undefined;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    p.reject(timeoutError(p.task.parse.fileName, this.fileTimeoutMs));
    void slot.channel.stop();
    if (!this.closed) this.pump();
  }

  private spawn(): void {
    if (!this.entry.ok) return;
    const kind = this.isolation === 'threads' ? 'worker thread' : 'worker process';
    const data: WorkerStartData = {
      analysis: this.options.analysis,
      ...(this.options.extras !== undefined ? { extras: this.options.extras } : {}),
    };
    // the slot is filled in right after the channel starts; events cannot arrive before that
    const box: { slot?: Slot } = {};
    const events: ChannelEvents = {
      onMessage: (msg) => {
        const slot = box.slot;
        if (slot === undefined) return;
        if ('ready' in msg) {
          slot.ready = true;
          this.pump();
          return;
        }
        const p = slot.current;
        slot.current = undefined;
        if (p !== undefined) clearTimeout(p.timer);
        if (p !== undefined && p.task.taskId === msg.taskId) {
          if (msg.ok) {
            const { summaries, extras, workerId } = msg;
            p.resolve(extras !== undefined ? { summaries, extras, workerId } : { summaries, workerId });
          }
          else p.reject(new StridewiseError(msg.code, msg.message));
        }
        this.pump();
      },
      onFail: (why, outOfMemory) => {
        const slot = box.slot;
        if (slot === undefined) return;
        const i = this.slots.indexOf(slot);
        if (i < 0) return; // already handled (error then exit)
        this.slots.splice(i, 1);
        const p = slot.current;
        slot.current = undefined;
        if (p !== undefined) clearTimeout(p.timer);
        if (!slot.ready && this.slots.every((s) => !s.ready)) {
          // the entry itself does not load: stop trying workers, run here
          this.broken = `the ${kind} did not start (${why})`;
          if (p !== undefined) this.queue.unshift(p);
        } else if (p !== undefined && outOfMemory) {
          const name = p.task.parse.fileName ?? 'a file';
          p.reject(new StridewiseError('OUT_OF_MEMORY', `reading ${name} needed more than the worker's heap limit of ${this.workerHeapMb} MiB; the file was given up and its worker replaced`));
        } else if (p !== undefined) {
          p.reject(new StridewiseError('INTERNAL', `the ${kind} stopped while reading ${p.task.parse.fileName ?? 'a file'}: ${why}`));
        }
        void slot.channel.stop();
        if (!this.closed) this.pump();
      },
    };
    let channel: Channel;
    try {
      channel = this.isolation === 'threads' ? startThread(this.entry, data, this.workerHeapMb, events) : startProcess(this.entry, data, this.workerHeapMb, events);
    } catch (error) {
      this.broken = `a ${kind} cannot be started: ${error instanceof Error ? error.message : String(error)}`;
      this.pump();
      return;
    }
    this.started++;
    box.slot = { channel, ready: false, current: undefined };
    this.slots.push(box.slot);
  }
}
