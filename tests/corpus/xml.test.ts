/**
 * Every GPX and TCX file of the corpus (gzip included) through
 * parseActivities, compared with what MANIFEST.tsv records for it: point
 * counts, duration, cadence coverage and raw average, lap distance, and
 * approximate track length for single-segment tracks.
 */
import { describe, expect, it } from 'vitest';
import type { Activity } from '../../src/activity.js';
import { isParseError } from '../../src/errors.js';
import { parseActivities } from '../../src/parse/index.js';
import { corpusAvailable, corpusSkipReason, readCorpusFile, readManifest, type ManifestRow } from '../helpers/corpus.js';

const rows = readManifest().filter((r) => /^(gpx|tcx)/.test(r['format'] ?? ''));

/** What the manifest states about a file, where it states it. */
interface Expected {
  points?: number;
  durationS?: number;
  cadencePoints?: number;
  cadenceAvgRaw?: number;
  lapDistanceM?: number;
  approxKm?: number;
  segmented: boolean;
}

function expectedOf(row: ManifestRow): Expected {
  const points = /(\d+) (?:trkpts|trackpoints)/.exec(row['duration_or_points'] ?? '');
  const duration = /^(\d+) s\b/.exec(row['duration_or_points'] ?? '');
  const notes = row['notes'] ?? '';
  const cadence = /cadence[^;]*? on (\d+)\/\d+ pts, avg ([\d.]+)/.exec(notes);
  const lap = /lap distance (\d+) m/.exec(notes);
  const km = /~([\d.]+) km/.exec(notes);
  const out: Expected = { segmented: /\d+ (trksegs|segments)/.test(notes) };
  if (points) out.points = Number(points[1]);
  if (duration) out.durationS = Number(duration[1]);
  if (cadence) {
    out.cadencePoints = Number(cadence[1]);
    out.cadenceAvgRaw = Number(cadence[2]);
  }
  if (lap) out.lapDistanceM = Number(lap[1]);
  if (km) out.approxKm = Number(km[1]);
  return out;
}

function measured(acts: readonly Activity[]): {
  points: number;
  durationS: number;
  cadencePoints: number;
  cadenceAvgRaw: number;
  lapDistanceM: number;
} {
  let points = 0;
  let cadencePoints = 0;
  let cadenceRawSum = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let lapDistanceM = 0;
  for (const a of acts) {
    points += a.samples.length;
    lapDistanceM += a.deviceSummary.totalDistanceM ?? 0;
    for (let i = 0; i < a.samples.length; i++) {
      const c = a.samples.cadenceSpm[i]!;
      if (!Number.isNaN(c)) {
        cadencePoints++;
        cadenceRawSum += c / a.cadence.factor;
      }
      const t = a.samples.timeS[i]!;
      if (!Number.isNaN(t) && a.startTime !== undefined) {
        const abs = a.startTime.getTime() / 1000 + t;
        lo = Math.min(lo, abs);
        hi = Math.max(hi, abs);
      }
    }
  }
  return { points, durationS: hi - lo, cadencePoints, cadenceAvgRaw: cadenceRawSum / cadencePoints, lapDistanceM };
}

describe.skipIf(!corpusAvailable)(`corpus GPX/TCX files against MANIFEST.tsv (skipped when ${corpusSkipReason})`, () => {
  it('finds the GPX and TCX files of the corpus', () => {
    expect(rows.length).toBeGreaterThanOrEqual(15);
    expect(rows.some((r) => r['path']!.endsWith('.gpx.gz'))).toBe(true);
  });

  for (const row of rows) {
    const path = row['path']!;
    const exp = expectedOf(row);
    it(path, async () => {
      let acts: Activity[];
      try {
        acts = await parseActivities(readCorpusFile(path), { fileName: path });
      } catch (error) {
        // Files that hold no points must fail with a code, never crash.
        expect(isParseError(error)).toBe(true);
        expect(exp.points ?? 0).toBe(0);
        expect((error as { code: string }).code).toBe('NO_DATA');
        return;
      }
      expect(acts.length).toBeGreaterThan(0);
      const m = measured(acts);
      for (const a of acts) {
        expect(a.source.fileName).toBe(path);
        // timeS never decreases where it is known.
        let last = Number.NEGATIVE_INFINITY;
        for (let i = 0; i < a.samples.length; i++) {
          const t = a.samples.timeS[i]!;
          if (Number.isNaN(t)) continue;
          expect(t).toBeGreaterThanOrEqual(last);
          last = t;
        }
      }
      if (exp.points !== undefined) expect(m.points).toBe(exp.points);
      if (exp.durationS !== undefined && exp.durationS > 0) expect(Math.abs(m.durationS - exp.durationS)).toBeLessThanOrEqual(1);
      if (exp.cadencePoints !== undefined) {
        expect(m.cadencePoints).toBe(exp.cadencePoints);
        expect(m.cadenceAvgRaw).toBeCloseTo(exp.cadenceAvgRaw!, 1);
      } else {
        expect(m.cadencePoints).toBe(0);
      }
      if (exp.lapDistanceM !== undefined) expect(Math.round(m.lapDistanceM)).toBe(exp.lapDistanceM);
      // Track length: only where the manifest's figure covers one continuous track (it counts gaps between
      // segments, which stridewise does not).
      if (exp.approxKm !== undefined && !exp.segmented && acts.length === 1) {
        const a = acts[0]!;
        const km = a.samples.distanceM[a.samples.length - 1]! / 1000;
        expect(Math.abs(km - exp.approxKm)).toBeLessThanOrEqual(0.05 + 0.01 * exp.approxKm);
      }
    });
  }

  it('TCX sports and cadence units as the manifest describes them', async () => {
    const polar = await parseActivities(readCorpusFile('sweatpy/3173437224.tcx'));
    expect(polar[0]!.sport).toBe('running');
    expect(polar[0]!.cadence.detected).toBe('strides'); // raw average 60.1: strides/min
    expect(polar[0]!.source.creator).toBe('Polar M400');
    const edge = await parseActivities(readCorpusFile('sweatpy/activity_5039744860.tcx'));
    expect(edge[0]!.sport).toBe('cycling');
    expect(edge[0]!.laps).toHaveLength(5);
    const garmin = await parseActivities(readCorpusFile('elevate/20181021_run_3106033902.tcx'));
    expect(garmin[0]!.laps).toHaveLength(3);
    expect(garmin[0]!.cadence.detected).toBe('strides');
  });

  it('GPX variants: minified ms timestamps, 1.0 without elevation, missing lat/lon, routes beside a track', async () => {
    const polar = (await parseActivities(readCorpusFile('polar-vantage-v/polar.gpx')))[0]!;
    expect(polar.startTime?.getUTCMilliseconds()).toBe(642);
    const noEle = await parseActivities(readCorpusFile('gpxpy/cerknicko-jezero-without-elevations.gpx'));
    expect(noEle.every((a) => Array.from(a.samples.altitudeM).every(Number.isNaN))).toBe(true);
    const wahoo = (await parseActivities(readCorpusFile('strava_py/invalid-lon-lat-missing.gpx')))[0]!;
    expect(Array.from(wahoo.samples.latDeg).filter(Number.isNaN).length).toBeGreaterThan(0);
    const apple = (await parseActivities(readCorpusFile('togeojson/Friday-Evening-Run.gpx')))[0]!;
    expect(apple.sport).toBe('running');
    expect(apple.pauses).toHaveLength(2); // 3 segments
    expect(apple.cadence.detected).toBe('strides');
  });
});
