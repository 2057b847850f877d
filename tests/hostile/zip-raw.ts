/**
 * A byte-level zip writer for hostile archives that ordinary writers refuse
 * to make: names as raw bytes (NUL, traversal, 60 kB), central directory
 * entries that all point at one local header (overlapping-entry bombs),
 * sizes that lie, unsupported methods. Stored or deflated (fflate) data.
 */
import { deflateSync } from 'fflate';
import { updateCrc32 } from '../../src/node/crc32.js';

/** One entry as written. */
export interface RawEntry {
  /** Name bytes, or a string (written as UTF-8 with the UTF-8 flag). */
  readonly name: string | Uint8Array;
  readonly data: Uint8Array;
  /** Deflate the data (method 8). Default false (stored). */
  readonly deflate?: boolean;
  /** Method number written in the headers (default 0 or 8 from `deflate`): 12 = bzip2, 14 = LZMA, 99 = AES. */
  readonly method?: number;
  /** Uncompressed size written in the headers (default the true size). */
  readonly declaredSize?: number;
  /** Compressed size written in the headers (default the true size): larger pads the entry's range over what follows. */
  readonly declaredCompressedSize?: number;
  /** CRC written in the headers (default the true CRC). */
  readonly crc?: number;
  /** General purpose flags to OR in (1 = encrypted). */
  readonly flags?: number;
}

const enc = new TextEncoder();

function u16(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff];
}
function u32(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

function pushAll(out: number[], bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i++) out.push(bytes[i]!);
}

interface Written {
  readonly name: Uint8Array;
  readonly utf8: boolean;
  readonly method: number;
  readonly flags: number;
  readonly crc: number;
  readonly csize: number;
  readonly usize: number;
  readonly offset: number;
}

/**
 * Builds a zip. `centralOnly` adds central directory records that point at an
 * existing local header (index into `entries`) under a new name: the
 * overlapping-entry construction of non-recursive zip bombs.
 *
 * @example const zip = rawZip([{ name: 'a.gpx', data: bytes }]);
 */
export function rawZip(entries: readonly RawEntry[], centralOnly: readonly { readonly name: string; readonly target: number }[] = []): Uint8Array {
  const out: number[] = [];
  const written: Written[] = [];
  for (const e of entries) {
    const utf8 = typeof e.name === 'string';
    const name = typeof e.name === 'string' ? enc.encode(e.name) : e.name;
    const body = e.deflate === true ? deflateSync(e.data) : e.data;
    const method = e.method ?? (e.deflate === true ? 8 : 0);
    const flags = (utf8 ? 0x0800 : 0) | (e.flags ?? 0);
    const crc = e.crc ?? updateCrc32(0, e.data);
    const usize = e.declaredSize ?? e.data.length;
    const offset = out.length;
    out.push(...u32(0x04034b50), ...u16(20), ...u16(flags), ...u16(method), ...u16(0), ...u16(0x21), ...u32(crc), ...u32(e.declaredCompressedSize ?? body.length), ...u32(usize));
    out.push(...u16(name.length), ...u16(0));
    pushAll(out, name);
    pushAll(out, body);
    written.push({ name, utf8, method, flags, crc, csize: e.declaredCompressedSize ?? body.length, usize, offset });
  }
  const all = [...written, ...centralOnly.map((c) => ({ ...written[c.target]!, name: enc.encode(c.name), utf8: true }))];
  const cdStart = out.length;
  for (const w of all) {
    out.push(...u32(0x02014b50), ...u16(20), ...u16(20), ...u16(w.flags | (w.utf8 ? 0x0800 : 0)), ...u16(w.method), ...u16(0), ...u16(0x21));
    out.push(...u32(w.crc), ...u32(w.csize), ...u32(w.usize), ...u16(w.name.length), ...u16(0), ...u16(0), ...u16(0), ...u16(0), ...u32(0), ...u32(w.offset));
    pushAll(out, w.name);
  }
  const cdSize = out.length - cdStart;
  out.push(...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(all.length), ...u16(all.length), ...u32(cdSize), ...u32(cdStart), ...u16(0));
  return Uint8Array.from(out);
}

/** Deterministic incompressible bytes (xorshift32). */
export function noise(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
