/**
 * Aborting `analyzeExport` stops the file being read, and a per-file time
 * budget turns a file that takes too long into a `TIMEOUT` error while the
 * batch goes on. The long file is 1,200,000 two-byte FIT records (2.4 MB):
 * fit-file-parser needs about 0.9 s for it on a quiet 2-core machine (more
 * under load), in one synchronous stretch; the budgets below are a third of
 * that or less, so the test does not depend on how busy the machine is.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeFitActivity, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { analyzeExport } from '../../src/node/index.js';
import { tinyRecordsFit } from './fit-raw.js';

const root = mkdtempSync(join(tmpdir(), 'stridewise-abort-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const slow = join(root, 'slow.fit');
writeFileSync(slow, tinyRecordsFit(1_200_000));
const slowest = join(root, 'slowest.fit');
writeFileSync(slowest, tinyRecordsFit(3_000_000));
const good = join(root, 'good.fit');
writeFileSync(good, encodeFitActivity({ startTime: new Date('2025-03-01T07:00:00Z'), samples: steadyRunSamples({ seconds: 600, speedMps: 3, cadenceSpm: 170 }) }));

/**
 * Runs analyzeExport over `paths`, aborting `afterMs` after the start (or,
 * with `afterFirstFile`, after the first file is done, when the workers are
 * up and the next file is being read); how it settled and how long after the abort.
 */
async function abortAfter(
  paths: string[],
  afterMs: number,
  workers: number,
  afterFirstFile = false,
): Promise<{ outcome: string; settledAfterAbortMs: number }> {
  const controller = new AbortController();
  const reason = new Error('stopped by the test');
  let abortedAt = Number.NaN;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (): void => {
    timer ??= setTimeout(() => {
      abortedAt = performance.now();
      controller.abort(reason);
    }, afterMs);
  };
  if (!afterFirstFile) arm();
  let outcome: string;
  try {
    const r = await analyzeExport(paths, { workers, signal: controller.signal, onProgress: (done) => done >= 1 && arm() });
    outcome = `resolved with ${r.summaries.length} summaries`;
  } catch (e) {
    outcome = e === reason ? 'rejected with the reason' : `rejected with ${String(e)}`;
  } finally {
    clearTimeout(timer);
  }
  return { outcome, settledAfterAbortMs: performance.now() - abortedAt };
}

describe('abort', () => {
  it('with workers, the busy worker is terminated and the call settles at once', async () => {
    // Before: it settled when the worker finished the file, a second or more later.
    const r = await abortAfter([good, slow], 150, 2, true);
    expect(r.outcome).toBe('rejected with the reason');
    expect(r.settledAfterAbortMs).toBeLessThan(500);
  });

  it('in the calling thread (workers: 1), an abort during a long parse is seen when the parse ends', async () => {
    // Before: the abort fired only after the call had resolved normally.
    const r = await abortAfter([slow], 300, 1);
    expect(r.outcome).toBe('rejected with the reason');
  });
});

describe('per-file time budget', () => {
  it('a file over its budget fails with TIMEOUT in a worker, and the other file is still read', async () => {
    // The budget runs from when a ready worker is handed the file. The good file (parser loading included) takes
    // a few tens of ms on a quiet machine and stayed under 0.3 s only there, so this budget is 1 s and the slow
    // file 3,000,000 records (about 2.3 s quiet); the workers get room for its objects (about 1.5 GB).
    const r = await analyzeExport([slowest, good], { workers: 2, fileTimeoutMs: 1000, workerHeapMb: 4096 });
    expect(r.errors).toEqual([{ file: slowest, code: 'TIMEOUT', message: expect.stringContaining('time budget of 1 s') }]);
    expect(r.summaries.map((s) => s.file)).toEqual([good]);
  });

  it('in the calling thread the budget is checked after the parse', async () => {
    const r = await analyzeExport([good, slow], { workers: 1, fileTimeoutMs: 300 });
    expect(r.errors.map((e) => [e.file, e.code])).toEqual([[slow, 'TIMEOUT']]);
    expect(r.summaries.map((s) => s.file)).toEqual([good]);
  });

  it('a budget that is not a positive number is refused', async () => {
    await expect(analyzeExport([good], { workers: 1, fileTimeoutMs: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});
