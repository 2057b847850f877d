/**
 * Reading zip archives for `loadActivities`, in stages: the directory of the
 * archive on disk ({@link readCentralDirectory}, overlapping records refused),
 * the decisions per entry from names and declared sizes ({@link decideRecords}),
 * Strava's `activities.csv`, then each entry's data streamed from its local
 * header and metered as it inflates; zips inside it go through
 * `ZipStreamReader` fed from the entry's bytes, and so does an archive
 * whose end record is missing (cut short). Nothing from an archive is ever
 * written to disk: entry names are only labels. Every entry becomes one
 * {@link LoadItem}, in archive order; damage, encryption and bomb limits are
 * reported per entry while the others go on.
 */
import { promises as fsp } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { Inflate } from 'fflate';
import type { ErrorCode } from '../errors.js';
import { updateCrc32 } from './crc32.js';
import { READ_NONBLOCK } from './regular-file.js';
import type { ArchiveLimits } from './limits.js';
import { decide, type Decision, EntryMeter, isGarminSummaryName, mib, type Sizes } from './archive-limits.js';
import { type GarminTypeIndex, parseGarminSummaries } from './garmin.js';
import { parseStravaCsv, type StravaActivityInfo, type StravaIndex } from './strava.js';
import {
  type CentralRecord,
  dataLimits,
  type EntryData,
  findOverlappingRecords,
  locateEntryData,
  readCentralDirectory,
  readRange,
} from './zip-directory.js';
import { concatBytes } from '../parse/bytes.js';
import {
  type ArchiveContext,
  ArchiveRun,
  declaredTooLargeItem,
  drain,
  errorItem,
  type LoadItem,
  scanLocalHeaders,
  stravaFolderIndex,
  type StravaFolderIndex,
  stravaInfoLookup,
} from './archive-run.js';

export type { ArchiveContext, LoadItem } from './archive-run.js';

/** Files and unknown-size containers an archive will give, for the progress total. */
export interface ArchivePlan {
  readonly files: number;
  readonly containers: number;
  /** Set when the declared total is over the archive limit: the archive is refused whole. */
  readonly declaredTooLarge?: number;
}



interface OuterEntry {
  readonly record: CentralRecord;
  readonly name: string;
  readonly decision: Decision;
}

function recordSizes(r: CentralRecord): Sizes {
  return { name: r.name, encrypted: r.encrypted, method: r.method, compressedSize: r.compressedSize, uncompressedSize: r.uncompressedSize };
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

const OVERLAP_MESSAGE =
  "the entry's data overlap another entry's (several directory records over the same bytes: an overlapping-entry zip bomb); it was not read";

/**
 * Decisions for the records of a directory: overlapping records that would
 * be read are refused with `ZIP_BOMB`, the others are decided from their
 * names and declared sizes.
 *
 * @example decideRecords(dir.records, limits)[1].decision; // { kind: 'refuse', code: 'ZIP_BOMB', ... }
 */
export function decideRecords(records: readonly CentralRecord[], limits: ArchiveLimits, overlapping: ReadonlySet<number> = findOverlappingRecords(records)): OuterEntry[] {
  return records.map((record) => {
    const d = decide(recordSizes(record), 1, limits);
    const read = d.kind === 'file' || d.kind === 'zip' || d.kind === 'csv';
    return {
      record,
      name: record.name,
      decision: read && overlapping.has(record.index) ? { kind: 'refuse', code: 'ZIP_BOMB', message: OVERLAP_MESSAGE } : d,
    };
  });
}

/** An archive opened for reading: its directory, or (no end record) its local headers to scan. */
type OpenedArchive =
  | {
      readonly kind: 'directory';
      readonly fh: FileHandle;
      readonly size: number;
      readonly entries: OuterEntry[];
      readonly dataLimits: Map<number, number>;
      readonly damage?: string;
    }
  | { readonly kind: 'scan'; readonly fh: FileHandle; readonly size: number; readonly message: string }
  | { readonly kind: 'error'; readonly code: ErrorCode; readonly message: string };

/**
 * Opens an archive (a regular file only: checked on the open handle, so a
 * file swapped for a device after listing is refused) and reads its
 * directory; entries read before damage are kept.
 */
async function openArchive(file: string, limits: ArchiveLimits): Promise<OpenedArchive> {
  let fh: FileHandle;
  try {
    fh = await fsp.open(file, READ_NONBLOCK);
  } catch (error) {
    const fs = codeOfFsError(error);
    return { kind: 'error', code: fs ?? 'FILE_UNREADABLE', message: messageOf(error) };
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) {
      await fh.close();
      return { kind: 'error', code: 'FILE_UNREADABLE', message: 'the archive is not a regular file (a device, pipe or socket) and is not read' };
    }
    const dir = await readCentralDirectory(fh, st.size, limits.maxEntriesPerArchive);
    if ('failure' in dir) {
      if (dir.failure === 'noEndRecord') return { kind: 'scan', fh, size: st.size, message: dir.message };
      await fh.close();
      return {
        kind: 'error',
        code: dir.failure === 'tooManyEntries' ? 'ZIP_BOMB' : 'ZIP_CORRUPT',
        message: dir.failure === 'tooManyEntries' ? dir.message : `the zip archive cannot be read: ${dir.message}`,
      };
    }
    const overlapping = findOverlappingRecords(dir.records);
    const entries = decideRecords(dir.records, limits, overlapping);
    const opened = { kind: 'directory' as const, fh, size: st.size, entries, dataLimits: dataLimits(dir.records, dir.end.directoryOffset, overlapping) };
    return dir.damage !== undefined ? { ...opened, damage: dir.damage } : opened;
  } catch (error) {
    await fh.close();
    const fs = codeOfFsError(error);
    return { kind: 'error', code: fs ?? 'ZIP_CORRUPT', message: fs !== undefined ? messageOf(error) : `the zip archive cannot be read: ${messageOf(error)}` };
  }
}

function planOf(opened: OpenedArchive, limits: ArchiveLimits): ArchivePlan {
  if (opened.kind === 'error') return { files: 1, containers: 0 };
  // no directory: one note about it, and the entries found while scanning (unknown until read)
  if (opened.kind === 'scan') return { files: 1, containers: 1 };
  let declared = 0;
  let files = opened.damage !== undefined ? 1 : 0;
  let containers = 0;
  for (const e of opened.entries) {
    const k = e.decision.kind;
    if (k === 'file' || k === 'refuse') files++;
    else if (k === 'zip') containers++;
    if (k === 'file' || k === 'zip') declared += e.record.uncompressedSize;
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
  if (opened.kind !== 'error') await opened.fh.close();
  return planOf(opened, limits);
}

/** Fixed-size pieces handed to the inflater (bounds the output of one step, as in the stream reader). */
const INFLATE_SLICE_BYTES = 16 * 1024;

/**
 * The decoded bytes of an entry whose compressed data are bytes `start` to
 * `end` of the archive (stored or deflate), in pieces.
 *
 * @throws Error when the deflate data are damaged or cut.
 */
async function* decodedChunks(fh: FileHandle, start: number, end: number, method: number): AsyncGenerator<Uint8Array> {
  if (method === 0) {
    yield* readRange(fh, start, end);
    return;
  }
  const out: Uint8Array[] = [];
  const inflate = new Inflate((data) => {
    if (data.length > 0) out.push(data);
  });
  for await (const chunk of readRange(fh, start, end)) {
    for (let i = 0; i < chunk.length; i += INFLATE_SLICE_BYTES) {
      inflate.push(chunk.subarray(i, i + INFLATE_SLICE_BYTES), false);
      while (out.length > 0) yield out.shift()!;
    }
  }
  inflate.push(new Uint8Array(0), true);
  while (out.length > 0) yield out.shift()!;
}

/**
 * Reads the export metadata entries of an archive (Strava `activities.csv`,
 * Garmin `summarizedActivities` JSON), each metered like any entry (ratio,
 * archive budget) and all of them together against `maxCsvBytes`.
 */
async function* readCsvEntries(
  run: ArchiveRun,
  fh: FileHandle,
  entries: readonly OuterEntry[],
  label: string,
  limitsOf: Map<number, number>,
  size: number,
  found: StravaFolderIndex[],
  garminTexts: string[],
): AsyncGenerator<LoadItem> {
  const csvBudget = { bytes: 0 };
  for (const e of entries) {
    if (e.decision.kind !== 'csv' || run.stopped) continue;
    const garmin = isGarminSummaryName(e.name);
    const got = await readCsvEntry(run, fh, e, `${label}!${e.name}`, csvBudget, limitsOf.get(e.record.index) ?? Infinity, size, garmin);
    if (typeof got === 'string') garminTexts.push(got);
    else if ('byPath' in got) found.push(stravaFolderIndex(e.name, got));
    else {
      run.ctx.progress.expect(1);
      yield got;
    }
  }
}

/**
 * Reads one `activities.csv` entry (its index), or one Garmin summaries
 * entry (its text, parsed once all are read); an error item when it cannot be used.
 */
async function readCsvEntry(
  run: ArchiveRun,
  fh: FileHandle,
  e: OuterEntry,
  path: string,
  csvBudget: { bytes: number },
  limit: number,
  size: number,
  garmin: boolean,
): Promise<StravaIndex | string | LoadItem> {
  const limits = run.ctx.limits;
  const r = e.record;
  const what = garmin ? 'the Garmin activity summaries' : 'activities.csv';
  const notJoined = garmin ? 'activity types are not joined' : 'names and gear are not joined';
  if (csvBudget.bytes + r.uncompressedSize > limits.maxCsvBytes) {
    return errorItem(path, 'FILE_TOO_LARGE', `${what}: ${mib(r.uncompressedSize)}, over the limit of ${mib(limits.maxCsvBytes)} for the export metadata of one archive; ${notJoined}`);
  }
  if (r.encrypted) return errorItem(path, 'ZIP_ENCRYPTED', `${what}: encrypted; ${notJoined}`);
  if (r.method !== 0 && r.method !== 8) return errorItem(path, 'ZIP_UNSUPPORTED', `${what}: compression method ${r.method}; ${notJoined}`);
  const where = await locateEntryData(fh, r, limit, size);
  if (where.kind !== 'data') return errorItem(path, where.kind === 'overlap' ? 'ZIP_BOMB' : 'ZIP_CORRUPT', `${where.message}; ${notJoined}`);
  const meter = new EntryMeter(limits, run.budget, false, r.compressedSize, r.uncompressedSize);
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of decodedChunks(fh, where.start, where.end, r.method)) {
      const over = meter.add(chunk.length, r.compressedSize);
      if (over !== undefined) {
        if (over.archiveWide) run.stopAll(over.message);
        return errorItem(path, over.code, `${what}: ${over.message}; ${notJoined}`);
      }
      csvBudget.bytes += chunk.length;
      if (csvBudget.bytes > limits.maxCsvBytes) {
        return errorItem(path, 'FILE_TOO_LARGE', `the export metadata of this archive inflate past ${mib(limits.maxCsvBytes)}; ${notJoined}`);
      }
      chunks.push(chunk);
    }
    const text = new TextDecoder('utf-8').decode(concatBytes(chunks, meter.bytes));
    if (garmin) {
      JSON.parse(text); // damaged JSON is this entry's error
      return text;
    }
    return parseStravaCsv(text);
  } catch (error) {
    return errorItem(path, 'CORRUPT_FILE', `${what} cannot be read (${messageOf(error)}); ${notJoined}`);
  }
}

/**
 * Reads every entry of a zip archive on disk, yielding one item per file in
 * archive order (zips inside are read as streams, to `maxZipDepth`).
 * `plan` is what {@link planArchive} counted earlier; the progress total is
 * corrected if the archive changed since. An archive without its end record
 * (cut short) is read by scanning its local headers: every entry before the
 * cut is recovered. Never throws for damaged input (only when `ctx.signal` aborts).
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
  if (opened.kind === 'error') {
    progress.expect(1);
    yield errorItem(label, opened.code, opened.message);
    return;
  }
  const { fh } = opened;
  try {
    const run = new ArchiveRun(ctx, label);
    if (opened.kind === 'scan') {
      yield* scanLocalHeaders(run, readRange(fh, 0, opened.size), label, opened.message);
      return;
    }
    const actual = planOf(opened, limits);
    progress.expect(actual.files);
    for (let i = 0; i < actual.containers; i++) progress.openContainer();
    if (actual.declaredTooLarge !== undefined) {
      yield declaredTooLargeItem(label, actual.declaredTooLarge, limits);
      return;
    }
    // Strava: activities.csv files apply to entries below their folder
    const stravaIndexes: StravaFolderIndex[] = [];
    const garminTexts: string[] = [];
    yield* readCsvEntries(run, fh, opened.entries, label, opened.dataLimits, opened.size, stravaIndexes, garminTexts);
    const infoOf = stravaInfoLookup(stravaIndexes);
    // Garmin: the summaries apply to every activity file of the archive, matched by start time
    const garmin = garminTexts.length > 0 ? parseGarminSummaries(garminTexts) : undefined;
    if (garmin === undefined || garmin.startMs.length === 0) yield* readEntries(run, opened, label, infoOf);
    else for await (const item of readEntries(run, opened, label, infoOf)) yield item.kind === 'file' ? { ...item, garmin } : item;
    if (opened.damage !== undefined) yield errorItem(label, 'ZIP_CORRUPT', opened.damage);
  } finally {
    await fh.close();
  }
}

async function* readEntries(
  run: ArchiveRun,
  archive: Extract<OpenedArchive, { kind: 'directory' }>,
  label: string,
  infoOf: (name: string) => StravaActivityInfo | undefined,
): AsyncGenerator<LoadItem> {
  const { ctx } = run;
  const { progress } = ctx;
  try {
    for (const e of archive.entries) {
      ctx.signal?.throwIfAborted();
      const path = `${label}!${e.name}`;
      const d = e.decision;
      const next = run.beforeEntry(d, path);
      if (next === 'pass') continue;
      if (next !== 'read') {
        yield next;
        continue;
      }
      let where: EntryData;
      try {
        where = await locateEntryData(archive.fh, e.record, archive.dataLimits.get(e.record.index) ?? Infinity, archive.size);
      } catch (error) {
        where = { kind: 'damaged', message: messageOf(error) };
      }
      if (where.kind !== 'data') {
        if (d.kind === 'zip') {
          progress.closeContainer();
          progress.expect(1);
        }
        yield errorItem(path, where.kind === 'overlap' ? 'ZIP_BOMB' : 'ZIP_CORRUPT', where.kind === 'overlap' ? where.message : `the entry cannot be read: ${where.message}`);
        continue;
      }
      const chunks = decodedChunks(archive.fh, where.start, where.end, e.record.method);
      if (d.kind === 'file') {
        yield* readFileEntry(run, chunks, e, path, infoOf(e.name));
      } else {
        yield* readZipEntry(run, chunks, e, path);
      }
    }
  } finally {
    run.closeAll();
  }
}

function damagedItem(path: string, error: unknown): LoadItem {
  return errorItem(path, 'ZIP_CORRUPT', `the entry is damaged: ${messageOf(error)}`);
}


async function* readFileEntry(
  run: ArchiveRun,
  stream: AsyncGenerator<Uint8Array>,
  e: OuterEntry,
  path: string,
  info: StravaActivityInfo | undefined,
): AsyncGenerator<LoadItem> {
  const r = e.record;
  const meter = new EntryMeter(run.ctx.limits, run.budget, true, r.compressedSize, r.uncompressedSize);
  const chunks: Uint8Array[] = [];
  let crc = 0;
  try {
    for await (const chunk of stream) {
      const over = meter.add(chunk.length, r.compressedSize);
      if (over !== undefined) {
        await stream.return(undefined);
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
    yield damagedItem(path, error);
    return;
  }
  if (meter.bytes !== r.uncompressedSize) {
    yield errorItem(path, 'ZIP_CORRUPT', `the entry declares ${r.uncompressedSize} bytes but holds ${meter.bytes}`);
    return;
  }
  if (crc !== r.crc32) {
    yield errorItem(path, 'ZIP_CORRUPT', 'the entry fails its CRC-32 check (damaged data)');
    return;
  }
  run.fileFromBytes(path, concatBytes(chunks, meter.bytes), 1, info, true, r.compressedSize);
  yield* drain(run);
}

async function* readZipEntry(run: ArchiveRun, stream: AsyncGenerator<Uint8Array>, e: OuterEntry, path: string): AsyncGenerator<LoadItem> {
  const r = e.record;
  const meter = new EntryMeter(run.ctx.limits, run.budget, false, r.compressedSize, r.uncompressedSize);
  // the plan counted this entry as an open container: the nested reader opens its own
  run.ctx.progress.closeContainer();
  const reader = run.nestedReader(path, 2);
  let crc = 0;
  try {
    for await (const chunk of stream) {
      const over = meter.add(chunk.length, r.compressedSize);
      if (over !== undefined) {
        await stream.return(undefined);
        reader.abort();
        if (over.archiveWide) run.stopAll(over.message);
        else run.push(errorItem(path, over.code, over.message));
        break;
      }
      crc = updateCrc32(crc, chunk);
      reader.push(chunk);
      yield* drain(run);
      if (reader.isDone || run.stopped) {
        await stream.return(undefined);
        break;
      }
    }
    if (!reader.isDone && meter.bytes === r.uncompressedSize && crc !== r.crc32) {
      reader.abort();
      run.push(errorItem(path, 'ZIP_CORRUPT', 'the entry fails its CRC-32 check (damaged data)'));
    }
    reader.finish();
  } catch (error) {
    reader.abort();
    run.push(damagedItem(path, error));
  }
  yield* drain(run);
}
