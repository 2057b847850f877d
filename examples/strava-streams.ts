/**
 * An activity from data a service already holds: the Strava API's streams
 * (`GET /activities/{id}/streams?keys=time,distance,latlng,altitude,velocity_smooth,heartrate,cadence&key_by_type=true`)
 * and the activity object (`GET /activities/{id}`), or columns from a database.
 *
 *   npx tsx examples/strava-streams.ts streams.json activity.json
 *
 * Without arguments it uses one generated run of the demo season, shaped as
 * the Strava API returns it (running cadence in strides/min).
 */
import { readFile } from 'node:fs/promises';
import { demoSeasonActivities } from '../fixtures/demo-season/index.js';
import { activityFromStravaStreams, activityFromStreams, summarizeActivity, type StravaActivity, type StravaStreamSet } from '../src/index.js';

let streams: StravaStreamSet;
let activity: StravaActivity;
if (process.argv[2] !== undefined && process.argv[3] !== undefined) {
  streams = JSON.parse(await readFile(process.argv[2], 'utf8')) as StravaStreamSet;
  activity = JSON.parse(await readFile(process.argv[3], 'utf8')) as StravaActivity;
} else {
  const run = demoSeasonActivities().find((a) => a.sport === 'running' && a.samples.length > 0)!;
  const s = run.samples;
  streams = {
    time: { data: Array.from(s.timeS) },
    distance: { data: Array.from(s.distanceM) },
    latlng: { data: Array.from(s.latDeg, (lat, i) => [lat, s.lonDeg[i]!]) },
    altitude: { data: Array.from(s.altitudeM) },
    velocity_smooth: { data: Array.from(s.speedMps) },
    heartrate: { data: Array.from(s.heartRateBpm) },
    cadence: { data: Array.from(s.cadenceSpm, (spm) => spm / 2) }, // Strava: strides/min
  };
  activity = { id: 1, name: run.name ?? 'Run', sport_type: 'Run', start_date: run.startTime!.toISOString() };
}

const fromStrava = activityFromStravaStreams(streams, activity);
const s = summarizeActivity(fromStrava);
console.log(
  `${s.startTime} ${s.sport}: ${(s.distanceM / 1000).toFixed(2)} km, cadence ${s.cadence.avgSpm?.toFixed(0) ?? '–'} spm, ` +
    `step length ${s.stepLength.avgM?.toFixed(2) ?? '–'} m`,
);

// The same from plain columns (a database row set): cadence already in steps/min.
const fromColumns = activityFromStreams(
  { timeS: fromStrava.samples.timeS, distanceM: fromStrava.samples.distanceM, cadenceSpm: fromStrava.samples.cadenceSpm },
  { startTime: fromStrava.startTime!, sport: 'running' },
);
console.log(`from columns: cadence ${summarizeActivity(fromColumns).cadence.avgSpm?.toFixed(0) ?? '–'} spm`);
