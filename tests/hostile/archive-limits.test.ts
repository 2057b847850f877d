/**
 * Archive limits that could be walked around, and zips that lost more than
 * their damaged part: overlapping records with padded sizes, Strava CSV and
 * gzip inside a zip metered like any entry, a strong-encryption entry, a zip
 * cut by one byte, and more than 65,535 entries without a zip64 record.
 * Zips are built in memory (small limits keep every case well under a second).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { updateCrc32 } from '../../src/node/crc32.js';
import { encodeFitActivity, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { type LoadedFile, type LoadOptions, loadActivities } from '../../src/node/load.js';
import { noise, rawZip } from './zip-raw.js';

const START = new Date('2024-05-27T06:00:00Z');
const samples = steadyRunSamples({ seconds: 60, speedMps: 3, cadenceSpm: 170 });
const FIT = encodeFitActivity({ startTime: START, samples });
const GPX = new TextEncoder().encode(encodeGpx({ startTime: START, sport: 'running', ...samples }));

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
function write(name: string, bytes: Uint8Array): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'stridewise-limits-'));
  dirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return { dir, path };
}

/** Loads and also counts the bytes handed to the parser (what was inflated and kept). */
async function load(path: string, options: LoadOptions = {}): Promise<{ files: LoadedFile[]; parsedBytes: number; outcome: string[] }> {
  let parsedBytes = 0;
  const files: LoadedFile[] = [];
  for await (const f of loadActivities(path, {
    ...options,
    parse: async (bytes, o) => {
      parsedBytes += bytes.length;
      const { parseActivities } = await import('../../src/parse/index.js');
      return parseActivities(bytes, o);
    },
  })) {
    files.push(f);
  }
  const root = path.slice(0, path.lastIndexOf('/') + 1);
  return { files, parsedBytes, outcome: files.map((f) => `${f.path.slice(root.length)} ${f.error ? f.error.code : f.activities.length}`) };
}

describe('overlapping records with padded sizes', () => {
  it('40 records over one 8 MiB-of-zeros entry whose compressed size is padded to pass the ratio check: inflated once', async () => {
    // 8 MiB of zeros deflate to ~8 kB; the padded size (64 KiB) makes the ratio 128:1, under 200:1.
    // Before: every record inflated its 8 MiB (40 × 8 MiB = 320 MiB); now each is refused from the offsets alone.
    const zeros = new Uint8Array(8 * 1024 * 1024);
    const zip = rawZip(
      [
        { name: 'base.fit', data: zeros, deflate: true, declaredCompressedSize: 64 * 1024 },
        { name: 'pad.txt', data: noise(64 * 1024) },
      ],
      Array.from({ length: 40 }, (_, i) => ({ name: `copy${i}.fit`, target: 0 })),
    );
    const { path } = write('padded.zip', zip);
    const t0 = performance.now();
    const r = await load(path);
    // the first record keeps its data (8 MiB of zeros: not an activity), the 40 copies are refused unread
    expect(r.files).toHaveLength(41);
    expect(r.outcome[0]).toBe('padded.zip!base.fit UNKNOWN_FORMAT');
    expect(r.files.slice(1).every((f) => f.error?.code === 'ZIP_BOMB' && /overlap/.test(f.error.message))).toBe(true);
    expect(r.parsedBytes).toBe(zeros.length);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it('a record pointing into the middle of another entry (a quoted local header) is refused, the entry itself loads', async () => {
    const zip = rawZip([{ name: 'run.fit', data: FIT }]);
    // a second central record whose local offset is 10 bytes into run.fit's header
    const { path } = write('quoted.zip', withExtraRecord(zip, 'inner.fit', 10));
    const r = await load(path);
    expect(r.outcome).toEqual(['quoted.zip!run.fit 1', 'quoted.zip!inner.fit ZIP_BOMB']);
  });
});

describe('Strava activities.csv and gzip inside a zip count like any entry', () => {
  it('an activities.csv that inflates 1000:1 is refused by the ratio check; the activities still load', async () => {
    const line = 'Activity ID,Activity Name,Filename\n' + '1,Easy,x.gpx\n'.repeat(300_000); // ~4 MiB, deflates ~1000:1
    const { path } = write('strava.zip', zipSync({ 'activities.csv': [new TextEncoder().encode(line), { level: 9 }], 'x.gpx': [GPX, { level: 6 }] }));
    const r = await load(path);
    expect(r.outcome).toEqual(['strava.zip!activities.csv ZIP_BOMB', 'strava.zip!x.gpx 1']);
    expect(r.files[0]!.error!.message).toMatch(/200:1/);
  });

  it('several activities.csv files share one maxCsvBytes budget per archive', async () => {
    const csv = new TextEncoder().encode(`Activity ID,Activity Name,Filename\n${'1,Easy,x.gpx\n'.repeat(40)}`); // 555 bytes
    const { path } = write('csvs.zip', zipSync({ 'a/activities.csv': csv, 'b/activities.csv': csv, 'x.gpx': GPX }, { level: 0 }));
    const r = await load(path, { archiveLimits: { maxCsvBytes: 1000 } });
    expect(r.outcome).toEqual(['csvs.zip!b/activities.csv FILE_TOO_LARGE', 'csvs.zip!x.gpx 1']);
  });

  it('a gzip stored in a zip is counted as it would inflate: ratio and archive budget', async () => {
    const bomb = gzipSync(new Uint8Array(4 * 1024 * 1024), { level: 9 }); // ~4 kB
    const { path } = write('gz.zip', zipSync({ 'bomb.fit.gz': bomb, 'run.fit': FIT }, { level: 0 }));
    const r = await load(path);
    expect(r.outcome).toEqual(['gz.zip!bomb.fit.gz ZIP_BOMB', 'gz.zip!run.fit 1']);
    expect(r.files[0]!.error!.message).toMatch(/gzip inside the archive.*200:1/);
    expect(r.parsedBytes).toBe(FIT.length);
    // ratio check off: the archive budget (2 MiB here) still counts the gzip's content
    const budget = await load(path, { archiveLimits: { maxCompressionRatio: 1e12, maxArchiveBytes: 2 * 1024 * 1024 } });
    expect(budget.outcome).toEqual(['gz.zip ZIP_BOMB']);
    expect(budget.files[0]!.error!.message).toMatch(/inflated from this archive/);
  });
});

describe('zips that lost more than their damaged part', () => {
  it('a strong-encryption entry is ZIP_ENCRYPTED alone; the entries after it load', async () => {
    const zip = rawZip([{ name: 'a.fit', data: FIT }, { name: 'locked.fit', data: FIT, flags: 0x41 }, { name: 'c.fit', data: FIT }]);
    const { path } = write('strong.zip', zip);
    expect((await load(path)).outcome).toEqual(['strong.zip!a.fit 1', 'strong.zip!locked.fit ZIP_ENCRYPTED', 'strong.zip!c.fit 1']);
  });

  it('a zip cut by one byte (an interrupted download) keeps every entry: they are read from their local headers', async () => {
    const zip = zipSync({ 'a.fit': FIT, 'b.gpx': GPX, 'c.fit': FIT }, { level: 6 });
    const { path } = write('cut.zip', zip.subarray(0, zip.length - 1));
    const r = await load(path);
    expect(r.outcome).toEqual(['cut.zip!a.fit 1', 'cut.zip!b.gpx 1', 'cut.zip!c.fit 1', 'cut.zip ZIP_CORRUPT']);
    expect(r.files[3]!.error!.message).toMatch(/no end-of-directory record.*3 entries were read from their local headers/);
  });

  it('65,537 entries without a zip64 record (the 16-bit count wraps to 1): the entries past 65,535 are read', async () => {
    const { path } = write('many.zip', manyEntries(65_536, 'run.gpx', GPX));
    const t0 = performance.now();
    const r = await load(path);
    expect(r.outcome).toEqual(['many.zip!run.gpx 1']);
    expect(performance.now() - t0).toBeLessThan(3_000);
  });
});

/** A zip of `n` empty `.txt` entries (skipped unread) and then one named entry, with the end record's 16-bit count wrapped. */
function manyEntries(n: number, lastName: string, lastData: Uint8Array): Uint8Array {
  const enc = new TextEncoder();
  const names = Array.from({ length: n }, (_, i) => enc.encode(`f/${i}.txt`));
  const last = enc.encode(lastName);
  const lastCrc = updateCrc32(0, lastData);
  const localBytes = names.reduce((s, nm) => s + 30 + nm.length, 0) + 30 + last.length + lastData.length;
  const centralBytes = names.reduce((s, nm) => s + 46 + nm.length, 0) + 46 + last.length;
  const out = Buffer.alloc(localBytes + centralBytes + 22);
  let at = 0;
  const offsets: number[] = [];
  const local = (name: Uint8Array, data: Uint8Array, c: number): void => {
    offsets.push(at);
    out.writeUInt32LE(0x04034b50, at);
    out.writeUInt16LE(20, at + 4);
    out.writeUInt32LE(c, at + 14);
    out.writeUInt32LE(data.length, at + 18);
    out.writeUInt32LE(data.length, at + 22);
    out.writeUInt16LE(name.length, at + 26);
    out.set(name, at + 30);
    out.set(data, at + 30 + name.length);
    at += 30 + name.length + data.length;
  };
  for (const nm of names) local(nm, new Uint8Array(0), 0);
  local(last, lastData, lastCrc);
  const cdStart = at;
  const central = (name: Uint8Array, size: number, c: number, offset: number): void => {
    out.writeUInt32LE(0x02014b50, at);
    out.writeUInt16LE(20, at + 4);
    out.writeUInt16LE(20, at + 6);
    out.writeUInt32LE(c, at + 16);
    out.writeUInt32LE(size, at + 20);
    out.writeUInt32LE(size, at + 24);
    out.writeUInt16LE(name.length, at + 28);
    out.writeUInt32LE(offset, at + 42);
    out.set(name, at + 46);
    at += 46 + name.length;
  };
  names.forEach((nm, i) => central(nm, 0, 0, offsets[i]!));
  central(last, lastData.length, lastCrc, offsets[n]!);
  out.writeUInt32LE(0x06054b50, at);
  out.writeUInt16LE((n + 1) & 0xffff, at + 8);
  out.writeUInt16LE((n + 1) & 0xffff, at + 10);
  out.writeUInt32LE(at - cdStart, at + 12);
  out.writeUInt32LE(cdStart, at + 16);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** Copies the last central record of a one-entry zip under a new name and local offset. */
function withExtraRecord(zip: Uint8Array, name: string, offset: number): Uint8Array {
  const b = Buffer.from(zip);
  const cd = b.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  const eocd = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const nameBytes = Buffer.from(name);
  const rec = Buffer.from(b.subarray(cd, cd + 46));
  rec.writeUInt16LE(nameBytes.length, 28);
  rec.writeUInt32LE(offset, 42);
  const end = Buffer.from(b.subarray(eocd));
  end.writeUInt16LE(end.readUInt16LE(8) + 1, 8);
  end.writeUInt16LE(end.readUInt16LE(10) + 1, 10);
  end.writeUInt32LE(end.readUInt32LE(12) + 46 + nameBytes.length, 12);
  return new Uint8Array(Buffer.concat([b.subarray(0, eocd), rec, nameBytes, end]));
}
