/**
 * FIT parser over generated fixtures (fixtures/lib/fit-writer.ts): every
 * expected value is planted by the writer, so each assertion names its truth.
 */
import { Decoder, Stream } from '@garmin/fitsdk';
import fc from 'fast-check';
import FitParser from 'fit-file-parser';
import { describe, expect, it } from 'vitest';
import type { Activity } from '../../src/activity.js';
import { isParseError, ParseError } from '../../src/errors.js';
import { decodeFitPart } from '../../src/parse/fit/decode.js';
import { parseActivities } from '../../src/parse/index.js';
import {
  chainFitFiles,
  encodeFitActivity,
  encodeFitHeartRateOnly,
  encodeFitWithDeveloperField,
  FIT_FILE_TYPE,
  fitMessageBoundaries,
  steadyRunSamples,
  truncateFit,
  type FitActivitySpec,
} from '../../fixtures/lib/fit-writer.js';

const START = new Date('2024-05-27T06:00:00Z');

async function parse(bytes: Uint8Array, fileName = 'test.fit'): Promise<Activity[]> {
  return parseActivities(bytes, { fileName });
}

async function parseError(bytes: Uint8Array): Promise<ParseError> {
  try {
    await parse(bytes);
  } catch (error) {
    if (isParseError(error)) return error;
    throw error;
  }
  throw new Error('expected a ParseError');
}

function lastFinite(a: ArrayLike<number>): number {
  for (let i = a.length - 1; i >= 0; i--) if (Number.isFinite(a[i]!)) return a[i]!;
  return Number.NaN;
}

function codes(a: Activity): string[] {
  return a.warnings.map((w) => w.code);
}

describe('parseFit: a steady run', () => {
  // 600 s at 3 m/s → 1800 m; the writer stores 171 spm as cadence 85 + fractional 64/128.
  const samples = steadyRunSamples({ seconds: 600, speedMps: 3, cadenceSpm: 171, heartRateBpm: 150, altitudeM: 100 });
  const spec: FitActivitySpec = {
    startTime: START,
    samples: {
      ...samples,
      powerW: samples.timeS.map(() => 250),
      stepLengthM: samples.timeS.map(() => 1.05),
      verticalOscillationM: samples.timeS.map(() => 0.085),
      stanceTimeS: samples.timeS.map(() => 0.245),
      verticalRatioPct: samples.timeS.map(() => 8.1),
      stanceTimeBalancePct: samples.timeS.map(() => 49.6),
      temperatureC: samples.timeS.map(() => 21),
    },
    utcOffsetMin: 120,
    manufacturer: 1,
    product: 2691,
    summary: {
      avgCadenceSpm: 171.5,
      maxCadenceSpm: 180,
      totalSteps: 1714,
      avgStepLengthM: 1.05,
      ascentM: 12,
      descentM: 11,
      avgSpeedMps: 3,
      avgHeartRateBpm: 150,
    },
  };
  const bytes = encodeFitActivity(spec);

  it('gives one running activity with the planted time, id, offset and source', async () => {
    const [a, ...rest] = await parse(bytes, 'run.fit');
    expect(rest).toHaveLength(0);
    expect(a!.sport).toBe('running');
    expect(a!.subSport).toBe('generic');
    expect(a!.startTime?.toISOString()).toBe('2024-05-27T06:00:00.000Z');
    expect(a!.id).toBe('fit-20240527T060000Z-running-0');
    expect(a!.utcOffsetMin).toBe(120);
    // manufacturer 1 = garmin, product 2691 = fr935 (FIT profile garmin_product)
    expect(a!.source).toEqual({ format: 'fit', fileName: 'run.fit', creator: 'garmin fr935', manufacturer: 'garmin', product: 'fr935', indexInFile: 0 });
    expect(a!.warnings).toEqual([]);
  });

  it('fills every column in stridewise units', async () => {
    const [a] = await parse(bytes);
    const s = a!.samples;
    expect(s.length).toBe(601);
    expect(s.timeS[600]).toBe(600);
    expect(s.distanceM[600]).toBe(1800);
    expect(s.speedMps[10]).toBe(3);
    expect(s.altitudeM[10]).toBe(100);
    expect(s.latDeg[0]).toBeCloseTo(48, 6); // semicircles: 1 unit = 8.4e-8 deg
    expect(s.lonDeg[0]).toBeCloseTo(11, 6);
    expect(s.cadenceSpm[10]).toBe(171); // 2 × (85 + 64/128)
    expect(s.heartRateBpm[10]).toBe(150);
    expect(s.powerW[10]).toBe(250);
    expect(s.stepLengthM[10]).toBeCloseTo(1.05, 6); // FIT step_length 10500 (mm × 10) → 1.05 m
    expect(s.verticalOscillationM[10]).toBeCloseTo(0.085, 6);
    expect(s.stanceTimeS[10]).toBeCloseTo(0.245, 6);
    expect(s.verticalRatioPct[10]).toBeCloseTo(8.1, 5);
    expect(s.stanceTimeBalancePct[10]).toBeCloseTo(49.6, 5);
    expect(s.temperatureC[10]).toBe(21);
    expect(a!.cadence).toMatchObject({ detected: 'strides', factor: 2, method: 'band', medianRaw: 85.5 });
  });

  it('converts the device summary with the same cadence factor as the samples', async () => {
    const [a] = await parse(bytes);
    expect(a!.deviceSummary).toEqual({
      totalDistanceM: 1800,
      timerTimeS: 600,
      elapsedTimeS: 600,
      avgCadenceSpm: 171.5, // avg_cadence 85 + avg_fractional_cadence 96/128 = 85.75 strides
      maxCadenceSpm: 180,
      ascentM: 12,
      descentM: 11,
      avgStepLengthM: 1.05, // avg_step_length 10500 → 1050 mm
      avgSpeedMps: 3,
      avgHeartRateBpm: 150,
      totalSteps: 1714, // total_strides 857 × 2
    });
  });

  it('does not modify its input', async () => {
    const copy = bytes.slice();
    await parse(bytes);
    expect(bytes).toEqual(copy);
  });
});

describe('parseFit: cadence encodings', () => {
  it('returns fractional steps/min exactly (property: any multiple of 1/64 spm in 120–220)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 120 * 64, max: 220 * 64 }), { minLength: 30, maxLength: 60 }), async (q) => {
        const spm = q.map((v) => v / 64); // strides = spm/2 has a 1/128 fraction: exactly representable in FIT
        const n = spm.length;
        const timeS = spm.map((_, i) => i);
        const bytes = encodeFitActivity({
          startTime: START,
          samples: { timeS, cadenceSpm: spm, speedMps: timeS.map(() => 3.2), distanceM: timeS.map((t) => t * 3.2) },
        });
        const [a] = await parse(bytes);
        expect(Array.from(a!.samples.cadenceSpm)).toEqual(spm);
        expect(a!.samples.length).toBe(n);
      }),
      { numRuns: 25 },
    );
  });

  it('reads cadence256 when cadence is absent', async () => {
    const s = steadyRunSamples({ seconds: 120, speedMps: 3, cadenceSpm: 172.5 });
    const [a] = await parse(encodeFitActivity({ startTime: START, samples: s, cadenceEncoding: 'cadence256' }));
    expect(a!.samples.cadenceSpm[5]).toBe(172.5); // cadence256 = 86.25 × 256 = 22080
  });

  it('keeps cadence that a writer already stored as steps/min', async () => {
    const s = steadyRunSamples({ seconds: 120, speedMps: 3, cadenceSpm: 172 });
    const [a] = await parse(encodeFitActivity({ startTime: START, samples: s, cadenceEncoding: 'steps' }));
    expect(a!.cadence).toMatchObject({ detected: 'steps', factor: 1 });
    expect(a!.samples.cadenceSpm[5]).toBe(172);
  });

  it('never doubles cycling cadence', async () => {
    const s = steadyRunSamples({ seconds: 120, speedMps: 8, cadenceSpm: 88 });
    const [a] = await parse(encodeFitActivity({ startTime: START, sport: 'cycling', samples: s, summary: { avgCadenceSpm: 88 } }));
    expect(a!.cadence.detected).toBe('none');
    expect(a!.samples.cadenceSpm[5]).toBe(88);
    expect(a!.deviceSummary.avgCadenceSpm).toBe(88);
  });

  it('honours a caller override', async () => {
    const s = steadyRunSamples({ seconds: 60, speedMps: 3, cadenceSpm: 172 });
    const [a] = await parseActivities(encodeFitActivity({ startTime: START, samples: s, cadenceEncoding: 'steps' }), { cadenceUnit: 'strides' });
    expect(a!.cadence).toMatchObject({ detected: 'strides', method: 'override' });
    expect(a!.samples.cadenceSpm[5]).toBe(344);
  });

  it('prefers enhanced_speed and enhanced_altitude over the 16-bit fields', async () => {
    const s = steadyRunSamples({ seconds: 60, speedMps: 3, cadenceSpm: 170, altitudeM: 100 });
    const [a] = await parse(
      encodeFitActivity({
        startTime: START,
        samples: s,
        enhanced: true,
        both: { enhancedSpeedMps: s.timeS.map(() => 3.25), enhancedAltitudeM: s.timeS.map(() => 2500.4) },
      }),
    );
    expect(a!.samples.speedMps[3]).toBe(3.25);
    expect(a!.samples.altitudeM[3]).toBeCloseTo(2500.4, 3); // scale 5: 0.2 m resolution
  });
});

describe('parseFit: invalid sentinels', () => {
  it('turns every FIT invalid value into NaN, never into a number', async () => {
    // NaN in the writer's arrays is written as the field's invalid sentinel:
    // 0xFF (uint8), 0xFFFF (uint16), 0xFFFFFFFF (uint32), 0x7FFFFFFF (sint32), 0x7F (sint8).
    const s = steadyRunSamples({ seconds: 60, speedMps: 3, cadenceSpm: 170 });
    const hole = (a: readonly number[]): number[] => a.map((v, i) => (i === 30 ? Number.NaN : v));
    const bytes = encodeFitActivity({
      startTime: START,
      samples: {
        timeS: s.timeS,
        distanceM: hole(s.distanceM),
        speedMps: hole(s.speedMps),
        altitudeM: hole(s.altitudeM),
        latDeg: hole(s.latDeg),
        lonDeg: hole(s.lonDeg),
        cadenceSpm: hole(s.cadenceSpm),
        heartRateBpm: hole(s.heartRateBpm),
        powerW: hole(s.timeS.map(() => 240)),
        stepLengthM: hole(s.timeS.map(() => 1)),
        verticalOscillationM: hole(s.timeS.map(() => 0.08)),
        stanceTimeS: hole(s.timeS.map(() => 0.25)),
        verticalRatioPct: hole(s.timeS.map(() => 8)),
        stanceTimeBalancePct: hole(s.timeS.map(() => 50)),
        temperatureC: hole(s.timeS.map(() => 20)),
      },
    });
    const [a] = await parse(bytes);
    const cols = a!.samples;
    for (const name of [
      'distanceM',
      'speedMps',
      'altitudeM',
      'latDeg',
      'lonDeg',
      'cadenceSpm',
      'heartRateBpm',
      'powerW',
      'stepLengthM',
      'verticalOscillationM',
      'stanceTimeS',
      'verticalRatioPct',
      'stanceTimeBalancePct',
      'temperatureC',
    ] as const) {
      expect(Number.isNaN(cols[name][30]!), name).toBe(true);
      expect(Number.isNaN(cols[name][29]!), name).toBe(false);
    }
    expect(cols.timeS[30]).toBe(30);
  });
});

describe('parseFit: pauses and laps', () => {
  // Samples 0..99 and 160..300: the timer is stopped from 100 to 160 s.
  const timeS = [...Array.from({ length: 100 }, (_, i) => i), ...Array.from({ length: 141 }, (_, i) => 160 + i)];
  const samples = { timeS, distanceM: timeS.map((t) => (t < 160 ? t * 3 : 297 + (t - 160) * 3)), speedMps: timeS.map(() => 3), cadenceSpm: timeS.map(() => 170) };
  const bytes = encodeFitActivity({
    startTime: START,
    samples,
    pauses: [{ startS: 100, endS: 160 }],
    laps: [
      { startS: 0, endS: 150, distanceM: 297, avgCadenceSpm: 170 },
      { startS: 150, endS: 300, distanceM: 423, avgCadenceSpm: 171.5 },
    ],
  });

  it('turns timer stop/start events into pauses', async () => {
    const [a] = await parse(bytes);
    expect(a!.pauses).toEqual([{ startS: 100, endS: 160 }]);
    expect(a!.deviceSummary.elapsedTimeS).toBe(300);
    expect(a!.deviceSummary.timerTimeS).toBe(240); // 300 − 60 s stopped
  });

  it('reads laps with their planted times, distances and cadence in steps/min', async () => {
    const [a] = await parse(bytes);
    expect(a!.laps).toEqual([
      { startS: 0, endS: 150, timerTimeS: 100, distanceM: 297, avgCadenceSpm: 170 },
      { startS: 150, endS: 300, timerTimeS: 140, distanceM: 423, avgCadenceSpm: 171.5 },
    ]);
  });
});

describe('parseFit: properties of pauses and sessions', () => {
  it('returns the planted pauses, whatever their number and length', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 5, max: 40 }), fc.integer({ min: 1, max: 30 })), { maxLength: 5 }), async (plan) => {
        // plan: [running seconds before the pause, pause length]; samples only while running.
        const timeS: number[] = [];
        const pauses: { startS: number; endS: number }[] = [];
        let t = 0;
        for (const [run, pause] of plan) {
          for (let k = 0; k < run; k++) timeS.push(t++);
          pauses.push({ startS: t - 1, endS: t - 1 + pause });
          t += pause - 1;
        }
        for (let k = 0; k < 10; k++) timeS.push(t++);
        const [a] = await parse(encodeFitActivity({ startTime: START, samples: { timeS, cadenceSpm: timeS.map(() => 170) }, pauses }));
        expect(a!.pauses).toEqual(pauses);
        expect(a!.samples.length).toBe(timeS.length);
      }),
      { numRuns: 30 },
    );
  });

  it('splits records by session time, each record in exactly one activity', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: 298 }), { minLength: 1, maxLength: 4 }), async (cuts) => {
        const bounds = [0, ...cuts.sort((x, y) => x - y), 299];
        const timeS = Array.from({ length: 300 }, (_, i) => i);
        const sessions = bounds.slice(0, -1).map((b, k) => ({
          sport: k % 2 === 0 ? 'running' : 'cycling',
          startS: k === 0 ? 0 : b + 1,
          endS: bounds[k + 1]!,
        }));
        const acts = await parse(encodeFitActivity({ startTime: START, samples: { timeS, cadenceSpm: timeS.map(() => 170) }, sessions }));
        expect(acts.map((a) => a.samples.length)).toEqual(sessions.map((x) => x.endS - x.startS + 1));
        acts.forEach((a, k) => {
          expect(a.sport).toBe(sessions[k]!.sport);
          expect(a.startTime!.getTime()).toBe(START.getTime() + sessions[k]!.startS * 1000);
        });
      }),
      { numRuns: 30 },
    );
  });
});

describe('parseFit: multisport', () => {
  // swim 0–300 s (30 strokes/min), bike 301–900 s (90 rpm), run 901–1500 s (170 spm).
  const timeS = Array.from({ length: 1501 }, (_, i) => i);
  const speed = (t: number): number => (t <= 300 ? 1 : t <= 900 ? 8 : 3);
  const distanceM: number[] = [];
  let d = 0;
  for (const t of timeS) {
    if (t > 0) d += speed(t);
    distanceM.push(d);
  }
  const bytes = encodeFitActivity({
    startTime: START,
    samples: {
      timeS,
      distanceM,
      speedMps: timeS.map(speed),
      cadenceSpm: timeS.map((t) => (t <= 300 ? 30 : t <= 900 ? 90 : 170)),
    },
    sessions: [
      { sport: 'swimming', subSport: 'open_water', startS: 0, endS: 300 },
      { sport: 'cycling', startS: 301, endS: 900 },
      { sport: 'running', startS: 901, endS: 1500 },
    ],
  });

  it('gives one activity per session, records split by session time', async () => {
    const acts = await parse(bytes);
    expect(acts.map((a) => [a.sport, a.subSport, a.samples.length, a.source.indexInFile])).toEqual([
      ['swimming', 'open_water', 301, 0],
      ['cycling', 'generic', 600, 1],
      ['running', 'generic', 600, 2],
    ]);
    expect(acts.map((a) => a.id)).toEqual([
      'fit-20240527T060000Z-swimming-0',
      'fit-20240527T060501Z-cycling-1',
      'fit-20240527T061501Z-running-2',
    ]);
  });

  it('keeps a session without records, with its summary and a NO_SAMPLES warning', async () => {
    const s = steadyRunSamples({ seconds: 100, speedMps: 3, cadenceSpm: 170 });
    const acts = await parse(
      encodeFitActivity({
        startTime: START,
        samples: s,
        sessions: [
          { sport: 'running', startS: 0, endS: 100 },
          { sport: 'training', startS: 200, endS: 500, summary: { timerTimeS: 300 } },
        ],
      }),
    );
    expect(acts).toHaveLength(2);
    expect(acts[1]!.samples.length).toBe(0);
    expect(codes(acts[1]!)).toEqual(['NO_SAMPLES']);
    expect(acts[1]!.deviceSummary.timerTimeS).toBe(300);
    expect(acts[1]!.startTime?.getTime()).toBe(START.getTime() + 200_000);
  });

  it('keeps stroke and pedal cadence as they are and doubles only running strides', async () => {
    const [swim, bike, run] = await parse(bytes);
    expect(swim!.samples.cadenceSpm[10]).toBe(30);
    expect(bike!.samples.cadenceSpm[10]).toBe(90);
    expect(run!.samples.cadenceSpm[10]).toBe(170);
  });

  it('starts each later session at distance 0 when the device counts on across sessions', async () => {
    const [swim, bike, run] = await parse(bytes);
    // Planted: swim 300 × 1 m, bike 600 × 8 m, run 600 × 3 m.
    expect(lastFinite(swim!.samples.distanceM)).toBe(300);
    expect(lastFinite(bike!.samples.distanceM)).toBe(4800);
    expect(bike!.samples.distanceM[0]).toBe(8);
    expect(lastFinite(run!.samples.distanceM)).toBe(1800);
    expect(run!.deviceSummary.totalDistanceM).toBe(1797); // writer: last − first distance of the session
  });
});

describe('parseFit: chained files', () => {
  const s = steadyRunSamples({ seconds: 600, speedMps: 3, cadenceSpm: 170 });
  const noHr = { ...s, heartRateBpm: s.timeS.map(() => Number.NaN) };
  const watch = encodeFitActivity({ startTime: START, sport: 'swimming', subSport: 'lap_swimming', samples: noHr });

  it('merges heart rate from appended strap files (hr messages, 12-bit packed times) by time', async () => {
    // Beats at t + 0.5 s: 120 bpm before 300 s, 140 after; packed times roll over every 4 s.
    const beatsS = Array.from({ length: 600 }, (_, i) => i + 0.5);
    const strap = encodeFitHeartRateOnly({ startTime: START, timeS: beatsS, heartRateBpm: beatsS.map((t) => (t < 300 ? 120 : 140)), eventTimestampBaseS: 4_000_000 });
    const [a, ...rest] = await parse(chainFitFiles(watch, strap));
    expect(rest).toHaveLength(0);
    expect(codes(a!)).toEqual(['CHAINED_FIT_MERGED']);
    const hr = a!.samples.heartRateBpm;
    expect(Number.isNaN(hr[0]!)).toBe(true); // no beat before 0.5 s
    expect(hr[1]).toBe(120);
    expect(hr[299]).toBe(120);
    expect(hr[302]).toBe(140);
    expect(hr[600]).toBe(140);
  });

  it('agrees with the Garmin FIT SDK merge on irregular beats (gaps over 5 s, 3 beats in a second)', async () => {
    // Beat times: irregular intervals of 0.3–1.7 s, a 9 s gap at 200 s; values 90 + (i % 70).
    const beatsS: number[] = [];
    for (let t = 0.2, i = 0; t < 600; i++) {
      beatsS.push(Math.round(t * 1024) / 1024);
      t += i === 150 ? 9 : 0.3 + ((i * 37) % 15) / 10;
    }
    const strap = encodeFitHeartRateOnly({ startTime: START, timeS: beatsS, heartRateBpm: beatsS.map((_, i) => 90 + (i % 70)), eventTimestampBaseS: 3_999_000 });
    const chained = chainFitFiles(watch, strap);
    const { messages, errors } = new Decoder(Stream.fromByteArray(Array.from(chained))).read({ mergeHeartRates: true });
    expect(errors).toEqual([]);
    const garmin = (messages['recordMesgs'] as { heartRate?: number }[]).map((r) => r.heartRate ?? Number.NaN);
    const [a] = await parse(chained);
    // The SDK writes a record's value only once it meets a beat after the record, so the
    // record(s) after the strap's last beat stay empty there; here they get their beats' mean.
    const lastBeat = beatsS[beatsS.length - 1]!;
    const ours = Array.from(a!.samples.heartRateBpm);
    const covered = (i: number): boolean => a!.samples.timeS[i]! < lastBeat;
    expect(ours.filter((_, i) => covered(i))).toEqual(garmin.filter((_, i) => covered(i)));
    expect(ours.filter((_, i) => !covered(i)).every((v) => v >= 90 && v < 160)).toBe(true);
  });

  it('merges strap beats stored as hr messages inside the activity file', async () => {
    const beatsS = Array.from({ length: 600 }, (_, i) => i + 0.5);
    const bytes = encodeFitActivity({
      startTime: START,
      sport: 'swimming',
      subSport: 'lap_swimming',
      samples: noHr,
      strapBeats: { timeS: beatsS, heartRateBpm: beatsS.map(() => 131) },
    });
    const [a] = await parse(bytes);
    expect(codes(a!)).toEqual(['HR_MESSAGES_MERGED']);
    expect(a!.samples.heartRateBpm[1]).toBe(131);
    expect(a!.samples.heartRateBpm[600]).toBe(131);
  });

  it('merges heart rate from appended record-only files', async () => {
    const t = Array.from({ length: 601 }, (_, i) => i);
    const strap = encodeFitHeartRateOnly({ startTime: START, timeS: t, heartRateBpm: t.map((x) => 100 + (x % 50)), style: 'record' });
    const [a] = await parse(chainFitFiles(watch, strap, strap));
    expect(a!.samples.heartRateBpm[77]).toBe(127); // 100 + 77 % 50
    expect(a!.warnings[0]!.message).toContain('2 heart-rate file(s)');
  });

  it('reads a second activity chained after the first one', async () => {
    const other = encodeFitActivity({ startTime: new Date('2024-05-28T06:00:00Z'), samples: s });
    const acts = await parse(chainFitFiles(watch, other));
    expect(acts.map((a) => [a.sport, a.source.indexInFile, a.samples.length])).toEqual([
      ['swimming', 0, 601],
      ['running', 1, 601],
    ]);
  });

  it('reports bytes after the last FIT file that are not FIT', async () => {
    const junk = new TextEncoder().encode('this is not a FIT header at all');
    const [a] = await parse(chainFitFiles(watch, junk));
    expect(codes(a!)).toEqual(['TRAILING_DATA']);
  });
});

describe('parseFit: truncated and damaged files', () => {
  const s = steadyRunSamples({ seconds: 99, speedMps: 3, cadenceSpm: 170 });
  const full = encodeFitActivity({ startTime: START, samples: s });
  const bounds = fitMessageBoundaries(full);
  const recordsBefore = (cut: number): number => bounds.filter((b) => b.globalMessage === 20 && b.end <= cut).length;

  it('keeps every complete record of a file cut in the middle of a record', async () => {
    const r50 = bounds.filter((b) => b.globalMessage === 20)[49]!; // end of the 50th record
    const cut = r50.end + 5;
    const [a] = await parse(truncateFit(full, cut));
    expect(a!.samples.length).toBe(50);
    expect(codes(a!)).toContain('TRUNCATED');
    expect(codes(a!)).toContain('NO_SESSION');
    expect(a!.samples.distanceM[49]).toBe(147); // planted 49 s × 3 m/s
  });

  it('keeps exactly the complete records wherever the file is cut (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 14, max: full.length - 1 }), async (cut) => {
        const expected = recordsBefore(cut);
        try {
          const acts = await parse(truncateFit(full, cut));
          expect(acts.reduce((n, a) => n + a.samples.length, 0)).toBe(expected);
        } catch (error) {
          expect(isParseError(error)).toBe(true);
          expect(['NOT_AN_ACTIVITY', 'CORRUPT_FILE']).toContain((error as ParseError).code);
          expect(expected).toBe(0);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('reads a file whose header declares more data than there is', async () => {
    const inflated = full.slice();
    const size = (inflated[4]! | (inflated[5]! << 8)) + 19;
    inflated[4] = size & 0xff;
    inflated[5] = size >> 8;
    const [a] = await parse(inflated);
    expect(a!.samples.length).toBe(100);
    expect(codes(a!)).toEqual(['TRUNCATED']);
    expect(a!.deviceSummary.totalDistanceM).toBe(297);
  });

  it('skips a message written shorter than its definition and resumes at the next one', async () => {
    // Remove one byte inside the 50th record (as a writer that drops a leading zero byte does):
    // that record is lost, every other record reads as planted.
    const r49 = bounds.filter((b) => b.globalMessage === 20)[48]!.end; // 50th record starts here
    const bad = new Uint8Array(full.length - 1);
    bad.set(full.subarray(0, r49 + 6));
    bad.set(full.subarray(r49 + 7), r49 + 6);
    const size = (full[4]! | (full[5]! << 8)) - 1;
    bad[4] = size & 0xff;
    bad[5] = size >> 8;
    const [a] = await parse(bad);
    expect(codes(a!)).toEqual(['DAMAGED_DATA']);
    expect(a!.samples.length).toBe(99);
    const times = Array.from(a!.samples.timeS);
    expect(times.slice(47, 50)).toEqual([47, 48, 50]); // the record of t = 49 s is the damaged one
    expect(Array.from(a!.samples.distanceM)).toEqual(times.map((t) => t * 3));
    expect(a!.deviceSummary.totalDistanceM).toBe(297);
  });

  it('never returns a misread value when one byte inside a record is lost or added (property)', async () => {
    const records = bounds.filter((b) => b.globalMessage === 20);
    const firstRecord = records[0]!.end - 24; // record messages are 24 bytes here (header + 23)
    const lastRecord = records[records.length - 1]!.end;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: firstRecord + 1, max: lastRecord - 1 }), fc.boolean(), fc.integer({ min: 0, max: 255 }), async (at, remove, value) => {
        const bad = new Uint8Array(full.length + (remove ? -1 : 1));
        bad.set(full.subarray(0, at));
        if (remove) bad.set(full.subarray(at + 1), at);
        else {
          bad[at] = value;
          bad.set(full.subarray(at), at + 1);
        }
        const size = (full[4]! | (full[5]! << 8)) + (remove ? -1 : 1);
        bad[4] = size & 0xff;
        bad[5] = size >> 8;
        const [a] = await parse(bad);
        const s = a!.samples;
        // Planted: t = 0..99 s, distance 3 m/s × t, 170 spm, heart rate 150.
        expect(s.length).toBeGreaterThanOrEqual(90);
        for (let i = 0; i < s.length; i++) {
          const t = s.timeS[i]!;
          expect(Number.isInteger(t) && t >= 0 && t <= 99).toBe(true);
          expect(s.distanceM[i]).toBe(t * 3);
          expect(s.cadenceSpm[i]).toBe(170);
          expect(s.heartRateBpm[i]).toBe(150);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('answers any byte damage with activities or a typed error, never a crash (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.integer({ min: 12, max: full.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
        async (edits) => {
          const bad = full.slice();
          for (const [at, value] of edits) bad[at] = value;
          try {
            const acts = await parse(bad);
            for (const a of acts) {
              for (let i = 1; i < a.samples.length; i++) expect(a.samples.timeS[i]! >= a.samples.timeS[i - 1]!).toBe(true);
            }
          } catch (error) {
            expect(isParseError(error), String(error)).toBe(true);
            expect((error as ParseError).code).not.toBe('INTERNAL');
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('fails with CORRUPT_FILE when no message can be read', async () => {
    const bad = full.slice();
    bad.fill(0x0f, 14); // data headers for local type 15, never defined
    const error = await parseError(bad);
    expect(error.code).toBe('CORRUPT_FILE');
    expect(error.format).toBe('fit');
    expect(error.message).toMatch(/byte 14/);
  });

  it('fails with CORRUPT_FILE for a header of the wrong size', async () => {
    const bad = full.slice();
    bad[0] = 13;
    const error = await parseError(bad);
    expect(error.code).toBe('CORRUPT_FILE');
  });

  it('turns fit-file-parser string errors into typed errors', async () => {
    // fit-file-parser rejects with the string 'Incorrect header size'.
    const bad = full.slice(0, 40);
    bad[0] = 10;
    await expect(new FitParser().parseAsync(bad.buffer)).rejects.toBe('Incorrect header size');
    await expect(decodeFitPart(bad, '')).rejects.toMatchObject({ name: 'ParseError', code: 'CORRUPT_FILE' });
  });
});

describe('parseFit: not activities', () => {
  it('refuses a settings file with NOT_AN_ACTIVITY', async () => {
    const bytes = encodeFitActivity({ startTime: START, fileType: FIT_FILE_TYPE.settings, samples: { timeS: [] }, sessions: [], writeActivity: false });
    const error = await parseError(bytes);
    expect(error.code).toBe('NOT_AN_ACTIVITY');
    expect(error.message).toMatch(/settings/);
  });

  it('refuses an activity file with no session and no record', async () => {
    const bytes = encodeFitActivity({ startTime: START, samples: { timeS: [] }, sessions: [], writeActivity: false });
    expect((await parseError(bytes)).code).toBe('NOT_AN_ACTIVITY');
  });
});

describe('parseFit: old and odd writers', () => {
  it('expands compressed_speed_distance, distance rolling over every 256 m', async () => {
    // 400 s at 3.1 m/s → 1240 m: the 12-bit distance (1/16 m) wraps 4 times.
    const s = steadyRunSamples({ seconds: 400, speedMps: 3.1, cadenceSpm: 170 });
    const [a] = await parse(encodeFitActivity({ startTime: START, samples: s, compressedSpeedDistance: true }));
    expect(a!.samples.distanceM[400]).toBe(1240);
    expect(a!.samples.distanceM[100]).toBe(310);
    expect(a!.samples.speedMps[100]).toBeCloseTo(3.1, 6);
  });

  it('keeps developer fields away from native values (a developer field named "cadence")', async () => {
    const bytes = encodeFitWithDeveloperField({
      startTime: START,
      cadenceSpm: [170, 172, 174, 176],
      developerFieldName: 'cadence',
      developerValues: [250, 250, 250, 250],
      nativeFieldNum: 4,
    });
    // Plain fit-file-parser output shows the clobbering this parser prevents.
    const plain = (await new FitParser({ force: false }).parseAsync(bytes.slice().buffer)) as unknown as { records: { cadence: number }[] };
    expect(plain.records[0]!.cadence).toBe(250);
    const copy = bytes.slice();
    const [a] = await parse(bytes);
    expect(Array.from(a!.samples.cadenceSpm)).toEqual([170, 172, 174, 176]);
    expect(bytes).toEqual(copy);
  });

  it('reads summary messages written before the records', async () => {
    const s = steadyRunSamples({ seconds: 100, speedMps: 3, cadenceSpm: 170 });
    const [a] = await parse(encodeFitActivity({ startTime: START, samples: s, summaryFirst: true, laps: [{ startS: 0, endS: 100 }] }));
    expect(a!.samples.length).toBe(101);
    expect(a!.deviceSummary.totalDistanceM).toBe(300);
    expect(a!.laps).toHaveLength(1);
  });

  it('warns when the device clock was not set and leaves the start time unknown', async () => {
    const s = steadyRunSamples({ seconds: 60, speedMps: 3, cadenceSpm: 170 });
    const [a] = await parse(encodeFitActivity({ startTime: new Date('1990-07-18T06:44:24Z'), samples: s }));
    expect(a!.startTime).toBeUndefined();
    expect(codes(a!)).toContain('CLOCK_NOT_SET');
    expect(a!.id).toMatch(/^fit-h[0-9a-f]{8}-running-0$/);
    expect(a!.samples.timeS[60]).toBe(60);
  });

  it('drops records going back in time and reports forward jumps', async () => {
    const timeS = [0, 1, 2, 1, 3, 4, 7204, 7205];
    const [a] = await parse(
      encodeFitActivity({ startTime: START, samples: { timeS, distanceM: timeS.map((t) => t * 3), cadenceSpm: timeS.map(() => 170) } }),
    );
    expect(Array.from(a!.samples.timeS)).toEqual([0, 1, 2, 3, 4, 7204, 7205]);
    expect(codes(a!)).toEqual(expect.arrayContaining(['TIME_BACKWARDS', 'TIME_JUMP']));
  });

  it('derives distance and speed from positions when the file stores neither', async () => {
    // steadyRunSamples moves 3 m north per second (lat step 3 / 111,195 m per degree).
    const s = steadyRunSamples({ seconds: 600, speedMps: 3, cadenceSpm: 170 });
    const [a] = await parse(encodeFitActivity({ startTime: START, samples: { timeS: s.timeS, latDeg: s.latDeg, lonDeg: s.lonDeg, cadenceSpm: s.cadenceSpm } }));
    expect(lastFinite(a!.samples.distanceM)).toBeCloseTo(1800, -1); // semicircle rounding: < 1 m over 600 fixes
    expect(a!.samples.speedMps[300]).toBeCloseTo(3, 1);
    expect(a!.cadence.detected).toBe('strides');
  });

  it('treats a lone record 100 s back in time as an odd timestamp, not as damage', async () => {
    // Records at 0..29 s, one stamped 100 s before its predecessor (−71 s), then 30..59 s.
    const timeS = [...Array.from({ length: 30 }, (_, i) => i), -71, ...Array.from({ length: 30 }, (_, i) => 30 + i)];
    const bytes = encodeFitActivity({
      startTime: new Date(START.getTime() + 100_000),
      samples: { timeS, distanceM: timeS.map((t) => Math.max(0, t) * 3), cadenceSpm: timeS.map(() => 170) },
    });
    const [a] = await parse(bytes);
    expect(codes(a!)).toEqual(['TIME_BACKWARDS']);
    expect(a!.samples.length).toBe(60);
    expect(a!.samples.timeS[30]).toBe(30);
  });

  it('merges records that share a timestamp into one sample', async () => {
    // t = 1 s is written twice: once with distance only, once with position only.
    const timeS = [0, 1, 1, 2];
    const [a] = await parse(
      encodeFitActivity({
        startTime: START,
        samples: {
          timeS,
          distanceM: [0, 3, Number.NaN, 6],
          latDeg: [48, Number.NaN, 48.1, 48.2],
          lonDeg: [11, Number.NaN, 11.1, 11.2],
        },
      }),
    );
    expect(Array.from(a!.samples.timeS)).toEqual([0, 1, 2]);
    expect(Array.from(a!.samples.distanceM)).toEqual([0, 3, 6]);
    expect(a!.samples.latDeg[1]).toBeCloseTo(48.1, 6);
  });

  it('enforces the per-activity sample limit', async () => {
    const s = steadyRunSamples({ seconds: 99, speedMps: 3, cadenceSpm: 170 });
    await expect(parseActivities(encodeFitActivity({ startTime: START, samples: s }), { limits: { maxSamplesPerActivity: 50 } })).rejects.toMatchObject({
      code: 'TOO_MANY_SAMPLES',
    });
  });
});
