/**
 * The shared state of reading one archive: the queue of finished items in
 * archive order, the inflated-bytes budget, and the streaming readers of
 * zips inside it (Garmin's UploadedFiles zips, and a whole archive cut short
 * read from its local headers). No Node built-ins: the page's loader uses it
 * too, so both apply the same limits with the same messages.
 */
import type { ErrorCode } from '../errors.js';
import { concatBytes } from '../parse/bytes.js';
import { decide, type Decision, EntryMeter, hasGzipMagic, meterGzip, mib } from './archive-limits.js';
import type { ArchiveLimits } from './limits.js';
import { hasZipMagic } from './names.js';
import type { ProgressCounter } from './progress.js';
import type { GarminTypeIndex } from './garmin.js';
import { lookupStrava, type StravaActivityInfo, type StravaIndex } from './strava.js';
import { type EntrySink, type StreamEntryHeader, ZipStreamReader } from './zip-stream.js';

/** One file found while loading: its bytes, or why they could not be had. */
export type LoadItem =
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly bytes: Uint8Array;
      readonly info?: StravaActivityInfo;
      /** The activity summaries of the Garmin export the file is in. */
      readonly garmin?: GarminTypeIndex;
    }
  | { readonly kind: 'error'; readonly path: string; readonly code: ErrorCode; readonly message: string };

/** What archive reading needs from the load call. */
export interface ArchiveContext {
  readonly limits: ArchiveLimits;
  readonly progress: ProgressCounter;
  readonly signal: AbortSignal | undefined;
}

/** An error item (no bytes). */
export function errorItem(path: string, code: ErrorCode, message: string): LoadItem {
  return { kind: 'error', path, code, message };
}

/**
 * The item for an archive refused whole because its entries declare more
 * than `limits.maxArchiveBytes` uncompressed in total (`declaredBytes`, bytes).
 *
 * @example declaredTooLargeItem('export.zip', 3 * 2 ** 30, limits).code; // 'ZIP_BOMB'
 */
export function declaredTooLargeItem(label: string, declaredBytes: number, limits: ArchiveLimits): LoadItem {
  return errorItem(
    label,
    'ZIP_BOMB',
    `the entries declare ${mib(declaredBytes)} uncompressed in total, over the limit of ${mib(limits.maxArchiveBytes)}; the archive was not read`,
  );
}

/** A Strava `activities.csv` of an archive and the folder (`prefix`, with its trailing `/`, or empty) whose entries it describes. */
export interface StravaFolderIndex {
  readonly prefix: string;
  readonly index: StravaIndex;
}

/**
 * The folder index of an `activities.csv` entry named `csvName`.
 *
 * @example stravaFolderIndex('export/activities.csv', index).prefix; // 'export/'
 */
export function stravaFolderIndex(csvName: string, index: StravaIndex): StravaFolderIndex {
  return { prefix: csvName.slice(0, csvName.length - 'activities.csv'.length), index };
}

/**
 * Looks up an archive entry's Strava details in the `activities.csv` of the
 * deepest folder above it (folder names compared without case).
 *
 * @example stravaInfoLookup([stravaFolderIndex('activities.csv', index)])('activities/123.fit.gz'); // { name: 'Morning Run', ... }
 */
export function stravaInfoLookup(indexes: readonly StravaFolderIndex[]): (entryName: string) => StravaActivityInfo | undefined {
  const deepestFirst = [...indexes].sort((a, b) => b.prefix.length - a.prefix.length);
  return (name) => {
    for (const s of deepestFirst) {
      if (name.toLowerCase().startsWith(s.prefix.toLowerCase())) return lookupStrava(s.index, name.slice(s.prefix.length));
    }
    return undefined;
  };
}

/** A zip read as a stream, with its end reported exactly once. */
export interface NestedZip {
  push(chunk: Uint8Array): void;
  /** End of its bytes: remaining entries are reported, then it is closed. */
  finish(): void;
  /** Stops reading it silently and closes it. */
  abort(): void;
  readonly isDone: boolean;
  /** Local entries seen so far. */
  readonly entriesSeen: number;
}



/**
 * State shared by the readers of one top-level archive: the queue of finished
 * items (in archive order), the inflated-bytes budget, and a stop flag set when
 * the archive-wide budget is exhausted.
 */
export class ArchiveRun {
  readonly queue: LoadItem[] = [];
  /** Zips inside the archive still being read; closed at the end whatever happened. */
  private readonly open = new Set<NestedZip>();
  readonly budget = { inflated: 0 };
  /** Labels of zips whose reader reported damage of the zip itself. */
  readonly failedContainers = new Set<string>();
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

  /**
   * What a walk over an archive's directory does with an entry decided `d`
   * (at `path`) before reading it: `'read'` a file or zip; `'pass'` one that is
   * skipped, a CSV read beforehand, or any entry once the run stopped (its
   * place in the progress total is withdrawn); or the error item of a refused entry.
   */
  beforeEntry(d: Decision, path: string): 'read' | 'pass' | LoadItem {
    if (this.stopped) {
      if (d.kind === 'file' || d.kind === 'refuse') this.ctx.progress.expect(-1);
      else if (d.kind === 'zip') this.ctx.progress.closeContainer();
      return 'pass';
    }
    if (d.kind === 'skip' || d.kind === 'csv') return 'pass';
    if (d.kind === 'refuse') return errorItem(path, d.code, d.message);
    return 'read';
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
                this.fileFromBytes(path, bytes, depth, undefined, false, h.compressedSize ?? reader.compressedBytesOfEntry);
              },
              fail: (code, message) => {
                chunks.length = 0;
                this.push(errorItem(path, code, message));
              },
            };
          }
        }
      },
      error: (code, message) => {
        this.failedContainers.add(label);
        this.push(errorItem(label, code, message));
      },
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
      get entriesSeen() {
        return reader.entryCount;
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
  fileFromBytes(
    path: string,
    bytes: Uint8Array,
    depth: number,
    info: StravaActivityInfo | undefined,
    planned: boolean,
    compressedBytes: number,
  ): void {
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
    const over = hasGzipMagic(bytes) ? meterGzip(bytes, this.ctx.limits, this.budget, compressedBytes) : undefined;
    if (over !== undefined) {
      if (over.archiveWide) {
        if (planned) this.ctx.progress.expect(-1);
        this.stopAll(over.message);
      } else if (planned) this.queue.push(errorItem(path, over.code, over.message));
      else this.push(errorItem(path, over.code, over.message));
      return;
    }
    const item: LoadItem = { kind: 'file', path, bytes, ...(info !== undefined ? { info } : {}) };
    if (planned) this.queue.push(item);
    else this.push(item);
  }
}

/**
 * Yields the items queued so far, in order.
 *
 * @example yield* drain(run);
 */
export async function* drain(run: ArchiveRun): AsyncGenerator<LoadItem> {
  while (run.queue.length > 0) {
    run.ctx.signal?.throwIfAborted();
    yield run.queue.shift()!;
  }
}

/** Why an archive is read from its local headers: it has no end record. */
export const NO_END_RECORD_MESSAGE = 'the archive has no end-of-directory record (cut short or not a zip)';

/**
 * An archive without its end record (a download cut short): its bytes
 * (`chunks`, from the first byte in order) are read as a stream of local
 * entries, so every entry before the cut is kept; one `ZIP_CORRUPT` for the
 * archive (`label`) says what happened (`why`, and how many entries were read).
 *
 * @example yield* scanLocalHeaders(run, chunksOf(file), 'cut.zip', NO_END_RECORD_MESSAGE);
 */
export async function* scanLocalHeaders(run: ArchiveRun, chunks: AsyncIterable<Uint8Array>, label: string, why: string): AsyncGenerator<LoadItem> {
  const { signal } = run.ctx;
  const reader = run.nestedReader(label, 1);
  try {
    for await (const chunk of chunks) {
      signal?.throwIfAborted();
      reader.push(chunk);
      yield* drain(run);
      if (reader.isDone || run.stopped) break;
    }
    reader.finish();
  } finally {
    run.closeAll();
  }
  // when the stream reader found damage itself, its message says how far it got
  if (!run.failedContainers.has(label)) {
    run.push(errorItem(label, 'ZIP_CORRUPT', `${why}; its ${reader.entriesSeen} entries were read from their local headers`));
  }
  yield* drain(run);
}
