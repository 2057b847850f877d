/**
 * Calendar helpers: local dates in a time zone (IANA via Intl, so DST is the
 * zone database's business, not ours) and whole-day arithmetic on
 * `YYYY-MM-DD` strings (pure UTC day numbers, no DST involved).
 */

const MS_PER_DAY = 86_400_000;

/**
 * Formats a UTC day number (days since 1970-01-01) as `YYYY-MM-DD`.
 * @example dayNumberToDate(0) // '1970-01-01'
 */
export function dayNumberToDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * Day number (days since 1970-01-01) of a `YYYY-MM-DD` date.
 * @example dateToDayNumber('1970-01-02') // 1
 */
export function dateToDayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY);
}

/** Adds whole days to a `YYYY-MM-DD` date. @example addDays('2025-03-30', 1) // '2025-03-31' */
export function addDays(date: string, days: number): string {
  return dayNumberToDate(dateToDayNumber(date) + days);
}

/** Day of week of a `YYYY-MM-DD` date, 0 = Sunday … 6 = Saturday. @example dayOfWeek('2025-03-03') // 1 (Monday) */
export function dayOfWeek(date: string): number {
  return (((dateToDayNumber(date) + 4) % 7) + 7) % 7;
}

/**
 * First day of the week holding `date`, weeks starting on `weekStartsOn`
 * (0 = Sunday … 6 = Saturday; 1 gives ISO weeks).
 * @example weekStart('2025-03-30', 1) // '2025-03-24' (Sunday → its Monday)
 */
export function weekStart(date: string, weekStartsOn: number): string {
  return addDays(date, -((dayOfWeek(date) - weekStartsOn + 7) % 7));
}

/**
 * A function giving the local calendar date of an instant in an IANA time
 * zone. Build once per call site (the formatter is the expensive part).
 * @example localDateIn('Europe/Berlin')(new Date('2025-03-30T22:20:00Z')) // '2025-03-31' (00:20 CEST)
 */
export function localDateIn(timeZone: string): (instant: Date) => string {
  const fmt = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (instant: Date) => {
    const parts = fmt.formatToParts(instant);
    const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')}`;
  };
}

/** Local date of an instant at a fixed UTC offset in minutes. @example localDateAtOffset(new Date('2025-01-01T23:30:00Z'), 60) // '2025-01-02' */
export function localDateAtOffset(instant: Date, utcOffsetMin: number): string {
  return new Date(instant.getTime() + utcOffsetMin * 60_000).toISOString().slice(0, 10);
}

/**
 * `+02:00`-style label of an offset in minutes.
 * @example offsetLabel(-330) // '-05:30'
 */
export function offsetLabel(utcOffsetMin: number): string {
  const sign = utcOffsetMin < 0 ? '-' : '+';
  const a = Math.abs(Math.round(utcOffsetMin));
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** Earliest plausible activity start: 1990-01-01T00:00:00Z (before consumer GPS and heart-rate recording). */
export const EARLIEST_PLAUSIBLE_START_MS = Date.UTC(1990, 0, 1);
/** How far after the present an activity may start and still be plausible (clock and time-zone errors), ms. */
export const FUTURE_MARGIN_MS = 2 * MS_PER_DAY;

/**
 * Why a start instant cannot be a real activity's (before 1990, or more than
 * two days after `nowMs`), or null when it is plausible.
 * @example implausibleStartReason(Date.parse('9999-01-01T00:00:00Z'), Date.parse('2026-01-01T00:00:00Z')) // 'dated 9999-01-01, after today'
 */
export function implausibleStartReason(startMs: number, nowMs: number): string | null {
  if (!Number.isFinite(startMs)) return null;
  const date = Number.isFinite(new Date(startMs).getTime()) ? new Date(startMs).toISOString().slice(0, 10) : String(startMs);
  if (startMs < EARLIEST_PLAUSIBLE_START_MS) return `dated ${date}, before 1990`;
  if (startMs > nowMs + FUTURE_MARGIN_MS) return `dated ${date}, after today`;
  return null;
}
