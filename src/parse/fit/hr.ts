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

/** Heart-rate samples in time order: `timeMs` is UTC epoch milliseconds. */
export interface HeartRateSeries {
  readonly timeMs: number[];
  readonly bpm: number[];
}

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
 * Expands decoded `hr` messages (fit-file-parser output, `event_timestamp` in
 * seconds, `event_timestamp12` as raw bytes) into beats with UTC times.
 * Messages before the first anchor are skipped (their time is unknown).
 *
 * @example
 * expandHrMessages([{ timestamp: new Date(0), event_timestamp: [10], filtered_bpm: [100] }], out);
 */
export function expandHrMessages(messages: readonly HrMessage[], out: HeartRateSeries): void {
  let anchorMs = Number.NaN;
  let anchorTicks = 0;
  let lastTicks = Number.NaN;
  for (const m of messages) {
    const ts = m.timestamp;
    const evt = asArray(m.event_timestamp);
    if (ts instanceof Date && evt.length > 0 && Number.isFinite(num(evt[0]))) {
      anchorMs = ts.getTime() + (Number.isFinite(num(m.fractional_timestamp)) ? num(m.fractional_timestamp) * 1000 : 0);
      anchorTicks = Math.round(num(evt[0]) * 1024);
      lastTicks = anchorTicks;
    }
    if (!Number.isFinite(anchorMs)) continue;
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
        const lo = num(packed[byte]);
        const hi = num(packed[byte + 1]);
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
      out.timeMs.push(anchorMs + ((t - anchorTicks) / 1024) * 1000);
      out.bpm.push(b);
    }
  }
}

/**
 * Fills missing heart-rate values of samples (UTC ms `timeMs`, column `heartRateBpm`,
 * written in place: the caller owns it) with the nearest beat within `maxGapMs`.
 * Values the watch recorded itself are kept.
 *
 * @returns how many samples received a value.
 */
export function mergeHeartRate(
  sampleTimeMs: ArrayLike<number>,
  heartRateBpm: Float32Array,
  series: HeartRateSeries,
  maxGapMs = 2000,
): number {
  const order = series.timeMs.map((_, i) => i).sort((a, b) => series.timeMs[a]! - series.timeMs[b]!);
  const ts = order.map((i) => series.timeMs[i]!);
  const bs = order.map((i) => series.bpm[i]!);
  let j = 0;
  let filled = 0;
  for (let i = 0; i < sampleTimeMs.length; i++) {
    if (!Number.isNaN(heartRateBpm[i]!)) continue;
    const t = sampleTimeMs[i]!;
    while (j + 1 < ts.length && ts[j + 1]! <= t) j++;
    let best = -1;
    let bestGap = maxGapMs;
    for (const k of [j, j + 1]) {
      if (k < 0 || k >= ts.length) continue;
      const gap = Math.abs(ts[k]! - t);
      if (gap <= bestGap) {
        bestGap = gap;
        best = k;
      }
    }
    if (best >= 0) {
      heartRateBpm[i] = bs[best]!;
      filled++;
    }
  }
  return filled;
}
