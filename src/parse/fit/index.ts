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
import type { Activity, ActivitySource, CadenceDetection, ParseWarning, Pause, SampleColumns } from '../../activity.js';
import { ParseError } from '../../errors.js';
import { isFootSport, normalizeCadence, type CadenceContext } from '../cadence.js';
import type { ParseContext } from '../context.js';
import { deriveDistanceAndSpeed } from '../geo.js';
import { makeActivityId } from '../id.js';
import { MAX_LAPS_PER_ACTIVITY } from '../limits.js';
import { measureSportEvidence, resolveSport, sportFields } from '../sport.js';
import { decodeFitPart, preparePartBytes, type DecodedFitPart, type FitMessage } from './decode.js';
import { expandHrMessages, FIT_EPOCH_MS, mergeHeartRate, type HeartRateSeries } from './hr.js';
import { expandCompressedSpeedDistance, fillColumns, type Counters } from './records.js';
import { isFitHeaderAt, scanFit, type FitPartScan } from './scan.js';
import { detectionSpeed } from './speed.js';
import { creatorOf, lapOf, pausesOf, sessionRange, summaryOf, utcOffsetOf } from './summary.js';
import { enumName, firstFinite, lastFinite, num, timeMs, type Mutable } from './values.js';

export { scanFit, type FitPartScan, type FitScan, type FitScanProblem } from './scan.js';

/** FIT `date_time` values below 0x10000000 are device-relative (clock not set), FIT profile. */
const FIT_MIN_ABSOLUTE_MS = FIT_EPOCH_MS + 0x10000000 * 1000;

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


interface RawActivity {
  readonly startMs: number;
  readonly clockSet: boolean;
  readonly sport: string;
  readonly subSport: string;
  /** The FIT `sport` message's name ("Trail Run", "Bike"), when the file has one. */
  readonly sportName: string | undefined;
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

/**
 * Index of the last session of `ranged` (sorted by start) at or after `from`
 * whose start (ms) is at or before `tMs`, by binary search; -1 when none is
 * (or `tMs` is NaN).
 */
function lastStartAtOrBefore(ranged: readonly Ranged[], tMs: number, from: number): number {
  let found = -1;
  let lo = from;
  let hi = ranged.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tMs >= ranged[mid]!.startMs) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function buildPartActivities(
  part: DecodedFitPart,
  firstIndexInFile: number,
  ctx: ParseContext,
  baseWarnings: readonly ParseWarning[],
): RawActivity[] {
  const records = part.records;
  ctx.samplesInFile.count += records.length;
  if (ctx.samplesInFile.count > ctx.limits.maxSamplesPerFile) {
    throw new ParseError('TOO_MANY_SAMPLES', `the file holds more than ${ctx.limits.maxSamplesPerFile} records`, { format: 'fit' });
  }
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
    // the last session (after the first) starting at or before the record, else the first
    const s = lastStartAtOrBefore(ranged, timeMs(r['timestamp']), 1);
    buckets[s < 0 ? 0 : s]!.push(i);
  }

  // Laps by session start, found by binary search (one filter per session was sessions × laps).
  const lapBuckets: FitMessage[][] = ranged.map(() => []);
  for (const l of part.laps) {
    if (ranged.length === 1) {
      lapBuckets[0]!.push(l);
      continue;
    }
    const s = lastStartAtOrBefore(ranged, timeMs(l['start_time']), 0);
    if (s >= 0) lapBuckets[s]!.push(l);
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
    if (columns.length === 0) {
      warnings.push({ code: 'NO_SAMPLES', message: 'this session holds no records; only the device summary is known' });
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
    const sportNameRaw = part.sports[0]?.['name'];
    const sportName = typeof sportNameRaw === 'string' && sportNameRaw.trim() !== '' ? sportNameRaw.trim() : undefined;
    const endMs = Number.isNaN(rg.endMs) ? (columns.length > 0 ? sampleTimeMs[columns.length - 1]! : startMs) : rg.endMs;
    const pauses: Pause[] = [];
    for (const p of partPauses) {
      const a = Math.max(p.startMs, startMs);
      const b = Math.min(p.endMs, endMs);
      if (b > a) pauses.push({ startS: (a - startMs) / 1000, endS: (b - startMs) / 1000 });
    }
    const ownLaps = lapBuckets[k]!;
    // Capped as in TCX: a file of 60,000 one-second laps is no training record.
    const laps = ownLaps.length > MAX_LAPS_PER_ACTIVITY ? ownLaps.slice(0, MAX_LAPS_PER_ACTIVITY) : ownLaps;
    if (laps.length < ownLaps.length) {
      warnings.push({ code: 'TOO_MANY_LAPS', message: `laps beyond the first ${MAX_LAPS_PER_ACTIVITY} were ignored (the session holds ${ownLaps.length})` });
    }
    out.push({
      startMs,
      clockSet,
      sport,
      subSport,
      sportName,
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



/**
 * Refuses a file whose structural scan counts more `record` messages than
 * `maxSamplesPerFile` (with the samples already counted in `ctx`), or more
 * data messages of any kind than twice that, before anything is decoded:
 * fit-file-parser turns every message into an object of a few hundred
 * bytes, so a 60 MB file of 2-byte records would take gigabytes before a
 * count after decoding could refuse it. The scan itself holds no per-message
 * state, so a refused file costs its bytes plus a constant. Records of
 * appended heart-rate files count too: they are decoded the same way.
 */
function refuseOversized(parts: readonly FitPartScan[], ctx: ParseContext, where: string): void {
  let records = 0;
  let messages = 0;
  for (const part of parts) {
    records += part.recordMessages;
    messages += part.dataMessages;
  }
  const limit = ctx.limits.maxSamplesPerFile;
  const more = parts.some((p) => p.stopped === true) ? 'more than ' : '';
  if (ctx.samplesInFile.count + records > limit) {
    throw new ParseError('TOO_MANY_SAMPLES', `the file holds ${more}${records} records, over the limit of ${limit} samples per file${where}`, { format: 'fit' });
  }
  if (messages > 2 * limit) {
    throw new ParseError(
      'TOO_MANY_SAMPLES',
      `the file holds ${more}${messages} FIT messages, over the limit of ${2 * limit} (twice the ${limit} samples per file)${where}`,
      { format: 'fit' },
    );
  }
}

function finish(raw: RawActivity, ctx: ParseContext): Activity {
  // Writers that store positions only (no distance/speed fields) get them derived, as for GPX.
  deriveDistanceAndSpeed(raw.columns);
  const speed = detectionSpeed(raw.columns, raw.warnings);
  // Sport first (the session's, else the sport message's name, else the data), then the cadence unit.
  const resolved = resolveSport({
    file: { sport: raw.sport, subSport: raw.subSport },
    ...(raw.sportName !== undefined ? { name: raw.sportName } : {}),
    ...(raw.sport === 'generic' && raw.columns.length > 0 ? { evidence: measureSportEvidence(raw.columns, raw.rawCadence, speed) } : {}),
  });
  const cadCtx: CadenceContext = {
    sport: resolved.sport,
    subSport: resolved.subSport,
    format: 'fit',
    ...(ctx.cadenceUnit !== 'auto' ? { override: ctx.cadenceUnit } : {}),
  };
  const { cadenceSpm, detection } = normalizeCadence(raw.rawCadence, speed, cadCtx);
  raw.columns.cadenceSpm = cadenceSpm;
  const foot = isFootSport(resolved.sport, resolved.subSport);
  // Summary and laps use the samples' factor; without cadence samples a foot sport keeps FIT's convention (strides).
  const factor: number =
    detection.method === 'no-data' && foot ? (ctx.cadenceUnit === 'steps' ? 1 : 2) : detection.factor;
  const startTime = raw.clockSet ? new Date(raw.startMs) : undefined;
  const laps = raw.laps.map((l) => lapOf(l, raw.startMs, factor));
  const cadence: CadenceDetection = detection;
  return {
    id: makeActivityId('fit', startTime, raw.sport, raw.source.indexInFile, ctx.contentHash),
    ...sportFields(resolved),
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
 * const activities = await parseFit(bytes, { cadenceUnit: 'auto', limits: DEFAULT_PARSE_LIMITS, samplesInFile: { count: 0 }, contentHash: () => '' });
 * activities[0]?.samples.cadenceSpm; // steps per minute
 */
export async function parseFit(bytes: Uint8Array, ctx: ParseContext): Promise<Activity[]> {
  const where = ctx.fileName !== undefined ? ` (${ctx.fileName})` : '';
  if (!isFitHeaderAt(bytes, 0)) {
    throw new ParseError('CORRUPT_FILE', `the FIT header is missing or malformed${where}`, { format: 'fit' });
  }
  // Scanning stops once the counts pass the limits, so refusing a huge file costs the limit's worth of scanning.
  const limit = ctx.limits.maxSamplesPerFile;
  const scan = scanFit(bytes, { records: limit - ctx.samplesInFile.count, messages: 2 * limit });
  const fileWarnings: ParseWarning[] = [];
  if (scan.trailingAt !== undefined) {
    fileWarnings.push({
      code: 'TRAILING_DATA',
      message: `${bytes.length - scan.trailingAt} byte(s) after the FIT data at byte ${scan.trailingAt} were ignored: ${scan.trailingReason ?? 'not a FIT file'}`,
    });
  }
  refuseOversized(scan.parts, ctx, where);
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
  // Counted before any activity is built: a file of 200,000 session messages built 200,000
  // activities (and overflowed the call stack) before the limit was looked at.
  let sessionCount = 0;
  for (const { part } of activityParts) {
    let k = 0;
    for (const ses of part.sessions) if (!Number.isNaN(sessionRange(ses).startMs)) k++;
    sessionCount += Math.max(1, k);
  }
  if (sessionCount > ctx.limits.maxActivitiesPerFile) {
    throw new ParseError(
      'TOO_MANY_ACTIVITIES',
      `the file holds ${sessionCount} sessions, over the limit of ${ctx.limits.maxActivitiesPerFile} activities${where}`,
      { format: 'fit' },
    );
  }
  const raws: RawActivity[] = [];
  for (const { part, warnings } of activityParts) {
    for (const raw of buildPartActivities(part, raws.length, ctx, [...fileWarnings, ...warnings])) raws.push(raw);
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
