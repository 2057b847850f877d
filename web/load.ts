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
import { decide, type Decision, EntryMeter, mib, type Overrun } from '../src/node/archive-limits.js';
import {
  ArchiveRun,
  declaredTooLargeItem,
  drain,
  errorItem,
  type LoadItem,
  NO_END_RECORD_MESSAGE,
  scanLocalHeaders,
  stravaFolderIndex,
  type StravaFolderIndex,
  stravaInfoLookup,
} from '../src/node/archive-run.js';
import { updateCrc32 } from '../src/node/crc32-table.js';
import type { ArchiveLimits } from '../src/node/limits.js';
import { hasZipMagic, isHiddenPath, isSkippedName } from '../src/node/names.js';
import type { ProgressCounter } from '../src/node/progress.js';
import { lookupStrava, parseStravaCsv, type StravaActivityInfo, type StravaIndex } from '../src/node/strava.js';
import { type BlobZipEntry, entryChunks, NoEndRecordError, READ_CHUNK_BYTES, readRange, readZipDirectory, readZipEntry } from './zip.js';

export type { LoadItem } from '../src/node/archive-run.js';

/** One file as given to the page. */
export interface InputFile {
  readonly file: Blob;
  /** The file's name, or its path inside a chosen or dropped folder (`export/activities/1.fit`). */
  readonly label: string;
  /** Found inside a folder: hidden files and documents are then skipped, and `activities.csv` applies. */
  readonly inFolder: boolean;
}

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
  /** A zip without its end record (cut short): read from its local headers. */
  | { readonly kind: 'scan'; readonly file: Blob; readonly label: string }
  | { readonly kind: 'error'; readonly label: string; readonly code: ErrorCode; readonly message: string };

interface PlannedEntry {
  readonly entry: BlobZipEntry;
  readonly decision: Decision;
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
    } else if (u.kind === 'scan') progress.openContainer(); // entries unknown until read
    else progress.expect(1);
  }
  progress.report();
  return units;
}

async function planZip(file: Blob, label: string, limits: ArchiveLimits): Promise<Unit> {
  let dir;
  try {
    dir = await readZipDirectory(file, limits.maxEntriesPerArchive);
  } catch (error) {
    // no end record (a download cut short): the entries before the cut are read from their local headers
    if (error instanceof NoEndRecordError) return { kind: 'scan', file, label };
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
    if (unit.kind === 'scan') {
      // the plan counted it as one open container: the stream reader opens its own
      progress.closeContainer();
      const run = new ArchiveRun({ limits: archiveLimits, progress, signal }, unit.label);
      yield* scanLocalHeaders(run, blobChunks(unit.file), unit.label, NO_END_RECORD_MESSAGE);
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

/** A blob's bytes from the first, in pieces of {@link READ_CHUNK_BYTES}. */
async function* blobChunks(blob: Blob): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < blob.size; at += READ_CHUNK_BYTES) yield await readRange(blob, at, at + READ_CHUNK_BYTES);
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
    yield declaredTooLargeItem(label, unit.declaredTooLarge, limits);
    return;
  }
  const stravaIndexes: StravaFolderIndex[] = [];
  for (const e of unit.entries) {
    if (e.decision.kind !== 'csv') continue;
    const got = await readCsvEntry(unit, e.entry, limits, signal);
    if ('byPath' in got) stravaIndexes.push(stravaFolderIndex(e.entry.name, got));
    else {
      progress.expect(1);
      yield got;
    }
  }
  const infoOf = stravaInfoLookup(stravaIndexes);
  const run = new ArchiveRun({ limits, progress, signal }, label);
  try {
    for (const { entry, decision: d } of unit.entries) {
      signal?.throwIfAborted();
      const path = `${label}!${entry.name}`;
      const next = run.beforeEntry(d, path);
      if (next === 'pass') continue;
      if (next !== 'read') {
        yield next;
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

async function* readFileEntry(
  run: ArchiveRun,
  file: Blob,
  entry: BlobZipEntry,
  path: string,
  info: StravaActivityInfo | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<LoadItem> {
  const meter = new EntryMeter(run.ctx.limits, run.budget, true, entry.compressedSize);
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
    run.ctx.progress.expect(-1);
    if (over.archiveWide) run.stopAll(over.message);
    else run.push(errorItem(path, over.code, over.message));
    yield* drain(run);
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
  run.fileFromBytes(path, concatBytes(chunks, meter.bytes), 1, info, true, entry.compressedSize);
  yield* drain(run);
}

async function* readZipInZip(run: ArchiveRun, file: Blob, entry: BlobZipEntry, path: string, signal: AbortSignal | undefined): AsyncGenerator<LoadItem> {
  const meter = new EntryMeter(run.ctx.limits, run.budget, false, entry.compressedSize);
  // the plan counted this entry as an open container: the nested reader opens its own
  run.ctx.progress.closeContainer();
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
      yield* drain(run);
      if (stop) {
        reader.finish();
        break;
      }
    }
  } finally {
    await it.return({ kind: 'stopped' });
  }
  yield* drain(run);
}
