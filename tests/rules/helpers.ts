/**
 * Hand-built summaries and histories for rule tests, typed against
 * src/analysis/types.ts. Defaults describe a clean, unremarkable run: 45 min
 * flat at 3.0 m/s (5:33/km) and 175 spm, so that each test changes exactly the
 * values it is about.
 *
 * Population expectation at 3.0 m/s (van Oeveren 2019): 150.0 + 6.01 × 3.0 =
 * 168.03 spm; z of 175 spm = (175 − 168.03) / 8 = +0.87.
 */
import type {
  ActivitySummary,
  CadenceBaseline,
  CadenceSummary,
  DownhillSegment,
  ElevationSummary,
  SessionLoad,
  StepLengthSummary,
  TrainingHistory,
  WeekSummary,
} from '../../src/analysis/types.js';

type Over<T> = { -readonly [K in keyof T]?: T[K] };

/** Expected spm at a speed (van Oeveren 2019, v clamped to 1.64–4.68 m/s). */
export function expectedSpm(speedMps: number): number {
  const v = Math.min(4.68, Math.max(1.64, speedMps));
  return 150.0 + 6.01 * v;
}

export interface SummaryOverrides extends Over<Omit<ActivitySummary, 'cadence' | 'stepLength' | 'elevation'>> {
  cadence?: Over<CadenceSummary>;
  stepLength?: Over<StepLengthSummary>;
  elevation?: Over<ElevationSummary>;
}

/**
 * A running summary. When `cadence.flatAvgSpm` or `cadence.flatSpeedMps` is
 * overridden, `expectedSpm`, `zVsExpected` and `stepLength.ratioToExpected`
 * follow (unless given): z = (spm − exp)/8, ratio = exp/spm (card O1).
 */
export function makeSummary(o: SummaryOverrides = {}): ActivitySummary {
  const id = o.id ?? 'run-1';
  const spm = o.cadence?.flatAvgSpm ?? 175;
  const speed = o.cadence?.flatSpeedMps ?? 3.0;
  const exp = spm === null || speed === null ? null : expectedSpm(speed);
  const cadence: CadenceSummary = {
    unitDetected: 'strides',
    unitConfidence: 0.95,
    coverage: 0.98,
    avgSpm: spm,
    medianSpm: spm,
    p10Spm: spm === null ? null : spm - 4,
    p90Spm: spm === null ? null : spm + 4,
    timeInBandsS: { below160: 0, from160to170: 0, from170to180: 2700, atLeast180: 0 },
    flatAvgSpm: spm,
    flatTimeS: 2400,
    flatSpeedMps: speed,
    firstThirdSpm: spm,
    lastThirdSpm: spm,
    driftSpm: 0,
    laps: [],
    bySpeed: spm === null || speed === null ? [] : [{ speedMps: speed, timeS: 2400, avgSpm: spm, expectedSpm: exp!, extrapolated: false }],
    runnerLine: null,
    zVsExpected: exp === null || spm === null ? null : (spm - exp) / 8,
    expectedSpm: exp,
    ...o.cadence,
  };
  const stepLength: StepLengthSummary = {
    source: 'derived',
    avgM: spm === null || speed === null ? null : (speed * 60) / spm,
    medianM: spm === null || speed === null ? null : (speed * 60) / spm,
    avgStrideM: spm === null || speed === null ? null : (2 * speed * 60) / spm,
    ratioToExpected: exp === null || spm === null ? null : exp / spm,
    longStepTimeS: 0,
    relativeToHeight: null,
    lowConfidence: false,
    ...o.stepLength,
  };
  const elevation: ElevationSummary = {
    source: 'baro',
    ascentM: 50,
    descentM: 50,
    downhillDistanceM: 0,
    steepDownhillDistanceM: 0,
    skippedReason: null,
    ...o.elevation,
  };
  const { cadence: _c, stepLength: _s, elevation: _e, ...rest } = o;
  return {
    id,
    file: null,
    name: null,
    gear: null,
    sport: 'running',
    subSport: 'street',
    activityClass: 'running',
    isTreadmill: false,
    startTime: '2025-03-10T07:00:00.000Z',
    localDate: '2025-03-10',
    distanceM: 8100,
    runningDistanceM: 8100,
    elapsedTimeS: 2700,
    movingTimeS: 2700,
    runningTimeS: 2700,
    avgSpeedMps: 3.0,
    gradeAdjustedSpeedMps: 3.0,
    avgHeartRateBpm: 145,
    cadence,
    stepLength,
    dynamics: null,
    elevation,
    downhillSegments: [],
    deviceSummary: {},
    quality: [],
    speedCv: 0.08,
    ...rest,
  };
}

/** A downhill segment: 400 m at −8 %, 120 s at 3.3 m/s, 166 spm. */
export function makeSegment(o: Over<DownhillSegment> = {}): DownhillSegment {
  return {
    startDistanceM: 2000,
    endDistanceM: 2400,
    startTimeS: 600,
    endTimeS: 720,
    lengthM: 400,
    dropM: 32,
    meanGrade: -0.08,
    maxGrade: -0.11,
    category: 'moderate',
    speedMps: 3.3,
    cadenceSpm: 166,
    stepLengthM: (3.3 * 60) / 166,
    ...o,
  };
}

/**
 * A session that is unremarkable by default: 8 km on 2025-03-10, 100 days of
 * history, previous run 2 days before, longest of the last 30 days 10 km,
 * 30 km in the last 7 days and in the 7 before.
 */
export function makeSession(o: Over<SessionLoad> = {}): SessionLoad {
  const date = o.localDate ?? '2025-03-10';
  return {
    activityIds: ['run-1'],
    startTime: `${date}T07:00:00.000Z`,
    localDate: date,
    distanceM: 8000,
    descentM: 50,
    refLongestM: 10000,
    spikeRatio: 0.8,
    historyDays: 100,
    rolling7dM: 30000,
    prev7dM: 30000,
    max4wRolling7dM: 32000,
    rolling14dM: 60000,
    prev14dM: 60000,
    acwrRolling: 1.0,
    acwrEwma: 1.0,
    longest90dM: 12000,
    daysSincePrevious: 2,
    state: 'normal',
    ...o,
  };
}

/** A history holding the given sessions (and nothing else unless overridden). */
export function makeHistory(o: Over<TrainingHistory> = {}): TrainingHistory {
  return {
    timeZone: 'UTC',
    weekStartsOn: 1,
    firstDate: '2024-12-01',
    lastDate: '2025-03-10',
    weeks: [],
    sessions: [],
    gear: [],
    cadenceBaseline: null,
    breaks: [],
    ...o,
  };
}

/** A personal cadence line: spm = 140 + 10·v (so 170 spm at 3.0 m/s), target +5 %. */
export function makeBaseline(o: Over<CadenceBaseline> = {}): CadenceBaseline {
  return { interceptSpm: 140, slopeSpmPerMps: 10, windowDays: 90, timeS: 36000, targetPct: 0.05, ...o };
}

/** `YYYY-MM-DD` plus n days. */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** A calendar week of `distanceM` (other fields plain). */
export function makeWeek(weekStart: string, distanceM: number): WeekSummary {
  return {
    weekStart,
    distanceM,
    timeS: distanceM / 3,
    runs: 3,
    longestRunM: distanceM / 2,
    descentM: 0,
    downhillDistanceM: 0,
    changeRatio: null,
    twoWeekChangeRatio: null,
    crossTrainingS: { lowImpact: 0, walking: 0, other: 0 },
  };
}
