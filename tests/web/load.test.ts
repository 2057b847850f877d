/**
 * The page's loader (web/load.ts, reading zips by slices of a Blob) against
 * the command's (`loadActivities`, yauzl on disk) on the same hostile and
 * ordinary archives: the same files found, the same refusals with the same
 * codes, and the same messages wherever the message is stridewise's own
 * (not a zip library's description of the damage). Runs in Node (Blob is
 * global there), no browser needed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeFitActivity, FIT_FILE_TYPE, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import type { ArchiveLimits } from '../../src/node/limits.js';
import { DEFAULT_ARCHIVE_LIMITS } from '../../src/node/limits.js';
import { loadActivities } from '../../src/node/load.js';
import { ProgressCounter } from '../../src/node/progress.js';
import { DEFAULT_PARSE_LIMITS } from '../../src/parse/limits.js';
import { tempDir } from '../cli/helpers.js';
import { rawZip } from '../hostile/zip-raw.js';
import { loadInputs, type LoadItem } from '../../web/load.js';

const FIT = encodeFitActivity({ startTime: new Date('2024-05-01T07:00:00Z'), samples: steadyRunSamples({ seconds: 60, speedMps: 3, cadenceSpm: 170 }) });
const MONITORING = encodeFitActivity({ startTime: new Date('2024-05-01T00:00:00Z'), samples: { timeS: [] }, sessions: [], writeActivity: false, fileType: FIT_FILE_TYPE.monitoringB });
const enc = new TextEncoder();

/** One outcome per file found: `path ok`, or `path CODE` with the message. */
interface Outcome {
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

const tmp = tempDir('web-load');
afterAll(() => tmp.remove());

async function viaCommand(name: string, limits: Partial<ArchiveLimits>): Promise<Outcome[]> {
  const out: Outcome[] = [];
  // given by its full path, labelled as given: the folder is taken off to compare with the page's label (the name)
  const prefix = `${tmp.dir}/`;
  for await (const f of loadActivities([join(tmp.dir, name)], { archiveLimits: limits, parse: async () => [] })) {
    const label = (text: string): string => text.split(prefix).join('');
    out.push({ path: label(f.path), code: f.error?.code ?? 'ok', message: label(f.error?.message ?? '') });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || (a.code < b.code ? -1 : 1));
}

async function viaPage(name: string, limits: Partial<ArchiveLimits>): Promise<Outcome[]> {
  const out: Outcome[] = [];
  const file = new Blob([readFileSync(join(tmp.dir, name))]);
  const items = loadInputs([{ file, label: name, inFolder: false }], {
    archiveLimits: { ...DEFAULT_ARCHIVE_LIMITS, ...limits },
    parseLimits: DEFAULT_PARSE_LIMITS,
    progress: new ProgressCounter(undefined),
  });
  for await (const item of items as AsyncGenerator<LoadItem>) {
    out.push(item.kind === 'file' ? { path: item.path, code: 'ok', message: '' } : { path: item.path, code: item.code, message: item.message });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || (a.code < b.code ? -1 : 1));
}

/** Compares both loaders; messages that quote a zip library's own words are compared by code only. */
async function same(name: string, bytes: Uint8Array, limits: Partial<ArchiveLimits> = {}, libraryWorded: readonly string[] = []): Promise<Outcome[]> {
  writeFileSync(join(tmp.dir, name), bytes);
  const [command, page] = await Promise.all([viaCommand(name, limits), viaPage(name, limits)]);
  const strip = (o: Outcome): Outcome => (libraryWorded.includes(o.path) ? { ...o, message: '(library wording)' } : o);
  expect(page.map(strip)).toEqual(command.map(strip));
  return page;
}

describe('the page reads archives as the command does', () => {
  it('a Strava-shaped zip: every activity file found, documents skipped, a FIT without activity passed on', async () => {
    const zip = zipSync({
      'activities.csv': [enc.encode('Activity ID,Activity Name,Filename\n1,Morning,activities/1.fit\n'), { level: 6 }],
      'activities/1.fit': [FIT, { level: 6 }],
      'activities/2.fit': [MONITORING, { level: 0 }],
      'media/photo.jpg': [new Uint8Array(10), { level: 0 }],
      '__MACOSX/activities/._1.fit': [new Uint8Array(10), { level: 0 }],
    });
    const got = await same('strava.zip', zip);
    expect(got.map((o) => o.path)).toEqual(['strava.zip!activities/1.fit', 'strava.zip!activities/2.fit']);
  });

  it('refusals: encrypted, unsupported method, wrong CRC, a declared ratio over 200:1, sizes that lie', async () => {
    const zeros = new Uint8Array(4 * 1024 * 1024);
    const zip = rawZip([
      { name: 'a/run.fit', data: FIT, deflate: true },
      { name: 'a/secret.fit', data: FIT, deflate: true, flags: 1 },
      { name: 'a/bzip.fit', data: FIT, method: 12 },
      { name: 'a/crc.fit', data: FIT, crc: 12345 },
      { name: 'a/ratio.gpx', data: zeros, deflate: true },
      { name: 'a/liar.fit', data: zeros, deflate: true, declaredSize: 100 },
    ]);
    const got = await same('hostile.zip', zip, {}, ['hostile.zip!a/liar.fit']);
    expect(got.map((o) => `${o.path} ${o.code}`)).toEqual([
      'hostile.zip!a/bzip.fit ZIP_UNSUPPORTED',
      'hostile.zip!a/crc.fit ZIP_CORRUPT',
      'hostile.zip!a/liar.fit ZIP_BOMB',
      'hostile.zip!a/ratio.gpx ZIP_BOMB',
      'hostile.zip!a/run.fit ok',
      'hostile.zip!a/secret.fit ZIP_ENCRYPTED',
    ]);
  });

  it("Garmin-shaped zips inside a zip, streamed: a bomb inside one, nesting past the depth limit, the rest read", async () => {
    const inner = zipSync({ '1_ACTIVITY.fit': [FIT, { level: 6 }], '2_BOMB.fit': [new Uint8Array(8 * 1024 * 1024), { level: 9 }] });
    let deep: Uint8Array = zipSync({ 'deep.fit': [FIT, { level: 6 }] });
    for (let i = 0; i < 3; i++) deep = zipSync({ [`d${i}.zip`]: [deep, { level: 0 }] });
    const zip = zipSync({
      'DI_CONNECT/Uploaded/UploadedFiles_0.zip': [inner, { level: 6 }],
      'DI_CONNECT/Uploaded/deep.zip': [deep, { level: 0 }],
      'DI_CONNECT/summary.json': [enc.encode('{}'), { level: 6 }],
    });
    const got = await same('garmin.zip', zip);
    expect(got.filter((o) => o.code === 'ok').map((o) => o.path)).toEqual(['garmin.zip!DI_CONNECT/Uploaded/UploadedFiles_0.zip!1_ACTIVITY.fit']);
    expect(got.map((o) => o.code).sort()).toEqual(['ZIP_BOMB', 'ZIP_TOO_DEEP', 'ok']);
  });

  it('the same limits when set lower: one entry over maxEntryBytes, an archive over maxArchiveBytes', async () => {
    const zip = zipSync({ 'a.fit': [FIT, { level: 0 }], 'big.gpx': [new Uint8Array(300_000).fill(65), { level: 6 }] });
    const one = await same('limits.zip', zip, { maxEntryBytes: 200_000 });
    expect(one.map((o) => o.code)).toEqual(['ok', 'ZIP_BOMB']);
    const all = await same('limits2.zip', zip, { maxArchiveBytes: 100_000 });
    // the entry alone declares more than the whole archive may inflate: refused before reading
    expect(all.map((o) => `${o.path} ${o.code}`)).toEqual(['limits2.zip!a.fit ok', 'limits2.zip!big.gpx ZIP_BOMB']);
    expect(all[1]!.message).toMatch(/over the archive limit of 100000 bytes/);
  });

  it('a gzip file stored in a zip is metered as it would inflate: a 200:1 bomb refused, a real .fit.gz passed on', async () => {
    // 8 MiB of zeros gzip to about 8 kB (over 1,000:1), stored as is in the zip
    const bomb = gzipSync(new Uint8Array(8 * 1024 * 1024), { level: 9 });
    const zip = zipSync({ 'a.fit.gz': [gzipSync(FIT), { level: 0 }], 'bomb.fit.gz': [bomb, { level: 0 }] });
    const got = await same('gz.zip', zip);
    expect(got.map((o) => `${o.path} ${o.code}`)).toEqual(['gz.zip!a.fit.gz ok', 'gz.zip!bomb.fit.gz ZIP_BOMB']);
    expect(got[1]!.message).toMatch(/^gzip inside the archive: /);
  });

  it('a zip cut short is read from its local headers: the entry cut is ZIP_CORRUPT, one note for the archive, no crash', async () => {
    const zip = zipSync({ 'a.fit': [FIT, { level: 6 }] });
    const got = await same('cut.zip', zip.subarray(0, 60));
    expect(got).toEqual([
      { path: 'cut.zip', code: 'ZIP_CORRUPT', message: 'the archive has no end-of-directory record (cut short or not a zip); its 1 entries were read from their local headers' },
      { path: 'cut.zip!a.fit', code: 'ZIP_CORRUPT', message: 'the archive ends inside this entry (cut short)' },
    ]);
  });

  it('a download cut inside its third entry keeps the two entries before the cut', async () => {
    const zip = zipSync({ 'a.fit': [FIT, { level: 6 }], 'b.fit': [FIT, { level: 0 }], 'c.fit': [FIT, { level: 0 }] });
    // the third local header starts after the first two entries; cut 10 bytes into its data
    const third = zip.length - (30 + 5 + FIT.length) - (46 + 5) * 3 - 22;
    const got = await same('cut3.zip', zip.subarray(0, third + 30 + 5 + 10));
    expect(got.map((o) => `${o.path} ${o.code}`)).toEqual(['cut3.zip ZIP_CORRUPT', 'cut3.zip!a.fit ok', 'cut3.zip!b.fit ok', 'cut3.zip!c.fit ZIP_CORRUPT']);
  });
});
