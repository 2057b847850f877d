import { readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { gzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { isStridewiseError } from '../../src/errors.js';
import { type LoadedFile, type LoadOptions, loadActivities, readActivityFile } from '../../src/node/load.js';
import { isSkippedName } from '../../src/node/names.js';
import {
  bytes,
  damageEntry,
  declareSize,
  fitMonitoring,
  fitRun,
  gpxRun,
  markEncrypted,
  streamedZipOf,
  stubParse,
  tcxRun,
  tempDir,
  zipOf,
} from './build.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function tmp(): ReturnType<typeof tempDir> {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t;
}

async function collect(paths: string | string[], options: LoadOptions = {}): Promise<{ files: LoadedFile[]; progress: [number, number | undefined][] }> {
  const progress: [number, number | undefined][] = [];
  const files: LoadedFile[] = [];
  for await (const f of loadActivities(paths, { parse: stubParse, ...options, onProgress: (d, t) => progress.push([d, t]) })) files.push(f);
  return { files, progress };
}

/** `path → activity id or error code`, the shape most assertions compare. */
function summary(files: readonly LoadedFile[], root: string): string[] {
  return files.map((f) => `${f.path.startsWith(root) ? f.path.slice(root.length + 1) : f.path} ${f.error ? f.error.code : f.activities.map((a) => a.id).join(',')}`);
}

function expectProgressWellFormed(progress: readonly [number, number | undefined][], filesProcessed: number): void {
  expect(progress.length).toBeGreaterThan(0);
  for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThanOrEqual(progress[i - 1]![0]);
  expect(progress[0]![0]).toBe(0);
  expect(progress.at(-1)).toEqual([filesProcessed, filesProcessed]);
  for (const [d, t] of progress) if (t !== undefined) expect(d).toBeLessThanOrEqual(t);
}

describe('folders', () => {
  it('reads nested folders recursively in code-point order, skipping hidden files and documents', async () => {
    const t = tmp();
    t.write('b/2.gpx', 'RUN b2');
    t.write('b/a/1.fit', 'RUN ba1');
    t.write('runs.csv/c.gpx', 'RUN c'); // a folder is never skipped for its extension
    t.write('a.tcx', 'RUN a');
    t.write('B.gpx', 'RUN B'); // upper case sorts before lower case in code-point order
    t.write('.hidden.gpx', 'RUN hidden');
    t.write('.git/x.gpx', 'RUN git');
    t.write('__MACOSX/b/._2.gpx', 'RUN mac');
    t.write('notes.txt', 'x');
    t.write('photo.JPG', 'x');
    t.write('summary.json', '{}');
    t.write('noext', 'garbage');
    const { files, progress } = await collect(t.dir);
    expect(summary(files, t.dir)).toEqual([
      'B.gpx B',
      'a.tcx a',
      join('b', '2.gpx') + ' b2',
      join('b', 'a', '1.fit') + ' ba1',
      'noext UNKNOWN_FORMAT',
      join('runs.csv', 'c.gpx') + ' c',
    ]);
    expectProgressWellFormed(progress, 6);
    // the total was known from the start (files counted upfront)
    expect(progress[0]).toEqual([0, 6]);
  });

  it('gives the same order whatever order the files were created in', async () => {
    const names = ['z.gpx', 'm/1.gpx', 'a.gpx', 'm/0.gpx', 'k.gpx'];
    const orders: string[][] = [];
    for (const perm of [names, [...names].reverse(), [names[2]!, names[0]!, names[4]!, names[1]!, names[3]!]]) {
      const t = tmp();
      for (const n of perm) t.write(n, `RUN ${n}`);
      orders.push(summary((await collect(t.dir)).files, t.dir));
    }
    expect(orders[1]).toEqual(orders[0]);
    expect(orders[2]).toEqual(orders[0]);
    expect(orders[0]).toEqual(['a.gpx a.gpx', 'k.gpx k.gpx', `${join('m', '0.gpx')} m/0.gpx`, `${join('m', '1.gpx')} m/1.gpx`, 'z.gpx z.gpx']);
  });

  it('yields every non-skipped file once, in segment-wise code-point order, for any folder tree (property)', async () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_.-]{1,5}$/).filter((x) => x !== '.' && x !== '..');
    const tree = fc.uniqueArray(fc.array(segment, { minLength: 1, maxLength: 3 }), { maxLength: 12, selector: (p) => p.join('/') });
    const cmp = (a: string[], b: string[]): number => {
      for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
      return a.length - b.length;
    };
    await fc.assert(
      fc.asyncProperty(tree, async (paths) => {
        // drop paths whose folder is also a file
        const files = paths.filter((p) => !paths.some((q) => q.length < p.length && q.every((s, i) => s === p[i])));
        const t = tempDir();
        try {
          for (const p of files) t.write(p.join('/'), `RUN ${p.join('/')}`);
          const expected = files.filter((p) => !isSkippedName(p.join('/'))).sort(cmp).map((p) => p.join('/'));
          const { files: got, progress } = await collect(t.dir);
          expect(got.map((f) => f.activities[0]?.id ?? f.error?.code)).toEqual(expected);
          expectProgressWellFormed(progress, expected.length);
        } finally {
          t.cleanup();
        }
      }),
      { numRuns: 25 },
    );
  });

  it('keeps going past broken files, a missing path and unreadable entries', async () => {
    const t = tmp();
    t.write('1.gpx', 'RUN one');
    t.write('2.gpx', 'not xml at all');
    t.write('3.gpx', 'RUN three');
    t.write('empty.fit', '');
    const missing = join(t.dir, 'nope.fit');
    const { files, progress } = await collect([join(t.dir, '1.gpx'), missing, t.dir]);
    expect(summary(files, t.dir)).toEqual(['1.gpx one', 'nope.fit FILE_NOT_FOUND', '2.gpx UNKNOWN_FORMAT', '3.gpx three', 'empty.fit UNKNOWN_FORMAT']);
    expect(files[1]!.error!.message).toContain('nope.fit');
    expectProgressWellFormed(progress, 5);
  });

  it('does not follow a symlink loop forever', async () => {
    const t = tmp();
    t.write('d/1.gpx', 'RUN one');
    symlinkSync(join(t.dir, 'd'), join(t.dir, 'd', 'loop'));
    const { files } = await collect(t.dir);
    expect(summary(files, t.dir)).toEqual([`${join('d', '1.gpx')} one`]);
  });

  it('reads gzip files through the parser (content decides, not the name)', async () => {
    const t = tmp();
    t.write('a.gpx.gz', gzipSync(bytes(gpxRun('2024-05-01T06:00:00Z'))));
    t.write('b.gz', gzipSync(bytes('RUN b')));
    const { files } = await collect(t.dir);
    // stubParse does not gunzip: the real parser is used for gzip below
    expect(files.map((f) => f.path.slice(t.dir.length + 1))).toEqual(['a.gpx.gz', 'b.gz']);
    const real = [];
    for await (const f of loadActivities(t.dir)) real.push(f);
    expect(real[0]!.error).toBeUndefined();
    expect(real[0]!.activities).toHaveLength(1);
    expect(real[0]!.activities[0]!.source.fileName).toBe(join(t.dir, 'a.gpx.gz'));
    expect(real[1]!.error?.code).toBe('UNKNOWN_FORMAT');
  });

  it('with the real parsers: GPX, TCX, FIT and a FIT monitoring file side by side', async () => {
    const t = tmp();
    t.write('run.gpx', gpxRun('2024-05-01T06:00:00Z', 'Morning'));
    t.write('run.tcx', tcxRun('2024-05-02T06:00:00Z'));
    t.write('run.fit', fitRun('2024-05-03T06:00:00Z'));
    t.write('wellness.fit', fitMonitoring('2024-05-03T00:00:00Z'));
    const files: LoadedFile[] = [];
    for await (const f of loadActivities(t.dir)) files.push(f);
    expect(files.map((f) => [f.path.slice(t.dir.length + 1), f.error?.code ?? f.activities.length])).toEqual([
      ['run.fit', 1],
      ['run.gpx', 1],
      ['run.tcx', 1],
      ['wellness.fit', 'NOT_AN_ACTIVITY'],
    ]);
    expect(files[1]!.activities[0]!.name).toBe('Morning');
    // start times planted in the writers
    expect(files.slice(0, 3).map((f) => f.activities[0]!.startTime?.toISOString())).toEqual([
      '2024-05-03T06:00:00.000Z',
      '2024-05-01T06:00:00.000Z',
      '2024-05-02T06:00:00.000Z',
    ]);
    const kept: LoadedFile[] = [];
    const progress: [number, number | undefined][] = [];
    for await (const f of loadActivities(t.dir, { skipNonActivities: true, onProgress: (d, tt) => progress.push([d, tt]) })) kept.push(f);
    expect(kept.map((f) => f.path.slice(t.dir.length + 1))).toEqual(['run.fit', 'run.gpx', 'run.tcx']);
    // the skipped file still counts as processed
    expect(progress.at(-1)).toEqual([4, 4]);
  });
});

describe('Strava exports', () => {
  const csvNew =
    'Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Activity Gear,Filename,Distance\n' +
    '1,"Jan 1, 2024",Lunch Run,Run,,1800,5.0,Pegasus 40,activities/1.gpx,5000\n' +
    '2,"Jan 2, 2024","Hills, hills",Run,"quoted, with comma",1800,5.0,,activities/2.fit.gz,5000\n' +
    '3,"Jan 3, 2024",Manual entry,Run,,1800,5.0,Pegasus 40,,5000\n';
  const csvOld = 'id,date,name,type,description,elapsed_time,distance,commute,gear,filename\n1,2016-01-01,Old Run,Run,,100,1,false,Kinvara,activities/1.gpx\n';
  const csvGerman = '\ufeffAktivitäts-ID,Aktivitätsname,Aktivitätsausrüstung,Dateiname\n1,Morgenlauf,Ghost 15,activities/1.gpx\n';
  const csvUnknownLanguage = 'Kimlik,Ad,Ekipman,Dosya\n1,Sabah,Nimbus,activities/1.gpx\n';

  it('joins names and gear from activities.csv in a zip (file name join, header variants)', async () => {
    const t = tmp();
    const zip = t.write(
      'export.zip',
      zipOf({
        'activities.csv': csvNew,
        'activities/1.gpx': 'RUN 1',
        'activities/2.fit.gz': 'RUN 2',
        'activities/3.tcx.gz': 'RUN 3',
        'profile.csv': 'x',
        'media/1.jpg': 'x',
      }),
    );
    const { files, progress } = await collect(zip);
    expect(files.map((f) => [f.path, f.activities[0]?.name, f.activities[0]?.gear])).toEqual([
      [`${zip}!activities/1.gpx`, 'Lunch Run', 'Pegasus 40'],
      [`${zip}!activities/2.fit.gz`, 'Hills, hills', undefined],
      [`${zip}!activities/3.tcx.gz`, undefined, undefined],
    ]);
    expectProgressWellFormed(progress, 3);
  });

  it.each([
    ['2016 lower-case headers', csvOld, 'Old Run', 'Kinvara'],
    ['German headers with BOM', csvGerman, 'Morgenlauf', 'Ghost 15'],
    ['unknown language: file column found by content, no name/gear', csvUnknownLanguage, undefined, undefined],
  ])('reads %s', async (_label, csv, name, gear) => {
    const t = tmp();
    const zip = t.write('export.zip', zipOf({ 'activities.csv': csv, 'activities/1.gpx': 'RUN 1' }));
    const { files } = await collect(zip);
    expect(files).toHaveLength(1);
    expect(files[0]!.activities[0]!.name).toBe(name);
    expect(files[0]!.activities[0]!.gear).toBe(gear);
  });

  it('joins in an unpacked export folder and when given the activities/ folder itself', async () => {
    const t = tmp();
    t.write('strava/activities.csv', csvNew);
    t.write('strava/activities/1.gpx', 'RUN 1');
    t.write('strava/activities/2.fit.gz', 'RUN 2');
    for (const input of [join(t.dir, 'strava'), join(t.dir, 'strava', 'activities'), join(t.dir, 'strava', 'activities', '1.gpx')]) {
      const { files } = await collect(input);
      expect(files[0]!.activities[0]!.name).toBe('Lunch Run');
      expect(files[0]!.activities[0]!.gear).toBe('Pegasus 40');
    }
  });

  it('does not modify the parsed activities (new objects carry name and gear)', async () => {
    const t = tmp();
    const zip = t.write('export.zip', zipOf({ 'activities.csv': csvNew, 'activities/1.gpx': 'RUN 1' }));
    const original = { id: '1', source: { format: 'gpx', indexInFile: 0 } } as const;
    const frozen = Object.freeze({ ...original });
    const files: LoadedFile[] = [];
    for await (const f of loadActivities(zip, { parse: async () => [frozen as never] })) files.push(f);
    expect(files[0]!.activities[0]).not.toBe(frozen);
    expect(files[0]!.activities[0]!.name).toBe('Lunch Run');
    expect(frozen).toEqual(original);
  });

  it('reports an unreadable activities.csv once and still loads the activities', async () => {
    const t = tmp();
    const zip = t.write('export.zip', zipOf({ 'activities.csv': 'a,"b\n1,2', 'activities/1.gpx': 'RUN 1' }));
    const { files, progress } = await collect(zip);
    expect(summary(files, t.dir)).toEqual(['export.zip!activities.csv CORRUPT_FILE', 'export.zip!activities/1.gpx 1']);
    expectProgressWellFormed(progress, 2);
  });
});

describe('Garmin-like exports: zips inside a zip', () => {
  function garminExport(inner: (files: Record<string, Uint8Array | string>) => Uint8Array): Uint8Array {
    const part1 = inner({ '1001_ACTIVITY.fit': 'RUN g1', '1002_WELLNESS.fit': 'WELLNESS', '1003_ACTIVITY.fit': 'RUN g3' });
    const part2 = inner({ '2001_ACTIVITY.fit': 'RUN g4', 'readme.txt': 'skip me' });
    return zipOf({
      'DI_CONNECT/DI-Connect-Fitness/summary.json': '{}',
      'DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip': part1,
      'DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part2.zip': part2,
      'DI_CONNECT/DI-Connect-Wellness/x.fit': 'WELLNESS',
    });
  }
  const expected = [
    'export.zip!DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip!1001_ACTIVITY.fit g1',
    'export.zip!DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip!1002_WELLNESS.fit NOT_AN_ACTIVITY',
    'export.zip!DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip!1003_ACTIVITY.fit g3',
    'export.zip!DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part2.zip!2001_ACTIVITY.fit g4',
    'export.zip!DI_CONNECT/DI-Connect-Wellness/x.fit NOT_AN_ACTIVITY',
  ];

  it.each([
    ['sizes in local headers', (f: Record<string, Uint8Array | string>) => zipOf(f)],
    ['data descriptors (streamed writer), deflate', (f: Record<string, Uint8Array | string>) => streamedZipOf(f)],
    ['data descriptors, stored', (f: Record<string, Uint8Array | string>) => streamedZipOf(f, true)],
  ])('reads nested zips with %s', async (_label, inner) => {
    const t = tmp();
    const zip = t.write('export.zip', garminExport(inner));
    const { files, progress } = await collect(zip);
    expect(summary(files, t.dir)).toEqual(expected);
    expectProgressWellFormed(progress, 5);
    // total unknown while the inner zips were pending, known again at the end
    expect(progress.some(([, total]) => total === undefined)).toBe(true);
    const kept = await collect(zip, { skipNonActivities: true });
    expect(kept.files.map((f) => f.activities[0]!.id)).toEqual(['g1', 'g3', 'g4']);
    expect(kept.progress.at(-1)).toEqual([5, 5]);
  });

  it('reads real FIT files from a nested zip with the real parser', async () => {
    const t = tmp();
    const inner = streamedZipOf({ 'a.fit': fitRun('2024-06-01T05:00:00Z'), 'b.fit': fitMonitoring('2024-06-01T00:00:00Z') });
    const zip = t.write('export.zip', zipOf({ 'UploadedFiles_0.zip': inner }));
    const files: LoadedFile[] = [];
    for await (const f of loadActivities(zip)) files.push(f);
    expect(files.map((f) => f.error?.code ?? f.activities[0]!.startTime!.toISOString())).toEqual(['2024-06-01T05:00:00.000Z', 'NOT_AN_ACTIVITY']);
    expect(files[0]!.activities[0]!.source.fileName).toBe(`${zip}!UploadedFiles_0.zip!a.fit`);
  });

  it('opens a zip recognised by content even without a .zip name', async () => {
    const t = tmp();
    const zip = t.write('export.bin', zipOf({ 'inner.dat': zipOf({ 'x.gpx': 'RUN x' }) }));
    const { files, progress } = await collect(zip);
    expect(summary(files, t.dir)).toEqual(['export.bin!inner.dat!x.gpx x']);
    expectProgressWellFormed(progress, 1);
  });
});

describe('archive safety', () => {
  const zeros = (n: number): Uint8Array => new Uint8Array(n);

  it('refuses an entry whose declared size or ratio is over the limits, others still load', async () => {
    const t = tmp();
    const zip = t.write('bomb.zip', zipOf({ 'a.gpx': 'RUN a', 'bomb.fit': zeros(8 * 1024 * 1024), 'b.gpx': 'RUN b' }));
    const { files } = await collect(zip);
    expect(summary(files, t.dir)).toEqual(['bomb.zip!a.gpx a', 'bomb.zip!bomb.fit ZIP_BOMB', 'bomb.zip!b.gpx b']);
    // 8 MiB of zeros deflate ~1000:1, over the default 200:1
    expect(files[1]!.error!.message).toMatch(/ratio|:1/);
    const small = await collect(zip, { archiveLimits: { maxEntryBytes: 1024 * 1024, maxCompressionRatio: 1e9 } });
    expect(small.files[1]!.error!.code).toBe('ZIP_BOMB');
    expect(small.files[1]!.error!.message).toContain('1.0 MiB');
  });

  it('counts inflated bytes when the header lies about the size', async () => {
    const t = tmp();
    const zip = t.write('liar.zip', declareSize(zipOf({ 'a.gpx': 'RUN a', 'liar.fit': zeros(4 * 1024 * 1024) }), 'liar.fit', 100));
    const { files } = await collect(zip);
    expect(summary(files, t.dir)).toEqual(['liar.zip!a.gpx a', 'liar.zip!liar.fit ZIP_BOMB']);
  });

  it('counts inflated bytes of nested entries that declare no size (data descriptors)', async () => {
    const t = tmp();
    const inner = streamedZipOf({ 'ok.gpx': 'RUN ok', 'bomb.fit': zeros(6 * 1024 * 1024), 'after.gpx': 'RUN after' });
    const zip = t.write('outer.zip', zipOf({ 'inner.zip': inner }));
    const { files, progress } = await collect(zip);
    expect(summary(files, t.dir)).toEqual(['outer.zip!inner.zip!ok.gpx ok', 'outer.zip!inner.zip!bomb.fit ZIP_BOMB', 'outer.zip!inner.zip!after.gpx after']);
    expectProgressWellFormed(progress, 3);
  });

  it('stops an archive once its total inflated bytes pass the archive limit', async () => {
    const t = tmp();
    let seed = 12345;
    const big = new Uint8Array(300_000).map(() => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24); // LCG noise: deflate cannot shrink it
    const zip = t.write('many.zip', zipOf({ '1.fit': big, '2.fit': big, '3.fit': big, '4.fit': big }));
    const { files, progress } = await collect(zip, { archiveLimits: { maxArchiveBytes: 1_000_000 } });
    // declared total 1.2 MB > 1 MB: refused whole before reading
    expect(summary(files, t.dir)).toEqual(['many.zip ZIP_BOMB']);
    expectProgressWellFormed(progress, 1);
    // nested: sizes unknown upfront, so the count of actual bytes stops it
    const nested = t.write('nested.zip', zipOf({ 'in.zip': streamedZipOf({ '1.fit': big, '2.fit': big, '3.fit': big, '4.fit': big }) }, 0));
    const r = await collect(nested, { archiveLimits: { maxArchiveBytes: 1_500_000 } });
    expect(r.files.at(-1)!.path).toBe(nested);
    expect(r.files.at(-1)!.error!.code).toBe('ZIP_BOMB');
    expect(r.files.length).toBeLessThan(5);
    expectProgressWellFormed(r.progress, r.files.length);
  });

  it('refuses zips nested deeper than maxZipDepth', async () => {
    const t = tmp();
    const level4 = zipOf({ 'deep.gpx': 'RUN deep' });
    const level3 = zipOf({ 'l4.zip': level4, 'x.gpx': 'RUN l3' });
    const level2 = streamedZipOf({ 'l3.zip': level3 });
    const zip = t.write('l1.zip', zipOf({ 'l2.zip': level2 }));
    const { files, progress } = await collect(zip);
    expect(summary(files, t.dir)).toEqual(['l1.zip!l2.zip!l3.zip!l4.zip ZIP_TOO_DEEP', 'l1.zip!l2.zip!l3.zip!x.gpx l3']);
    expect(files[0]!.error!.message).toContain('limit of 3');
    expectProgressWellFormed(progress, 2);
    const shallow = await collect(zip, { archiveLimits: { maxZipDepth: 1 } });
    expect(summary(shallow.files, t.dir)).toEqual(['l1.zip!l2.zip ZIP_TOO_DEEP']);
  });

  it('reads entries with traversal, absolute and backslash names only as labels', async () => {
    const t = tmp();
    const zip = t.write(
      'evil.zip',
      zipOf({ '../../etc/passwd.gpx': 'RUN up', '/abs/x.gpx': 'RUN abs', 'win\\dir\\y.gpx': 'RUN win', 'ctl\u001b[31m.gpx': 'RUN ctl' }),
    );
    const { files } = await collect(zip);
    expect(summary(files, t.dir).slice(0, 3)).toEqual(['evil.zip!../../etc/passwd.gpx up', 'evil.zip!/abs/x.gpx abs', 'evil.zip!win/dir/y.gpx win']);
    // the escape byte is shown as its CP437 glyph, never as a control character
    expect(files[3]!.path).toMatch(/evil\.zip!ctl.\[31m\.gpx$/);
    // eslint-disable-next-line no-control-regex
    expect(files.some((f) => /[\u0000-\u001f]/.test(f.path))).toBe(false);
    // nothing was written beside the archive
    expect(readdirSync(t.dir)).toEqual(['evil.zip']);
  });

  it('reports encrypted entries and goes on', async () => {
    const t = tmp();
    const zip = t.write('enc.zip', markEncrypted(zipOf({ 'a.gpx': 'RUN a', 'secret.fit': 'RUN s', 'b.gpx': 'RUN b' }), 'secret.fit'));
    const { files } = await collect(zip);
    expect(summary(files, t.dir)).toEqual(['enc.zip!a.gpx a', 'enc.zip!secret.fit ZIP_ENCRYPTED', 'enc.zip!b.gpx b']);
    const inner = markEncrypted(streamedZipOf({ 'a.gpx': 'RUN a', 'secret.fit': 'RUN s', 'b.gpx': 'RUN b' }), 'secret.fit');
    const nested = t.write('nested.zip', zipOf({ 'in.zip': inner }));
    expect(summary((await collect(nested)).files, t.dir)).toEqual([
      'nested.zip!in.zip!a.gpx a',
      'nested.zip!in.zip!secret.fit ZIP_ENCRYPTED',
      'nested.zip!in.zip!b.gpx b',
    ]);
  });

  it('reports damaged entries (bad deflate data, CRC) and goes on', async () => {
    const text = gpxRun('2024-01-01T00:00:00Z').repeat(3);
    const t = tmp();
    const zip = t.write('dmg.zip', damageEntry(zipOf({ 'a.gpx': 'RUN a', 'bad.gpx': text, 'b.gpx': 'RUN b' }), 'bad.gpx'));
    expect(summary((await collect(zip)).files, t.dir)).toEqual(['dmg.zip!a.gpx a', 'dmg.zip!bad.gpx ZIP_CORRUPT', 'dmg.zip!b.gpx b']);
    const stored = t.write('dmg0.zip', damageEntry(zipOf({ 'bad.gpx': text, 'b.gpx': 'RUN b' }, 0), 'bad.gpx'));
    const r = await collect(stored);
    expect(summary(r.files, t.dir)).toEqual(['dmg0.zip!bad.gpx ZIP_CORRUPT', 'dmg0.zip!b.gpx b']);
    expect(r.files[0]!.error!.message).toContain('CRC');
    const inner = damageEntry(zipOf({ 'bad.gpx': text, 'b.gpx': 'RUN b' }), 'bad.gpx');
    const nested = t.write('nested.zip', zipOf({ 'in.zip': inner }));
    expect(summary((await collect(nested)).files, t.dir)).toEqual(['nested.zip!in.zip!bad.gpx ZIP_CORRUPT', 'nested.zip!in.zip!b.gpx b']);
  });

  it('reports a corrupt or truncated archive without stopping the batch', async () => {
    const t = tmp();
    const good = zipOf({ 'a.gpx': 'RUN a', 'b.gpx': gpxRun('2024-01-01T00:00:00Z') });
    const cut = t.write('cut.zip', good.subarray(0, Math.floor(good.length / 2)));
    const junk = t.write('junk.zip', new Uint8Array([0x50, 0x4b, 3, 4, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const after = t.write('z.gpx', 'RUN z');
    const { files, progress } = await collect([cut, junk, after]);
    // cut in its second entry: the first is recovered from its local header, the cut entry and the archive are reported
    expect(summary(files, t.dir)).toEqual(['cut.zip!a.gpx a', 'cut.zip!b.gpx ZIP_CORRUPT', 'cut.zip ZIP_CORRUPT', 'junk.zip ZIP_CORRUPT', 'z.gpx z']);
    expectProgressWellFormed(progress, 5);
    // a nested zip cut short: entries before the cut still load
    const nested = t.write('nested.zip', zipOf({ 'in.zip': good.subarray(0, Math.floor(good.length / 2)) }));
    const r = await collect(nested);
    expect(r.files[0]!.path).toBe(`${nested}!in.zip!a.gpx`);
    expect(r.files[0]!.activities[0]!.id).toBe('a');
    expect(r.files.map((f) => f.error?.code)).toContain('ZIP_CORRUPT');
  });

  it('never throws and never hangs on damaged archives: random byte changes give typed per-file errors (property)', async () => {
    const inner = streamedZipOf({ 'a.gpx': 'RUN a', 'b.fit': 'RUN b'.repeat(50), 'c.zip': zipOf({ 'd.gpx': 'RUN d' }) });
    const good = zipOf({ 'activities.csv': 'Activity Name,Filename\nA,x.gpx\n', 'x.gpx': 'RUN x', 'in.zip': inner }, 0);
    const t = tmp();
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 6 }), async (edits) => {
        const bad = good.slice();
        for (const [at, xor] of edits) bad[at] = bad[at]! ^ xor;
        const p = t.write('fuzz.zip', bad);
        const { files, progress } = await collect(p);
        for (const f of files) {
          expect(f.path.startsWith(p)).toBe(true);
          if (f.error) expect(f.error.code).not.toBe('INTERNAL');
        }
        expectProgressWellFormed(progress, files.length);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses an archive whose central directory lists too many entries', async () => {
    const t = tmp();
    const zip = t.write('many.zip', zipOf({ '1.gpx': 'RUN 1', '2.gpx': 'RUN 2', '3.gpx': 'RUN 3' }));
    const { files } = await collect(zip, { archiveLimits: { maxEntriesPerArchive: 2 } });
    expect(summary(files, t.dir)).toEqual(['many.zip ZIP_BOMB']);
  });
});

describe('concurrency, abort and readActivityFile', () => {
  it('parses up to `concurrency` files at once and still yields in order', async () => {
    const t = tmp();
    for (let i = 0; i < 8; i++) t.write(`${i}.gpx`, `RUN ${i}`);
    let active = 0;
    let maxActive = 0;
    const slowFirst = async (input: Uint8Array, o: Parameters<typeof stubParse>[1]): ReturnType<typeof stubParse> => {
      active++;
      maxActive = Math.max(maxActive, active);
      const i = Number(new TextDecoder().decode(input).slice(4));
      await new Promise((r) => setTimeout(r, (8 - i) * 3)); // later files finish first
      active--;
      return stubParse(input, o);
    };
    const { files, progress } = await collect(t.dir, { parse: slowFirst, concurrency: 3 });
    expect(files.map((f) => f.activities[0]!.id)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7']);
    expect(maxActive).toBe(3);
    expectProgressWellFormed(progress, 8);
    await expect(collect(t.dir, { concurrency: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(collect(t.dir, { archiveLimits: { maxEntryBytes: -1 } })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(collect(t.dir, { archiveLimits: { maxZipDepth: 1.5 } })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(collect(t.dir, { archiveLimits: { maxCompressionRatio: Number.NaN } })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('stops when the signal aborts', async () => {
    const t = tmp();
    for (let i = 0; i < 5; i++) t.write(`${i}.gpx`, `RUN ${i}`);
    const controller = new AbortController();
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const f of loadActivities(t.dir, { parse: stubParse, signal: controller.signal })) {
          seen.push(f.activities[0]!.id);
          if (seen.length === 2) controller.abort();
        }
      })(),
    ).rejects.toThrow();
    expect(seen).toEqual(['0', '1']);
  });

  it('reads one file, and throws typed errors', async () => {
    const t = tmp();
    const p = t.write('run.gpx', gpxRun('2024-05-01T06:00:00Z'));
    const activities = await readActivityFile(p);
    expect(activities).toHaveLength(1);
    const codeOf = async (path: string, opts = {}): Promise<string> => {
      try {
        await readActivityFile(path, opts);
        return 'no error';
      } catch (e) {
        return isStridewiseError(e) ? e.code : `untyped ${String(e)}`;
      }
    };
    expect(await codeOf(join(t.dir, 'missing.gpx'))).toBe('FILE_NOT_FOUND');
    expect(await codeOf(t.dir)).toBe('FILE_UNREADABLE');
    expect(await codeOf(t.write('a.zip', zipOf({ 'a.gpx': 'x' })))).toBe('ARCHIVE_NOT_SUPPORTED_HERE');
    expect(await codeOf(p, { limits: { maxInputBytes: 10 } })).toBe('FILE_TOO_LARGE');
    expect(await codeOf(t.write('w.fit', fitMonitoring('2024-01-01T00:00:00Z')))).toBe('NOT_AN_ACTIVITY');
  });
});
