/**
 * Every input limit, one by one: over it gives its own error code, at it
 * the input is read. Parse limits (`ParseLimits`) through `parseActivities`
 * and the loader; archive limits (`ArchiveLimits`) through `loadActivities`.
 * Invalid limit values are refused, never taken as "no limit".
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, zipSync } from 'fflate';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { encodeFitActivity, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { encodeTcx } from '../../fixtures/lib/tcx-writer.js';
import { type ParseLimits } from '../../src/parse/limits.js';
import { DEFAULT_PARSE_LIMITS, parseActivities } from '../../src/index.js';
import { DEFAULT_ARCHIVE_LIMITS, type LoadedFile, type LoadOptions, loadActivities, readActivityFile } from '../../src/node/index.js';
import { ParseHarness } from './harness.js';
import { fitMessageSpans, withFitDataSize } from './mutate.js';
import { rawZip } from './zip-raw.js';

const enc = new TextEncoder();
const START = new Date('2024-05-27T06:00:00Z');
/** 121 samples: 0..120 s. */
const run = steadyRunSamples({ seconds: 120, speedMps: 3, cadenceSpm: 170 });
const GPX = encodeGpx({ startTime: START, sport: 'running', ...run });
const TCX = encodeTcx({ startTime: START, sport: 'running', ...run });
const FIT = encodeFitActivity({ startTime: START, samples: run });
/** Three 121-sample tracks / activities / sessions. */
const GPX3 = encodeGpx([0, 1, 2].map((k) => ({ startTime: new Date(START.getTime() + k * 3600_000), sport: 'running', ...run })));
const TCX3 = encodeTcx([0, 1, 2].map((k) => ({ startTime: new Date(START.getTime() + k * 3600_000), sport: 'running', ...run })));
const FIT3 = encodeFitActivity({
  startTime: START,
  samples: run,
  sessions: [
    { sport: 'running', startS: 0, endS: 39 },
    { sport: 'running', startS: 40, endS: 79 },
    { sport: 'running', startS: 80, endS: 120 },
  ],
});

async function codeOf(input: Uint8Array | string, limits: Partial<ParseLimits>): Promise<string> {
  try {
    const a = await parseActivities(input, { limits });
    return `${a.length}×${a.map((x) => x.samples.length).join('+')}`;
  } catch (e) {
    return (e as { code: string }).code;
  }
}

const harness = new ParseHarness('limits');
afterAll(() => harness.close());
let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'stridewise-limits-'));
  dirs.push(d);
  return d;
}
async function load(paths: string | string[], options: LoadOptions = {}): Promise<string[]> {
  const out: string[] = [];
  for await (const f of loadActivities(paths, options)) out.push(label(f));
  return out;
}
function label(f: LoadedFile): string {
  const name = f.path.slice(Math.max(f.path.lastIndexOf('/'), f.path.lastIndexOf('!')) + 1);
  return `${name} ${f.error?.code ?? f.activities.length}`;
}

describe('parse limits: each over its limit gives its own code, at the limit the file is read', () => {
  it('maxInputBytes → FILE_TOO_LARGE (bytes and text; the loader and readActivityFile check the size before reading)', async () => {
    const size = enc.encode(GPX).length;
    expect(await codeOf(enc.encode(GPX), { maxInputBytes: size - 1 })).toBe('FILE_TOO_LARGE');
    expect(await codeOf(enc.encode(GPX), { maxInputBytes: size })).toBe('1×121');
    expect(await codeOf(GPX, { maxInputBytes: GPX.length - 1 })).toBe('FILE_TOO_LARGE');
    const d = tmp();
    const p = join(d, 'run.gpx');
    writeFileSync(p, GPX);
    expect(await load(p, { limits: { maxInputBytes: size - 1 } })).toEqual(['run.gpx FILE_TOO_LARGE']);
    await expect(readActivityFile(p, { limits: { maxInputBytes: size - 1 } })).rejects.toMatchObject({ code: 'FILE_TOO_LARGE' });
  });

  it('maxDecompressedBytes → DECOMPRESSED_TOO_LARGE', async () => {
    const size = enc.encode(GPX).length;
    const gz = gzipSync(enc.encode(GPX));
    expect(await codeOf(gz, { maxDecompressedBytes: size - 1 })).toBe('DECOMPRESSED_TOO_LARGE');
    expect(await codeOf(gz, { maxDecompressedBytes: size })).toBe('1×121');
  });

  it('maxSamplesPerActivity → TOO_MANY_SAMPLES, in FIT, GPX and TCX', async () => {
    for (const [fmt, input] of [
      ['FIT', FIT],
      ['GPX', GPX],
      ['TCX', TCX],
    ] as const) {
      expect(await codeOf(input, { maxSamplesPerActivity: 120 }), fmt).toBe('TOO_MANY_SAMPLES');
      expect(await codeOf(input, { maxSamplesPerActivity: 121 }), fmt).toBe('1×121');
    }
  });

  it('maxSamplesPerFile → TOO_MANY_SAMPLES for several activities that are each under the per-activity limit', async () => {
    for (const [fmt, input] of [
      ['FIT', FIT3],
      ['GPX', GPX3],
      ['TCX', TCX3],
    ] as const) {
      // The file's total, counted from an unlimited parse: the limit is on the sum over its activities.
      const total = (await parseActivities(input)).reduce((n, a) => n + a.samples.length, 0);
      const perActivity = Math.max(...(await parseActivities(input)).map((a) => a.samples.length));
      expect(perActivity, fmt).toBeLessThan(total);
      expect(await codeOf(input, { maxSamplesPerFile: total - 1, maxSamplesPerActivity: perActivity }), fmt).toBe('TOO_MANY_SAMPLES');
      expect((await codeOf(input, { maxSamplesPerFile: total, maxSamplesPerActivity: perActivity })).startsWith('3×'), fmt).toBe(true);
    }
  });

  it('maxActivitiesPerFile → TOO_MANY_ACTIVITIES, in FIT (sessions), GPX (tracks) and TCX (activities)', async () => {
    for (const [fmt, input] of [
      ['FIT', FIT3],
      ['GPX', GPX3],
      ['TCX', TCX3],
    ] as const) {
      expect(await codeOf(input, { maxActivitiesPerFile: 2 }), fmt).toBe('TOO_MANY_ACTIVITIES');
      expect((await codeOf(input, { maxActivitiesPerFile: 3 })).startsWith('3×'), fmt).toBe(true);
    }
  });

  it('maxXmlDepth → XML_TOO_DEEP (GPX nests 5 levels down to <extensions>, TCX 6 down to <Trackpoint>)', async () => {
    expect(await codeOf(GPX, { maxXmlDepth: 4 })).toBe('XML_TOO_DEEP');
    expect(await codeOf(TCX, { maxXmlDepth: 5 })).toBe('XML_TOO_DEEP');
    expect(await codeOf(GPX, { maxXmlDepth: 64 })).toBe('1×121');
  });

  it('maxXmlValueChars → XML_VALUE_TOO_LARGE (text and attribute values)', async () => {
    const named = GPX.replace('<trk>', `<trk><name>${'n'.repeat(200)}</name>`);
    expect(await codeOf(named, { maxXmlValueChars: 199 })).toBe('XML_VALUE_TOO_LARGE');
    expect(await codeOf(named, { maxXmlValueChars: 200 })).toBe('1×121');
    expect(await codeOf(GPX.replace('creator="', `creator="${'c'.repeat(300)}`), { maxXmlValueChars: 299 })).toBe('XML_VALUE_TOO_LARGE');
  });

  it('a limit that is not a number greater than 0, or an unknown limit name, → INVALID_OPTION (never "no limit")', async () => {
    for (const bad of [Number.NaN, -1, 0, '1000' as unknown as number, null as unknown as number]) {
      expect(await codeOf(GPX, { maxInputBytes: bad }), String(bad)).toBe('INVALID_OPTION');
      expect(await codeOf(GPX, { maxXmlDepth: bad }), String(bad)).toBe('INVALID_OPTION');
    }
    expect(await codeOf(GPX, { maxSamples: 5 } as unknown as Partial<ParseLimits>)).toBe('INVALID_OPTION');
    expect(await codeOf(GPX, { maxInputBytes: Infinity, maxSamplesPerActivity: Infinity })).toBe('1×121');
    // through the loader: every file reports it, the batch goes on
    const d = tmp();
    writeFileSync(join(d, 'a.gpx'), GPX);
    writeFileSync(join(d, 'b.gpx'), GPX);
    expect(await load(d, { limits: { maxSamplesPerActivity: Number.NaN } })).toEqual(['a.gpx INVALID_OPTION', 'b.gpx INVALID_OPTION']);
  });

  it('the defaults are the documented ones', () => {
    expect(DEFAULT_PARSE_LIMITS).toEqual({
      maxInputBytes: 256 * 1024 * 1024,
      maxDecompressedBytes: 512 * 1024 * 1024,
      maxSamplesPerActivity: 2_000_000,
      maxSamplesPerFile: 4_000_000,
      maxActivitiesPerFile: 1_000,
      maxXmlDepth: 64,
      maxXmlValueChars: 1_048_576,
    });
    expect(DEFAULT_ARCHIVE_LIMITS).toEqual({
      maxEntryBytes: 256 * 1024 * 1024,
      maxCompressionRatio: 200,
      ratioCheckMinBytes: 1024 * 1024,
      maxArchiveBytes: 64 * 1024 * 1024 * 1024,
      maxEntriesPerArchive: 1_000_000,
      maxZipDepth: 3,
      maxCsvBytes: 64 * 1024 * 1024,
    });
  });
});

describe('the activity limit is decided before the activities are built', () => {
  it('a 6 MB FIT file with 200,000 session messages → TOO_MANY_ACTIVITIES within 10 s', async () => {
    // One real session message repeated 200,000 times (data size updated). Measured with 100,000:
    // 13 s and 650 MB, because every session became an activity (and every record was matched
    // against every session) before the count was compared with maxActivitiesPerFile.
    const fit = encodeFitActivity({ startTime: START, samples: steadyRunSamples({ seconds: 3600, speedMps: 3, cadenceSpm: 170 }) });
    const spans = fitMessageSpans(fit);
    const ses = spans.find((s) => s.global === 18)!;
    const n = 200_000;
    const block = fit.subarray(ses.start, ses.end);
    const out = new Uint8Array(fit.length + block.length * n);
    out.set(fit.subarray(0, ses.end));
    for (let i = 0; i < n; i++) out.set(block, ses.end + i * block.length);
    out.set(fit.subarray(ses.end), ses.end + n * block.length);
    const bytes = withFitDataSize(out, spans[spans.length - 1]!.end - fit[0]! + n * block.length);
    const o = await harness.check(bytes, 'FIT with 200,000 sessions', {}, 10_000);
    expect(o.kind === 'error' ? o.code : 'activities').toBe('TOO_MANY_ACTIVITIES');
  });
});

describe('archive limits: each over its limit gives its own code', () => {
  const zeros = new Uint8Array(2 * 1024 * 1024);
  let n = 0;
  const zipFile = (d: string, z: Uint8Array): string => {
    const p = join(d, `z${n++}.zip`);
    writeFileSync(p, z);
    return p;
  };

  it('maxEntryBytes → ZIP_BOMB for that entry', async () => {
    const d = tmp();
    const p = zipFile(d, zipSync({ 'big.fit': [zeros, { level: 0 }], 'run.fit': [FIT, { level: 0 }] }));
    expect(await load(p, { archiveLimits: { maxEntryBytes: zeros.length - 1 } })).toEqual(['big.fit ZIP_BOMB', 'run.fit 1']);
    expect(await load(p, { archiveLimits: { maxEntryBytes: zeros.length } })).toEqual(['big.fit UNKNOWN_FORMAT', 'run.fit 1']);
  });

  it('maxCompressionRatio (judged past ratioCheckMinBytes) → ZIP_BOMB', async () => {
    const d = tmp();
    const p = zipFile(d, zipSync({ 'zeros.fit': [zeros, { level: 9 }], 'run.fit': [FIT, { level: 6 }] }));
    expect(await load(p)).toEqual(['zeros.fit ZIP_BOMB', 'run.fit 1']);
    // judged only past ratioCheckMinBytes: a 2 MiB entry under a 4 MiB threshold passes
    expect(await load(p, { archiveLimits: { ratioCheckMinBytes: 4 * 1024 * 1024 } })).toEqual(['zeros.fit UNKNOWN_FORMAT', 'run.fit 1']);
  });

  it('maxArchiveBytes → ZIP_BOMB', async () => {
    const d = tmp();
    const p = zipFile(d, zipSync({ 'a.fit': [FIT, { level: 0 }], 'b.fit': [FIT, { level: 0 }] }));
    const out = await load(p, { archiveLimits: { maxArchiveBytes: FIT.length + 10 } });
    expect(out.some((l) => l.endsWith('ZIP_BOMB'))).toBe(true);
    expect(await load(p, { archiveLimits: { maxArchiveBytes: 2 * FIT.length } })).toEqual(['a.fit 1', 'b.fit 1']);
  });

  it('maxEntriesPerArchive → ZIP_BOMB', async () => {
    const d = tmp();
    const p = zipFile(d, rawZip([0, 1, 2, 3].map((i) => ({ name: `${i}.fit`, data: FIT }))));
    expect(await load(p, { archiveLimits: { maxEntriesPerArchive: 3 } })).toEqual([`z${n - 1}.zip ZIP_BOMB`]);
    expect(await load(p, { archiveLimits: { maxEntriesPerArchive: 4 } })).toEqual(['0.fit 1', '1.fit 1', '2.fit 1', '3.fit 1']);
  });

  it('maxZipDepth → ZIP_TOO_DEEP', async () => {
    const d = tmp();
    const inner = zipSync({ 'run.fit': [FIT, { level: 0 }] });
    const p = zipFile(d, zipSync({ 'in.zip': [inner, { level: 0 }] }));
    expect(await load(p, { archiveLimits: { maxZipDepth: 1 } })).toEqual(['in.zip ZIP_TOO_DEEP']);
    expect(await load(p, { archiveLimits: { maxZipDepth: 2 } })).toEqual(['run.fit 1']);
  });

  it('maxCsvBytes → FILE_TOO_LARGE for activities.csv, and the activities still load', async () => {
    const d = tmp();
    const csv = 'Activity ID,Activity Name,Filename\n1,Morning run,activities/1.fit\n';
    const p = zipFile(d, zipSync({ 'activities.csv': [enc.encode(csv), { level: 0 }], 'activities/1.fit': [FIT, { level: 0 }] }));
    const out = await load(p, { archiveLimits: { maxCsvBytes: csv.length - 1 } });
    expect(out).toContain('1.fit 1');
    expect(out.some((l) => l.startsWith('activities.csv FILE_TOO_LARGE'))).toBe(true);
  });

  it('an archive limit that is not a positive number → INVALID_OPTION before anything is read', async () => {
    const d = tmp();
    const p = zipFile(d, zipSync({ 'run.fit': [FIT, { level: 0 }] }));
    await expect(load(p, { archiveLimits: { maxCompressionRatio: Number.NaN } })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
    await expect(load(p, { archiveLimits: { maxZipDepth: 1.5 } })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
  });
});
