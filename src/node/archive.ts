/**
 * Reading zip archives for `loadActivities`: the archive on disk through
 * yauzl (random access to its central directory, one entry streamed at a
 * time), zips inside it through {@link ZipStreamReader} fed from the entry's
 * stream. Nothing from an archive is ever written to disk: entry names are
 * only labels. Every entry becomes one {@link LoadItem}, in archive order;
 * damage, encryption and bomb limits are reported per entry while the others go on.
 */
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { ErrorCode } from '../errors.js';
import { updateCrc32 } from './crc32.js';
import type { ArchiveLimits } from './limits.js';
import { cleanLabel, hasZipExtension, hasZipMagic, isHiddenPath, isSkippedName } from './names.js';
import type { ProgressCounter } from './progress.js';
import { lookupStrava, parseStravaCsv, type StravaActivityInfo, type StravaIndex } from './strava.js';
import { type EntrySink, type StreamEntryHeader, ZipStreamReader } from './zip-stream.js';
import { concatBytes } from '../parse/bytes.js';

/** One file found while loading: its bytes, or why they could not be had. */
export type LoadItem =
  | { readonly kind: 'file'; readonly path: string; readonly bytes: Uint8Array; readonly info?: StravaActivityInfo }
  | { readonly kind: 'error'; readonly path: string; readonly code: ErrorCode; readonly message: string };

/** What archive reading needs from the load call. */
export interface ArchiveContext {
  readonly limits: ArchiveLimits;
  readonly progress: ProgressCounter;
  readonly signal: AbortSignal | undefined;
}

/** Files and unknown-size containers an archive will give, for the progress total. */
export interface ArchivePlan {
  readonly files: number;
  readonly containers: number;
  /** Set when the declared total is over the archive limit: the archive is refused whole. */
  readonly declaredTooLarge?: number;
}

type Decision =
  | { readonly kind: 'skip' }
  | { readonly kind: 'csv' }
  | { readonly kind: 'file' }
  | { readonly kind: 'zip' }
  | { readonly kind: 'refuse'; readonly code: ErrorCode; readonly message: string };

interface Sizes {
  readonly name: string;
  readonly encrypted: boolean;
  readonly method: number;
  readonly compressedSize: number | undefined;
  readonly uncompressedSize: number | undefined;
}

const MiB = 1024 * 1024;
function mib(n: number): string {
  return n >= MiB ? `${(n / MiB).toFixed(1)} MiB` : `${n} bytes`;
}

function errorItem(path: string, code: ErrorCode, message: string): LoadItem {
  return { kind: 'error', path, code, message };
}

/** Decides what to do with an entry from its name and declared sizes (the same decision when planning and reading). */
function decide(e: Sizes, depth: number, limits: ArchiveLimits): Decision {
  if (e.name.endsWith('/')) return { kind: 'skip' };
  const base = e.name.slice(e.name.lastIndexOf('/') + 1).toLowerCase();
  if (base === 'activities.csv' && depth === 1 && !isHiddenPath(e.name)) return { kind: 'csv' };
  if (isSkippedName(e.name)) return { kind: 'skip' };
  if (e.encrypted) return { kind: 'refuse', code: 'ZIP_ENCRYPTED', message: 'the entry is encrypted; stridewise does not decrypt archives' };
  if (e.method !== 0 && e.method !== 8) {
    return { kind: 'refuse', code: 'ZIP_UNSUPPORTED', message: `compression method ${e.method} is not supported (only stored and deflate)` };
  }
  const isZip = hasZipExtension(e.name);
  if (isZip && depth + 1 > limits.maxZipDepth) {
    return {
      kind: 'refuse',
      code: 'ZIP_TOO_DEEP',
      message: `a zip nested ${depth + 1} levels deep is over the limit of ${limits.maxZipDepth}; it was not opened`,
    };
  }
  const u = e.uncompressedSize;
  const c = e.compressedSize;
  if (u !== undefined) {
    if (!isZip && u > limits.maxEntryBytes) {
      return { kind: 'refuse', code: 'ZIP_BOMB', message: `the entry declares ${mib(u)} uncompressed, over the limit of ${mib(limits.maxEntryBytes)}` };
    }
    if (u > limits.maxArchiveBytes) {
      return { kind: 'refuse', code: 'ZIP_BOMB', message: `the entry declares ${mib(u)} uncompressed, over the archive limit of ${mib(limits.maxArchiveBytes)}` };
    }
    if (c !== undefined && u > limits.ratioCheckMinBytes && u > c * limits.maxCompressionRatio) {
      return {
        kind: 'refuse',
        code: 'ZIP_BOMB',
        message: `the entry declares a compression ratio of ${(u / Math.max(1, c)).toFixed(0)}:1, over the limit of ${limits.maxCompressionRatio}:1`,
      };
    }
  }
  return isZip ? { kind: 'zip' } : { kind: 'file' };
}

interface Overrun {
  readonly code: ErrorCode;
  readonly message: string;
  /** The archive-wide budget is exhausted: nothing more is read from this archive. */
  readonly archiveWide: boolean;
}

/** A zip read as a stream, with its end reported exactly once. */
interface NestedZip {
  push(chunk: Uint8Array): void;
  /** End of its bytes: remaining entries are reported, then it is closed. */
  finish(): void;
  /** Stops reading it silently and closes it. */
  abort(): void;
  readonly isDone: boolean;
}

/** Counts actual inflated bytes of one entry against the limits; returns an error message when one is passed. */
class EntryMeter {
  bytes = 0;
  constructor(
    private readonly limits: ArchiveLimits,
    private readonly budget: { inflated: number },
    private readonly isFile: boolean,
    private readonly declaredCompressed: number | undefined,
  ) {}

  /** Adds `n` inflated bytes; `compressedSoFar` is used when the compressed size is not declared. */
  add(n: number, compressedSoFar: number): Overrun | undefined {
    this.bytes += n;
    this.budget.inflated += n;
    const l = this.limits;
    if (this.budget.inflated > l.maxArchiveBytes) {
      return { code: 'ZIP_BOMB', message: `more than ${mib(l.maxArchiveBytes)} inflated from this archive; reading stopped`, archiveWide: true };
    }
    if (this.isFile && this.bytes > l.maxEntryBytes) {
      return { code: 'ZIP_BOMB', message: `the entry inflates past ${mib(l.maxEntryBytes)}, the limit for one file`, archiveWide: false };
    }
    const compressed = Math.max(1, this.declaredCompressed ?? compressedSoFar);
    if (this.bytes > l.ratioCheckMinBytes && this.bytes > compressed * l.maxCompressionRatio) {
      return {
        code: 'ZIP_BOMB',
        message: `the entry inflates more than ${l.maxCompressionRatio}:1 (${mib(this.bytes)} from ${mib(compressed)}); reading stopped`,
        archiveWide: false,
      };
    }
    return undefined;
  }
}


/**
 * State shared by the readers of one top-level archive: the queue of finished
 * items (in archive order), the inflated-bytes budget, and a stop flag set when
 * the archive-wide budget is exhausted.
 */
class ArchiveRun {
  readonly queue: LoadItem[] = [];
  /** Zips inside the archive still being read; closed at the end whatever happened. */
  private readonly open = new Set<NestedZip>();
  readonly budget = { inflated: 0 };
  stopped = false;
  constructor(
    readonly ctx: ArchiveContext,
    readonly rootLabel: string,
  ) {}

  /** Queues an item the plan did not count. */
  push(item: LoadItem): void {
    this.ctx.progress.expect(1);
    this.queue.push(item);
  }

  stopAll(message: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.push(errorItem(this.rootLabel, 'ZIP_BOMB', message));
  }

  /**
   * A streaming reader for a zip at nesting `depth` labelled `label`; items of
   * its entries are queued as they complete. It counts as an open container
   * for the progress total until it is finished or aborted.
   */
  nestedReader(label: string, depth: number): NestedZip {
    const limits = this.ctx.limits;
    const progress = this.ctx.progress;
    progress.openContainer();
    let closed = false;
    const close = (): void => {
      if (!closed) {
        closed = true;
        this.open.delete(handle);
        progress.closeContainer();
      }
    };
    const reader: ZipStreamReader = new ZipStreamReader({
      entry: (h: StreamEntryHeader): EntrySink | undefined => {
        if (this.stopped) {
          reader.stop();
          return undefined;
        }
        if (reader.entryCount > limits.maxEntriesPerArchive) {
          this.push(errorItem(label, 'ZIP_BOMB', `more than ${limits.maxEntriesPerArchive} entries; reading stopped`));
          reader.stop();
          return undefined;
        }
        const path = `${label}!${h.name}`;
        const d = decide(h, depth, limits);
        switch (d.kind) {
          case 'skip':
          case 'csv':
            return undefined;
          case 'refuse':
            this.push(errorItem(path, d.code, d.message));
            return undefined;
          case 'zip': {
            const child = this.nestedReader(path, depth + 1);
            const meter = new EntryMeter(limits, this.budget, false, h.compressedSize);
            return {
              write: (chunk, compressedSoFar) => {
                const over = meter.add(chunk.length, compressedSoFar);
                if (over !== undefined) {
                  child.abort();
                  if (over.archiveWide) this.stopAll(over.message);
                  else this.push(errorItem(path, over.code, over.message));
                  return false;
                }
                child.push(chunk);
                if (this.stopped) {
                  child.abort();
                  return false;
                }
                return true;
              },
              end: () => child.finish(),
              fail: (code, message) => {
                child.abort();
                this.push(errorItem(path, code, message));
              },
            };
          }
          case 'file': {
            const meter = new EntryMeter(limits, this.budget, true, h.compressedSize);
            const chunks: Uint8Array[] = [];
            return {
              write: (chunk, compressedSoFar) => {
                const over = meter.add(chunk.length, compressedSoFar);
                if (over !== undefined) {
                  chunks.length = 0;
                  if (over.archiveWide) this.stopAll(over.message);
                  else this.push(errorItem(path, over.code, over.message));
                  return false;
                }
                chunks.push(chunk.slice());
                return true;
              },
              end: () => {
                const bytes = concatBytes(chunks, meter.bytes);
                chunks.length = 0;
                this.fileFromBytes(path, bytes, depth, undefined, false);
              },
              fail: (code, message) => {
                chunks.length = 0;
                this.push(errorItem(path, code, message));
              },
            };
          }
        }
      },
      error: (code, message) => this.push(errorItem(label, code, message)),
    });
    const handle: NestedZip = {
      push: (chunk) => reader.push(chunk),
      finish: () => {
        reader.finish();
        close();
      },
      abort: () => {
        reader.stop();
        close();
      },
      get isDone() {
        return reader.isDone;
      },
    };
    this.open.add(handle);
    return handle;
  }

  /** Aborts zips left open (after an archive-wide stop), so that the progress total is known again. */
  closeAll(): void {
    for (const h of [...this.open]) h.abort();
  }

  /**
   * A whole entry's bytes: a file item, or, when the content is a zip whatever
   * its name, the items of that zip (read from memory, one level deeper).
   * `planned` says whether the plan counted this entry as one file.
   */
  fileFromBytes(path: string, bytes: Uint8Array, depth: number, info: StravaActivityInfo | undefined, planned: boolean): void {
    if (hasZipMagic(bytes)) {
      if (planned) this.ctx.progress.expect(-1);
      if (depth + 1 > this.ctx.limits.maxZipDepth) {
        this.push(
          errorItem(path, 'ZIP_TOO_DEEP', `a zip nested ${depth + 1} levels deep is over the limit of ${this.ctx.limits.maxZipDepth}; it was not opened`),
        );
        return;
      }
      const reader = this.nestedReader(path, depth + 1);
      for (let i = 0; i < bytes.length && !reader.isDone; i += 64 * 1024) reader.push(bytes.subarray(i, i + 64 * 1024));
      reader.finish();
      return;
    }
    const item: LoadItem = { kind: 'file', path, bytes, ...(info !== undefined ? { info } : {}) };
    if (planned) this.queue.push(item);
    else this.push(item);
  }
}

interface OuterEntry {
  readonly entry: yauzl.Entry;
  readonly name: string;
  readonly decision: Decision;
}

function entrySizes(entry: yauzl.Entry, name: string): Sizes {
  return {
    name,
    encrypted: entry.isEncrypted(),
    method: entry.compressionMethod,
    compressedSize: entry.compressedSize,
    uncompressedSize: entry.uncompressedSize,
  };
}

function codeOfFsError(error: unknown): ErrorCode | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'FILE_NOT_FOUND';
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return 'FILE_UNREADABLE';
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Opens an archive and reads its central directory; entries read before damage are kept. */
async function openArchive(
  file: string,
  limits: ArchiveLimits,
): Promise<{ zip: yauzl.ZipFile; entries: OuterEntry[]; damage?: string } | { code: ErrorCode; message: string }> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, { decodeStrings: false, validateEntrySizes: true, autoClose: false, strictFileNames: false });
  } catch (error) {
    const fs = codeOfFsError(error);
    return { code: fs ?? 'ZIP_CORRUPT', message: fs !== undefined ? messageOf(error) : `the zip archive cannot be read: ${messageOf(error)}` };
  }
  if (zip.entryCount > limits.maxEntriesPerArchive) {
    zip.close();
    return { code: 'ZIP_BOMB', message: `the archive lists ${zip.entryCount} entries, over the limit of ${limits.maxEntriesPerArchive}` };
  }
  const entries: OuterEntry[] = [];
  let damage: string | undefined;
  try {
    for await (const entry of zip.eachEntry()) {
      const raw = entry.fileName as unknown as Buffer;
      const name = cleanLabel(yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false));
      entries.push({ entry, name, decision: decide(entrySizes(entry, name), 1, limits) });
    }
  } catch (error) {
    damage = `the archive's directory is damaged after ${entries.length} entries: ${messageOf(error)}`;
  }
  return damage !== undefined ? { zip, entries, damage } : { zip, entries };
}

function planOf(entries: readonly OuterEntry[], damage: string | undefined, limits: ArchiveLimits): ArchivePlan {
  let declared = 0;
  let files = damage !== undefined ? 1 : 0;
  let containers = 0;
  for (const e of entries) {
    const k = e.decision.kind;
    if (k === 'file' || k === 'refuse') files++;
    else if (k === 'zip') containers++;
    if (k === 'file' || k === 'zip') declared += e.entry.uncompressedSize;
  }
  if (declared > limits.maxArchiveBytes) return { files: 1, containers: 0, declaredTooLarge: declared };
  return { files, containers };
}

/**
 * Counts what an archive on disk will give (files, and zips inside it whose
 * content is counted only when read), from its central directory.
 * An archive that cannot be opened counts as one file (its error).
 *
 * @example const plan = await planArchive('export.zip', DEFAULT_ARCHIVE_LIMITS); // { files: 812, containers: 3 }
 */
export async function planArchive(file: string, limits: ArchiveLimits): Promise<ArchivePlan> {
  const opened = await openArchive(file, limits);
  if ('code' in opened) return { files: 1, containers: 0 };
  opened.zip.close();
  return planOf(opened.entries, opened.damage, limits);
}

async function readEntryStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return zip.openReadStreamPromise(entry);
}

/** Reads a Strava `activities.csv` entry; an error item when it cannot be used. */
async function readCsvEntry(zip: yauzl.ZipFile, e: OuterEntry, label: string, limits: ArchiveLimits): Promise<StravaIndex | LoadItem> {
  const path = `${label}!${e.name}`;
  if (e.entry.uncompressedSize > limits.maxCsvBytes) {
    return errorItem(path, 'FILE_TOO_LARGE', `activities.csv is ${mib(e.entry.uncompressedSize)}, over the limit of ${mib(limits.maxCsvBytes)}; names and gear are not joined`);
  }
  if (e.entry.isEncrypted()) return errorItem(path, 'ZIP_ENCRYPTED', 'activities.csv is encrypted; names and gear are not joined');
  try {
    const stream = await readEntryStream(zip, e.entry);
    const chunks: Uint8Array[] = [];
    let n = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      n += chunk.length;
      if (n > limits.maxCsvBytes) {
        stream.destroy();
        return errorItem(path, 'FILE_TOO_LARGE', `activities.csv inflates past ${mib(limits.maxCsvBytes)}; names and gear are not joined`);
      }
      chunks.push(chunk);
    }
    return parseStravaCsv(new TextDecoder('utf-8').decode(concatBytes(chunks, n)));
  } catch (error) {
    return errorItem(path, 'CORRUPT_FILE', `activities.csv cannot be read (${messageOf(error)}); names and gear are not joined`);
  }
}

/**
 * Reads every entry of a zip archive on disk, yielding one item per file in
 * archive order (zips inside are read as streams, to `maxZipDepth`).
 * `plan` is what {@link planArchive} counted earlier; the progress total is
 * corrected if the archive changed since. Never throws for damaged input
 * (only when `ctx.signal` aborts).
 *
 * @example
 * for await (const item of readArchive('export.zip', 'export.zip', ctx, plan)) {
 *   if (item.kind === 'file') parse(item.bytes);
 * }
 */
export async function* readArchive(file: string, label: string, ctx: ArchiveContext, plan: ArchivePlan): AsyncGenerator<LoadItem> {
  const { limits, progress } = ctx;
  progress.expect(-plan.files);
  for (let i = 0; i < plan.containers; i++) progress.closeContainer();
  const opened = await openArchive(file, limits);
  if ('code' in opened) {
    progress.expect(1);
    yield errorItem(label, opened.code, opened.message);
    return;
  }
  const { zip, entries, damage } = opened;
  try {
    const actual = planOf(entries, damage, limits);
    progress.expect(actual.files);
    for (let i = 0; i < actual.containers; i++) progress.openContainer();
    if (actual.declaredTooLarge !== undefined) {
      yield errorItem(
        label,
        'ZIP_BOMB',
        `the entries declare ${mib(actual.declaredTooLarge)} uncompressed in total, over the limit of ${mib(limits.maxArchiveBytes)}; the archive was not read`,
      );
      return;
    }
    // Strava: activities.csv files apply to entries below their folder
    const stravaIndexes: { prefix: string; index: StravaIndex }[] = [];
    for (const e of entries) {
      if (e.decision.kind !== 'csv') continue;
      const got = await readCsvEntry(zip, e, label, limits);
      if ('byPath' in got) stravaIndexes.push({ prefix: e.name.slice(0, e.name.length - 'activities.csv'.length), index: got });
      else {
        progress.expect(1);
        yield got;
      }
    }
    stravaIndexes.sort((a, b) => b.prefix.length - a.prefix.length);
    const infoOf = (name: string): StravaActivityInfo | undefined => {
      for (const s of stravaIndexes) {
        if (name.toLowerCase().startsWith(s.prefix.toLowerCase())) return lookupStrava(s.index, name.slice(s.prefix.length));
      }
      return undefined;
    };

    const run = new ArchiveRun(ctx, label);
    yield* readEntries(run, zip, entries, label, infoOf);
    if (damage !== undefined) yield errorItem(label, 'ZIP_CORRUPT', damage);
  } finally {
    zip.close();
  }
}

async function* readEntries(
  run: ArchiveRun,
  zip: yauzl.ZipFile,
  entries: readonly OuterEntry[],
  label: string,
  infoOf: (name: string) => StravaActivityInfo | undefined,
): AsyncGenerator<LoadItem> {
  const { ctx } = run;
  const { progress } = ctx;
  try {
    for (const e of entries) {
      ctx.signal?.throwIfAborted();
      const path = `${label}!${e.name}`;
      const d = e.decision;
      if (run.stopped) {
        if (d.kind === 'file' || d.kind === 'refuse') progress.expect(-1);
        else if (d.kind === 'zip') progress.closeContainer();
        continue;
      }
      if (d.kind === 'skip' || d.kind === 'csv') continue;
      if (d.kind === 'refuse') {
        yield errorItem(path, d.code, d.message);
        continue;
      }
      let stream: Readable;
      try {
        stream = await readEntryStream(zip, e.entry);
      } catch (error) {
        if (d.kind === 'zip') {
          progress.closeContainer();
          progress.expect(1);
        }
        yield errorItem(path, 'ZIP_CORRUPT', `the entry cannot be read: ${messageOf(error)}`);
        continue;
      }
      if (d.kind === 'file') {
        yield* readFileEntry(run, stream, e, path, infoOf(e.name));
      } else {
        yield* readZipEntry(run, stream, e, path);
      }
    }
  } finally {
    run.closeAll();
  }
}

/** yauzl's size validation says "too many bytes": the header lied about the size, a zip bomb trick. */
function streamErrorItem(path: string, error: unknown, declared: number): LoadItem {
  const message = messageOf(error);
  if (/too many bytes/i.test(message)) {
    return errorItem(path, 'ZIP_BOMB', `the entry inflates past the ${declared} bytes its header declares (${message}); reading stopped`);
  }
  return errorItem(path, 'ZIP_CORRUPT', `the entry is damaged: ${message}`);
}

async function* drain(run: ArchiveRun): AsyncGenerator<LoadItem> {
  while (run.queue.length > 0) {
    run.ctx.signal?.throwIfAborted();
    yield run.queue.shift()!;
  }
}

async function* readFileEntry(run: ArchiveRun, stream: Readable, e: OuterEntry, path: string, info: StravaActivityInfo | undefined): AsyncGenerator<LoadItem> {
  const meter = new EntryMeter(run.ctx.limits, run.budget, true, e.entry.compressedSize);
  const chunks: Uint8Array[] = [];
  let crc = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const over = meter.add(chunk.length, e.entry.compressedSize);
      if (over !== undefined) {
        stream.destroy();
        chunks.length = 0;
        run.ctx.progress.expect(-1);
        if (over.archiveWide) run.stopAll(over.message);
        else run.push(errorItem(path, over.code, over.message));
        yield* drain(run);
        return;
      }
      crc = updateCrc32(crc, chunk);
      chunks.push(chunk);
    }
  } catch (error) {
    yield streamErrorItem(path, error, e.entry.uncompressedSize);
    return;
  }
  if (crc !== e.entry.crc32) {
    yield errorItem(path, 'ZIP_CORRUPT', 'the entry fails its CRC-32 check (damaged data)');
    return;
  }
  run.fileFromBytes(path, concatBytes(chunks, meter.bytes), 1, info, true);
  yield* drain(run);
}

async function* readZipEntry(run: ArchiveRun, stream: Readable, e: OuterEntry, path: string): AsyncGenerator<LoadItem> {
  const meter = new EntryMeter(run.ctx.limits, run.budget, false, e.entry.compressedSize);
  // the plan counted this entry as an open container: the nested reader opens its own
  run.ctx.progress.closeContainer();
  const reader = run.nestedReader(path, 2);
  let crc = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const over = meter.add(chunk.length, e.entry.compressedSize);
      if (over !== undefined) {
        stream.destroy();
        reader.abort();
        if (over.archiveWide) run.stopAll(over.message);
        else run.push(errorItem(path, over.code, over.message));
        break;
      }
      crc = updateCrc32(crc, chunk);
      reader.push(chunk);
      yield* drain(run);
      if (reader.isDone || run.stopped) {
        stream.destroy();
        break;
      }
    }
    if (!reader.isDone && meter.bytes === e.entry.uncompressedSize && crc !== e.entry.crc32) {
      reader.abort();
      run.push(errorItem(path, 'ZIP_CORRUPT', 'the entry fails its CRC-32 check (damaged data)'));
    }
    reader.finish();
  } catch (error) {
    reader.abort();
    run.push(streamErrorItem(path, error, e.entry.uncompressedSize));
  }
  yield* drain(run);
}
