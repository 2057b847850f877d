/**
 * `parseActivities`: bytes or text of a FIT, GPX or TCX file (optionally
 * gzip-compressed) into normalised {@link Activity} objects.
 *
 * Each format's parser (with fit-file-parser, saxes or fflate behind it) is
 * loaded on first use by a dynamic import, so importing `stridewise` costs
 * only what a caller uses.
 */
import type { Activity } from '../activity.js';
import { isStridewiseError, ParseError, type SourceFormat } from '../errors.js';
import type { CadenceUnitOption } from './cadence.js';
import type { ParseContext } from './context.js';
import { concatBytes } from './bytes.js';
import { fnv1aHex } from './id.js';
import { resolveParseLimits } from './guard.js';
import type { ParseLimits } from './limits.js';
import { withPositionZones } from './zone.js';

/** Options of {@link parseActivities}. */
export interface ParseOptions {
  /** File name, recorded in `source.fileName` and used in messages. The format is never taken from it. */
  readonly fileName?: string;
  /** Skip detection and parse as this format. */
  readonly format?: SourceFormat;
  /** Cadence unit of the file; `auto` (default) detects it per activity (card C0). */
  readonly cadenceUnit?: CadenceUnitOption;
  /** Input limits; unspecified fields keep their defaults ({@link DEFAULT_PARSE_LIMITS}). */
  readonly limits?: Partial<ParseLimits>;
}

/** What the first bytes of an input say it is. */
export type DetectedKind = SourceFormat | 'gzip' | 'zip' | 'unknown';

const MAX_SNIFF = 4096;

/**
 * Text encoding of XML bytes: a UTF-16 byte-order mark, else the `encoding`
 * of the XML declaration when the platform's TextDecoder knows it, else UTF-8
 * (the XML default).
 */
export function xmlEncoding(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  // UTF-16 without a BOM: '<' followed or preceded by a zero byte.
  if (bytes[0] === 0x3c && bytes[1] === 0x00) return 'utf-16le';
  if (bytes[0] === 0x00 && bytes[1] === 0x3c) return 'utf-16be';
  let head = '';
  for (let i = 0; i < Math.min(bytes.length, 256); i++) head += String.fromCharCode(bytes[i]!);
  const m = /^\s*(?:\xEF\xBB\xBF)?\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  const declared = m?.[1]?.toLowerCase();
  if (declared === undefined || declared === 'utf-8' || declared === 'utf8') return 'utf-8';
  try {
    new TextDecoder(declared);
    return declared;
  } catch {
    return 'utf-8';
  }
}

function decodeText(bytes: Uint8Array, encoding = xmlEncoding(bytes)): string {
  return new TextDecoder(encoding, { fatal: false }).decode(bytes);
}

/** Longest XML prolog (declaration, comments, processing instructions, DOCTYPE) read while looking for the root element. */
const MAX_PROLOG_CHARS = 1 << 20;

/**
 * Local name of the root element of an XML text: the first element after the
 * prolog (BOM, whitespace, XML declaration, comments, processing instructions,
 * DOCTYPE with its internal subset). `undefined` when the text does not start
 * like XML; `null` when the prolog does not end within `text`.
 */
function rootElementName(text: string): string | null | undefined {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  for (;;) {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    if (i >= n) return null;
    if (text[i] !== '<') return undefined;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return null;
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return null;
      i = end + 3;
    } else if (text.startsWith('<!', i)) {
      // DOCTYPE: up to the '>' outside its [internal subset].
      let depth = 0;
      let j = i + 2;
      for (; j < n; j++) {
        const c = text[j];
        if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (c === '>' && depth <= 0) break;
      }
      if (j >= n) return null;
      i = j + 1;
    } else {
      const m = /^<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(text.slice(i, i + 256));
      return m ? m[1] : undefined;
    }
  }
}

/**
 * Recognises the content: FIT by its header signature `.FIT`, gzip and zip by
 * their magic numbers, GPX and TCX by the name of the root element, the first
 * element after the prolog (which may be up to 1 MiB of comments). A text that
 * merely mentions `<gpx` is not a GPX.
 *
 * @example detectFormat('<?xml version="1.0"?><gpx version="1.1"></gpx>') // 'gpx'
 * @example detectFormat('<notes>about <gpx files</notes>') // 'unknown'
 * @example detectFormat(Uint8Array.of(0x1f, 0x8b, 8, 0)) // 'gzip'
 */
export function detectFormat(input: Uint8Array | string): DetectedKind {
  if (typeof input !== 'string') {
    if (input.length >= 12 && input[8] === 0x2e && input[9] === 0x46 && input[10] === 0x49 && input[11] === 0x54) {
      return 'fit';
    }
    if (input.length >= 2 && input[0] === 0x1f && input[1] === 0x8b) return 'gzip';
    if (input.length >= 4 && input[0] === 0x50 && input[1] === 0x4b && (input[2] === 3 || input[2] === 5)) return 'zip';
  }
  const encoding = typeof input === 'string' ? '' : xmlEncoding(input);
  const head = (chars: number): string =>
    typeof input === 'string' ? input.slice(0, chars) : decodeText(input.subarray(0, chars * (encoding.startsWith('utf-16') ? 2 : 1)), encoding);
  let root = rootElementName(head(MAX_SNIFF));
  if (root === null && input.length > MAX_SNIFF) root = rootElementName(head(MAX_PROLOG_CHARS));
  if (root === 'gpx') return 'gpx';
  if (root === 'TrainingCenterDatabase') return 'tcx';
  return 'unknown';
}

function toBytes(input: Uint8Array | ArrayBuffer | string): Uint8Array | string {
  if (typeof input === 'string') return input;
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  throw new ParseError('INVALID_OPTION', 'parseActivities expects a Uint8Array, an ArrayBuffer or a string');
}

function isBlank(input: Uint8Array | string): boolean {
  if (typeof input === 'string') return input.trim().length === 0;
  for (let i = 0; i < input.length; i++) {
    const b = input[i]!;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  }
  return true;
}

/** fflate's error code for a gzip header that is not one (here: bytes after the last member). */
const FFLATE_INVALID_HEADER = 6;
/** Smallest complete gzip member: 10-byte header, 2-byte empty deflate block, 8-byte trailer. */
const MIN_GZIP_BYTES = 20;
/** Compressed bytes handed to the inflater at a time (at most ~16 MiB of output each). */
const GZIP_PUSH_BYTES = 16 * 1024;

/**
 * Decodes gzip as a stream, counting the bytes as they come out, so that a
 * bomb stops at `maxDecompressedBytes` whatever its trailer claims. The
 * trailer's ISIZE is not used: it is the size modulo 2^32 of the last member
 * only, so it under-reports (a lie, a 4 GiB + 100 B bomb, several members)
 * and in a cut file it is whatever bytes the cut left. Concatenated members
 * are all read; bytes after the last complete member (padding) are ignored.
 */
async function gunzip(bytes: Uint8Array, limits: ParseLimits): Promise<Uint8Array> {
  const n = bytes.length;
  if (n < MIN_GZIP_BYTES) {
    throw new ParseError('GZIP_CORRUPT', `the gzip data is ${n} bytes, too short to hold any content`);
  }
  const { Gunzip } = await import('fflate');
  const chunks: Uint8Array[] = [];
  let total = 0;
  const tooLarge = new ParseError(
    'DECOMPRESSED_TOO_LARGE',
    `gzip content expands to more than ${limits.maxDecompressedBytes} bytes, the limit; decoding stopped there`,
  );
  const stream = new Gunzip((chunk) => {
    total += chunk.length;
    if (total > limits.maxDecompressedBytes) throw tooLarge;
    chunks.push(chunk);
  });
  try {
    // Pushed in small pieces: fflate inflates each push whole before handing the output over,
    // so the piece size (× at most 1032, deflate's largest ratio) bounds the overshoot.
    for (let at = 0; at < n; at += GZIP_PUSH_BYTES) stream.push(bytes.subarray(at, at + GZIP_PUSH_BYTES), at + GZIP_PUSH_BYTES >= n);
  } catch (cause) {
    if (cause === tooLarge) throw tooLarge;
    const code = (cause as { code?: unknown } | null)?.code;
    // A header error after output means the members before it were complete: trailing bytes, ignored.
    if (!(code === FFLATE_INVALID_HEADER && total > 0)) {
      throw new ParseError('GZIP_CORRUPT', 'the gzip data is damaged or cut short and cannot be decompressed', { cause });
    }
  }
  return concatBytes(chunks, total);
}

/** Earliest start time taken as real: GPS watches and their file formats post-date it (FIT's epoch is 1989-12-31). */
const EARLIEST_PLAUSIBLE_START_MS = Date.UTC(1990, 0, 1);

/**
 * A start before 1990 comes from an unset clock or a placeholder (GPX files
 * dated 1901 exist): the activity keeps its relative times but is undated, so
 * it cannot put a run into a week of 1901.
 */
function dropImplausibleStart(activity: Activity): Activity {
  const t = activity.startTime?.getTime();
  if (t === undefined || !(t < EARLIEST_PLAUSIBLE_START_MS)) return activity;
  return {
    ...activity,
    startTime: undefined,
    warnings: [
      ...activity.warnings,
      {
        code: 'CLOCK_NOT_SET',
        message: `the file's times start on ${activity.startTime!.toISOString().slice(0, 10)}, before 1990: the start time is unknown`,
      },
    ],
  };
}

/**
 * Parses one file's content into activities: one per FIT session, TCX
 * `<Activity>` or GPX track. The format is found from the content; gzip is
 * decoded. Cadence comes back in steps per minute.
 *
 * @throws {ParseError} with a `code` (see `ErrorCode`) when the input is empty,
 * of an unknown format, not an activity, damaged beyond use, or over a limit;
 * `INVALID_OPTION` when a limit is not a number greater than 0.
 * @example
 * // bytes: a FIT, GPX or TCX file's content (Uint8Array, ArrayBuffer or string), e.g. from fetch or a file input
 * const [run] = await parseActivities(bytes, { fileName: 'run.fit' });
 * run.cadence.detected; // e.g. 'strides' (FIT stores strides/min; the samples are in steps/min)
 * run.samples.cadenceSpm[100]; // e.g. 172
 * @example
 * const gpx = '<gpx><trk><type>running</type><trkseg><trkpt lat="48" lon="11"><time>2024-05-01T06:00:00Z</time></trkpt></trkseg></trk></gpx>';
 * (await parseActivities(gpx))[0].sport; // 'running'
 * await parseActivities(''); // throws EMPTY_INPUT
 */
export async function parseActivities(
  input: Uint8Array | ArrayBuffer | string,
  options: ParseOptions = {},
): Promise<Activity[]> {
  const limits: ParseLimits = resolveParseLimits(options.limits);
  let content = toBytes(input);
  const where = options.fileName !== undefined ? ` (${options.fileName})` : '';
  if (content.length === 0 || isBlank(content)) {
    throw new ParseError('EMPTY_INPUT', `the input is empty${where}`);
  }
  if (content.length > limits.maxInputBytes) {
    throw new ParseError('FILE_TOO_LARGE', `the input is ${content.length} bytes, over the limit of ${limits.maxInputBytes} bytes${where}`);
  }
  let kind: DetectedKind = detectFormat(content);
  for (let layers = 0; kind === 'gzip' && typeof content !== 'string'; layers++) {
    if (layers >= 2) throw new ParseError('UNKNOWN_FORMAT', `gzip nested too deeply${where}`);
    content = await gunzip(content, limits);
    if (content.length === 0 || isBlank(content)) throw new ParseError('EMPTY_INPUT', `the gzip content is empty${where}`);
    kind = detectFormat(content);
  }
  const format: SourceFormat | undefined = options.format ?? (kind === 'fit' || kind === 'gpx' || kind === 'tcx' ? kind : undefined);
  if (format === undefined) {
    if (kind === 'zip') {
      throw new ParseError(
        'ARCHIVE_NOT_SUPPORTED_HERE',
        `this is a zip archive${where}; read archives with loadActivities from 'stridewise/node'`,
      );
    }
    throw new ParseError('UNKNOWN_FORMAT', `the content is not a FIT, GPX or TCX file${where}`);
  }
  const bytesOrText = content;
  let hash: string | undefined;
  const ctx: ParseContext = {
    ...(options.fileName !== undefined ? { fileName: options.fileName } : {}),
    cadenceUnit: options.cadenceUnit ?? 'auto',
    limits,
    samplesInFile: { count: 0 },
    contentHash: () => (hash ??= fnv1aHex(bytesOrText)),
  };
  try {
    let activities: Activity[];
    if (format === 'fit') {
      const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
      const { parseFit } = await import('./fit/index.js');
      activities = await parseFit(bytes, ctx);
    } else {
      const text = typeof content === 'string' ? content : decodeText(content);
      activities =
        format === 'gpx'
          ? (await import('./xml/gpx.js')).parseGpx(text, ctx)
          : (await import('./xml/tcx.js')).parseTcx(text, ctx);
    }
    if (activities.length > limits.maxActivitiesPerFile) {
      throw new ParseError(
        'TOO_MANY_ACTIVITIES',
        `the file holds ${activities.length} activities, over the limit of ${limits.maxActivitiesPerFile}${where}`,
        { format },
      );
    }
    return await withPositionZones(activities.map(dropImplausibleStart));
  } catch (error) {
    if (isStridewiseError(error)) throw error;
    throw new ParseError('INTERNAL', `unexpected failure while reading ${format.toUpperCase()}${where}: ${String(error)}`, {
      format,
      cause: error,
    });
  }
}
