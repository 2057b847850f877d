/**
 * Field reading of zip structures, shared by the archive readers of the
 * command (files on disk, zips streamed inside zips) and of the page (a
 * `Blob`): little-endian integers, the zip64 extended information field, the
 * fixed fields of a central record and where a local header's data start.
 * Pure byte work on `Uint8Array`s: no Node built-ins, so the page bundles it.
 */

/** Fixed part of a central directory record, in bytes. */
export const CENTRAL_RECORD_BYTES = 46;
/** Fixed part of a local file header, in bytes. */
export const LOCAL_HEADER_BYTES = 30;
/** Signature of a central directory record. */
export const SIG_CENTRAL = 0x02014b50;
/** Signature of a local file header. */
export const SIG_LOCAL = 0x04034b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const EOCD_BYTES = 22;
const ZIP64_LOCATOR_BYTES = 20;
/** Fixed part of a zip64 end-of-central-directory record, in bytes. */
export const ZIP64_EOCD_BYTES = 56;
/** Bytes at the end of an archive that hold its end record (longest comment and a zip64 locator included). */
export const END_SEARCH_BYTES = EOCD_BYTES + 0xffff + ZIP64_LOCATOR_BYTES;

/**
 * Unsigned 16-bit little-endian integer at byte `i` of `b`.
 *
 * @example u16(new Uint8Array([0x34, 0x12]), 0); // 4660
 */
export function u16(b: Uint8Array, i: number): number {
  return b[i]! | (b[i + 1]! << 8);
}

/**
 * Unsigned 32-bit little-endian integer at byte `i` of `b`.
 *
 * @example u32(new Uint8Array([0x50, 0x4b, 0x03, 0x04]), 0); // 67324752
 */
export function u32(b: Uint8Array, i: number): number {
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
}

/**
 * Unsigned 64-bit little-endian integer at byte `i` of `b`, as a number
 * (exact up to 2^53 bytes).
 *
 * @example u64(new Uint8Array([0, 0, 0, 0, 1, 0, 0, 0]), 0); // 4294967296
 */
export function u64(b: Uint8Array, i: number): number {
  return u32(b, i) + u32(b, i + 4) * 0x1_0000_0000;
}

/** Where the central directory is, from the end record. */
export interface EndRecord {
  /** Byte offset of the end record (or of the zip64 end record when there is one). */
  readonly at: number;
  /** Byte offset where the central directory starts. */
  readonly directoryOffset: number;
  /** Size of the central directory in bytes, as declared. */
  readonly directoryBytes: number;
  /** Entry count as declared (16 bits without zip64: 65,535 at most). */
  readonly declaredEntries: number;
  readonly zip64: boolean;
}

/**
 * Finds the end-of-central-directory record in the last bytes of a file
 * (`tail`, which starts at byte `tailStart` of a file of `fileSize` bytes):
 * the last signature whose comment length reaches the end of the file.
 * `undefined` when there is none (a cut or damaged archive). A zip64 locator
 * just before it is returned as `zip64Locator` (the offset of the zip64 end record).
 *
 * @example findEndRecord(lastBytes, size - lastBytes.length, size); // { at: 1234, directoryOffset: 1000, declaredEntries: 3, zip64: false }
 */
export function findEndRecord(tail: Uint8Array, tailStart: number, fileSize: number): (EndRecord & { readonly zip64Locator?: number }) | undefined {
  for (let i = tail.length - EOCD_BYTES; i >= 0; i--) {
    if (u32(tail, i) !== SIG_EOCD) continue;
    const commentBytes = u16(tail, i + 20);
    if (tailStart + i + EOCD_BYTES + commentBytes !== fileSize) continue;
    const base = { at: tailStart + i, directoryOffset: u32(tail, i + 16), directoryBytes: u32(tail, i + 12), declaredEntries: u16(tail, i + 10), zip64: false };
    const loc = i - ZIP64_LOCATOR_BYTES;
    if (loc >= 0 && u32(tail, loc) === SIG_ZIP64_LOCATOR) return { ...base, zip64Locator: u64(tail, loc + 8) };
    return base;
  }
  return undefined;
}

/**
 * Reads a zip64 end-of-central-directory record (`record`, read at byte `at`);
 * `undefined` when it is cut short or its signature is wrong.
 *
 * @example zip64EndRecord(bytesAtLocator, locatorTarget); // { at: locatorTarget, zip64: true, ... }
 */
export function zip64EndRecord(record: Uint8Array, at: number): EndRecord | undefined {
  if (record.length < ZIP64_EOCD_BYTES || u32(record, 0) !== SIG_ZIP64_EOCD) return undefined;
  return { at, directoryOffset: u64(record, 48), directoryBytes: u64(record, 40), declaredEntries: u64(record, 32), zip64: true };
}

/** Values of a zip64 extended information field; `present` when the field is there at all. */
export interface Zip64Values {
  /** Uncompressed size in bytes. */
  u?: number;
  /** Compressed size in bytes. */
  c?: number;
  /** Local header offset in bytes. */
  offset?: number;
  present: boolean;
}

/**
 * Reads the zip64 extended information extra field (id 0x0001) of a header's
 * extra bytes: the 64-bit values in their fixed order, only those whose
 * 32-bit field was 0xffffffff (`needU`, `needC`, `needOffset`). A value the
 * field is too short to hold (or that runs past `extra`) is left out.
 *
 * @example zip64Values(extra, true, true, false); // { u: 5000000000, c: 4900000000, present: true }
 */
export function zip64Values(extra: Uint8Array, needU: boolean, needC: boolean, needOffset: boolean): Zip64Values {
  for (let i = 0; i + 4 <= extra.length; ) {
    const id = u16(extra, i);
    const len = u16(extra, i + 2);
    if (id === 0x0001) {
      const out: Zip64Values = { present: true };
      const end = Math.min(extra.length, i + 4 + len);
      let j = i + 4;
      if (needU && j + 8 <= end) (out.u = u64(extra, j)), (j += 8);
      if (needC && j + 8 <= end) (out.c = u64(extra, j)), (j += 8);
      if (needOffset && j + 8 <= end) out.offset = u64(extra, j);
      return out;
    }
    i += 4 + len;
  }
  return { present: false };
}

/** The fixed fields of one central record, zip64 values applied. Sizes and offsets in bytes. */
export interface CentralFields {
  readonly flags: number;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
  /** The stored name bytes. */
  readonly rawName: Uint8Array;
  /** The extra field bytes. */
  readonly extra: Uint8Array;
  /** Length of the whole record (fixed part, name, extra and comment). */
  readonly length: number;
}

/**
 * Reads the central record at `pos` of `buf`: its fields, `'short'` when
 * `buf` ends before the record does, or `'signature'` when the bytes there
 * do not start a central record.
 *
 * @example readCentralFields(directory, 0); // { method: 8, compressedSize: 1000, length: 51, ... }
 */
export function readCentralFields(buf: Uint8Array, pos: number): CentralFields | 'short' | 'signature' {
  if (buf.length - pos < CENTRAL_RECORD_BYTES) return 'short';
  if (u32(buf, pos) !== SIG_CENTRAL) return 'signature';
  const nameLen = u16(buf, pos + 28);
  const extraLen = u16(buf, pos + 30);
  const commentLen = u16(buf, pos + 32);
  const length = CENTRAL_RECORD_BYTES + nameLen + extraLen + commentLen;
  if (buf.length - pos < length) return 'short';
  let compressedSize = u32(buf, pos + 20);
  let uncompressedSize = u32(buf, pos + 24);
  let localHeaderOffset = u32(buf, pos + 42);
  const nameAt = pos + CENTRAL_RECORD_BYTES;
  const extra = buf.subarray(nameAt + nameLen, nameAt + nameLen + extraLen);
  if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
    const z = zip64Values(extra, uncompressedSize === 0xffffffff, compressedSize === 0xffffffff, localHeaderOffset === 0xffffffff);
    uncompressedSize = z.u ?? uncompressedSize;
    compressedSize = z.c ?? compressedSize;
    localHeaderOffset = z.offset ?? localHeaderOffset;
  }
  return {
    flags: u16(buf, pos + 8),
    method: u16(buf, pos + 10),
    crc32: u32(buf, pos + 16),
    compressedSize,
    uncompressedSize,
    localHeaderOffset,
    rawName: buf.subarray(nameAt, nameAt + nameLen),
    extra,
    length,
  };
}

/**
 * Where an entry's data start, from the fixed part of its local header
 * (`head`, read at byte `localHeaderOffset` of the archive; the local name
 * and extra lengths may differ from the central record's): `'short'` when
 * `head` holds less than {@link LOCAL_HEADER_BYTES}, `'signature'` when it is
 * not a local header.
 *
 * @example localDataStart(head, 0); // 60 (30 + a 25-byte name + a 5-byte extra field)
 */
export function localDataStart(head: Uint8Array, localHeaderOffset: number): number | 'short' | 'signature' {
  if (head.length < LOCAL_HEADER_BYTES) return 'short';
  if (u32(head, 0) !== SIG_LOCAL) return 'signature';
  return localHeaderOffset + LOCAL_HEADER_BYTES + u16(head, 26) + u16(head, 28);
}
