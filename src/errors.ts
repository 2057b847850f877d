/**
 * Error types thrown by stridewise. Every error carries a stable `code` so that
 * callers (and the CLI) can react without matching on message text.
 *
 * Errors are thrown only at boundaries (parsing input bytes, loading files,
 * validating configuration). Analysis and rules never throw on thin data:
 * they return empty results with a reason.
 */

/** Formats stridewise parses. */
export type SourceFormat = 'fit' | 'gpx' | 'tcx';

/** Where an activity's samples came from: a file format, or `streams` (built by `activityFromStreams` / `activityFromStravaStreams`). */
export type ActivityFormat = SourceFormat | 'streams';

/**
 * Stable error codes. New codes may be added in minor versions; existing codes
 * keep their meaning.
 *
 * - `EMPTY_INPUT`: zero bytes, or only whitespace.
 * - `UNKNOWN_FORMAT`: the content is not FIT, GPX, TCX or gzip of those.
 * - `NOT_AN_ACTIVITY`: a valid file of a known format that holds no activity
 *   (FIT monitoring/segment/settings/course files, TCX courses, GPX with routes only).
 * - `NO_DATA`: an activity file with no usable samples at all.
 * - `CORRUPT_FILE`: structural damage that leaves nothing usable (bad header, no definitions, ...).
 * - `INVALID_XML`: malformed XML before any usable point.
 * - `XML_ENTITY_REFUSED`: a DOCTYPE / entity declaration (entity expansion and external entities are refused).
 * - `XML_TOO_DEEP`, `XML_VALUE_TOO_LARGE`: structural limits of the XML reader.
 * - `FILE_TOO_LARGE`, `TOO_MANY_SAMPLES`, `TOO_MANY_ACTIVITIES`: input limits (see {@link ParseLimits}).
 * - `GZIP_CORRUPT`, `DECOMPRESSED_TOO_LARGE`: gzip layer.
 * - `ARCHIVE_NOT_SUPPORTED_HERE`: a zip given to the core parser (use `stridewise/node`).
 * - `ZIP_BOMB`, `ZIP_TOO_DEEP`, `ZIP_CORRUPT`, `ZIP_ENCRYPTED`: archive layer (`stridewise/node`).
 * - `FILE_NOT_FOUND`, `FILE_UNREADABLE`: file system layer (`stridewise/node`).
 * - `ZIP_UNSUPPORTED`: an archive entry compressed with a method other than stored or deflate (`stridewise/node`).
 * - `INVALID_INPUT`: sample streams given to `activityFromStreams` or `activityFromStravaStreams` that cannot
 *   be an activity: an unknown or non-numeric column, unequal lengths, time going back, a unit mistake
 *   (epoch or millisecond times, km for m, km/h for m/s), bad metadata; the message names the column and index.
 * - `INVALID_OPTION`, `INVALID_RULE`: configuration errors.
 * - `TIMEOUT`: a parse exceeded its time budget.
 * - `OUT_OF_MEMORY`: reading a file in a worker went over the worker's heap limit (`workerHeapMb`); the worker is replaced.
 * - `INTERNAL`: a bug in stridewise; please report it with the file.
 */
export type ErrorCode =
  | 'EMPTY_INPUT'
  | 'UNKNOWN_FORMAT'
  | 'NOT_AN_ACTIVITY'
  | 'NO_DATA'
  | 'CORRUPT_FILE'
  | 'INVALID_XML'
  | 'XML_ENTITY_REFUSED'
  | 'XML_TOO_DEEP'
  | 'XML_VALUE_TOO_LARGE'
  | 'FILE_TOO_LARGE'
  | 'TOO_MANY_SAMPLES'
  | 'TOO_MANY_ACTIVITIES'
  | 'GZIP_CORRUPT'
  | 'DECOMPRESSED_TOO_LARGE'
  | 'ARCHIVE_NOT_SUPPORTED_HERE'
  | 'ZIP_BOMB'
  | 'ZIP_TOO_DEEP'
  | 'ZIP_CORRUPT'
  | 'ZIP_ENCRYPTED'
  | 'FILE_NOT_FOUND'
  | 'FILE_UNREADABLE'
  | 'INVALID_INPUT'
  | 'INVALID_OPTION'
  | 'INVALID_RULE'
  | 'TIMEOUT'
  | 'OUT_OF_MEMORY'
  | 'INTERNAL'
  | 'ZIP_UNSUPPORTED';

/** Base class of every error stridewise throws. */
export class StridewiseError extends Error {
  override name = 'StridewiseError';
  /** Stable machine-readable code, see {@link ErrorCode}. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** Thrown when input bytes cannot be turned into activities. */
export class ParseError extends StridewiseError {
  override name = 'ParseError';
  /** The format the input was recognised as, when known. */
  readonly format?: SourceFormat;

  constructor(code: ErrorCode, message: string, options?: { format?: SourceFormat; cause?: unknown }) {
    super(code, message, options);
    if (options?.format !== undefined) this.format = options.format;
  }
}

/**
 * Type guard: any stridewise error (works across bundle copies by checking `name` and `code`).
 *
 * @example isStridewiseError(new ParseError('EMPTY_INPUT', 'the input is empty')) // true
 * @example isStridewiseError(new Error('other')) // false
 */
export function isStridewiseError(value: unknown): value is StridewiseError {
  return (
    value instanceof StridewiseError ||
    (value instanceof Error &&
      (value.name === 'StridewiseError' || value.name === 'ParseError') &&
      typeof (value as { code?: unknown }).code === 'string')
  );
}

/**
 * Type guard for {@link ParseError}.
 *
 * @example
 * try {
 *   await parseActivities('not a track');
 * } catch (error) {
 *   isParseError(error) && error.code; // 'UNKNOWN_FORMAT'
 * }
 */
export function isParseError(value: unknown): value is ParseError {
  return value instanceof ParseError || (isStridewiseError(value) && value.name === 'ParseError');
}
