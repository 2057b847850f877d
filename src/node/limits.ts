/**
 * Archive safety limits of `loadActivities`. Zip bombs (one small entry that
 * inflates to gigabytes, entries that overlap, zips nested in zips) are refused
 * with code `ZIP_BOMB` or `ZIP_TOO_DEEP` before they exhaust memory or time.
 * Declared sizes are checked first and the bytes actually inflated are counted
 * as they arrive, because declared sizes can lie; overlapping entries are
 * found from their offsets; `activities.csv`, Garmin activity summaries and
 * gzip files inside an archive are counted like any entry.
 */

/**
 * Limits on what may be read out of a zip archive. Sizes are in bytes.
 *
 * @example
 * loadActivities('export.zip', { archiveLimits: { maxEntryBytes: 64 * 1024 * 1024, maxZipDepth: 2 } });
 */
export interface ArchiveLimits {
  /**
   * Largest uncompressed size of one archive entry that is read as a file, in bytes.
   * Code `ZIP_BOMB`. Default 256 MiB (the parser's own input limit).
   */
  readonly maxEntryBytes: number;
  /**
   * Largest ratio of uncompressed to compressed bytes of one entry, checked once
   * the entry has inflated past {@link ArchiveLimits.ratioCheckMinBytes}. Code `ZIP_BOMB`.
   * Default 200 (real FIT files compress 2–5×, GPX/TCX 5–30×).
   */
  readonly maxCompressionRatio: number;
  /** Entries smaller than this many uncompressed bytes are not judged by their ratio. Default 1 MiB. */
  readonly ratioCheckMinBytes: number;
  /**
   * Most uncompressed bytes inflated from one top-level archive, all nesting
   * levels counted. Code `ZIP_BOMB`. Default 64 GiB (a large Garmin export inflates to a few GiB).
   */
  readonly maxArchiveBytes: number;
  /**
   * Most entries in one archive (central directory or stream), counted from the
   * records themselves (the end record's 16-bit count wraps past 65,535). Code `ZIP_BOMB`. Default 1,000,000.
   */
  readonly maxEntriesPerArchive: number;
  /**
   * Most zip archives that may enclose a file: 1 for a plain zip, 2 for the
   * zips inside a Garmin export. Code `ZIP_TOO_DEEP`. Default 3.
   */
  readonly maxZipDepth: number;
  /**
   * Most bytes of export metadata read from one archive, Strava
   * `activities.csv` and Garmin `*_summarizedActivities.json` all together
   * (each is also metered by ratio and the archive budget), or from one CSV
   * file on disk. Code `FILE_TOO_LARGE`. Default 64 MiB.
   */
  readonly maxCsvBytes: number;
}

/**
 * The default {@link ArchiveLimits}.
 *
 * @example DEFAULT_ARCHIVE_LIMITS.maxZipDepth // 3
 */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = Object.freeze({
  maxEntryBytes: 256 * 1024 * 1024,
  maxCompressionRatio: 200,
  ratioCheckMinBytes: 1024 * 1024,
  maxArchiveBytes: 64 * 1024 * 1024 * 1024,
  maxEntriesPerArchive: 1_000_000,
  maxZipDepth: 3,
  maxCsvBytes: 64 * 1024 * 1024,
});
