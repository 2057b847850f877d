import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeGpx, type GpxWriteOptions } from '../../fixtures/lib/gpx-writer.js';
import { METRES_PER_DEGREE, runSpec } from '../../fixtures/gpx/specs.js';
import type { Activity } from '../../src/activity.js';
import { ParseError } from '../../src/errors.js';
import { parseActivities, type ParseOptions } from '../../src/parse/index.js';
import { labelToSport, sportFromLabel } from '../../src/parse/sport.js';

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

/** The planted cadence of runSpec: 170, 172, 174 repeating (steps/min). */
const plantedCadence = (i: number): number => 170 + 2 * (i % 3);

describe('GPX: cadence and extensions by local name', () => {
  const prefixes: Array<GpxWriteOptions['extensionPrefix']> = ['gpxtpx', 'ns3', ''];
  for (const prefix of prefixes) {
    for (const cadenceAs of ['strides', 'steps'] as const) {
      it(`prefix "${prefix}", cadence stored as ${cadenceAs} → steps/min`, async () => {
        const a = await one(encodeGpx(runSpec({ n: 60 }), { extensionPrefix: prefix!, cadenceAs }));
        expect(a.samples.length).toBe(60);
        // Stored 85/86/87 strides (doubled) or 170/172/174 steps (kept): both give the planted steps/min.
        for (let i = 0; i < 60; i++) expect(a.samples.cadenceSpm[i]).toBe(plantedCadence(i));
        expect(a.cadence.detected).toBe(cadenceAs);
        expect(a.cadence.factor).toBe(cadenceAs === 'strides' ? 2 : 1);
        // HR 140 + i % 5, power 250 + i % 4, temperature 12 (runSpec).
        expect(Array.from(a.samples.heartRateBpm.slice(0, 6))).toEqual([140, 141, 142, 143, 144, 140]);
        expect(Array.from(a.samples.powerW.slice(0, 5))).toEqual([250, 251, 252, 253, 250]);
        expect(a.samples.temperatureC[7]).toBe(12);
      });
    }
  }

  it('reads gpxdata: extensions (cadence, hr, temp) as written by other exporters', async () => {
    const pts = Array.from({ length: 12 }, (_, i) =>
      `<trkpt lat="${(46 + (i * 3) / METRES_PER_DEGREE).toFixed(7)}" lon="7"><time>2024-05-01T06:00:${String(i).padStart(2, '0')}Z</time>` +
      `<extensions><gpxdata:hr>150</gpxdata:hr><gpxdata:cadence>88</gpxdata:cadence><gpxdata:temp>9.5</gpxdata:temp></extensions></trkpt>`,
    ).join('');
    const text =
      '<?xml version="1.0"?><gpx version="1.1" creator="x" xmlns="http://www.topografix.com/GPX/1/1" ' +
      'xmlns:gpxdata="http://www.cluetrust.com/XML/GPXDATA/1/0"><trk><type>running</type><trkseg>' +
      pts +
      '</trkseg></trk></gpx>';
    const a = await one(text);
    expect(a.samples.heartRateBpm[3]).toBe(150);
    expect(a.samples.cadenceSpm[3]).toBe(176); // 88 strides/min at 3 m/s → 176 steps/min
    expect(a.samples.temperatureC[3]).toBe(9.5);
  });

  it('keeps cycling cadence as rpm (never doubled)', async () => {
    const a = await one(encodeGpx(runSpec({ sport: 'cycling', speedMps: 8, cadenceSpm: () => 90 }), { cadenceAs: 'steps' }));
    expect(a.sport).toBe('cycling');
    expect(a.samples.cadenceSpm[10]).toBe(90);
    expect(a.cadence.method).toBe('not-a-foot-sport');
  });

  it('honours the cadenceUnit override', async () => {
    const text = encodeGpx(runSpec(), { cadenceAs: 'strides' });
    const a = await one(text, { cadenceUnit: 'steps' });
    expect(a.samples.cadenceSpm[0]).toBe(85); // 170 / 2 stored, override says it is already steps
    expect(a.cadence.method).toBe('override');
  });
});

describe('GPX: positions, distance, speed', () => {
  it('derives distance by haversine (hand-computed along the equator)', async () => {
    // Along the equator haversine is R·Δλ: 6,371,008.8 m × 0.001° × π/180 = 111.19508 m per 0.001°.
    const text =
      '<gpx version="1.1" creator="t"><trk><trkseg>' +
      '<trkpt lat="0" lon="1.000"><time>2024-01-01T00:00:00Z</time></trkpt>' +
      '<trkpt lat="0" lon="1.001"><time>2024-01-01T00:00:10Z</time></trkpt>' +
      '<trkpt lat="0" lon="1.003"><time>2024-01-01T00:00:30Z</time></trkpt>' +
      '</trkseg></trk></gpx>';
    const a = await one(text);
    expect(a.samples.distanceM[0]).toBe(0);
    expect(a.samples.distanceM[1]).toBeCloseTo(111.19508, 4);
    expect(a.samples.distanceM[2]).toBeCloseTo(333.58524, 4);
    // Speed is the centred difference: sample 1 = (333.585 − 0) / 30 s = 11.1195 m/s.
    expect(a.samples.speedMps[1]).toBeCloseTo(333.58524 / 30, 3);
  });

  it('keeps a point without lat/lon with NaN position and its other values', async () => {
    const spec = runSpec({ n: 20 });
    const latDeg = Array.from(spec.latDeg!);
    latDeg[5] = Number.NaN;
    const a = await one(encodeGpx({ ...spec, latDeg }));
    expect(a.samples.length).toBe(20);
    expect(a.samples.latDeg[5]).toBeNaN();
    expect(a.samples.lonDeg[5]).toBeNaN();
    expect(a.samples.heartRateBpm[5]).toBe(140); // 140 + 5 % 5
    expect(a.samples.timeS[5]).toBe(5);
    // Distance skips the point: 19 steps of 3 m, the missing one bridged by the 4→6 chord (6 m).
    expect(a.samples.distanceM[19]).toBeCloseTo(57, 1);
  });

  it('has NaN altitude when there is no <ele>', async () => {
    const { altitudeM: _drop, ...spec } = runSpec({ n: 10 });
    const a = await one(encodeGpx(spec));
    expect(Array.from(a.samples.altitudeM).every(Number.isNaN)).toBe(true);
    expect(a.samples.distanceM[9]).toBeCloseTo(27, 1);
  });

  it('reads GPX 1.0 <speed> as the device speed', async () => {
    const a = await one(encodeGpx({ ...runSpec({ n: 10 }), speedMps: Array(10).fill(3.25) }, { version: '1.0' }));
    expect(a.samples.speedMps[4]).toBeCloseTo(3.25, 6);
  });

  it('reads a speed extension (Apple Health) as the device speed', async () => {
    const a = await one(encodeGpx({ ...runSpec({ n: 10 }), speedMps: Array(10).fill(2.5) }, { version: '1.1' }));
    expect(a.samples.speedMps[4]).toBeCloseTo(2.5, 6);
  });
});

describe('GPX: segments, tracks, times', () => {
  it('joins segments; the gap becomes a pause and adds no distance', async () => {
    // Segment 1: samples 0–9 at t = 0–9 s. Segment 2: samples 10–19 at t = 100–109 s, 1 km further north.
    const s1 = runSpec({ n: 10 });
    const s2 = runSpec({ n: 10, lat0Deg: 46 + 1000 / METRES_PER_DEGREE });
    const spec = {
      ...s1,
      timeS: [...Array.from(s1.timeS), ...Array.from(s2.timeS, (t) => t + 100)],
      latDeg: [...Array.from(s1.latDeg!), ...Array.from(s2.latDeg!)],
      lonDeg: [...Array.from(s1.lonDeg!), ...Array.from(s2.lonDeg!)],
      altitudeM: [...Array.from(s1.altitudeM!), ...Array.from(s2.altitudeM!)],
      cadenceSpm: [...Array.from(s1.cadenceSpm!), ...Array.from(s2.cadenceSpm!)],
      heartRateBpm: [...Array.from(s1.heartRateBpm!), ...Array.from(s2.heartRateBpm!)],
      segmentStarts: [10],
    };
    const a = await one(encodeGpx(spec));
    expect(a.samples.length).toBe(20);
    expect(a.pauses).toEqual([{ startS: 9, endS: 100 }]);
    // 9 steps of 3 m in each segment; the 1 km jump between segments is not run distance.
    expect(a.samples.distanceM[19]).toBeCloseTo(54, 1);
  });

  it('gives one activity per track, with name, sport and creator', async () => {
    const text = encodeGpx(
      [runSpec({ n: 10, name: 'Morning Run' }), runSpec({ n: 15, name: 'Evening Ride', sport: 'cycling', startTime: new Date('2024-05-01T18:00:00Z') })],
      { creator: 'Garmin Connect' },
    );
    const acts = await parse(text, { fileName: 'two.gpx' });
    expect(acts.map((a) => a.samples.length)).toEqual([10, 15]);
    expect(acts.map((a) => a.name)).toEqual(['Morning Run', 'Evening Ride']);
    expect(acts.map((a) => a.sport)).toEqual(['running', 'cycling']);
    expect(acts.map((a) => a.source.indexInFile)).toEqual([0, 1]);
    expect(acts[0]!.source).toEqual({ format: 'gpx', fileName: 'two.gpx', creator: 'Garmin Connect', indexInFile: 0 });
    expect(acts[1]!.startTime?.toISOString()).toBe('2024-05-01T18:00:00.000Z');
    expect(acts[0]!.id).toBe('gpx-20240501T060000Z-running-0');
    expect(acts[1]!.id).toBe('gpx-20240501T180000Z-cycling-1');
  });

  it('reads millisecond timestamps exactly', async () => {
    const a = await one(encodeGpx({ ...runSpec({ n: 4 }), timeS: [0, 0.25, 1.5, 2.999] }));
    expect(Array.from(a.samples.timeS)).toEqual([0, 0.25, 1.5, 2.999]);
  });

  it('with no time at all: NaN times, start from metadata, warning NO_TIME', async () => {
    const spec = { ...runSpec({ n: 12 }), timeS: Array(12).fill(Number.NaN) };
    const withMeta = await one(encodeGpx(spec, { metadataTime: false }).replace('<trk>', '<metadata><time>2024-05-01T05:59:00Z</time></metadata><trk>'));
    expect(Array.from(withMeta.samples.timeS).every(Number.isNaN)).toBe(true);
    expect(withMeta.startTime?.toISOString()).toBe('2024-05-01T05:59:00.000Z');
    expect(warningCodes(withMeta)).toContain('NO_TIME');
    expect(Array.from(withMeta.samples.speedMps).every(Number.isNaN)).toBe(true);
    expect(withMeta.samples.distanceM[11]).toBeCloseTo(33, 1); // distance needs no time

    const bare = await one(encodeGpx(spec, { metadataTime: false }));
    expect(bare.startTime).toBeUndefined();
    expect(bare.id).toMatch(/^gpx-h[0-9a-f]{8}-running-0$/);
  });

  it('drops times that go backwards so timeS stays non-decreasing (warning TIME_BACKWARDS)', async () => {
    const a = await one(encodeGpx({ ...runSpec({ n: 5 }), timeS: [0, 1, 2, 1.5, 3] }));
    expect(Array.from(a.samples.timeS)).toEqual([0, 1, 2, Number.NaN, 3]);
    expect(warningCodes(a)).toContain('TIME_BACKWARDS');
  });

  it('parses one-line minified files the same as indented ones', async () => {
    const spec = runSpec({ n: 30 });
    const [a, b] = [await one(encodeGpx(spec)), await one(encodeGpx(spec, { minified: true }))];
    expect(b.samples).toEqual(a.samples);
  });
});

describe('GPX: sport labels', () => {
  it.each([
    ['running', 'running'],
    ['Run', 'running'],
    ['9', 'running'],
    ['trail_running', 'running'],
    ['cycling', 'cycling'],
    ['Biking', 'cycling'],
    ['ride', 'cycling'],
    ['1', 'cycling'],
    ['walking', 'walking'],
    ['hiking', 'hiking'],
    ['swimming', 'swimming'],
    ['Other', 'generic'],
    ['example type', 'generic'],
    ['', 'generic'],
    ['__proto__', 'generic'],
    ['constructor', 'generic'],
  ])('%j → %s', (label, sport) => {
    expect(sportFromLabel(label)).toBe(sport);
  });

  it.each([
    ['Trail Running', 'running', 'trail'],
    ['treadmill_running', 'running', 'treadmill'],
    ['VirtualRun', 'running', 'virtual_activity'],
    ['road-biking', 'cycling', 'road'],
    ['VirtualRide', 'cycling', 'virtual_activity'],
    ['open_water_swimming', 'swimming', 'open_water'],
    ['running', 'running', 'generic'],
    ['9', 'running', 'generic'],
    ['Other', 'generic', 'generic'],
  ])('labelToSport(%j) → %s / %s', (label, sport, subSport) => {
    expect(labelToSport(label)).toEqual({ sport, subSport });
  });

  it('a <type> with a sub-sport reaches the activity', async () => {
    const a = await one(encodeGpx(runSpec({ n: 10, sport: 'trail_running' })));
    expect([a.sport, a.subSport]).toEqual(['running', 'trail']);
  });

  it('takes the sport from the track name when there is no <type> (TomTom "RUNNING", Strava "Morning Run")', async () => {
    const a = await one(encodeGpx(runSpec({ n: 10, name: 'RUNNING' }), { writeType: false }));
    expect([a.sport, a.sportSource]).toEqual(['running', 'name']);
    const b = await one(encodeGpx(runSpec({ n: 10, name: 'Morning Run' }), { writeType: false }));
    expect([b.sport, b.sportSource]).toEqual(['running', 'name']);
    const c = await one(encodeGpx(runSpec({ n: 10, sport: 'trail_running' })));
    expect(c.sportSource).toBe('file');
  });
});

describe('GPX: files that are not activities', () => {
  it('routes only → NOT_AN_ACTIVITY', async () => {
    const text = '<gpx version="1.1" creator="t"><rte><rtept lat="46" lon="7"/><rtept lat="46.1" lon="7"/></rte></gpx>';
    expect(await codeOf(parse(text))).toBe('NOT_AN_ACTIVITY');
  });
  it('waypoints only → NOT_AN_ACTIVITY', async () => {
    expect(await codeOf(parse('<gpx version="1.1" creator="t"><wpt lat="46" lon="7"><name>Hut</name></wpt></gpx>'))).toBe('NOT_AN_ACTIVITY');
  });
  it('a track with an empty <trkseg/> → NO_DATA', async () => {
    expect(await codeOf(parse('<gpx version="1.1" creator="t"><trk><name>x</name><trkseg/></trk></gpx>'))).toBe('NO_DATA');
  });
  it('an empty track beside a full one is dropped', async () => {
    const text = encodeGpx([runSpec({ n: 5 }), runSpec({ n: 7 })]).replace('<trk>', '<trk><trkseg></trkseg></trk><trk>');
    const acts = await parse(text);
    expect(acts.map((a) => a.samples.length)).toEqual([5, 7]);
  });
  it('a forced GPX parse of a TCX → UNKNOWN_FORMAT', async () => {
    expect(await codeOf(parse('<TrainingCenterDatabase/>', { format: 'gpx' }))).toBe('UNKNOWN_FORMAT');
  });
});

describe('GPX: damaged files', () => {
  const full = encodeGpx(runSpec({ n: 40 }));

  it('malformed before any point → INVALID_XML', async () => {
    expect(await codeOf(parse('<gpx version="1.1"><trk><trkseg><trkpt lat="1" lon="2"><time>x</tim></trkpt></trkseg></trk></gpx>'))).toBe('INVALID_XML');
    expect(await codeOf(parse('<gpx version="1.1" creator="a&b"><trk/></gpx>'))).toBe('INVALID_XML');
  });

  it('cut short: keeps every point before the cut, warning TRUNCATED', async () => {
    const cut = full.indexOf('<trkpt', full.indexOf('<trkpt') + 1 + 1000) + 20; // inside some later point
    const prefix = full.slice(0, cut);
    const complete = prefix.split('</trkpt>').length - 1;
    const a = await one(prefix);
    expect(a.samples.length).toBe(complete);
    expect(warningCodes(a)).toContain('TRUNCATED');
    expect(a.samples.heartRateBpm[complete - 1]).toBe(140 + ((complete - 1) % 5));
  });

  it('property: any cut keeps exactly the points closed before it', async () => {
    const firstClose = full.indexOf('</trkpt>') + '</trkpt>'.length;
    const end = full.indexOf('</gpx>');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: full.length - 1 }), async (cut) => {
        const prefix = full.slice(0, cut);
        // The format is forced: a cut before the root element leaves nothing to detect.
        if (cut < firstClose) {
          expect(await codeOf(parse(prefix, { format: 'gpx' }))).toBe('INVALID_XML');
          return;
        }
        const a = await one(prefix, { format: 'gpx' });
        expect(a.samples.length).toBe(prefix.split('</trkpt>').length - 1);
        if (cut < end) expect(warningCodes(a)).toContain('TRUNCATED');
      }),
      { numRuns: 150 },
    );
  });

  it('junk after the root keeps everything, warning TRAILING_CONTENT', async () => {
    const a = await one(`${full}<garbage/>`);
    expect(a.samples.length).toBe(40);
    expect(warningCodes(a)).toEqual(['TRAILING_CONTENT']);
  });

  it('an undefined entity before any point → INVALID_XML', async () => {
    expect(await codeOf(parse('<gpx version="1.1"><trk><name>&nbsp;</name></trk></gpx>'))).toBe('INVALID_XML');
  });

  it('whitespace and a BOM before the declaration are accepted', async () => {
    const a = await one(`\uFEFF\n\n   ${encodeGpx(runSpec({ n: 5 }))}`);
    expect(a.samples.length).toBe(5);
  });
});

describe('GPX: limits', () => {
  it('more samples than maxSamplesPerActivity → TOO_MANY_SAMPLES; exactly the limit is fine', async () => {
    const text = encodeGpx(runSpec({ n: 11 }));
    expect(await codeOf(parse(text, { limits: { maxSamplesPerActivity: 10 } }))).toBe('TOO_MANY_SAMPLES');
    expect((await one(text, { limits: { maxSamplesPerActivity: 11 } })).samples.length).toBe(11);
  });
});

describe('GPX: writer → parser round trip (property)', () => {
  it('keeps counts, times, positions, heart rate and cadence', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 12, max: 80 }),
        fc.double({ min: 2.2, max: 5.5, noNaN: true }),
        fc.integer({ min: 80, max: 95 }),
        fc.constantFrom<'gpxtpx' | 'ns3' | ''>('gpxtpx', 'ns3', ''),
        fc.boolean(),
        async (n, speed, strides, prefix, minified) => {
          const spec = runSpec({ n, speedMps: speed, cadenceSpm: () => strides * 2 });
          const a = await one(encodeGpx(spec, { extensionPrefix: prefix, cadenceAs: 'strides', minified }));
          expect(a.samples.length).toBe(n);
          for (let i = 0; i < n; i++) {
            expect(a.samples.timeS[i]).toBe(i);
            expect(Math.abs(a.samples.latDeg[i]! - spec.latDeg![i]!)).toBeLessThan(1e-7);
            expect(a.samples.cadenceSpm[i]).toBe(strides * 2);
            expect(a.samples.heartRateBpm[i]).toBe(140 + (i % 5));
          }
          // Distance: n − 1 steps of `speed` metres, each off by at most the 7-decimal rounding (≈ 1 cm).
          expect(Math.abs(a.samples.distanceM[n - 1]! - (n - 1) * speed)).toBeLessThan(0.011 * n);
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('GPX: many tracks', () => {
  it('empty tracks cost nothing and keep the index in file of the tracks that follow', async () => {
    const text = encodeGpx([runSpec({ n: 5 }), runSpec({ n: 6 })]).replace('<trk>', `${'<trk><trkseg/></trk>'.repeat(5000)}<trk>`);
    const acts = await parse(text);
    expect(acts.map((a) => a.source.indexInFile)).toEqual([5000, 5001]);
  });

  it('more non-empty tracks than maxActivitiesPerFile → TOO_MANY_ACTIVITIES', async () => {
    const text = encodeGpx(Array.from({ length: 4 }, () => runSpec({ n: 2 })));
    expect(await codeOf(parse(text, { limits: { maxActivitiesPerFile: 3 } }))).toBe('TOO_MANY_ACTIVITIES');
    expect(await parse(text, { limits: { maxActivitiesPerFile: 4 } })).toHaveLength(4);
  });
});

describe('GPX: impossible values', () => {
  it('values outside physical ranges become NaN with warning INVALID_VALUES_DROPPED', async () => {
    // 1e39 overflows a Float32 column to Infinity; 400 bpm and −5 m/s are impossible.
    const text = encodeGpx({ ...runSpec({ n: 12 }), speedMps: Array(12).fill(3) })
      .replace('<ele>500</ele>', '<ele>1e39</ele>')
      .replace('<gpxtpx:hr>141</gpxtpx:hr>', '<gpxtpx:hr>400</gpxtpx:hr>')
      .replace(/<gpxtpx:speed>3<\/gpxtpx:speed>/, '<gpxtpx:speed>-5</gpxtpx:speed>');
    const a = await one(text);
    expect(a.samples.altitudeM[0]).toBeNaN();
    expect(a.samples.heartRateBpm[1]).toBeNaN();
    expect(a.samples.speedMps[0]).toBeNaN();
    expect(a.samples.altitudeM[1]).toBe(501);
    expect(a.warnings.find((w) => w.code === 'INVALID_VALUES_DROPPED')?.message).toMatch(/^3 values/);
  });
});

describe('GPX: names', () => {
  it('a track without <name> takes the file name from <metadata><name>; its own name wins', async () => {
    const text = encodeGpx([runSpec({ n: 3 }), runSpec({ n: 3, name: 'Own' })]).replace('<metadata>', '<metadata><name>Lake loop</name>');
    const acts = await parse(text);
    expect(acts.map((a) => a.name)).toEqual(['Lake loop', 'Own']);
  });
});

describe('GPX: hand-written Strava-style file (fixtures/gpx/strava-steps.gpx)', () => {
  it('reads it as written: blank lines before the declaration, type 9, cadence in steps', async () => {
    const bytes = new Uint8Array(readFileSync(new URL('../../fixtures/gpx/strava-steps.gpx', import.meta.url)));
    const [a, ...rest] = await parseActivities(bytes, { fileName: 'strava-steps.gpx' });
    expect(rest).toHaveLength(0);
    expect(a!.sport).toBe('running');
    expect(a!.name).toBe('Saturday Morning Run');
    expect(a!.source.creator).toBe('StravaGPX');
    expect(a!.startTime?.toISOString()).toBe('2023-03-04T07:30:00.000Z');
    expect(a!.samples.length).toBe(12);
    // cad alternates 172 / 174 and is already steps/min (Strava): kept as is.
    expect(a!.cadence.detected).toBe('steps');
    expect(Array.from(a!.samples.cadenceSpm.slice(0, 3))).toEqual([172, 174, 172]);
    expect(a!.samples.heartRateBpm[11]).toBe(141); // 130 + 11
    expect(a!.samples.altitudeM[5]).toBeCloseTo(13, 5); // 12.0 + 5 × 0.2
    // 11 steps of 0.000027° along a meridian: 11 × 0.000027 × 111,195.08 m = 33.0249 m.
    expect(a!.samples.distanceM[11]).toBeCloseTo(33.0249, 3);
    expect(a!.samples.speedMps[6]).toBeCloseTo(3.00227, 4); // (d7 − d5) / 2 s
  });
});

describe('GPX: invariants (property)', () => {
  it('known times never decrease and every point is kept, whatever order the file has', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.integer({ min: 0, max: 600 }), fc.constant(Number.NaN)), { minLength: 1, maxLength: 40 }), async (times) => {
        const n = times.length;
        const a = await one(encodeGpx({ ...runSpec({ n }), timeS: times }));
        expect(a.samples.length).toBe(n);
        let last = Number.NEGATIVE_INFINITY;
        for (let i = 0; i < n; i++) {
          const t = a.samples.timeS[i]!;
          if (Number.isNaN(t)) continue;
          expect(t).toBeGreaterThanOrEqual(last);
          expect(t).toBeGreaterThanOrEqual(0);
          last = t;
        }
      }),
      { numRuns: 60 },
    );
  });

  it('does not modify the input bytes', async () => {
    const bytes = new TextEncoder().encode(encodeGpx(runSpec({ n: 10 })));
    const copy = bytes.slice();
    await parseActivities(bytes);
    expect(bytes).toEqual(copy);
  });
});
