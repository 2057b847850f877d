/**
 * Structural scan of FIT bytes: finds every FIT file in a chained file, where
 * each one's last complete message ends, where developer field names sit, and
 * which damaged byte ranges to leave out.
 *
 * The scan reads record headers, definitions and record timestamps only, so
 * it costs a small fraction of a full decode (about 1 ms per MB). It lets the
 * decoder hand fit-file-parser exactly the messages that can be trusted.
 *
 * Damage: a writer that stores a field in fewer (or more) bytes than its
 * definition says shifts every later message. This is noticed a message or
 * more later (a header naming no definition, or a record time far out of
 * line). The messages read since the last record with a time in line (at
 * most 8) are then dropped, and reading resumes at the first offset within
 * 64 bytes from which at least 8 messages read cleanly: strict definitions
 * (reserved byte 0, known base types), known local types, no compressed
 * headers unless the file already used them, and at least two record times
 * in line with the last trusted one. A record with an odd time that is
 * followed by a clean, in-line stream is not damage and is kept.
 */

/** Why a part's messages stop before its declared end. */
export type FitScanProblem =
  /** The file ends before the data size its header declares. */
  | 'truncated'
  /** A message runs past the declared data end. */
  | 'overrun'
  /** A data message refers to a local message type that was never defined, and reading could not resume. */
  | 'undefined-local-type'
  /** A definition message is malformed (reserved bits, architecture byte), and reading could not resume. */
  | 'bad-definition';

/** One FIT file inside the input (a chained input holds several). */
export interface FitPartScan {
  /** Offset of the part's header in the input. */
  readonly offset: number;
  /** 12 or 14. */
  readonly headerSize: number;
  /** Data size the header declares, in bytes. */
  readonly declaredDataSize: number;
  /** Absolute offset just after the last complete message. */
  readonly messagesEnd: number;
  /** Absolute offset where the next part may begin (declared end plus CRC, clipped to the input). */
  readonly partEnd: number;
  readonly problem?: FitScanProblem;
  /** Absolute offset of the problem. */
  readonly problemAt?: number;
  /** Complete data messages in the part. */
  readonly dataMessages: number;
  /** Complete `record` (20) messages in the part. */
  readonly recordMessages: number;
  /** The scan stopped here because the counts passed {@link FitScanStop}: the part (and file) holds more. */
  readonly stopped?: true;
  /** Absolute offsets of the first byte of every developer `field_description.field_name` string. */
  readonly developerNameOffsets: readonly number[];
  /**
   * Damaged byte ranges `[from, to)` left out: a message that did not fit its
   * definition, up to the point where messages read cleanly again.
   */
  readonly skipped: readonly { readonly from: number; readonly to: number }[];
}

/**
 * Counts at which {@link scanFit} stops (all parts together): a file that
 * is refused for its size is then refused in time bounded by the limit,
 * not by the file.
 */
export interface FitScanStop {
  /** Stop once more than this many `record` messages were read. */
  readonly records: number;
  /** Stop once more than this many data messages were read. */
  readonly messages: number;
}

/** Result of {@link scanFit}. */
export interface FitScan {
  readonly parts: readonly FitPartScan[];
  /** Offset of bytes after the last part that are not a FIT file (ignored), if any. */
  readonly trailingAt?: number;
  /** Why the trailing bytes were not read. */
  readonly trailingReason?: string;
}

interface Definition {
  readonly global: number;
  /** Data size of a message with a normal header. */
  readonly size: number;
  /** Data size when sent with a compressed-timestamp header (first timestamp field skipped, as fit-file-parser does). */
  readonly compressedSize: number;
  /** Offset of field_description.field_name within the message data (after the header byte), or -1. */
  readonly nameOffset: number;
  /** Offset of a 4-byte timestamp (field 253) within the message data, or -1. */
  readonly timestampOffset: number;
  readonly littleEndian: boolean;
}

const FIELD_DESCRIPTION = 206;
const RECORD = 20;
/** Messages that must read cleanly after a resynchronisation point. */
const RESYNC_RUN = 8;
/** How far past the failure point a resynchronisation point is looked for, in bytes. */
const RESYNC_WINDOW = 64;
/** Most resynchronisations per part (each skips one damaged spot). */
const MAX_RESYNCS = 10_000;
/** A record time counts as in line when it is at most this much (s) before the previous one… */
const RESYNC_BACK_S = 2;
/** …and at most this much (s) after it. */
const RESYNC_FORWARD_S = 3600;
/** Most out-of-line record times examined as possible damage per part (bounds the work on odd files). */
const MAX_TIME_CHECKS = 1000;
/** Most messages held as suspect (read since the last record with a time in line). */
const SUSPECT_MAX = 8;
const FLAG_RECORD = 1;
const FLAG_NAME = 2;
const FLAG_COMPRESSED = 4;

/**
 * True when `bytes` at `offset` hold a plausible FIT header (size 12 or 14, `.FIT` signature).
 *
 * @example isFitHeaderAt(bytes, 0) // true for any FIT file
 */
export function isFitHeaderAt(bytes: Uint8Array, offset: number): boolean {
  if (offset + 12 > bytes.length) return false;
  const hs = bytes[offset]!;
  return (
    (hs === 12 || hs === 14) &&
    bytes[offset + 8] === 0x2e &&
    bytes[offset + 9] === 0x46 &&
    bytes[offset + 10] === 0x49 &&
    bytes[offset + 11] === 0x54
  );
}

function readU32LE(bytes: Uint8Array, o: number): number {
  return (bytes[o]! | (bytes[o + 1]! << 8) | (bytes[o + 2]! << 16)) + bytes[o + 3]! * 0x1000000;
}

function readU32(bytes: Uint8Array, o: number, little: boolean): number {
  return little
    ? readU32LE(bytes, o)
    : bytes[o]! * 0x1000000 + ((bytes[o + 1]! << 16) | (bytes[o + 2]! << 8) | bytes[o + 3]!);
}

type Step =
  | { readonly kind: 'definition'; readonly local: number; readonly def: Definition; readonly len: number }
  | { readonly kind: 'data'; readonly def: Definition; readonly len: number; readonly compressed: boolean }
  | { readonly kind: 'short' }
  | { readonly kind: 'bad-definition' }
  | { readonly kind: 'undefined-local-type' };

/** FIT base types (definition byte, endian flag included) and their sizes in bytes. */
const BASE_TYPE_SIZE = new Map<number, number>([
  [0x00, 1], [0x01, 1], [0x02, 1], [0x83, 2], [0x84, 2], [0x85, 4], [0x86, 4], [0x07, 1], [0x88, 4],
  [0x89, 8], [0x0a, 1], [0x8b, 2], [0x8c, 4], [0x0d, 1], [0x8e, 8], [0x8f, 8], [0x90, 8],
]);

/**
 * Strict check of a definition met while looking for a resynchronisation
 * point: reserved byte 0, known base types, sizes that are multiples of them.
 * (The main scan is lenient: real writers get these wrong and still decode.)
 */
function isStrictDefinition(bytes: Uint8Array, o: number, nFields: number): boolean {
  if (bytes[o + 1] !== 0) return false;
  for (let k = 0; k < nFields; k++) {
    const size = bytes[o + 7 + k * 3]!;
    const width = BASE_TYPE_SIZE.get(bytes[o + 8 + k * 3]!);
    if (width === undefined || size === 0 || size % width !== 0) return false;
  }
  return true;
}

/** Reads the message at `o` (not beyond `end`) against the local definitions `defs`. */
function step(bytes: Uint8Array, o: number, end: number, defs: readonly (Definition | undefined)[], strict = false): Step {
  const h = bytes[o]!;
  if ((h & 0x80) === 0 && (h & 0x40) !== 0) {
    if (o + 6 > end) return { kind: 'short' };
    if ((h & 0x10) !== 0 || bytes[o + 2]! > 1) return { kind: 'bad-definition' };
    const little = bytes[o + 2] === 0;
    const global = little ? bytes[o + 3]! | (bytes[o + 4]! << 8) : (bytes[o + 3]! << 8) | bytes[o + 4]!;
    const nFields = bytes[o + 5]!;
    let len = 6 + nFields * 3;
    if ((h & 0x20) !== 0) {
      if (o + len + 1 > end) return { kind: 'short' };
      len += 1 + bytes[o + len]! * 3;
    }
    if (o + len > end) return { kind: 'short' };
    if (strict && !isStrictDefinition(bytes, o, nFields)) return { kind: 'bad-definition' };
    let size = 0;
    let compressedSize = 0;
    let nameOffset = -1;
    let timestampOffset = -1;
    for (let k = 0; k < nFields; k++) {
      const num = bytes[o + 6 + k * 3]!;
      const fsize = bytes[o + 7 + k * 3]!;
      const base = bytes[o + 8 + k * 3]! & 0x1f;
      if (global === FIELD_DESCRIPTION && num === 3 && base === 7) nameOffset = size;
      if (num === 253 && fsize === 4 && timestampOffset < 0) timestampOffset = size;
      if (!(k === 0 && num === 253)) compressedSize += fsize;
      size += fsize;
    }
    if ((h & 0x20) !== 0) {
      const base = o + 6 + nFields * 3;
      const nDev = bytes[base]!;
      for (let k = 0; k < nDev; k++) {
        const fsize = bytes[base + 2 + k * 3]!;
        size += fsize;
        compressedSize += fsize;
      }
    }
    return { kind: 'definition', local: h & 0x0f, def: { global, size, compressedSize, nameOffset, timestampOffset, littleEndian: little }, len };
  }
  const compressed = (h & 0x80) !== 0;
  const def = defs[compressed ? (h >> 5) & 0x03 : h & 0x0f];
  if (def === undefined || (!compressed && (h & 0x30) !== 0)) return { kind: 'undefined-local-type' };
  const len = 1 + (compressed ? def.compressedSize : def.size);
  if (o + len > end) return { kind: 'short' };
  return { kind: 'data', def, len, compressed };
}

/**
 * Timestamp of a normal-header `record` message, or NaN. Only records are
 * used to judge times: other messages (device_info, file_creator) may carry
 * stale or unrelated times.
 */
function timestampAt(bytes: Uint8Array, o: number, def: Definition, compressed: boolean): number {
  if (compressed || def.timestampOffset < 0 || def.global !== RECORD) return Number.NaN;
  const v = readU32(bytes, o + 1 + def.timestampOffset, def.littleEndian);
  return v === 0xffffffff ? Number.NaN : v;
}

/**
 * True when RESYNC_RUN messages (or all up to `end`) read cleanly from `o`
 * with plausible timestamps: the place where the damaged stream continues.
 */
function readsCleanlyFrom(
  bytes: Uint8Array,
  o: number,
  end: number,
  defs: readonly (Definition | undefined)[],
  lastTs: number,
  allowCompressed: boolean,
): boolean {
  const local = defs.slice();
  let ts = lastTs;
  let checked = 0;
  // At least RESYNC_RUN messages, and on until two record times were checked (at most 8 × RESYNC_RUN).
  for (let k = 0; k < RESYNC_RUN * 8 && (k < RESYNC_RUN || checked < 2); k++) {
    if (o === end) return checked >= 1 && k >= 2;
    const st = step(bytes, o, end, local, true);
    if (st.kind === 'definition') {
      local[st.local] = st.def;
      o += st.len;
      continue;
    }
    if (st.kind !== 'data' || (st.compressed && !allowCompressed)) return false;
    const t = timestampAt(bytes, o, st.def, st.compressed);
    if (!Number.isNaN(t)) {
      if (!Number.isNaN(ts) && (t < ts - RESYNC_BACK_S || t > ts + RESYNC_FORWARD_S)) return false;
      ts = t;
      checked++;
    }
    o += st.len;
  }
  return checked >= 2;
}

function scanPart(bytes: Uint8Array, offset: number, stop: FitScanStop): FitPartScan {
  const headerSize = bytes[offset]!;
  const declaredDataSize = readU32LE(bytes, offset + 4);
  const declaredEnd = offset + headerSize + declaredDataSize;
  const end = Math.min(declaredEnd, bytes.length);
  const defs: (Definition | undefined)[] = new Array<Definition | undefined>(16);
  const names: number[] = [];
  const skipped: { from: number; to: number }[] = [];
  let o = offset + headerSize;
  let dataMessages = 0;
  let recordMessages = 0;
  let problem: FitScanProblem | undefined;
  let problemAt = -1;
  let lastTs = Number.NaN;
  let usesCompressed = false;
  let timeChecks = 0;
  let stopped = false;
  // The messages read since the last record whose time was in line (at most SUSPECT_MAX):
  // a message of the wrong size is only noticed one or more messages later, so on damage
  // they are all suspect. A ring of their starts and kinds.
  const ringStart = new Float64Array(SUSPECT_MAX);
  const ringFlags = new Uint8Array(SUSPECT_MAX);
  const ringTsBefore = new Float64Array(SUSPECT_MAX);
  let ringFirst = 0;
  let ringSize = 0;
  const confirm = (flags: number): void => {
    if ((flags & FLAG_COMPRESSED) !== 0) usesCompressed = true;
  };
  const undo: { local: number; def: Definition | undefined }[] = [];
  const confirmAll = (): void => {
    for (let k = 0; k < ringSize; k++) confirm(ringFlags[(ringFirst + k) % SUSPECT_MAX]!);
    ringSize = 0;
    undo.length = 0;
  };
  const pushSuspect = (start: number, flags: number, tsBefore: number): void => {
    if (ringSize === SUSPECT_MAX) {
      undo.length = 0; // definitions older than the window are trusted
      confirm(ringFlags[ringFirst]!);
      ringFirst = (ringFirst + 1) % SUSPECT_MAX;
      ringSize--;
    }
    const k = (ringFirst + ringSize) % SUSPECT_MAX;
    ringStart[k] = start;
    ringFlags[k] = flags;
    ringTsBefore[k] = tsBefore;
    ringSize++;
  };
  /** Forgets the suspect messages (as if never read); returns where the first of them began. */
  const dropSuspects = (): number => {
    const from = ringStart[ringFirst]!;
    lastTs = ringTsBefore[ringFirst]!;
    for (let k = 0; k < ringSize; k++) {
      const f = ringFlags[(ringFirst + k) % SUSPECT_MAX]!;
      dataMessages--;
      if ((f & FLAG_RECORD) !== 0) recordMessages--;
      if ((f & FLAG_NAME) !== 0) names.pop();
    }
    ringSize = 0;
    for (let k = undo.length - 1; k >= 0; k--) defs[undo[k]!.local] = undo[k]!.def;
    undo.length = 0;
    return from;
  };
  /** The first offset after `from` (within the window after `failAt`) where messages read cleanly again, or -1. */
  const findResume = (from: number, failAt: number, ts: number): number => {
    if (skipped.length >= MAX_RESYNCS) return -1;
    const limit = Math.min(end, failAt + RESYNC_WINDOW);
    for (let c = from + 1; c <= limit; c++) {
      if (c !== failAt && readsCleanlyFrom(bytes, c, end, defs, ts, usesCompressed)) return c;
    }
    return -1;
  };
  while (o < end) {
    const st = step(bytes, o, end, defs);
    if (st.kind === 'definition') {
      // Definitions read among suspect messages may be misreads too: keep what they replaced.
      if (ringSize > 0) undo.push({ local: st.local, def: defs[st.local] });
      defs[st.local] = st.def;
      o += st.len;
      continue;
    }
    if (st.kind === 'data') {
      const t = timestampAt(bytes, o, st.def, st.compressed);
      if (
        !Number.isNaN(t) &&
        !Number.isNaN(lastTs) &&
        ringSize > 0 &&
        (t < lastTs - RESYNC_BACK_S || t > lastTs + RESYNC_FORWARD_S) &&
        timeChecks++ < MAX_TIME_CHECKS &&
        // The stream reads on cleanly, in line with the earlier times, right after this record:
        // a lone odd timestamp, not damage (the normaliser drops or reports it).
        !readsCleanlyFrom(bytes, o + st.len, end, defs, lastTs, usesCompressed)
      ) {
        // A record time out of line: a real clock jump, or a misread after a message written
        // with a wrong size. Only when dropping the suspect messages lets the stream read
        // cleanly nearby (with times in line) is it treated as damage; otherwise the jump is real.
        const saved = { defs: defs.slice(), lastTs, names: names.slice(), dataMessages, recordMessages, ringFirst, ringSize, undo: undo.slice() };
        const from = dropSuspects();
        const resume = findResume(from, o, lastTs);
        if (resume >= 0) {
          skipped.push({ from, to: resume });
          o = resume;
          continue;
        }
        // Not damage: put the suspects back and take the jump as real.
        for (let k = 0; k < 16; k++) defs[k] = saved.defs[k];
        lastTs = saved.lastTs;
        dataMessages = saved.dataMessages;
        recordMessages = saved.recordMessages;
        ringFirst = saved.ringFirst;
        ringSize = saved.ringSize;
        undo.push(...saved.undo);
        names.length = 0;
        names.push(...saved.names);
      }
      // A record with a time (in line, or an accepted jump) confirms everything read before it.
      if (!Number.isNaN(t)) confirmAll();
      const isName = st.def.global === FIELD_DESCRIPTION && st.def.nameOffset >= 0 && !st.compressed;
      if (isName) names.push(o + 1 + st.def.nameOffset);
      if (st.def.global === RECORD) recordMessages++;
      dataMessages++;
      pushSuspect(
        o,
        (isName ? FLAG_NAME : 0) | (st.def.global === RECORD ? FLAG_RECORD : 0) | (st.compressed ? FLAG_COMPRESSED : 0),
        lastTs,
      );
      if (!Number.isNaN(t)) lastTs = t;
      o += st.len;
      if (recordMessages > stop.records || dataMessages > stop.messages) {
        stopped = true;
        break;
      }
      continue;
    }
    if (st.kind === 'short') {
      problem = declaredEnd > bytes.length ? 'truncated' : 'overrun';
      problemAt = o;
      break;
    }
    // A message that cannot be read where the previous one ended: one of the suspect messages
    // had a wrong size. Drop them and look for the place where messages read cleanly again.
    const hadSuspects = ringSize > 0;
    const from = hadSuspects ? dropSuspects() : o;
    const resume = findResume(from, o, lastTs);
    if (resume < 0) {
      problem = st.kind;
      problemAt = o;
      o = from;
      break;
    }
    skipped.push({ from, to: resume });
    o = resume;
  }
  if (problem === undefined && !stopped && declaredEnd > bytes.length) {
    problem = 'truncated';
    problemAt = bytes.length;
  }
  return {
    offset,
    headerSize,
    declaredDataSize,
    messagesEnd: o,
    partEnd: Math.min(bytes.length, declaredEnd + 2),
    ...(problem !== undefined ? { problem, problemAt } : {}),
    ...(stopped ? { stopped: true as const } : {}),
    dataMessages,
    recordMessages,
    developerNameOffsets: names,
    skipped,
  };
}

/**
 * Scans a (possibly chained, truncated or damaged) FIT input. The first part
 * must start at offset 0 with a valid header; later parts are read while a
 * valid header follows the previous part's CRC. With `stop`, scanning ends
 * as soon as the counts pass it (the last part then has `stopped`).
 *
 * @example
 * const scan = scanFit(bytes);
 * console.log(scan.parts.length, scan.parts[0]?.problem);
 */
export function scanFit(bytes: Uint8Array, stop?: FitScanStop): FitScan {
  const parts: FitPartScan[] = [];
  let offset = 0;
  let records = 0;
  let messages = 0;
  while (offset < bytes.length) {
    if (!isFitHeaderAt(bytes, offset)) {
      // Zero padding after the last file is harmless; anything else is reported.
      let zeros = true;
      for (let i = offset; i < bytes.length && zeros; i++) zeros = bytes[i] === 0;
      if (zeros) break;
      return {
        parts,
        trailingAt: offset,
        trailingReason:
          bytes.length - offset < 12 ? `${bytes.length - offset} stray bytes` : 'bytes that do not start with a FIT header',
      };
    }
    const part = scanPart(bytes, offset, {
      records: (stop?.records ?? Number.POSITIVE_INFINITY) - records,
      messages: (stop?.messages ?? Number.POSITIVE_INFINITY) - messages,
    });
    parts.push(part);
    if (part.stopped === true) break;
    records += part.recordMessages;
    messages += part.dataMessages;
    if (part.problem !== undefined) {
      // A damaged part: nothing after it can be located reliably, unless its declared end is intact.
      if (part.problem === 'truncated') break;
    }
    if (part.partEnd <= offset) break;
    offset = part.partEnd;
  }
  return { parts };
}
