/**
 * activityFromStreams and activityFromStravaStreams.
 *
 * Round trip: a parsed file's columns, handed over as plain arrays, must give
 * the same summary as the file itself (the builder runs the same sanitising,
 * so nothing may change). Truths: the parser's own result for the same file,
 * on the demo season's FIT files (always) and on every FIT file of the real
 * corpus (when present).
 */
import { describe, expect, it } from 'vitest';
import type { Activity } from '../../src/activity.js';
import { summarizeActivity } from '../../src/analysis/index.js';
import { isParseError, type ErrorCode } from '../../src/errors.js';
import { activityFromStravaStreams, activityFromStreams, type StreamColumns } from '../../src/index.js';
import { SAMPLE_COLUMN_NAMES } from '../../src/parse/columns.js';
import { parseActivities } from '../../src/parse/index.js';
import { encodeDemoActivity, generateDemoSeason } from '../../fixtures/demo-season/index.js';
import { encodeFitActivity, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { corpusAvailable, readCorpusFile, readManifest } from '../helpers/corpus.js';

/** The activity's columns as plain arrays (only those with a value), cadence as given or halved to raw strides. */
function columnsOf(a: Activity, cadence: 'spm' | 'strides'): StreamColumns {
  const out: Record<string, number[]> = {};
  for (const name of SAMPLE_COLUMN_NAMES) {
    const col = a.samples[name];
    if (!col.some((v) => !Number.isNaN(v))) continue;
    if (name === 'cadenceSpm' && cadence === 'strides') out['cadence'] = Array.from(col, (v) => v / 2);
    else out[name] = Array.from(col);
  }
  return out as StreamColumns;
}

function rebuild(a: Activity, cadence: 'spm' | 'strides'): Activity {
  return activityFromStreams(columnsOf(a, cadence), {
    startTime: a.startTime!.toISOString(),
    sport: a.sport,
    subSport: a.subSport,
    deviceSummary: a.deviceSummary,
    pauses: a.pauses,
    laps: a.laps,
    cadenceUnit: cadence === 'strides' ? 'auto' : 'steps',
    ...(a.utcOffsetMin !== undefined ? { utcOffsetMin: a.utcOffsetMin } : {}),
    ...(a.positionTimeZone !== undefined ? { positionTimeZone: a.positionTimeZone } : {}),
    ...(a.name !== undefined ? { name: a.name } : {}),
  });
}

/**
 * Summary with numbers rounded to 9 significant digits; id and file name dropped (they name the source),
 * and how the sport was known (a caller of activityFromStreams states the sport, where a file may have had it inferred).
 */
function comparable(a: Activity, dropUnit: boolean): unknown {
  const s = summarizeActivity(a) as unknown as Record<string, unknown>;
  const { id: _id, file: _file, sportSource: _source, sportConfidence: _confidence, ...rest } = s;
  const round = (v: unknown): unknown => {
    if (typeof v === 'number') return Number.isFinite(v) ? Number(v.toPrecision(9)) : v;
    if (Array.isArray(v)) return v.map(round);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v)
          .filter(([k, x]) => !(dropUnit && (k === 'unitDetected' || k === 'unitConfidence')) && !(dropUnit && (x as { code?: string })?.code === 'CADENCE_UNIT_UNSURE'))
          .map(([k, x]) => [k, round(x)]),
      );
    }
    return v;
  };
  const out = round(rest) as Record<string, unknown>;
  if (dropUnit) out['quality'] = (out['quality'] as { code: string }[]).filter((q) => q.code !== 'CADENCE_UNIT_UNSURE');
  return out;
}

/** Checks the round trip for every dated activity of `bytes`; returns how many were compared. */
async function expectRoundTrip(bytes: Uint8Array | string, fileName: string): Promise<number> {
  const activities = await parseActivities(bytes, { fileName });
  let compared = 0;
  for (const a of activities) {
    if (a.startTime === undefined || a.samples.length === 0) continue;
    expect(comparable(rebuild(a, 'spm'), true), `${fileName} #${a.source.indexInFile} (steps/min)`).toEqual(comparable(a, true));
    // Raw strides with auto detection: the same unit decision wherever it did not rest on the FIT-only prior.
    if (a.cadence.detected === 'strides' && a.cadence.method !== 'prior') {
      const fromStrides = rebuild(a, 'strides');
      expect(fromStrides.cadence.detected, fileName).toBe('strides');
      expect(comparable(fromStrides, false), `${fileName} #${a.source.indexInFile} (strides)`).toEqual(comparable(a, false));
    }
    compared++;
  }
  return compared;
}

describe('activityFromStreams: round trip of parsed files', () => {
  it('the demo season FIT files give the same summaries rebuilt from plain arrays', async () => {
    // One of each kind the season plants: ride, low cadence, barometric hills, a pause, running dynamics, a swim, a treadmill run.
    const kinds = ['w02-sat-ride', 'w03-tue-lowcad', 'w05-wed-hills', 'w08-tue-pause', 'w10-sat', 'w11-wed-swim', 'w02-thu-treadmill'];
    const fits = generateDemoSeason().filter((a) => kinds.includes(a.plan.key));
    expect(fits.every((a) => a.plan.format === 'fit')).toBe(true);
    expect(fits.length).toBe(kinds.length);
    let compared = 0;
    for (const a of fits) compared += await expectRoundTrip(encodeDemoActivity(a), a.fileName);
    expect(compared).toBe(fits.length);
  });

  it.skipIf(!corpusAvailable)('every FIT file of the real corpus gives the same summaries rebuilt from plain arrays', async () => {
    const rows = readManifest().filter((r) => r['format'] === 'fit');
    let compared = 0;
    for (const row of rows) {
      const path = row['path']!;
      let ok = true;
      try {
        await parseActivities(readCorpusFile(path));
      } catch (error) {
        if (!isParseError(error)) throw error;
        ok = false; // files that do not parse have nothing to rebuild
      }
      if (ok) compared += await expectRoundTrip(readCorpusFile(path), path);
    }
    expect(compared).toBeGreaterThan(20);
  });
});

describe('activityFromStreams: building', () => {
  it('doubles strides, derives speed from distance, fills missing columns with NaN', () => {
    const a = activityFromStreams(
      { timeS: [0, 1, 2, 3], distanceM: Float64Array.of(0, 3, 6, 9), cadence: [85, 86, 85, 86] },
      { startTime: new Date('2024-05-01T06:00:00Z'), sport: 'running', cadenceUnit: 'strides' },
    );
    expect(Array.from(a.samples.cadenceSpm)).toEqual([170, 172, 170, 172]);
    // centred difference: (6 - 0) / (2 - 0) = 3 m/s
    expect(a.samples.speedMps[1]).toBe(3);
    expect(Number.isNaN(a.samples.heartRateBpm[0]!)).toBe(true);
    expect(a.cadence).toMatchObject({ detected: 'strides', factor: 2, method: 'override' });
    expect(a.subSport).toBe('treadmill'); // a run without positions, as for GPX/TCX
    expect(a.id).toBe('streams-20240501T060000Z-running-0');
    expect(a.source.format).toBe('streams');
  });

  it('detects the cadence unit with cadenceUnit auto (85 strides/min at 3 m/s: step 1.06 m)', () => {
    const n = 60;
    const a = activityFromStreams(
      { timeS: Array.from({ length: n }, (_, i) => i), distanceM: Array.from({ length: n }, (_, i) => 3 * i), cadence: new Array(n).fill(85) },
      { startTime: '2024-05-01T06:00:00Z', sport: 'running' },
    );
    expect(a.cadence).toMatchObject({ detected: 'strides', method: 'band' });
    expect(a.samples.cadenceSpm[10]).toBe(170);
  });

  it('keeps a ride cadence in rpm and drops out-of-range values and bad positions with warnings', () => {
    const a = activityFromStreams(
      { timeS: [0, 1, 2], cadence: [85, 86, 90], heartRateBpm: [120, 900, 0], latDeg: [52, 0, 95], lonDeg: [13, 0, 13] },
      { startTime: '2024-05-01T06:00:00Z', sport: 'cycling' },
    );
    expect(Array.from(a.samples.cadenceSpm)).toEqual([85, 86, 90]);
    expect(Array.from(a.samples.heartRateBpm).map((v) => (Number.isNaN(v) ? null : v))).toEqual([120, null, null]);
    expect(a.samples.latDeg[1]).toBeNaN();
    expect(a.samples.latDeg[2]).toBeNaN();
    expect(a.warnings.map((w) => w.code).sort()).toEqual(['INVALID_POSITION_DROPPED', 'INVALID_VALUES_DROPPED']);
  });

  it('does not modify its input', () => {
    const cadence = [85, 0, 86];
    const timeS = Float64Array.of(0, 1, 2);
    activityFromStreams({ timeS, cadence }, { startTime: '2024-05-01T06:00:00Z', sport: 'running', cadenceUnit: 'strides' });
    expect(cadence).toEqual([85, 0, 86]);
    expect(Array.from(timeS)).toEqual([0, 1, 2]);
  });
});

function codeOf(f: () => unknown): { code: ErrorCode; message: string } {
  try {
    f();
  } catch (error) {
    if (isParseError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected an error');
}

describe('activityFromStreams: bad streams', () => {
  const meta = { startTime: '2024-05-01T06:00:00Z', sport: 'running' } as const;
  const secs = (n: number, step = 1): number[] => Array.from({ length: n }, (_, i) => i * step);

  it.each([
    ['unequal lengths', { timeS: [0, 1, 2], heartRateBpm: [150, 151] }, /heartRateBpm has 2 values but timeS has 3/],
    ['time going back', { timeS: [0, 1, 2, 1.5, 4] }, /timeS goes back at index 3/],
    ['an unknown column', { timeS: [0, 1], heartrate: [150, 151] }, /unknown column "heartrate"/],
    ['a string value', { timeS: [0, 1], heartRateBpm: [150, '151'] }, /heartRateBpm\[1\] is "151", not a number/],
    ['a column that is not an array', { timeS: 5 }, /column timeS must be an array/],
    ['half a position', { timeS: [0, 1], latDeg: [52, 52] }, /lonDeg is missing/],
    ['both cadence columns', { timeS: [0, 1], cadence: [85, 85], cadenceSpm: [170, 170] }, /either cadenceSpm .* or cadence/],
    ['epoch seconds as time', { timeS: [1714543200, 1714543201] }, /timeS\[0\] is 1714543200/],
    ['milliseconds as time', { timeS: secs(3600, 1000) }, /looks like milliseconds/],
    ['kilometres with a speed column', { timeS: secs(100), distanceM: secs(100).map((t) => (3 * t) / 1000), speedMps: new Array(100).fill(3) }, /distanceM grows 1000 times slower .* kilometres/],
    ['kilometres without speed', { timeS: secs(3600), distanceM: secs(3600).map((t) => (3 * t) / 1000) }, /distanceM\[3599\] is 10.797 after 3599 s — kilometres/],
    ['km/h as speed with distance', { timeS: secs(100), distanceM: secs(100).map((t) => 3 * t), speedMps: new Array(100).fill(10.8) }, /speedMps is 3.6 times the distance rate/],
    ['km/h as speed alone', { timeS: secs(100), speedMps: new Array(100).fill(10.8 + 3) }, /speedMps has a median of 13.8 for running — km\/h/],
  ])('%s: INVALID_INPUT naming the column', (_label, columns, message) => {
    const e = codeOf(() => activityFromStreams(columns as StreamColumns, meta));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(message);
  });

  it('GPS drift of a standing start is not taken for kilometres', () => {
    // 20 minutes at 1 Hz of a run that never started: a 2 m jump every 80 s, 30 m in all
    // (mean 0.025 m/s, as km-valued distance would be; but each jump is 2 m in a second)
    const n = 1201;
    const timeS = Array.from({ length: n }, (_, i) => i);
    const distanceM = timeS.map((t) => 2 * Math.floor(t / 80));
    const a = activityFromStreams({ timeS, distanceM }, meta);
    expect(a.samples.distanceM[n - 1]).toBe(30);
  });

  it('a bad start time or sport is INVALID_INPUT, zero samples NO_DATA, too many TOO_MANY_SAMPLES', () => {
    expect(codeOf(() => activityFromStreams({ timeS: [0] }, { ...meta, startTime: 'yesterday' }))).toMatchObject({ code: 'INVALID_INPUT', message: /meta.startTime/ });
    expect(codeOf(() => activityFromStreams({ timeS: [0] }, { ...meta, sport: '' }))).toMatchObject({ code: 'INVALID_INPUT', message: /meta.sport/ });
    expect(codeOf(() => activityFromStreams({ timeS: [] }, meta)).code).toBe('NO_DATA');
    expect(codeOf(() => activityFromStreams({ timeS: [0, 1, 2] }, { ...meta, limits: { maxSamplesPerActivity: 2 } })).code).toBe('TOO_MANY_SAMPLES');
  });
});

/** The Strava API's stream set for a run, from a generated steady run (cadence in strides/min, as Strava sends). */
function stravaRun(keyByType: boolean): { streams: unknown; truthSpm: number[] } {
  const s = steadyRunSamples({ seconds: 600, speedMps: 3, cadenceSpm: 172 });
  const n = s.timeS.length;
  const list = [
    { type: 'time', data: Array.from(s.timeS), series_type: 'distance', original_size: n, resolution: 'high' },
    { type: 'distance', data: Array.from(s.distanceM), series_type: 'distance', original_size: n, resolution: 'high' },
    { type: 'latlng', data: Array.from({ length: n }, (_, i) => [52.5 + i * 1e-5, 13.4]), series_type: 'distance', original_size: n, resolution: 'high' },
    { type: 'velocity_smooth', data: Array.from(s.speedMps), series_type: 'distance', original_size: n, resolution: 'high' },
    { type: 'cadence', data: Array.from(s.cadenceSpm!, (v) => v / 2), series_type: 'distance', original_size: n, resolution: 'high' },
    { type: 'heartrate', data: new Array(n).fill(150), series_type: 'distance', original_size: n, resolution: 'high' },
    { type: 'moving', data: new Array(n).fill(true), series_type: 'distance', original_size: n, resolution: 'high' },
    { type: 'grade_smooth', data: new Array(n).fill(0), series_type: 'distance', original_size: n, resolution: 'high' },
  ];
  const streams = keyByType ? Object.fromEntries(list.map(({ type, ...rest }) => [type, rest])) : list;
  return { streams, truthSpm: Array.from(s.cadenceSpm!) };
}

describe('activityFromStravaStreams', () => {
  const activity = {
    id: 123,
    name: 'Morning Run',
    sport_type: 'Run',
    type: 'Run',
    start_date: '2024-05-01T04:00:00Z',
    start_date_local: '2024-05-01T06:00:00Z',
    timezone: '(GMT+01:00) Europe/Berlin',
    distance: 1800,
    moving_time: 600,
    average_cadence: 86,
    gear: { name: 'Road Shoe A' },
  };

  it.each([false, true])('Strava strides become steps/min (key_by_type %s)', (keyByType) => {
    const { streams, truthSpm } = stravaRun(keyByType);
    const a = activityFromStravaStreams(streams as never, activity);
    expect(Array.from(a.samples.cadenceSpm)).toEqual(truthSpm.map((v) => Math.fround(v)));
    expect(a.cadence.detected).toBe('strides');
    expect(a.sport).toBe('running');
    expect(a.utcOffsetMin).toBe(120); // 06:00 local vs 04:00 UTC
    expect(a.deviceSummary.avgCadenceSpm).toBe(172); // 86 strides/min doubled
    expect(a.gear).toBe('Road Shoe A');
    expect(a.id).toBe('strava-123');
    const summary = summarizeActivity(a);
    expect(summary.cadence.medianSpm).toBeCloseTo(172, 0);
    expect(summary.distanceM).toBeCloseTo(1800, 6); // 3 m/s × 600 s (601 samples at 1 Hz)
  });

  it('keeps a ride cadence in rpm, and trainer runs are treadmill runs', () => {
    const ride = activityFromStravaStreams(
      [
        { type: 'time', data: [0, 1, 2] },
        { type: 'cadence', data: [85, 88, 90] },
        { type: 'watts', data: [200, 210, 220] },
      ],
      { sport_type: 'VirtualRide', start_date: '2024-05-01T04:00:00Z' },
    );
    expect(Array.from(ride.samples.cadenceSpm)).toEqual([85, 88, 90]);
    expect(ride).toMatchObject({ sport: 'cycling', subSport: 'virtual_activity', cadence: { detected: 'none' } });
    expect(Array.from(ride.samples.powerW)).toEqual([200, 210, 220]);
    const treadmill = activityFromStravaStreams({ time: { data: [0, 1] }, cadence: { data: [85, 85] } }, { type: 'Run', trainer: true, start_date: '2024-05-01T04:00:00Z' });
    expect(treadmill.subSport).toBe('treadmill');
  });

  it('bad stream sets give INVALID_INPUT', () => {
    const start = { sport_type: 'Run', start_date: '2024-05-01T04:00:00Z' };
    expect(codeOf(() => activityFromStravaStreams([{ type: 'time' } as never], start))).toMatchObject({ code: 'INVALID_INPUT', message: /stream time has no data/ });
    expect(codeOf(() => activityFromStravaStreams({ time: { data: [0, 1] }, latlng: { data: [[52, 13], [52]] } }, start))).toMatchObject({ code: 'INVALID_INPUT', message: /latlng\[1\]/ });
    expect(codeOf(() => activityFromStravaStreams({ time: { data: [0, 1] } }, { sport_type: 'Run' } as never))).toMatchObject({ code: 'INVALID_INPUT', message: /start_date/ });
    expect(codeOf(() => activityFromStravaStreams({ time: { data: [0, 1, 2] }, heartrate: { data: [150, 150] } }, start))).toMatchObject({ code: 'INVALID_INPUT', message: /heartRateBpm has 2 values/ });
    expect(codeOf(() => activityFromStravaStreams({ time: { data: [0, 5, 3] } }, start))).toMatchObject({ code: 'INVALID_INPUT', message: /timeS goes back at index 2/ });
  });
});

