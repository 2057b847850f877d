/**
 * Running told from walking within each activity (card C1, revised) and the
 * cadence figures that come with it, on generated FIT files with planted
 * truth: steady runs at 130–137 spm, a run/walk file, a hike, and the real
 * corpus files' own session averages.
 */
import { describe, expect, it } from 'vitest';
import { encodeFitActivity, type FitSampleArrays } from '../../fixtures/lib/fit-writer.js';
import { analyzeHistory, summarizeActivity, type ActivitySummary } from '../../src/analysis/index.js';
import { parseActivities } from '../../src/parse/index.js';
import { buildReport, renderHtml, renderText } from '../../src/report/index.js';
import { evaluateRules, type Finding } from '../../src/rules/index.js';
import { corpusAvailable, corpusSkipReason, readCorpusFile } from '../helpers/corpus.js';

/** Deterministic noise in [−1, 1) (Park–Miller). */
function noise(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 16807) % 2147483647;
    return (x / 2147483647) * 2 - 1;
  };
}

/** One stretch of a recording: `seconds` at `speedMps` and `spm` (± `jitterSpm`). */
interface Stretch {
  readonly seconds: number;
  readonly speedMps: number;
  readonly spm: number;
  readonly jitterSpm?: number;
  readonly speedJitterMps?: number;
  /** `bell`: cadence jitter as the sum of three uniforms (close to normal, SD = jitterSpm), else uniform ± jitterSpm. */
  readonly jitterShape?: 'uniform' | 'bell';
}

/** 1 Hz samples over the stretches, flat at 100 m, heading north from 48° N. */
function samples(stretches: readonly Stretch[], seed = 1): Required<Pick<FitSampleArrays, 'timeS' | 'distanceM' | 'speedMps' | 'cadenceSpm' | 'altitudeM' | 'latDeg' | 'lonDeg'>> {
  const r = noise(seed);
  const out = { timeS: [0], distanceM: [0], speedMps: [stretches[0]!.speedMps], cadenceSpm: [stretches[0]!.spm], altitudeM: [100], latDeg: [48], lonDeg: [11] };
  let t = 0;
  let d = 0;
  for (const s of stretches) {
    for (let k = 0; k < s.seconds; k++) {
      const v = Math.max(0.6, s.speedMps + (s.speedJitterMps ?? 0.05) * r());
      t += 1;
      d += v;
      out.timeS.push(t);
      out.distanceM.push(d);
      out.speedMps.push(v);
      // the sum of three uniforms on [−1, 1) has SD 1
      out.cadenceSpm.push(s.spm + (s.jitterSpm ?? 2) * (s.jitterShape === 'bell' ? r() + r() + r() : r()));
      out.altitudeM.push(100);
      out.latDeg.push(48 + d / 111_195);
      out.lonDeg.push(11);
    }
  }
  return out;
}

async function summarize(stretches: readonly Stretch[], sport = 'running', seed = 1): Promise<ActivitySummary> {
  const bytes = encodeFitActivity({ startTime: new Date('2025-04-01T07:00:00Z'), sport, samples: samples(stretches, seed) });
  const [activity] = await parseActivities(bytes);
  return summarizeActivity(activity!);
}

function findings(s: ActivitySummary): Finding[] {
  return evaluateRules(analyzeHistory([s]), [s]);
}

describe('a steady run at 130–140 spm is running and is judged', () => {
  // 40 min at 2.6 m/s (6:25/km): steps of 2.6 × 60 / 135 = 1.16 m, a run however low the rate.
  // Before: no sample counted as running (< 140 spm), so "short run, not judged" (SHORT_RUN, NO_CADENCE).
  for (const spm of [130, 135, 137]) {
    it(`${spm} spm at 2.6 m/s: all of it running, low cadence (with long steps) reported`, async () => {
      const s = await summarize([{ seconds: 2400, speedMps: 2.6, spm }]);
      expect(s.cadence.runWalkMethod).toBe('single-cluster');
      // the prior (140) would hide it: the floor drops to the run's own mean − 25 spm
      expect(s.cadence.runWalkThresholdSpm).toBeCloseTo(spm - 25, 0);
      expect(s.runningTimeS).toBeGreaterThan(2390);
      expect(s.cadence.runningShareOfMovingTime).toBeGreaterThan(0.99);
      expect(s.cadence.avgSpm).toBeCloseTo(spm, 0);
      expect(s.quality.map((q) => q.code)).not.toContain('SHORT_RUN');
      const f = findings(s);
      expect(f.filter((x) => x.rule === 'data-quality')).toEqual([]);
      // 2.6·60/spm against the expected 2.6·60/(150 + 6.01·2.6) = 0.94 m is ≥ 1.10×, so card O1's one
      // combined finding carries the low cadence (absolute mode: below 170 spm)
      const combined = f.find((x) => x.rule === 'overstriding');
      expect(combined?.details['combinedWithLowCadence']).toBe(true);
      expect(combined?.details['mode']).toBe('absolute');
      expect(combined?.details['flatAvgSpm']).toBeCloseTo(spm, 0);
      expect(combined?.message).toContain(`averaged ${spm} spm`);
    });
  }
});

describe('run/walk: two clusters, both figures', () => {
  // 8 × (4 min running at 3.0 m/s, 168 spm + 1 min walking at 1.4 m/s, 112 spm): running 32 of 40 min
  const blocks: Stretch[] = [];
  for (let k = 0; k < 8; k++) blocks.push({ seconds: 240, speedMps: 3.0, spm: 168 }, { seconds: 60, speedMps: 1.4, spm: 112 });

  it('splits between the clusters and reports the running cadence with its share, and the moving average', async () => {
    const s = await summarize(blocks);
    expect(s.cadence.runWalkMethod).toBe('clusters');
    expect(s.cadence.runWalkThresholdSpm).toBeGreaterThan(118);
    expect(s.cadence.runWalkThresholdSpm).toBeLessThan(162);
    expect(s.cadence.avgSpm).toBeCloseTo(168, 0);
    expect(s.cadence.walkingAvgSpm).toBeCloseTo(112, 0);
    expect(s.cadence.runningShareOfMovingTime).toBeCloseTo(0.8, 2); // 1920 of 2400 s
    // moving average: 0.8 × 168 + 0.2 × 112 = 156.8 spm (no stops: equal to the watch-style timer average)
    expect(s.cadence.movingAvgSpm).toBeCloseTo(156.8, 0);
    expect(s.cadence.timerAvgSpm).toBeCloseTo(156.8, 0);
  });

  it('a low-cadence runner with walking breaks: 135 spm running at 2.6 m/s, walking at 105 spm and 1.3 m/s', async () => {
    const low: Stretch[] = [];
    for (let k = 0; k < 8; k++) low.push({ seconds: 240, speedMps: 2.6, spm: 135 }, { seconds: 60, speedMps: 1.3, spm: 105 });
    const s = await summarize(low, 'running', 3);
    expect(s.cadence.runWalkMethod).toBe('clusters');
    expect(s.cadence.avgSpm).toBeCloseTo(135, 0);
    expect(s.cadence.runningShareOfMovingTime).toBeCloseTo(0.8, 2);
    expect(findings(s).some((x) => x.details['flatAvgSpm'] !== undefined && Math.round(x.details['flatAvgSpm'] as number) === 135)).toBe(true);
  });

  it('interval reps at 185 spm with jogged recoveries at 160 spm stay all running (the jog is no walking cluster)', async () => {
    const reps: Stretch[] = [];
    for (let k = 0; k < 8; k++) reps.push({ seconds: 180, speedMps: 4.5, spm: 185 }, { seconds: 120, speedMps: 2.4, spm: 160 });
    const s = await summarize(reps, 'running', 5);
    expect(s.cadence.runWalkMethod).toBe('single-cluster');
    expect(s.cadence.runningShareOfMovingTime).toBeGreaterThan(0.99);
  });

  it('one wide cluster is not two: a slow jog at 150 ± 10 spm and 2.0 m/s stays all running', async () => {
    // Otsu's halves of one normal distribution are 1.6 SD apart (16 spm here, over the 15 spm gap)
    // with Ashman's D 2.65: under the limit of 3, so the lower half is not taken for walking.
    const s = await summarize([{ seconds: 2400, speedMps: 2.0, spm: 150, jitterSpm: 10, jitterShape: 'bell' }], 'running', 13);
    expect(s.cadence.runWalkMethod).toBe('single-cluster');
    expect(s.cadence.runningShareOfMovingTime).toBeGreaterThan(0.97);
  });

  it('text and HTML say which figure is which', async () => {
    const s = await summarize(blocks);
    const report = buildReport({ summaries: [s], history: analyzeHistory([s]), findings: findings(s) });
    const text = renderText(report);
    expect(text).toContain('Running cadence 168 spm over 1 run, 80 % of the moving time; walking the rest');
    expect(text).toContain('Moving average with walking included: 157 spm');
    const html = renderHtml(report);
    expect(html).toContain('Running cadence 168 steps/min over 1 run, 80 % of the moving time; walking the rest');
    expect(html).toContain('168 (80 % running)');
  });
});

describe('a hike is not a fast subset', () => {
  // 2.7 h at about 1 m/s and 88 spm, GPS speed noise reaching over 1.5 m/s at times
  const hike: Stretch[] = [{ seconds: 9720, speedMps: 1.0, spm: 88, jitterSpm: 6, speedJitterMps: 0.6 }];

  it('a pure hike recorded as a run has no running at all, and its moving average is the hike’s', async () => {
    const s = await summarize(hike, 'running', 7);
    expect(s.cadence.runWalkMethod).toBe('walking');
    expect(s.runningTimeS).toBe(0);
    expect(s.cadence.avgSpm).toBeNull();
    expect(s.cadence.movingAvgSpm).toBeCloseTo(88, 0);
    // nothing is judged on it: form needs 10 min of running
    const f = findings(s);
    expect(f.filter((x) => x.rule === 'low-cadence' || x.rule === 'overstriding')).toEqual([]);
  });

  it('a hike with 10 % jogging: running cadence 158 over 10 % of the time, moving average about 95', async () => {
    const mixed: Stretch[] = [];
    for (let k = 0; k < 9; k++) mixed.push({ seconds: 972, speedMps: 1.0, spm: 88, jitterSpm: 4, speedJitterMps: 0.3 }, { seconds: 108, speedMps: 2.5, spm: 158 });
    const s = await summarize(mixed, 'running', 11);
    expect(s.cadence.runWalkMethod).toBe('clusters');
    expect(s.cadence.avgSpm).toBeCloseTo(158, 0);
    expect(s.cadence.runningShareOfMovingTime).toBeCloseTo(0.1, 2);
    // 0.9 × 88 + 0.1 × 158 = 95.0 spm
    expect(s.cadence.movingAvgSpm).toBeCloseTo(95, 0);
    const text = renderText(buildReport({ summaries: [s], history: analyzeHistory([s]), findings: [] }));
    expect(text).toContain('Running cadence 158 spm over 1 run, 10 % of the moving time; walking the rest');
    expect(text).toContain('Moving average with walking included: 95 spm');
  });
});

describe('no flat figure from less than the minimum flat time', () => {
  it('the overview leaves out runs with under 10 min of flat, steady running', async () => {
    const s = await summarize([{ seconds: 400, speedMps: 3, spm: 170 }]);
    expect(s.cadence.flatTimeS).toBeLessThan(600);
    const text = renderText(buildReport({ summaries: [s], history: analyzeHistory([s]), findings: [] }));
    expect(text).toContain('Running cadence 170 spm');
    expect(text).not.toContain('Flat, steady running');
  });
});

describe.skipIf(!corpusAvailable)(`real files: averages comparable with the watch (${corpusAvailable ? 'corpus' : corpusSkipReason})`, () => {
  // Garmin's session average counts timer time without cadence as 0; the expected values are each file's own session avg_cadence.
  const garmin = [
    'fit-parser-jimmykane/garmin-stamina.fit', // 121.6: 17 % of records without cadence (stops)
    'elevate/loup-blanc.fit', // 141.5: trail run with walking
    'elevate/portland.fit',
    'tormoder-fit/mornindew-broken.fit',
    'fit4s/fr935_karaul-fitplotter.fit',
    'elevate/20181021_run_3106033902.tcx', // 117.9 from the TCX lap average
  ];
  for (const path of garmin) {
    it(`${path}: timer average within 1 spm of the device's session average`, async () => {
      const acts = await parseActivities(readCorpusFile(path));
      const run = acts.find((a) => a.sport === 'running')!;
      const s = summarizeActivity(run);
      const device = run.deviceSummary.avgCadenceSpm!;
      expect(Number.isFinite(device)).toBe(true);
      expect(Math.abs(s.cadence.timerAvgSpm! - device)).toBeLessThanOrEqual(1);
      // the running cadence is never below the moving average, which is never below the timer average
      expect(s.cadence.avgSpm!).toBeGreaterThanOrEqual(s.cadence.movingAvgSpm! - 1e-9);
      expect(s.cadence.movingAvgSpm!).toBeGreaterThanOrEqual(s.cadence.timerAvgSpm! - 1e-9);
    });
  }

  it('garmin-stamina.fit: walking breaks form their own cluster; the running cadence covers about two thirds of the moving time', async () => {
    const run = (await parseActivities(readCorpusFile('fit-parser-jimmykane/garmin-stamina.fit'))).find((a) => a.sport === 'running')!;
    const s = summarizeActivity(run);
    expect(s.cadence.runWalkMethod).toBe('clusters');
    expect(s.cadence.runningShareOfMovingTime).toBeGreaterThan(0.5);
    expect(s.cadence.runningShareOfMovingTime).toBeLessThan(0.8);
    expect(s.cadence.walkingAvgSpm!).toBeLessThan(125);
  });

  it('a real 149 spm run with its cadence scaled to 137 spm is still all running and judged (before: short run, not judged)', async () => {
    const [run] = await parseActivities(readCorpusFile('python-fitparse/developer-types-sample.fit'));
    const original = summarizeActivity(run!);
    const cadenceSpm = Float32Array.from(run!.samples.cadenceSpm, (c) => (c * 137) / 149);
    const scaled = summarizeActivity({ ...run!, samples: { ...run!.samples, cadenceSpm } });
    expect(scaled.cadence.avgSpm).toBeCloseTo((original.cadence.avgSpm! * 137) / 149, 0);
    expect(Math.abs(scaled.runningTimeS - original.runningTimeS)).toBeLessThan(0.02 * original.runningTimeS);
    expect(scaled.quality.map((q) => q.code)).not.toContain('SHORT_RUN');
    const f = findings(scaled);
    expect(f.filter((x) => x.rule === 'data-quality' && String(x.details['codes']).includes('SHORT_RUN'))).toEqual([]);
    expect(f.some((x) => (x.rule === 'low-cadence' || x.rule === 'overstriding') && x.details['flatAvgSpm'] !== undefined)).toBe(true);
  });

  it('continuous runs keep their running cadence: fr935 (device 184) stays all running at 184', async () => {
    const run = (await parseActivities(readCorpusFile('fit4s/fr935_karaul-fitplotter.fit'))).find((a) => a.sport === 'running')!;
    const s = summarizeActivity(run);
    expect(s.cadence.runningShareOfMovingTime).toBeGreaterThan(0.99);
    expect(Math.abs(s.cadence.avgSpm! - 184.1)).toBeLessThanOrEqual(1);
  });
});
