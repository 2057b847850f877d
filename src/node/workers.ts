/**
 * A pool of worker threads that turn one file's bytes into activity
 * summaries: each worker parses and summarises, and posts back only the
 * small JSON summaries, so per-sample columns never cross a thread boundary
 * and are garbage as soon as the worker moves on to the next file.
 *
 * The worker entry is `worker.js` beside the built bundle (`dist/worker.js`,
 * `dist/worker.cjs`). Run from source (`src/node/workers.ts` under vitest or
 * tsx), the entry is `worker.ts`, loaded through tsx's `register` API. When no entry
 * can be started the pool runs every file in the calling thread instead and
 * says why in {@link SummaryPool.fallbackReason}.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread, threadId, Worker } from 'node:worker_threads';
import { summarizeActivity } from '../analysis/summarize.js';
import type { AnalysisOptions } from '../analysis/options.js';
import type { ActivitySummary } from '../analysis/types.js';
import { type ErrorCode, isStridewiseError, StridewiseError } from '../errors.js';
import { parseActivities, type ParseOptions } from '../parse/index.js';

/** What one file gave: its summaries, and the thread that made them. */
export interface FileSummaries {
  readonly summaries: ActivitySummary[];
  /** `worker_threads` id of the thread that parsed and summarised the file (0 = the main thread). */
  readonly threadId: number;
}

/** A task as posted to a worker. */
export interface WorkerTask {
  readonly taskId: number;
  readonly bytes: Uint8Array;
  readonly parse: ParseOptions;
}

/** A worker's answer to one {@link WorkerTask}. */
export type WorkerReply =
  | { readonly taskId: number; readonly ok: true; readonly summaries: ActivitySummary[]; readonly threadId: number }
  | { readonly taskId: number; readonly ok: false; readonly code: ErrorCode; readonly message: string };

/** Data every worker starts with. */
export interface WorkerStartData {
  readonly analysis: AnalysisOptions;
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
 * const { summaries } = await summarizeFileBytes(bytes, { fileName: 'run.fit' }, { heightM: 1.8 });
 */
export async function summarizeFileBytes(bytes: Uint8Array, parse: ParseOptions, analysis: AnalysisOptions): Promise<FileSummaries> {
  const activities = await parseActivities(bytes, parse);
  const summaries = activities.map((a) => summarizeActivity(a, analysis));
  return { summaries, threadId: isMainThread ? 0 : threadId };
}

/** Code and message of any failure, for posting across threads. */
export function describeFailure(error: unknown, fileName: string | undefined): { code: ErrorCode; message: string } {
  if (isStridewiseError(error)) return { code: error.code, message: error.message };
  const what = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `unexpected failure${fileName !== undefined ? ` reading ${fileName}` : ''}: ${what}` };
}

/**
 * Number of workers for a `workers` option: `'auto'` is
 * `os.availableParallelism()`; a number must be a whole number ≥ 1.
 *
 * @throws {StridewiseError} `INVALID_OPTION` for anything else.
 * @example resolveWorkerCount('auto') // 2 on a 2-core machine
 */
export function resolveWorkerCount(workers: number | 'auto' | undefined): number {
  if (workers === undefined || workers === 'auto') return Math.max(1, availableParallelism());
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
 * entry (`--input-type` for `node -e` code), which would stop a worker from starting.
 *
 * @example workerExecArgv(['--input-type=module', '--max-old-space-size=512']) // ['--max-old-space-size=512']
 */
export function workerExecArgv(parent: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < parent.length; i++) {
    const a = parent[i]!;
    if (a.startsWith('--input-type=')) continue;
    if (a === '--input-type') {
      i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

interface Pending {
  readonly task: WorkerTask;
  readonly resolve: (r: FileSummaries) => void;
  readonly reject: (e: unknown) => void;
}

interface Slot {
  readonly worker: Worker;
  ready: boolean;
  current: Pending | undefined;
}

/** Options of {@link SummaryPool}. */
export interface SummaryPoolOptions {
  /** Most worker threads; 1 runs everything in the calling thread. */
  readonly maxWorkers: number;
  /** Passed to {@link summarizeActivity} for every activity. */
  readonly analysis: AnalysisOptions;
  /** Where workers start from; default {@link findWorkerEntry}. */
  readonly entry?: WorkerEntry;
}

/**
 * Summarises files in up to `maxWorkers` worker threads, started on demand
 * (a batch of one file starts one worker). Tasks are queued and handed to
 * the first idle worker; the bytes are transferred, not copied, whenever
 * they own their whole buffer. A worker that dies fails only its current
 * file (code `INTERNAL`) and is replaced. Call {@link SummaryPool.close}
 * when done.
 *
 * @example
 * const pool = new SummaryPool({ maxWorkers: 2, analysis: {} });
 * try { const { summaries } = await pool.summarize(bytes, { fileName: 'a.fit' }); } finally { await pool.close(); }
 */
export class SummaryPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly entry: WorkerEntry;
  private nextTaskId = 1;
  private started = 0;
  private closed = false;
  private broken: string | null = null;

  constructor(private readonly options: SummaryPoolOptions) {
    this.entry = options.maxWorkers > 1 ? (options.entry ?? findWorkerEntry()) : { ok: false, reason: 'one worker: files are summarised in the calling thread' };
    if (options.maxWorkers > 1 && !this.entry.ok) this.broken = this.entry.reason;
  }

  /** Worker threads started so far (0 when every file ran in the calling thread). */
  get workersStarted(): number {
    return this.started;
  }

  /** Why files run in the calling thread although more than one worker was asked for; null otherwise. */
  get fallbackReason(): string | null {
    return this.broken;
  }

  /**
   * Parses and summarises one file's bytes. The bytes may be transferred to
   * a worker: do not use them afterwards.
   *
   * @throws {StridewiseError} the file's parse error (same code and message as in-thread).
   */
  summarize(bytes: Uint8Array, parse: ParseOptions): Promise<FileSummaries> {
    if (this.closed) return Promise.reject(new StridewiseError('INTERNAL', 'the worker pool is closed'));
    if (this.options.maxWorkers <= 1 || this.broken !== null) return summarizeFileBytes(bytes, parse, this.options.analysis);
    return new Promise<FileSummaries>((resolve, reject) => {
      this.queue.push({ task: { taskId: this.nextTaskId++, bytes, parse }, resolve, reject });
      this.pump();
    });
  }

  /** Stops every worker; queued files fail with `INTERNAL`. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new StridewiseError('INTERNAL', 'the worker pool was closed'));
    const slots = this.slots.splice(0);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private pump(): void {
    while (this.queue.length > 0) {
      if (this.broken !== null) {
        // no worker can start: what is queued runs here
        for (const p of this.queue.splice(0)) summarizeFileBytes(p.task.bytes, p.task.parse, this.options.analysis).then(p.resolve, p.reject);
        return;
      }
      let slot = this.slots.find((s) => s.ready && s.current === undefined);
      if (slot === undefined) {
        const starting = this.slots.some((s) => !s.ready);
        if (starting || this.slots.length >= this.options.maxWorkers) return; // wait for a worker to be ready or free
        this.spawn();
        return;
      }
      const next = this.queue.shift()!;
      this.post(slot, next);
    }
  }

  private post(slot: Slot, pending: Pending): void {
    slot.current = pending;
    let bytes = pending.task.bytes;
    const owns = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
    if (!owns) bytes = bytes.slice();
    slot.worker.postMessage({ ...pending.task, bytes }, [bytes.buffer as ArrayBuffer]);
  }

  private spawn(): void {
    if (!this.entry.ok) return;
    const data: WorkerStartData = { analysis: this.options.analysis };
    let worker: Worker;
    try {
      const common = { workerData: data, execArgv: workerExecArgv(process.execArgv) };
      worker = 'url' in this.entry ? new Worker(this.entry.url, common) : new Worker(this.entry.evalCode, { ...common, eval: true });
    } catch (error) {
      this.broken = `a worker thread cannot be started: ${error instanceof Error ? error.message : String(error)}`;
      this.pump();
      return;
    }
    this.started++;
    const slot: Slot = { worker, ready: false, current: undefined };
    this.slots.push(slot);
    worker.on('message', (msg: WorkerReply | WorkerReady) => {
      if ('ready' in msg) {
        slot.ready = true;
        this.pump();
        return;
      }
      const p = slot.current;
      slot.current = undefined;
      if (p !== undefined && p.task.taskId === msg.taskId) {
        if (msg.ok) p.resolve({ summaries: msg.summaries, threadId: msg.threadId });
        else p.reject(new StridewiseError(msg.code, msg.message));
      }
      this.pump();
    });
    const fail = (why: string): void => {
      const i = this.slots.indexOf(slot);
      if (i < 0) return; // already handled (error then exit)
      this.slots.splice(i, 1);
      const p = slot.current;
      slot.current = undefined;
      if (!slot.ready && this.slots.every((s) => !s.ready)) {
        // the entry itself does not load: stop trying threads, run here
        this.broken = `the worker thread did not start (${why})`;
        if (p !== undefined) this.queue.unshift(p);
      } else if (p !== undefined) {
        p.reject(new StridewiseError('INTERNAL', `the worker thread stopped while reading ${p.task.parse.fileName ?? 'a file'}: ${why}`));
      }
      void worker.terminate();
      if (!this.closed) this.pump();
    };
    worker.on('error', (error: unknown) => fail(error instanceof Error ? error.message : String(error)));
    worker.on('exit', (code) => {
      if (!this.closed) fail(`exit code ${code}`);
    });
  }
}
