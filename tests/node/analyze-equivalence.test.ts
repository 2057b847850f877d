/**
 * `analyzeActivities` (core, parsed activities) and `analyzeExport` (files
 * read through workers) end in the same combine step, so the same files
 * give the same summaries, history, findings, duplicates and extras either
 * way. Five weeks of the demo season, without a time-zone option: one TCX
 * has its positions removed, so it takes the zone of its FIT neighbours;
 * the hilliest run is given twice under another name, so one copy is left
 * out as a duplicate.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeDemoActivity, generateDemoSeason } from '../../fixtures/demo-season/index.js';
import { analyzeActivities } from '../../src/analyze.js';
import type { ExtrasRequest } from '../../src/analysis/extras.js';
import { parseActivities } from '../../src/parse/index.js';
import { analyzeExport } from '../../src/node/pipeline.js';
import { tempDir } from './build.js';

const EXTRAS: ExtrasRequest = { cadenceHistogram: true, elevationProfile: true, keepProfiles: 'hilliest', runTrace: true };

describe('analyzeActivities and analyzeExport on the same files', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('give the same summaries, history, findings, duplicates and extras', async () => {
    const dir = join(t.dir, 'season');
    const files = generateDemoSeason()
      .filter((a) => /^w0[1-4]-|^w08-thu-hills-gps$/.test(a.plan.key))
      .map((a) => t.write(`season/${a.fileName}`, encodeDemoActivity(a)));
    // a TCX without positions (as from a treadmill): no zone of its own
    const tcx = files.find((f) => f.includes('w03-thu-tcx'))!;
    writeFileSync(tcx, readFileSync(tcx, 'utf8').replace(/<Position>[\s\S]*?<\/Position>/g, ''));
    // the hilliest run of the season (planted: 'w08-thu-hills-gps', GPS hills), given twice
    const hills = files.find((f) => f.includes('w08-thu-hills-gps'))!;
    expect(hills).toBeDefined();
    const copy = join(dir, `zz-copy-of-${basename(hills)}`);
    copyFileSync(hills, copy);
    const paths = [...files, copy];

    const fromExport = await analyzeExport(paths, { workers: 1, extras: EXTRAS });
    expect(fromExport.errors).toEqual([]);
    const activities = [];
    for (const p of paths) activities.push(...(await parseActivities(new Uint8Array(readFileSync(p)), { fileName: p })));
    // order of the input does not matter: give them reversed
    const fromCore = analyzeActivities(activities.reverse(), { extras: EXTRAS });

    expect(fromCore.summaries).toEqual(fromExport.summaries);
    expect(fromCore.history).toEqual(fromExport.history);
    expect(fromCore.findings).toEqual(fromExport.findings);
    expect(fromCore.duplicates).toEqual(fromExport.duplicates);
    expect(fromCore.extras).toEqual(fromExport.extras);

    // what the combine step did, so the comparison above is not between two empty results
    expect(fromExport.summaries.length).toBe(files.length);
    expect(fromExport.duplicates).toHaveLength(1);
    expect(fromExport.duplicates[0]!.file).toBe(copy);
    expect(fromExport.summaries.find((s) => s.file === tcx)?.timeZoneSource).toBe('export');
    expect(fromExport.findings.length).toBeGreaterThan(0);
    // one elevation profile kept: the hilliest run's
    const profiles = fromExport.extras!.filter((e) => e.elevationProfile !== null);
    expect(profiles).toHaveLength(1);
    expect(fromExport.summaries.find((s) => s.id === profiles[0]!.activityId)?.file).toBe(hills);
  });
});
