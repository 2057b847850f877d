/**
 * Turns what the GPX and TCX readers collected (an {@link ActivityDraft})
 * into a finished {@link Activity}: relative times, cleaned positions,
 * distance and speed where the file gave none, cadence unit detection,
 * pauses between segments, laps and the device summary.
 */
import type { Activity, DeviceSummary, Lap, ParseWarning, Pause, SampleColumnName, Sport, SubSport } from '../../activity.js';
import { ParseError, type SourceFormat } from '../../errors.js';
import { normalizeCadence } from '../cadence.js';
import { measureSportEvidence, resolveSport, sportFields, statedSport } from '../sport.js';
import { dropImplausibleValues, dropInvalidPositions, SampleBuilder } from '../columns.js';
import type { ParseContext } from '../context.js';
import { deriveDistanceAndSpeed, haversineM } from '../geo.js';
import { makeActivityId } from '../id.js';
import { MAX_LAPS_PER_ACTIVITY } from '../limits.js';
import type { XmlReadOutcome } from './reader.js';

/** A lap as read from the file, before times are made relative. */
export interface LapDraft {
  /** Lap start, ms since the epoch (NaN if absent). */
  startMs: number;
  /** Timer time in seconds (NaN if absent). */
  timerTimeS: number;
  distanceM: number;
  /** Average cadence in the file's unit (NaN if absent; 0 is read as absent). */
  avgCadenceRaw: number;
  maxCadenceRaw: number;
  avgHeartRateBpm: number;
}

/** What a format reader collected for one activity. */
export interface ActivityDraft {
  readonly format: SourceFormat;
  readonly indexInFile: number;
  sport: Sport;
  subSport: SubSport;
  name?: string;
  creator?: string;
  /**
   * Samples. While reading, the `timeS` column holds **milliseconds since the
   * epoch** and `cadenceSpm` the raw cadence in the file's unit.
   */
  readonly samples: SampleBuilder;
  /** Sample indices at which a new GPX `<trkseg>` / TCX `<Track>` begins. */
  readonly segmentStarts: number[];
  readonly laps: LapDraft[];
  /** Start time the file declares for the activity (TCX `Id`), ms since the epoch; NaN if none. */
  declaredStartMs: number;
  /** Start time used only when no sample has a time (GPX `<metadata><time>`), ms; NaN if none. */
  fallbackStartMs: number;
  readonly warnings: ParseWarning[];
}

/**
 * Creates an empty draft (sub-sport `generic`, no start time).
 *
 * @example const track = createDraft('gpx', 0, 'running');
 */
export function createDraft(format: SourceFormat, indexInFile: number, sport: Sport): ActivityDraft {
  return {
    format,
    indexInFile,
    sport,
    subSport: 'generic',
    samples: new SampleBuilder(256),
    segmentStarts: [],
    laps: [],
    declaredStartMs: Number.NaN,
    fallbackStartMs: Number.NaN,
    warnings: [],
  };
}

/**
 * Appends `draft` to `drafts`. A previous draft without samples is removed
 * first (it would be dropped at the end anyway), so a file of many empty
 * tracks costs no memory; more than `limits.maxActivitiesPerFile` activities
 * with samples fail early with `TOO_MANY_ACTIVITIES`.
 *
 * @example pushDraft(sink.drafts, createDraft('tcx', sink.seen++, 'running'), ctx);
 */
export function pushDraft(drafts: ActivityDraft[], draft: ActivityDraft, ctx: ParseContext): void {
  const last = drafts[drafts.length - 1];
  if (last !== undefined && last.samples.length === 0) drafts.pop();
  if (drafts.length >= ctx.limits.maxActivitiesPerFile) {
    throw new ParseError(
      'TOO_MANY_ACTIVITIES',
      `the file holds more than ${ctx.limits.maxActivitiesPerFile} activities`,
      { format: draft.format },
    );
  }
  drafts.push(draft);
}

export { MAX_LAPS_PER_ACTIVITY };

/**
 * Adds a lap to `draft` unless it already holds {@link MAX_LAPS_PER_ACTIVITY}
 * (then warns once); returns the lap, or `undefined` when it was ignored.
 *
 * @example const lap = pushLap(draft, createLapDraft(parseIsoMs('2024-05-01T06:00:00Z')));
 */
export function pushLap(draft: ActivityDraft, lap: LapDraft): LapDraft | undefined {
  if (draft.laps.length >= MAX_LAPS_PER_ACTIVITY) {
    if (draft.laps.length === MAX_LAPS_PER_ACTIVITY && !draft.warnings.some((w) => w.code === 'TOO_MANY_LAPS')) {
      draft.warnings.push({ code: 'TOO_MANY_LAPS', message: `laps beyond the first ${MAX_LAPS_PER_ACTIVITY} were ignored` });
    }
    return undefined;
  }
  draft.laps.push(lap);
  return lap;
}

/**
 * Creates an empty lap draft starting at `startMs` (ms since the epoch), every
 * other field NaN until the file provides it.
 *
 * @example createLapDraft(Date.UTC(2024, 4, 1, 6)).timerTimeS // NaN
 */
export function createLapDraft(startMs: number): LapDraft {
  return {
    startMs,
    timerTimeS: Number.NaN,
    distanceM: Number.NaN,
    avgCadenceRaw: Number.NaN,
    maxCadenceRaw: Number.NaN,
    avgHeartRateBpm: Number.NaN,
  };
}

/**
 * Starts a new sample in `draft`, refusing to go over
 * `ctx.limits.maxSamplesPerActivity` (`TOO_MANY_SAMPLES`). Returns the new
 * sample's index.
 *
 * @example const i = addSample(draft, ctx); draft.samples.set('heartRateBpm', i, 150);
 */
export function addSample(draft: ActivityDraft, ctx: ParseContext): number {
  if (draft.samples.length >= ctx.limits.maxSamplesPerActivity) {
    throw new ParseError(
      'TOO_MANY_SAMPLES',
      `activity ${draft.indexInFile} holds more than ${ctx.limits.maxSamplesPerActivity} samples`,
      { format: draft.format },
    );
  }
  if (ctx.samplesInFile.count >= ctx.limits.maxSamplesPerFile) {
    throw new ParseError('TOO_MANY_SAMPLES', `the file holds more than ${ctx.limits.maxSamplesPerFile} samples`, {
      format: draft.format,
    });
  }
  ctx.samplesInFile.count++;
  return draft.samples.add();
}

/**
 * Marks that a new segment (GPX `<trkseg>`, TCX `<Track>`) starts with the
 * next sample. Nothing is recorded before the first sample or twice at the
 * same index (empty segments).
 *
 * @example startSegment(draft); // on <trkseg>
 */
export function startSegment(draft: ActivityDraft): void {
  const at = draft.samples.length;
  const last = draft.segmentStarts[draft.segmentStarts.length - 1];
  if (at > 0 && last !== at) draft.segmentStarts.push(at);
}

function finite(v: number): boolean {
  return Number.isFinite(v);
}

/** Weighted mean of `values` (weights `weights`), skipping non-finite or non-positive values. */
function weightedMean(values: readonly number[], weights: readonly number[]): number {
  let sum = 0;
  let w = 0;
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    const wk = finite(weights[k]!) && weights[k]! > 0 ? weights[k]! : 0;
    if (finite(v) && v > 0 && wk > 0) {
      sum += v * wk;
      w += wk;
    }
  }
  if (w > 0) return sum / w;
  // No usable weights: plain mean of the usable values.
  const usable = values.filter((v) => finite(v) && v > 0);
  return usable.length > 0 ? usable.reduce((a, b) => a + b, 0) / usable.length : Number.NaN;
}

/** Largest gap between a declared start (TCX `Id`) and the first sample still read as the same start. */
const MAX_START_LEAD_MS = 3_600_000;

/**
 * Finishes a draft into an {@link Activity}.
 *
 * - Times: the start is the declared start (TCX `Id`) when the first timed
 *   sample lies at or up to an hour after it, else the first timed sample
 *   (warning `START_TIME_MISMATCH`, e.g. an `Id` in the wrong time zone). A
 *   sample whose time goes back before the previous timed sample loses its
 *   time (warning `TIME_BACKWARDS`), so `timeS` stays non-decreasing.
 *   No time at all: `timeS` is all NaN and `startTime` is the fallback
 *   (GPX metadata time) or `undefined` (warning `NO_TIME`). Some samples
 *   without time: warning `PARTIAL_TIME`.
 * - Positions outside ±90/±180, half-given, or exactly (0, 0) (a placeholder
 *   some writers put where there is no fix) become NaN
 *   (warning `INVALID_POSITION_DROPPED`). A running activity without any
 *   position gets sub-sport `treadmill` (GPX and TCX carry no sub-sport;
 *   Garmin's treadmill TCX is a Running activity without `<Position>`), so
 *   analysis treats its distance as estimated and skips downhill analysis.
 * - Sport: the file's label, else the name, else the data
 *   ({@link resolveSport}), decided before the cadence unit.
 * - Distance, when the file gives none, is the haversine sum within each
 *   segment: the gap between segments (a pause) adds nothing. Speed, when
 *   the file gives none, is derived by {@link deriveDistanceAndSpeed}.
 * - Values outside wide physical ranges (altitude −1 km…10 km, heart rate
 *   0…300, raw cadence 0…500, power 0…5 kW, speed 0…200 m/s, distance
 *   0…50,000 km, temperature −90…70 °C) become NaN (warning
 *   `INVALID_VALUES_DROPPED`); heart rate 0 (no strap reading) too, silently.
 * - Cadence goes through {@link normalizeCadence} (card C0); raw 0 becomes NaN there.
 * - Each segment boundary with time advancing across it is a {@link Pause}.
 *
 * @example const activity = finishActivity(draft, ctx); // activity.samples.timeS[0] === 0
 */
export function finishActivity(draft: ActivityDraft, ctx: ParseContext): Activity {
  const c = draft.samples.finish();
  const n = c.length;
  const warnings: ParseWarning[] = [...draft.warnings];

  // Times: epoch ms → seconds since start.
  let lastMs = Number.NEGATIVE_INFINITY;
  let firstMs = Number.NaN;
  let timed = 0;
  let backwards = 0;
  for (let i = 0; i < n; i++) {
    const t = c.timeS[i]!;
    if (Number.isNaN(t)) continue;
    if (t < lastMs) {
      c.timeS[i] = Number.NaN;
      backwards++;
      continue;
    }
    if (timed === 0) firstMs = t;
    lastMs = t;
    timed++;
  }
  let startMs = Number.NaN;
  if (timed > 0) {
    const declared = draft.declaredStartMs;
    if (finite(declared) && firstMs >= declared && firstMs - declared <= MAX_START_LEAD_MS) {
      startMs = declared;
    } else {
      startMs = firstMs;
      if (finite(declared)) {
        warnings.push({
          code: 'START_TIME_MISMATCH',
          message: `the declared start ${new Date(declared).toISOString()} does not match the first sample at ${new Date(firstMs).toISOString()}; the first sample is used`,
        });
      }
    }
    for (let i = 0; i < n; i++) c.timeS[i] = (c.timeS[i]! - startMs) / 1000;
    if (timed + backwards < n) {
      warnings.push({ code: 'PARTIAL_TIME', message: `${n - timed - backwards} of ${n} points have no time` });
    }
    if (backwards > 0) {
      warnings.push({
        code: 'TIME_BACKWARDS',
        message: `${backwards} points had a time earlier than the point before; their time was dropped`,
      });
    }
  } else {
    startMs = finite(draft.declaredStartMs) ? draft.declaredStartMs : draft.fallbackStartMs;
    c.timeS.fill(Number.NaN);
    warnings.push({
      code: 'NO_TIME',
      message: 'no point has a time: durations, speeds and time-based measures cannot be computed',
    });
  }

  // Positions.
  dropInvalidPositions(c, n, warnings, 'points');

  // Values outside physical ranges (and heart rate 0, written where the strap
  // had no reading) are garbage, not measurements.
  dropImplausibleValues((name) => c[name], n, warnings);

  // Distance within segments, then speed.
  let hasDistance = false;
  for (let i = 0; i < n && !hasDistance; i++) if (!Number.isNaN(c.distanceM[i]!)) hasDistance = true;
  if (!hasDistance) {
    let total = 0;
    let lastLat = Number.NaN;
    let lastLon = Number.NaN;
    let seg = 0;
    for (let i = 0; i < n; i++) {
      if (seg < draft.segmentStarts.length && draft.segmentStarts[seg] === i) {
        seg++;
        lastLat = Number.NaN;
        lastLon = Number.NaN;
      }
      const lat = c.latDeg[i]!;
      const lon = c.lonDeg[i]!;
      if (Number.isNaN(lat)) continue;
      if (!Number.isNaN(lastLat)) total += haversineM(lastLat, lastLon, lat, lon);
      lastLat = lat;
      lastLon = lon;
      c.distanceM[i] = total;
    }
  }
  deriveDistanceAndSpeed(c);

  // Sport (file label, then name, then the data), decided before the cadence unit.
  const resolved = resolveSport({
    file: { sport: draft.sport, subSport: draft.subSport },
    ...(draft.name !== undefined && draft.name !== '' ? { name: draft.name } : {}),
    ...(draft.sport === 'generic' && n > 0 ? { evidence: measureSportEvidence(c, c.cadenceSpm) } : {}),
  });
  // A run without a single position is an indoor run: GPX/TCX have no sub-sport,
  // and Garmin's treadmill TCX is a Running activity without <Position>.
  let subSport = resolved.subSport;
  if (resolved.sport === 'running' && subSport === 'generic' && n > 0) {
    let anyPosition = false;
    for (let i = 0; i < n && !anyPosition; i++) if (!Number.isNaN(c.latDeg[i]!)) anyPosition = true;
    if (!anyPosition) subSport = 'treadmill';
  }

  // Cadence.
  const { cadenceSpm, detection } = normalizeCadence(c.cadenceSpm, c.speedMps, {
    sport: resolved.sport,
    subSport,
    format: draft.format,
    override: ctx.cadenceUnit,
  });
  c.cadenceSpm.set(cadenceSpm);

  // Pauses between segments.
  const pauses: Pause[] = [];
  for (const s of draft.segmentStarts) {
    let before = Number.NaN;
    for (let i = s - 1; i >= 0; i--) {
      if (!Number.isNaN(c.timeS[i]!)) {
        before = c.timeS[i]!;
        break;
      }
    }
    let after = Number.NaN;
    for (let i = s; i < n; i++) {
      if (!Number.isNaN(c.timeS[i]!)) {
        after = c.timeS[i]!;
        break;
      }
    }
    if (after > before) pauses.push({ startS: before, endS: after });
  }

  // Laps (TCX) and the device summary built from them.
  const factor = detection.factor;
  let lastTimeS = Number.NaN;
  for (let i = n - 1; i >= 0; i--) {
    if (!Number.isNaN(c.timeS[i]!)) {
      lastTimeS = c.timeS[i]!;
      break;
    }
  }
  const laps: Lap[] = draft.laps.map((l, k) => {
    const startS = finite(l.startMs) && finite(startMs) ? (l.startMs - startMs) / 1000 : Number.NaN;
    const next = draft.laps[k + 1];
    let endS = next !== undefined && finite(next.startMs) && finite(startMs) ? (next.startMs - startMs) / 1000 : Number.NaN;
    if (next === undefined) {
      const byTimer = startS + l.timerTimeS;
      endS = finite(lastTimeS) && (!finite(byTimer) || lastTimeS > byTimer) ? lastTimeS : byTimer;
    }
    return {
      startS,
      endS,
      timerTimeS: l.timerTimeS,
      distanceM: l.distanceM,
      avgCadenceSpm: l.avgCadenceRaw > 0 ? l.avgCadenceRaw * factor : Number.NaN,
    };
  });
  const deviceSummary = summariseLaps(draft.laps, laps, factor);

  const startTime = finite(startMs) ? new Date(startMs) : undefined;
  return {
    id: makeActivityId(draft.format, startTime, statedSport(draft, draft.name), draft.indexInFile, ctx.contentHash),
    ...sportFields({ ...resolved, subSport }),
    startTime,
    ...(draft.name !== undefined && draft.name !== '' ? { name: draft.name } : {}),
    source: {
      format: draft.format,
      ...(ctx.fileName !== undefined ? { fileName: ctx.fileName } : {}),
      ...(draft.creator !== undefined && draft.creator !== '' ? { creator: draft.creator } : {}),
      indexInFile: draft.indexInFile,
    },
    samples: c,
    laps,
    pauses,
    cadence: detection,
    deviceSummary,
    warnings,
  };
}

type MutableSummary = { -readonly [K in keyof DeviceSummary]: DeviceSummary[K] };

function summariseLaps(drafts: readonly LapDraft[], laps: readonly Lap[], factor: 1 | 2): DeviceSummary {
  const out: MutableSummary = {};
  if (drafts.length === 0) return out;
  const dist = drafts.map((l) => l.distanceM).filter(finite);
  if (dist.length > 0) out.totalDistanceM = dist.reduce((a, b) => a + b, 0);
  const timer = drafts.map((l) => l.timerTimeS).filter(finite);
  if (timer.length > 0) out.timerTimeS = timer.reduce((a, b) => a + b, 0);
  const first = laps[0]!;
  const last = laps[laps.length - 1]!;
  if (finite(first.startS) && finite(last.endS) && last.endS >= first.startS) out.elapsedTimeS = last.endS - first.startS;
  const weights = drafts.map((l) => l.timerTimeS);
  const cad = weightedMean(
    drafts.map((l) => l.avgCadenceRaw),
    weights,
  );
  if (finite(cad)) out.avgCadenceSpm = cad * factor;
  const maxCad = drafts.reduce((m, l) => (finite(l.maxCadenceRaw) && l.maxCadenceRaw > m ? l.maxCadenceRaw : m), Number.NEGATIVE_INFINITY);
  if (finite(maxCad) && maxCad > 0) out.maxCadenceSpm = maxCad * factor;
  const hr = weightedMean(
    drafts.map((l) => l.avgHeartRateBpm),
    weights,
  );
  if (finite(hr)) out.avgHeartRateBpm = hr;
  if (out.totalDistanceM !== undefined && out.timerTimeS !== undefined && out.timerTimeS > 0) {
    out.avgSpeedMps = out.totalDistanceM / out.timerTimeS;
  }
  return out;
}

/**
 * Ends a document: applies the reading outcome, drops activities without
 * samples and finishes the rest.
 *
 * - Malformed XML after the root closed: everything is kept, warning
 *   `TRAILING_CONTENT`.
 * - Malformed XML inside the document (a file cut short, or damaged): the
 *   sample being read at the error (`openPoint`) is dropped, every sample
 *   before it is kept and the last activity gets warning `TRUNCATED`; with no
 *   sample before the error, `INVALID_XML`.
 * - No activity with samples: the error `whenEmpty` returns.
 *
 * @example
 * return finishDocument('gpx', outcome, sink.drafts, openPoint, ctx, () => new ParseError('NO_DATA', 'no points'));
 */
export function finishDocument(
  format: SourceFormat,
  outcome: XmlReadOutcome,
  drafts: readonly ActivityDraft[],
  openPoint: ActivityDraft | undefined,
  ctx: ParseContext,
  whenEmpty: () => ParseError,
): Activity[] {
  const where = ctx.fileName !== undefined ? ` (${ctx.fileName})` : '';
  if (!outcome.ok) {
    if (!outcome.afterRoot) openPoint?.samples.pop();
    const withSamples = drafts.filter((d) => d.samples.length > 0);
    const last = withSamples[withSamples.length - 1];
    if (last === undefined) {
      throw new ParseError('INVALID_XML', `the ${format.toUpperCase()} is not well-formed XML${where}: ${outcome.message}`, {
        format,
      });
    }
    if (outcome.afterRoot) {
      last.warnings.push({ code: 'TRAILING_CONTENT', message: `content after the end of the document was ignored: ${outcome.message}` });
    } else {
      const kept = withSamples.reduce((a, d) => a + d.samples.length, 0);
      last.warnings.push({
        code: 'TRUNCATED',
        message: `the file is cut short or damaged (${outcome.message}); the ${kept} ${kept === 1 ? 'point' : 'points'} before it were kept`,
      });
    }
  }
  const kept = drafts.filter((d) => d.samples.length > 0);
  if (kept.length === 0) throw whenEmpty();
  return kept.map((d) => finishActivity(d, ctx));
}
