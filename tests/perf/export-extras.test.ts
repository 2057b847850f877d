/**
 * analyzeExport's per-activity extras (cadence histogram, bounded elevation
 * profile): computed in the workers beside each summary, equal to what the
 * same functions give on the parsed activities in this thread, independent
 * of the worker count, and small. Also the `until` filter and the
 * duplicates list the command relies on.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExportZip } from '../../bench/lib/export.js';
import { activityExtrasOf, cadenceHistogramOf, elevationProfileOf } from '../../src/analysis/extras.js';
import { summarizeActivity } from '../../src/analysis/summarize.js';
import { loadActivities } from '../../src/node/load.js';
import { analyzeExport, type ExportAnalysis } from '../../src/node/pipeline.js';

let dir = '';
let zipPath = '';
const RUNS = 6;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stridewise-extras-'));
  // 6 runs of 15 min, 3 days apart, each with a seeded sinusoidal hill (bench/lib/export.ts)
  const built = buildExportZip({ runs: RUNS, seconds: 900, seed: 11, spacingDays: 3, xmlEvery: 4 });
  zipPath = join(dir, 'export.zip');
  writeFileSync(zipPath, built.zip);
});

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const extras = { cadenceHistogram: true, elevationProfile: true, elevationProfilePoints: 120 } as const;

describe('analyzeExport extras', () => {
  let one: ExportAnalysis;
  let two: ExportAnalysis;

  beforeAll(async () => {
    one = await analyzeExport(zipPath, { workers: 1, extras });
    two = await analyzeExport(zipPath, { workers: 2, extras });
  }, 120_000);

  it('gives one extras entry per summary, the same with 1 and 2 workers', () => {
    expect(one.summaries).toHaveLength(RUNS);
    expect(one.extras?.map((e) => e.activityId)).toEqual(one.summaries.map((s) => s.id));
    expect(JSON.stringify(two.extras)).toBe(JSON.stringify(one.extras));
    expect(JSON.stringify(two.summaries)).toBe(JSON.stringify(one.summaries));
  });

  it('equals the extras computed on the parsed activities in this thread', async () => {
    const expected = new Map<string, unknown>();
    for await (const file of loadActivities(zipPath)) {
      for (const a of file.activities) {
        const s = summarizeActivity(a);
        // each run has a hill, so a descent: a candidate for the profile
        expect(s.elevation.descentM).toBeGreaterThan(0);
        expected.set(s.id, { activityId: s.id, cadenceHistogram: cadenceHistogramOf(a), elevationProfile: elevationProfileOf(a, { points: 120 }) });
        expect(activityExtrasOf(a, s, extras)).toEqual(expected.get(s.id));
      }
    }
    for (const e of one.extras ?? []) expect(e).toEqual(expected.get(e.activityId));
  });

  it('keeps extras small: at most the asked number of profile points, no typed arrays', () => {
    for (const e of one.extras ?? []) {
      expect(e.elevationProfile?.distanceM.length).toBe(120); // 900 s of 1 s samples give more than 120 bins' worth
      expect(e.cadenceHistogram?.timeS).toHaveLength(50); // (220 - 120) / 2 spm bins
      expect(ArrayBuffer.isView(e.elevationProfile?.altitudeM)).toBe(false);
    }
    // a 15-minute run's profile + histogram is a few kB of JSON, not its 900 samples per column
    expect(JSON.stringify(one.extras).length / RUNS).toBeLessThan(8000);
  });

  it("keepProfiles: 'hilliest' keeps only the profile of the most descent (from a date on) and the named one", async () => {
    const all = one.extras ?? [];
    const descent = (id: string): number => one.summaries.find((s) => s.id === id)!.elevation.descentM!;
    const hilliestOf = (ids: readonly string[]): string => [...ids].sort((a, b) => descent(b) - descent(a) || (a < b ? -1 : 1))[0]!;
    const ids = one.summaries.map((s) => s.id);
    const dates = one.summaries.map((s) => s.localDate!);
    const named = ids[0]!; // the earliest run, named by its id
    const from = dates[3]!; // only the last three runs compete
    const copyPath = join(dir, 'twin.zip');
    writeFileSync(copyPath, readFileSync(zipPath));
    for (const workers of [1, 2]) {
      const kept = await analyzeExport([zipPath, copyPath], {
        workers,
        extras: { ...extras, keepProfiles: 'hilliest', hilliestFromDate: from, profileActivityId: named },
      });
      const withProfile = (kept.extras ?? []).filter((e) => e.elevationProfile !== null).map((e) => e.activityId);
      const expected = [named, hilliestOf(ids.slice(3))].sort();
      expect([...withProfile].sort()).toEqual(expected);
      // the profiles kept are the ones every candidate had, and every histogram is still there
      for (const e of kept.extras ?? []) {
        const same = all.find((x) => x.activityId === e.activityId)!;
        expect(e.cadenceHistogram).toEqual(same.cadenceHistogram);
        if (e.elevationProfile !== null) expect(e.elevationProfile).toEqual(same.elevationProfile);
      }
    }
    // without a start date every run competes
    const anyDate = await analyzeExport(zipPath, { workers: 2, extras: { ...extras, keepProfiles: 'hilliest' } });
    expect(anyDate.extras?.filter((e) => e.elevationProfile !== null).map((e) => e.activityId)).toEqual([hilliestOf(ids)]);
  }, 120_000);

  it('leaves extras out unless asked for', async () => {
    const plain = await analyzeExport(zipPath, { workers: 1 });
    expect(plain.extras).toBeUndefined();
  });

  it('until leaves later (and undated) activities out before history and rules; the same export twice is listed as duplicates', async () => {
    const dates = one.summaries.map((s) => s.localDate!).sort();
    const until = dates[2]!;
    const copyPath = join(dir, 'copy.zip');
    writeFileSync(copyPath, readFileSync(zipPath));
    const limited = await analyzeExport([zipPath, copyPath], { workers: 2, until, extras });
    expect(limited.summaries.map((s) => s.localDate)).toEqual(dates.slice(0, 3));
    expect(limited.history.lastDate).toBe(until);
    expect(limited.extras?.map((e) => e.activityId)).toEqual(limited.summaries.map((s) => s.id));
    // the same export under two names: each activity kept from copy.zip ('c' sorts before 'e'), the export.zip one a duplicate
    expect(limited.summaries.every((s) => s.file?.startsWith(`${copyPath}!`))).toBe(true);
    expect(limited.duplicates).toEqual(
      limited.summaries.map((s) => ({
        file: s.file!.replace(copyPath, zipPath),
        activityId: s.id,
        keptFile: s.file,
        keptActivityId: s.id,
        reason: expect.stringContaining('the same recording found twice') as unknown as string,
      })),
    );
  }, 120_000);

  it('refuses a bad until or profile size before reading anything', async () => {
    await expect(analyzeExport(zipPath, { until: '2026-02-30' })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(analyzeExport(zipPath, { extras: { elevationProfile: true, elevationProfilePoints: 1 } })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(analyzeExport(zipPath, { extras: { keepProfiles: 'hilliest', hilliestFromDate: '1.1.2020' } })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});
