/**
 * `activityFromStravaStreams`: an {@link Activity} from the Strava API's
 * activity streams (`GET /activities/{id}/streams`) and the activity object
 * (`GET /activities/{id}`), as the API returns them.
 */
import type { Activity, DeviceSummary, Sport, SubSport } from '../activity.js';
import { ParseError } from '../errors.js';
import type { CadenceUnitOption } from './cadence.js';
import { activityFromStreams, type StreamColumns } from './streams.js';
import { labelToSport } from './sport.js';

/** One Strava stream as the API returns it. `latlng` holds `[lat, lng]` pairs, `moving` booleans, the rest numbers. */
export interface StravaStream {
  readonly type?: string;
  readonly data: readonly unknown[];
  readonly series_type?: string;
  readonly original_size?: number;
  readonly resolution?: string;
}

/**
 * The stream set: the array of streams (`[{ type: 'time', data: [...] }, ...]`)
 * or the object the API returns with `key_by_type=true` (`{ time: { data }, ... }`).
 */
export type StravaStreamSet = readonly StravaStream[] | { readonly [type: string]: StravaStream | undefined };

/** The fields of a Strava activity object that are used (DetailedActivity or SummaryActivity). */
export interface StravaActivity {
  readonly id?: number | string;
  readonly name?: string;
  /** `Run`, `TrailRun`, `Ride`, `Walk`, ... (preferred over `type`). */
  readonly sport_type?: string;
  /** The older activity type, used when `sport_type` is absent. */
  readonly type?: string;
  /** Start in UTC, ISO 8601 (`2024-05-01T06:00:00Z`). */
  readonly start_date: string;
  /** Local start written as if UTC; its difference to `start_date` gives the UTC offset. */
  readonly start_date_local?: string;
  readonly timezone?: string;
  /** Indoor (treadmill, trainer). */
  readonly trainer?: boolean;
  /** Metres. */
  readonly distance?: number;
  /** Seconds. */
  readonly moving_time?: number;
  /** Seconds. */
  readonly elapsed_time?: number;
  /** Metres. */
  readonly total_elevation_gain?: number;
  /** m/s. */
  readonly average_speed?: number;
  /** Strides/min for runs, rpm for rides. */
  readonly average_cadence?: number;
  readonly average_heartrate?: number;
  readonly gear?: { readonly name?: string } | null;
}

/** Options of {@link activityFromStravaStreams}. */
export interface StravaStreamOptions {
  /** Unit of the `cadence` stream; default `strides` for runs (what Strava sends), `auto` for other sports. */
  readonly cadenceUnit?: CadenceUnitOption;
}

/** Strava sport types the file-label table does not cover. */
const STRAVA_SPORTS: Readonly<Record<string, readonly [Sport, SubSport]>> = {
  elliptical: ['fitness_equipment', 'elliptical'],
  stairstepper: ['fitness_equipment', 'stair_climbing'],
  rowing: ['rowing', 'generic'],
  virtualrow: ['rowing', 'indoor_rowing'],
  weighttraining: ['training', 'generic'],
  workout: ['training', 'generic'],
  crossfit: ['training', 'generic'],
  yoga: ['training', 'generic'],
  alpineski: ['alpine_skiing', 'generic'],
  backcountryski: ['alpine_skiing', 'generic'],
  nordicski: ['cross_country_skiing', 'generic'],
  snowboard: ['snowboarding', 'generic'],
  snowshoe: ['snowshoeing', 'generic'],
  kayaking: ['kayaking', 'generic'],
  canoeing: ['paddling', 'generic'],
  standuppaddling: ['stand_up_paddleboarding', 'generic'],
  inlineskate: ['inline_skating', 'generic'],
  iceskate: ['ice_skating', 'generic'],
  handcycle: ['cycling', 'generic'],
  velomobile: ['cycling', 'generic'],
};

/**
 * Sport and sub-sport of a Strava sport type (`Run`, `TrailRun`, `VirtualRun`,
 * `Ride`, `MountainBikeRide`, `Walk`, `Hike`, `Swim`, `Elliptical`, ...);
 * unknown types are `generic`.
 *
 * @example stravaSport('TrailRun') // { sport: 'running', subSport: 'trail' }
 */
export function stravaSport(sportType: string): { sport: Sport; subSport: SubSport } {
  const known = STRAVA_SPORTS[sportType.trim().toLowerCase()];
  if (known !== undefined) return { sport: known[0], subSport: known[1] };
  return { ...labelToSport(sportType) };
}

function invalid(message: string): ParseError {
  return new ParseError('INVALID_INPUT', message);
}

function streamsByType(streams: StravaStreamSet): Map<string, readonly unknown[]> {
  if (streams === null || typeof streams !== 'object') throw invalid('streams must be the array or the key_by_type object the Strava API returns');
  const out = new Map<string, readonly unknown[]>();
  const entries: [string, unknown][] = Array.isArray(streams)
    ? (streams as readonly unknown[]).map((s, i) => {
        const type = (s as StravaStream | null)?.type;
        if (typeof type !== 'string') throw invalid(`streams[${i}] has no type`);
        return [type, s];
      })
    : Object.entries(streams);
  for (const [type, s] of entries) {
    if (s === undefined) continue;
    const data = (s as StravaStream | null)?.data;
    if (!Array.isArray(data)) throw invalid(`stream ${type} has no data array`);
    if (out.has(type)) throw invalid(`stream ${type} is given twice`);
    out.set(type, data);
  }
  return out;
}

function numbers(type: string, data: readonly unknown[]): (number | null)[] {
  return data.map((v, i) => {
    if (v === null || v === undefined) return null;
    if (typeof v !== 'number') throw invalid(`stream ${type}[${i}] is ${typeof v}, not a number`);
    return v;
  });
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/**
 * Builds an {@link Activity} from a Strava stream set and its activity object,
 * through {@link activityFromStreams} (same checks, same sanitising).
 *
 * Streams used: `time` (s), `distance` (m), `latlng`, `altitude` (m),
 * `velocity_smooth` (m/s), `heartrate` (bpm), `cadence`, `watts`, `temp` (°C).
 * Strava's running cadence counts one foot (strides/min) and is doubled to
 * steps/min; a ride's cadence (rpm) is kept as it is. `moving` and
 * `grade_smooth` are not used: stridewise decides moving from speed and
 * grades from altitude over distance, the same way for every source.
 * The sport is `sport_type` (else `type`); `trainer: true` makes a run a
 * treadmill run and a ride an indoor ride. The UTC offset is `start_date_local`
 * minus `start_date`. The activity's totals become the device summary.
 *
 * @throws {ParseError} `INVALID_INPUT` for a malformed stream set or activity
 * (a stream without data, a `latlng` entry that is not a pair, no `start_date`),
 * and every error of {@link activityFromStreams}.
 * @example
 * const run = activityFromStravaStreams(
 *   [
 *     { type: 'time', data: [0, 1, 2, 3] },
 *     { type: 'distance', data: [0, 3, 6, 9] },
 *     { type: 'cadence', data: [85, 86, 85, 86] },
 *   ],
 *   { sport_type: 'Run', start_date: '2024-05-01T06:00:00Z' },
 * );
 * run.samples.cadenceSpm[1]; // 172 (strides doubled)
 */
export function activityFromStravaStreams(
  streams: StravaStreamSet,
  activity: StravaActivity,
  options: StravaStreamOptions = {},
): Activity {
  if (activity === null || typeof activity !== 'object') throw invalid('activity must be the Strava activity object');
  if (typeof activity.start_date !== 'string') throw invalid('activity.start_date is missing: the Strava activity object gives the start in UTC');
  const label = activity.sport_type ?? activity.type;
  if (typeof label !== 'string' || label.trim() === '') throw invalid('activity.sport_type (or type) is missing');
  const { sport, subSport: labelled } = stravaSport(label);
  const subSport: SubSport =
    activity.trainer === true && labelled === 'generic' ? (sport === 'running' ? 'treadmill' : sport === 'cycling' ? 'indoor_cycling' : labelled) : labelled;

  const by = streamsByType(streams);
  const columns: Record<string, (number | null)[]> = {};
  const map: [string, keyof StreamColumns][] = [
    ['time', 'timeS'],
    ['distance', 'distanceM'],
    ['altitude', 'altitudeM'],
    ['velocity_smooth', 'speedMps'],
    ['heartrate', 'heartRateBpm'],
    ['cadence', 'cadence'],
    ['watts', 'powerW'],
    ['temp', 'temperatureC'],
  ];
  for (const [type, name] of map) {
    const data = by.get(type);
    if (data !== undefined) columns[name] = numbers(type, data);
  }
  const latlng = by.get('latlng');
  if (latlng !== undefined) {
    const lat: (number | null)[] = [];
    const lon: (number | null)[] = [];
    latlng.forEach((p, i) => {
      if (p === null) {
        lat.push(null);
        lon.push(null);
        return;
      }
      if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number') {
        throw invalid(`stream latlng[${i}] is not a [lat, lng] pair of numbers`);
      }
      lat.push(p[0]);
      lon.push(p[1]);
    });
    columns['latDeg'] = lat;
    columns['lonDeg'] = lon;
  }

  const start = new Date(activity.start_date);
  if (Number.isNaN(start.getTime())) throw invalid(`activity.start_date ${JSON.stringify(activity.start_date)} is not an ISO 8601 date`);
  const local = activity.start_date_local !== undefined ? new Date(activity.start_date_local) : undefined;
  const offsetMin = local !== undefined && !Number.isNaN(local.getTime()) ? Math.round((local.getTime() - start.getTime()) / 60_000) : undefined;
  const foot = sport === 'running';
  const cadenceUnit: CadenceUnitOption = options.cadenceUnit ?? (foot ? 'strides' : 'auto');
  const summary: { -readonly [K in keyof DeviceSummary]: DeviceSummary[K] } = {};
  const put = (key: keyof DeviceSummary, v: unknown, factor = 1): void => {
    const x = num(v);
    if (x !== undefined) summary[key] = x * factor;
  };
  put('totalDistanceM', activity.distance);
  put('timerTimeS', activity.moving_time);
  put('elapsedTimeS', activity.elapsed_time);
  put('ascentM', activity.total_elevation_gain);
  put('avgSpeedMps', activity.average_speed);
  put('avgHeartRateBpm', activity.average_heartrate);
  if (cadenceUnit !== 'auto' || !foot) put('avgCadenceSpm', activity.average_cadence, cadenceUnit === 'strides' && foot ? 2 : 1);
  const gear = activity.gear?.name;

  return activityFromStreams(columns as StreamColumns, {
    startTime: activity.start_date,
    sport,
    subSport,
    cadenceUnit,
    deviceSummary: summary,
    creator: 'Strava API',
    ...(typeof activity.name === 'string' ? { name: activity.name } : {}),
    ...(typeof gear === 'string' ? { gear } : {}),
    ...(offsetMin !== undefined && Number.isFinite(offsetMin) ? { utcOffsetMin: offsetMin } : {}),
    ...(activity.id !== undefined ? { id: `strava-${String(activity.id)}` } : {}),
  });
}
