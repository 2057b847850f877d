/**
 * Decoding of one FIT part with fit-file-parser, after the structural scan
 * has decided which bytes are complete messages.
 */
import FitParser from 'fit-file-parser';
import { ParseError } from '../../errors.js';
import type { FitPartScan } from './scan.js';

/** A decoded FIT message as fit-file-parser returns it (field name → value). */
export type FitMessage = Readonly<Record<string, unknown>>;

/** What the normaliser needs from one decoded part. */
export interface DecodedFitPart {
  readonly fileIds: readonly FitMessage[];
  readonly records: readonly FitMessage[];
  readonly sessions: readonly FitMessage[];
  readonly laps: readonly FitMessage[];
  readonly events: readonly FitMessage[];
  readonly activity: FitMessage | undefined;
  readonly sports: readonly FitMessage[];
  readonly deviceInfos: readonly FitMessage[];
  readonly hr: readonly FitMessage[];
  readonly fieldDescriptions: readonly FitMessage[];
}

interface LooseParsedFit {
  file_ids?: FitMessage[];
  records?: FitMessage[];
  sessions?: FitMessage[];
  laps?: FitMessage[];
  events?: FitMessage[];
  activity?: FitMessage;
  sports?: FitMessage[];
  device_infos?: FitMessage[];
  field_descriptions?: FitMessage[];
  messages?: Record<string, FitMessage[] | undefined>;
}

const A_UPPER = 0x41;
const A_LOWER = 0x61;
const Z_LOWER = 0x7a;

/**
 * Returns the bytes fit-file-parser should read for `part`: the header (with
 * the data size set to the complete messages and the header CRC cleared when
 * they differ from what the header declares) followed by the complete messages.
 *
 * Developer field names that begin with a lower-case letter get an upper-case
 * first letter, so that no developer field (fit-file-parser merges them into
 * messages by name) can take the place of a native field (native names are all
 * lower-case snake_case). Damaged ranges the scan skipped are left out. The
 * input is never modified: a copy is made when anything changes.
 *
 * @example
 * const scan = scanFit(bytes);
 * const first = preparePartBytes(bytes, scan.parts[0]!); // what fit-file-parser will read
 */
export function preparePartBytes(bytes: Uint8Array, part: FitPartScan): Uint8Array {
  let skippedBytes = 0;
  for (const k of part.skipped) skippedBytes += k.to - k.from;
  const dataSize = part.messagesEnd - part.offset - part.headerSize - skippedBytes;
  const rename = part.developerNameOffsets.filter((o) => {
    const c = bytes[o]!;
    return c >= A_LOWER && c <= Z_LOWER;
  });
  const sizeChanged = dataSize !== part.declaredDataSize;
  if (!sizeChanged && rename.length === 0 && part.skipped.length === 0) {
    return bytes.subarray(part.offset, part.messagesEnd);
  }
  let out = bytes.slice(part.offset, part.messagesEnd);
  for (const o of rename) {
    const i = o - part.offset;
    out[i] = out[i]! - (A_LOWER - A_UPPER);
  }
  if (part.skipped.length > 0) {
    const joined = new Uint8Array(part.headerSize + dataSize);
    let w = 0;
    let r = 0;
    for (const k of [...part.skipped, { from: part.messagesEnd, to: part.messagesEnd }]) {
      const a = k.from - part.offset;
      joined.set(out.subarray(r, a), w);
      w += a - r;
      r = k.to - part.offset;
    }
    out = joined;
  }
  out[4] = dataSize & 0xff;
  out[5] = (dataSize >>> 8) & 0xff;
  out[6] = (dataSize >>> 16) & 0xff;
  out[7] = (dataSize >>> 24) & 0xff;
  if (part.headerSize === 14) {
    out[12] = 0;
    out[13] = 0;
  }
  return out;
}

function describe(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error instanceof Error) return error.message;
  return String(error);
}

/**
 * Decodes prepared part bytes with fit-file-parser (list mode, SI units,
 * CRCs not enforced: damaged files are read as far as they go). Its string
 * and `Error` failures become `ParseError('CORRUPT_FILE')`.
 *
 * @param where Text appended to error messages, e.g. ` (run.fit)`.
 * @throws {ParseError} `CORRUPT_FILE` when fit-file-parser rejects the bytes.
 * @example
 * const part = await decodeFitPart(preparePartBytes(bytes, scanFit(bytes).parts[0]!), '');
 * part.records.length;
 */
export async function decodeFitPart(partBytes: Uint8Array, where: string): Promise<DecodedFitPart> {
  const parser = new FitParser({ force: true, mode: 'list', speedUnit: 'm/s', lengthUnit: 'm', temperatureUnit: 'celsius' });
  let parsed: LooseParsedFit;
  try {
    // fit-file-parser reads any Uint8Array view (it uses buffer, byteOffset and byteLength).
    parsed = (await parser.parseAsync(partBytes as unknown as ArrayBuffer)) as unknown as LooseParsedFit;
  } catch (cause) {
    throw new ParseError('CORRUPT_FILE', `the FIT data cannot be decoded${where}: ${describe(cause)}`, { format: 'fit', cause });
  }
  const messages = parsed.messages ?? {};
  return {
    fileIds: parsed.file_ids ?? [],
    records: parsed.records ?? [],
    sessions: parsed.sessions ?? [],
    laps: parsed.laps ?? [],
    events: parsed.events ?? [],
    activity: parsed.activity,
    sports: parsed.sports ?? [],
    deviceInfos: parsed.device_infos ?? [],
    hr: messages['hr'] ?? [],
    fieldDescriptions: parsed.field_descriptions ?? [],
  };
}
