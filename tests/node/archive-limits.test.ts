/**
 * The limits stage of archive reading on its own: decisions from names and
 * declared sizes, the meter of inflated bytes, and the count of a gzip stored
 * in an archive. Expected values follow from the default limits (256 MiB per
 * file, 200:1 once past 1 MiB, depth 3) and the sizes given.
 */
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { decide, EntryMeter, meterGzip } from '../../src/node/archive-limits.js';
import { type ArchiveLimits, DEFAULT_ARCHIVE_LIMITS } from '../../src/node/limits.js';

const L = DEFAULT_ARCHIVE_LIMITS;
const MiB = 1024 * 1024;
const entry = (name: string, c: number | undefined, u: number | undefined, more: { encrypted?: boolean; method?: number } = {}) => ({
  name,
  encrypted: more.encrypted ?? false,
  method: more.method ?? 8,
  compressedSize: c,
  uncompressedSize: u,
});
const kind = (d: ReturnType<typeof decide>): string => (d.kind === 'refuse' ? d.code : d.kind);

describe('decide', () => {
  it('from the name: folders and documents skipped, activities.csv at the top, zips and files', () => {
    expect(kind(decide(entry('runs/', 0, 0), 1, L))).toBe('skip');
    expect(kind(decide(entry('notes.txt', 10, 10), 1, L))).toBe('skip');
    expect(kind(decide(entry('export/activities.csv', 10, 10), 1, L))).toBe('csv');
    expect(kind(decide(entry('a.fit', 10, 20), 1, L))).toBe('file');
    expect(kind(decide(entry('UploadedFiles_0.zip', 10, 20), 1, L))).toBe('zip');
    expect(kind(decide(entry('deep.zip', 10, 20), 3, L))).toBe('ZIP_TOO_DEEP'); // depth 4 > 3
  });

  it('refuses encryption, other methods, and declared sizes over the limits', () => {
    expect(kind(decide(entry('a.fit', 10, 20, { encrypted: true }), 1, L))).toBe('ZIP_ENCRYPTED');
    expect(kind(decide(entry('a.fit', 10, 20, { method: 12 }), 1, L))).toBe('ZIP_UNSUPPORTED');
    expect(kind(decide(entry('a.fit', 200 * MiB, 257 * MiB), 1, L))).toBe('ZIP_BOMB'); // over 256 MiB for one file
    // 2 MiB from 10 kB declares 210:1, over 200:1
    const ratio = decide(entry('a.fit', 10_000, 2 * MiB), 1, L);
    expect(ratio).toMatchObject({ code: 'ZIP_BOMB', message: expect.stringMatching(/210:1/) });
  });
});

describe('EntryMeter', () => {
  it('stops at the size the header declares, at the ratio once past 1 MiB, and at the archive budget', () => {
    const budget = { inflated: 0 };
    const declared = new EntryMeter(L, budget, true, 100, 100);
    expect(declared.add(100, 100)).toBeUndefined();
    expect(declared.add(1, 100)?.message).toMatch(/past the 100 bytes its header declares/);
    // 10 kB compressed: 200:1 allows 2,000,000 bytes; the check starts past 1 MiB
    const ratio = new EntryMeter(L, { inflated: 0 }, true, 10_000);
    expect(ratio.add(2_000_000, 10_000)).toBeUndefined();
    expect(ratio.add(1, 10_000)?.message).toMatch(/more than 200:1/);
    const small: ArchiveLimits = { ...L, maxArchiveBytes: 1000 };
    const shared = { inflated: 900 };
    expect(new EntryMeter(small, shared, true, 1000).add(101, 1000)).toMatchObject({ archiveWide: true });
  });
});

describe('meterGzip', () => {
  it('counts what a gzip would inflate to: 4 MiB of zeros from a 4 kB entry is over 200:1; a small gzip passes and adds to the budget', () => {
    const bomb = gzipSync(new Uint8Array(4 * MiB), { level: 9 });
    expect(meterGzip(bomb, L, { inflated: 0 }, bomb.length)).toMatchObject({ code: 'ZIP_BOMB', archiveWide: false });
    const budget = { inflated: 0 };
    const small = gzipSync(new TextEncoder().encode('x'.repeat(5000)));
    expect(meterGzip(small, L, budget, small.length)).toBeUndefined();
    expect(budget.inflated).toBe(5000);
    // damaged gzip: left to the parser
    expect(meterGzip(small.subarray(0, 12), L, { inflated: 0 }, 12)).toBeUndefined();
  });
});
