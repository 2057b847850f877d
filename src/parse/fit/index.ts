/**
 * FIT parser: bytes of a FIT file (possibly chained, truncated or damaged)
 * into one {@link Activity} per FIT `session`.
 *
 * Pipeline: a structural scan ({@link scanFit}) splits chained files and finds
 * the last complete message of each; fit-file-parser decodes each part; this
 * module writes the records straight into typed-array columns, converts units
 * (mm → m, ms → s, strides → steps), drops invalid sentinels, splits
 * multisport files by session time, and merges appended heart-rate-only parts.
 */
import type {
  Activity,
  ActivitySource,
  CadenceDetection,
  DeviceSummary,
  Lap,
  ParseWarning,
  Pause,
  SampleColumns,
} from '../../activity.js';
import { ParseError } from '../../errors.js';
import { isFootSport, normalizeCadence, type CadenceContext } from '../cadence.js';
import { createColumns } from '../columns.js';
import type { ParseContext } from '../context.js';
import { makeActivityId } from '../id.js';
import { decodeFitPart, preparePartBytes, type DecodedFitPart, type FitMessage } from './decode.js';
import { expandHrMessages, FIT_EPOCH_MS, mergeHeartRate, packedByte, type HeartRateSeries } from './hr.js';
import { isFitHeaderAt, scanFit, type FitPartScan } from './scan.js';
import { getFitGarminProductName } from 'fit-file-parser';

export { scanFit, type FitPartScan, type FitScan, type FitScanProblem } from './scan.js';

/** FIT `date_time` values below 0x10000000 are device-relative (clock not set), FIT profile. */
const FIT_MIN_ABSOLUTE_MS = FIT_EPOCH_MS + 0x10000000 * 1000;
/** A forward gap between records larger than this is reported as a time jump. */
const TIME_JUMP_S = 3600;
const MAX_UTC_OFFSET_MIN = 14 * 60;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
}

function timeMs(v: unknown): number {
  return v instanceof Date ? v.getTime() : Number.NaN;
}

function enumName(v: unknown, fallback: string): string {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return fallback;
}

function isActivityFileType(t: unknown): boolean {
  return t === undefined || t === null || t === 'activity' || t === 4;
}

const HR_ONLY_KEYS = new Set(['timestamp', 'heart_rate']);

/** True when a record holds nothing but a timestamp and a heart rate. */
function isHeartRateOnlyRecord(r: FitMessage): boolean {
  for (const k in r) if (!HR_ONLY_KEYS.has(k)) return false;
  return true;
}

function isHeartRateOnlyPart(d: DecodedFitPart): boolean {
  if (d.sessions.length > 0) return false;
  if (d.hr.length === 0 && d.records.length === 0) return false;
  for (const r of d.records) if (!isHeartRateOnlyRecord(r)) return false;
  return true;
}

function problemText(part: FitPartScan, bytesLength: number): string {
  const at = part.problemAt ?? part.messagesEnd;
  switch (part.problem) {
    case 'truncated':
      return `the file ends at byte ${bytesLength} although its header declares ${part.offset + part.headerSize + part.declaredDataSize} bytes of data`;
    case 'overrun':
      return `the last message at byte ${at} runs past the declared end of the data`;
    case 'undefined-local-type':
      return `the message at byte ${at} refers to a message type that no definition introduced`;
    case 'bad-definition':
      return `the definition at byte ${at} is malformed`;
    default:
      return 'the data is damaged';
  }
}

/** Per-part expansion of `compressed_speed_distance` (FR60/FR70 foot pods). */
function expandCompressedSpeedDistance(records: readonly FitMessage[]): { distanceM: Float64Array; speedMps: Float32Array } | undefined {
  let any = false;
  for (const r of records) {
    if (r['compressed_speed_distance'] !== undefined) {
      any = true;
      break;
    }
  }
  if (!any) return undefined;
  // FIT profile, record field 8: components speed (12 bits, scale 100, m/s) and
  // distance (12 bits, scale 16, m, accumulated: rolls over at 4096).
  const distanceM = new Float64Array(records.length).fill(Number.NaN);
  const speedMps = new Float32Array(records.length).fill(Number.NaN);
  let total = Number.NaN;
  let last = 0;
  for (let i = 0; i < records.length; i++) {
    const v = records[i]!['compressed_speed_distance'];
    if (!Array.isArray(v) || v.length < 3) continue;
    const b0 = packedByte(v[0]);
    const b1 = packedByte(v[1]);
    const b2 = packedByte(v[2]);
    if (!Number.isFinite(b0) || !Number.isFinite(b1) || !Number.isFinite(b2)) continue;
    if (b0 === 0xff && b1 === 0xff && b2 === 0xff) continue;
    const speed = b0 | ((b1 & 0x0f) << 8);
    const dist = (b1 >> 4) | (b2 << 4);
    if (Number.isNaN(total)) total = dist;
    else total += (dist - last) & 0xfff;
    last = dist;
    speedMps[i] = speed / 100;
    distanceM[i] = total / 16;
  }
  return { distanceM, speedMps };
}

interface RawActivity {
  readonly startMs: number;
  readonly clockSet: boolean;
  readonly sport: string;
  readonly subSport: string;
  readonly columns: Mutable<SampleColumns>;
  readonly rawCadence: Float32Array;
  readonly sampleTimeMs: Float64Array;
  readonly session: FitMessage | undefined;
  readonly laps: readonly FitMessage[];
  readonly pauses: Pause[];
  readonly warnings: ParseWarning[];
  readonly source: ActivitySource;
  readonly utcOffsetMin: number | undefined;
}

interface Ranged {
  readonly session: FitMessage | undefined;
  readonly startMs: number;
  readonly endMs: number;
}

function sessionRange(s: FitMessage): { startMs: number; endMs: number } {
  let start = timeMs(s['start_time']);
  let end = timeMs(s['timestamp']);
  const elapsed = num(s['total_elapsed_time']);
  if (Number.isNaN(start) && !Number.isNaN(end) && Number.isFinite(elapsed)) start = end - elapsed * 1000;
  if (!Number.isNaN(start) && Number.isFinite(elapsed)) end = Math.max(Number.isNaN(end) ? -Infinity : end, start + elapsed * 1000);
  return { startMs: start, endMs: end };
}

function creatorOf(fileId: FitMessage | undefined): Pick<ActivitySource, 'creator' | 'manufacturer' | 'product'> {
  if (fileId === undefined) return {};
  const manufacturer = fileId['manufacturer'];
  const product = fileId['product'];
  const productName = fileId['product_name'];
  const m = typeof manufacturer === 'string' ? manufacturer : typeof manufacturer === 'number' ? String(manufacturer) : undefined;
  let p: string | undefined;
  if (typeof productName === 'string' && productName.trim() !== '') p = productName.trim();
  else if (typeof product === 'number') {
    p = (m === 'garmin' || m === 'dynastream' || m === 'dynastream_oem' ? getFitGarminProductName(product) : null) ?? String(product);
  } else if (typeof product === 'string') p = product;
  const creator = [m, p].filter((x): x is string => x !== undefined).join(' ');
  return {
    ...(creator !== '' ? { creator } : {}),
    ...(m !== undefined ? { manufacturer: m } : {}),
    ...(p !== undefined ? { product: p } : {}),
  };
}

function utcOffsetOf(activity: FitMessage | undefined): number | undefined {
  if (activity === undefined) return undefined;
  const local = timeMs(activity['local_timestamp']);
  const utc = timeMs(activity['timestamp']);
  if (Number.isNaN(local) || Number.isNaN(utc)) return undefined;
  const min = Math.round((local - utc) / 60000);
  return Math.abs(min) <= MAX_UTC_OFFSET_MIN ? min : undefined;
}

function pausesOf(events: readonly FitMessage[]): { startMs: number; endMs: number }[] {
  const out: { startMs: number; endMs: number }[] = [];
  let stoppedAt = Number.NaN;
  for (const e of events) {
    if (e['event'] !== 'timer') continue;
    const t = timeMs(e['timestamp']);
    if (Number.isNaN(t)) continue;
    const type = e['event_type'];
    if (type === 'stop' || type === 'stop_all' || type === 'stop_disable' || type === 'stop_disable_all') {
      if (Number.isNaN(stoppedAt)) stoppedAt = t;
    } else if (type === 'start') {
      if (!Number.isNaN(stoppedAt) && t > stoppedAt) out.push({ startMs: stoppedAt, endMs: t });
      stoppedAt = Number.NaN;
    }
  }
  return out;
}

function firstFinite(a: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]!)) return a[i]!;
  return Number.NaN;
}

function lastFinite(a: ArrayLike<number>): number {
  for (let i = a.length - 1; i >= 0; i--) if (Number.isFinite(a[i]!)) return a[i]!;
  return Number.NaN;
}

interface Counters {
  invalid: number;
  merged: number;
  backwards: number;
  jumps: number;
  maxJumpS: number;
  noTime: number;
}

/**
 * Writes the records `idx` (indices into `records`, file order) into columns.
 * Records without a time or going back in time are dropped (counted).
 */
function fillColumns(
  records: readonly FitMessage[],
  idx: readonly number[],
  startMs: number,
  expanded: { distanceM: Float64Array; speedMps: Float32Array } | undefined,
  counters: Counters,
): { columns: Mutable<SampleColumns>; rawCadence: Float32Array; sampleTimeMs: Float64Array } {
  const n0 = idx.length;
  const c = createColumns(n0) as Mutable<SampleColumns>;
  const rawCadence = new Float32Array(n0).fill(Number.NaN);
  const sampleTimeMs = new Float64Array(n0);
  const { timeS, distanceM, speedMps, altitudeM, latDeg, lonDeg, heartRateBpm, powerW, stepLengthM } = c;
  const { verticalOscillationM, stanceTimeS, verticalRatioPct, stanceTimeBalancePct, temperatureC } = c;
  const merged: (Float64Array | Float32Array)[] = [rawCadence];
  for (const key of Object.keys(c) as (keyof SampleColumns)[]) if (key !== 'length' && key !== 'timeS') merged.push(c[key] as Float64Array | Float32Array);
  let n = 0;
  let lastMs = -Infinity;
  let invalid = 0;
  for (let k = 0; k < n0; k++) {
    const ri = idx[k]!;
    const r = records[ri]!;
    const t = timeMs(r['timestamp']);
    if (Number.isNaN(t)) {
      counters.noTime++;
      continue;
    }
    if (t < lastMs) {
      counters.backwards++;
      continue;
    }
    if (lastMs !== -Infinity && t - lastMs > TIME_JUMP_S * 1000) {
      counters.jumps++;
      counters.maxJumpS = Math.max(counters.maxJumpS, (t - lastMs) / 1000);
    }
    lastMs = t;
    sampleTimeMs[n] = t;
    timeS[n] = (t - startMs) / 1000;

    let d = num(r['distance']);
    let v = num(r['enhanced_speed']);
    if (Number.isNaN(v)) v = num(r['speed']);
    if (expanded !== undefined) {
      if (Number.isNaN(d)) d = expanded.distanceM[ri]!;
      if (Number.isNaN(v)) v = expanded.speedMps[ri]!;
    }
    if (d < 0 || d > 1e8) {
      d = Number.NaN;
      invalid++;
    }
    if (v < 0 || v > 100) {
      v = Number.NaN;
      invalid++;
    }
    distanceM[n] = d;
    speedMps[n] = v;

    let alt = num(r['enhanced_altitude']);
    if (Number.isNaN(alt)) alt = num(r['altitude']);
    if (alt < -1000 || alt > 10000) {
      alt = Number.NaN;
      invalid++;
    }
    altitudeM[n] = alt;

    let lat = num(r['position_lat']);
    let lon = num(r['position_long']);
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180 || (lat === 0 && lon === 0)) {
      if (!Number.isNaN(lat) || !Number.isNaN(lon)) invalid++;
      lat = Number.NaN;
      lon = Number.NaN;
    }
    if (Number.isNaN(lat) || Number.isNaN(lon)) {
      lat = Number.NaN;
      lon = Number.NaN;
    }
    latDeg[n] = lat;
    lonDeg[n] = lon;

    let cad = num(r['cadence']);
    if (Number.isNaN(cad)) {
      const c256 = num(r['cadence256']);
      if (!Number.isNaN(c256)) cad = c256;
    } else {
      const frac = num(r['fractional_cadence']);
      if (frac > 0 && frac < 1) cad += frac;
    }
    if (cad < 0 || cad >= 255) {
      cad = Number.NaN;
      invalid++;
    }
    rawCadence[n] = cad;

    const hr = num(r['heart_rate']);
    if (hr >= 255 || hr < 0) invalid++;
    heartRateBpm[n] = hr > 0 && hr < 255 ? hr : Number.NaN;

    const p = num(r['power']);
    if (p < 0 || p > 5000) invalid++;
    powerW[n] = p >= 0 && p <= 5000 ? p : Number.NaN;

    // fit-file-parser leaves these in the profile's units (mm, ms) whatever lengthUnit says.
    const sl = num(r['step_length']);
    stepLengthM[n] = sl > 0 && sl < 5000 ? sl / 1000 : Number.NaN;
    const vo = num(r['vertical_oscillation']);
    verticalOscillationM[n] = vo > 0 && vo < 500 ? vo / 1000 : Number.NaN;
    const st = num(r['stance_time']);
    stanceTimeS[n] = st > 0 && st < 4000 ? st / 1000 : Number.NaN;
    const vr = num(r['vertical_ratio']);
    verticalRatioPct[n] = vr > 0 && vr < 100 ? vr : Number.NaN;
    const sb = num(r['stance_time_balance']);
    stanceTimeBalancePct[n] = sb > 0 && sb < 100 ? sb : Number.NaN;
    const temp = num(r['temperature']);
    if (temp < -60 || temp > 70) invalid++;
    temperatureC[n] = temp >= -60 && temp <= 70 ? temp : Number.NaN;
    if (n > 0 && sampleTimeMs[n - 1] === t) {
      // Several records with one timestamp (some apps write position and distance apart):
      // one sample, the first value of each column kept.
      for (const col of merged) {
        if (Number.isNaN(col[n - 1]!)) col[n - 1] = col[n]!;
        col[n] = Number.NaN;
      }
      counters.merged++;
      continue;
    }
    n++;
  }
  counters.invalid += invalid;
  if (n === n0) return { columns: c, rawCadence, sampleTimeMs };
  const out = createColumns(n) as Mutable<SampleColumns>;
  for (const key of Object.keys(c) as (keyof SampleColumns)[]) {
    if (key === 'length') continue;
    (out[key] as Float64Array | Float32Array).set((c[key] as Float64Array | Float32Array).subarray(0, n));
  }
  return { columns: out, rawCadence: rawCadence.slice(0, n), sampleTimeMs: sampleTimeMs.slice(0, n) };
}

function buildPartActivities(
  part: DecodedFitPart,
  firstIndexInFile: number,
  ctx: ParseContext,
  baseWarnings: readonly ParseWarning[],
): RawActivity[] {
  const records = part.records;
  const expanded = expandCompressedSpeedDistance(records);
  const fileId = part.fileIds[0];
  const creator = creatorOf(fileId);
  const utcOffsetMin = utcOffsetOf(part.activity);
  const partPauses = pausesOf(part.events);

  // Sessions in time order; a file with records but no session gets one covering all records.
  let ranged: Ranged[] = part.sessions
    .map((s) => ({ session: s as FitMessage | undefined, ...sessionRange(s) }))
    .filter((r) => !Number.isNaN(r.startMs));
  const sessionless = ranged.length === 0;
  if (sessionless) ranged = [{ session: undefined, startMs: Number.NaN, endMs: Number.NaN }];
  ranged.sort((a, b) => a.startMs - b.startMs);

  const buckets: number[][] = ranged.map(() => []);
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (ranged.length === 1) {
      buckets[0]!.push(i);
      continue;
    }
    const t = timeMs(r['timestamp']);
    let s = 0;
    for (let k = 1; k < ranged.length; k++) if (t >= ranged[k]!.startMs) s = k;
    buckets[s]!.push(i);
  }

  const out: RawActivity[] = [];
  let prevLastDistanceM = Number.NaN;
  ranged.forEach((rg, k) => {
    const idx = buckets[k]!;
    if (idx.length > ctx.limits.maxSamplesPerActivity) {
      throw new ParseError(
        'TOO_MANY_SAMPLES',
        `a FIT session holds ${idx.length} records, over the limit of ${ctx.limits.maxSamplesPerActivity}`,
        { format: 'fit' },
      );
    }
    const warnings: ParseWarning[] = [...baseWarnings];
    let firstRecordMs = Number.NaN;
    for (const i of idx) {
      firstRecordMs = timeMs(records[i]!['timestamp']);
      if (!Number.isNaN(firstRecordMs)) break;
    }
    let startMs = rg.startMs;
    if (Number.isNaN(startMs) || (!Number.isNaN(firstRecordMs) && firstRecordMs < startMs)) startMs = firstRecordMs;
    const counters: Counters = { invalid: 0, merged: 0, backwards: 0, jumps: 0, maxJumpS: 0, noTime: 0 };
    const { columns, rawCadence, sampleTimeMs } = fillColumns(records, idx, Number.isNaN(startMs) ? 0 : startMs, expanded, counters);
    // Multisport devices may keep counting distance across sessions: start each later session at 0 then.
    const base = prevLastDistanceM;
    const first = firstFinite(columns.distanceM);
    const last = lastFinite(columns.distanceM);
    if (!Number.isNaN(last)) prevLastDistanceM = last;
    if (base > 0 && first >= base - 1) {
      const d = columns.distanceM;
      for (let i = 0; i < d.length; i++) d[i] = Math.max(0, d[i]! - base);
    }
    const clockSet = !Number.isNaN(startMs) && startMs >= FIT_MIN_ABSOLUTE_MS;
    if (!Number.isNaN(startMs) && !clockSet) {
      warnings.push({
        code: 'CLOCK_NOT_SET',
        message: `the device clock was not set (times count from ${new Date(startMs).toISOString().slice(0, 10)}, before 1998): the start time is unknown`,
      });
    }
    if (sessionless) {
      warnings.push({ code: 'NO_SESSION', message: 'the file holds records but no session summary; sport and totals are unknown' });
    }
    if (counters.backwards > 0) {
      warnings.push({ code: 'TIME_BACKWARDS', message: `${counters.backwards} record(s) going back in time were dropped` });
    }
    if (counters.jumps > 0) {
      warnings.push({
        code: 'TIME_JUMP',
        message: `the record times jump forward ${counters.jumps} time(s), by up to ${Math.round(counters.maxJumpS)} s`,
      });
    }
    if (counters.noTime > 0) {
      warnings.push({ code: 'RECORDS_WITHOUT_TIME', message: `${counters.noTime} record(s) without a timestamp were dropped` });
    }
    if (counters.invalid > 0) {
      warnings.push({ code: 'INVALID_VALUES_DROPPED', message: `${counters.invalid} out-of-range value(s) were treated as missing` });
    }
    const s = rg.session;
    const sport = enumName(s?.['sport'] ?? part.sports[0]?.['sport'], 'generic');
    const subSport = enumName(s?.['sub_sport'] ?? part.sports[0]?.['sub_sport'], 'generic');
    const endMs = Number.isNaN(rg.endMs) ? (columns.length > 0 ? sampleTimeMs[columns.length - 1]! : startMs) : rg.endMs;
    const pauses: Pause[] = [];
    for (const p of partPauses) {
      const a = Math.max(p.startMs, startMs);
      const b = Math.min(p.endMs, endMs);
      if (b > a) pauses.push({ startS: (a - startMs) / 1000, endS: (b - startMs) / 1000 });
    }
    const laps = part.laps.filter((l) => {
      if (sessionless || ranged.length === 1) return true;
      const t = timeMs(l['start_time']);
      return t >= rg.startMs && (k + 1 >= ranged.length || t < ranged[k + 1]!.startMs);
    });
    out.push({
      startMs,
      clockSet,
      sport,
      subSport,
      columns,
      rawCadence,
      sampleTimeMs,
      session: s,
      laps,
      pauses,
      warnings,
      source: {
        format: 'fit',
        ...(ctx.fileName !== undefined ? { fileName: ctx.fileName } : {}),
        ...creator,
        indexInFile: firstIndexInFile + k,
      },
      utcOffsetMin,
    });
  });
  return out;
}

function summaryOf(session: FitMessage | undefined, factor: number, foot: boolean): DeviceSummary {
  if (session === undefined) return {};
  const out: Mutable<DeviceSummary> = {};
  const set = (key: keyof DeviceSummary, v: number): void => {
    if (Number.isFinite(v)) out[key] = v;
  };
  set('totalDistanceM', num(session['total_distance']));
  set('timerTimeS', num(session['total_timer_time']));
  set('elapsedTimeS', num(session['total_elapsed_time']));
  const avgC = num(session['avg_cadence']);
  const avgF = num(session['avg_fractional_cadence']);
  set('avgCadenceSpm', avgC > 0 ? (avgC + (avgF > 0 && avgF < 1 ? avgF : 0)) * factor : Number.NaN);
  const maxC = num(session['max_cadence']);
  const maxF = num(session['max_fractional_cadence']);
  set('maxCadenceSpm', maxC > 0 ? (maxC + (maxF > 0 && maxF < 1 ? maxF : 0)) * factor : Number.NaN);
  set('ascentM', num(session['total_ascent']));
  set('descentM', num(session['total_descent']));
  const sl = num(session['avg_step_length']);
  set('avgStepLengthM', sl > 0 ? sl / 1000 : Number.NaN);
  let v = num(session['enhanced_avg_speed']);
  if (Number.isNaN(v)) v = num(session['avg_speed']);
  set('avgSpeedMps', v);
  const hr = num(session['avg_heart_rate']);
  set('avgHeartRateBpm', hr > 0 ? hr : Number.NaN);
  if (foot) {
    const cycles = num(session['total_cycles']);
    set('totalSteps', cycles > 0 ? cycles * factor : Number.NaN);
  }
  return out;
}

function lapOf(l: FitMessage, startMs: number, factor: number): Lap {
  const start = timeMs(l['start_time']);
  const elapsed = num(l['total_elapsed_time']);
  const startS = (start - startMs) / 1000;
  const avgC = num(l['avg_cadence']);
  const avgF = num(l['avg_fractional_cadence']);
  let endS = startS + elapsed;
  if (Number.isNaN(endS)) endS = (timeMs(l['timestamp']) - startMs) / 1000;
  return {
    startS,
    endS,
    timerTimeS: num(l['total_timer_time']),
    distanceM: num(l['total_distance']),
    avgCadenceSpm: avgC > 0 ? (avgC + (avgF > 0 && avgF < 1 ? avgF : 0)) * factor : Number.NaN,
  };
}

/**
 * Speed from the distance column over a window of about ±`halfWindowS` seconds
 * (NaN where distance is missing). Some devices record a `speed` that disagrees
 * with their own distance (seen: an FR920XT whose record speed was 60 % of the
 * distance rate); the cadence unit test then uses this one.
 */
function speedFromDistance(timeS: Float64Array, distanceM: Float64Array, halfWindowS = 5): Float32Array {
  const n = timeS.length;
  const out = new Float32Array(n).fill(Number.NaN);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    while (a < i && timeS[i]! - timeS[a]! > halfWindowS) a++;
    if (b < i) b = i;
    while (b + 1 < n && timeS[b + 1]! - timeS[i]! <= halfWindowS) b++;
    const dt = timeS[b]! - timeS[a]!;
    const dd = distanceM[b]! - distanceM[a]!;
    if (dt > 0 && Number.isFinite(dd) && dd >= 0) out[i] = dd / dt;
  }
  return out;
}

/** Median of the kept values, estimated from at most about 4096 evenly spaced samples. */
function medianOf(values: ArrayLike<number>, keep: (v: number) => boolean): number {
  const stride = Math.max(1, Math.floor(values.length / 4096));
  const a = new Float64Array(Math.ceil(values.length / stride));
  let n = 0;
  for (let i = 0; i < values.length; i += stride) if (keep(values[i]!)) a[n++] = values[i]!;
  if (n === 0) return Number.NaN;
  const kept = a.subarray(0, n).sort();
  return kept[n >> 1]!;
}

/** The speed to judge cadence units by: the recorded one, unless the distance rate clearly disagrees. */
function detectionSpeed(raw: RawActivity): Float32Array {
  const recorded = raw.columns.speedMps;
  const derived = speedFromDistance(raw.columns.timeS, raw.columns.distanceM);
  const moving = (v: number): boolean => v > 0.5;
  const mDerived = medianOf(derived, moving);
  if (Number.isNaN(mDerived)) return recorded;
  const mRecorded = medianOf(recorded, moving);
  if (Number.isNaN(mRecorded)) return derived;
  if (Math.abs(mRecorded - mDerived) / mDerived > 0.25) {
    raw.warnings.push({
      code: 'SPEED_INCONSISTENT',
      message: `the recorded speed (median ${mRecorded.toFixed(2)} m/s) disagrees with the distance rate (median ${mDerived.toFixed(2)} m/s); the distance rate was used to decide the cadence unit`,
    });
    return derived;
  }
  return recorded;
}

function finish(raw: RawActivity, ctx: ParseContext): Activity {
  const cadCtx: CadenceContext = {
    sport: raw.sport,
    subSport: raw.subSport,
    format: 'fit',
    ...(ctx.cadenceUnit !== 'auto' ? { override: ctx.cadenceUnit } : {}),
  };
  const { cadenceSpm, detection } = normalizeCadence(raw.rawCadence, detectionSpeed(raw), cadCtx);
  raw.columns.cadenceSpm = cadenceSpm;
  const foot = isFootSport(raw.sport, raw.subSport);
  // Summary and laps use the samples' factor; without cadence samples a foot sport keeps FIT's convention (strides).
  const factor: number =
    detection.method === 'no-data' && foot ? (ctx.cadenceUnit === 'steps' ? 1 : 2) : detection.factor;
  const startTime = raw.clockSet ? new Date(raw.startMs) : undefined;
  const laps = raw.laps.map((l) => lapOf(l, raw.startMs, factor));
  const cadence: CadenceDetection = detection;
  return {
    id: makeActivityId('fit', startTime, raw.sport, raw.source.indexInFile, ctx.contentHash),
    sport: raw.sport,
    subSport: raw.subSport,
    startTime,
    ...(raw.utcOffsetMin !== undefined ? { utcOffsetMin: raw.utcOffsetMin } : {}),
    source: raw.source,
    samples: raw.columns,
    laps,
    pauses: raw.pauses,
    cadence,
    deviceSummary: summaryOf(raw.session, factor, foot),
    warnings: raw.warnings,
  };
}

/**
 * Parses a FIT file into one activity per session (a triathlon gives swim,
 * transition, bike and run activities). Handles chained files (heart rate
 * from appended strap files is merged into samples that lack it), truncated
 * and overrunning files (every complete message is kept), compressed
 * timestamps and `compressed_speed_distance`, and developer fields (never
 * allowed to replace native values).
 *
 * @param bytes The file content (not modified).
 * @throws {ParseError} `CORRUPT_FILE` when nothing can be decoded, `NOT_AN_ACTIVITY`
 * for monitoring, settings, segment, course and other non-activity files,
 * `TOO_MANY_SAMPLES` over `ctx.limits.maxSamplesPerActivity`.
 * @example
 * const activities = await parseFit(bytes, { cadenceUnit: 'auto', limits: DEFAULT_PARSE_LIMITS, contentHash: () => '' });
 * activities[0]?.samples.cadenceSpm; // steps per minute
 */
export async function parseFit(bytes: Uint8Array, ctx: ParseContext): Promise<Activity[]> {
  const where = ctx.fileName !== undefined ? ` (${ctx.fileName})` : '';
  if (!isFitHeaderAt(bytes, 0)) {
    throw new ParseError('CORRUPT_FILE', `the FIT header is missing or malformed${where}`, { format: 'fit' });
  }
  const scan = scanFit(bytes);
  const fileWarnings: ParseWarning[] = [];
  if (scan.trailingAt !== undefined) {
    fileWarnings.push({
      code: 'TRAILING_DATA',
      message: `${bytes.length - scan.trailingAt} byte(s) after the FIT data at byte ${scan.trailingAt} were ignored: ${scan.trailingReason ?? 'not a FIT file'}`,
    });
  }
  const activityParts: { part: DecodedFitPart; warnings: ParseWarning[] }[] = [];
  const heartRate: HeartRateSeries = { timeS: [], bpm: [] };
  const heartRateByTime = new Map<number, number>();
  let heartRateInFile = false;
  let heartRateParts = 0;
  let otherType: unknown;
  for (let p = 0; p < scan.parts.length; p++) {
    const part = scan.parts[p]!;
    const partWarnings: ParseWarning[] = [];
    if (part.problem !== undefined) {
      const text = problemText(part, bytes.length);
      if (part.dataMessages === 0) {
        if (p === 0) throw new ParseError('CORRUPT_FILE', `no FIT message can be read${where}: ${text}`, { format: 'fit' });
        fileWarnings.push({ code: 'CHAINED_PART_UNREADABLE', message: `FIT file ${p + 1} in the chain was skipped: ${text}` });
        continue;
      }
      const code = part.problem === 'truncated' || part.problem === 'overrun' ? 'TRUNCATED' : 'DAMAGED_DATA';
      partWarnings.push({
        code,
        message: `${text}; reading stopped there and the ${part.dataMessages} complete message(s) before it (${part.recordMessages} record(s)) were kept`,
      });
    }
    if (part.skipped.length > 0) {
      const bytesSkipped = part.skipped.reduce((n, k) => n + k.to - k.from, 0);
      partWarnings.push({
        code: 'DAMAGED_DATA',
        message: `the data is damaged in ${part.skipped.length} place(s), first at byte ${part.skipped[0]!.from} (a message of the wrong size): ${bytesSkipped} byte(s) holding messages that could not be trusted were skipped, and reading resumed where messages read cleanly again`,
      });
    }
    let decoded: DecodedFitPart;
    try {
      decoded = await decodeFitPart(preparePartBytes(bytes, part), where);
    } catch (error) {
      if (p === 0) throw error;
      fileWarnings.push({ code: 'CHAINED_PART_UNREADABLE', message: `FIT file ${p + 1} in the chain could not be decoded and was skipped` });
      continue;
    }
    const fileType = decoded.fileIds[0]?.['type'];
    if (!isActivityFileType(fileType)) {
      otherType ??= fileType;
      continue;
    }
    if (p > 0 && isHeartRateOnlyPart(decoded)) {
      expandHrMessages(decoded.hr, heartRate);
      // Records holding only a heart rate are per-second values, not beats: matched by timestamp.
      for (const r of decoded.records) {
        const t = timeMs(r['timestamp']);
        const b = num(r['heart_rate']);
        if (!Number.isNaN(t) && b > 0 && b < 255) heartRateByTime.set(t, b);
      }
      heartRateParts++;
      continue;
    }
    if (decoded.sessions.length === 0 && decoded.records.length === 0) continue;
    if (decoded.hr.length > 0) {
      // Strap beats stored inside the activity file itself (swim heart rate on some watches).
      expandHrMessages(decoded.hr, heartRate);
      heartRateInFile = true;
    }
    activityParts.push({ part: decoded, warnings: partWarnings });
  }
  if (activityParts.length === 0) {
    if (otherType !== undefined) {
      throw new ParseError('NOT_AN_ACTIVITY', `this FIT file is a ${String(otherType)} file, not an activity${where}`, { format: 'fit' });
    }
    throw new ParseError('NOT_AN_ACTIVITY', `this FIT file holds no session and no record, so no activity${where}`, { format: 'fit' });
  }
  const raws: RawActivity[] = [];
  for (const { part, warnings } of activityParts) {
    raws.push(...buildPartActivities(part, raws.length, ctx, [...fileWarnings, ...warnings]));
  }
  if (heartRateParts > 0 || heartRateInFile) {
    for (const raw of raws) {
      let filled = heartRate.timeS.length > 0 ? mergeHeartRate(raw.sampleTimeMs, raw.columns.heartRateBpm, heartRate) : 0;
      if (heartRateByTime.size > 0) {
        const hr = raw.columns.heartRateBpm;
        for (let i = 0; i < hr.length; i++) {
          const b = heartRateByTime.get(raw.sampleTimeMs[i]!);
          if (b !== undefined) {
            hr[i] = b;
            filled++;
          }
        }
      }
      if (heartRateParts === 0) {
        raw.warnings.push({
          code: 'HR_MESSAGES_MERGED',
          message: `heart rate stored by a strap in this file (${heartRate.bpm.length} beat values) was merged; ${filled} sample(s) took their heart rate from it`,
        });
        continue;
      }
      raw.warnings.push({
        code: 'CHAINED_FIT_MERGED',
        message: `${heartRateParts} heart-rate file(s) appended to this FIT file were read (${heartRate.bpm.length + heartRateByTime.size} values); ${filled} sample(s) took their heart rate from them`,
      });
    }
  }
  return raws.map((raw) => finish(raw, ctx));
}
