/**
 * fast-check arbitraries for valid-but-strange recordings, written through the
 * project's fixture writers: gaps, duplicated and backward times, missing
 * values, extreme values, several sports and sessions, every cadence encoding.
 * The writers produce well-formed files; the strangeness is in the data.
 */
import fc from 'fast-check';
import { encodeFitActivity, type FitActivitySpec, type FitCadenceEncoding, type FitSessionSpec } from '../../fixtures/lib/fit-writer.js';
import { encodeGpx, type GpxWriteOptions, type RecordingSpec } from '../../fixtures/lib/gpx-writer.js';
import { encodeTcx, type TcxWriteOptions } from '../../fixtures/lib/tcx-writer.js';

const START = Date.UTC(2024, 4, 27, 6, 0, 0);

/** A value that is usually plausible, sometimes missing, sometimes absurd. */
function column(plausible: fc.Arbitrary<number>, absurd: readonly number[]): fc.Arbitrary<number> {
  return fc.oneof(
    { arbitrary: plausible, weight: 12 },
    { arbitrary: fc.constant(Number.NaN), weight: 2 },
    { arbitrary: fc.constantFrom(...absurd), weight: 1 },
  );
}

/** Time steps between samples in seconds: mostly 1, some 0 (duplicates), gaps, jumps of days, and steps back. */
const timeStep = fc.oneof(
  { arbitrary: fc.constant(1), weight: 20 },
  { arbitrary: fc.integer({ min: 0, max: 10 }), weight: 4 },
  { arbitrary: fc.integer({ min: 60, max: 4000 }), weight: 1 },
  { arbitrary: fc.constant(3 * 86400), weight: 1 },
  { arbitrary: fc.integer({ min: -5, max: -1 }), weight: 1 },
);

/** Per-sample arrays of `n` samples, SI units plus steps/min. */
export interface Columns {
  readonly timeS: number[];
  readonly distanceM: number[];
  readonly speedMps: number[];
  readonly altitudeM: number[];
  readonly latDeg: number[];
  readonly lonDeg: number[];
  readonly cadenceSpm: number[];
  readonly heartRateBpm: number[];
  readonly powerW: number[];
}

/** Recording columns with strange data; `maxSamples` bounds the size. */
export function columns(maxSamples: number): fc.Arbitrary<Columns> {
  return fc.integer({ min: 0, max: maxSamples }).chain((n) =>
    fc
      .record({
        steps: fc.array(timeStep, { minLength: n, maxLength: n }),
        speed: fc.array(column(fc.double({ min: 0, max: 7, noNaN: true }), [0, 60, 1e6]), { minLength: n, maxLength: n }),
        alt: fc.array(column(fc.double({ min: -50, max: 3000, noNaN: true }), [-1e4, 9000, 1e9]), { minLength: n, maxLength: n }),
        cad: fc.array(column(fc.double({ min: 120, max: 200, noNaN: true }), [0, 1, 255, 400, 1e5]), { minLength: n, maxLength: n }),
        hr: fc.array(column(fc.integer({ min: 60, max: 200 }), [0, 254, 255, 1000]), { minLength: n, maxLength: n }),
        power: fc.array(column(fc.integer({ min: 0, max: 600 }), [65534, 1e6]), { minLength: n, maxLength: n }),
        // glitches: no fix, the (0, 0) placeholder, a fix at the pole, a fix on the date line
        gps: fc.array(fc.oneof({ arbitrary: fc.constant('ok'), weight: 10 }, { arbitrary: fc.constantFrom('missing', 'zero', 'pole', 'wrap'), weight: 1 }), {
          minLength: n,
          maxLength: n,
        }),
      })
      .map(({ steps, speed, alt, cad, hr, power, gps }) => {
        const timeS: number[] = [];
        const distanceM: number[] = [];
        const latDeg: number[] = [];
        const lonDeg: number[] = [];
        let t = 0;
        let d = 0;
        for (let i = 0; i < n; i++) {
          t = Math.max(0, i === 0 ? 0 : t + steps[i]!);
          const v = speed[i]!;
          d += Number.isFinite(v) && v < 20 ? v : 3;
          timeS.push(t);
          distanceM.push(d);
          const g = gps[i]!;
          latDeg.push(g === 'missing' ? Number.NaN : g === 'zero' ? 0 : g === 'pole' ? 90 : 48 + d / 111_195);
          lonDeg.push(g === 'missing' ? Number.NaN : g === 'zero' ? 0 : g === 'wrap' ? -180 : 11);
        }
        return { timeS, distanceM, speedMps: speed, altitudeM: alt, latDeg, lonDeg, cadenceSpm: cad, heartRateBpm: hr, powerW: power };
      }),
  );
}

const SPORTS = ['running', 'cycling', 'walking', 'hiking', 'swimming', 'generic', 'training', 'rowing'] as const;
const SUB_SPORTS = ['generic', 'treadmill', 'trail', 'track', 'street', 'indoor_cycling'] as const;

/** A generated FIT activity (the spec is kept for the label). */
export interface GeneratedFit {
  readonly bytes: Uint8Array;
  readonly label: string;
}

/** Valid FIT files with strange data: several sessions, pauses, every cadence encoding, summaries before records. */
export function fitFile(maxSamples = 120): fc.Arbitrary<GeneratedFit> {
  return fc
    .record({
      cols: columns(maxSamples),
      sport: fc.constantFrom(...SPORTS),
      subSport: fc.constantFrom(...SUB_SPORTS),
      cadenceEncoding: fc.constantFrom<FitCadenceEncoding | undefined>(undefined, 'strides', 'strides-integer', 'steps', 'cadence256', 'raw'),
      enhanced: fc.boolean(),
      summaryFirst: fc.boolean(),
      compressedSpeedDistance: fc.boolean(),
      writeActivity: fc.boolean(),
      sessions: fc.integer({ min: 0, max: 4 }),
      sessionSports: fc.array(fc.constantFrom(...SPORTS), { minLength: 4, maxLength: 4 }),
      pauses: fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 100 })), { maxLength: 3 }),
      utcOffsetMin: fc.option(fc.integer({ min: -900, max: 900 }), { nil: undefined }),
      clockUnset: fc.boolean(),
    })
    .map((g) => {
      const t = g.cols.timeS;
      const last = t.length > 0 ? t[t.length - 1]! : 0;
      let sessions: FitSessionSpec[] | undefined;
      if (g.sessions !== 1) {
        sessions = [];
        const k = g.sessions;
        for (let s = 0; s < k; s++) {
          sessions.push({ sport: g.sessionSports[s]!, startS: Math.floor((last * s) / k), endS: Math.floor((last * (s + 1)) / k) });
        }
      }
      const spec: FitActivitySpec = {
        startTime: new Date(g.clockUnset ? Date.UTC(1990, 0, 1) : START),
        sport: g.sport,
        subSport: g.subSport,
        samples: g.cols,
        ...(g.cadenceEncoding !== undefined ? { cadenceEncoding: g.cadenceEncoding } : {}),
        enhanced: g.enhanced,
        summaryFirst: g.summaryFirst,
        compressedSpeedDistance: g.compressedSpeedDistance,
        writeActivity: g.writeActivity,
        ...(sessions !== undefined ? { sessions } : {}),
        pauses: g.pauses.reduce<{ startS: number; endS: number }[]>((acc, [gap, len]) => {
          const from = (acc.length > 0 ? acc[acc.length - 1]!.endS : 0) + gap + 1;
          return [...acc, { startS: from, endS: from + len }];
        }, []),
        ...(g.utcOffsetMin !== undefined ? { utcOffsetMin: g.utcOffsetMin } : {}),
      };
      const label = `FIT ${g.sport}/${g.subSport}, ${t.length} samples, ${g.sessions} session(s), cadence ${g.cadenceEncoding ?? 'default'}${g.enhanced ? ', enhanced' : ''}${g.summaryFirst ? ', summary first' : ''}${g.compressedSpeedDistance ? ', packed speed/distance' : ''}${g.clockUnset ? ', clock unset' : ''}`;
      return { bytes: encodeFitActivity(spec), label };
    });
}

/** One GPX/TCX recording with strange data. */
export function recording(maxSamples = 120): fc.Arbitrary<RecordingSpec> {
  return fc
    .record({
      cols: columns(maxSamples),
      sport: fc.constantFrom(...SPORTS, 'Run', 'unknown-sport', ''),
      name: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
      segmentStarts: fc.array(fc.integer({ min: 1, max: maxSamples }), { maxLength: 3 }),
      noTime: fc.array(fc.boolean(), { maxLength: 3 }),
    })
    .map((g) => {
      const n = g.cols.timeS.length;
      const starts = [...new Set(g.segmentStarts.filter((s) => s < n))].sort((a, b) => a - b);
      const timeS = g.noTime.length === 3 && g.noTime.every(Boolean) ? g.cols.timeS.map(() => Number.NaN) : g.cols.timeS;
      return {
        startTime: new Date(START),
        sport: g.sport,
        ...(g.name !== undefined ? { name: g.name } : {}),
        ...g.cols,
        timeS,
        segmentStarts: starts,
      };
    });
}

/** A GPX file of 1–3 tracks with strange data, in any writer style. */
export function gpxFile(maxSamples = 120): fc.Arbitrary<{ text: string; label: string }> {
  return fc
    .record({
      recs: fc.array(recording(maxSamples), { minLength: 1, maxLength: 3 }),
      options: fc.record({
        cadenceAs: fc.constantFrom<'strides' | 'steps'>('strides', 'steps'),
        extensionPrefix: fc.constantFrom<'gpxtpx' | 'ns3' | ''>('gpxtpx', 'ns3', ''),
        minified: fc.boolean(),
        version: fc.constantFrom<'1.0' | '1.1'>('1.0', '1.1'),
        timePrecision: fc.constantFrom<'s' | 'ms'>('s', 'ms'),
        metadataTime: fc.boolean(),
        writeType: fc.boolean(),
        creator: fc.string({ maxLength: 12 }),
      }),
    })
    .map(({ recs, options }) => ({
      text: encodeGpx(recs, options satisfies GpxWriteOptions),
      label: `GPX ${options.version}, ${recs.length} track(s) of ${recs.map((r) => r.timeS.length).join('/')} points, prefix '${options.extensionPrefix}'${options.minified ? ', minified' : ''}`,
    }));
}

/** A TCX file of 1–3 activities with strange data. */
export function tcxFile(maxSamples = 120): fc.Arbitrary<{ text: string; label: string }> {
  return fc
    .record({
      recs: fc.array(recording(maxSamples), { minLength: 1, maxLength: 3 }),
      options: fc.record({
        cadenceAs: fc.constantFrom<'strides' | 'steps'>('strides', 'steps'),
        runCadenceElement: fc.constantFrom<'RunCadence' | 'Cadence'>('RunCadence', 'Cadence'),
        minified: fc.boolean(),
        creatorName: fc.string({ maxLength: 12 }),
      }),
    })
    .map(({ recs, options }) => ({
      text: encodeTcx(recs, options satisfies TcxWriteOptions),
      label: `TCX, ${recs.length} activit(ies) of ${recs.map((r) => r.timeS.length).join('/')} points${options.minified ? ', minified' : ''}`,
    }));
}
