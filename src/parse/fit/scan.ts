/**
 * Structural scan of FIT bytes: finds every FIT file in a chained file, where
 * each one's last complete message ends, and where developer field names sit.
 *
 * The scan reads only record headers and definitions (no field values), so it
 * costs a small fraction of a full decode. It lets the decoder hand
 * fit-file-parser exactly the complete messages of each part.
 */

/** Why a part's messages stop before its declared end. */
export type FitScanProblem =
  /** The file ends before the data size its header declares. */
  | 'truncated'
  /** A message runs past the declared data end. */
  | 'overrun'
  /** A data message refers to a local message type that was never defined. */
  | 'undefined-local-type'
  /** A definition message is malformed (reserved bits, architecture byte). */
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
  /** Absolute offsets of the first byte of every developer `field_description.field_name` string. */
  readonly developerNameOffsets: readonly number[];
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
}

const FIELD_DESCRIPTION = 206;
const RECORD = 20;

/** True when `bytes` at `offset` hold a plausible FIT header. */
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

function scanPart(bytes: Uint8Array, offset: number): FitPartScan {
  const headerSize = bytes[offset]!;
  const declaredDataSize = readU32LE(bytes, offset + 4);
  const declaredEnd = offset + headerSize + declaredDataSize;
  const end = Math.min(declaredEnd, bytes.length);
  const defs: (Definition | undefined)[] = new Array<Definition | undefined>(16);
  const names: number[] = [];
  let o = offset + headerSize;
  let dataMessages = 0;
  let recordMessages = 0;
  let problem: FitScanProblem | undefined;
  let problemAt = -1;
  while (o < end) {
    const h = bytes[o]!;
    if ((h & 0x80) === 0 && (h & 0x40) !== 0) {
      // definition message
      if (o + 6 > end) {
        problem = declaredEnd > bytes.length ? 'truncated' : 'overrun';
        problemAt = o;
        break;
      }
      if ((h & 0x10) !== 0 || bytes[o + 2]! > 1) {
        problem = 'bad-definition';
        problemAt = o;
        break;
      }
      const little = bytes[o + 2] === 0;
      const global = little ? bytes[o + 3]! | (bytes[o + 4]! << 8) : (bytes[o + 3]! << 8) | bytes[o + 4]!;
      const nFields = bytes[o + 5]!;
      let len = 6 + nFields * 3;
      if ((h & 0x20) !== 0) {
        if (o + len + 1 > end) {
          problem = declaredEnd > bytes.length ? 'truncated' : 'overrun';
          problemAt = o;
          break;
        }
        len += 1 + bytes[o + len]! * 3;
      }
      if (o + len > end) {
        problem = declaredEnd > bytes.length ? 'truncated' : 'overrun';
        problemAt = o;
        break;
      }
      let size = 0;
      let compressedSize = 0;
      let nameOffset = -1;
      for (let k = 0; k < nFields; k++) {
        const num = bytes[o + 6 + k * 3]!;
        const fsize = bytes[o + 7 + k * 3]!;
        if (global === FIELD_DESCRIPTION && num === 3 && (bytes[o + 8 + k * 3]! & 0x1f) === 7) nameOffset = size;
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
      defs[h & 0x0f] = { global, size, compressedSize, nameOffset };
      o += len;
      continue;
    }
    const compressed = (h & 0x80) !== 0;
    const local = compressed ? (h >> 5) & 0x03 : h & 0x0f;
    const def = defs[local];
    if (def === undefined || (!compressed && (h & 0x30) !== 0)) {
      problem = 'undefined-local-type';
      problemAt = o;
      break;
    }
    const len = 1 + (compressed ? def.compressedSize : def.size);
    if (o + len > end) {
      problem = declaredEnd > bytes.length ? 'truncated' : 'overrun';
      problemAt = o;
      break;
    }
    if (def.global === FIELD_DESCRIPTION && def.nameOffset >= 0 && !compressed) names.push(o + 1 + def.nameOffset);
    if (def.global === RECORD) recordMessages++;
    dataMessages++;
    o += len;
  }
  if (problem === undefined && declaredEnd > bytes.length) {
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
    dataMessages,
    recordMessages,
    developerNameOffsets: names,
  };
}

/**
 * Scans a (possibly chained, truncated or damaged) FIT input. The first part
 * must start at offset 0 with a valid header; later parts are read while a
 * valid header follows the previous part's CRC.
 *
 * @example
 * const scan = scanFit(bytes);
 * console.log(scan.parts.length, scan.parts[0]?.problem);
 */
export function scanFit(bytes: Uint8Array): FitScan {
  const parts: FitPartScan[] = [];
  let offset = 0;
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
    const part = scanPart(bytes, offset);
    parts.push(part);
    if (part.problem !== undefined) {
      // A damaged part: nothing after it can be located reliably, unless its declared end is intact.
      if (part.problem === 'truncated') break;
    }
    if (part.partEnd <= offset) break;
    offset = part.partEnd;
  }
  return { parts };
}
