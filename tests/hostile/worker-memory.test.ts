/**
 * Memory per worker is bounded: each worker has a heap limit, a file that
 * goes over it fails with `OUT_OF_MEMORY` while the other files are read
 * (its worker is replaced), and `workers: 'auto'` starts no more workers
 * than fit in half the memory.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeFitActivity, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { analyzeExport, autoWorkerCount } from '../../src/node/index.js';
import { SummaryPool } from '../../src/node/workers.js';
import { tinyRecordsFit } from './fit-raw.js';

const GiB = 2 ** 30;

describe('autoWorkerCount', () => {
  it('is one per core while memory allows', () => {
    // 2 cores, 16 GiB: 8 GiB for workers / 1.75 GiB each = 4 ≥ 2 cores
    expect(autoWorkerCount({ cores: 2, totalMemBytes: 16 * GiB })).toBe(2);
  });
  it('is capped by memory on many-core hosts', () => {
    // 64 cores, 16 GiB: floor(8 GiB / (1024 + 768) MiB) = floor(4.57) = 4
    expect(autoWorkerCount({ cores: 64, totalMemBytes: 16 * GiB })).toBe(4);
    // 128 cores, 256 GiB: floor(128 GiB / 1.75 GiB) = 73
    expect(autoWorkerCount({ cores: 128, totalMemBytes: 256 * GiB })).toBe(73);
  });
  it('takes the smaller of the machine and a container limit', () => {
    // 32 cores, 64 GiB machine, 4 GiB container: floor(2 GiB / 1.75 GiB) = 1
    expect(autoWorkerCount({ cores: 32, totalMemBytes: 64 * GiB, constrainedMemBytes: 4 * GiB })).toBe(1);
    // no limit reported as 0 or 2^64: the machine's memory counts
    expect(autoWorkerCount({ cores: 32, totalMemBytes: 64 * GiB, constrainedMemBytes: 0 })).toBe(18);
    expect(autoWorkerCount({ cores: 32, totalMemBytes: 64 * GiB, constrainedMemBytes: 2 ** 64 })).toBe(18);
  });
  it('sizes by the worker heap limit and never goes below one', () => {
    // 16 cores, 8 GiB, 256 MiB heaps: floor(4096 / (256 + 768)) = 4
    expect(autoWorkerCount({ cores: 16, totalMemBytes: 8 * GiB, workerHeapMb: 256 })).toBe(4);
    expect(autoWorkerCount({ cores: 16, totalMemBytes: 1 * GiB })).toBe(1);
  });
});

const root = mkdtempSync(join(tmpdir(), 'stridewise-worker-memory-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const run = (day: number): Uint8Array =>
  encodeFitActivity({ startTime: new Date(Date.UTC(2025, 2, day, 7)), samples: steadyRunSamples({ seconds: 600, speedMps: 3, cadenceSpm: 170 }) });

describe('a worker over its heap limit', () => {
  const HEAP_MB = 32;
  // 1,000,000 two-byte records: decoding them needs some 100 MiB of heap (400,000 need 40–50 MiB, measured with --max-old-space-size)
  const heavy = tinyRecordsFit(1_000_000);

  it('fails that file with OUT_OF_MEMORY and the pool reads the others in new workers', async () => {
    const pool = new SummaryPool({ maxWorkers: 2, analysis: {}, workerHeapMb: HEAP_MB });
    try {
      const results = await Promise.allSettled([
        pool.summarize(heavy.slice(), { fileName: 'heavy.fit' }),
        pool.summarize(heavy.slice(), { fileName: 'heavy2.fit' }),
        pool.summarize(run(2), { fileName: 'b.fit' }),
        pool.summarize(run(3), { fileName: 'c.fit' }),
      ]);
      expect(pool.fallbackReason).toBeNull();
      const outcome = results.map((r) => (r.status === 'fulfilled' ? r.value.summaries.length : (r.reason as { code?: string }).code));
      expect(outcome).toEqual(['OUT_OF_MEMORY', 'OUT_OF_MEMORY', 1, 1]);
      expect((results[0] as PromiseRejectedResult).reason.message).toContain('heap limit of 32 MiB');
      // each heavy file took one worker down (the queue is first in, first out); b and c were read by a replacement
      expect(pool.workersStarted).toBeGreaterThanOrEqual(3);
    } finally {
      await pool.close();
    }
  });

  it('in analyzeExport with worker processes, is one error and the batch goes on', async () => {
    const dir = join(root, 'batch');
    const files = ['a.fit', 'heavy.fit', 'b.fit'].map((f) => join(dir, f));
    (await import('node:fs')).mkdirSync(dir);
    writeFileSync(files[0]!, run(4));
    writeFileSync(files[1]!, heavy);
    writeFileSync(files[2]!, run(5));
    const r = await analyzeExport(dir, { workers: 2, workerHeapMb: HEAP_MB, isolation: 'processes' });
    expect(r.errors.map((e) => [e.file, e.code])).toEqual([[files[1], 'OUT_OF_MEMORY']]);
    expect(r.summaries).toHaveLength(2);
  });

  it('refuses a heap limit that is not a whole number of at least 16 MiB', async () => {
    await expect(analyzeExport(root, { workers: 2, workerHeapMb: 8 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});
