/**
 * Garmin Connect export: `DI_CONNECT/DI-Connect-Fitness/<user>_<n>_summarizedActivities.json`
 * holds one summary per activity (`[{ "summarizedActivitiesExport": [ { activityType, startTimeGmt, … } ] }]`),
 * with the activity type as Garmin Connect knows it (`running`, `trail_running`,
 * `road_biking`, `lap_swimming`, …), also for files that state no sport
 * themselves. The activity files of the export (in
 * `DI-Connect-Uploaded-Files/UploadedFiles_*.zip`) carry no link to these
 * summaries except their start time, so activities are matched by start time
 * ({@link lookupGarminType}). The sport found applies as `export-metadata`
 * (see `applyExportSport`): a sport stated in the file is kept.
 */
import type { Activity } from '../activity.js';
import type { CadenceUnitOption } from '../parse/cadence.js';
import { applyExportSport } from '../parse/sport.js';

/**
 * Start times and activity types of a Garmin export's summaries, sorted by
 * start time. Typed arrays and a short list of distinct types, so that it
 * is cheap to hand to a worker with every file of the export.
 */
export interface GarminTypeIndex {
  /** Start of each activity, ms since 1970 (UTC), ascending. */
  readonly startMs: Float64Array;
  /** Index into {@link GarminTypeIndex.types} of each activity's type. */
  readonly typeIndex: Uint16Array;
  /** The distinct activity types, as written (`running`, `road_biking`, …). */
  readonly types: readonly string[];
}

/** Most distinct activity types kept (Garmin Connect has about 100); activities of further types are left out. */
const MAX_TYPES = 1000;
/** Most activities kept from the summaries of one export (all files together). */
export const MAX_GARMIN_SUMMARIES = 1_000_000;
/** Longest a file's start may be from its summary's start, ms: a watch and Garmin Connect agree to the second. */
export const GARMIN_MATCH_TOLERANCE_MS = 60_000;

/** Garmin writes the type as a key (`"running"`) or, in some exports, as an object with `typeKey`. */
function typeOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() !== '' ? value.trim().slice(0, 100) : undefined;
  if (value !== null && typeof value === 'object') return typeOf((value as { typeKey?: unknown }).typeKey);
  return undefined;
}

/** Start in ms from `startTimeGmt` (or `beginTimestamp`): a number of ms, or its text. */
function startOf(record: Record<string, unknown>): number | undefined {
  for (const key of ['startTimeGmt', 'beginTimestamp']) {
    const v = record[key];
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : NaN;
    // 1970 to 2200: anything else is not a start time in ms
    if (Number.isFinite(n) && n > 0 && n < 7_258_118_400_000) return n;
  }
  return undefined;
}

/** The summary records of a parsed file: `[{ summarizedActivitiesExport: [...] }]`, that object alone, or a bare array of records. */
function recordsOf(json: unknown): unknown[] {
  const out: unknown[] = [];
  const take = (v: unknown): void => {
    if (Array.isArray(v)) for (const x of v) out.push(x);
  };
  const visit = (v: unknown): void => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && 'summarizedActivitiesExport' in v) take((v as Record<string, unknown>)['summarizedActivitiesExport']);
  };
  if (Array.isArray(json)) {
    if (json.some((x) => x !== null && typeof x === 'object' && 'summarizedActivitiesExport' in x)) json.forEach(visit);
    else take(json);
  } else visit(json);
  return out;
}

/**
 * Reads the text of one or more `summarizedActivities.json` files into a
 * {@link GarminTypeIndex}. Records without a type or a plausible start are
 * left out.
 *
 * @throws {SyntaxError} when a text is not JSON (the caller turns it into a `LoadedFile` error).
 * @example
 * const index = parseGarminSummaries(['[{"summarizedActivitiesExport":[{"activityType":"running","startTimeGmt":1717225200000}]}]']);
 * index.types // ['running']
 */
export function parseGarminSummaries(texts: readonly string[]): GarminTypeIndex {
  const pairs: [number, number][] = [];
  const types: string[] = [];
  const typeIds = new Map<string, number>();
  for (const text of texts) {
    for (const r of recordsOf(JSON.parse(text))) {
      if (pairs.length >= MAX_GARMIN_SUMMARIES) break;
      if (r === null || typeof r !== 'object') continue;
      const record = r as Record<string, unknown>;
      const type = typeOf(record['activityType']) ?? typeOf(record['sportType']);
      const start = startOf(record);
      if (type === undefined || start === undefined) continue;
      let id = typeIds.get(type);
      if (id === undefined) {
        if (types.length >= MAX_TYPES) continue;
        id = types.length;
        types.push(type);
        typeIds.set(type, id);
      }
      pairs.push([start, id]);
    }
  }
  pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { startMs: Float64Array.from(pairs, (p) => p[0]), typeIndex: Uint16Array.from(pairs, (p) => p[1]), types };
}

/**
 * The Garmin activity type of the summary that starts nearest `startTime`,
 * within {@link GARMIN_MATCH_TOLERANCE_MS}; `undefined` when none does, or
 * when summaries of different types are equally near (a multisport
 * activity's parts).
 *
 * @example lookupGarminType(index, new Date(1717225203000)) // 'running' (3 s from the summary's start)
 */
export function lookupGarminType(index: GarminTypeIndex, startTime: Date | undefined, toleranceMs = GARMIN_MATCH_TOLERANCE_MS): string | undefined {
  if (startTime === undefined || !(startTime instanceof Date)) return undefined;
  const t = startTime.getTime();
  if (!Number.isFinite(t)) return undefined;
  const s = index.startMs;
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (s[mid]! < t - toleranceMs) lo = mid + 1;
    else hi = mid;
  }
  let best = Infinity;
  let type: string | undefined;
  let ambiguous = false;
  for (let i = lo; i < s.length && s[i]! <= t + toleranceMs; i++) {
    const d = Math.abs(s[i]! - t);
    const ti = index.types[index.typeIndex[i]!];
    if (d < best) {
      best = d;
      type = ti;
      ambiguous = false;
    } else if (d === best && ti !== type) ambiguous = true;
  }
  return ambiguous ? undefined : type;
}

/** What an export says about one file's activities: Strava's type and name of the file, Garmin's types by start time. */
export interface ExportMetadata {
  /** Strava `activities.csv` "Activity Type" of the file. */
  readonly type?: string;
  /** Strava `activities.csv` name of the file. */
  readonly name?: string;
  /** Garmin `summarizedActivities` of the export the file is in. */
  readonly garmin?: GarminTypeIndex;
}

/**
 * Applies an export's metadata to parsed activities, before they are
 * summarised: Strava's type (or name) of the file, then Garmin's type of
 * the summary starting with each activity, each through `applyExportSport`
 * (a sport the file states is kept; the cadence unit is decided again when
 * the sport changes). Returns new activities where anything changed.
 *
 * @example const runs = applyExportMetadata(activities, { garmin: index });
 */
export function applyExportMetadata(activities: readonly Activity[], meta: ExportMetadata | undefined, cadenceUnit: CadenceUnitOption = 'auto'): Activity[] {
  if (meta === undefined) return [...activities];
  return activities.map((a) => {
    let out = a;
    if (meta.type !== undefined || meta.name !== undefined) {
      out = applyExportSport(out, { ...(meta.type !== undefined ? { type: meta.type } : {}), ...(meta.name !== undefined ? { name: meta.name } : {}) }, cadenceUnit);
    }
    if (meta.garmin !== undefined) {
      const type = lookupGarminType(meta.garmin, out.startTime);
      if (type !== undefined) out = applyExportSport(out, { type }, cadenceUnit);
    }
    return out;
  });
}
