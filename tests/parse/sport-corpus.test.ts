/**
 * Sport resolution on the real files of the shared corpus: what the files
 * without a sport become, checked against MANIFEST.tsv's `sport` column
 * (ground truth where the source project states it).
 */
import { describe, expect, it } from 'vitest';
import type { Activity } from '../../src/activity.js';
import { parseActivities } from '../../src/parse/index.js';
import { corpusAvailable, corpusSkipReason, readCorpusFile, readManifest } from '../helpers/corpus.js';

async function parse(path: string): Promise<Activity[]> {
  return parseActivities(readCorpusFile(path), { fileName: path });
}

describe.skipIf(!corpusAvailable)(`sport of corpus files that state none (${corpusAvailable ? 'real files' : corpusSkipReason})`, () => {
  it.each([
    // Polar Flow GPX without <type>: 13.7 km at a steady 3.2 m/s, no cadence (MANIFEST: running)
    ['polar-vantage-v/polar.gpx', 'running', 'inferred'],
    // TomTom GPX named RUNNING (MANIFEST: running)
    ['npm-gpx-parse/route-1.1.gpx', 'running', 'name'],
    // Strava iPhone GPX without <type>, named "Morning Ride" (MANIFEST: cycling)
    ['npm-stoplight/sample-ride.gpx', 'cycling', 'name'],
    // Apple Watch GPX with <type>running</type>
    ['togeojson/Friday-Evening-Run.gpx', 'running', 'file'],
  ])('%s → %s from %s', async (path, sport, source) => {
    const [a] = await parse(path);
    expect([a!.sport, a!.sportSource]).toEqual([sport, source]);
  });

  it('a fenix 2 multisport session without a sport (3.3 h at 2.1 m/s, stroke-like cadence where recorded) is a boat, never a run', async () => {
    const all = await parse('python-fitparse/activity-large-fenxi2-multisport.fit');
    // cadence (median 40 /min) on 28 % of the moving time: strokes, low confidence
    expect([all[0]!.sport, all[0]!.sportSource, all[0]!.sportConfidence]).toEqual(['rowing', 'inferred', 0.6]);
    expect(all[0]!.cadence.factor).toBe(1);
    // the sessions that state their sport keep it
    expect(all.slice(1).every((a) => a.sportSource === 'file')).toBe(true);
  });

  it('GPSBabel logs without <type>: only what the data show is decided; nothing becomes a run', async () => {
    const logs = await parse('gpxpy/cerknicko-jezero-without-elevations.gpx');
    expect(logs.some((a) => a.sport === 'running')).toBe(false);
    // ACTIVE LOG #2: 16 minutes moving at 1.3 m/s
    expect(logs.find((a) => a.name === 'ACTIVE LOG #2')).toMatchObject({ sport: 'walking', sportSource: 'inferred' });
    // without times (no speed), nothing can be inferred
    const untimed = await parse('gpxpy/cerknicko-without-times.gpx');
    expect(untimed.every((a) => a.sportSource === 'unknown')).toBe(true);
  });

  it('no corpus GPX or TCX gets a sport that contradicts its MANIFEST sport', async () => {
    const rows = readManifest().filter((r) => /^(gpx|tcx)/.test(r['format'] ?? '') && ['running', 'cycling'].includes(r['sport'] ?? ''));
    expect(rows.length).toBeGreaterThanOrEqual(8);
    for (const r of rows) {
      for (const a of await parse(r['path']!)) {
        expect(['generic', r['sport']], r['path']).toContain(a.sport);
        expect(a.sportSource, r['path']).toBeDefined();
      }
    }
  });
});
