/**
 * Heart rate stored by a chest strap and appended to a watch's FIT file
 * (store-and-forward: swimming, or a strap that records on its own).
 *
 * FIT `hr` messages (132) carry beats in batches: one anchor message with a
 * `timestamp` (+ `fractional_timestamp`) and the strap's own clock in
 * `event_timestamp` (1/1024 s), then messages whose `event_timestamp_12`
 * bytes pack eight 12-bit clock values (1/1024 s, accumulated with rollover
 * at 4096) beside eight `filtered_bpm` values. The real time of a beat is
 * the anchor time plus the strap-clock difference to the anchor
 * (FIT profile, `hr` message; the component layout is that of the profile's
 * `event_timestamp_12` field: 8 × 12 bits, little-endian bit order).
 */

/**
 * Strap beats in the order the strap wrote them. `timeS` counts seconds since
 * the FIT epoch (1989-12-31T00:00:00Z), the file's own time base: keeping it
 * avoids rounding that would move a beat across a record boundary.
 */
export interface HeartRateSeries {
  readonly timeS: number[];
  readonly bpm: number[];
}

/** Unix milliseconds of the FIT epoch. */
export const FIT_EPOCH_MS = 631065600000;

interface HrMessage {
  readonly timestamp?: unknown;
  readonly fractional_timestamp?: unknown;
  readonly filtered_bpm?: unknown;
  readonly event_timestamp?: unknown;
  readonly event_timestamp12?: unknown;
}

function asArray(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  return v === undefined || v === null ? [] : [v];
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
}

/**
 * A byte of a packed field as fit-file-parser returns it: it turns every 0xFF
 * element of a byte array into `null` (the invalid value of a whole byte),
 * but inside packed bits 0xFF is ordinary data. Returns NaN for anything else.
 *
 * @example packedByte(null) // 255
 */
export function packedByte(v: unknown): number {
  if (v === null) return 0xff;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0xff ? v : Number.NaN;
}

/**
 * Expands decoded `hr` messages (fit-file-parser output, `event_timestamp` in
 * seconds, `event_timestamp12` as raw bytes) into beats with UTC times.
 * Messages before the first anchor are skipped (their time is unknown).
 *
 * @example
 * expandHrMessages([{ timestamp: new Date(0), event_timestamp: [10], filtered_bpm: [100] }], out);
 */
export function expandHrMessages(messages: readonly HrMessage[], out: HeartRateSeries): void {
  let anchorS = Number.NaN;
  let anchorTicks = 0;
  let lastTicks = Number.NaN;
  for (const m of messages) {
    const ts = m.timestamp;
    const evt = asArray(m.event_timestamp);
    if (ts instanceof Date && evt.length > 0 && Number.isFinite(num(evt[0]))) {
      anchorS = (ts.getTime() - FIT_EPOCH_MS) / 1000 + (Number.isFinite(num(m.fractional_timestamp)) ? num(m.fractional_timestamp) : 0);
      anchorTicks = Math.round(num(evt[0]) * 1024);
      lastTicks = anchorTicks;
    }
    if (!Number.isFinite(anchorS)) continue;
    const bpm = asArray(m.filtered_bpm);
    const ticks: number[] = [];
    if (evt.length > 0) {
      for (const e of evt) {
        const t = Math.round(num(e) * 1024);
        ticks.push(t);
        if (Number.isFinite(t)) lastTicks = t;
      }
    } else {
      const packed = asArray(m.event_timestamp12);
      const count = Math.floor((packed.length * 8) / 12);
      for (let j = 0; j < count; j++) {
        const bit = j * 12;
        const byte = bit >> 3;
        const lo = packedByte(packed[byte]);
        const hi = packedByte(packed[byte + 1]);
        if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
          ticks.push(Number.NaN);
          continue;
        }
        const v = (bit & 7) === 0 ? (lo | ((hi & 0x0f) << 8)) : ((lo >> 4) | (hi << 4)) & 0xfff;
        lastTicks = lastTicks + ((v - (lastTicks & 0xfff)) & 0xfff);
        ticks.push(lastTicks);
      }
    }
    const n = Math.min(bpm.length, ticks.length);
    for (let j = 0; j < n; j++) {
      const b = num(bpm[j]);
      const t = ticks[j]!;
      if (!Number.isFinite(b) || b <= 0 || b >= 255 || !Number.isFinite(t)) continue;
      out.timeS.push(anchorS + (t - anchorTicks) / 1024);
      out.bpm.push(b);
    }
  }
}

/** Beats are held for up to this long after they occur (a strap sends nothing while the rate is steady). */
const HOLD_MAX_S = 5;
/** Hold resolution. */
const HOLD_STEP_S = 0.25;

/**
 * Writes strap heart rate into samples (UTC ms `sampleTimeMs`, column
 * `heartRateBpm`, written in place: the caller owns it). A sample at time
 * t_i gets the mean of the beat values in (t_{i-1}, t_i], where each beat's
 * value also counts every 0.25 s after it until the next beat (at most 5 s):
 * a time-weighted mean of the strap's held value. This is the semantics of
 * the Garmin FIT SDK's heart-rate merge, so results agree with Garmin's
 * tools; like the SDK, the strap's value replaces the watch's own for samples
 * the strap covers. Samples with no beat in range keep their value.
 *
 * @returns how many samples received a value.
 * @example
 * mergeHeartRate(Float64Array.of(Date.UTC(2024, 0, 1, 6, 0, 1)), hr, { timeS: [1073023200.5], bpm: [120] });
 */
export function mergeHeartRate(sampleTimeMs: ArrayLike<number>, heartRateBpm: Float32Array, series: HeartRateSeries): number {
  // Expand the held values: beat times in seconds, in the order the strap wrote them.
  const ts: number[] = [];
  const vs: number[] = [];
  for (let k = 0; k < series.timeS.length; k++) {
    const t = series.timeS[k]!;
    const v = series.bpm[k]!;
    if (ts.length > 0) {
      const pt = ts[ts.length - 1]!;
      const pv = vs[vs.length - 1]!;
      let gap = Math.abs(t - pt);
      for (let step = 1; gap > HOLD_STEP_S + 1e-9 && step <= HOLD_MAX_S / HOLD_STEP_S; step++) {
        ts.push(pt + HOLD_STEP_S * step);
        vs.push(pv);
        gap -= HOLD_STEP_S;
      }
    }
    ts.push(t);
    vs.push(v);
  }
  let sorted = true;
  for (let k = 1; k < ts.length && sorted; k++) sorted = ts[k - 1]! <= ts[k]!;
  let bt = ts;
  let bv = vs;
  if (!sorted) {
    const order = ts.map((_, i) => i).sort((a, b) => ts[a]! - ts[b]! || a - b);
    bt = order.map((i) => ts[i]!);
    bv = order.map((i) => vs[i]!);
  }
  let j = 0;
  let filled = 0;
  let prevEnd = Number.NaN;
  for (let i = 0; i < sampleTimeMs.length; i++) {
    const end = Math.round((sampleTimeMs[i]! - FIT_EPOCH_MS) / 1000);
    let start = Number.isNaN(prevEnd) || prevEnd >= end ? end - 1 : prevEnd;
    prevEnd = end;
    while (j > 0 && bt[j - 1]! > start) j--;
    while (j < bt.length && bt[j]! <= start) j++;
    let sum = 0;
    let count = 0;
    let k = j;
    for (; k < bt.length && bt[k]! <= end; k++) {
      sum += bv[k]!;
      count++;
    }
    j = k;
    if (count > 0) {
      heartRateBpm[i] = Math.round(sum / count);
      filled++;
    }
    start = end;
  }
  return filled;
}
