/**
 * Elevation that could have happened (card D1, added step): altitude stretches
 * faster than a runner moves vertically, FIT's empty altitude (−500 m), and
 * barometers that store altitude in alternating 0.2 m steps. Generated FIT
 * files with planted truth.
 */
import { describe, expect, it } from 'vitest';
import { encodeFitActivity, type FitSampleArrays } from '../../fixtures/lib/fit-writer.js';
import { analyzeHistory, summarizeActivity, type ActivitySummary } from '../../src/analysis/index.js';
import { repairAltitudeExcursions } from '../../src/analysis/elevation.js';
import { parseActivities } from '../../src/parse/index.js';
import { evaluateRules } from '../../src/rules/index.js';
import { corpusAvailable, corpusSkipReason, readCorpusFile } from '../helpers/corpus.js';

const RUN_S = 2400;
const SPEED = 3;

/** 40 min at 3 m/s and 170 spm, 1 Hz, at 51° N, altitude from `alt(i)`. */
function run(alt: (i: number) => number): FitSampleArrays {
  const n = RUN_S + 1;
  const timeS = Array.from({ length: n }, (_, i) => i);
  return {
    timeS,
    distanceM: timeS.map((i) => i * SPEED),
    speedMps: timeS.map(() => SPEED),
    cadenceSpm: timeS.map(() => 170),
    altitudeM: timeS.map(alt),
    latDeg: timeS.map((i) => 51 + (i * SPEED) / 111_195),
    lonDeg: timeS.map(() => 7),
  };
}

async function summarize(samples: FitSampleArrays): Promise<ActivitySummary> {
  const [a] = await parseActivities(encodeFitActivity({ startTime: new Date('2025-04-01T07:00:00Z'), samples }));
  return summarizeActivity(a!);
}

/**
 * Three dips from 60 m to −59 m and back at 1.5 m/s vertically (79 s down, 60 s at the
 * bottom, 79 s up) while pace and cadence stay as they are: 357 m of impossible descent.
 */
function dips(i: number): number {
  const base = 60;
  for (const start of [400, 1100, 1800]) {
    const down = 119 / 1.5; // 79.3 s
    const k = i - start;
    if (k < 0 || k > 2 * down + 60) continue;
    if (k <= down) return base - 1.5 * k;
    if (k <= down + 60) return -59;
    return -59 + 1.5 * (k - down - 60);
  }
  return base;
}

describe('altitude excursions no runner can produce', () => {
  it('repairAltitudeExcursions: a dip and its return are taken out, the level is kept', () => {
    // 1 Hz at 3 m/s, 100 m, except a 60 s fall at 1.5 m/s, 60 s at the bottom and 60 s back up
    const n = 600;
    const t = Float64Array.from({ length: n }, (_, i) => i);
    const d = t.map((x) => 3 * x);
    const h = t.map((x) => (x < 200 ? 100 : x < 260 ? 100 - 1.5 * (x - 200) : x < 320 ? 10 : x < 380 ? 10 + 1.5 * (x - 320) : 100));
    const r = repairAltitudeExcursions(t, d, h);
    expect(r.stretches).toBe(2);
    for (let i = 0; i < n; i++) expect(h[i]).toBeCloseTo(100, 6);
    // a real climb at 0.8 m/s (a steep trail) is left alone
    const climb = t.map((x) => 100 + 0.8 * x);
    expect(repairAltitudeExcursions(t, d, climb).stretches).toBe(0);
    expect(climb[n - 1]).toBeCloseTo(100 + 0.8 * 599, 6);
  });

  it('three −59 m dips at 51° N: no very steep downhills, no downhill-heavy finding, ALTITUDE_EXCURSION', async () => {
    // Before this step the same file gave 3 "very steep" downhill segments and a downhill-heavy finding (359 m of descent).
    const s = await summarize(run(dips));
    expect(s.quality.map((q) => q.code)).toContain('ALTITUDE_EXCURSION');
    expect(s.downhillSegments.filter((d) => d.category === 'very-steep')).toEqual([]);
    expect(s.downhillSegments).toEqual([]);
    expect(s.elevation.descentM ?? 0).toBeLessThan(5); // the track is flat apart from the dips
    const findings = evaluateRules(analyzeHistory([s]), [s]);
    expect(findings.filter((f) => f.rule === 'downhill-heavy')).toEqual([]);
  });

  it('FIT raw-zero altitude (−500 m) for two minutes is ignored, not a 560 m valley', async () => {
    // Before: 764 m of descent and a downhill-heavy finding from this flat run.
    const s = await summarize(run((i) => (i >= 1000 && i < 1120 ? -500 : 60)));
    const flag = s.quality.find((q) => q.code === 'ALTITUDE_EXCURSION');
    expect(flag?.message).toContain('120 samples below -450 m');
    expect(s.elevation.descentM ?? 0).toBeLessThan(1);
    expect(s.downhillSegments).toEqual([]);
  });

  it('a real hill is kept: 60 m down at −6 % (0.18 m/s vertically) stays a moderate downhill', async () => {
    // 1000 m climb at +6 % over 333 s, then 1000 m down at −6 %: 60 m each way
    const s = await summarize(run((i) => (i < 600 ? 60 : i < 933 ? 60 + 0.18 * (i - 600) : i < 1266 ? 120 - 0.18 * (i - 933) : 60)));
    expect(s.quality.map((q) => q.code)).not.toContain('ALTITUDE_EXCURSION');
    expect(s.elevation.descentM!).toBeGreaterThan(50);
    expect(s.downhillSegments.map((d) => d.category)).toEqual(['moderate']);
  });
});

describe('barometric altitude stored in alternating 0.2 m steps', () => {
  it('is barometric (not GPS) and gets no GPS wording', async () => {
    // a slow 10 m rolling profile, quantised to FIT's 0.2 m, with every other sample 0.2 m up (the dither)
    // Before: median |second difference| 0.4 m ≥ 0.3 m, so it was classed GPS (GPS_ALTITUDE, 7 m hysteresis).
    const s = await summarize(run((i) => Math.round((100 + 10 * Math.sin(i / 300)) * 5) / 5 + (i % 2) * 0.2));
    expect(s.elevation.source).toBe('baro');
    expect(s.quality.map((q) => q.code)).not.toContain('GPS_ALTITUDE');
  });

  it('GPS-like noise of ±1.5 m per sample still counts as GPS', async () => {
    let x = 42;
    const r = (): number => ((x = (x * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const s = await summarize(run(() => 100 + 1.5 * r()));
    expect(s.elevation.source).toBe('gps');
  });
});

describe.skipIf(!corpusAvailable)(`real files (${corpusAvailable ? 'corpus' : corpusSkipReason})`, () => {
  it('loup-blanc.fit (5 h trail run, 2,548 m down): real descents are not excursions', async () => {
    const run = (await parseActivities(readCorpusFile('elevate/loup-blanc.fit'))).find((a) => a.sport === 'running')!;
    const s = summarizeActivity(run);
    expect(s.quality.map((q) => q.code)).not.toContain('ALTITUDE_EXCURSION');
    expect(s.elevation.descentM!).toBeGreaterThan(2400);
  });

  it('the Strava Android app FIT: a phone altitude jumping 23 m in one second is taken out', async () => {
    const [run] = await parseActivities(readCorpusFile('python-fitparse/strava-android-app-201.10-b1218918.fit'));
    const s = summarizeActivity(run!);
    expect(s.quality.find((q) => q.code === 'ALTITUDE_EXCURSION')?.message).toMatch(/altitude stretch/);
  });
});
