/**
 * Byte-level FIT writer for hostile inputs the fixture writer refuses to make
 * (millions of tiny messages, more laps than a message index can number):
 * a 14-byte header, little-endian definitions and data messages, a zero CRC
 * (stridewise does not enforce FIT CRCs, as real damaged files must still read).
 */

/** One field of a definition: FIT field number, size in bytes, base type byte. */
export type RawField = readonly [num: number, size: number, baseType: number];

/** Base types used here (FIT profile). */
export const BASE = { enum: 0x00, uint8: 0x02, uint16: 0x84, uint32: 0x86 } as const;

/** FIT seconds of 2025-01-01T00:00:00Z (FIT epoch 1989-12-31T00:00:00Z). */
export const FIT_T0 = Math.round((Date.UTC(2025, 0, 1) - Date.UTC(1989, 11, 31)) / 1000);

/** Appends messages into one growing buffer, then {@link RawFit.finish} adds header and CRC. */
export class RawFit {
  private buf = new Uint8Array(1 << 16);
  private len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** A definition of local type `local` for global message `global`. */
  define(local: number, global: number, fields: readonly RawField[]): this {
    this.ensure(6 + fields.length * 3);
    const b = this.buf;
    let o = this.len;
    b[o++] = 0x40 | local;
    b[o++] = 0;
    b[o++] = 0; // little-endian
    b[o++] = global & 0xff;
    b[o++] = global >> 8;
    b[o++] = fields.length;
    for (const [num, size, base] of fields) {
      b[o++] = num;
      b[o++] = size;
      b[o++] = base;
    }
    this.len = o;
    return this;
  }

  /** A data message of local type `local`: each value written little-endian in its field's size. */
  data(local: number, fields: readonly RawField[], values: readonly number[]): this {
    let size = 1;
    for (const f of fields) size += f[1];
    this.ensure(size);
    const b = this.buf;
    let o = this.len;
    b[o++] = local;
    fields.forEach(([, width], k) => {
      let v = values[k]!;
      for (let j = 0; j < width; j++) {
        b[o++] = v % 256;
        v = Math.floor(v / 256);
      }
    });
    this.len = o;
    return this;
  }

  /** `count` copies of the last data message (fast path for millions of identical messages). */
  repeatLast(messageSize: number, count: number): this {
    this.ensure(messageSize * count);
    const last = this.buf.slice(this.len - messageSize, this.len);
    for (let k = 0; k < count; k++) {
      this.buf.set(last, this.len);
      this.len += messageSize;
    }
    return this;
  }

  /** The whole file: header declaring the data size, the messages, a zero CRC. */
  finish(): Uint8Array {
    const out = new Uint8Array(14 + this.len + 2);
    out.set([14, 0x20, 0x5c, 0x08, this.len & 0xff, (this.len >>> 8) & 0xff, (this.len >>> 16) & 0xff, this.len >>> 24, 0x2e, 0x46, 0x49, 0x54, 0, 0]);
    out.set(this.buf.subarray(0, this.len), 14);
    return out;
  }
}

/** file_id of an activity file (type 4), made at {@link FIT_T0}. */
export const FILE_ID_FIELDS: readonly RawField[] = [
  [0, 1, BASE.enum],
  [1, 2, BASE.uint16],
  [4, 4, BASE.uint32],
];

/**
 * A FIT activity of `records` records holding only a heart rate (2 bytes each,
 * one timestamped record first so the file has a start), the smallest record
 * a writer can make.
 */
export function tinyRecordsFit(records: number): Uint8Array {
  const fit = new RawFit().define(0, 0, FILE_ID_FIELDS).data(0, FILE_ID_FIELDS, [4, 255, FIT_T0]);
  const timed: RawField[] = [
    [253, 4, BASE.uint32],
    [3, 1, BASE.uint8],
  ];
  const hr: RawField[] = [[3, 1, BASE.uint8]];
  fit.define(1, 20, timed).data(1, timed, [FIT_T0, 120]);
  fit.define(2, 20, hr).data(2, hr, [121]);
  if (records > 2) fit.repeatLast(2, records - 2);
  return fit.finish();
}

/**
 * A FIT activity of `seconds + 1` one-second records (timestamp, distance at
 * 3 m/s, cadence 85 strides/min = 170 steps/min) and `laps` laps of one
 * second each (lap k from k to k + 1 s, wrapping round when there are more
 * laps than seconds), a `sport` message (running), no session.
 */
export function manyLapsFit(seconds: number, laps: number): Uint8Array {
  const fit = new RawFit().define(0, 0, FILE_ID_FIELDS).data(0, FILE_ID_FIELDS, [4, 255, FIT_T0]);
  const sport: RawField[] = [
    [0, 1, BASE.enum],
    [1, 1, BASE.enum],
  ];
  fit.define(3, 12, sport).data(3, sport, [1, 0]); // running, generic
  const rec: RawField[] = [
    [253, 4, BASE.uint32],
    [5, 4, BASE.uint32],
    [4, 1, BASE.uint8],
  ];
  fit.define(1, 20, rec);
  for (let i = 0; i <= seconds; i++) fit.data(1, rec, [FIT_T0 + i, i * 300, 85]);
  const lap: RawField[] = [
    [253, 4, BASE.uint32],
    [2, 4, BASE.uint32],
    [7, 4, BASE.uint32],
  ];
  fit.define(2, 19, lap);
  for (let k = 0; k < laps; k++) {
    const s = k % seconds;
    fit.data(2, lap, [FIT_T0 + s + 1, FIT_T0 + s, 1000]);
  }
  return fit.finish();
}
