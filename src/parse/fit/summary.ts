/**
 * Session, lap, event and file_id messages turned into the activity's
 * summary, laps, pauses, source and UTC offset.
 */
import type { ActivitySource, DeviceSummary, Lap } from '../../activity.js';
import { getFitGarminProductName } from 'fit-file-parser';
import type { FitMessage } from './decode.js';
import { num, timeMs, type Mutable } from './values.js';

const MAX_UTC_OFFSET_MIN = 14 * 60;

/**
 * Start and end (UTC epoch ms) of a session from start_time, timestamp and total_elapsed_time.
 *
 * @example sessionRange({ start_time: new Date(0), total_elapsed_time: 60 }) // { startMs: 0, endMs: 60000 }
 */
export function sessionRange(s: FitMessage): { startMs: number; endMs: number } {
  let start = timeMs(s['start_time']);
  let end = timeMs(s['timestamp']);
  const elapsed = num(s['total_elapsed_time']);
  if (Number.isNaN(start) && !Number.isNaN(end) && Number.isFinite(elapsed)) start = end - elapsed * 1000;
  if (!Number.isNaN(start) && Number.isFinite(elapsed)) end = Math.max(Number.isNaN(end) ? -Infinity : end, start + elapsed * 1000);
  return { startMs: start, endMs: end };
}

/**
 * Manufacturer and product of a `file_id` in words (Garmin product numbers named from the FIT profile).
 *
 * @example creatorOf({ manufacturer: 'garmin', product: 2691 }) // { creator: 'garmin fr935', manufacturer: 'garmin', product: 'fr935' }
 */
export function creatorOf(fileId: FitMessage | undefined): Pick<ActivitySource, 'creator' | 'manufacturer' | 'product'> {
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

/**
 * Local time minus UTC in minutes from `activity.local_timestamp − activity.timestamp`; undefined when absent or beyond ±14 h.
 *
 * @example utcOffsetOf({ timestamp: new Date(0), local_timestamp: new Date(7200000) }) // 120
 */
export function utcOffsetOf(activity: FitMessage | undefined): number | undefined {
  if (activity === undefined) return undefined;
  const local = timeMs(activity['local_timestamp']);
  const utc = timeMs(activity['timestamp']);
  if (Number.isNaN(local) || Number.isNaN(utc)) return undefined;
  const min = Math.round((local - utc) / 60000);
  return Math.abs(min) <= MAX_UTC_OFFSET_MIN ? min : undefined;
}

/**
 * Timer pauses (UTC epoch ms) from `event` messages: a timer stop (any kind) up to the next timer start.
 *
 * @example pausesOf(part.events) // [{ startMs, endMs }, ...]
 */
export function pausesOf(events: readonly FitMessage[]): { startMs: number; endMs: number }[] {
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

/**
 * The device's session summary in stridewise units. `factor` converts stored cadence to
 * steps/min (the samples' factor); totalSteps only for foot sports.
 *
 * @example summaryOf(session, 2, true).avgCadenceSpm // 2 × (avg_cadence + avg_fractional_cadence)
 */
export function summaryOf(session: FitMessage | undefined, factor: number, foot: boolean): DeviceSummary {
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

/**
 * A lap with times in seconds since `startMs` and cadence × `factor` in steps/min.
 *
 * @example lapOf(lap, startMs, 2).avgCadenceSpm
 */
export function lapOf(l: FitMessage, startMs: number, factor: number): Lap {
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
