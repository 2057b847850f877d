/**
 * Garmin Connect export activity summaries (`DI_CONNECT/DI-Connect-Fitness/
 * *_summarizedActivities.json`) as a sport source: activities whose files
 * state no sport take Garmin's activity type, matched by start time, through
 * `loadActivities` and `analyzeExport` alike; the summaries are metered and
 * size-capped like Strava's `activities.csv`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import type { Activity } from '../../src/activity.js';
import { lookupGarminType, parseGarminSummaries } from '../../src/node/garmin.js';
import { analyzeExport, loadActivities } from '../../src/node/index.js';
import { tempDir, zipOf } from './build.js';

const T0 = Date.parse('2025-06-01T06:00:00Z');

describe('parseGarminSummaries and lookupGarminType', () => {
  const index = parseGarminSummaries([
    JSON.stringify([
      {
        summarizedActivitiesExport: [
          { activityId: 2, activityType: 'road_biking', startTimeGmt: T0 + 3_600_000 },
          { activityId: 1, activityType: 'running', startTimeGmt: T0 },
          { activityId: 3, activityType: { typeKey: 'trail_running' }, beginTimestamp: T0 + 7_200_000 },
          { activityId: 4, startTimeGmt: T0 + 9_000_000 }, // no type: left out
          { activityId: 5, activityType: 'running', startTimeGmt: 'soon' }, // no start: left out
          // a multisport activity's parts start together
          { activityId: 6, activityType: 'cycling', startTimeGmt: T0 + 86_400_000 },
          { activityId: 7, activityType: 'running', startTimeGmt: T0 + 86_400_000 },
        ],
      },
    ]),
  ]);

  it('keeps typed records with a start, sorted by start', () => {
    expect(Array.from(index.startMs)).toEqual([T0, T0 + 3_600_000, T0 + 7_200_000, T0 + 86_400_000, T0 + 86_400_000]);
    expect(index.types).toEqual(['road_biking', 'running', 'trail_running', 'cycling']);
  });

  it('matches the nearest start within 60 s, and nothing when two types are equally near', () => {
    expect(lookupGarminType(index, new Date(T0 + 3_000))).toBe('running');
    expect(lookupGarminType(index, new Date(T0 + 3_600_000 - 59_000))).toBe('road_biking');
    expect(lookupGarminType(index, new Date(T0 + 61_000))).toBeUndefined();
    expect(lookupGarminType(index, new Date(T0 + 7_200_000))).toBe('trail_running');
    expect(lookupGarminType(index, new Date(T0 + 86_400_000))).toBeUndefined();
    expect(lookupGarminType(index, undefined)).toBeUndefined();
  });

  it('throws on text that is not JSON (the loader reports it for that entry)', () => {
    expect(() => parseGarminSummaries(['[{"summarizedActivitiesExport": ['])).toThrow();
  });
});

/** A GPX track of 30 minutes; without a stated sport unless `type` is given, NaN cadence for none. */
function gpx(startMs: number, speedMps: number, cadence: number, type?: string): string {
  const s = steadyRunSamples({ seconds: 1800, speedMps, cadenceSpm: cadence });
  const samples = Number.isNaN(cadence) ? { ...s, cadenceSpm: s.cadenceSpm.map(() => Number.NaN) } : s;
  return encodeGpx({ startTime: new Date(startMs), sport: type ?? 'generic', name: 'Track', ...samples }, { writeType: type !== undefined, cadenceAs: 'steps' });
}

const DAY = 86_400_000;
const summaries = JSON.stringify([
  {
    summarizedActivitiesExport: [
      { activityId: 11, name: 'Commute', activityType: 'road_biking', startTimeGmt: T0 + 2_000 },
      { activityId: 12, name: 'Evening', activityType: 'running', startTimeGmt: T0 + DAY },
      { activityId: 13, name: 'Pool', activityType: 'lap_swimming', startTimeGmt: T0 + 2 * DAY },
    ],
  },
]);
// the files of a Garmin export sit in zips inside the export zip
const uploaded = zipOf({
  // 4 m/s at 80 /min: the data alone read it as a run at 160 steps/min; Garmin says road biking
  'a.gpx': gpx(T0, 4, 80),
  // 2.1 m/s without cadence: the data cannot tell; Garmin says running
  'b.gpx': gpx(T0 + DAY, 2.1, Number.NaN),
  // the file says running: kept over Garmin's swim
  'c.gpx': gpx(T0 + 2 * DAY, 3, 170, 'running'),
  // no summary within 60 s: the data decide (a run at 160 steps/min)
  'd.gpx': gpx(T0 + 3 * DAY, 4, 80),
});
const tmp = tempDir();
afterAll(() => tmp.cleanup());
const exportZip = tmp.write(
  'garmin.zip',
  zipOf({
    'DI_CONNECT/DI-Connect-Fitness/me@example.com_0_summarizedActivities.json': summaries,
    'DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip': uploaded,
  }),
);
const base = (path: string): string => path.slice(path.lastIndexOf('!') + 1).replace(/^.*\//, '');

describe('a Garmin-shaped export', () => {
  it('loadActivities: the type over the data, the file over the type, the data where no summary matches', async () => {
    const got = new Map<string, Activity>();
    for await (const f of loadActivities(exportZip)) {
      expect(f.error).toBeUndefined();
      got.set(base(f.path), f.activities[0]!);
    }
    const a = got.get('a.gpx')!;
    expect([a.sport, a.subSport, a.sportSource, a.samples.cadenceSpm[10]]).toEqual(['cycling', 'road', 'export-metadata', 80]);
    expect([got.get('b.gpx')!.sport, got.get('b.gpx')!.sportSource]).toEqual(['running', 'export-metadata']);
    expect([got.get('c.gpx')!.sport, got.get('c.gpx')!.sportSource]).toEqual(['running', 'file']);
    const d = got.get('d.gpx')!;
    expect([d.sport, d.sportSource === 'export-metadata', d.samples.cadenceSpm[10]]).toEqual(['running', false, 160]);
  });

  it('analyzeExport (workers): the same sports reach the summaries', async () => {
    const r = await analyzeExport(exportZip, { workers: 2 });
    expect(r.errors).toEqual([]);
    const bySport = Object.fromEntries(r.summaries.map((s) => [base(s.file ?? ''), [s.sport, s.sportSource, s.activityClass]]));
    expect(bySport['a.gpx']).toEqual(['cycling', 'export-metadata', 'low-impact']);
    expect(bySport['b.gpx']).toEqual(['running', 'export-metadata', 'running']);
    expect(bySport['c.gpx']).toEqual(['running', 'file', 'running']);
    expect(bySport['d.gpx']![0]).toBe('running');
  });

  it('summaries over maxCsvBytes or damaged are that entry\'s error; the activities still load', async () => {
    const big = tmp.write('big.zip', zipOf({ 'DI_CONNECT/DI-Connect-Fitness/me_0_summarizedActivities.json': summaries, 'DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip': uploaded }));
    const errors: string[] = [];
    let activities = 0;
    for await (const f of loadActivities(big, { archiveLimits: { maxCsvBytes: 100 } })) {
      if (f.error !== undefined) errors.push(`${base(f.path)} ${f.error.code}`);
      activities += f.activities.length;
      if (base(f.path) === 'a.gpx') expect(f.activities[0]!.sportSource).not.toBe('export-metadata');
    }
    expect(errors).toEqual(['me_0_summarizedActivities.json FILE_TOO_LARGE']);
    expect(activities).toBe(4);
    const damaged = tmp.write('damaged.zip', zipOf({ 'DI_CONNECT/DI-Connect-Fitness/me_0_summarizedActivities.json': summaries.slice(0, 40), 'x/a.gpx': gpx(T0, 4, 80) }));
    const out: string[] = [];
    for await (const f of loadActivities(damaged)) out.push(`${base(f.path)} ${f.error?.code ?? f.activities.length}`);
    expect(out).toEqual(['me_0_summarizedActivities.json CORRUPT_FILE', 'a.gpx 1']);
  });
});

