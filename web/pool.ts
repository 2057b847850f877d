/**
 * A pool of Web Workers, started from the worker's code as a Blob URL (so
 * the page works opened from disk), that turn one file's bytes into
 * summaries. Files are handed to the first idle worker; bytes are
 * transferred, not copied. A worker that dies fails only its current file
 * (code `INTERNAL`) and is replaced. When no worker can start (a browser
 * without workers, or a policy that forbids Blob URLs), files are analysed
 * in the page itself, a little slower, with the same results.
 */
import type { ActivityExtras, ExtrasRequest } from '../src/analysis/extras.js';
import type { AnalysisOptions } from '../src/analysis/options.js';
import type { ActivitySummary } from '../src/analysis/types.js';
import { StridewiseError } from '../src/errors.js';
import type { ParseOptions } from '../src/parse/index.js';
import { analyzeBytes, type WorkerReply, type WorkerRequest } from './analyze.js';

/** What one file gave. */
export interface FileResult {
  readonly summaries: ActivitySummary[];
  readonly extras: ActivityExtras[];
}

interface Task {
  readonly taskId: number;
  readonly bytes: Uint8Array;
  readonly parse: ParseOptions;
  readonly resolve: (r: FileResult) => void;
  readonly reject: (e: unknown) => void;
}

interface Slot {
  readonly worker: Worker;
  /** Said it is listening (its code loaded and ran). */
  ready: boolean;
  current: Task | undefined;
}

/**
 * Most workers the page starts: one per logical core the browser reports,
 * at most 8 (beyond that the page's own reading is the limit), at least 1.
 *
 * @example defaultWorkerCount(16) // 8
 */
export function defaultWorkerCount(hardwareConcurrency: number | undefined): number {
  const n = Number.isInteger(hardwareConcurrency) && hardwareConcurrency! > 0 ? hardwareConcurrency! : 2;
  return Math.min(8, Math.max(1, n));
}

/** Bytes as a buffer of their own, ready to transfer. */
function ownBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const owns = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  return (owns ? bytes : bytes.slice()) as Uint8Array<ArrayBuffer>;
}

/**
 * Summarises files in up to `size` workers started on demand.
 *
 * @example
 * const pool = new WorkerPool(workerCode, 4, { kind: 'init', analysis: {}, extras: {} });
 * try { const { summaries } = await pool.summarize(bytes, { fileName: 'a.fit' }); } finally { pool.terminate(); }
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private url: string | null = null;
  private nextId = 1;
  private closed = false;
  /** Why files run in the page itself; `null` while workers run them. */
  fallbackReason: string | null = null;
  /** Workers started so far. */
  started = 0;

  constructor(
    source: string | null,
    private readonly size: number,
    private readonly init: Extract<WorkerRequest, { kind: 'init' }>,
  ) {
    if (source === null || typeof Worker === 'undefined') this.fallbackReason = 'this browser has no Web Workers';
    else {
      try {
        this.url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
      } catch (error) {
        this.fallbackReason = `no worker code URL: ${String(error)}`;
      }
    }
  }

  /** Parses and summarises one file; the bytes are transferred (do not use them afterwards). */
  summarize(bytes: Uint8Array, parse: ParseOptions): Promise<FileResult> {
    if (this.closed) return Promise.reject(new StridewiseError('INTERNAL', 'the worker pool is closed'));
    if (this.fallbackReason !== null || this.size <= 1) return analyzeBytes(bytes, parse, this.init.analysis, this.init.extras);
    return new Promise<FileResult>((resolve, reject) => {
      this.queue.push({ taskId: this.nextId++, bytes, parse, resolve, reject });
      this.pump();
    });
  }

  /** Stops every worker at once (cancel); queued files fail with `INTERNAL`. */
  terminate(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new StridewiseError('INTERNAL', 'the analysis was stopped'));
    for (const s of this.slots.splice(0)) {
      s.worker.terminate();
      s.current?.reject(new StridewiseError('INTERNAL', 'the analysis was stopped'));
    }
    if (this.url !== null) URL.revokeObjectURL(this.url);
    this.url = null;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      if (this.fallbackReason !== null) {
        for (const t of this.queue.splice(0)) analyzeBytes(t.bytes, t.parse, this.init.analysis, this.init.extras).then(t.resolve, t.reject);
        return;
      }
      const slot = this.slots.find((s) => s.ready && s.current === undefined);
      if (slot === undefined) {
        // wait for a starting worker, or start one more
        if (this.slots.some((s) => !s.ready) || this.slots.length >= this.size) return;
        this.spawn();
        continue;
      }
      const task = this.queue.shift()!;
      slot.current = task;
      const bytes = ownBytes(task.bytes);
      const msg: WorkerRequest = { kind: 'task', taskId: task.taskId, bytes, parse: task.parse };
      slot.worker.postMessage(msg, [bytes.buffer]);
    }
  }

  private spawn(): void {
    let worker: Worker;
    try {
      worker = new Worker(this.url!);
    } catch (error) {
      this.fallbackReason = `a worker cannot be started: ${error instanceof Error ? error.message : String(error)}`;
      return;
    }
    this.started++;
    const slot: Slot = { worker, ready: false, current: undefined };
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      const reply = event.data;
      if (reply.kind === 'ready') {
        slot.ready = true;
        this.pump();
        return;
      }
      const task = slot.current;
      slot.current = undefined;
      if (task !== undefined && task.taskId === reply.taskId) {
        if (reply.kind === 'done') task.resolve({ summaries: reply.summaries, extras: reply.extras });
        else task.reject(new StridewiseError(reply.code, reply.message));
      }
      this.pump();
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      const i = this.slots.indexOf(slot);
      if (i < 0) return;
      this.slots.splice(i, 1);
      worker.terminate();
      const task = slot.current;
      slot.current = undefined;
      if (!slot.ready && this.slots.every((s) => !s.ready)) {
        // no worker ever ran: workers do not work here, files run in the page
        this.fallbackReason = `the worker did not start (${event.message || 'error'})`;
      }
      task?.reject(new StridewiseError('INTERNAL', `the worker stopped while reading ${task.parse.fileName ?? 'a file'}: ${event.message}`));
      if (!this.closed) this.pump();
    };
    worker.postMessage(this.init);
    this.slots.push(slot);
  }
}
