import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeTcx } from '../../fixtures/lib/tcx-writer.js';
import { METRES_PER_DEGREE, runSpec } from '../../fixtures/gpx/specs.js';
import type { Activity } from '../../src/activity.js';
import { ParseError } from '../../src/errors.js';
import { parseActivities, type ParseOptions } from '../../src/parse/index.js';

const parse = (text: string, options: ParseOptions = {}): Promise<Activity[]> => parseActivities(text, options);
const one = async (text: string, options: ParseOptions = {}): Promise<Activity> => {
  const acts = await parse(text, options);
  expect(acts).toHaveLength(1);
  return acts[0]!;
};
const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return (e as ParseError).code;
  }
  return 'NO ERROR';
};
const warningCodes = (a: Activity): string[] => a.warnings.map((w) => w.code);

const ride = runSpec({ n: 40, sport: 'cycling', speedMps: 8, cadenceSpm: (i) => 88 + (i % 5), startTime: new Date('2024-05-01T07:00:00Z') });

describe('TCX: activities, sports, cadence', () => {
  it('several activities of mixed sport in one file', async () => {
    const acts = await parse(encodeTcx([runSpec({ n: 60 }), ride], { creatorName: 'Forerunner 255' }), { fileName: 'brick.tcx' });
    expect(acts.map((a) => a.sport)).toEqual(['running', 'cycling']);
    expect(acts.map((a) => a.samples.length)).toEqual([60, 40]);
    expect(acts.map((a) => a.source.indexInFile)).toEqual([0, 1]);
    expect(acts.map((a) => a.id)).toEqual(['tcx-20240501T060000Z-running-0', 'tcx-20240501T070000Z-cycling-1']);
    const [run, bike] = acts as [Activity, Activity];
    // RunCadence stored as strides (85, 86, 87) → 170, 172, 174 steps/min (runSpec's planted cadence).
    expect(Array.from(run.samples.cadenceSpm.slice(0, 4))).toEqual([170, 172, 174, 170]);
    expect(run.cadence.detected).toBe('strides');
    // Bike <Cadence> is rpm: 88 + i % 5, never doubled.
    expect(Array.from(bike.samples.cadenceSpm.slice(0, 6))).toEqual([88, 89, 90, 91, 92, 88]);
    expect(bike.cadence.detected).toBe('none');
    expect(run.source).toEqual({ format: 'tcx', fileName: 'brick.tcx', creator: 'Forerunner 255', indexInFile: 0 });
  });

  it('RunCadence already in steps/min is kept', async () => {
    const a = await one(encodeTcx(runSpec({ n: 60 }), { cadenceAs: 'steps' }));
    expect(a.samples.cadenceSpm[2]).toBe(174);
    expect(a.cadence.detected).toBe('steps');
  });

  it('maps Sport="Other" to generic', async () => {
    const a = await one(encodeTcx(runSpec({ n: 30, sport: 'yoga' })));
    expect(a.sport).toBe('generic');
  });

  it('Polar: <Cadence>0</Cadence> means missing, not zero', async () => {
    const a = await one(encodeTcx(runSpec({ n: 30, cadenceSpm: (i) => (i % 3 === 0 ? 0 : 170) }), { runCadenceElement: 'Cadence' }));
    expect(a.samples.cadenceSpm[0]).toBeNaN();
    expect(a.samples.cadenceSpm[1]).toBe(170);
    expect(a.samples.cadenceSpm[3]).toBeNaN();
  });
});

describe('TCX: trackpoint values', () => {
  it('reads time, position, altitude, distance, HR, speed and power as written', async () => {
    const spec = { ...runSpec({ n: 20 }), speedMps: Array.from({ length: 20 }, (_, i) => 3 + i / 100) };
    const a = await one(encodeTcx(spec));
    expect(a.startTime?.toISOString()).toBe('2024-05-01T06:00:00.000Z');
    expect(a.samples.timeS[7]).toBe(7);
    expect(a.samples.latDeg[7]).toBeCloseTo(46 + 21 / METRES_PER_DEGREE, 7);
    expect(a.samples.lonDeg[7]).toBe(7);
    expect(a.samples.altitudeM[7]).toBe(507); // 500 + 7 % 10
    expect(a.samples.distanceM[7]).toBe(21); // the file's DistanceMeters (7 × 3 m), not derived
    expect(a.samples.heartRateBpm[7]).toBe(142); // 140 + 7 % 5
    expect(a.samples.speedMps[7]).toBeCloseTo(3.07, 6);
    expect(a.samples.powerW[7]).toBe(253); // 250 + 7 % 4
  });

  it('a run without any position is a treadmill run; with positions it stays generic', async () => {
    const { latDeg: _lat, lonDeg: _lon, ...indoor } = runSpec({ n: 30 });
    const a = await one(encodeTcx(indoor));
    expect(a.subSport).toBe('treadmill');
    expect(a.samples.distanceM[29]).toBe(87); // the foot pod's DistanceMeters (29 × 3 m)
    expect((await one(encodeTcx(runSpec({ n: 30 })))).subSport).toBe('generic');
    const { latDeg: _l, lonDeg: _o, ...indoorRide } = ride;
    expect((await one(encodeTcx(indoorRide))).subSport).toBe('generic');
  });

  it('derives distance from positions when the file has no DistanceMeters', async () => {
    const a = await one(encodeTcx(runSpec({ n: 11, withDistance: false })));
    expect(a.samples.distanceM[10]).toBeCloseTo(30, 1); // 10 steps of 3 m
    expect(a.samples.speedMps[5]).toBeCloseTo(3, 2);
  });

  it('reads heart rate 0 (no strap reading) as missing', async () => {
    const a = await one(encodeTcx({ ...runSpec({ n: 5 }), heartRateBpm: [0, 150, 0, 151, 152] }));
    expect(Array.from(a.samples.heartRateBpm)).toEqual([Number.NaN, 150, Number.NaN, 151, 152]);
  });

  it('drops (0, 0) placeholder positions (Fitbit) with a warning', async () => {
    const spec = runSpec({ n: 10 });
    const latDeg = Array.from(spec.latDeg!);
    const lonDeg = Array.from(spec.lonDeg!);
    latDeg[0] = 0;
    lonDeg[0] = 0;
    const a = await one(encodeTcx({ ...spec, latDeg, lonDeg }));
    expect(a.samples.latDeg[0]).toBeNaN();
    expect(a.samples.lonDeg[0]).toBeNaN();
    expect(warningCodes(a)).toContain('INVALID_POSITION_DROPPED');
  });
});

describe('TCX: laps, tracks, summary', () => {
  it('laps and the device summary come from the lap elements', async () => {
    // Laps start at samples 0, 20, 40 (t = 0, 20, 40 s); the run has 60 samples at 3 m/s.
    const a = await one(encodeTcx(runSpec({ n: 60, segmentStarts: [20, 40] })));
    expect(a.laps).toHaveLength(3);
    expect(a.laps.map((l) => l.startS)).toEqual([0, 20, 40]);
    expect(a.laps.map((l) => l.endS)).toEqual([20, 40, 59]);
    // Writer: TotalTimeSeconds = 20, 20, 19 s; DistanceMeters = 60, 60, 57 m.
    expect(a.laps.map((l) => l.timerTimeS)).toEqual([20, 20, 19]);
    expect(a.laps.map((l) => l.distanceM)).toEqual([60, 60, 57]);
    // AvgRunCadence = round(mean of 85, 86, 87 …) = 86 strides → 172 steps/min in every lap.
    expect(a.laps.map((l) => l.avgCadenceSpm)).toEqual([172, 172, 172]);
    expect(a.deviceSummary.totalDistanceM).toBe(177);
    expect(a.deviceSummary.timerTimeS).toBe(59);
    expect(a.deviceSummary.elapsedTimeS).toBe(59);
    expect(a.deviceSummary.avgCadenceSpm).toBe(172);
    expect(a.deviceSummary.avgSpeedMps).toBeCloseTo(3, 9);
    // Each lap's samples sit in their own <Track>, with no time gap: no pause.
    expect(a.pauses).toEqual([]);
  });

  it('a second <Track> in the same lap is a pause', async () => {
    const spec = runSpec({ n: 20 });
    const timeS = Array.from(spec.timeS, (t) => (t >= 10 ? t + 50 : t));
    // Split the single lap's track after the 10th trackpoint, as Garmin does after a stop.
    let k = 0;
    const text = encodeTcx({ ...spec, timeS }).replace(/<\/Trackpoint>/g, (m) => (++k === 10 ? `${m}</Track><Track>` : m));
    const a = await one(text);
    expect(a.laps).toHaveLength(1);
    expect(a.pauses).toEqual([{ startS: 9, endS: 60 }]);
  });

  it('the Id is the start; a lap starting later gives positive times', async () => {
    const text = encodeTcx(runSpec({ n: 10, startTime: new Date('2019-01-29T10:25:13Z') })).replace(
      '<Id>2019-01-29T10:25:13Z</Id>',
      '<Id>2019-01-29T10:25:12.000Z</Id>',
    );
    const a = await one(text);
    expect(a.startTime?.toISOString()).toBe('2019-01-29T10:25:12.000Z');
    expect(a.samples.timeS[0]).toBe(1);
    expect(a.laps[0]!.startS).toBe(1);
  });

  it('an Id far from the first trackpoint (wrong time zone) yields to the trackpoints', async () => {
    const text = encodeTcx(runSpec({ n: 10 })).replace('<Id>2024-05-01T06:00:00Z</Id>', '<Id>2024-05-01T08:00:00Z</Id>');
    const a = await one(text);
    expect(a.startTime?.toISOString()).toBe('2024-05-01T06:00:00.000Z');
    expect(a.samples.timeS[0]).toBe(0);
    expect(warningCodes(a)).toContain('START_TIME_MISMATCH');
  });

  it('activities inside a MultiSportSession are read', async () => {
    const inner = encodeTcx([runSpec({ n: 10 }), ride]).match(/<Activity [\s\S]*<\/Activity>/)![0];
    const text =
      '<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" ' +
      'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
      `<Activities><MultiSportSession><Id>2024-05-01T06:00:00Z</Id><FirstSport>${inner.replace('</Activity>', '</Activity></FirstSport><NextSport>')}</NextSport></MultiSportSession></Activities></TrainingCenterDatabase>`;
    const acts = await parse(text);
    expect(acts.map((a) => [a.sport, a.samples.length])).toEqual([
      ['running', 10],
      ['cycling', 40],
    ]);
  });
});

describe('TCX: not activities, damaged files', () => {
  it('courses → NOT_AN_ACTIVITY', async () => {
    const text =
      '<?xml version="1.0" encoding="UTF-8"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">' +
      '<Courses><Course><Name>Loop</Name><Lap><TotalTimeSeconds>600</TotalTimeSeconds><DistanceMeters>2000</DistanceMeters></Lap>' +
      '<Track><Trackpoint><Time>2024-05-01T06:00:00Z</Time><Position><LatitudeDegrees>46</LatitudeDegrees><LongitudeDegrees>7</LongitudeDegrees></Position></Trackpoint></Track>' +
      '</Course></Courses></TrainingCenterDatabase>';
    expect(await codeOf(parse(text))).toBe('NOT_AN_ACTIVITY');
  });

  it('activities without trackpoints → NO_DATA; beside one with trackpoints they are dropped', async () => {
    const empty = '<Activity Sport="Running"><Id>2024-05-01T05:00:00Z</Id><Lap StartTime="2024-05-01T05:00:00Z"><TotalTimeSeconds>60</TotalTimeSeconds></Lap></Activity>';
    const doc = (body: string): string =>
      `<?xml version="1.0"?><TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"><Activities>${body}</Activities></TrainingCenterDatabase>`;
    expect(await codeOf(parse(doc(empty)))).toBe('NO_DATA');
    const withRun = encodeTcx(runSpec({ n: 5 })).replace('<Activities>', `<Activities>${empty}`);
    const acts = await parse(withRun);
    expect(acts).toHaveLength(1);
    expect(acts[0]!.source.indexInFile).toBe(1);
  });

  it('whitespace before the XML declaration (Strava) parses', async () => {
    const a = await one(`\n\n      ${encodeTcx(runSpec({ n: 8 }))}`);
    expect(a.samples.length).toBe(8);
  });

  it('cut short: keeps the trackpoints before the cut, warning TRUNCATED', async () => {
    const full = encodeTcx(runSpec({ n: 50, segmentStarts: [25] }));
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: full.indexOf('</Trackpoint>') + 13, max: full.indexOf('</Activities>') - 1 }), async (cut) => {
        const prefix = full.slice(0, cut);
        const a = await one(prefix, { format: 'tcx' });
        expect(a.samples.length).toBe(prefix.split('</Trackpoint>').length - 1);
        expect(warningCodes(a)).toContain('TRUNCATED');
      }),
      { numRuns: 60 },
    );
  });

  it('malformed before any trackpoint → INVALID_XML', async () => {
    const text = encodeTcx(runSpec({ n: 5 })).replace('<Id>', '<Id><');
    expect(await codeOf(parse(text))).toBe('INVALID_XML');
  });

  it('more trackpoints than maxSamplesPerActivity → TOO_MANY_SAMPLES', async () => {
    expect(await codeOf(parse(encodeTcx(runSpec({ n: 9 })), { limits: { maxSamplesPerActivity: 8 } }))).toBe('TOO_MANY_SAMPLES');
  });
});

describe('TCX: hostile lap counts', () => {
  it('laps beyond the cap are ignored with warning TOO_MANY_LAPS, trackpoints still read', async () => {
    const text = encodeTcx(runSpec({ n: 3 })).replace('<Lap ', `${'<Lap StartTime="2024-05-01T06:00:00Z"/>'.repeat(100_005)}<Lap `);
    const a = await one(text);
    expect(a.laps).toHaveLength(100_000);
    expect(a.samples.length).toBe(3);
    expect(warningCodes(a)).toContain('TOO_MANY_LAPS');
  });
});

describe('TCX: hand-written files (fixtures/tcx)', () => {
  const read = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`../../fixtures/tcx/${name}`, import.meta.url)));

  it('Garmin Connect export with two laps: samples, laps and the summary as hand-computed', async () => {
    const [a, ...rest] = await parseActivities(read('garmin-connect-two-laps.tcx'));
    expect(rest).toHaveLength(0);
    expect(a!.source.creator).toBe('Forerunner 245'); // the device, not the <Author> application
    expect(a!.startTime?.toISOString()).toBe('2022-09-10T08:00:00.000Z');
    expect(a!.samples.length).toBe(12);
    expect(a!.samples.timeS[11]).toBe(55);
    // RunCadence 84, 86, … then 88: median 87 strides/min → doubled.
    expect(a!.cadence.detected).toBe('strides');
    expect(Array.from(a!.samples.cadenceSpm.slice(0, 2))).toEqual([168, 172]);
    expect(a!.samples.cadenceSpm[6]).toBe(176);
    expect(a!.samples.distanceM[11]).toBe(165); // DistanceMeters 55 s × 3 m/s
    expect(a!.samples.speedMps[3]).toBe(3);
    expect(a!.samples.heartRateBpm[7]).toBe(151); // 150 + (35 − 30) / 5
    expect(a!.laps).toEqual([
      { startS: 0, endS: 30, timerTimeS: 30, distanceM: 90, avgCadenceSpm: 170 },
      // Last lap: ends at the later of its last sample (55 s) and start + timer (30 + 28 = 58 s).
      { startS: 30, endS: 58, timerTimeS: 28, distanceM: 85, avgCadenceSpm: 176 },
    ]);
    expect(a!.deviceSummary.totalDistanceM).toBe(175);
    expect(a!.deviceSummary.timerTimeS).toBe(58);
    expect(a!.deviceSummary.elapsedTimeS).toBe(58);
    // Timer-weighted: (85 × 30 + 88 × 28) / 58 = 86.4483 strides → 172.8966 steps/min.
    expect(a!.deviceSummary.avgCadenceSpm).toBeCloseTo(172.8966, 3);
    expect(a!.deviceSummary.maxCadenceSpm).toBe(176);
    // (142 × 30 + 152 × 28) / 58 = 146.8276 bpm; 175 m / 58 s = 3.01724 m/s.
    expect(a!.deviceSummary.avgHeartRateBpm).toBeCloseTo(146.8276, 3);
    expect(a!.deviceSummary.avgSpeedMps).toBeCloseTo(3.01724, 4);
    expect(a!.pauses).toEqual([]);
  });

  it('a course file (with a Folders index) → NOT_AN_ACTIVITY', async () => {
    expect(await codeOf(parseActivities(read('course-only.tcx')))).toBe('NOT_AN_ACTIVITY');
  });
});
