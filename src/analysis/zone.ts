/**
 * The local time zone of an activity, and how it was known. FIT files carry
 * their UTC offset; GPX and TCX times are UTC (`Z`) only, so the same run
 * would land on a different day by format. For those the zone comes from
 * where the activity started (`Activity.positionTimeZone`, set by the parse
 * stage from an offline zone table), else from the activity nearest in time
 * of the same export whose zone is known, else UTC.
 * `timeZone` (option, `--tz`) overrides all of them.
 */
import type { Activity } from '../activity.js';
import { localDateAtOffset, localDateIn, offsetLabel } from './time.js';
import type { ActivitySummary, TimeZoneSource } from './types.js';

/** Formatters are the expensive part of `localDateIn`: one per zone, built on first use. */
const byZone = new Map<string, (instant: Date) => string>();
/** Zones are a few hundred at most; past this the cache is cleared rather than grown. */
const MAX_CACHED_ZONES = 600;

/**
 * Local date of an instant in an IANA zone, with the zone's formatter cached.
 * @example localDateInZone('Asia/Tokyo', new Date('2025-03-30T20:00:00Z')) // '2025-03-31'
 */
export function localDateInZone(timeZone: string, instant: Date): string {
  let f = byZone.get(timeZone);
  if (f === undefined) {
    if (byZone.size >= MAX_CACHED_ZONES) byZone.clear();
    f = localDateIn(timeZone);
    byZone.set(timeZone, f);
  }
  return f(instant);
}

/** Start instant, local date and zone of an activity, and how the zone was known. */
export interface ActivityLocalTime {
  /** ISO 8601 UTC, or null without a usable start time. */
  readonly startTime: string | null;
  readonly localDate: string | null;
  /** An IANA name, a file offset such as `+02:00`, or `UTC`. */
  readonly timeZone: string;
  readonly timeZoneSource: TimeZoneSource;
}

/**
 * Where the local date of an activity comes from, in this order: the
 * `timeZone` option; the file's own UTC offset (FIT); the zone at the first
 * position fix (`positionTimeZone`, GPX and TCX from `parseActivities`); UTC. The export pipeline may later replace `utc`
 * by the zone of a neighbouring activity ({@link zonesFromNeighbours}).
 *
 * @example
 * localTimeOf(gpxRunInZurich).timeZone;       // 'Europe/Zurich'
 * localTimeOf(gpxRunInZurich).timeZoneSource; // 'position'
 */
export function localTimeOf(activity: Activity, timeZone: string | undefined): ActivityLocalTime {
  const start = activity.startTime;
  const dated = start !== undefined && Number.isFinite(start.getTime());
  const startTime = dated ? start.toISOString() : null;
  if (timeZone !== undefined) {
    return { startTime, localDate: dated ? localDateInZone(timeZone, start) : null, timeZone, timeZoneSource: 'option' };
  }
  const offset = activity.utcOffsetMin;
  if (offset !== undefined && Number.isFinite(offset)) {
    return { startTime, localDate: dated ? localDateAtOffset(start, offset) : null, timeZone: offsetLabel(offset), timeZoneSource: 'file' };
  }
  const zone = activity.positionTimeZone;
  if (zone !== undefined && zone !== '') {
    return { startTime, localDate: dated ? localDateInZone(zone, start) : null, timeZone: zone, timeZoneSource: 'position' };
  }
  return { startTime, localDate: startTime !== null ? startTime.slice(0, 10) : null, timeZone: 'UTC', timeZoneSource: 'utc' };
}

/** Offset in minutes of a `+02:00` / `-05:30` label, or null. */
function offsetMinOf(label: string): number | null {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(label);
  if (m === null) return null;
  const v = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -v : v;
}

/** Largest distance in time (days) to a neighbour whose zone is taken. */
export const NEIGHBOUR_ZONE_MAX_DAYS = 14;

/**
 * Gives activities whose zone fell back to UTC (no offset in the file, no
 * position: a treadmill TCX, a GPX without fixes) the zone of the activity
 * of the same export nearest in time (within 14 days) whose zone came from
 * its file or its position, re-computing their local date. Marked `export`.
 * Summaries with any other zone source are returned unchanged. O(n log n).
 *
 * @example
 * zonesFromNeighbours([treadmillTcx, fitWithOffset])[0]?.timeZoneSource; // 'export'
 */
export function zonesFromNeighbours(summaries: readonly ActivitySummary[]): ActivitySummary[] {
  const known = summaries
    .filter((s) => (s.timeZoneSource === 'file' || s.timeZoneSource === 'position') && s.startTime !== null && s.timeZone !== undefined)
    .map((s) => ({ t: Date.parse(s.startTime!), zone: s.timeZone! }))
    .filter((k) => Number.isFinite(k.t))
    .sort((a, b) => a.t - b.t || (a.zone < b.zone ? -1 : a.zone > b.zone ? 1 : 0));
  if (known.length === 0) return [...summaries];
  return summaries.map((s) => {
    if (s.timeZoneSource !== 'utc' || s.startTime === null) return s;
    const t = Date.parse(s.startTime);
    if (!Number.isFinite(t)) return s;
    let lo = 0;
    let hi = known.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (known[mid]!.t < t) lo = mid + 1;
      else hi = mid;
    }
    const before = lo > 0 ? known[lo - 1]! : null;
    const after = lo < known.length ? known[lo]! : null;
    const nearest = before === null ? after : after === null ? before : t - before.t <= after.t - t ? before : after;
    if (nearest === null || Math.abs(nearest.t - t) > NEIGHBOUR_ZONE_MAX_DAYS * 86_400_000) return s;
    const offset = offsetMinOf(nearest.zone);
    let localDate: string;
    try {
      localDate = offset !== null ? localDateAtOffset(new Date(t), offset) : localDateInZone(nearest.zone, new Date(t));
    } catch {
      return s;
    }
    return { ...s, localDate, timeZone: nearest.zone, timeZoneSource: 'export' as const };
  });
}
