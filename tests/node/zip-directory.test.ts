/**
 * The stages of reading an archive's directory, each on its own: the end
 * record, one central record, overlapping records, data limits, decisions.
 */
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decideRecords } from '../../src/node/archive.js';
import { DEFAULT_ARCHIVE_LIMITS } from '../../src/node/limits.js';
import { type CentralRecord, dataLimits, findEndRecord, findOverlappingRecords, parseCentralRecord } from '../../src/node/zip-directory.js';

const data = new TextEncoder().encode('hello');
const zip = zipSync({ 'a.gpx': data, 'b.fit': data }, { level: 0 });

function record(index: number, localHeaderOffset: number, compressedSize: number, name = `${index}.fit`): CentralRecord {
  return { index, name, flags: 0, encrypted: false, method: 0, crc32: 0, compressedSize, uncompressedSize: compressedSize, localHeaderOffset, nameBytes: name.length };
}

describe('findEndRecord', () => {
  it('finds the end record of a zip and its directory offset; none in a zip cut by one byte', () => {
    // two stored entries: local headers 30 + 5 (name) + 5 (data) = 40 bytes each, so the directory starts at 80
    const end = findEndRecord(zip, 0, zip.length);
    expect(end).toMatchObject({ at: zip.length - 22, directoryOffset: 80, declaredEntries: 2, zip64: false });
    expect(findEndRecord(zip.subarray(0, zip.length - 1), 0, zip.length - 1)).toBeUndefined();
  });
});

describe('parseCentralRecord', () => {
  it('reads the first record (name, sizes, offset), says "short" for a cut record and names a bad signature', () => {
    const got = parseCentralRecord(zip, 80, 0);
    expect(typeof got).toBe('object');
    const { record: r, length } = got as { record: CentralRecord; length: number };
    expect(r).toMatchObject({ index: 0, name: 'a.gpx', method: 0, compressedSize: 5, uncompressedSize: 5, localHeaderOffset: 0, encrypted: false });
    expect(length).toBe(46 + 5);
    expect(parseCentralRecord(zip.subarray(0, 80 + 40), 80, 0)).toBe('short');
    expect(parseCentralRecord(zip, 0, 0)).toMatch(/no central record signature at entry 1/);
  });

  it('sees strong encryption (bit 6) as encrypted', () => {
    const copy = zip.slice();
    copy[80 + 8] = 0x40;
    expect((parseCentralRecord(copy, 80, 0) as { record: CentralRecord }).record.encrypted).toBe(true);
  });
});

describe('findOverlappingRecords and dataLimits', () => {
  it('keeps the first record of each overlap (by offset, then archive order) and refuses the others', () => {
    // 0: [0, 30+5+100), 1: same offset, 2: inside 0's data, 3: after it
    const rs = [record(0, 0, 100), record(1, 0, 100), record(2, 50, 10), record(3, 135, 10)];
    expect([...findOverlappingRecords(rs)].sort()).toEqual([1, 2]);
    // the next kept local header bounds each record's data; the directory bounds the last one
    const limits = dataLimits(rs, 400, findOverlappingRecords(rs));
    expect(limits.get(0)).toBe(135);
    expect(limits.get(3)).toBe(400);
  });

  it('decideRecords refuses overlapping records that would be read and decides the others from name and size', () => {
    const rs = [record(0, 0, 100), record(1, 0, 100), record(2, 200, 10, 'notes.txt')];
    const d = decideRecords(rs, DEFAULT_ARCHIVE_LIMITS).map((e) => e.decision.kind === 'refuse' ? e.decision.code : e.decision.kind);
    expect(d).toEqual(['file', 'ZIP_BOMB', 'skip']);
  });
});
