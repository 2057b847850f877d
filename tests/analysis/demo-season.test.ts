/**
 * Every planted truth of the demo season comes back from summarizeActivity /
 * analyzeHistory: in memory, and through FIT/GPX/TCX files and the parsers.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_PLAN,
  DEMO_SEASON_TRUTH as T,
  demoSeasonActivities,
  encodeDemoActivity,
  generateDemoSeason,
  writeDemoSeason,
} from '../../fixtures/demo-season/index.js';
import { analyzeHistory, summarizeActivity, type ActivitySummary, type TrainingHistory } from '../../src/analysis/index.js';
import { parseActivities } from '../../src/parse/index.js';
import { nonFinitePaths } from './helpers.js';

const OPTS = { timeZone: T.timeZone };

interface Season {
  readonly byKey: Map<string, ActivitySummary>;
  readonly history: TrainingHistory;
  readonly viaFiles: boolean;
}

function checkSeason(get: () => Season): void {
  const key = (k: string): ActivitySummary => {
    const s = get().byKey.get(k);
    if (s === undefined) throw new Error(`no summary for ${k}`);
    return s;
  };
  const sessionOf = (k: string) => get().history.sessions.find((s) => s.activityIds.includes(key(k).id))!;
  const distTol = (m: number): number => (get().viaFiles ? Math.max(0.02, m * T.tolerances.distanceRelative) : 1e-6);

  it('every activity is summarised, with no NaN or Infinity', () => {
    expect(get().byKey.size).toBe(T.activityCount);
    for (const s of get().byKey.values()) expect(nonFinitePaths(s)).toEqual([]);
    expect(nonFinitePaths(get().history)).toEqual([]);
  });

  it('ISO weeks in Europe/Berlin carry the planted distances and changes', () => {
    const weeks = get().history.weeks;
    expect(weeks.map((w) => w.weekStart)).toEqual(T.weeks.map((w) => w.weekStart));
    T.weeks.forEach((w, i) => {
      expect(Math.abs(weeks[i]!.distanceM - w.distanceM)).toBeLessThanOrEqual(distTol(w.distanceM));
      if (w.changeRatio === null) expect(weeks[i]!.changeRatio).toBeNull();
      else expect(weeks[i]!.changeRatio).toBeCloseTo(w.changeRatio, 2);
    });
  });

  it('the weeks growing over 10 % are exactly the planted ones, in the planted tier', () => {
    const over = get().history.weeks.filter((w) => w.changeRatio !== null && w.changeRatio > 0.1);
    expect(over.map((w) => w.weekStart)).toEqual(T.weeklyIncreases.map((w) => w.weekStart));
    for (const w of T.weeklyIncreases) {
      const got = over.find((x) => x.weekStart === w.weekStart)!.changeRatio!;
      expect(got > 0.3 ? 'caution' : 'info').toBe(w.tier);
    }
  });

  it('rolling 7-day sums at each run match the plan (last activity of a merged session)', () => {
    for (const r of T.rolling) {
      const sess = sessionOf(r.key);
      const lastOfSession = sess.activityIds[sess.activityIds.length - 1] === key(r.key).id;
      if (!lastOfSession) continue; // a session's sums include all its parts
      expect(Math.abs(sess.rolling7dM - r.rolling7dM), r.key).toBeLessThanOrEqual(distTol(r.rolling7dM));
      expect(Math.abs(sess.prev7dM - r.prev7dM), r.key).toBeLessThanOrEqual(distTol(r.prev7dM));
    }
    const midnight = T.rolling.find((r) => r.key === T.midnightRun.key)!;
    expect(midnight.rolling7dM / midnight.prev7dM - 1).toBeCloseTo(0.375, 10);
  });

  it('the long-run spike: ratio to the 30-day longest, moderate tier, and no other spike after the baseline', () => {
    const s = sessionOf(T.sessionSpike.key);
    expect(Math.abs(s.refLongestM! - T.sessionSpike.refLongestM)).toBeLessThanOrEqual(distTol(T.sessionSpike.refLongestM));
    expect(s.spikeRatio).toBeCloseTo(T.sessionSpike.ratio, 3);
    expect(s.spikeRatio! > 1.3 && s.spikeRatio! <= 2).toBe(T.sessionSpike.tier === 'moderate');
    const spikes = get().history.sessions.filter((x) => x.state !== 'baseline-building' && x.spikeRatio !== null && x.spikeRatio > 1.1);
    expect(spikes.map((x) => x.activityIds[0])).toEqual([key(T.sessionSpike.key).id]);
  });

  for (const hill of T.hills) {
    it(`hilly run ${hill.key} (${hill.altitude}): source, ascent/descent and the planted downhills`, () => {
      const s = key(hill.key);
      const tol = T.tolerances;
      expect(s.elevation.source).toBe(hill.altitude);
      expect(Math.abs(s.elevation.ascentM! - hill.ascentM)).toBeLessThanOrEqual(tol.ascentDescentM[hill.altitude]);
      expect(Math.abs(s.elevation.descentM! - hill.descentM)).toBeLessThanOrEqual(tol.ascentDescentM[hill.altitude]);
      expect(s.downhillSegments).toHaveLength(hill.downhills.length);
      hill.downhills.forEach((d, i) => {
        const got = s.downhillSegments[i]!;
        expect(Math.abs(got.startDistanceM - d.startDistanceM)).toBeLessThanOrEqual(tol.downhillEdgeM[hill.altitude]);
        expect(Math.abs(got.endDistanceM - d.endDistanceM)).toBeLessThanOrEqual(tol.downhillEdgeM[hill.altitude]);
        expect(Math.abs(got.dropM - d.dropM)).toBeLessThanOrEqual(tol.downhillDropM[hill.altitude]);
        expect(Math.abs(got.meanGrade - d.grade)).toBeLessThanOrEqual(tol.downhillGrade[hill.altitude]);
        expect(Math.abs(got.maxGrade - d.grade)).toBeLessThanOrEqual(tol.downhillMaxGrade[hill.altitude]);
        expect(got.category).toBe(d.category);
      });
    });
  }

  it('flat runs have no downhills and about no climbing', () => {
    for (const p of DEMO_PLAN) {
      if (p.sport !== 'running' || p.profile !== undefined || p.altitude === 'none') continue;
      const s = key(p.key);
      expect(s.downhillSegments).toEqual([]);
      expect(s.elevation.ascentM!).toBeLessThanOrEqual(T.tolerances.ascentDescentM.baro);
    }
  });

  for (const lc of T.lowCadence) {
    it(`low-cadence run ${lc.key}: ${lc.cadenceSpm} spm at ${lc.speedMps} m/s, z ≈ ${lc.z.toFixed(2)}`, () => {
      const c = key(lc.key).cadence;
      expect(Math.abs(c.avgSpm! - lc.cadenceSpm)).toBeLessThanOrEqual(T.tolerances.avgCadenceSpm);
      expect(Math.abs(c.flatAvgSpm! - lc.cadenceSpm)).toBeLessThanOrEqual(T.tolerances.avgCadenceSpm);
      expect(Math.abs(c.expectedSpm! - lc.expectedSpm)).toBeLessThanOrEqual(0.1);
      expect(c.zVsExpected!).toBeCloseTo(lc.z, 1);
      expect(c.zVsExpected!).toBeLessThanOrEqual(-1.5);
      expect(c.timeInBandsS.below160).toBeGreaterThan(0.99 * key(lc.key).runningTimeS * c.coverage);
    });
  }

  it('normal runs: the personal line 150 + 7·v comes back per run and as the 90-day baseline', () => {
    const normal = key('w04-tue').cadence;
    expect(Math.abs(normal.runnerLine!.slopeSpmPerMps - T.personalCadenceLine.slopeSpmPerMps)).toBeLessThanOrEqual(T.tolerances.runnerLineSlope);
    const b = get().history.cadenceBaseline!;
    const at = (v: number, i: number, sl: number): number => i + sl * v;
    expect(Math.abs(at(3.125, b.interceptSpm, b.slopeSpmPerMps) - at(3.125, 150, 7))).toBeLessThanOrEqual(T.tolerances.personalLineSpmAt3125);
    expect(Math.abs(b.slopeSpmPerMps - T.personalCadenceLine.slopeSpmPerMps)).toBeLessThanOrEqual(T.tolerances.personalSlope);
  });

  it('treadmill, walk and cross-training are classed and treated as planted', () => {
    const tm = key(T.treadmillKey);
    expect(tm.isTreadmill).toBe(true);
    expect(tm.elevation.source).toBe('none');
    expect(tm.stepLength.lowConfidence).toBe(true);
    expect(sessionOf(T.treadmillKey).estimatedDistance).toBe(true);
    const walk = key(T.walkKey);
    expect(walk.activityClass).toBe('walking');
    expect(walk.runningTimeS).toBe(0);
    for (const x of T.crossTraining) {
      const s = key(x.key);
      expect(s.activityClass).toBe(x.activityClass);
      expect(s.cadence.avgSpm).toBeNull(); // rpm and strokes are not steps
    }
    // W11 holds one swim and one ride and no running
    const w11 = get().history.weeks.find((w) => w.weekStart === '2025-05-12')!;
    expect(w11.distanceM).toBe(0);
    expect(w11.crossTrainingS.lowImpact).toBeCloseTo(key('w11-wed-swim').movingTimeS + key('w11-sat-ride').movingTimeS, 6);
    expect(get().history.weeks.find((w) => w.weekStart === '2025-03-17')!.crossTrainingS.walking).toBeCloseTo(walk.movingTimeS, 6);
  });

  it('gear distance per shoe', () => {
    const gear = get().history.gear;
    expect(gear.map((g) => g.gear)).toEqual(T.gear.map((g) => g.gear));
    T.gear.forEach((g, i) => {
      expect(gear[i]!.runs).toBe(g.runs);
      expect(Math.abs(gear[i]!.distanceM - g.distanceM)).toBeLessThanOrEqual(distTol(g.distanceM));
    });
  });

  it('the break, and the return from it', () => {
    expect(get().history.breaks).toEqual(T.breaks);
    expect(sessionOf(T.returnFromBreakKey).state).toBe('return-from-break');
  });

  it('a run split in two files is one session; an AM/PM double is two', () => {
    const merged = sessionOf(T.mergedSession.keys[0]);
    expect(merged.activityIds).toEqual(T.mergedSession.keys.map((k) => key(k).id));
    expect(Math.abs(merged.distanceM - T.mergedSession.distanceM)).toBeLessThanOrEqual(distTol(T.mergedSession.distanceM));
    expect(sessionOf(T.doubleDay.keys[0])).not.toBe(sessionOf(T.doubleDay.keys[1]));
  });

  it('the midnight run after the DST change belongs to Monday and its ISO week; the DST-day run to Sunday', () => {
    expect(key(T.midnightRun.key).localDate).toBe(T.midnightRun.localDate);
    expect(sessionOf(T.midnightRun.key).weekStart).toBe(T.midnightRun.weekStart);
    expect(key(T.dstRun.key).localDate).toBe(T.dstRun.localDate);
  });

  it('one lap per kilometre on FIT runs, with per-lap cadence', () => {
    for (const l of T.lapsPerFitRun) expect(key(l.key).cadence.laps, l.key).toHaveLength(l.laps);
    for (const lap of key('w03-tue-lowcad').cadence.laps) {
      if (lap.timeS < 60) continue; // a final stub lap
      expect(Math.abs(lap.avgSpm! - 155)).toBeLessThanOrEqual(1);
    }
  });

  it('planted running dynamics come back, with the imbalance counted', () => {
    const s = key(T.dynamics.key);
    const d = s.dynamics!;
    expect(d.stanceTimeS!).toBeCloseTo(T.dynamics.stanceTimeS, 2);
    expect(d.verticalOscillationM!).toBeCloseTo(T.dynamics.verticalOscillationM, 2);
    expect(d.stanceTimeBalancePct!).toBeCloseTo(T.dynamics.balancePct, 1);
    expect(d.imbalancedTimeS).toBeCloseTo(s.cadence.flatTimeS, 0); // every flat second is at 53 %
    expect(s.stepLength.source).toBe('device');
    expect(key('w10-thu').dynamics).toBeNull();
  });

  it('the paused run: pause time excluded from moving time', () => {
    const s = key(T.pausedRun.key);
    expect(s.pausedTimeS).toBe(T.pausedRun.pausedS);
    expect(s.elapsedTimeS - s.movingTimeS).toBeCloseTo(T.pausedRun.pausedS, 6);
  });
}

describe('demo season in memory', () => {
  let season: Season;
  beforeAll(() => {
    const summaries = demoSeasonActivities().map((a) => summarizeActivity(a, OPTS));
    season = {
      byKey: new Map(summaries.map((s) => [s.name!, s])),
      history: analyzeHistory(summaries, OPTS),
      viaFiles: false,
    };
  });
  checkSeason(() => season);

  it('is deterministic: two generations give identical samples, and identical bytes in each format', () => {
    const a = generateDemoSeason();
    const b = generateDemoSeason();
    expect(b).toEqual(a);
    for (const k of ['w01-tue', 'w03-thu-tcx', 'w08-thu-hills-gps']) {
      const i = a.findIndex((x) => x.plan.key === k);
      expect(encodeDemoActivity(b[i]!)).toEqual(encodeDemoActivity(a[i]!));
    }
  });

  it('covers at least 12 weeks and every planted kind of activity', () => {
    expect(T.weeks.length).toBeGreaterThanOrEqual(12);
    expect(new Set(DEMO_PLAN.map((p) => p.format))).toEqual(new Set(['fit', 'gpx', 'tcx']));
  });
});

describe('demo season through FIT, GPX and TCX files and the parsers', () => {
  let dir: string;
  let season: Season;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stridewise-demo-'));
    const t0 = performance.now();
    const { files } = await writeDemoSeason(dir);
    const writeMs = performance.now() - t0;
    expect(files).toHaveLength(DEMO_PLAN.length);
    expect(writeMs).toBeLessThan(10_000);
    const generated = generateDemoSeason();
    const summaries: ActivitySummary[] = [];
    const byKey = new Map<string, ActivitySummary>();
    for (const f of files) {
      const acts = await parseActivities(new Uint8Array(await readFile(f)), { fileName: basename(f) });
      expect(acts).toHaveLength(1);
      const plan = generated.find((g) => g.fileName === basename(f))!;
      const s0 = summarizeActivity(acts[0]!, OPTS);
      // FIT, GPX and TCX have no gear field: gear is supplied by the user, as card S1 says.
      const s = { ...s0, gear: plan.plan.gear ?? null };
      summaries.push(s);
      byKey.set(plan.plan.key, s);
    }
    season = { byKey, history: analyzeHistory(summaries, OPTS), viaFiles: true };
  });
  afterAll(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });
  checkSeason(() => season);

  it('start times survive the files (FIT 1 s resolution)', () => {
    for (const g of generateDemoSeason()) {
      expect(Math.abs(Date.parse(season.byKey.get(g.plan.key)!.startTime!) - g.startTime.getTime())).toBeLessThanOrEqual(1000);
    }
  });
});
