/**
 * A deterministic, Strava-like export for the benchmark and the pipeline
 * tests: `export.zip` holding `activities.csv` and `activities/<n>.<ext>`,
 * mostly FIT (some gzip-compressed, as Strava stores them), the rest GPX and
 * TCX, one run every `spacingDays` days from 2020-01-06. Every run is 1 Hz
 * with a seeded pace, cadence and a rolling hill, so files differ but the
 * same seed always writes the same bytes.
 */
import { gzipSync, zipSync, type Zippable } from 'fflate';
import { encodeFitActivity } from '../../fixtures/lib/fit-writer.js';
import { encodeGpx, type RecordingSpec } from '../../fixtures/lib/gpx-writer.js';
import { encodeTcx } from '../../fixtures/lib/tcx-writer.js';

/** The seeded PRNG of the fixtures (mulberry32), so bench inputs are generated the same way as the demo season. */
export { mulberry32 as seededRandom } from '../../fixtures/demo-season/generate.js';
import { mulberry32 as seededRandom } from '../../fixtures/demo-season/generate.js';

const METRES_PER_DEG_LAT = 111_195;

/** Per-sample columns of one 1 Hz run (plain arrays, as the fixture writers take them). */
export interface RunColumns {
  readonly timeS: number[];
  readonly distanceM: number[];
  readonly speedMps: number[];
  readonly cadenceSpm: number[];
  readonly heartRateBpm: number[];
  readonly altitudeM: number[];
  readonly latDeg: number[];
  readonly lonDeg: number[];
}

/**
 * One run of `seconds` s at 1 Hz: pace around `baseSpeedMps`, cadence
 * 150 + 6 · speed ± noise (van Oeveren's line), a sinusoidal hill of
 * `hillM` amplitude and 2 km period, heading north.
 *
 * @example const cols = runColumns(3600, seededRandom(1));
 */
export function runColumns(seconds: number, rand: () => number, baseSpeedMps = 2.6 + rand() * 1.0, hillM = rand() * 40): RunColumns {
  const n = seconds + 1;
  const timeS: number[] = new Array<number>(n);
  const distanceM: number[] = new Array<number>(n);
  const speedMps: number[] = new Array<number>(n);
  const cadenceSpm: number[] = new Array<number>(n);
  const heartRateBpm: number[] = new Array<number>(n);
  const altitudeM: number[] = new Array<number>(n);
  const latDeg: number[] = new Array<number>(n);
  const lonDeg: number[] = new Array<number>(n);
  const lat0 = 46 + rand();
  const lon0 = 7 + rand();
  let d = 0;
  for (let i = 0; i < n; i++) {
    const v = baseSpeedMps + 0.3 * Math.sin(i / 300) + (rand() - 0.5) * 0.2;
    if (i > 0) d += v;
    timeS[i] = i;
    distanceM[i] = Math.round(d * 100) / 100;
    speedMps[i] = Math.round(v * 1000) / 1000;
    cadenceSpm[i] = Math.round(150 + 6 * v + (rand() - 0.5) * 4);
    heartRateBpm[i] = Math.round(140 + 10 * Math.sin(i / 600) + rand() * 3);
    altitudeM[i] = Math.round((400 + hillM * Math.sin((2 * Math.PI * d) / 2000)) * 10) / 10;
    latDeg[i] = lat0 + d / METRES_PER_DEG_LAT;
    lonDeg[i] = lon0;
  }
  return { timeS, distanceM, speedMps, cadenceSpm, heartRateBpm, altitudeM, latDeg, lonDeg };
}

/** The same columns as a GPX/TCX recording. */
export function recordingOf(cols: RunColumns, startTime: Date, name: string): RecordingSpec {
  return { startTime, sport: 'running', name, ...cols };
}

/** Options of {@link buildExportZip}. */
export interface ExportSpec {
  /** Number of runs. */
  readonly runs: number;
  /** Seconds per run (1 Hz). Default 3600. */
  readonly seconds?: number;
  /** PRNG seed. Default 1. */
  readonly seed?: number;
  /** Days between runs. Default 5 × 365 / runs (five years). */
  readonly spacingDays?: number;
  /** Every n-th run is GPX, the one after it TCX; the rest FIT (every 3rd FIT gzipped). Default 10. */
  readonly xmlEvery?: number;
  /** Also add `activities/empty.fit`: a bare 14-byte FIT header, valid but with no activity. Default false. */
  readonly withEmptyFit?: boolean;
}

/** What {@link buildExportZip} planted. */
export interface ExportTruth {
  readonly runs: number;
  readonly fit: number;
  readonly gpx: number;
  readonly tcx: number;
  readonly samples: number;
  readonly names: readonly string[];
}

/**
 * Writes a Strava-like export zip in memory (entries deflated).
 *
 * @example const { zip, truth } = buildExportZip({ runs: 10, seconds: 900 });
 */
export function buildExportZip(spec: ExportSpec): { zip: Uint8Array; truth: ExportTruth } {
  const seconds = spec.seconds ?? 3600;
  const rand = seededRandom(spec.seed ?? 1);
  const spacingS = (spec.spacingDays ?? (5 * 365) / spec.runs) * 86_400;
  const xmlEvery = spec.xmlEvery ?? 10;
  const start0 = Date.parse('2020-01-06T06:30:00Z');
  const entries: Zippable = {};
  const csv: string[] = ['Activity ID,Activity Date,Activity Name,Activity Type,Activity Gear,Filename'];
  const names: string[] = [];
  let fit = 0;
  let gpx = 0;
  let tcx = 0;
  for (let r = 0; r < spec.runs; r++) {
    const startTime = new Date(start0 + Math.round(r * spacingS / 60) * 60_000);
    const cols = runColumns(seconds, rand);
    const id = 1000 + r;
    const name = `Run ${r + 1}`;
    names.push(name);
    let file: string;
    let data: Uint8Array;
    if (r % xmlEvery === xmlEvery - 2) {
      file = `activities/${id}.gpx`;
      data = new TextEncoder().encode(encodeGpx(recordingOf(cols, startTime, name), { cadenceAs: 'strides' }));
      gpx++;
    } else if (r % xmlEvery === xmlEvery - 1) {
      file = `activities/${id}.tcx`;
      data = new TextEncoder().encode(encodeTcx(recordingOf(cols, startTime, name)));
      tcx++;
    } else {
      const bytes = encodeFitActivity({ startTime, samples: cols });
      if (fit % 3 === 2) {
        file = `activities/${id}.fit.gz`;
        data = gzipSync(bytes, { level: 6, mtime: 0 });
      } else {
        file = `activities/${id}.fit`;
        data = bytes;
      }
      fit++;
    }
    entries[file] = [data, { level: 6, mtime: new Date('2025-01-01T00:00:00Z') }];
    csv.push(`${id},${startTime.toISOString()},${name},Run,${r % 2 === 0 ? 'Shoe A' : 'Shoe B'},${file}`);
  }
  if (spec.withEmptyFit === true) {
    entries['activities/empty.fit'] = [new Uint8Array([14, 16, 0x52, 0x08, 0, 0, 0, 0, 0x2e, 0x46, 0x49, 0x54, 0, 0]), { level: 0, mtime: new Date('2025-01-01T00:00:00Z') }];
  }
  entries['activities.csv'] = [new TextEncoder().encode(`${csv.join('\n')}\n`), { level: 6, mtime: new Date('2025-01-01T00:00:00Z') }];
  return { zip: zipSync(entries), truth: { runs: spec.runs, fit, gpx, tcx, samples: spec.runs * (seconds + 1), names } };
}
