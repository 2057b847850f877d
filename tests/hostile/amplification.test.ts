/**
 * Small files that used to cost minutes or gigabytes: one-second laps
 * (analysis was quadratic in laps × samples) and FIT files of millions of
 * tiny records (every record was decoded into an object before the sample
 * limit was looked at).
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import type { Lap } from '../../src/activity.js';
import { summarizeActivity } from '../../src/analysis/index.js';
import { DEFAULT_PARSE_LIMITS, parseActivities } from '../../src/index.js';
import * as decode from '../../src/parse/fit/decode.js';
import { scanFit } from '../../src/parse/fit/scan.js';
import { makeActivity, series } from '../analysis/helpers.js';
import type { CaseOutcome } from './check.js';
import { manyLapsFit, tinyRecordsFit } from './fit-raw.js';

vi.mock('../../src/parse/fit/decode.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/parse/fit/decode.js')>();
  return { ...original, decodeFitPart: vi.fn(original.decodeFitPart) };
});

/** Fastest of `runs` calls, ms (the least disturbed by other work on the machine). */
function fastestMs(runs: number, f: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    f();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

describe('laps', () => {
  it('20,000 one-second laps cost about what one lap costs, and every lap keeps its own figures', () => {
    const n = 20_001;
    // cadence 150 + (i mod 50) at sample i; lap k spans (k, k+1] and so holds sample k+1 alone
    const columns = {
      timeS: series(n, (i) => i),
      distanceM: series(n, (i) => 3 * i),
      speedMps: series(n, () => 3),
      cadenceSpm: series(n, (i) => 150 + (i % 50)),
    };
    const laps: Lap[] = series(n - 1, (k) => k).map((k) => ({
      startS: k,
      endS: k + 1,
      timerTimeS: 1,
      distanceM: 3,
      avgCadenceSpm: Number.NaN,
    }));
    const many = makeActivity({ columns, laps });
    const one = makeActivity({ columns, laps: [{ startS: 0, endS: n - 1, timerTimeS: n - 1, distanceM: 3 * (n - 1), avgCadenceSpm: Number.NaN }] });
    const summary = summarizeActivity(many);
    expect(summary.cadence.laps).toHaveLength(n - 1);
    for (const k of [10, 777, 19_999]) {
      expect(summary.cadence.laps[k]).toEqual({ index: k, avgSpm: 150 + ((k + 1) % 50), speedMps: 3, timeS: 1 });
    }
    const tOne = fastestMs(3, () => summarizeActivity(one));
    const tMany = fastestMs(3, () => summarizeActivity(many));
    // Before: one scan of every sample per lap, 11 s against 50 ms (over 200×). Linear now: the laps add about one pass.
    expect(tMany).toBeLessThan(10 * tOne + 50);
  });

  it('a FIT file with more laps than the cap keeps the first 100,000 and says so', async () => {
    const bytes = manyLapsFit(10, 100_001); // 1.3 MB
    const [a] = await parseActivities(bytes, { fileName: 'laps.fit' });
    expect(a!.laps).toHaveLength(100_000);
    expect(a!.warnings.map((w) => w.code)).toContain('TOO_MANY_LAPS');
    expect(a!.samples.length).toBe(11);
    const s = summarizeActivity(a!);
    // lap k (k < 10 and again every 10 laps) spans second k to k+1: one sample at 170 steps/min, 3 m/s
    expect(s.cadence.laps[23]).toEqual({ index: 23, avgSpm: 170, speedMps: 3, timeS: 1 });
  });
});

describe('FIT records counted before decoding', () => {
  it('refuses a file over the sample limit from the structural scan, without decoding a message', async () => {
    const decodeFitPart = vi.mocked(decode.decodeFitPart);
    decodeFitPart.mockClear();
    const limits = { maxSamplesPerFile: 1_000 };
    await expect(parseActivities(tinyRecordsFit(1_000), { limits })).resolves.toHaveLength(1);
    expect(decodeFitPart).toHaveBeenCalledTimes(1);
    decodeFitPart.mockClear();
    await expect(parseActivities(tinyRecordsFit(1_001), { limits })).rejects.toMatchObject({ code: 'TOO_MANY_SAMPLES' });
    expect(decodeFitPart).not.toHaveBeenCalled();
  });

  it('the scan stops once the count passes the limit, so refusing a huge file costs the limit, not the file', () => {
    const bytes = tinyRecordsFit(200_000);
    const full = scanFit(bytes);
    expect(full.parts[0]).toMatchObject({ recordMessages: 200_000 });
    const stopped = scanFit(bytes, { records: 1_000, messages: Number.POSITIVE_INFINITY });
    // records 1 and 2 are the timed and the first heart-rate record; the scan stops at record 1,001
    expect(stopped.parts).toHaveLength(1);
    expect(stopped.parts[0]).toMatchObject({ recordMessages: 1_001, stopped: true });
    expect(stopped.parts[0]!.problem).toBeUndefined();
  });

  it('refuses a file of millions of non-record messages the same way', async () => {
    const decodeFitPart = vi.mocked(decode.decodeFitPart);
    decodeFitPart.mockClear();
    // 1 + 2,500 laps and 11 records: 2,512 data messages > 2 × 1,000
    await expect(parseActivities(manyLapsFit(10, 2_500), { limits: { maxSamplesPerFile: 1_000 } })).rejects.toMatchObject({
      code: 'TOO_MANY_SAMPLES',
    });
    expect(decodeFitPart).not.toHaveBeenCalled();
  });

  it('with the default limits, 4,000,001 two-byte records (8 MB) are refused within a 64 MB heap', async () => {
    const bytes = tinyRecordsFit(DEFAULT_PARSE_LIMITS.maxSamplesPerFile + 1);
    // Before: decoded first, 574 MB peak RSS and 7 s; a 64 MB heap runs out of memory.
    const worker = new Worker(new URL('./parse-worker.mjs', import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: 64 } });
    try {
      const outcome = await new Promise<CaseOutcome>((resolve, reject) => {
        worker.on('error', reject);
        worker.on('message', (m: { ready?: boolean; outcome?: CaseOutcome }) => {
          if (m.ready === true) worker.postMessage({ id: 1, input: bytes, options: {} });
          else if (m.outcome !== undefined) resolve(m.outcome);
        });
      });
      expect(outcome).toMatchObject({ kind: 'error', code: 'TOO_MANY_SAMPLES' });
    } finally {
      await worker.terminate();
    }
  }, 20_000);
});
