/**
 * The limits stage of archive reading: what to do with an entry from its
 * name and declared sizes ({@link decide}), and the count of bytes actually
 * inflated against the limits ({@link EntryMeter}), also for gzip files
 * stored in an archive ({@link meterGzip}).
 */
import { Gunzip } from 'fflate';
import type { ErrorCode } from '../errors.js';
import type { ArchiveLimits } from './limits.js';
import { hasZipExtension, isHiddenPath, isSkippedName } from './names.js';

/**
 * What to do with an archive entry. `csv`: export metadata read before the
 * files, Strava's `activities.csv` or a Garmin `…summarizedActivities.json`.
 */
export type Decision =
  | { readonly kind: 'skip' }
  | { readonly kind: 'csv' }
  | { readonly kind: 'file' }
  | { readonly kind: 'zip' }
  | { readonly kind: 'refuse'; readonly code: ErrorCode; readonly message: string };

/** What an entry header says about an entry; sizes in bytes (`undefined` when not known before the data). */
export interface Sizes {
  readonly name: string;
  readonly encrypted: boolean;
  readonly method: number;
  readonly compressedSize: number | undefined;
  readonly uncompressedSize: number | undefined;
}

const MiB = 1024 * 1024;
/**
 * A byte count for messages.
 *
 * @example mib(3 * 1024 * 1024); // "3.0 MiB"
 */
export function mib(n: number): string {
  return n >= MiB ? `${(n / MiB).toFixed(1)} MiB` : `${n} bytes`;
}

/**
 * True for the activity summaries of a Garmin Connect export
 * (`DI_CONNECT/DI-Connect-Fitness/<user>_0_summarizedActivities.json`).
 *
 * @example isGarminSummaryName('DI_CONNECT/DI-Connect-Fitness/me_0_summarizedActivities.json') // true
 */
export function isGarminSummaryName(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1).toLowerCase();
  return base.endsWith('summarizedactivities.json');
}

/**
 * Decides what to do with an entry at nesting `depth` from its name and
 * declared sizes (the same decision when planning and reading).
 *
 * @example decide({ name: 'a.fit', encrypted: false, method: 8, compressedSize: 10, uncompressedSize: 20 }, 1, DEFAULT_ARCHIVE_LIMITS); // { kind: 'file' }
 */
export function decide(e: Sizes, depth: number, limits: ArchiveLimits): Decision {
  if (e.name.endsWith('/')) return { kind: 'skip' };
  const base = e.name.slice(e.name.lastIndexOf('/') + 1).toLowerCase();
  if ((base === 'activities.csv' || isGarminSummaryName(e.name)) && depth === 1 && !isHiddenPath(e.name)) return { kind: 'csv' };
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

/** A limit passed while inflating. */
export interface Overrun {
  readonly code: ErrorCode;
  readonly message: string;
  /** The archive-wide budget is exhausted: nothing more is read from this archive. */
  readonly archiveWide: boolean;
}

/**
 * Counts actual inflated bytes of one entry against the limits (entry size,
 * ratio, the archive budget, and the size its header declares); returns the
 * limit passed, if any. `budget` is shared by every entry of one archive.
 *
 * @example
 * const meter = new EntryMeter(limits, budget, true, compressedBytes, declaredBytes);
 * const over = meter.add(chunk.length, compressedBytes); // undefined while within the limits
 */
export class EntryMeter {
  bytes = 0;
  constructor(
    private readonly limits: ArchiveLimits,
    private readonly budget: { inflated: number },
    private readonly isFile: boolean,
    private readonly declaredCompressed: number | undefined,
    private readonly declaredUncompressed?: number,
  ) {}

  /** Adds `n` inflated bytes; `compressedSoFar` is used when the compressed size is not declared. */
  add(n: number, compressedSoFar: number): Overrun | undefined {
    this.bytes += n;
    this.budget.inflated += n;
    const l = this.limits;
    if (this.declaredUncompressed !== undefined && this.bytes > this.declaredUncompressed) {
      return {
        code: 'ZIP_BOMB',
        message: `the entry inflates past the ${this.declaredUncompressed} bytes its header declares; reading stopped`,
        archiveWide: false,
      };
    }
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
 * True when bytes start with the gzip magic (1f 8b).
 *
 * @example hasGzipMagic(gzipSync(data)); // true
 */
export function hasGzipMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * A gzip file inside an archive is decoded later by the parser; its content
 * is counted here first (decoded and dropped, in 16 KiB steps) against the
 * same limits as the entry: the size of one file, the ratio to the entry's
 * compressed bytes in the archive, and the archive budget. Damaged gzip is
 * left to the parser to report.
 *
 * @example meterGzip(gzipOf4MiBOfZeros, DEFAULT_ARCHIVE_LIMITS, { inflated: 0 }, 4200); // { code: 'ZIP_BOMB', message: 'gzip inside the archive: ... 200:1 ...', archiveWide: false }
 */
export function meterGzip(bytes: Uint8Array, limits: ArchiveLimits, budget: { inflated: number }, compressedBytes: number): Overrun | undefined {
  const meter = new EntryMeter(limits, budget, true, compressedBytes);
  let over: Overrun | undefined;
  const gunzip = new Gunzip((chunk) => {
    if (over === undefined) over = meter.add(chunk.length, compressedBytes);
  });
  try {
    for (let at = 0; at < bytes.length && over === undefined; at += 16 * 1024) {
      gunzip.push(bytes.subarray(at, at + 16 * 1024), at + 16 * 1024 >= bytes.length);
    }
  } catch {
    // damaged or trailing bytes: the parser reports them
  }
  return over === undefined ? undefined : { ...over, message: `gzip inside the archive: ${over.message}` };
}
