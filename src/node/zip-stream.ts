/**
 * A push-driven reader of zip archives that arrive as a byte stream (a zip
 * inside a zip), walking the local file headers in order. It never needs the
 * whole archive: each entry's data are decoded as they arrive and handed to a
 * sink, so memory stays bounded by what the sink keeps.
 *
 * Entries written with a data descriptor (general purpose bit 3; sizes unknown
 * in the local header, as Java's `ZipOutputStream` writes them) end where a
 * descriptor signature is followed by a compressed size equal to the bytes
 * seen so far; a signature alone is not trusted, since compressed data can
 * hold those four bytes by chance. The CRC-32 and size of every decoded entry
 * are checked against the header or descriptor.
 *
 * Why not fflate's streaming `Unzip`: it ends a descriptor entry at the first
 * signature found in the data (a 500 MB stream holds one by chance about once
 * in eight), does not expose the encryption flag, and does not say how many
 * compressed bytes an entry used, which the ratio check needs. Why not
 * `yauzl.fromRandomAccessReader`: an inner zip is deflated inside the outer
 * one, so random access into it would mean inflating from the start again
 * for every read. fflate's `Inflate` still does the decoding here.
 */
import { Inflate } from 'fflate';
import { updateCrc32 } from './crc32.js';
import { decodeEntryName } from './names.js';
import { SIG_CENTRAL, SIG_LOCAL, u16, u32, u64, zip64Values } from './zip-fields.js';

const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_DESCRIPTOR = 0x08074b50;
const DESCRIPTOR_SIG_BYTES = new Uint8Array([0x50, 0x4b, 0x07, 0x08]);
const EMPTY = new Uint8Array(0);
/** Compressed bytes handed to the inflater at once: bounds the output of one step (deflate expands at most ~1032×). */
const FEED_SLICE_BYTES = 16 * 1024;

/** What a local file header says about an entry. */
export interface StreamEntryHeader {
  /** Entry name as stored (backslashes turned into `/`); only ever used as a label. */
  readonly name: string;
  /** Traditional or strong encryption flag set. */
  readonly encrypted: boolean;
  /** Compression method (0 stored, 8 deflate; others are not supported). */
  readonly method: number;
  /** Compressed size in bytes; `undefined` when it follows the data (data descriptor). */
  readonly compressedSize: number | undefined;
  /** Declared uncompressed size in bytes; `undefined` when it follows the data. */
  readonly uncompressedSize: number | undefined;
}

/** Receives one entry's decoded bytes. */
export interface EntrySink {
  /**
   * Decoded bytes of the entry. `compressedBytes` is how many compressed bytes
   * of the entry have been consumed so far. Return `false` to stop decoding:
   * the rest of the entry is skipped and neither `end` nor `fail` is called.
   */
  write(chunk: Uint8Array, compressedBytes: number): boolean;
  /** The entry ended and its size and CRC-32 matched. */
  end(): void;
  /** The entry is damaged or uses an unsupported feature; nothing more comes. */
  fail(code: 'ZIP_CORRUPT' | 'ZIP_UNSUPPORTED', message: string): void;
}

/** Receives the entries of a streamed archive. */
export interface ZipStreamHandler {
  /** A new entry; return a sink to decode it, or `undefined` to skip its data. Encrypted entries are never decoded. */
  entry(header: StreamEntryHeader): EntrySink | undefined;
  /** The archive itself is damaged; reading stops. */
  error(code: 'ZIP_CORRUPT', message: string): void;
}

type State = 'header' | 'data' | 'scan' | 'descriptor' | 'done';

/**
 * Streaming zip reader: `push` the archive's bytes in order, then `finish`.
 * Handler callbacks run synchronously inside `push`/`finish`.
 *
 * @example
 * const reader = new ZipStreamReader({ entry: (h) => collectInto(h.name), error: (code, msg) => report(code, msg) });
 * for await (const chunk of stream) reader.push(chunk);
 * reader.finish();
 */
export class ZipStreamReader {
  private readonly handler: ZipStreamHandler;
  private state: State = 'header';
  private pending: Uint8Array = EMPTY;
  /** Bytes of the archive consumed before `pending`, for messages. */
  private offset = 0;
  private entries = 0;
  // current entry
  private header: StreamEntryHeader | undefined;
  private sink: EntrySink | undefined;
  private inflate: Inflate | undefined;
  private decodeError: string | undefined;
  private remaining = 0;
  private compressedSeen = 0;
  private decodedBytes = 0;
  private crc = 0;
  private expectedCrc: number | undefined;
  private hasDescriptorAfterData = false;
  private zip64 = false;

  constructor(handler: ZipStreamHandler) {
    this.handler = handler;
  }

  /** Compressed bytes of the current entry consumed so far. */
  get compressedBytesOfEntry(): number {
    return this.compressedSeen;
  }

  /** Number of local entries seen so far. */
  get entryCount(): number {
    return this.entries;
  }

  /** True once the central directory was reached, the archive failed, or {@link ZipStreamReader.stop} was called. */
  get isDone(): boolean {
    return this.state === 'done';
  }

  /** Stops reading: further input is ignored and the current entry is dropped silently. */
  stop(): void {
    this.state = 'done';
    this.sink = undefined;
    this.inflate = undefined;
    this.pending = EMPTY;
  }

  /** Feeds the next bytes of the archive. */
  push(chunk: Uint8Array): void {
    if (this.state === 'done' || chunk.length === 0) return;
    let input: Uint8Array;
    if (this.pending.length === 0) input = chunk;
    else {
      input = new Uint8Array(this.pending.length + chunk.length);
      input.set(this.pending);
      input.set(chunk, this.pending.length);
    }
    this.pending = EMPTY;
    const pos = this.consume(input, false);
    this.offset += pos;
    // copy so that a large chunk is not kept alive by a small remainder
    this.pending = pos < input.length && !this.isDone ? input.slice(pos) : EMPTY;
  }

  /** Signals the end of the archive's bytes. */
  finish(): void {
    if (this.state === 'done') return;
    if (this.state === 'scan' || this.state === 'descriptor') {
      const input = this.pending;
      this.pending = EMPTY;
      this.consume(input, true);
    }
    if (this.isDone) return;
    if (this.state === 'data' || this.state === 'scan' || this.state === 'descriptor') {
      this.failEntry('ZIP_CORRUPT', 'the archive ends inside this entry (cut short)');
      this.state = 'done';
      return;
    }
    this.state = 'done';
    this.handler.error(
      'ZIP_CORRUPT',
      this.entries === 0 ? 'no zip entries found: the data are not a zip archive or are damaged' : `the archive is cut short after ${this.entries} entries (no central directory)`,
    );
  }

  /** Consumes as much of `input` as possible; returns the number of bytes consumed. */
  private consume(input: Uint8Array, atEnd: boolean): number {
    let pos = 0;
    while (this.state !== 'done') {
      const avail = input.length - pos;
      if (this.state === 'header') {
        if (avail < 4) return pos;
        const sig = u32(input, pos);
        if (sig === SIG_LOCAL) {
          if (avail < 30) return pos;
          const nameLen = u16(input, pos + 26);
          const extraLen = u16(input, pos + 28);
          if (avail < 30 + nameLen + extraLen) return pos;
          this.startEntry(input, pos, nameLen, extraLen);
          pos += 30 + nameLen + extraLen;
        } else if (sig === SIG_CENTRAL || sig === SIG_EOCD || sig === SIG_ZIP64_EOCD) {
          this.state = 'done';
          return pos;
        } else if (sig === SIG_DESCRIPTOR && this.entries === 0 && this.offset + pos === 0) {
          pos += 4; // split-archive marker before the first entry
        } else {
          this.state = 'done';
          this.handler.error('ZIP_CORRUPT', `no zip entry header at byte ${this.offset + pos} (after ${this.entries} entries)`);
          return pos;
        }
      } else if (this.state === 'data') {
        if (avail === 0) return pos;
        const take = Math.min(this.remaining, avail);
        this.feed(input.subarray(pos, pos + take));
        pos += take;
        this.remaining -= take;
        if (this.remaining === 0) {
          if (this.hasDescriptorAfterData) this.state = 'descriptor';
          else this.endEntry(this.header?.uncompressedSize, this.expectedCrc);
        }
      } else if (this.state === 'descriptor') {
        // sizes were known; skip the descriptor that follows (signature optional)
        const withSig = avail >= 4 && u32(input, pos) === SIG_DESCRIPTOR;
        const len = (withSig ? 4 : 0) + 4 + (this.zip64 ? 16 : 8);
        if (avail < len) {
          if (!atEnd) return pos;
          this.failEntry('ZIP_CORRUPT', 'the archive ends inside a data descriptor');
          this.state = 'done';
          return pos;
        }
        const base = pos + (withSig ? 4 : 0);
        const crc = u32(input, base);
        pos += len;
        this.endEntry(this.header?.uncompressedSize, this.expectedCrc || crc);
      } else {
        // 'scan': data length unknown, find a descriptor whose compressed size matches
        const found = this.findDescriptor(input, pos);
        if (found === undefined) {
          const keep = atEnd ? 0 : this.zip64 ? 23 : 15;
          const safe = Math.max(pos, input.length - keep);
          if (safe > pos) this.feed(input.subarray(pos, safe));
          if (atEnd) return input.length;
          return safe;
        }
        this.feed(input.subarray(pos, found.at));
        pos = found.at + found.length;
        this.endEntry(found.uncompressedSize, found.crc);
      }
    }
    return pos;
  }

  private findDescriptor(
    input: Uint8Array,
    from: number,
  ): { at: number; length: number; crc: number; uncompressedSize: number } | undefined {
    const buf = Buffer.from(input.buffer, input.byteOffset, input.length);
    let i = buf.indexOf(DESCRIPTOR_SIG_BYTES, from);
    while (i !== -1) {
      const dataLen = this.compressedSeen + (i - from);
      if (this.zip64) {
        if (i + 24 > input.length) return undefined;
        if (u64(input, i + 8) === dataLen) return { at: i, length: 24, crc: u32(input, i + 4), uncompressedSize: u64(input, i + 16) };
      } else {
        if (i + 16 > input.length) return undefined;
        if (u32(input, i + 8) === dataLen % 0x1_0000_0000) {
          return { at: i, length: 16, crc: u32(input, i + 4), uncompressedSize: u32(input, i + 12) };
        }
      }
      i = buf.indexOf(DESCRIPTOR_SIG_BYTES, i + 1);
    }
    return undefined;
  }

  private startEntry(input: Uint8Array, pos: number, nameLen: number, extraLen: number): void {
    this.entries++;
    const flags = u16(input, pos + 6);
    const method = u16(input, pos + 8);
    const crc = u32(input, pos + 14);
    let csize = u32(input, pos + 18);
    let usize = u32(input, pos + 22);
    const nameBytes = input.subarray(pos + 30, pos + 30 + nameLen);
    const extra = input.subarray(pos + 30 + nameLen, pos + 30 + nameLen + extraLen);
    const z = zip64Values(extra, usize === 0xffffffff, csize === 0xffffffff, false);
    this.zip64 = z.present;
    if (z.u !== undefined) usize = z.u;
    if (z.c !== undefined) csize = z.c;
    const usesDescriptor = (flags & 0x0008) !== 0;
    const sizesUnknown = usesDescriptor && csize === 0;
    const header: StreamEntryHeader = {
      name: decodeEntryName(nameBytes, (flags & 0x0800) !== 0),
      encrypted: (flags & 0x0001) !== 0 || (flags & 0x0040) !== 0,
      method,
      compressedSize: sizesUnknown ? undefined : csize,
      uncompressedSize: sizesUnknown ? undefined : usize,
    };
    this.header = header;
    this.expectedCrc = sizesUnknown ? undefined : crc;
    this.hasDescriptorAfterData = usesDescriptor && !sizesUnknown;
    this.compressedSeen = 0;
    this.decodedBytes = 0;
    this.crc = 0;
    this.decodeError = undefined;
    this.inflate = undefined;
    let sink = this.handler.entry(header);
    if (this.isDone) return; // handler stopped the reader
    if (sink !== undefined && header.encrypted) sink = undefined;
    if (sink !== undefined && method !== 0 && method !== 8) {
      sink.fail('ZIP_UNSUPPORTED', `compression method ${method} is not supported (only stored and deflate)`);
      sink = undefined;
    }
    this.sink = sink;
    if (sink !== undefined && method === 8) {
      this.inflate = new Inflate((data) => this.deliver(data));
    }
    if (sizesUnknown) this.state = 'scan';
    else if (csize === 0) {
      this.state = 'data';
      this.remaining = 0;
      if (this.hasDescriptorAfterData) this.state = 'descriptor';
      else this.endEntry(usize, this.expectedCrc);
    } else {
      this.state = 'data';
      this.remaining = csize;
    }
  }

  /** Compressed bytes of the current entry. */
  private feed(data: Uint8Array): void {
    for (let i = 0; i < data.length; i += FEED_SLICE_BYTES) {
      const slice = data.subarray(i, Math.min(data.length, i + FEED_SLICE_BYTES));
      this.compressedSeen += slice.length;
      if (this.sink === undefined) continue;
      if (this.inflate !== undefined) {
        try {
          this.inflate.push(slice, false);
        } catch (error) {
          this.decodeFailed(error);
        }
      } else this.deliver(slice);
    }
  }

  private deliver(data: Uint8Array): void {
    if (this.sink === undefined || data.length === 0) return;
    this.decodedBytes += data.length;
    this.crc = updateCrc32(this.crc, data);
    if (!this.sink.write(data, this.compressedSeen)) {
      this.sink = undefined;
      this.inflate = undefined;
    }
  }

  private decodeFailed(error: unknown): void {
    const sink = this.sink;
    this.sink = undefined;
    this.inflate = undefined;
    const detail = error instanceof Error ? error.message : String(error);
    sink?.fail('ZIP_CORRUPT', `the compressed data are damaged (${detail})`);
  }

  private failEntry(code: 'ZIP_CORRUPT', message: string): void {
    const sink = this.sink;
    this.sink = undefined;
    this.inflate = undefined;
    sink?.fail(code, message);
  }

  private endEntry(uncompressedSize: number | undefined, crc: number | undefined): void {
    this.state = 'header';
    if (this.sink !== undefined && this.inflate !== undefined) {
      try {
        this.inflate.push(EMPTY, true);
      } catch (error) {
        this.decodeFailed(error);
      }
    }
    const sink = this.sink;
    this.sink = undefined;
    this.inflate = undefined;
    if (sink === undefined) return;
    if (uncompressedSize !== undefined && uncompressedSize !== this.decodedBytes) {
      sink.fail('ZIP_CORRUPT', `the entry declares ${uncompressedSize} bytes but holds ${this.decodedBytes}`);
    } else if (crc !== undefined && crc !== this.crc) {
      sink.fail('ZIP_CORRUPT', 'the entry fails its CRC-32 check (damaged data)');
    } else sink.end();
  }
}
