/**
 * The FIT parser over every FIT file of the shared corpus of real files.
 *
 * Truths come from the files themselves (each device's own session summary)
 * and from an independent decoder (Garmin's FIT SDK, @garmin/fitsdk) for the
 * heart rate merged from chained strap files. A per-file table is written to
 * tests/.output/fit-corpus.tsv.
 */
import { Decoder, Stream } from '@garmin/fitsdk';
import FitParser from 'fit-file-parser';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Activity } from '../../src/activity.js';
import { isParseError } from '../../src/errors.js';
import { parseActivities } from '../../src/parse/index.js';
import { corpusAvailable, corpusSkipReason, readCorpusFile, readManifest, repoRoot } from '../helpers/corpus.js';

const fitRows = readManifest().filter((r) => r['format'] === 'fit');

/** Expected failures, from the MANIFEST notes. */
const EXPECTED_ERRORS: Record<string, string> = {
  'python-fitparse/MonitoringFile.fit': 'NOT_AN_ACTIVITY', // monitoring_b daily file
  'fit4s/segment.fit': 'NOT_AN_ACTIVITY', // Strava segment file
};

/**
 * Running activities whose device average cadence counts time without cadence
 * (stops, missing samples) instead of excluding it. For these the device value
 * equals our time-weighted cadence × (time with cadence / timer time), checked
 * below; they are excluded from the moving-average comparison.
 * - garmin-stamina: cadence missing in 774 of 4488 records; 146.9 × 3714/4488 s = 121.6 = device.
 * - loup-blanc: 5 h trail run with long stops on climbs; 152.9 × 15722/16923 s = 142.0 vs device 141.5.
 * - garmin-fenix-5-run: 57 s run whose first records have no cadence; 172.2 × 55/56.9 s = 166.5 vs device 167.3.
 */
const DEVICE_COUNTS_STOPS = new Set([
  'fit-parser-jimmykane/garmin-stamina.fit',
  'elevate/loup-blanc.fit',
  'python-fitparse/garmin-fenix-5-run.fit',
]);

function firstFinite(a: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]!)) return a[i]!;
  return Number.NaN;
}
function lastFinite(a: ArrayLike<number>): number {
  for (let i = a.length - 1; i >= 0; i--) if (Number.isFinite(a[i]!)) return a[i]!;
  return Number.NaN;
}

/**
 * Time-weighted cadence over samples with cadence while the timer runs
 * (card C1 weighting: Δt capped at 10 s). Returns the mean and the weight (s).
 */
function movingCadence(a: Activity): { spm: number; weightS: number } {
  const s = a.samples;
  let sum = 0;
  let w = 0;
  let p = 0;
  for (let i = 1; i < s.length; i++) {
    const t = s.timeS[i]!;
    while (p < a.pauses.length && a.pauses[p]!.endS < t) p++;
    const pause = a.pauses[p];
    if (pause !== undefined && t > pause.startS && t <= pause.endS) continue;
    const c = s.cadenceSpm[i]!;
    if (!(c > 0)) continue;
    const dt = Math.min(t - s.timeS[i - 1]!, 10);
    sum += c * dt;
    w += dt;
  }
  return { spm: w > 0 ? sum / w : Number.NaN, weightS: w };
}

interface Row {
  file: string;
  outcome: string;
  activity: string;
  distanceDeviceM: string;
  distanceParsedM: string;
  cadenceDeviceSpm: string;
  cadenceParsedSpm: string;
  note: string;
}
const table: Row[] = [];
const f1 = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(1));

describe.skipIf(!corpusAvailable)(`FIT corpus (${corpusAvailable ? `${fitRows.length} files` : corpusSkipReason})`, () => {
  afterAll(() => {
    if (table.length === 0) return;
    const header = 'file\toutcome\tactivity\tdistance_device_m\tdistance_parsed_m\tcadence_device_spm\tcadence_parsed_spm\tnote';
    const lines = table.map((r) =>
      [r.file, r.outcome, r.activity, r.distanceDeviceM, r.distanceParsedM, r.cadenceDeviceSpm, r.cadenceParsedSpm, r.note].join('\t'),
    );
    const dir = join(repoRoot, 'tests', '.output');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'fit-corpus.tsv'), `${header}\n${lines.join('\n')}\n`);
    console.log(`${header}\n${lines.join('\n')}`);
  });

  it.each(fitRows.map((r) => r['path']!))('%s: activities or a typed ParseError', async (path) => {
    const bytes = readCorpusFile(path);
    const t0 = performance.now();
    let activities: Activity[];
    try {
      activities = await parseActivities(bytes, { fileName: path });
    } catch (error) {
      expect(isParseError(error), String(error)).toBe(true);
      const code = (error as { code: string }).code;
      expect(code).not.toBe('INTERNAL');
      expect(code).toBe(EXPECTED_ERRORS[path]);
      table.push({ file: path, outcome: code, activity: '-', distanceDeviceM: '-', distanceParsedM: '-', cadenceDeviceSpm: '-', cadenceParsedSpm: '-', note: '' });
      return;
    }
    expect(EXPECTED_ERRORS[path]).toBeUndefined();
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(activities.length).toBeGreaterThan(0);
    for (const a of activities) {
      const s = a.samples;
      for (let i = 1; i < s.length; i++) expect(s.timeS[i]! >= s.timeS[i - 1]!).toBe(true);
      for (const v of s.heartRateBpm) if (!Number.isNaN(v)) expect(v > 0 && v < 255).toBe(true);
      for (const v of s.cadenceSpm) if (!Number.isNaN(v)) expect(v > 0 && v < 510).toBe(true);

      const dev = a.deviceSummary;
      const parsedDistance = lastFinite(s.distanceM) - firstFinite(s.distanceM);
      const running = a.sport === 'running';
      const notes: string[] = a.warnings.map((w) => w.code);
      if (running && dev.totalDistanceM !== undefined && dev.totalDistanceM > 0) {
        expect(Math.abs(parsedDistance - dev.totalDistanceM)).toBeLessThanOrEqual(dev.totalDistanceM * 0.01);
      }
      const moving = movingCadence(a);
      let parsedCadence = moving.spm;
      if (running && dev.avgCadenceSpm !== undefined && Number.isFinite(moving.spm)) {
        if (DEVICE_COUNTS_STOPS.has(path)) {
          // The device divides by timer time: scale ours the same way before comparing.
          parsedCadence = (moving.spm * moving.weightS) / (dev.timerTimeS ?? Number.NaN);
          notes.push('device average counts time without cadence; compared as cadence × time with cadence / timer time');
        }
        expect(Math.abs(parsedCadence - dev.avgCadenceSpm)).toBeLessThanOrEqual(3);
      }
      table.push({
        file: path,
        outcome: 'ok',
        activity: `${a.source.indexInFile}:${a.sport}/${a.subSport} n=${s.length} cad=${a.cadence.detected}`,
        distanceDeviceM: f1(dev.totalDistanceM),
        distanceParsedM: f1(parsedDistance),
        cadenceDeviceSpm: f1(dev.avgCadenceSpm),
        cadenceParsedSpm: f1(parsedCadence),
        note: notes.join('; '),
      });
    }
  });

  it('reads the Strava app file past the messages it wrote one byte short', async () => {
    // From byte 7451 the app sometimes wrote a uint16/uint32 without its leading zero byte, so a
    // plain reader stops after 473 of its records. The device's own total is the truth.
    const [a] = await parseActivities(readCorpusFile('python-fitparse/strava-android-app-201.10-b1218918.fit'));
    expect(a!.warnings.map((w) => w.code)).toEqual(['TRUNCATED', 'DAMAGED_DATA']);
    // 5314 records, two per second (one with position and speed, one with distance) → one sample each.
    expect(a!.samples.length).toBeGreaterThan(2600);
    let both = 0;
    for (let i = 0; i < a!.samples.length; i++) if (Number.isFinite(a!.samples.distanceM[i]!) && Number.isFinite(a!.samples.latDeg[i]!)) both++;
    expect(both / a!.samples.length).toBeGreaterThan(0.95);
    expect(lastFinite(a!.samples.distanceM)).toBeCloseTo(a!.deviceSummary.totalDistanceM!, 0);
  });

  it('recovers the activity whose first definition was removed (same as the intact copy)', async () => {
    // fit4s ships the same FR235 activity intact (bad CRCs only) and with its first definition removed.
    const [damaged] = await parseActivities(readCorpusFile('fit4s/610464_no_defmsg.fit'));
    const [intact] = await parseActivities(readCorpusFile('fit4s/610464_bad_crc.fit'));
    expect(damaged!.warnings.map((w) => w.code)).toEqual(['DAMAGED_DATA']);
    expect(damaged!.samples).toEqual(intact!.samples);
    expect(damaged!.deviceSummary).toEqual(intact!.deviceSummary);
    expect(damaged!.id).toBe(intact!.id);
    expect(damaged!.source.creator).toBeUndefined(); // the file_id message was the unreadable one
  });

  it.each(['fit-parser-jimmykane/running-with-developer-data.fit', 'fit-parser-jimmykane/triathlon_summary_first.fit', 'python-fitparse/compressed-speed-distance.fit'])(
    '%s: damaged copies give activities or a typed error, never a crash',
    async (path) => {
      // Deterministic damage: 25 copies, each with 4 bytes overwritten at pseudo-random places.
      const bytes = readCorpusFile(path);
      let seed = 20240527;
      const next = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
      for (let copy = 0; copy < 25; copy++) {
        const bad = bytes.slice();
        for (let k = 0; k < 4; k++) bad[12 + (next() % (bad.length - 12))] = next() & 0xff;
        try {
          await parseActivities(bad);
        } catch (error) {
          expect(isParseError(error), String(error)).toBe(true);
          expect((error as { code: string }).code).not.toBe('INTERNAL');
        }
      }
    },
  );

  it('normalises in little more than fit-file-parser\'s own decode time', async () => {
    // Best of 5 interleaved runs on the largest corpus FIT file (1 MB, 24,239 records, 7 sessions).
    // Target 1.3×; asserted loosely (2×) because the machine is shared while tests run.
    const bytes = readCorpusFile('python-fitparse/activity-large-fenxi2-multisport.fit');
    const raw = async (): Promise<void> => {
      await new FitParser({ force: true, mode: 'list' }).parseAsync(bytes.slice().buffer);
    };
    let rawMs = Infinity;
    let oursMs = Infinity;
    for (let i = 0; i < 6; i++) {
      let t = performance.now();
      await raw();
      if (i > 0) rawMs = Math.min(rawMs, performance.now() - t);
      t = performance.now();
      await parseActivities(bytes);
      if (i > 0) oursMs = Math.min(oursMs, performance.now() - t);
    }
    console.log(`FIT speed: fit-file-parser ${rawMs.toFixed(1)} ms, parseActivities ${oursMs.toFixed(1)} ms, ratio ${(oursMs / rawMs).toFixed(2)}`);
    expect(oursMs / rawMs).toBeLessThan(2);
  });

  it('doubles running cadence of every FIT running activity with cadence (FIT stores strides)', async () => {
    for (const row of fitRows) {
      const path = row['path']!;
      if (EXPECTED_ERRORS[path] !== undefined) continue;
      for (const a of await parseActivities(readCorpusFile(path))) {
        if (a.sport !== 'running' || a.cadence.method === 'no-data') continue;
        expect(a.cadence.detected, path).toBe('strides');
      }
    }
  });

  it.each([
    'python-fitparse/event_timestamp.fit',
    'python-fitparse/sample_mulitple_header.fit',
    'fit4s/2775379975.fit',
    'fit4s/file54.fit',
    'fitdecode/garmin-fr935-cr.fit',
  ])('%s: strap heart rate merged exactly as the Garmin FIT SDK merges it', async (path) => {
    const bytes = readCorpusFile(path);
    const { messages, errors } = new Decoder(Stream.fromByteArray(Array.from(bytes))).read({ mergeHeartRates: true });
    expect(errors).toEqual([]);
    const garmin = new Map<number, number>();
    for (const r of messages['recordMesgs'] as { timestamp: Date; heartRate?: number }[]) {
      if (r.heartRate !== undefined) garmin.set(r.timestamp.getTime(), r.heartRate);
    }
    let compared = 0;
    for (const a of await parseActivities(bytes)) {
      expect(a.warnings.map((w) => w.code)).toContain('CHAINED_FIT_MERGED');
      const t0 = a.startTime!.getTime();
      for (let i = 0; i < a.samples.length; i++) {
        const ours = a.samples.heartRateBpm[i]!;
        const theirs = garmin.get(t0 + a.samples.timeS[i]! * 1000);
        expect(Number.isNaN(ours) ? undefined : ours).toBe(theirs);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(200);
  });
});
