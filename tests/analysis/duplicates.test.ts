/**
 * What counts as the same activity, on generated twins: the same run written
 * as FIT, TCX and GPX (planted truth: one run of 3533 s at 3.0 m/s =
 * 10.6 km), a watch and a phone recording of one run with offset starts,
 * doubles on one day, and a warm-up before a race.
 */
import { describe, expect, it } from 'vitest';
import { analyzeHistory, summarizeActivity, type ActivitySummary } from '../../src/analysis/index.js';
import { deduplicateActivities } from '../../src/analysis/duplicates.js';
import { parseActivities } from '../../src/parse/index.js';
import { evaluateRules } from '../../src/rules/index.js';
import { encodeFitActivity, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { encodeGpx, type RecordingSpec } from '../../fixtures/lib/gpx-writer.js';
import { encodeTcx } from '../../fixtures/lib/tcx-writer.js';

const NOW = '2026-01-01T00:00:00Z';
const RUN_S = 3533; // 3533 s × 3.0 m/s = 10,599 m
const START = new Date('2025-06-01T05:00:00Z');

async function summaryOf(bytes: Uint8Array | string, fileName: string): Promise<ActivitySummary> {
  const [a] = await parseActivities(bytes, { fileName });
  return summarizeActivity(a!);
}

function recording(start: Date, seconds: number, o: { speedMps?: number; cadence?: boolean; hr?: boolean; name?: string; lat0Deg?: number } = {}): RecordingSpec {
  const s = steadyRunSamples({ seconds, speedMps: o.speedMps ?? 3.0, cadenceSpm: 172, lat0Deg: o.lat0Deg ?? 48.0 });
  return {
    startTime: start,
    sport: 'running',
    ...(o.name !== undefined ? { name: o.name } : {}),
    timeS: s.timeS,
    latDeg: s.latDeg,
    lonDeg: s.lonDeg,
    altitudeM: s.altitudeM,
    distanceM: s.distanceM,
    ...(o.cadence !== false ? { cadenceSpm: s.cadenceSpm } : {}),
    ...(o.hr !== false ? { heartRateBpm: s.heartRateBpm } : {}),
  };
}

function fitOf(start: Date, seconds: number, utcOffsetMin = 120): Uint8Array {
  return encodeFitActivity({ startTime: start, sport: 'running', samples: steadyRunSamples({ seconds, speedMps: 3.0, cadenceSpm: 172 }), utcOffsetMin });
}

const twins = (async () => {
  const fit = await summaryOf(fitOf(START, RUN_S), 'watch/run.fit');
  const tcx = await summaryOf(encodeTcx(recording(START, RUN_S)), 'connect/run.tcx');
  const gpx = await summaryOf(encodeGpx(recording(START, RUN_S, { name: 'Sunday long run' }), { cadenceAs: 'steps' }), 'strava/run.gpx');
  return { fit, tcx, gpx };
})();

describe('the same activity counted once', () => {
  it('FIT, TCX and GPX of one run: one activity kept, the FIT (same channels, FIT wins the tie), named as the GPX', async () => {
    const { fit, tcx, gpx } = await twins;
    // the three parse to the same run: planted 10.6 km, same start instant
    for (const s of [fit, tcx, gpx]) {
      expect(s.startTime).toBe(START.toISOString());
      expect(s.distanceM).toBeGreaterThan(10_400);
      expect(s.distanceM).toBeLessThan(10_800);
    }
    expect(new Set([fit.id, tcx.id, gpx.id]).size).toBe(3); // ids differ by format: exact-id matching missed these
    const r = deduplicateActivities([gpx, tcx, fit]);
    expect(r.summaries).toHaveLength(1);
    expect(r.summaries[0]!.id).toBe(fit.id);
    expect(r.summaries[0]!.name).toBe('Sunday long run');
    expect(r.duplicates.map((d) => d.activityId).sort()).toEqual([gpx.id, tcx.id].sort());
    for (const d of r.duplicates) {
      expect(d.keptActivityId).toBe(fit.id);
      expect(d.match).toBe('overlap');
      expect(d.overlapShare).toBeGreaterThan(0.99);
      expect(d.reason).toContain('the same activity');
    }
  });

  it('history and rules given all three copies count one run of 10.6 km, not 31.8 km; deduplicate: false switches it off', async () => {
    const { fit, tcx, gpx } = await twins;
    const all = [fit, tcx, gpx];
    const h = analyzeHistory(all, { now: NOW });
    expect(h.sessions).toHaveLength(1);
    expect(h.sessions[0]!.activityIds).toEqual([fit.id]);
    expect(h.sessions[0]!.distanceM).toBeCloseTo(fit.distanceM, 6);
    const off = analyzeHistory(all, { now: NOW, deduplicate: false });
    expect(off.sessions[0]!.activityIds).toHaveLength(3); // the copies merged as one 3× session
    expect(off.sessions[0]!.distanceM).toBeGreaterThan(3 * 10_400);
    // run-level rules judge the activity once: no finding names a left-out copy
    const findings = evaluateRules(h, all, { 'low-cadence': { mode: 'absolute', minCadenceSpm: 180 } });
    const low = findings.filter((f) => f.rule === 'low-cadence');
    expect(low.map((f) => f.activityId)).toEqual([fit.id]);
    const lowOff = evaluateRules(h, all, { 'low-cadence': { mode: 'absolute', minCadenceSpm: 180 }, deduplicate: false }).filter((f) => f.rule === 'low-cadence');
    expect(lowOff).toHaveLength(3);
  });

  it('watch and phone recording one run (phone started 40 s later, stopped 25 s later, no cadence nor heart rate, 2 % shorter): the watch copy is kept', async () => {
    const watch = await summaryOf(fitOf(START, RUN_S), 'watch.fit');
    const phone = await summaryOf(
      encodeGpx(recording(new Date(START.getTime() + 40_000), RUN_S - 15, { speedMps: 2.94, cadence: false, hr: false, name: 'Morning Run' })),
      'phone.gpx',
    );
    // overlap = 3533 − 40 s = 3493 s of the shorter 3518 s = 99 %; distances 10,599 m vs 10,299 m (−2.8 %)
    const r = deduplicateActivities([phone, watch]);
    expect(r.summaries.map((s) => s.id)).toEqual([watch.id]);
    expect(r.summaries[0]!.name).toBe('Morning Run');
    expect(r.duplicates[0]!.overlapShare).toBeCloseTo(3493 / 3518, 2);
  });

  it('doubles on one day and a warm-up then a race stay separate', async () => {
    const am = await summaryOf(fitOf(new Date('2025-06-03T05:00:00Z'), 2400), 'am.fit');
    const pm = await summaryOf(fitOf(new Date('2025-06-03T16:00:00Z'), 2400), 'pm.fit');
    // a 15-minute warm-up (2.7 km) ending 5 minutes before a 10 km race
    const warmUp = await summaryOf(fitOf(new Date('2025-06-08T07:20:00Z'), 900), 'warmup.fit');
    const race = await summaryOf(encodeGpx(recording(new Date('2025-06-08T07:40:00Z'), 3000, { speedMps: 3.4 })), 'race.gpx');
    const r = deduplicateActivities([am, pm, warmUp, race]);
    expect(r.summaries).toHaveLength(4);
    expect(r.duplicates).toEqual([]);
    expect(analyzeHistory([am, pm, warmUp, race], { now: NOW }).sessions).toHaveLength(3); // warm-up and race 5 min apart are one session (card L1), doubles are two
  });

  it('a short recording inside a long run (same span, a fifth of the distance) is not taken for a copy', async () => {
    const long = await summaryOf(fitOf(START, RUN_S), 'long.fit');
    const part = await summaryOf(encodeGpx(recording(new Date(START.getTime() + 600_000), 700)), 'part.gpx');
    expect(deduplicateActivities([long, part]).summaries).toHaveLength(2);
  });

  it('the result does not depend on the order of the summaries', async () => {
    const { fit, tcx, gpx } = await twins;
    const a = deduplicateActivities([fit, tcx, gpx]);
    const b = deduplicateActivities([gpx, fit, tcx]);
    expect(b.summaries).toEqual(a.summaries);
    expect(b.duplicates).toEqual(a.duplicates);
  });

  it('stays near-linear: 50,000 distinct runs 7 h apart are matched in a few hundred milliseconds', async () => {
    const { fit } = await twins;
    const list: ActivitySummary[] = [];
    for (let i = 0; i < 50_000; i++) list.push({ ...fit, id: `fit-${i}`, startTime: new Date(Date.UTC(2020, 0, 1) + i * 7 * 3_600_000).toISOString() });
    const t0 = performance.now();
    const r = deduplicateActivities(list);
    const ms = performance.now() - t0;
    expect(r.summaries).toHaveLength(50_000);
    // all pairs would be 1.25e9 comparisons (many seconds); the sweep by start compares each with those still running
    expect(ms).toBeLessThan(3000);
  });
});

describe('what is never a copy', () => {
  it('two tracks of one GPX file without times (same metadata start, no duration) stay two', async () => {
    const { gpx } = await twins;
    const a = { ...gpx, id: 'gpx-x-generic-0', file: 'lake.gpx', elapsedTimeS: 0, distanceM: 30 };
    const b = { ...a, id: 'gpx-x-generic-1' };
    expect(deduplicateActivities([a, b]).summaries).toHaveLength(2);
    // the same file read twice (same id) is still one
    expect(deduplicateActivities([a, { ...a, file: 'copy/lake.gpx' }]).summaries).toHaveLength(1);
  });
});
