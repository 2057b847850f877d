/**
 * Small generated inputs for the loader tests: activity files from the
 * fixture writers, zips built with fflate (with or without data descriptors),
 * and byte-level edits that make encrypted or damaged entries.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Zip, ZipDeflate, ZipPassThrough, zipSync, type Zippable } from 'fflate';
import { encodeFitActivity, FIT_FILE_TYPE, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { encodeTcx } from '../../fixtures/lib/tcx-writer.js';
import type { Activity } from '../../src/activity.js';
import { ParseError } from '../../src/errors.js';
import { detectFormat, type ParseOptions } from '../../src/parse/index.js';

const enc = new TextEncoder();

/** A 60 s steady run starting at `startIso`, as GPX text (one track named `name`). */
export function gpxRun(startIso: string, name = 'Test run'): string {
  const s = steadyRunSamples({ seconds: 60, speedMps: 3, cadenceSpm: 170 });
  return encodeGpx({ startTime: new Date(startIso), sport: 'running', name, ...s });
}

/** A 60 s steady run as TCX text. */
export function tcxRun(startIso: string): string {
  const s = steadyRunSamples({ seconds: 60, speedMps: 3, cadenceSpm: 170 });
  return encodeTcx({ startTime: new Date(startIso), sport: 'running', ...s });
}

/** A 60 s steady run as FIT bytes. */
export function fitRun(startIso: string): Uint8Array {
  return encodeFitActivity({ startTime: new Date(startIso), samples: steadyRunSamples({ seconds: 60, speedMps: 3, cadenceSpm: 170 }) });
}

/** A FIT file that is not an activity (file type monitoring_b, no sessions, no records): what a Garmin export holds by the thousand. */
export function fitMonitoring(startIso: string): Uint8Array {
  return encodeFitActivity({
    startTime: new Date(startIso),
    samples: { timeS: [] },
    sessions: [],
    writeActivity: false,
    fileType: FIT_FILE_TYPE.monitoringB,
  });
}

/** UTF-8 bytes of a string. */
export function bytes(text: string): Uint8Array {
  return enc.encode(text);
}

/** A temporary folder removed by the returned `cleanup`. */
export function tempDir(): { dir: string; write: (rel: string, data: Uint8Array | string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'stridewise-load-'));
  return {
    dir,
    write: (rel, data) => {
      const p = join(dir, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, data);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A zip with sizes in the local headers (fflate `zipSync`); entries in the given order. */
export function zipOf(files: Record<string, Uint8Array | string>, level: 0 | 6 = 6): Uint8Array {
  const z: Zippable = {};
  for (const [name, data] of Object.entries(files)) z[name] = [typeof data === 'string' ? enc.encode(data) : data, { level }];
  return zipSync(z);
}

/**
 * A zip written as a stream (fflate `Zip`): every entry has general purpose
 * bit 3 and a data descriptor after its data, as Java's `ZipOutputStream` writes.
 */
export function streamedZipOf(files: Record<string, Uint8Array | string>, stored = false): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, data) => {
    if (err) throw err;
    parts.push(data);
  });
  for (const [name, data] of Object.entries(files)) {
    const entry = stored ? new ZipPassThrough(name) : new ZipDeflate(name, { level: 6 });
    zip.add(entry);
    entry.push(typeof data === 'string' ? enc.encode(data) : data, true);
  }
  zip.end();
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function u32(b: Uint8Array, i: number): number {
  return (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;
}

/** Offsets of the local header and central directory header of the entry named `name`. */
function headersOf(zip: Uint8Array, name: string): { local: number; central: number } {
  const nameBytes = enc.encode(name);
  let local = -1;
  let central = -1;
  for (let i = 0; i + 4 <= zip.length; i++) {
    const sig = u32(zip, i);
    if (sig === 0x04034b50 || sig === 0x02014b50) {
      const nameLen = zip[i + (sig === 0x04034b50 ? 26 : 28)]! | (zip[i + (sig === 0x04034b50 ? 27 : 29)]! << 8);
      const start = i + (sig === 0x04034b50 ? 30 : 46);
      const n = zip.subarray(start, start + nameLen);
      if (n.length === nameBytes.length && n.every((b, k) => b === nameBytes[k])) {
        if (sig === 0x04034b50 && local < 0) local = i;
        if (sig === 0x02014b50) central = i;
      }
    }
  }
  if (local < 0 || central < 0) throw new Error(`entry ${name} not found`);
  return { local, central };
}

/** Sets the "encrypted" flag (general purpose bit 0) of one entry in both of its headers. */
export function markEncrypted(zip: Uint8Array, name: string): Uint8Array {
  const out = zip.slice();
  const { local, central } = headersOf(out, name);
  out[local + 6]! |= 1;
  out[central + 8]! |= 1;
  return out;
}

/** Overwrites the declared uncompressed size of one entry in both headers (a lying header). */
export function declareSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const { local, central } = headersOf(out, name);
  new DataView(out.buffer).setUint32(local + 22, size, true);
  new DataView(out.buffer).setUint32(central + 24, size, true);
  return out;
}

/** Flips bytes in the middle of one entry's compressed data. */
export function damageEntry(zip: Uint8Array, name: string): Uint8Array {
  const out = zip.slice();
  const { local } = headersOf(out, name);
  const nameLen = out[local + 26]! | (out[local + 27]! << 8);
  const extraLen = out[local + 28]! | (out[local + 29]! << 8);
  const csize = u32(out, local + 18);
  const start = local + 30 + nameLen + extraLen;
  for (let i = start + Math.floor(csize / 3); i < start + Math.floor((2 * csize) / 3); i++) out[i] = out[i]! ^ 0x5a;
  return out;
}

/**
 * A parser stand-in for loader tests that must not depend on the real
 * parsers: content `RUN <id>` gives one activity with that id, `WELLNESS`
 * throws `NOT_AN_ACTIVITY`, anything else `UNKNOWN_FORMAT`. Real GPX/TCX/FIT
 * content is recognised by {@link detectFormat} and gives one activity too.
 */
export async function stubParse(input: Uint8Array, options: ParseOptions): Promise<Activity[]> {
  const text = new TextDecoder().decode(input.subarray(0, 64));
  const kind = detectFormat(input);
  if (text.startsWith('RUN ') || kind === 'gpx' || kind === 'tcx' || kind === 'fit') {
    const id = text.startsWith('RUN ') ? text.slice(4).trim() : `${kind}-stub`;
    return [{ id, source: { format: 'gpx', indexInFile: 0, ...(options.fileName !== undefined ? { fileName: options.fileName } : {}) } } as unknown as Activity];
  }
  if (text.startsWith('WELLNESS')) throw new ParseError('NOT_AN_ACTIVITY', `not an activity (${options.fileName ?? ''})`);
  throw new ParseError('UNKNOWN_FORMAT', `the content is not a FIT, GPX or TCX file (${options.fileName ?? ''})`);
}
