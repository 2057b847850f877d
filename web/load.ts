/**
 * The page's loader: the files a runner picked, dropped or chose as a
 * folder into one item per activity file (its bytes, or why there are none),
 * with the same rules, limits, error codes and messages as the command's
 * loader (`loadActivities`): zips recognised by content, Garmin's zips
 * inside zips read as streams, Strava's `activities.csv` joined for names
 * and gear, documents and hidden files in folders skipped unread, bombs
 * refused, and one bad entry never stopping the rest.
 *
 * Archives are read by random access from the `File` (see zip.ts): nothing
 * is copied whole into memory.
 */
import type { ErrorCode } from '../src/errors.js';
import { concatBytes } from '../src/parse/bytes.js';
import type { ParseLimits } from '../src/parse/limits.js';
import { updateCrc32 } from './crc32.js';
import type { ArchiveLimits } from '../src/node/limits.js';
import { hasZipExtension, hasZipMagic, isHiddenPath, isSkippedName } from '../src/node/names.js';
import type { ProgressCounter } from '../src/node/progress.js';
import { lookupStrava, parseStravaCsv, type StravaActivityInfo, type StravaIndex } from '../src/node/strava.js';
import { type EntrySink, type StreamEntryHeader, ZipStreamReader } from '../src/node/zip-stream.js';
import { type BlobZipEntry, entryChunks, readRange, readZipDirectory, readZipEntry } from './zip.js';

/** One file as given to the page. */
export interface InputFile {
  readonly file: Blob;
  /** The file's name, or its path inside a chosen or dropped folder (`export/activities/1.fit`). */
  readonly label: string;
  /** Found inside a folder: hidden files and documents are then skipped, and `activities.csv` applies. */
  readonly inFolder: boolean;
}

/** One activity file found: its bytes, or why they could not be had. */
export type LoadItem =
  | { readonly kind: 'file'; readonly path: string; readonly bytes: Uint8Array; readonly info?: StravaActivityInfo }
  | { readonly kind: 'error'; readonly path: string; readonly code: ErrorCode; readonly message: string };

/** A planned zip: its directory, read once. */
interface ZipUnit {
  readonly kind: 'zip';
  readonly file: Blob;
  readonly label: string;
  readonly entries: readonly PlannedEntry[];
  readonly damage: string | undefined;
  readonly declaredTooLarge: number | undefined;
}

type Unit =
  | { readonly kind: 'file'; readonly file: Blob; readonly label: string; readonly strava?: { readonly csv: InputFile; readonly relativePath: string } }
  | ZipUnit
  | { readonly kind: 'error'; readonly label: string; readonly code: ErrorCode; readonly message: string };

type Decision =
  | { readonly kind: 'skip' }
  | { readonly kind: 'csv' }
  | { readonly kind: 'file' }
  | { readonly kind: 'zip' }
  | { readonly kind: 'refuse'; readonly code: ErrorCode; readonly message: string };

interface PlannedEntry {
  readonly entry: BlobZipEntry;
  readonly decision: Decision;
}

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

/** What to do with an entry, from its name and declared sizes (as the command's archive reader decides). */
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
    return { kind: 'refuse', code: 'ZIP_TOO_DEEP', message: `a zip nested ${depth + 1} levels deep is over the limit of ${limits.maxZipDepth}; it was not opened` };
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
  readonly archiveWide: boolean;
}

/** Counts inflated bytes of one entry against the limits. */
class EntryMeter {
  bytes = 0;
  constructor(
    private readonly limits: ArchiveLimits,
    private readonly budget: { inflated: number },
    private readonly isFile: boolean,
    private readonly declaredCompressed: number | undefined,
  ) {}

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

interface NestedZip {
  push(chunk: Uint8Array): void;
  finish(): void;
  abort(): void;
  readonly isDone: boolean;
}

/** State of one top-level archive: finished items in order, the inflated-bytes budget, the stop flag. */
class ArchiveRun {
  readonly queue: LoadItem[] = [];
  private readonly open = new Set<NestedZip>();
  readonly budget = { inflated: 0 };
  stopped = false;
  constructor(
    readonly limits: ArchiveLimits,
    readonly progress: ProgressCounter,
    readonly rootLabel: string,
  ) {}

  push(item: LoadItem): void {
    this.progress.expect(1);
    this.queue.push(item);
  }

  stopAll(message: string): void {
    if (this.stopped) return;
    this.stopped = true;
    this.push(errorItem(this.rootLabel, 'ZIP_BOMB', message));
  }

  nestedReader(label: string, depth: number): NestedZip {
    const limits = this.limits;
    const progress = this.progress;
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

  closeAll(): void {
    for (const h of [...this.open]) h.abort();
  }

  /** A whole entry's bytes: a file item, or the items of the zip it holds (whatever its name). */
  fileFromBytes(path: string, bytes: Uint8Array, depth: number, info: StravaActivityInfo | undefined, planned: boolean): void {
    if (hasZipMagic(bytes)) {
      if (planned) this.progress.expect(-1);
      if (depth + 1 > this.limits.maxZipDepth) {
        this.push(errorItem(path, 'ZIP_TOO_DEEP', `a zip nested ${depth + 1} levels deep is over the limit of ${this.limits.maxZipDepth}; it was not opened`));
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

/** Options of {@link loadInputs}. */
export interface LoadInputsOptions {
  readonly archiveLimits: ArchiveLimits;
  readonly parseLimits: ParseLimits;
  readonly progress: ProgressCounter;
  readonly signal?: AbortSignal;
}

/** The folder part of a label (`a/b/c.fit` → `a/b/`), empty at the top. */
function folderOf(label: string): string {
  return label.slice(0, label.lastIndexOf('/') + 1);
}

function isCsvName(label: string): boolean {
  return label.slice(label.lastIndexOf('/') + 1).toLowerCase() === 'activities.csv';
}

/**
 * Lists the inputs: zips (recognised by their first bytes) with their
 * directories, plain files with the `activities.csv` above them in their
 * folder, and the files a folder holds that are skipped unread left out.
 */
async function plan(inputs: readonly InputFile[], limits: ArchiveLimits, progress: ProgressCounter): Promise<Unit[]> {
  const csvByFolder = new Map<string, InputFile>();
  for (const input of inputs) {
    if (input.inFolder && isCsvName(input.label) && !isHiddenPath(input.label)) csvByFolder.set(folderOf(input.label), input);
  }
  const units: Unit[] = [];
  const seen = new Set<Blob>();
  for (const input of inputs) {
    if (seen.has(input.file)) continue;
    seen.add(input.file);
    if (input.inFolder && isSkippedName(input.label)) continue;
    let magic: Uint8Array;
    try {
      magic = await readRange(input.file, 0, 4);
    } catch (error) {
      units.push({ kind: 'error', label: input.label, code: 'FILE_UNREADABLE', message: `cannot read ${input.label}: ${(error as Error).message}` });
      continue;
    }
    if (hasZipMagic(magic)) {
      units.push(await planZip(input.file, input.label, limits));
      continue;
    }
    let strava: { csv: InputFile; relativePath: string } | undefined;
    if (input.inFolder) {
      // the nearest activities.csv in this folder or above it
      for (let folder = folderOf(input.label); ; folder = folderOf(folder.slice(0, -1))) {
        const csv = csvByFolder.get(folder);
        if (csv !== undefined) {
          strava = { csv, relativePath: input.label.slice(folder.length) };
          break;
        }
        if (folder === '') break;
      }
    }
    units.push({ kind: 'file', file: input.file, label: input.label, ...(strava !== undefined ? { strava } : {}) });
  }
  for (const u of units) {
    if (u.kind === 'zip') {
      if (u.declaredTooLarge !== undefined || u.entries.length === 0) progress.expect(u.declaredTooLarge !== undefined ? 1 : 0);
      for (const e of u.entries) {
        const k = e.decision.kind;
        if (u.declaredTooLarge !== undefined) break;
        if (k === 'file' || k === 'refuse') progress.expect(1);
        else if (k === 'zip') progress.openContainer();
      }
      if (u.damage !== undefined && u.declaredTooLarge === undefined) progress.expect(1);
    } else progress.expect(1);
  }
  progress.report();
  return units;
}

async function planZip(file: Blob, label: string, limits: ArchiveLimits): Promise<Unit> {
  let dir;
  try {
    dir = await readZipDirectory(file, limits.maxEntriesPerArchive);
  } catch (error) {
    const tooMany = (error as { tooMany?: number }).tooMany;
    if (tooMany !== undefined) {
      return { kind: 'error', label, code: 'ZIP_BOMB', message: `the archive lists ${tooMany} entries, over the limit of ${limits.maxEntriesPerArchive}` };
    }
    return { kind: 'error', label, code: 'ZIP_CORRUPT', message: `the zip archive cannot be read: ${(error as Error).message}` };
  }
  const entries = dir.entries.map((entry) => ({ entry, decision: decide(entry, 1, limits) }));
  let declared = 0;
  for (const e of entries) if (e.decision.kind === 'file' || e.decision.kind === 'zip') declared += e.entry.uncompressedSize;
  return { kind: 'zip', file, label, entries, damage: dir.damage, declaredTooLarge: declared > limits.maxArchiveBytes ? declared : undefined };
}

/**
 * Every activity file of the inputs as an item (bytes or error), one file's
 * bytes at a time, updating `progress`'s expected total as archives reveal
 * their content. Never throws for damaged input (only when `signal` aborts).
 *
 * @example
 * for await (const item of loadInputs([{ file, label: file.name, inFolder: false }], options)) console.log(item.path);
 */
export async function* loadInputs(inputs: readonly InputFile[], options: LoadInputsOptions): AsyncGenerator<LoadItem> {
  const { archiveLimits, parseLimits, progress, signal } = options;
  const units = await plan(inputs, archiveLimits, progress);
  const csvCache = new Map<InputFile, StravaIndex | undefined>();
  for (const unit of units) {
    signal?.throwIfAborted();
    if (unit.kind === 'error') {
      yield errorItem(unit.label, unit.code, unit.message);
      continue;
    }
    if (unit.kind === 'zip') {
      yield* readZip(unit, archiveLimits, progress, signal);
      continue;
    }
    let info: StravaActivityInfo | undefined;
    if (unit.strava !== undefined) {
      const csv = unit.strava.csv;
      if (!csvCache.has(csv)) {
        const got = await readCsvFile(csv, archiveLimits.maxCsvBytes);
        if ('byPath' in got) csvCache.set(csv, got);
        else {
          csvCache.set(csv, undefined);
          progress.expect(1);
          yield got;
        }
      }
      const index = csvCache.get(csv);
      if (index !== undefined) info = lookupStrava(index, unit.strava.relativePath);
    }
    const size = unit.file.size;
    if (size > parseLimits.maxInputBytes) {
      yield errorItem(unit.label, 'FILE_TOO_LARGE', `the file is ${size} bytes, over the limit of ${parseLimits.maxInputBytes} bytes (${unit.label})`);
      continue;
    }
    try {
      const bytes = new Uint8Array(await unit.file.arrayBuffer());
      yield { kind: 'file', path: unit.label, bytes, ...(info !== undefined ? { info } : {}) };
    } catch (error) {
      yield errorItem(unit.label, 'FILE_UNREADABLE', `cannot read ${unit.label}: ${(error as Error).message}`);
    }
  }
}

async function readCsvFile(csv: InputFile, maxBytes: number): Promise<StravaIndex | LoadItem> {
  if (csv.file.size > maxBytes) {
    return errorItem(csv.label, 'FILE_TOO_LARGE', `activities.csv is ${csv.file.size} bytes, over the limit of ${maxBytes}; names and gear are not joined`);
  }
  try {
    return parseStravaCsv(await csv.file.text());
  } catch (error) {
    return errorItem(csv.label, 'CORRUPT_FILE', `activities.csv cannot be read (${(error as Error).message}); names and gear are not joined`);
  }
}

async function readCsvEntry(unit: ZipUnit, e: BlobZipEntry, limits: ArchiveLimits, signal: AbortSignal | undefined): Promise<StravaIndex | LoadItem> {
  const path = `${unit.label}!${e.name}`;
  if (e.uncompressedSize > limits.maxCsvBytes) {
    return errorItem(path, 'FILE_TOO_LARGE', `activities.csv is ${mib(e.uncompressedSize)}, over the limit of ${mib(limits.maxCsvBytes)}; names and gear are not joined`);
  }
  if (e.encrypted) return errorItem(path, 'ZIP_ENCRYPTED', 'activities.csv is encrypted; names and gear are not joined');
  const chunks: Uint8Array[] = [];
  let n = 0;
  let tooLarge = false;
  const end = await readZipEntry(
    unit.file,
    e,
    {
      write: (chunk) => {
        n += chunk.length;
        if (n > limits.maxCsvBytes) {
          tooLarge = true;
          return false;
        }
        chunks.push(chunk.slice());
        return true;
      },
    },
    signal,
  );
  if (tooLarge) return errorItem(path, 'FILE_TOO_LARGE', `activities.csv inflates past ${mib(limits.maxCsvBytes)}; names and gear are not joined`);
  if (end.kind !== 'end') return errorItem(path, 'CORRUPT_FILE', `activities.csv cannot be read (${'message' in end ? end.message : 'stopped'}); names and gear are not joined`);
  try {
    return parseStravaCsv(new TextDecoder('utf-8').decode(concatBytes(chunks, n)));
  } catch (error) {
    return errorItem(path, 'CORRUPT_FILE', `activities.csv cannot be read (${(error as Error).message}); names and gear are not joined`);
  }
}

async function* readZip(unit: ZipUnit, limits: ArchiveLimits, progress: ProgressCounter, signal: AbortSignal | undefined): AsyncGenerator<LoadItem> {
  const label = unit.label;
  if (unit.declaredTooLarge !== undefined) {
    yield errorItem(
      label,
      'ZIP_BOMB',
      `the entries declare ${mib(unit.declaredTooLarge)} uncompressed in total, over the limit of ${mib(limits.maxArchiveBytes)}; the archive was not read`,
    );
    return;
  }
  const stravaIndexes: { prefix: string; index: StravaIndex }[] = [];
  for (const e of unit.entries) {
    if (e.decision.kind !== 'csv') continue;
    const got = await readCsvEntry(unit, e.entry, limits, signal);
    if ('byPath' in got) stravaIndexes.push({ prefix: e.entry.name.slice(0, e.entry.name.length - 'activities.csv'.length), index: got });
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
  const run = new ArchiveRun(limits, progress, label);
  try {
    for (const { entry, decision: d } of unit.entries) {
      signal?.throwIfAborted();
      const path = `${label}!${entry.name}`;
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
      if (d.kind === 'file') yield* readFileEntry(run, unit.file, entry, path, infoOf(entry.name), signal);
      else yield* readZipInZip(run, unit.file, entry, path, signal);
    }
  } finally {
    run.closeAll();
  }
  if (unit.damage !== undefined) yield errorItem(label, 'ZIP_CORRUPT', unit.damage);
}

/** An entry that did not read to its end, as the command reports it. */
function endErrorItem(path: string, end: { kind: 'open-failed' | 'too-many' | 'damaged'; message: string }, declared: number): LoadItem {
  if (end.kind === 'open-failed') return errorItem(path, 'ZIP_CORRUPT', `the entry cannot be read: ${end.message}`);
  if (end.kind === 'too-many') return errorItem(path, 'ZIP_BOMB', `the entry inflates past the ${declared} bytes its header declares (${end.message}); reading stopped`);
  return errorItem(path, 'ZIP_CORRUPT', `the entry is damaged: ${end.message}`);
}

function* drain(run: ArchiveRun, signal: AbortSignal | undefined): Generator<LoadItem> {
  while (run.queue.length > 0) {
    signal?.throwIfAborted();
    yield run.queue.shift()!;
  }
}

async function* readFileEntry(
  run: ArchiveRun,
  file: Blob,
  entry: BlobZipEntry,
  path: string,
  info: StravaActivityInfo | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<LoadItem> {
  const meter = new EntryMeter(run.limits, run.budget, true, entry.compressedSize);
  const chunks: Uint8Array[] = [];
  let crc = 0;
  let over: Overrun | undefined;
  const end = await readZipEntry(
    file,
    entry,
    {
      write: (chunk) => {
        over = meter.add(chunk.length, entry.compressedSize);
        if (over !== undefined) {
          chunks.length = 0;
          return false;
        }
        crc = updateCrc32(crc, chunk);
        chunks.push(chunk.slice());
        return true;
      },
    },
    signal,
  );
  if (over !== undefined) {
    run.progress.expect(-1);
    if (over.archiveWide) run.stopAll(over.message);
    else run.push(errorItem(path, over.code, over.message));
    yield* drain(run, signal);
    return;
  }
  if (end.kind !== 'end') {
    if (end.kind !== 'stopped') yield endErrorItem(path, end, entry.uncompressedSize);
    return;
  }
  if (crc !== entry.crc32) {
    yield errorItem(path, 'ZIP_CORRUPT', 'the entry fails its CRC-32 check (damaged data)');
    return;
  }
  run.fileFromBytes(path, concatBytes(chunks, meter.bytes), 1, info, true);
  yield* drain(run, signal);
}

async function* readZipInZip(run: ArchiveRun, file: Blob, entry: BlobZipEntry, path: string, signal: AbortSignal | undefined): AsyncGenerator<LoadItem> {
  const meter = new EntryMeter(run.limits, run.budget, false, entry.compressedSize);
  // the plan counted this entry as an open container: the nested reader opens its own
  run.progress.closeContainer();
  const reader = run.nestedReader(path, 2);
  let crc = 0;
  const it = entryChunks(file, entry, signal);
  try {
    for (let r = await it.next(); ; r = await it.next()) {
      if (r.done === true) {
        const end = r.value;
        if (end.kind === 'end') {
          if (!reader.isDone && crc !== entry.crc32) {
            reader.abort();
            run.push(errorItem(path, 'ZIP_CORRUPT', 'the entry fails its CRC-32 check (damaged data)'));
          }
          reader.finish();
        } else if (end.kind !== 'stopped') {
          reader.abort();
          run.push(endErrorItem(path, end, entry.uncompressedSize));
        }
        break;
      }
      let stop = false;
      for (const chunk of r.value) {
        const over = meter.add(chunk.length, entry.compressedSize);
        if (over !== undefined) {
          reader.abort();
          if (over.archiveWide) run.stopAll(over.message);
          else run.push(errorItem(path, over.code, over.message));
          stop = true;
          break;
        }
        crc = updateCrc32(crc, chunk);
        reader.push(chunk);
        if (reader.isDone || run.stopped) {
          stop = true;
          break;
        }
      }
      yield* drain(run, signal);
      if (stop) {
        reader.finish();
        break;
      }
    }
  } finally {
    await it.return({ kind: 'stopped' });
  }
  yield* drain(run, signal);
}
