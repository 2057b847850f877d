/**
 * Sport resolution: the file, then the export's metadata, then the name, then
 * the data. Twins are generated without a sport (GPX without <type>, FIT with
 * sport `generic` or without a session) with a planted truth: the speed,
 * cadence, power and climb each recording was written with.
 */
import { describe, expect, it } from 'vitest';
import { encodeFitActivity } from '../../fixtures/lib/fit-writer.js';
import { encodeGpx, type GpxWriteOptions, type RecordingSpec } from '../../fixtures/lib/gpx-writer.js';
import { encodeTcx } from '../../fixtures/lib/tcx-writer.js';
import type { Activity } from '../../src/activity.js';
import { parseActivities } from '../../src/parse/index.js';
import { applyExportSport, inferSport, measureSportEvidence, resolveSport, sportFromName } from '../../src/parse/sport.js';

const START = new Date('2025-05-04T07:00:00Z');

interface TwinSpec {
  readonly seconds: number;
  /** Speed at second i, m/s. */
  readonly speed: (i: number) => number;
  /** Cadence at second i in the unit the file stores (GPX written with `cadenceAs: 'steps'`, i.e. as given). */
  readonly cadence?: (i: number) => number;
  readonly power?: (i: number) => number;
  /** Altitude at second i, m (default flat 100 m). */
  readonly altitude?: (i: number) => number;
  readonly name?: string;
}

/** 1 Hz samples due north from 46° N, distance the sum of the planted speeds. */
function twin(spec: TwinSpec): RecordingSpec {
  const n = spec.seconds + 1;
  const timeS: number[] = [];
  const latDeg: number[] = [];
  const lonDeg: number[] = [];
  const altitudeM: number[] = [];
  const cadenceSpm: number[] = [];
  const powerW: number[] = [];
  let d = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0) d += spec.speed(i);
    timeS.push(i);
    latDeg.push(46 + d / 111_195);
    lonDeg.push(8);
    altitudeM.push(spec.altitude?.(i) ?? 100);
    if (spec.cadence !== undefined) cadenceSpm.push(spec.cadence(i));
    if (spec.power !== undefined) powerW.push(spec.power(i));
  }
  return {
    startTime: START,
    sport: 'generic',
    timeS,
    latDeg,
    lonDeg,
    altitudeM,
    ...(spec.cadence !== undefined ? { cadenceSpm } : {}),
    ...(spec.power !== undefined ? { powerW } : {}),
    ...(spec.name !== undefined ? { name: spec.name } : {}),
  };
}

async function gpx(spec: TwinSpec, options: GpxWriteOptions = {}): Promise<Activity> {
  const text = encodeGpx(twin(spec), { writeType: false, cadenceAs: 'steps', ...options });
  const [a] = await parseActivities(new TextEncoder().encode(text));
  return a!;
}

/** Median of the finite values of a column. */
function median(col: ArrayLike<number>): number {
  const v = Array.from(col).filter(Number.isFinite).sort((a, b) => a - b);
  return v[v.length >> 1]!;
}

// Planted truths. A periodic wobble keeps the speed distribution realistic.
const wobble = (i: number, amp: number): number => amp * Math.sin(i / 37);
const RIDE: TwinSpec = {
  seconds: 3600,
  // 7 m/s (25 km/h) with 11 m/s descents 15 % of the time, coasting (cadence 0) on them.
  speed: (i) => (i % 200 < 30 ? 11 : 7 + wobble(i, 0.5)),
  cadence: (i) => (i % 200 < 30 ? 0 : 85),
};
const SWIM: TwinSpec = { seconds: 1800, speed: (i) => 0.9 + wobble(i, 0.1), cadence: () => 30 };
// 170 steps/min stored as 85 strides/min, as Garmin writes GPX.
const RUN: TwinSpec = { seconds: 2400, speed: (i) => 3.2 + wobble(i, 0.2), cadence: () => 85 };
const WALK: TwinSpec = { seconds: 2400, speed: (i) => 1.4 + wobble(i, 0.1), cadence: () => 112 };
// 1 m/s climbing 0.1 m/s: 100 m of climb per km.
const HIKE: TwinSpec = { seconds: 3600, speed: (i) => 1.0 + wobble(i, 0.1), cadence: () => 95, altitude: (i) => 500 + i * 0.1 };

describe('twins without a sport: the data decide', () => {
  it.each([
    ['a ride (25 km/h, 85 rpm, coasting on descents)', RIDE, 'cycling', 85],
    ['a swim (0.9 m/s, 30 strokes/min)', SWIM, 'swimming', 30],
    ['a run (3.2 m/s, 85 strides/min = 170 steps/min)', RUN, 'running', 170],
    ['a walk (1.4 m/s, 112 steps/min)', WALK, 'walking', 112],
    ['a hike (1 m/s, 95 steps/min, 100 m climb per km)', HIKE, 'hiking', 95],
  ] as const)('GPX without <type>: %s', async (_label, spec, sport, cadenceSpm) => {
    const a = await gpx(spec);
    expect(a.sport).toBe(sport);
    expect(a.sportSource).toBe('inferred');
    expect(a.sportConfidence).toBeGreaterThanOrEqual(0.75);
    // Pedalling and stroke cadences are never doubled; the run's strides are.
    expect(median(a.samples.cadenceSpm)).toBeCloseTo(cadenceSpm, 0);
    // The id keeps what the file said, so it does not move with inference.
    expect(a.id).toMatch(/-generic-0$/);
  });

  it('a ride at a steady 25 km/h without cadence is a ride, never a run', async () => {
    const a = await gpx({ seconds: 1800, speed: () => 25 / 3.6 });
    expect([a.sport, a.sportSource]).toEqual(['cycling', 'inferred']);
  });

  it('a run without cadence at a steady 3 m/s is a run, with a lower confidence', async () => {
    const a = await gpx({ seconds: 1800, speed: (i) => 3 + wobble(i, 0.2) });
    expect([a.sport, a.sportSource, a.sportConfidence]).toEqual(['running', 'inferred', 0.65]);
  });

  it('a slow ride at 4.5 m/s with 80 rpm and power is pedalling: cycling, cadence kept at 80', async () => {
    // Without power this would read as an 80 strides/min run (step 1.7 m); power decides.
    const a = await gpx({ seconds: 1800, speed: (i) => 4.5 + wobble(i, 0.3), cadence: () => 80, power: () => 180 });
    expect(a.sport).toBe('cycling');
    expect(median(a.samples.cadenceSpm)).toBe(80);
    expect(a.cadence.factor).toBe(1);
  });

  it.each<[string, TwinSpec]>([
    ['2.1 m/s without cadence (between a walk and a jog)', { seconds: 1800, speed: () => 2.1 }],
    ['a 3-minute recording', { seconds: 180, speed: () => 3 }],
    ['20 m/s (a car or a train as likely as anything)', { seconds: 1800, speed: () => 20 }],
  ])('ambiguous data stay unknown: %s', async (_label, spec) => {
    const a = await gpx(spec);
    expect([a.sport, a.sportSource, a.sportConfidence]).toEqual(['generic', 'unknown', undefined]);
  });

  it('FIT with sport generic, and FIT without a session: the same inference', async () => {
    const ride = twin(RIDE);
    const samples = {
      timeS: Array.from(ride.timeS),
      latDeg: Array.from(ride.latDeg!),
      lonDeg: Array.from(ride.lonDeg!),
      altitudeM: Array.from(ride.altitudeM!),
      cadenceSpm: Array.from(ride.cadenceSpm!),
    };
    for (const bytes of [
      encodeFitActivity({ startTime: START, sport: 'generic', samples, cadenceEncoding: 'raw' }),
      encodeFitActivity({ startTime: START, sport: 'generic', samples, cadenceEncoding: 'raw', sessions: [] }),
    ]) {
      const [a] = await parseActivities(bytes);
      expect([a!.sport, a!.sportSource]).toEqual(['cycling', 'inferred']);
      expect(median(a!.samples.cadenceSpm)).toBe(85);
      expect(a!.deviceSummary.totalSteps).toBeUndefined();
    }
    const run = twin(RUN);
    const [r] = await parseActivities(
      encodeFitActivity({
        startTime: START,
        sport: 'generic',
        // written in steps/min and stored by the writer as strides (170 → 85)
        samples: { timeS: Array.from(run.timeS), latDeg: Array.from(run.latDeg!), lonDeg: Array.from(run.lonDeg!), cadenceSpm: Array.from(run.timeS, () => 170) },
      }),
    );
    expect([r!.sport, r!.sportSource]).toEqual(['running', 'inferred']);
    expect(r!.cadence.factor).toBe(2);
    expect(median(r!.samples.cadenceSpm)).toBe(170);
  });
});

describe('TCX Sport="Other"', () => {
  it('a walk in a TCX whose Sport is Other is a walk', async () => {
    const text = encodeTcx(twin(WALK));
    expect(text).toContain('Sport="Other"');
    const [a] = await parseActivities(new TextEncoder().encode(text));
    expect([a!.sport, a!.sportSource]).toEqual(['walking', 'inferred']);
  });
});

describe('sources in order: file, name, data', () => {
  it('the file wins over the name and the data', async () => {
    const text = encodeGpx({ ...twin(RIDE), sport: 'running', name: 'Morning Ride' }, { cadenceAs: 'steps' });
    const [a] = await parseActivities(new TextEncoder().encode(text));
    expect([a!.sport, a!.sportSource, a!.sportConfidence]).toEqual(['running', 'file', undefined]);
  });

  it('the name wins over the data', async () => {
    const a = await gpx({ ...RUN, name: 'Lunch Ride' });
    expect([a.sport, a.sportSource]).toEqual(['cycling', 'name']);
    // decided as a ride before the cadence unit: 85 stays 85
    expect(median(a.samples.cadenceSpm)).toBe(85);
  });

  it('a name that names two sports does not decide; the data do', async () => {
    const a = await gpx({ ...RUN, name: 'Run/Walk' });
    expect([a.sport, a.sportSource]).toEqual(['running', 'inferred']);
  });

  it.each([
    ['Afternoon Run', 'running'],
    ['Morning Ride', 'cycling'],
    ['Evening Walk', 'walking'],
    ['Lunch Swim', 'swimming'],
    ['Night Hike', 'hiking'],
    ['Morgenlauf', 'running'],
    ['Lauf am Nachmittag', 'running'],
    ['Radfahrt am Abend', 'cycling'],
    ['Bergwanderung', 'hiking'],
    ['Course à pied le matin', 'running'],
    ['Sortie à vélo', 'cycling'],
    ['Corsa pomeridiana', 'running'],
    ['Carrera de tarde', 'running'],
    ['Ochtend hardlopen', 'running'],
    ['Löpning på morgonen', 'running'],
    ['Løb', 'running'],
    ['Natación', 'swimming'],
    ['TRAIL_RUNNING', 'running'],
    ['Run to the bike shop', undefined],
    ['Verlauf', undefined],
    ['Untitled', undefined],
    ['9', undefined],
  ])('sportFromName(%j) → %s', (name, sport) => {
    expect(sportFromName(name)?.sport).toBe(sport);
  });

  it('a whole-name label keeps its sub-sport', () => {
    expect(sportFromName('Trail Running')).toEqual({ sport: 'running', subSport: 'trail' });
  });

  it('resolveSport: the export type comes before the name', () => {
    expect(resolveSport({ file: { sport: 'generic', subSport: 'generic' }, exportType: 'Ride', name: 'Morning Run' })).toEqual({
      sport: 'cycling',
      subSport: 'generic',
      source: 'export-metadata',
      confidence: 1,
    });
  });
});

describe('inferSport on measured evidence', () => {
  it('measures the planted ride: median 7 m/s, coasting 15 % of the time above 3 m/s', async () => {
    const a = await gpx(RIDE);
    const raw = Float32Array.from(a.samples.cadenceSpm, (c) => (Number.isNaN(c) ? 0 : c));
    const e = measureSportEvidence(a.samples, raw);
    expect(e.medianSpeedMps).toBeCloseTo(7, 0);
    // 30 of every 200 s at 11 m/s with cadence 0 (position-derived speed smears the edges a little)
    expect(e.coastingShare).toBeGreaterThan(0.1);
    expect(e.coastingShare).toBeLessThan(0.2);
    expect(inferSport(e)?.sport).toBe('cycling');
  });
});

describe('inferSport thresholds', () => {
  const base = { movingTimeS: 3600, medianSpeedMps: 2.1, p90SpeedMps: 2.5, medianCadenceRaw: 40, cadenceCoverage: 0.28, coastingShare: 0, powerCoverage: 0, climbMPerKm: 2 };
  it('stroke-like cadence on over a fifth of the time at 2.1 m/s is a boat (confidence 0.6), on a tenth nothing', () => {
    expect(inferSport(base)).toMatchObject({ sport: 'rowing', confidence: 0.6 });
    expect(inferSport({ ...base, cadenceCoverage: 0.9 })).toMatchObject({ sport: 'rowing', confidence: 0.65 });
    expect(inferSport({ ...base, medianSpeedMps: 1.0, cadenceCoverage: 0.9 })).toMatchObject({ sport: 'swimming', confidence: 0.75 });
    expect(inferSport({ ...base, cadenceCoverage: 0.1 })).toBeUndefined();
  });
  it('speeds no one runs at: 6.5 m/s median is a ride; over 12 m/s without pedalling or power nothing', () => {
    const noCadence = { ...base, medianCadenceRaw: Number.NaN, cadenceCoverage: 0 };
    expect(inferSport({ ...noCadence, medianSpeedMps: 6.5, p90SpeedMps: 7 })?.sport).toBe('cycling');
    expect(inferSport({ ...noCadence, medianSpeedMps: 13, p90SpeedMps: 15 })).toBeUndefined();
    expect(inferSport({ ...noCadence, medianSpeedMps: 13, p90SpeedMps: 15, medianCadenceRaw: 95, cadenceCoverage: 0.9 })?.sport).toBe('cycling');
    expect(inferSport({ ...noCadence, movingTimeS: 200, medianSpeedMps: 7 })).toBeUndefined();
  });
});

describe('export metadata after parsing (Strava activities.csv "Activity Type")', () => {
  it('a ride the data took for a run becomes a ride, and its cadence is un-doubled', async () => {
    // 4 m/s at 80 /min without power or coasting reads as an 80 strides/min run (step 1.5 m)
    const a = await gpx({ seconds: 1800, speed: (i) => 4 + wobble(i, 0.2), cadence: () => 80 });
    expect([a.sport, a.sportSource]).toEqual(['running', 'inferred']);
    expect(median(a.samples.cadenceSpm)).toBe(160);
    const b = applyExportSport(a, { type: 'Ride' });
    expect([b.sport, b.sportSource, b.sportConfidence]).toEqual(['cycling', 'export-metadata', undefined]);
    expect(median(b.samples.cadenceSpm)).toBe(80);
    expect(b.cadence).toMatchObject({ factor: 1, method: 'not-a-foot-sport' });
    // the input is not modified
    expect(median(a.samples.cadenceSpm)).toBe(160);
  });

  it('a swim type on an unknown activity, and a type never overriding the file', async () => {
    const unknown = await gpx({ seconds: 1800, speed: () => 2.1 });
    expect(applyExportSport(unknown, { type: 'Swim' })).toMatchObject({ sport: 'swimming', sportSource: 'export-metadata' });
    const typed = (await parseActivities(new TextEncoder().encode(encodeGpx({ ...twin(RUN), sport: 'running' }))))[0]!;
    expect(applyExportSport(typed, { type: 'Ride' })).toBe(typed);
  });

  it('without a type, the export name decides an inferred or unknown sport', async () => {
    const unknown = await gpx({ seconds: 1800, speed: () => 2.1 });
    expect(applyExportSport(unknown, { name: 'Abendlauf' })).toMatchObject({ sport: 'running', sportSource: 'name' });
    expect(applyExportSport(unknown, { name: 'Untitled' })).toBe(unknown);
  });
});
