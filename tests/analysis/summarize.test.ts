import { describe, expect, it } from 'vitest';
import { ascentDescentM, expectedCadenceSpm, minettiCostJPerKgM, summarizeActivity } from '../../src/analysis/index.js';
import { isStridewiseError } from '../../src/errors.js';
import { makeActivity, series, steadyRun } from './helpers.js';

describe('summarizeActivity: steady flat run (hand-computed)', () => {
  // 601 samples at 1 Hz, 3 m/s, 170 spm, altitude constant 100 m: 600 s of running, 1800 m.
  const s = summarizeActivity(makeActivity({ columns: steadyRun(601, 1, 3, 170, 100) }));

  it('times and distances', () => {
    expect(s.activityClass).toBe('running');
    expect(s.runningTimeS).toBe(600); // 600 intervals of 1 s (the first sample has no interval)
    expect(s.movingTimeS).toBe(600);
    expect(s.elapsedTimeS).toBe(600);
    expect(s.distanceM).toBe(1800); // 600 s × 3 m/s
    expect(s.runningDistanceM).toBe(1800);
    expect(s.avgSpeedMps).toBe(3);
  });

  it('cadence statistics, bands and expectation', () => {
    expect(s.cadence.avgSpm).toBe(170);
    expect(s.cadence.medianSpm).toBe(170);
    expect(s.cadence.coverage).toBe(1);
    expect(s.cadence.timeInBandsS).toEqual({ below160: 0, from160to170: 0, from170to180: 600, atLeast180: 0 });
    expect(s.cadence.flatTimeS).toBe(600);
    // bin [3.00, 3.25) → centre 3.125; expected 150 + 6.01 × 3.125 = 168.78125; z = (170 − 168.78125) / 8
    expect(s.cadence.bySpeed).toEqual([{ speedMps: 3.125, timeS: 600, avgSpm: 170, expectedSpm: 168.78125, extrapolated: false }]);
    expect(s.cadence.zVsExpected).toBeCloseTo(0.15234375, 12);
    expect(s.cadence.runnerLine).toBeNull(); // one bin only
    expect(s.cadence.driftSpm).toBe(0);
  });

  it('step length derived from speed and cadence', () => {
    expect(s.stepLength.source).toBe('derived');
    expect(s.stepLength.avgM).toBeCloseTo((3 * 60) / 170, 10); // 1.0588 m
    expect(s.stepLength.avgStrideM).toBeCloseTo((2 * 3 * 60) / 170, 10);
    // ratio = (3·60/170) / (3·60/168.03) = 168.03 / 170 (per-sample speed 3.0, not the bin centre)
    expect(s.stepLength.ratioToExpected).toBeCloseTo(168.03 / 170, 10);
    expect(s.stepLength.longStepTimeS).toBe(0);
  });

  it('elevation: constant altitude is barometric-like, no climbing', () => {
    expect(s.elevation.source).toBe('baro');
    expect(s.elevation.ascentM).toBe(0);
    expect(s.elevation.descentM).toBe(0);
    expect(s.downhillSegments).toEqual([]);
    expect(s.gradeAdjustedSpeedMps).toBeCloseTo(3, 10); // Cr(0)/Cr(0) = 1 on the flat
    expect(s.quality).toEqual([]);
  });
});

describe('time weighting and the running filter (card C1)', () => {
  it('weights each sample by the interval before it', () => {
    // t = 0,1,2,5,6 → weights 0,1,1,3,1; cadence 160,160,160,180,180
    // mean = (160 + 160 + 3·180 + 180) / 6 = 173.33; weighted lower median: cum 2 (160) < 3 ≤ 6 (180) → 180
    const a = makeActivity({
      columns: { timeS: [0, 1, 2, 5, 6], speedMps: [3, 3, 3, 3, 3], cadenceSpm: [160, 160, 160, 180, 180], distanceM: [0, 3, 6, 15, 18] },
    });
    const s = summarizeActivity(a);
    expect(s.runningTimeS).toBe(6);
    expect(s.cadence.avgSpm).toBeCloseTo(1040 / 6, 10);
    expect(s.cadence.medianSpm).toBe(180);
    expect(s.cadence.p10Spm).toBe(160);
    expect(s.cadence.timeInBandsS.below160).toBe(0);
    expect(s.cadence.timeInBandsS.from160to170).toBe(2);
    expect(s.cadence.timeInBandsS.atLeast180).toBe(4);
  });

  it('caps a sample interval at 10 s', () => {
    // t = 0, 1, 61: the second interval is 60 s but counts 10 s → running time 11 s
    const a = makeActivity({ columns: { timeS: [0, 1, 61], speedMps: [3, 3, 3], cadenceSpm: [170, 170, 170], distanceM: [0, 3, 183] } });
    expect(summarizeActivity(a).runningTimeS).toBe(11);
  });

  it('drops slow, walking-cadence and paused samples', () => {
    // 10 intervals of 1 s: 2 slow (1.2 m/s), 2 at 120 spm, 2 inside a pause, 4 running
    const speed = [3, 3, 1.2, 1.2, 3, 3, 3, 3, 3, 3, 3];
    const spm = [170, 170, 170, 170, 120, 120, 170, 170, 170, 170, 170];
    const a = makeActivity({
      columns: { timeS: series(11, (i) => i), speedMps: speed, cadenceSpm: spm },
      pauses: [{ startS: 6, endS: 8 }], // intervals (6,7] and (7,8] have midpoints 6.5, 7.5 inside
    });
    const s = summarizeActivity(a);
    expect(s.runningTimeS).toBe(4); // intervals ending at samples 1, 6, 9 and 10
    expect(s.movingTimeS).toBe(8); // every interval moves (≥ 0.5 m/s) except the 2 paused
    expect(s.pausedTimeS).toBe(2);
  });

  it('drops GPS speed glitches (acceleration > 3 m/s²) and says so', () => {
    // one sample jumps 3 → 9 m/s within 1 s (6 m/s²): that interval leaves the running time
    const speed = series(700, (i) => (i === 300 ? 9 : 3));
    const a = makeActivity({ columns: { ...steadyRun(700, 1, 3, 170), speedMps: speed } });
    const s = summarizeActivity(a);
    expect(s.runningTimeS).toBe(698);
    expect(s.quality.map((q) => q.code)).toContain('GPS_SPEED_GLITCHES');
  });

  it('doubling a sample spacing of 1–5 s keeps time-weighted averages', () => {
    const base = steadyRun(400, 2, 3, 170);
    const spm = series(400, (i) => 160 + (i % 7) * 3);
    const a = summarizeActivity(makeActivity({ columns: { ...base, cadenceSpm: spm } }));
    const b = summarizeActivity(
      makeActivity({
        columns: { ...base, cadenceSpm: spm, timeS: series(400, (i) => i * 4), distanceM: series(400, (i) => i * 12) },
      }),
    );
    expect(b.cadence.avgSpm).toBeCloseTo(a.cadence.avgSpm!, 9);
    expect(b.runningTimeS).toBeCloseTo(2 * a.runningTimeS, 9);
  });
});

describe('cadence details', () => {
  it('first vs last third of running time, and per lap', () => {
    // 900 s: 170 spm for the first 450 s, 160 for the last 450 s
    const cols = { ...steadyRun(901, 1, 3, 170), cadenceSpm: series(901, (i) => (i <= 450 ? 170 : 160)) };
    const s = summarizeActivity(
      makeActivity({
        columns: cols,
        laps: [
          { startS: 0, endS: 450, timerTimeS: 450, distanceM: 1350, avgCadenceSpm: 170 },
          { startS: 450, endS: 900, timerTimeS: 450, distanceM: 1350, avgCadenceSpm: 160 },
        ],
      }),
    );
    expect(s.cadence.firstThirdSpm).toBe(170);
    expect(s.cadence.lastThirdSpm).toBe(160);
    expect(s.cadence.driftSpm).toBe(-10);
    expect(s.cadence.laps).toEqual([
      { index: 0, avgSpm: 170, speedMps: 3, timeS: 450 },
      { index: 1, avgSpm: 160, speedMps: 3, timeS: 450 },
    ]);
  });

  it('fits the runner line over speed bins', () => {
    // 300 s at 2.6 m/s with 166 spm, 300 s at 3.6 m/s with 176 spm (a 30 s transition is unsteady)
    const n = 701;
    const v = series(n, (i) => (i < 350 ? 2.6 : 3.6));
    const spm = series(n, (i) => (i < 350 ? 166 : 176));
    let d = 0;
    const dist = v.map((x, i) => (i === 0 ? 0 : (d += x)));
    const s = summarizeActivity(makeActivity({ columns: { timeS: series(n, (i) => i), speedMps: v, cadenceSpm: spm, distanceM: dist } }));
    // bins centres 2.625 and 3.625: slope (176 − 166) / 1.0 = 10, intercept 166 − 10 × 2.625 = 139.75
    expect(s.cadence.bySpeed.map((b) => b.speedMps)).toEqual([2.625, 3.625]);
    expect(s.cadence.runnerLine!.slopeSpmPerMps).toBeCloseTo(10, 9);
    expect(s.cadence.runnerLine!.interceptSpm).toBeCloseTo(139.75, 9);
  });

  it('marks bins outside 1.64–4.68 m/s as extrapolated', () => {
    const s = summarizeActivity(makeActivity({ columns: steadyRun(601, 1, 5, 185) }));
    expect(s.cadence.bySpeed[0]).toMatchObject({ speedMps: 5.125, extrapolated: true, expectedSpm: expectedCadenceSpm(4.68) });
  });

  it('reports no cadence for a ride (not a foot sport)', () => {
    const s = summarizeActivity(makeActivity({ sport: 'cycling', columns: steadyRun(601, 1, 8, 85) }));
    expect(s.activityClass).toBe('low-impact');
    expect(s.cadence.avgSpm).toBeNull();
    expect(s.cadence.unitDetected).toBe('none');
    expect(s.runningTimeS).toBe(0);
    expect(s.movingTimeS).toBe(600);
    expect(s.stepLength.source).toBe('none');
  });

  it('optional height term lowers the expectation (off by default)', () => {
    const cols = steadyRun(601, 1, 3, 170, 100);
    const off = summarizeActivity(makeActivity({ columns: cols }), { heightM: 1.85 });
    const on = summarizeActivity(makeActivity({ columns: cols }), { heightM: 1.85, heightCoefSpmPerCm: 0.5 });
    expect(off.cadence.expectedSpm).toBe(168.78125);
    expect(on.cadence.expectedSpm).toBeCloseTo(168.78125 - 0.5 * 10, 10); // 185 cm − 175 cm = 10 cm
    expect(off.stepLength.relativeToHeight).toBeCloseTo((3 * 60) / 170 / 1.85, 10);
  });
});

describe('step length and dynamics', () => {
  it('uses the device step length when recorded, and flags long steps', () => {
    // device says 1.2 m at 3 m/s; expected 3·60/168.03 = 1.0712 m → ratio 1.1202 ≥ 1.10 for all 600 s
    const cols = { ...steadyRun(601, 1, 3, 170, 100), stepLengthM: series(601, () => 1.2) };
    const s = summarizeActivity(makeActivity({ columns: cols }));
    expect(s.stepLength.source).toBe('device');
    expect(s.stepLength.avgM).toBeCloseTo(1.2, 6);
    expect(s.stepLength.ratioToExpected).toBeCloseTo((1.2 * 168.03) / 180, 6);
    expect(s.stepLength.longStepTimeS).toBe(600);
  });

  it('averages running dynamics and counts imbalanced time', () => {
    const cols = {
      ...steadyRun(601, 1, 3, 170, 100),
      stanceTimeS: series(601, () => 0.25),
      stanceTimeBalancePct: series(601, (i) => (i <= 200 ? 53 : 50)), // 200 s at 53 % (outside 47.8–52.2)
    };
    const d = summarizeActivity(makeActivity({ columns: cols })).dynamics!;
    expect(d.stanceTimeS).toBeCloseTo(0.25, 6);
    expect(d.verticalOscillationM).toBeNull();
    expect(d.stanceTimeBalancePct).toBeCloseTo((200 * 53 + 400 * 50) / 600, 5);
    expect(d.imbalancedTimeS).toBe(200);
    // one speed bin (3.00–3.25 m/s), 600 s of contact time 0.25 s; no oscillation recorded
    expect(d.bySpeed).toEqual([{ speedMps: 3.125, timeS: 600, stanceTimeS: expect.closeTo(0.25, 6), verticalOscillationM: null, verticalRatioPct: null }]);
  });

  it('treadmill: step length low confidence, elevation skipped with a reason', () => {
    const s = summarizeActivity(makeActivity({ subSport: 'treadmill', columns: steadyRun(601, 1, 3, 170) }));
    expect(s.isTreadmill).toBe(true);
    expect(s.stepLength.lowConfidence).toBe(true);
    expect(s.elevation.source).toBe('none');
    expect(s.elevation.skippedReason).toMatch(/treadmill/);
    expect(s.gradeAdjustedSpeedMps).toBeNull();
    expect(s.cadence.flatTimeS).toBe(600); // a treadmill belt counts as level
    expect(s.quality.map((q) => q.code)).toContain('TREADMILL_SPEED');
  });
});

describe('elevation (cards D1–D3)', () => {
  it('hysteresis counts extreme to extreme and ignores dips under the threshold', () => {
    expect(ascentDescentM(Float64Array.of(0, 10, 8, 20, 0), 3)).toEqual({ ascentM: 20, descentM: 20 });
    expect(ascentDescentM(Float64Array.of(0, 2, 0, 2, 0), 3)).toEqual({ ascentM: 0, descentM: 0 });
    expect(ascentDescentM(Float64Array.of(5, 0, 4, 1), 3)).toEqual({ ascentM: 4, descentM: 8 }); // 5→0 (5), 0→4 (4), 4→1 (3)
  });

  it('finds a planted downhill: −8 % from 1000 m to 1600 m (48 m drop), barometric', () => {
    const n = 1000;
    const alt = (d: number): number => (d < 1000 ? 200 : d < 1600 ? 200 - 0.08 * (d - 1000) : 152);
    const s = summarizeActivity(
      makeActivity({
        columns: { ...steadyRun(n, 1, 3, 170), altitudeM: series(n, (i) => alt(i * 3)) },
      }),
    );
    expect(s.elevation.source).toBe('baro');
    // plateaus at both ends survive smoothing; Savitzky–Golay overshoots each sharp corner by < 0.1 m
    expect(Math.abs(s.elevation.descentM! - 48)).toBeLessThan(0.2);
    expect(s.elevation.ascentM).toBe(0);
    expect(s.downhillSegments).toHaveLength(1);
    const seg = s.downhillSegments[0]!;
    // Tolerances: the 50 m grade base and 40 m smoothing move the edges by up to ~25 m.
    expect(Math.abs(seg.startDistanceM - 1000)).toBeLessThanOrEqual(25);
    expect(Math.abs(seg.endDistanceM - 1600)).toBeLessThanOrEqual(25);
    expect(seg.dropM).toBeGreaterThan(45);
    expect(seg.dropM).toBeLessThanOrEqual(48.2);
    expect(seg.meanGrade).toBeCloseTo(-0.08, 2);
    expect(seg.category).toBe('moderate');
    expect(seg.cadenceSpm).toBe(170);
    expect(seg.speedMps).toBe(3);
    // grade ≤ −5 % over the 600 m ramp minus its softened edges
    expect(s.elevation.downhillDistanceM).toBeGreaterThan(550);
    expect(s.elevation.downhillDistanceM).toBeLessThan(620);
    expect(s.elevation.steepDownhillDistanceM).toBe(0);
  });

  it('does not keep a downhill shorter than 200 m or with a drop under 10 m', () => {
    // −8 % over 150 m (12 m drop): too short
    const alt = (d: number): number => (d < 1000 ? 200 : d < 1150 ? 200 - 0.08 * (d - 1000) : 188);
    const s = summarizeActivity(makeActivity({ columns: { ...steadyRun(700, 1, 3, 170), altitudeM: series(700, (i) => alt(i * 3)) } }));
    expect(s.downhillSegments).toEqual([]);
    expect(Math.abs(s.elevation.descentM! - 12)).toBeLessThan(0.2);
  });

  it('classifies noisy altitude as GPS and uses the wider hysteresis', () => {
    // deterministic ±1.5 m noise on a flat course: second differences ~3–6 m ≫ 0.3 m
    const noise = (i: number): number => 1.5 * Math.sin(i * 2.3) + 1.0 * Math.cos(i * 5.1);
    const s = summarizeActivity(makeActivity({ columns: { ...steadyRun(700, 1, 3, 170), altitudeM: series(700, (i) => 50 + noise(i)) } }));
    expect(s.elevation.source).toBe('gps');
    expect(s.elevation.hysteresisM).toBe(7);
    expect(s.elevation.ascentM).toBe(0); // smoothed noise stays inside the 7 m deadband
    expect(s.quality.map((q) => q.code)).toContain('GPS_ALTITUDE');
  });

  it('skips elevation without altitude and says why', () => {
    const s = summarizeActivity(makeActivity({ columns: steadyRun(700, 1, 3, 170) }));
    expect(s.elevation).toMatchObject({ source: 'none', ascentM: null, descentM: null, skippedReason: 'no altitude in the file' });
    expect(s.quality.map((q) => q.code)).toContain('NO_ALTITUDE');
  });

  it('Minetti cost polynomial: 3.6 on the level, 1.80 at −20 %, clamped beyond ±45 %', () => {
    expect(minettiCostJPerKgM(0)).toBe(3.6);
    // at −0.2: 155.4(−0.00032) − 30.4(0.0016) − 43.3(−0.008) + 46.3(0.04) + 19.5(−0.2) + 3.6
    //        = −0.049728 − 0.04864 + 0.3464 + 1.852 − 3.9 + 3.6 = 1.800032 (Minetti measured 1.73)
    expect(minettiCostJPerKgM(-0.2)).toBeCloseTo(1.800032, 9);
    expect(minettiCostJPerKgM(-0.9)).toBe(minettiCostJPerKgM(-0.45)); // clamped
  });
});

describe('dates, time zones and bad input', () => {
  const start = new Date('2025-03-30T22:20:00Z'); // 00:20 CEST on Monday 31 March in Berlin
  it('local date in an IANA zone, in the file offset, or in UTC', () => {
    const cols = steadyRun(10, 1, 3, 170);
    expect(summarizeActivity(makeActivity({ columns: cols, startTime: start }), { timeZone: 'Europe/Berlin' })).toMatchObject({
      localDate: '2025-03-31',
      timeZone: 'Europe/Berlin',
    });
    expect(summarizeActivity(makeActivity({ columns: cols, startTime: start, utcOffsetMin: 120 }))).toMatchObject({
      localDate: '2025-03-31',
      timeZone: '+02:00',
    });
    expect(summarizeActivity(makeActivity({ columns: cols, startTime: start }))).toMatchObject({ localDate: '2025-03-30', timeZone: 'UTC' });
  });

  it('no start time → nulls and a NO_TIME flag, no exception', () => {
    const s = summarizeActivity(makeActivity({ columns: steadyRun(10, 1, 3, 170), startTime: undefined }));
    expect(s.startTime).toBeNull();
    expect(s.localDate).toBeNull();
    expect(s.quality.map((q) => q.code)).toEqual(expect.arrayContaining(['NO_TIME', 'SHORT_RUN']));
  });

  it('an empty activity gives zeros and nulls', () => {
    const s = summarizeActivity(makeActivity({ columns: { timeS: [] } }));
    expect(s.distanceM).toBe(0);
    expect(s.cadence.avgSpm).toBeNull();
    expect(s.elevation.source).toBe('none');
  });

  it('rejects bad options with INVALID_OPTION', () => {
    const a = makeActivity({ columns: steadyRun(10, 1, 3, 170) });
    for (const bad of [{ timeZone: 'Mars/Olympus' }, { heightM: -1 }, { minRunSpeedMps: Number.NaN }, { altitudeSource: 'dem' as 'gps' }]) {
      let err: unknown;
      try {
        summarizeActivity(a, bad);
      } catch (e) {
        err = e;
      }
      expect(isStridewiseError(err) && err.code).toBe('INVALID_OPTION');
    }
  });

  it('does not mutate the activity', () => {
    const a = makeActivity({ columns: { ...steadyRun(300, 1, 3, 170), speedMps: series(300, (i) => (i === 100 ? 20 : 3)) } });
    const before = Array.from(a.samples.speedMps);
    summarizeActivity(a);
    expect(Array.from(a.samples.speedMps)).toEqual(before);
  });
});

describe('intensity and loops', () => {
  it('Banister TRIMP (card X1) only with resting and maximum heart rate', () => {
    // 600 s at 150 bpm, rest 50, max 190: HRr = 100/140; TRIMP = 10 min × HRr × 0.64·e^(1.92·HRr)
    const cols = { ...steadyRun(601, 1, 3, 170, 100), heartRateBpm: series(601, () => 150) };
    const r = 100 / 140;
    const s = summarizeActivity(makeActivity({ columns: cols }), { restingHeartRateBpm: 50, maxHeartRateBpm: 190 });
    expect(s.trimp).toBeCloseTo(10 * r * 0.64 * Math.exp(1.92 * r), 9);
    const f = summarizeActivity(makeActivity({ columns: cols }), { restingHeartRateBpm: 50, maxHeartRateBpm: 190, trimpWeighting: 'female' });
    expect(f.trimp).toBeCloseTo(10 * r * 0.86 * Math.exp(1.67 * r), 9);
    expect(summarizeActivity(makeActivity({ columns: cols })).trimp).toBeNull();
  });

  it('flags altimeter drift on a loop that ends 20 m off its start height', () => {
    // a 1.8 km circle (radius 286.5 m) at 3 m/s; altitude creeps up 20 m on flat ground
    const n = 601;
    const rM = 1800 / (2 * Math.PI);
    const lat = series(n, (i) => 52 + ((rM * Math.sin((2 * Math.PI * i) / (n - 1))) / 6_371_008.8) * (180 / Math.PI));
    const lon = series(n, (i) => 13 + ((rM * (1 - Math.cos((2 * Math.PI * i) / (n - 1)))) / (6_371_008.8 * Math.cos((52 * Math.PI) / 180))) * (180 / Math.PI));
    const cols = { ...steadyRun(n, 1, 3, 170), latDeg: lat, lonDeg: lon, altitudeM: series(n, (i) => 100 + (20 * i) / (n - 1)) };
    const s = summarizeActivity(makeActivity({ columns: cols }));
    expect(s.quality.map((q) => q.code)).toContain('ALTITUDE_DRIFT');
    const flat = summarizeActivity(makeActivity({ columns: { ...cols, altitudeM: series(n, () => 100) } }));
    expect(flat.quality.map((q) => q.code)).not.toContain('ALTITUDE_DRIFT');
  });
});

describe('grade-adjusted speed (card G1)', () => {
  it('on a steady −8 % descent equals speed × Cr(−0.08) / 3.6 away from the ends', () => {
    // 3 m/s for 2000 s on a straight −8 % slope (baro-clean altitude): every interior grade is −0.08.
    // Cr(−0.08) = −0.000509 − 0.001245 + 0.022170 + 0.296320 − 1.56 + 3.6 ≈ 2.35674 (terms of 155.4i⁵ … 3.6)
    const n = 2001;
    const cols = { ...steadyRun(n, 1, 3, 170), altitudeM: series(n, (i) => 600 - 0.08 * 3 * i) };
    const s = summarizeActivity(makeActivity({ columns: cols }));
    const i = -0.08;
    const cr = 155.4 * i ** 5 - 30.4 * i ** 4 - 43.3 * i ** 3 + 46.3 * i ** 2 + 19.5 * i + 3.6;
    expect(cr).toBeCloseTo(2.35674, 4);
    // the grade is measured over 50 m, so the first and last 25 m see a shorter base but the same slope
    expect(s.gradeAdjustedSpeedMps).toBeCloseTo((3 * cr) / 3.6, 2);
    expect(s.downhillSegments).toHaveLength(1);
    expect(s.downhillSegments[0]!.meanGrade).toBeCloseTo(-0.08, 3);
  });
});

describe('generic sport (GPX without a type)', () => {
  it('is "other" by default and can be declared running', () => {
    const cols = steadyRun(601, 1, 3, 170, 100);
    const other = summarizeActivity(makeActivity({ sport: 'generic', columns: cols }));
    expect(other.activityClass).toBe('other');
    expect(other.runningTimeS).toBe(0);
    const run = summarizeActivity(makeActivity({ sport: 'generic', columns: cols }), { genericSportAs: 'running' });
    expect(run.activityClass).toBe('running');
    expect(run.runningTimeS).toBe(600);
    expect(run.cadence.avgSpm).toBe(170);
  });
});

// Reference: the definition written out naively (sorted pairs, first value whose cumulative weight reaches q·Σw).
function naiveQuantile(v: number[], w: number[], q: number): number {
  const pairs = v.map((x, i) => [x, w[i]!] as const).filter(([x, wi]) => Number.isFinite(x) && wi > 0).sort((a, b) => a[0] - b[0]);
  const total = pairs.reduce((t, p) => t + p[1], 0);
  let cum = 0;
  for (const [x, wi] of pairs) if ((cum += wi) >= q * total - 1e-9 * total) return x;
  return pairs[pairs.length - 1]![0];
}

describe('weightedQuantiles', () => {
  it('gives the same values as one weightedQuantile call per q, from one sort', async () => {
    const { weightedQuantiles } = await import('../../src/analysis/stats.js');
    // Hand check: values 150,160,170 weights 1,1,2 (Σ 4): q 0.1 → target 0.4 → 150; q 0.5 → 2 → 160 (cum 1, 2); q 0.9 → 3.6 → 170.
    expect(weightedQuantiles([170, 150, 160], [2, 1, 1], [0.9, 0.1, 0.5])).toEqual([170, 150, 160]);
    const vals = [171, 165, Number.NaN, 180, 158, 171, 175];
    const ws = [1, 2, 5, 0.5, 1, 3, -1];
    for (const q of [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]) {
      expect(weightedQuantiles(vals, ws, [q])[0]).toBe(naiveQuantile(vals, ws, q));
    }
    expect(weightedQuantiles([Number.NaN], [1], [0.5, 0.9]).every(Number.isNaN)).toBe(true);
  });

  it('property: equals the naive definition for any float32 values, negatives and repeats included', async () => {
    const fc = (await import('fast-check')).default;
    const { weightedQuantiles } = await import('../../src/analysis/stats.js');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.float({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), fc.integer({ min: 0, max: 5 })), { minLength: 1, maxLength: 60 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }),
        (pairs, qs) => {
          const v = pairs.map((p) => p[0]);
          const w = pairs.map((p) => p[1]);
          const got = weightedQuantiles(v, w, qs);
          qs.forEach((q, k) => {
            const ref = w.some((x) => x > 0) ? naiveQuantile(v, w, q) : Number.NaN;
            expect(Object.is(got[k], ref) || got[k] === ref).toBe(true);
          });
        },
      ),
    );
  });
});
