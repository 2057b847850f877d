/**
 * Dates no activity can have, and files that only look like copies: a file
 * dated in year 9999 beside a normal run must not expand the weekly history
 * to 417,942 weeks, a gap of decades must not be listed week by week, and a
 * different run that happens to start in the same second as another must
 * not be dropped as its "duplicate".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeFitActivity, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { encodeGpx, type RecordingSpec } from '../../fixtures/lib/gpx-writer.js';
import { analyzeHistory } from '../../src/analysis/index.js';
import { analyzeExport } from '../../src/node/pipeline.js';
import { buildReport, renderText } from '../../src/report/index.js';
import { makeSummary } from '../rules/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'stridewise-dates-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function gpxRun(start: string, seconds: number, speedMps = 3.0): string {
  const s = steadyRunSamples({ seconds, speedMps, cadenceSpm: 172 });
  const spec: RecordingSpec = { startTime: new Date(start), sport: 'running', timeS: s.timeS, latDeg: s.latDeg, lonDeg: s.lonDeg, altitudeM: s.altitudeM, cadenceSpm: s.cadenceSpm };
  return encodeGpx(spec);
}

describe('implausible dates stay out of the history', () => {
  it('a run dated 9999 beside a normal run: a warning on it, a history of one week, a small result', async () => {
    const sub = mkdtempSync(join(dir, 'future-'));
    writeFileSync(join(sub, 'normal.gpx'), gpxRun('2025-05-04T07:00:00Z', 1800));
    writeFileSync(join(sub, 'future.gpx'), gpxRun('9999-05-04T07:00:00Z', 1800));
    const t0 = performance.now();
    const r = await analyzeExport(sub, { workers: 1, history: { now: '2026-01-01T00:00:00Z' } });
    const ms = performance.now() - t0;
    expect(r.summaries).toHaveLength(2); // the activity is kept (listed), only its date is refused
    const future = r.summaries.find((s) => s.startTime?.startsWith('9999'))!;
    expect(future.quality.map((q) => q.code)).toContain('IMPLAUSIBLE_DATE');
    expect(r.history.implausibleDates?.map((d) => d.activityId)).toEqual([future.id]);
    expect(r.history.weeks).toHaveLength(1);
    expect(r.history.sessions).toHaveLength(1);
    expect(JSON.stringify(r).length).toBeLessThan(200_000);
    expect(ms).toBeLessThan(10_000);
  });

  it('the future is measured from `now`: two days of clock error are accepted, three are not', () => {
    const at = (id: string, t: string) => makeSummary({ id, startTime: t, localDate: t.slice(0, 10) });
    const h = analyzeHistory([at('ok', '2026-01-02T23:00:00.000Z'), at('late', '2026-01-03T01:00:00.000Z')], { now: '2026-01-01T00:00:00Z' });
    expect(h.sessions.map((s) => s.activityIds[0])).toEqual(['ok']);
    expect(h.implausibleDates).toEqual([{ activityId: 'late', reason: 'dated 2026-01-03, after today' }]);
  });

  it('runs 30 years apart: the empty weeks between them are not listed (2 weeks, not 1,566)', () => {
    const a = makeSummary({ id: 'old', startTime: '1995-06-05T07:00:00.000Z', localDate: '1995-06-05' });
    const b = makeSummary({ id: 'new', startTime: '2025-06-02T07:00:00.000Z', localDate: '2025-06-02' });
    const h = analyzeHistory([a, b], { now: '2026-01-01T00:00:00Z' });
    expect(h.weeks.map((w) => w.weekStart)).toEqual(['1995-06-05', '2025-06-02']);
    expect(h.weeks[1]!.changeRatio).toBeNull(); // the week before it had nothing
    // the text report says where weeks jump: 10,955 days between the two Mondays = 1,565 weeks, 1,564 empty
    expect(renderText(buildReport({ summaries: [a, b], history: h, findings: [] }))).toContain('(1564 weeks without any activity)');
    // a gap of up to a year is still listed week by week (a long break shows as empty weeks)
    const c = makeSummary({ id: 'c', startTime: '2026-05-25T07:00:00.000Z', localDate: '2026-05-25' });
    expect(analyzeHistory([b, c], { now: '2027-01-01T00:00:00Z' }).weeks).toHaveLength(52);
  });
});

describe('a different run with the same start second is not a duplicate', () => {
  it('two GPX files starting at 07:00:00 (5.4 km and 10.8 km, e.g. two runners\' files in one folder) are both counted', async () => {
    const sub = mkdtempSync(join(dir, 'same-second-'));
    writeFileSync(join(sub, 'a.gpx'), gpxRun('2025-05-04T07:00:00Z', 1800));
    writeFileSync(join(sub, 'b.gpx'), gpxRun('2025-05-04T07:00:00Z', 3600));
    const r = await analyzeExport(sub, { workers: 1, history: { now: '2026-01-01T00:00:00Z' } });
    expect(r.duplicates).toEqual([]);
    expect(r.summaries).toHaveLength(2);
    expect(new Set(r.summaries.map((s) => s.id)).size).toBe(2); // the shared id is made unique
    expect(r.summaries.map((s) => Math.round(s.distanceM / 100) / 10).sort()).toEqual([10.8, 5.4]);
  });

  it('the same file given twice is still one activity, listed as a duplicate with the reason', async () => {
    const sub = mkdtempSync(join(dir, 'twice-'));
    const text = gpxRun('2025-05-04T07:00:00Z', 1800);
    writeFileSync(join(sub, 'a.gpx'), text);
    writeFileSync(join(sub, 'copy.gpx'), text);
    const r = await analyzeExport(sub, { workers: 1, history: { now: '2026-01-01T00:00:00Z' } });
    expect(r.summaries).toHaveLength(1);
    expect(r.duplicates).toHaveLength(1);
    expect(r.duplicates[0]!.keptActivityId).toBe(r.summaries[0]!.id);
    expect(r.duplicates[0]!.reason).toContain('the same recording found twice');
    // deduplicate: false keeps both, with distinct ids
    const all = await analyzeExport(sub, { workers: 1, deduplicate: false, history: { now: '2026-01-01T00:00:00Z' } });
    expect(all.duplicates).toEqual([]);
    expect(new Set(all.summaries.map((s) => s.id)).size).toBe(2);
    expect(all.history.sessions[0]!.activityIds).toHaveLength(2);
  });

  it('the elevation profile kept on a left-out copy (the hillier GPX) moves to the kept FIT', async () => {
    const sub = mkdtempSync(join(dir, 'profile-'));
    const start = new Date('2025-05-04T07:00:00Z');
    const flat = steadyRunSamples({ seconds: 1800, speedMps: 3, cadenceSpm: 172 });
    writeFileSync(join(sub, 'watch.fit'), encodeFitActivity({ startTime: start, samples: flat, utcOffsetMin: 120 }));
    // the phone's GPS altitude swings ±20 m every 600 m: descent > 0, so it is the hilliest
    const hills = flat.distanceM.map((d) => 100 + 20 * Math.sin((2 * Math.PI * d) / 600));
    const spec: RecordingSpec = { startTime: start, sport: 'running', timeS: flat.timeS, latDeg: flat.latDeg, lonDeg: flat.lonDeg, altitudeM: hills };
    writeFileSync(join(sub, 'phone.gpx'), encodeGpx(spec));
    const r = await analyzeExport(sub, { workers: 1, extras: { elevationProfile: true, keepProfiles: 'hilliest' }, history: { now: '2026-01-01T00:00:00Z' } });
    expect(r.summaries.map((s) => s.file?.endsWith('watch.fit'))).toEqual([true]);
    expect(r.duplicates).toHaveLength(1);
    expect(r.extras?.[0]?.elevationProfile?.activityId).toBe(r.summaries[0]!.id);
  });
});
