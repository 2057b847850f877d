/**
 * Random-access reading of a zip archive held in a `Blob` (a `File` the
 * runner picked or dropped): the central directory is found from the tail,
 * and each entry is read from its own slice, compressed bytes in chunks of
 * {@link READ_CHUNK_BYTES} fed to fflate's streaming `Inflate`. The archive
 * is never copied into one buffer, so a 2 GB Garmin export costs a few MB.
 */
import { Inflate } from 'fflate';
import { decodeEntryName } from '../src/node/names.js';
import { END_SEARCH_BYTES, findEndRecord, LOCAL_HEADER_BYTES, localDataStart, readCentralFields, u16, u32, ZIP64_EOCD_BYTES, zip64EndRecord } from '../src/node/zip-fields.js';

/** Compressed bytes read from the file at once. */
export const READ_CHUNK_BYTES = 1024 * 1024;
/** Compressed bytes handed to the inflater at once: bounds one step's output (deflate expands at most ~1032×). */
const FEED_SLICE_BYTES = 16 * 1024;

/** One central-directory entry. */
export interface BlobZipEntry {
  /** Decoded name (UTF-8 flag or Info-ZIP Unicode path, else CP437), control characters replaced. */
  readonly name: string;
  readonly encrypted: boolean;
  /** 0 stored, 8 deflate. */
  readonly method: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly crc32: number;
  /** Offset of the local file header in the archive. */
  readonly localHeaderOffset: number;
}

/** The archive's directory; `damage` when it broke off after `entries`. */
export interface BlobZipDirectory {
  readonly entries: BlobZipEntry[];
  /** Entries the end record declares. */
  readonly declaredEntries: number;
  readonly damage?: string;
}

/** A structural problem of the archive (its directory or a local header). */
export class ZipFormatError extends Error {
  override name = 'ZipFormatError';
}

/** No end-of-directory record whose comment reaches the end of the file (a cut archive): local headers may still be read. */
export class NoEndRecordError extends ZipFormatError {
  override name = 'NoEndRecordError';
}

/**
 * Bytes `[start, end)` of a blob (clamped to its size).
 *
 * @example const head = await readRange(file, 0, 4);
 */
export async function readRange(blob: Blob, start: number, end: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(Math.max(0, start), Math.min(blob.size, end)).arrayBuffer());
}

/** Unicode path extra field (0x7075) as Info-ZIP writes it, when its CRC matches the stored name. */
function unicodePath(extra: Uint8Array): Uint8Array | undefined {
  for (let i = 0; i + 4 <= extra.length; ) {
    const id = u16(extra, i);
    const len = u16(extra, i + 2);
    if (id === 0x7075 && len >= 6 && i + 4 + len <= extra.length && extra[i + 4] === 1) return extra.subarray(i + 9, i + 4 + len);
    i += 4 + len;
  }
  return undefined;
}

/**
 * Reads the central directory of a zip held in a blob. Entries read before
 * damage are kept (`damage` says where it broke off); `maxEntries` is checked
 * against the end record before the directory is read.
 *
 * @throws {ZipFormatError} when there is no end record or the directory lies outside the file.
 * @throws {RangeError} with `tooMany` set when the end record lists more than `maxEntries` entries.
 * @example const { entries } = await readZipDirectory(file, 1_000_000);
 */
export async function readZipDirectory(blob: Blob, maxEntries: number): Promise<BlobZipDirectory> {
  // as the command's reader: the last end record whose comment ends where the file ends
  const tailStart = Math.max(0, blob.size - END_SEARCH_BYTES);
  const found = findEndRecord(await readRange(blob, tailStart, blob.size), tailStart, blob.size);
  if (found === undefined) throw new NoEndRecordError('end of central directory record signature not found');
  let end = found;
  if (found.zip64Locator !== undefined) {
    const z = zip64EndRecord(await readRange(blob, found.zip64Locator, found.zip64Locator + ZIP64_EOCD_BYTES), found.zip64Locator);
    if (z === undefined) throw new ZipFormatError('invalid zip64 end of central directory record');
    end = z;
  }
  const { declaredEntries: count, directoryBytes: cdSize, directoryOffset: cdOffset } = end;
  if (count > maxEntries) throw Object.assign(new RangeError(`${count} entries`), { tooMany: count });
  if (cdOffset + cdSize > found.at) {
    throw new ZipFormatError(`central directory (offset ${cdOffset}, ${cdSize} bytes) lies outside the file`);
  }
  const cd = await readRange(blob, cdOffset, cdOffset + cdSize);
  const entries: BlobZipEntry[] = [];
  let p = 0;
  try {
    for (let n = 0; n < count; n++) {
      const fields = readCentralFields(cd, p);
      if (fields === 'short') throw new ZipFormatError('unexpected end of the central directory');
      if (fields === 'signature') throw new ZipFormatError(`invalid central directory file header signature: 0x${u32(cd, p).toString(16)}`);
      const { flags, method, crc32, compressedSize, uncompressedSize, localHeaderOffset, rawName, extra } = fields;
      const utf8 = (flags & 0x800) !== 0;
      const unicode = utf8 ? undefined : unicodePath(extra);
      const name = unicode !== undefined ? decodeEntryName(unicode, true) : decodeEntryName(rawName, utf8);
      entries.push({ name, encrypted: (flags & 1) !== 0, method, compressedSize, uncompressedSize, crc32, localHeaderOffset });
      p += fields.length;
    }
  } catch (error) {
    return { entries, declaredEntries: count, damage: `the archive's directory is damaged after ${entries.length} entries: ${(error as Error).message}` };
  }
  return { entries, declaredEntries: count };
}

/** Offset of an entry's compressed data, from its local header. */
async function dataStart(blob: Blob, entry: BlobZipEntry): Promise<number> {
  const head = await readRange(blob, entry.localHeaderOffset, entry.localHeaderOffset + LOCAL_HEADER_BYTES);
  const start = localDataStart(head, entry.localHeaderOffset);
  if (start === 'short') throw new ZipFormatError('unexpected end of file in a local file header');
  if (start === 'signature') throw new ZipFormatError(`invalid local file header signature: 0x${u32(head, 0).toString(16)}`);
  if (start + entry.compressedSize > blob.size) throw new ZipFormatError('the entry extends past the end of the file');
  return start;
}

/** Receives one entry's decoded bytes; `write` returns `false` to stop reading. */
export interface EntryReceiver {
  write(chunk: Uint8Array): boolean;
}

/** How reading an entry ended. */
export type EntryEnd =
  | { readonly kind: 'end'; readonly bytes: number }
  | { readonly kind: 'stopped' }
  | { readonly kind: 'open-failed'; readonly message: string }
  | { readonly kind: 'too-many'; readonly message: string }
  | { readonly kind: 'damaged'; readonly message: string };

/**
 * Reads one entry (stored or deflate) from its slice, yielding its decoded
 * bytes a few chunks at a time (at most ~16 MB between yields, whatever the
 * compression), and returning how it ended. Sizes are checked as the
 * command's zip reader checks them: more bytes than declared stop at once.
 * `signal` is checked between reads; stop early with the iterator's `return`.
 *
 * @example
 * const it = entryChunks(file, entry);
 * for (let r = await it.next(); !r.done; r = await it.next()) for (const c of r.value) use(c);
 */
export async function* entryChunks(blob: Blob, entry: BlobZipEntry, signal?: AbortSignal): AsyncGenerator<Uint8Array[], EntryEnd, undefined> {
  let start: number;
  try {
    start = await dataStart(blob, entry);
  } catch (error) {
    return { kind: 'open-failed', message: (error as Error).message };
  }
  const expected = entry.uncompressedSize;
  let decoded = 0;
  let overrun = false;
  let out: Uint8Array[] = [];
  const take = (chunk: Uint8Array): void => {
    if (overrun || chunk.length === 0) return;
    decoded += chunk.length;
    if (decoded > expected) overrun = true;
    else out.push(chunk);
  };
  const inflater = entry.method === 8 ? new Inflate((chunk) => take(chunk)) : null;
  const end = start + entry.compressedSize;
  for (let pos = start; pos < end || (pos === start && inflater !== null); pos += READ_CHUNK_BYTES) {
    signal?.throwIfAborted();
    const chunk = pos < end ? await readRange(blob, pos, Math.min(end, pos + READ_CHUNK_BYTES)) : new Uint8Array(0);
    const last = pos + READ_CHUNK_BYTES >= end;
    if (inflater === null) take(chunk);
    for (let i = 0; inflater !== null && (i < chunk.length || (i === 0 && chunk.length === 0)); i += FEED_SLICE_BYTES) {
      try {
        inflater.push(chunk.subarray(i, i + FEED_SLICE_BYTES), last && i + FEED_SLICE_BYTES >= chunk.length);
      } catch (error) {
        return { kind: 'damaged', message: (error as Error).message };
      }
      if (overrun) break;
      if (out.length > 0) {
        const ready = out;
        out = [];
        yield ready;
      }
    }
    if (overrun) return { kind: 'too-many', message: `too many bytes in the stream. expected ${expected}. got at least ${decoded}` };
    if (out.length > 0) {
      const ready = out;
      out = [];
      yield ready;
    }
  }
  if (decoded < expected) return { kind: 'damaged', message: `not enough bytes in the stream. expected ${expected}. got only ${decoded}` };
  return { kind: 'end', bytes: decoded };
}

/**
 * Reads one entry, handing its decoded bytes to `receiver` (see {@link entryChunks}).
 *
 * @example const end = await readZipEntry(file, entry, { write: (c) => (chunks.push(c), true) });
 */
export async function readZipEntry(blob: Blob, entry: BlobZipEntry, receiver: EntryReceiver, signal?: AbortSignal): Promise<EntryEnd> {
  const it = entryChunks(blob, entry, signal);
  for (let r = await it.next(); ; r = await it.next()) {
    if (r.done === true) return r.value;
    for (const chunk of r.value) {
      if (!receiver.write(chunk)) {
        await it.return({ kind: 'stopped' });
        return { kind: 'stopped' };
      }
    }
  }
}
