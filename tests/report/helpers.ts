/**
 * Hand-made pipeline results for report tests: a few runs whose numbers are
 * chosen so that expected report values can be computed by hand.
 */
import type { ActivitySummary, TrainingHistory, WeekSummary } from '../../src/analysis/types.js';
import type { Activity, SampleColumns } from '../../src/activity.js';
import type { Finding } from '../../src/rules/types.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A 10 km flat run at 3 m/s (5:33/km), 170 spm, started 2026-03-02 07:00 UTC. Override any field. */
export function makeSummary(overrides: Partial<Mutable<ActivitySummary>> = {}): ActivitySummary {
  const base: ActivitySummary = {
    id: 'run-2026-03-02',
    file: 'runs/2026-03-02.fit',
    name: 'Morning run',
    gear: null,
    sport: 'running',
    subSport: 'generic',
    activityClass: 'running',
    isTreadmill: false,
    startTime: '2026-03-02T07:00:00.000Z',
    localDate: '2026-03-02',
    distanceM: 10000,
    runningDistanceM: 10000,
    elapsedTimeS: 3400,
    movingTimeS: 3333.3,
    runningTimeS: 3333.3,
    avgSpeedMps: 3,
    gradeAdjustedSpeedMps: 3,
    avgHeartRateBpm: 150,
    cadence: {
      unitDetected: 'strides',
      unitConfidence: 0.95,
      coverage: 1,
      avgSpm: 170,
      medianSpm: 170,
      p10Spm: 164,
      p90Spm: 176,
      timeInBandsS: { below160: 0, from160to170: 1666.65, from170to180: 1666.65, atLeast180: 0 },
      flatAvgSpm: 170,
      flatTimeS: 3000,
      flatSpeedMps: 3,
      firstThirdSpm: 170,
      lastThirdSpm: 170,
      driftSpm: 0,
      laps: [],
      bySpeed: [
        { speedMps: 2.875, timeS: 1500, avgSpm: 168, expectedSpm: 167.28, extrapolated: false },
        { speedMps: 3.125, timeS: 1500, avgSpm: 172, expectedSpm: 168.78, extrapolated: false },
      ],
      runnerLine: { interceptSpm: 122, slopeSpmPerMps: 16 },
      zVsExpected: 0.1,
      expectedSpm: 168.03,
      // 150 + 6.01 · 3 = 168.03 (van Oeveren 2019 at 3 m/s)
    },
    stepLength: {
      source: 'derived',
      avgM: 1.0588,
      // 3 m/s · 60 / 170 spm = 1.0588 m
      medianM: 1.0588,
      avgStrideM: 2.1176,
      ratioToExpected: 0.988,
      longStepTimeS: 0,
      relativeToHeight: null,
      lowConfidence: false,
    },
    dynamics: null,
    elevation: { source: 'baro', ascentM: 20, descentM: 20, downhillDistanceM: 0, steepDownhillDistanceM: 0, skippedReason: null },
    downhillSegments: [],
    deviceSummary: { totalDistanceM: 10000, timerTimeS: 3333, avgCadenceSpm: 170 },
    quality: [],
    speedCv: 0.05,
  };
  return { ...base, ...overrides };
}

/** A hilly 12 km run on 2026-03-14 with two downhill stretches. */
export function makeHillyRun(): ActivitySummary {
  return makeSummary({
    id: 'run-2026-03-14',
    file: 'runs/2026-03-14 <hills> & "valleys".gpx',
    name: 'Hills <script>alert(1)</script>',
    startTime: '2026-03-14T08:00:00.000Z',
    localDate: '2026-03-14',
    distanceM: 12000,
    runningDistanceM: 12000,
    runningTimeS: 4200,
    movingTimeS: 4200,
    elevation: { source: 'gps', ascentM: 310, descentM: 305, downhillDistanceM: 2600, steepDownhillDistanceM: 900, skippedReason: null },
    downhillSegments: [
      { startDistanceM: 3000, endDistanceM: 4500, startTimeS: 1000, endTimeS: 1450, lengthM: 1500, dropM: 105, meanGrade: -0.07, maxGrade: -0.09, category: 'moderate', speedMps: 3.3, cadenceSpm: 172, stepLengthM: 1.15 },
      { startDistanceM: 8000, endDistanceM: 9100, startTimeS: 2800, endTimeS: 3130, lengthM: 1100, dropM: 130, meanGrade: -0.118, maxGrade: -0.16, category: 'steep', speedMps: 3.4, cadenceSpm: 170, stepLengthM: 1.2 },
    ],
  });
}

/** A treadmill run on 2026-03-10 with cadence stored as steps. */
export function makeTreadmillRun(): ActivitySummary {
  return makeSummary({
    id: 'run-2026-03-10',
    file: 'runs/2026-03-10.tcx',
    name: null,
    subSport: 'treadmill',
    isTreadmill: true,
    startTime: '2026-03-10T18:00:00.000Z',
    localDate: '2026-03-10',
    distanceM: 5000,
    runningDistanceM: 5000,
    runningTimeS: 1666.7,
    movingTimeS: 1666.7,
    elevation: { source: 'none', ascentM: null, descentM: null, downhillDistanceM: 0, steepDownhillDistanceM: 0, skippedReason: 'treadmill' },
    cadence: { ...makeSummary().cadence, unitDetected: 'steps', avgSpm: 160, bySpeed: [] },
    stepLength: { ...makeSummary().stepLength, lowConfidence: true },
  });
}

/** A ride (not running) on 2026-03-08. */
export function makeRide(): ActivitySummary {
  return makeSummary({
    id: 'ride-2026-03-08',
    file: 'rides/2026-03-08.fit',
    name: 'Ride',
    sport: 'cycling',
    activityClass: 'low-impact',
    startTime: '2026-03-08T09:00:00.000Z',
    localDate: '2026-03-08',
    distanceM: 40000,
    runningDistanceM: 0,
    runningTimeS: 0,
    cadence: { ...makeSummary().cadence, unitDetected: 'none', avgSpm: null, bySpeed: [], timeInBandsS: { below160: 0, from160to170: 0, from170to180: 0, atLeast180: 0 } },
  });
}

function week(weekStart: string, distanceM: number, changeRatio: number | null): WeekSummary {
  return {
    weekStart,
    distanceM,
    timeS: distanceM / 3,
    runs: 1,
    longestRunM: distanceM,
    descentM: 0,
    downhillDistanceM: 0,
    changeRatio,
    twoWeekChangeRatio: null,
    crossTrainingS: { lowImpact: 0, walking: 0, other: 0 },
  };
}

/** Weeks: 10 km, then 15 km (+50 %), then 12 km (−20 %). */
export function makeHistory(overrides: Partial<Mutable<TrainingHistory>> = {}): TrainingHistory {
  return {
    timeZone: 'UTC',
    weekStartsOn: 1,
    firstDate: '2026-03-02',
    lastDate: '2026-03-14',
    weeks: [week('2026-03-02', 10000, null), week('2026-03-09', 15000, 0.5), week('2026-03-16', 12000, -0.2)],
    sessions: [],
    gear: [],
    cadenceBaseline: null,
    breaks: [],
    ...overrides,
  };
}

/** A finding; defaults to a session spike on 2026-03-14 (week of 2026-03-09). */
export function makeFinding(overrides: Partial<Mutable<Finding>> = {}): Finding {
  return {
    rule: 'session-spike',
    severity: 'warning',
    activityId: 'run-2026-03-14',
    week: null,
    date: '2026-03-14',
    span: null,
    observed: 1.2,
    threshold: 1.1,
    unit: 'ratio',
    evidence: { grade: 'B', reference: 'Frandsen et al. 2025, BJSM 59:1203' },
    message: 'This run was 20 % longer than your longest run of the previous 30 days.',
    advice: ['Keep single runs within 10 % of your longest recent run.'],
    details: {},
    ...overrides,
  };
}

/** An activity from plain sample columns (missing columns NaN), running in steps/min, with `overrides` on top. */
export function activityOf(columns: Partial<Record<keyof SampleColumns, number[]>>, overrides: Partial<Activity> = {}): Activity {
  const n = columns.timeS?.length ?? 0;
  const f64 = (k: keyof SampleColumns): Float64Array => Float64Array.from(columns[k] ?? new Array(n).fill(NaN));
  const f32 = (k: keyof SampleColumns): Float32Array => Float32Array.from(columns[k] ?? new Array(n).fill(NaN));
  return {
    id: 'a1',
    sport: 'running',
    subSport: 'generic',
    startTime: new Date('2026-03-02T07:00:00Z'),
    source: { format: 'gpx', indexInFile: 0 },
    samples: {
      length: n,
      timeS: f64('timeS'),
      distanceM: f64('distanceM'),
      speedMps: f32('speedMps'),
      altitudeM: f32('altitudeM'),
      latDeg: f64('latDeg'),
      lonDeg: f64('lonDeg'),
      cadenceSpm: f32('cadenceSpm'),
      heartRateBpm: f32('heartRateBpm'),
      powerW: f32('powerW'),
      stepLengthM: f32('stepLengthM'),
      verticalOscillationM: f32('verticalOscillationM'),
      stanceTimeS: f32('stanceTimeS'),
      verticalRatioPct: f32('verticalRatioPct'),
      stanceTimeBalancePct: f32('stanceTimeBalancePct'),
      temperatureC: f32('temperatureC'),
    },
    laps: [],
    pauses: [],
    cadence: { detected: 'steps', factor: 1, confidence: 1, method: 'band', medianRaw: 170 },
    deviceSummary: {},
    warnings: [],
    ...overrides,
  };
}
