/**
 * Runs hostile inputs through the parser in a worker thread, one at a time,
 * each with a time budget: a parse that hangs (an endless loop is synchronous
 * and cannot be interrupted from the test thread) is stopped by terminating
 * the worker, and the case fails with its label. Tallies outcomes per suite
 * and prints one line of counts at the end.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ParseOptions } from '../../src/parse/index.js';
import { repoRoot } from '../helpers/corpus.js';
import type { CaseOutcome } from './check.js';

/**
 * Cases per property: the given default, or `STRIDEWISE_FUZZ_RUNS` when set
 * (e.g. `STRIDEWISE_FUZZ_RUNS=5000 npx vitest run tests/hostile` for a long run).
 */
export function fuzzRuns(defaultRuns: number): number {
  const env = process.env['STRIDEWISE_FUZZ_RUNS'];
  const n = env === undefined ? Number.NaN : Number(env);
  return Number.isInteger(n) && n > 0 ? n : defaultRuns;
}

/** Seed of the fast-check runs: fixed, so a failure is reproducible; `STRIDEWISE_FUZZ_SEED` to explore. */
export function fuzzSeed(): number {
  const env = Number(process.env['STRIDEWISE_FUZZ_SEED']);
  return Number.isInteger(env) ? env : 20260525;
}

/**
 * Time budget of one parse and summary: 10 s plus 10 s per MiB. Unloaded, a
 * 1 MiB FIT file takes under 2 s and generated cases a few ms; the slack is
 * for busy CI machines. `STRIDEWISE_FUZZ_BUDGET_MS` overrides the base.
 */
export function budgetMs(bytes: number): number {
  const base = Number(process.env['STRIDEWISE_FUZZ_BUDGET_MS']);
  const b = Number.isFinite(base) && base > 0 ? base : 10_000;
  return b + Math.ceil((bytes / (1024 * 1024)) * b);
}

/** A case that broke a promise: hang, crash, untyped error, NaN in a summary. */
export class HostileFailure extends Error {
  override name = 'HostileFailure';
}

interface Pending {
  resolve: (o: CaseOutcome) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** Counts of one suite, printed and written to tests/.output/hostile-<suite>.json. */
export interface Tally {
  cases: number;
  activities: number;
  samples: number;
  byOutcome: Record<string, number>;
  slowestMs: number;
  slowestLabel: string;
}

export class ParseHarness {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  readonly tally: Tally = { cases: 0, activities: 0, samples: 0, byOutcome: {}, slowestMs: 0, slowestLabel: '' };

  constructor(readonly suite: string) {}

  private start(): Promise<void> {
    // The main thread's stack (V8 default ~1 MB), not a worker's 4 MB: stack overflows must show here as they would for users.
    const worker = new Worker(new URL('./parse-worker.mjs', import.meta.url), { resourceLimits: { stackSizeMb: 1 } });
    this.worker = worker;
    this.ready = new Promise((resolve, reject) => {
      const onFirst = (m: { ready?: boolean }): void => {
        if (m.ready === true) {
          worker.off('message', onFirst);
          resolve();
        }
      };
      worker.on('message', onFirst);
      worker.once('error', reject);
    });
    worker.on('message', (m: { id?: number; outcome?: CaseOutcome }) => {
      if (m.id === undefined || m.outcome === undefined) return;
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      p.resolve(m.outcome);
    });
    worker.on('error', (e) => {
      for (const p of this.pending.values()) {
        clearTimeout(p.timer);
        p.reject(new HostileFailure(`the parse worker died: ${e.message}`));
      }
      this.pending.clear();
      this.worker = undefined;
    });
    return this.ready;
  }

  /**
   * Parses `input` in the worker and returns the outcome. Throws
   * {@link HostileFailure} when the parse exceeds its budget (the worker is
   * replaced) or when the outcome has violations.
   */
  async check(input: Uint8Array | string, label: string, options: ParseOptions = {}, timeoutMs?: number): Promise<CaseOutcome> {
    if (this.worker === undefined) await this.start();
    else await this.ready;
    const worker = this.worker!;
    const id = this.nextId++;
    const size = typeof input === 'string' ? input.length : input.length;
    const limit = timeoutMs ?? budgetMs(size);
    const t0 = performance.now();
    const outcome = await new Promise<CaseOutcome>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        void worker.terminate();
        this.worker = undefined;
        reject(new HostileFailure(`${label}: parse did not finish within ${limit} ms (${size} bytes); the worker was stopped`));
      }, limit);
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, input, options });
    });
    const ms = performance.now() - t0;
    const t = this.tally;
    t.cases++;
    if (ms > t.slowestMs) {
      t.slowestMs = ms;
      t.slowestLabel = label;
    }
    const key = outcome.kind === 'activities' ? 'activities' : outcome.code;
    t.byOutcome[key] = (t.byOutcome[key] ?? 0) + 1;
    if (outcome.kind === 'activities') {
      t.activities += outcome.activities;
      t.samples += outcome.samples;
    }
    if (outcome.violations.length > 0) {
      throw new HostileFailure(`${label}: ${outcome.violations.slice(0, 8).join('\n  ')}`);
    }
    return outcome;
  }

  /** Stops the worker, prints the counts and writes them to tests/.output. */
  async close(): Promise<void> {
    if (this.worker !== undefined) await this.worker.terminate();
    this.worker = undefined;
    const t = this.tally;
    const outcomes = Object.entries(t.byOutcome)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    console.log(
      `[hostile] ${this.suite}: ${t.cases} cases, ${t.activities} activities (${t.samples} samples); outcomes: ${outcomes}; slowest ${t.slowestMs.toFixed(0)} ms (${t.slowestLabel})`,
    );
    try {
      const dir = join(repoRoot, 'tests', '.output');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `hostile-${this.suite}.json`), `${JSON.stringify({ suite: this.suite, ...t }, null, 2)}\n`);
    } catch {
      // the figures are informative only
    }
  }
}
