/**
 * Structural tests of the export pipeline (nothing here is timed): workers are
 * used, results do not depend on the worker count, no per-sample data is
 * kept or returned, failures stay per file, and the worker entry starts from
 * source and from the build.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExportZip, type ExportTruth } from '../../bench/lib/export.js';
import { encodeFitActivity, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { analyzeExport, type ExportAnalysis } from '../../src/node/pipeline.js';
import { findWorkerEntry, resolveWorkerCount, summarizeFileBytes, SummaryPool, workerExecArgv } from '../../src/node/workers.js';
import { repoRoot } from '../helpers/corpus.js';

let dir = '';
let zipPath = '';
let truth: ExportTruth;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stridewise-perf-'));
  // 7 runs of 15 min, 20 days apart: runs 6 (index 5) is GPX, run 7 TCX (xmlEvery 7), the rest FIT, one gzipped
  const built = buildExportZip({ runs: 7, seconds: 900, seed: 7, spacingDays: 20, xmlEvery: 7, withEmptyFit: true });
  truth = built.truth;
  zipPath = join(dir, 'export.zip');
  writeFileSync(zipPath, built.zip);
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

/** The part of the result that must not depend on threads. */
function stable(r: ExportAnalysis): unknown {
  return { summaries: r.summaries, history: r.history, findings: r.findings, errors: r.errors };
}

/** Every typed array, ArrayBuffer, symbol key or `samples` key anywhere in a value, by path. */
function heavyParts(value: unknown, path = '$', out: string[] = []): string[] {
  if (value === null || typeof value !== 'object') return out;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    out.push(path);
    return out;
  }
  for (const sym of Object.getOwnPropertySymbols(value)) out.push(`${path}[${String(sym)}]`);
  for (const [k, v] of Object.entries(value)) {
    if (k === 'samples') out.push(`${path}.samples`);
    heavyParts(v, `${path}.${k}`, out);
  }
  return out;
}

describe('analyzeExport on a generated export zip', () => {
  let one: ExportAnalysis;
  let two: ExportAnalysis;

  beforeAll(async () => {
    one = await analyzeExport(zipPath, { workers: 1 });
    two = await analyzeExport(zipPath, { workers: 2 });
  });

  it('finds every planted run once, with the CSV names and gear, and keeps the empty file as an error', () => {
    expect(one.summaries).toHaveLength(truth.runs);
    // runs are 20 days apart in order, so chronological order is Run 1 … Run 7
    expect(one.summaries.map((s) => s.name)).toEqual(truth.names);
    // gear alternates Shoe A / Shoe B in the CSV (index 0 = Shoe A); no file format carries gear, so this is the CSV join
    expect(one.summaries.map((s) => s.gear)).toEqual(truth.names.map((_, i) => (i % 2 === 0 ? 'Shoe A' : 'Shoe B')));
    expect(one.errors).toEqual([expect.objectContaining({ file: `${zipPath}!activities/empty.fit`, code: 'NOT_AN_ACTIVITY' })]);
    // 7 activity files + empty.fit; activities.csv is read for the join, not counted as a file
    expect(one.stats.files).toBe(8);
    expect(one.stats.byFile.reduce((n, f) => n + f.activities, 0)).toBe(7);
  });

  it('one worker reads every file in the calling thread', () => {
    expect(one.stats.workersRequested).toBe(1);
    expect(one.stats.workersStarted).toBe(0);
    expect(one.stats.fallbackReason).toBeNull();
    expect(new Set(one.stats.byFile.map((f) => f.workerId))).toEqual(new Set([0]));
  });

  it('two workers read the files in worker threads (started from the TypeScript source here)', () => {
    expect(two.stats.isolation).toBe('threads');
    expect(two.stats.fallbackReason).toBeNull();
    expect(two.stats.workersStarted).toBeGreaterThanOrEqual(1);
    expect(two.stats.workersStarted).toBeLessThanOrEqual(2);
    for (const f of two.stats.byFile) expect(f.workerId).toBeGreaterThan(0);
  });

  it('gives deep-equal and byte-identical JSON results for 1, 2 and 3 worker threads and 2 worker processes', async () => {
    const three = await analyzeExport(zipPath, { workers: 3 });
    const procs = await analyzeExport(zipPath, { workers: 2, isolation: 'processes' });
    expect(procs.stats.isolation).toBe('processes');
    expect(procs.stats.fallbackReason).toBeNull();
    expect(procs.stats.workersStarted).toBeGreaterThanOrEqual(1);
    for (const f of procs.stats.byFile) expect(f.workerId).not.toBe(process.pid);
    expect(stable(two)).toEqual(stable(one));
    expect(stable(three)).toEqual(stable(one));
    expect(stable(procs)).toEqual(stable(one));
    const json = JSON.stringify(stable(one));
    expect(JSON.stringify(stable(two))).toBe(json);
    expect(JSON.stringify(stable(three))).toBe(json);
    expect(JSON.stringify(stable(procs))).toBe(json);
  });

  it('returns no per-sample data: no typed arrays, no samples, no hidden keys anywhere in the result', () => {
    expect(Object.keys(one).sort()).toEqual(['duplicates', 'errors', 'findings', 'history', 'stats', 'summaries']);
    expect(heavyParts(one)).toEqual([]);
    expect(heavyParts(two)).toEqual([]);
    // and the result survives a JSON round trip unchanged (plain data only)
    expect(JSON.parse(JSON.stringify(stable(two)))).toEqual(stable(two));
  });

  it("uses worker threads with workers: 'auto' when the machine has more than one core", async () => {
    const auto = await analyzeExport(zipPath, { workers: 'auto' });
    expect(auto.stats.workersRequested).toBe(availableParallelism());
    if (availableParallelism() > 1) expect(auto.stats.workersStarted).toBeGreaterThan(0);
    else expect(auto.stats.workersStarted).toBe(0);
    expect(JSON.stringify(stable(auto))).toBe(JSON.stringify(stable(one)));
  });

  it('reports progress up to the total, never going back', async () => {
    const calls: [number, number | undefined][] = [];
    await analyzeExport(zipPath, { workers: 2, onProgress: (done, total) => calls.push([done, total]) });
    const last = calls[calls.length - 1]!;
    expect(last).toEqual([8, 8]);
    for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBeGreaterThanOrEqual(calls[i - 1]![0]);
  });

  it('passes analysis options to the workers (height changes step length relative to height)', async () => {
    const withHeight = await analyzeExport(zipPath, { workers: 2, analysis: { heightM: 1.8 } });
    const s = withHeight.summaries[0]!;
    expect(one.summaries[0]!.stepLength.relativeToHeight).toBeNull();
    // relativeToHeight = avg step length ÷ 1.8 m by definition (card O1)
    expect(s.stepLength.relativeToHeight).toBeCloseTo(s.stepLength.avgM! / 1.8, 9);
  });

  it('keeps a missing input as a per-file error and goes on', async () => {
    const r = await analyzeExport([join(dir, 'nope.fit'), zipPath], { workers: 2 });
    // errors sorted by file: `…/export.zip!activities/empty.fit` before `…/nope.fit`
    expect(r.errors.map((e) => [e.file, e.code])).toEqual([
      [`${zipPath}!activities/empty.fit`, 'NOT_AN_ACTIVITY'],
      [join(dir, 'nope.fit'), 'FILE_NOT_FOUND'],
    ]);
    expect(r.summaries).toHaveLength(truth.runs);
  });

  it('stops every worker and rejects when aborted', async () => {
    const controller = new AbortController();
    const run = analyzeExport(zipPath, {
      workers: 2,
      signal: controller.signal,
      onProgress: (done) => {
        if (done === 2) controller.abort(new Error('stop here'));
      },
    });
    await expect(run).rejects.toThrow('stop here');
  });
});

describe('worker options', () => {
  it('refuses an unknown isolation with INVALID_OPTION', async () => {
    await expect(analyzeExport(zipPath, { isolation: 'fibers' as 'threads' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it.each([0, -1, 1.5, Number.NaN, 'many'])('refuses workers = %s with INVALID_OPTION', async (workers) => {
    expect(() => resolveWorkerCount(workers as number)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    await expect(analyzeExport(zipPath, { workers: workers as number })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});

describe('workerExecArgv', () => {
  it('drops --input-type (it stops a worker from starting under `node -e`) and keeps every other option', () => {
    expect(workerExecArgv(['--input-type=module', '--max-old-space-size=512'])).toEqual(['--max-old-space-size=512']);
    expect(workerExecArgv(['--input-type', 'module', '--import', 'x.mjs'])).toEqual(['--import', 'x.mjs']);
    expect(workerExecArgv(['--eval', 'console.log(1)', '--no-warnings'])).toEqual(['--no-warnings']);
    expect(workerExecArgv([])).toEqual([]);
  });
});

describe('SummaryPool', () => {
  const fit = (): Uint8Array =>
    encodeFitActivity({ startTime: new Date('2024-03-01T07:00:00Z'), samples: steadyRunSamples({ seconds: 700, speedMps: 3, cadenceSpm: 172 }) });

  it('finds the TypeScript worker entry when run from source', () => {
    const entry = findWorkerEntry();
    expect(entry.ok).toBe(true);
    expect('evalCode' in entry && entry.evalCode).toContain('worker.ts');
  });

  it('transfers bytes that own their buffer and copies a view into a larger one', async () => {
    const pool = new SummaryPool({ maxWorkers: 2, analysis: {} });
    try {
      const owned = fit();
      const r1 = await pool.summarize(owned, { fileName: 'owned.fit' });
      expect(owned.byteLength).toBe(0); // detached: moved to the worker, not copied
      const bytes = fit();
      const big = new Uint8Array(bytes.length + 10);
      big.set(bytes, 5);
      const view = big.subarray(5, 5 + bytes.length);
      const r2 = await pool.summarize(view, { fileName: 'view.fit' });
      expect(big.byteLength).toBe(bytes.length + 10); // the caller's larger buffer is left alone
      expect(r2.summaries.map((s) => s.distanceM)).toEqual(r1.summaries.map((s) => s.distanceM));
      expect(r1.workerId).toBeGreaterThan(0);
    } finally {
      await pool.close();
    }
  });

  it.each(['threads', 'processes'] as const)('answers with summaries only, equal to the same work in the calling thread (%s)', async (isolation) => {
    const here = await summarizeFileBytes(fit(), { fileName: 'a.fit' }, {});
    const pool = new SummaryPool({ maxWorkers: 2, analysis: {}, isolation });
    try {
      const there = await pool.summarize(fit(), { fileName: 'a.fit' });
      expect(Object.keys(there).sort()).toEqual(['summaries', 'workerId']);
      // a thread id is small and not ours; a process id is another process's
      expect(there.workerId).toBeGreaterThan(0);
      if (isolation === 'processes') expect(there.workerId).not.toBe(process.pid);
      expect(there.summaries).toEqual(here);
      expect(heavyParts(there)).toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it('gives a parse error the same code and message as in the calling thread', async () => {
    const pool = new SummaryPool({ maxWorkers: 2, analysis: {} });
    const junk = new TextEncoder().encode('not an activity at all');
    try {
      const inThread = summarizeFileBytes(junk, { fileName: 'junk.txt' }, {});
      await expect(inThread).rejects.toMatchObject({ code: 'UNKNOWN_FORMAT' });
      const err = (await inThread.then(
        () => new Error('resolved'),
        (e: unknown) => e as Error,
      ));
      await expect(pool.summarize(new TextEncoder().encode('not an activity at all'), { fileName: 'junk.txt' })).rejects.toMatchObject({
        code: 'UNKNOWN_FORMAT',
        message: err.message,
      });
    } finally {
      await pool.close();
    }
  });

  it('falls back to the calling thread when no worker entry can be found, and says why', async () => {
    const pool = new SummaryPool({ maxWorkers: 2, analysis: {}, entry: { ok: false, reason: 'no entry here' } });
    try {
      const r = await pool.summarize(fit(), { fileName: 'a.fit' });
      expect(r.workerId).toBe(0);
      expect(pool.fallbackReason).toBe('no entry here');
      expect(pool.workersStarted).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it.each(['threads', 'processes'] as const)('falls back to the calling thread when the worker entry fails to load (%s)', async (isolation) => {
    const pool = new SummaryPool({ maxWorkers: 2, analysis: {}, isolation, entry: { ok: true, evalCode: 'throw new Error("entry broken")' } });
    try {
      const r = await pool.summarize(fit(), { fileName: 'a.fit' });
      expect(r.workerId).toBe(0);
      expect(r.summaries).toHaveLength(1);
      expect(pool.fallbackReason).toContain('entry broken');
    } finally {
      await pool.close();
    }
  });

  it.each(['threads', 'processes'] as const)('fails only the current file with INTERNAL when a worker dies mid-file (%s)', async (isolation) => {
    const dies =
      isolation === 'threads'
        ? `const { parentPort } = require('node:worker_threads'); parentPort.on('message', () => process.exit(3)); parentPort.postMessage({ ready: true });`
        : `process.on('message', (m) => { if (!('init' in m)) process.exit(3); }); process.send({ ready: true });`;
    const pool = new SummaryPool({ maxWorkers: 2, analysis: {}, isolation, entry: { ok: true, evalCode: dies } });
    try {
      await expect(pool.summarize(fit(), { fileName: 'a.fit' })).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringContaining('a.fit') });
      expect(pool.fallbackReason).toBeNull();
    } finally {
      await pool.close();
    }
  });
});

const builtWorker = join(repoRoot, 'dist', 'worker.js');
describe.skipIf(!existsSync(builtWorker))('built worker entry (dist/worker.js; skipped until `tsup` has run)', () => {
  it('summarises like the calling thread', async () => {
    const bytes = encodeFitActivity({ startTime: new Date('2024-03-01T07:00:00Z'), samples: steadyRunSamples({ seconds: 700, speedMps: 3, cadenceSpm: 172 }) });
    const here = await summarizeFileBytes(bytes.slice(), { fileName: 'a.fit' }, {});
    for (const isolation of ['threads', 'processes'] as const) {
      const pool = new SummaryPool({ maxWorkers: 2, analysis: {}, isolation, entry: { ok: true, url: pathToFileURL(builtWorker) } });
      try {
        const there = await pool.summarize(bytes.slice(), { fileName: 'a.fit' });
        expect(there.workerId).toBeGreaterThan(0);
        expect(there.summaries).toEqual(here);
      } finally {
        await pool.close();
      }
    }
  });
});
