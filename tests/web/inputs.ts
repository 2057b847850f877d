/**
 * Generated inputs of the page tests, written to a folder: a Strava-shaped
 * export (activities.csv naming each run and its shoes), a Garmin-shaped
 * export (a zip holding UploadedFiles zips of FIT files, with a monitoring
 * file and one run that is also in the Strava export), loose FIT, GPX and
 * TCX files, and a zip whose second entry is damaged (one byte changed, so
 * its CRC-32 fails). Everything is seeded: the same bytes every time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { buildExportZip, recordingOf, runColumns, seededRandom } from '../../bench/lib/export.js';
import { encodeFitActivity, FIT_FILE_TYPE } from '../../fixtures/lib/fit-writer.js';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { encodeTcx } from '../../fixtures/lib/tcx-writer.js';

const MTIME = new Date('2025-01-01T00:00:00Z');
const enc = new TextEncoder();

/** File names of the inputs, relative to the folder they were written to. */
export interface WebInputs {
  readonly strava: string;
  /** The Strava export unpacked into a folder, with a hidden file and a note that are skipped unread. */
  readonly stravaFolder: string;
  readonly garmin: string;
  readonly loose: readonly string[];
  readonly damaged: string;
  /** The entry of `damaged` whose CRC fails. */
  readonly damagedEntry: string;
  /** One run in June 2018, far before the others: with it the report has a period per year. */
  readonly oldRun: string;
  /** Runs planted in all inputs together but `oldRun` (the Garmin twin of a Strava run counted once). */
  readonly distinctRuns: number;
}

function fitOf(start: string, seconds: number, seed: number): Uint8Array {
  return encodeFitActivity({ startTime: new Date(start), samples: runColumns(seconds, seededRandom(seed)) });
}

/**
 * Writes the inputs to `dir`.
 *
 * @example const inputs = writeWebInputs(tmp); // inputs.strava === 'strava-export.zip'
 */
export function writeWebInputs(dir: string): WebInputs {
  // Strava: 10 runs of 15 min, every 3 days from 2020-01-06 (FIT, FIT.gz, GPX, TCX), plus a FIT with no activity
  const strava = buildExportZip({ runs: 10, seconds: 900, spacingDays: 3, xmlEvery: 4, withEmptyFit: true });
  writeFileSync(join(dir, 'strava-export.zip'), strava.zip);
  for (const [name, data] of Object.entries(unzipSync(strava.zip))) {
    const path = join(dir, 'strava-folder', name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
  }
  writeFileSync(join(dir, 'strava-folder', '.DS_Store'), 'not an activity');
  writeFileSync(join(dir, 'strava-folder', 'activities', 'notes.txt'), 'not an activity either');

  // Garmin: the export zip holds UploadedFiles zips; one run is the Strava export's first (same bytes, same id)
  const twin = encodeFitActivity({ startTime: new Date('2020-01-06T06:30:00Z'), samples: runColumns(900, seededRandom(1)) });
  const inner: Zippable = {
    '101_ACTIVITY.fit': [fitOf('2020-02-10T07:00:00Z', 1200, 11), { level: 6, mtime: MTIME }],
    '102_ACTIVITY.fit': [fitOf('2020-02-12T07:00:00Z', 1500, 12), { level: 6, mtime: MTIME }],
    '103_MONITOR.fit': [
      encodeFitActivity({ startTime: new Date('2020-02-12T00:00:00Z'), samples: { timeS: [] }, sessions: [], writeActivity: false, fileType: FIT_FILE_TYPE.monitoringB }),
      { level: 6, mtime: MTIME },
    ],
    '104_ACTIVITY.fit': [twin, { level: 6, mtime: MTIME }],
  };
  const garmin: Zippable = {
    'DI_CONNECT/DI-Connect-Fitness/user_summarizedActivities.json': [enc.encode('[]'), { level: 6, mtime: MTIME }],
    'DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip': [zipSync(inner), { level: 6, mtime: MTIME }],
    'DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part2.zip': [
      zipSync({ '105_ACTIVITY.fit': [fitOf('2020-02-15T07:00:00Z', 1800, 13), { level: 6, mtime: MTIME }] }),
      { level: 0, mtime: MTIME },
    ],
  };
  writeFileSync(join(dir, 'garmin-export.zip'), zipSync(garmin));

  // loose files
  const gpx = encodeGpx(recordingOf(runColumns(900, seededRandom(21)), new Date('2020-02-18T07:00:00Z'), 'Loose GPX'), { cadenceAs: 'strides' });
  const tcx = encodeTcx(recordingOf(runColumns(900, seededRandom(22)), new Date('2020-02-20T07:00:00Z'), 'Loose TCX'));
  writeFileSync(join(dir, 'loose-run.fit'), fitOf('2020-02-16T07:00:00Z', 900, 20));
  writeFileSync(join(dir, 'loose-run.gpx'), gpx);
  writeFileSync(join(dir, 'loose-run.tcx'), tcx);
  writeFileSync(join(dir, 'old-run.fit'), fitOf('2018-06-05T07:00:00Z', 900, 40));

  // a stored zip whose second entry has one byte changed inside its data
  const good = fitOf('2020-02-22T07:00:00Z', 600, 30);
  const bad = enc.encode(encodeGpx(recordingOf(runColumns(600, seededRandom(31)), new Date('2020-02-23T07:00:00Z'), 'Damaged'), { cadenceAs: 'strides' }));
  const damaged = zipSync({ 'good.fit': [good, { level: 0, mtime: MTIME }], 'damaged.gpx': [bad, { level: 0, mtime: MTIME }] });
  const marker = enc.encode('<trkseg>');
  const at = indexOf(damaged, marker);
  if (at < 0) throw new Error('marker not found in the stored GPX entry');
  damaged[at + 1] = 'X'.charCodeAt(0); // <Xrkseg>: data no longer match the stored CRC-32
  writeFileSync(join(dir, 'damaged.zip'), damaged);

  return {
    strava: 'strava-export.zip',
    stravaFolder: 'strava-folder',
    garmin: 'garmin-export.zip',
    loose: ['loose-run.fit', 'loose-run.gpx', 'loose-run.tcx'],
    damaged: 'damaged.zip',
    damagedEntry: 'damaged.zip!damaged.gpx',
    oldRun: 'old-run.fit',
    // 10 Strava + 3 Garmin (its fourth run is the Strava twin) + 3 loose + the good entry of the damaged zip
    distinctRuns: 10 + 3 + 3 + 1,
  };
}

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
