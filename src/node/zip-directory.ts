/**
 * The central directory of a zip archive on disk, read by stridewise itself
 * (the first stage of archive reading): the end record (zip64 too), then
 * every central record in order, then a check that no two records share
 * local data. Each stage is a function of its own.
 *
 * Why not the directory walk of a zip library: one entry flagged with strong
 * encryption stops it (every entry after it was lost), it trusts the 16-bit
 * entry count of the end record (entries past 65,535 without a zip64 record
 * were dropped silently), and it lets any number of records point at the
 * same local data (the overlapping-entry bomb).
 */
import type { FileHandle } from 'node:fs/promises';
import yauzl from 'yauzl';
import { NO_END_RECORD_MESSAGE } from './archive-run.js';
import { cleanLabel } from './names.js';
import {
  END_SEARCH_BYTES,
  findEndRecord,
  LOCAL_HEADER_BYTES,
  localDataStart,
  readCentralFields,
  SIG_CENTRAL,
  u32,
  ZIP64_EOCD_BYTES,
  zip64EndRecord,
  type EndRecord,
} from './zip-fields.js';

/** Bytes read at once while walking the directory. */
const READ_BYTES = 1024 * 1024;

export { findEndRecord, LOCAL_HEADER_BYTES, type EndRecord };

/** One central directory record. Sizes and offsets in bytes. */
export interface CentralRecord {
  /** Index in the directory (archive order). */
  readonly index: number;
  /** Entry name, as a label (control characters replaced). */
  readonly name: string;
  readonly flags: number;
  /** Traditional (bit 0) or strong (bit 6) encryption. */
  readonly encrypted: boolean;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
  /** Length of the name in the central record (the local header repeats it). */
  readonly nameBytes: number;
}

/**
 * Parses one central record at `pos` of `buf`. Returns the record and its
 * length, `'short'` when `buf` ends before the record does, or a message
 * when the bytes are not a valid record.
 *
 * @example parseCentralRecord(bytes, 0, 0); // { record: { name: 'a.fit', ... }, length: 51 }
 */
export function parseCentralRecord(buf: Uint8Array, pos: number, index: number): { record: CentralRecord; length: number } | 'short' | string {
  const fields = readCentralFields(buf, pos);
  if (fields === 'short') return 'short';
  if (fields === 'signature') return `no central record signature at entry ${index + 1}`;
  const { flags, rawName, extra: extraBytes, length } = fields;
  let extraFields: { id: number; data: Buffer }[] = [];
  try {
    extraFields = yauzl.parseExtraFields(Buffer.from(extraBytes.buffer, extraBytes.byteOffset, extraBytes.length)) as { id: number; data: Buffer }[];
  } catch {
    // a damaged extra field only loses the Info-ZIP Unicode name
  }
  const nameBuffer = Buffer.from(rawName.buffer, rawName.byteOffset, rawName.length);
  const name = cleanLabel(yauzl.getFileNameLowLevel(flags, nameBuffer, extraFields as never, false));
  return {
    record: {
      index,
      name,
      flags,
      encrypted: (flags & 0x0001) !== 0 || (flags & 0x0040) !== 0,
      method: fields.method,
      crc32: fields.crc32,
      compressedSize: fields.compressedSize,
      uncompressedSize: fields.uncompressedSize,
      localHeaderOffset: fields.localHeaderOffset,
      nameBytes: rawName.length,
    },
    length,
  };
}

/**
 * Records whose local data overlap another record's (several central
 * records over one local entry, or one pointing into another's data: the
 * overlapping-entry bomb). Records are taken in order of their local
 * offset, archive order among equal offsets; the first of each overlap
 * keeps its data, the others are returned (by `index`). The range of a
 * record is its local header (30 bytes and the name as the central record
 * gives it) and its compressed data.
 *
 * @example findOverlappingRecords([a, copyOfA]); // Set { 1 }
 */
export function findOverlappingRecords(records: readonly CentralRecord[]): Set<number> {
  const sorted = [...records].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset || a.index - b.index);
  const overlapping = new Set<number>();
  let end = -1;
  for (const r of sorted) {
    if (r.localHeaderOffset < end) {
      overlapping.add(r.index);
      continue;
    }
    end = r.localHeaderOffset + LOCAL_HEADER_BYTES + r.nameBytes + r.compressedSize;
  }
  return overlapping;
}

/**
 * The first byte a record's data may not reach: the next local header in
 * the file (or the central directory), leaving out the records found
 * `overlapping` (they are refused anyway). Checked when the entry is opened,
 * since only the local header tells where its data start.
 *
 * @example dataLimits([a, b], 900).get(0); // b.localHeaderOffset
 */
export function dataLimits(records: readonly CentralRecord[], directoryOffset: number, overlapping: ReadonlySet<number> = new Set()): Map<number, number> {
  const offsets = [...new Set(records.filter((r) => !overlapping.has(r.index)).map((r) => r.localHeaderOffset))].sort((a, b) => a - b);
  const limits = new Map<number, number>();
  for (const r of records) {
    // binary search for the first offset above this one
    let lo = 0;
    let hi = offsets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (offsets[mid]! <= r.localHeaderOffset) lo = mid + 1;
      else hi = mid;
    }
    const next = lo < offsets.length ? offsets[lo]! : Number.POSITIVE_INFINITY;
    limits.set(r.index, Math.min(next, r.localHeaderOffset < directoryOffset ? directoryOffset : Number.POSITIVE_INFINITY));
  }
  return limits;
}

/** The directory of an archive: its records and, when part of it is damaged, how far reading got. */
export interface CentralDirectory {
  readonly end: EndRecord;
  readonly records: CentralRecord[];
  /** Set when the directory is damaged after `records`. */
  readonly damage?: string;
  /** Set when there are more records than the end record counts (a count past 65,535 without zip64). */
  readonly countNote?: string;
}

/** Why the directory could not be read. `noEndRecord`: no end record at all (cut short), so local headers may still be scanned. */
export interface DirectoryFailure {
  readonly failure: 'noEndRecord' | 'damaged' | 'tooManyEntries';
  readonly message: string;
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

/**
 * Reads the central directory of an archive open as `fh` (`fileSize` bytes):
 * end record, zip64 end record, then records until the signatures stop
 * (not until the declared count, which wraps at 65,535 without zip64), at
 * most `maxEntries` + 1 of them.
 *
 * @example const dir = await readCentralDirectory(fh, size, 1_000_000);
 */
export async function readCentralDirectory(fh: FileHandle, fileSize: number, maxEntries: number): Promise<CentralDirectory | DirectoryFailure> {
  const tailBytes = Math.min(fileSize, END_SEARCH_BYTES);
  const tail = await readAt(fh, fileSize - tailBytes, tailBytes);
  const found = findEndRecord(tail, fileSize - tailBytes, fileSize);
  if (found === undefined) {
    return { failure: 'noEndRecord', message: NO_END_RECORD_MESSAGE };
  }
  let end: EndRecord = found;
  if (found.zip64Locator !== undefined) {
    const z = zip64EndRecord(await readAt(fh, found.zip64Locator, ZIP64_EOCD_BYTES), found.zip64Locator);
    if (z === undefined) {
      return { failure: 'damaged', message: 'the zip64 end-of-directory record is missing or damaged' };
    }
    end = z;
  }
  if (end.declaredEntries > maxEntries) {
    return { failure: 'tooManyEntries', message: `the archive lists ${end.declaredEntries} entries, over the limit of ${maxEntries}` };
  }
  if (end.directoryOffset > end.at) {
    return { failure: 'damaged', message: `the directory offset ${end.directoryOffset} is past the end record at ${end.at}` };
  }
  const records: CentralRecord[] = [];
  let damage: string | undefined;
  let buf: Uint8Array = new Uint8Array(0);
  let bufStart = end.directoryOffset;
  let pos = 0;
  const stop = end.at;
  for (;;) {
    const parsed = parseCentralRecord(buf, pos, records.length);
    if (parsed === 'short') {
      const next = bufStart + pos;
      const left = stop - next;
      if (left <= 0) break;
      if (left < 4 || (buf.length - pos >= 4 && u32(buf, pos) !== SIG_CENTRAL)) break;
      const more = await readAt(fh, next + (buf.length - pos), Math.min(READ_BYTES, left - (buf.length - pos)));
      if (more.length === 0) {
        if (buf.length - pos >= 4 && u32(buf, pos) === SIG_CENTRAL) damage = `the archive's directory is damaged after ${records.length} entries: a record runs past its end`;
        break;
      }
      const joined = new Uint8Array(buf.length - pos + more.length);
      joined.set(buf.subarray(pos));
      joined.set(more, buf.length - pos);
      buf = joined;
      bufStart = next;
      pos = 0;
      continue;
    }
    if (typeof parsed === 'string') {
      // the records end where the signatures stop; anything else before the declared count is damage
      if (records.length < end.declaredEntries) damage = `the archive's directory is damaged after ${records.length} entries: ${parsed}`;
      break;
    }
    records.push(parsed.record);
    pos += parsed.length;
    if (records.length > maxEntries) {
      return { failure: 'tooManyEntries', message: `the archive holds more than ${maxEntries} entries, the limit` };
    }
  }
  if (damage === undefined && records.length < end.declaredEntries) {
    damage = `the archive's directory is damaged after ${records.length} entries: ${end.declaredEntries} were declared`;
  }
  const countNote =
    records.length > end.declaredEntries && !end.zip64
      ? `the archive holds ${records.length} entries but its end record counts ${end.declaredEntries} (a 16-bit count without a zip64 record); all were read`
      : undefined;
  return { end, records, ...(damage !== undefined ? { damage } : {}), ...(countNote !== undefined ? { countNote } : {}) };
}

/** Where an entry's compressed data lie, or why they cannot be read. */
export type EntryData =
  | { readonly kind: 'data'; readonly start: number; readonly end: number }
  | { readonly kind: 'overlap'; readonly message: string }
  | { readonly kind: 'damaged'; readonly message: string };

/**
 * Finds an entry's compressed data from its local header (whose name and
 * extra lengths may differ from the central record's). The data must end
 * before `limit` (the next local header, see {@link dataLimits}) and inside the file.
 *
 * @example await locateEntryData(fh, record, limits.get(record.index)!, size); // { kind: 'data', start: 60, end: 1060 }
 */
export async function locateEntryData(fh: FileHandle, record: CentralRecord, limit: number, fileSize: number): Promise<EntryData> {
  const start = localDataStart(await readAt(fh, record.localHeaderOffset, LOCAL_HEADER_BYTES), record.localHeaderOffset);
  if (typeof start !== 'number') {
    return { kind: 'damaged', message: `no local header at byte ${record.localHeaderOffset}` };
  }
  const end = start + record.compressedSize;
  if (end > limit && limit !== Number.POSITIVE_INFINITY) {
    return {
      kind: 'overlap',
      message: `the entry's ${record.compressedSize} bytes of data run into the next entry at byte ${limit} (overlapping entries, a zip bomb construction); it was not read`,
    };
  }
  if (end > fileSize) return { kind: 'damaged', message: `the entry's data run past the end of the archive (${end} > ${fileSize} bytes)` };
  return { kind: 'data', start, end };
}

/**
 * Reads bytes `start` to `end` (exclusive) of an open file in pieces of at most 64 KiB.
 *
 * @example for await (const chunk of readRange(fh, 60, 1060)) total += chunk.length;
 */
export async function* readRange(fh: FileHandle, start: number, end: number): AsyncGenerator<Uint8Array> {
  for (let at = start; at < end; ) {
    const chunk = await readAt(fh, at, Math.min(64 * 1024, end - at));
    if (chunk.length === 0) throw new Error(`the archive ends at byte ${at}, inside an entry`);
    at += chunk.length;
    yield chunk;
  }
}
