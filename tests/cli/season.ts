/**
 * A small generated season for the command-line tests, with planted truths:
 * eleven runs in GPX, TCX and FIT (one gzip, one inside a zip export), a
 * hilly run, a low-cadence run, a long run that spikes, and three broken
 * files. Everything is a closed-form function of the plan below, so the
 * tests can state what must come out without reading the files back.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, zipSync } from 'fflate';
import { encodeFitActivity } from '../../fixtures/lib/fit-writer.js';
import { encodeGpx, type RecordingSpec } from '../../fixtures/lib/gpx-writer.js';
import { encodeTcx } from '../../fixtures/lib/tcx-writer.js';

/** Metres per degree of latitude on a sphere of radius 6,371,008.8 m. */
const METRES_PER_DEGREE = (2 * Math.PI * 6_371_008.8) / 360;
/** Seconds between samples ("smart recording"; keeps the files small). */
const DT_S = 2;

/** One planned run. */
export interface PlannedRun {
  /** Local (= UTC) date, YYYY-MM-DD; every run starts at 07:00 UTC. */
  readonly date: string;
  readonly distanceM: number;
  /** Step rate, even so that strides round-trip exactly. */
  readonly spm: number;
  /** Climb then descend this many metres over the middle 6 km (3 up, 3 down). */
  readonly hillM?: number;
  /** Where and how it is written. */
  readonly file: string;
  readonly format: 'gpx' | 'tcx' | 'fit' | 'gpx.gz' | 'zip';
}

const SPEED_MPS = 3;

/**
 * The plan. Weeks start on Monday 2026-03-02; runs at 3 m/s (5:33/km). By hand:
 * - total 5+5+6+5+5+6+5+10+5+5+16 = 73 km; weeks 16, 16, 15, 26 km;
 * - 03-21: hilly 10 km (330 m up, 330 m down at −11 %): 10 / 6 (longest of the
 *   previous 30 days) = 1.67, a moderate session spike, and heavy downhill;
 * - 03-28: 16 km: 16 / 10 = 1.6, a moderate spike;
 * - 03-23: 160 spm, below the default 170 spm floor of the low-cadence rule;
 * - 03-25: inside export.zip as Strava writes it (gzip GPX, cadence in steps).
 */
export const SEASON: readonly PlannedRun[] = [
  { date: '2026-03-02', distanceM: 5000, spm: 170, file: 'runs/2026-03-02.gpx', format: 'gpx' },
  { date: '2026-03-04', distanceM: 5000, spm: 170, file: 'runs/2026-03-04.gpx', format: 'gpx' },
  { date: '2026-03-06', distanceM: 6000, spm: 170, file: 'runs/2026-03-06.gpx.gz', format: 'gpx.gz' },
  { date: '2026-03-09', distanceM: 5000, spm: 170, file: 'runs/2026-03-09.tcx', format: 'tcx' },
  { date: '2026-03-11', distanceM: 5000, spm: 170, file: 'runs/2026-03-11.fit', format: 'fit' },
  { date: '2026-03-13', distanceM: 6000, spm: 170, file: 'runs/2026-03-13.fit', format: 'fit' },
  { date: '2026-03-16', distanceM: 5000, spm: 170, file: 'runs/2026-03-16.gpx', format: 'gpx' },
  { date: '2026-03-21', distanceM: 10000, spm: 170, hillM: 330, file: 'runs/2026-03-21-hills.fit', format: 'fit' },
  { date: '2026-03-23', distanceM: 5000, spm: 160, file: 'runs/2026-03-23.gpx', format: 'gpx' },
  { date: '2026-03-25', distanceM: 5000, spm: 170, file: 'export.zip', format: 'zip' },
  { date: '2026-03-28', distanceM: 16000, spm: 170, file: 'runs/2026-03-28-long.tcx', format: 'tcx' },
];

/** Broken files and the error code each must produce. */
export const BROKEN: readonly { readonly file: string; readonly code: string; readonly bytes: Uint8Array }[] = [
  { file: 'broken/empty.fit', code: 'EMPTY_INPUT', bytes: new Uint8Array(0) },
  { file: 'broken/notes.gpx', code: 'UNKNOWN_FORMAT', bytes: new TextEncoder().encode('these are my running notes, not a GPX file\n') },
  { file: 'broken/cut.gpx.gz', code: 'GZIP_CORRUPT', bytes: Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) },
];

/** Altitude at a distance: flat at 200 m, up `hillM` over 2–5 km, down over 5–8 km. */
function altitudeAt(d: number, hillM: number): number {
  if (d <= 2000 || d >= 8000) return 200;
  if (d <= 5000) return 200 + (hillM * (d - 2000)) / 3000;
  return 200 + (hillM * (8000 - d)) / 3000;
}

/** The recording of one planned run: straight north at 3 m/s, 1 sample every 2 s. */
export function recordingOf(run: PlannedRun): RecordingSpec {
  const n = Math.round(run.distanceM / SPEED_MPS / DT_S) + 1;
  const idx = Array.from({ length: n }, (_, i) => i);
  const dist = idx.map((i) => i * DT_S * SPEED_MPS);
  return {
    startTime: new Date(`${run.date}T07:00:00Z`),
    sport: 'running',
    name: `Run ${run.date}`,
    timeS: idx.map((i) => i * DT_S),
    latDeg: dist.map((d) => 45 + d / METRES_PER_DEGREE),
    lonDeg: idx.map(() => 6),
    altitudeM: dist.map((d) => altitudeAt(d, run.hillM ?? 0)),
    distanceM: dist,
    speedMps: idx.map(() => SPEED_MPS),
    cadenceSpm: idx.map(() => run.spm),
    heartRateBpm: idx.map(() => 145),
  };
}

function bytesOf(run: PlannedRun): Uint8Array {
  const rec = recordingOf(run);
  switch (run.format) {
    case 'gpx':
      return new TextEncoder().encode(encodeGpx(rec));
    case 'gpx.gz':
      return gzipSync(new TextEncoder().encode(encodeGpx(rec)), { mtime: 0 });
    case 'tcx':
      return new TextEncoder().encode(encodeTcx(rec));
    case 'zip':
      return zipSync(
        { [`activities/${run.date}.gpx.gz`]: [gzipSync(new TextEncoder().encode(encodeGpx(rec, { cadenceAs: 'steps' })), { mtime: 0 }), { level: 0 }] },
        { mtime: new Date('2026-04-01T00:00:00Z') },
      );
    case 'fit':
      return encodeFitActivity({
        startTime: rec.startTime,
        samples: {
          timeS: Array.from(rec.timeS),
          distanceM: Array.from(rec.distanceM!),
          speedMps: Array.from(rec.speedMps!),
          altitudeM: Array.from(rec.altitudeM!),
          latDeg: Array.from(rec.latDeg!),
          lonDeg: Array.from(rec.lonDeg!),
          cadenceSpm: Array.from(rec.cadenceSpm!),
          heartRateBpm: Array.from(rec.heartRateBpm!),
        },
      });
  }
}

/**
 * Writes the season (and, unless `withBroken` is false, the broken files)
 * under `dir`; returns the paths written, relative to `dir`, sorted.
 */
export function writeSeason(dir: string, options: { readonly withBroken?: boolean } = {}): string[] {
  const written: string[] = [];
  const put = (rel: string, bytes: Uint8Array): void => {
    const path = join(dir, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, bytes);
    written.push(rel);
  };
  for (const run of SEASON) put(run.file, bytesOf(run));
  if (options.withBroken ?? true) for (const b of BROKEN) put(b.file, b.bytes);
  return written.sort();
}
