/**
 * Small time-weighted statistics used across the analysis stage.
 * Every function ignores pairs whose value is not finite or whose weight is
 * not a positive finite number, and returns `NaN` when nothing is left.
 */

/**
 * Weighted mean Σ wᵢ·xᵢ / Σ wᵢ.
 * @example weightedMean([160, 170], [1, 3]) // 167.5
 */
export function weightedMean(values: ArrayLike<number>, weights: ArrayLike<number>): number {
  let sw = 0;
  let swx = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const w = weights[i]!;
    if (!Number.isFinite(x) || !(w > 0) || !Number.isFinite(w)) continue;
    sw += w;
    swx += w * x;
  }
  return sw > 0 ? swx / sw : Number.NaN;
}

/**
 * Weighted quantile, lower definition: the smallest value x such that the
 * weight of values ≤ x is at least q · Σw. With equal weights and q = 0.5
 * this is the lower median.
 * @example weightedQuantile([150, 160, 170], [1, 1, 2], 0.5) // 160 (cumulative 1, 2 ≥ 2)
 */
export function weightedQuantile(values: ArrayLike<number>, weights: ArrayLike<number>, q: number): number {
  return weightedQuantiles(values, weights, [q])[0]!;
}

const INDEX_BITS = 2 ** 21;

/**
 * Indices 0..m−1 of `xs` in ascending order of value. Up to 2^21 values, each
 * key packs the value's float32 bit pattern (made order-preserving for
 * negatives) above the index into one exact float64, so a native numeric
 * typed-array sort does the work without a comparator call per pair. The
 * order is exact to float32 precision (about 7 digits; cadence, speed and
 * step length are recorded far coarser): values equal in float32 keep their
 * index order. Larger inputs fall back to an index sort with a comparator.
 */
function sortedOrder(xs: Float64Array, m: number): Uint32Array {
  const order = new Uint32Array(m);
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  if (m > INDEX_BITS) {
    for (let i = 0; i < m; i++) order[i] = i;
    return order.sort((a, b) => xs[a]! - xs[b]! || a - b);
  }
  const keys = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    f32[0] = xs[i]!;
    const bits = u32[0]!;
    // IEEE order: flip every bit of negatives, only the sign bit of positives.
    const ordered = bits & 0x80000000 ? ~bits >>> 0 : (bits | 0x80000000) >>> 0;
    keys[i] = ordered * INDEX_BITS + i;
  }
  keys.sort();
  for (let j = 0; j < m; j++) order[j] = keys[j]! % INDEX_BITS;
  return order;
}

/**
 * Several weighted quantiles (lower definition, as {@link weightedQuantile})
 * from one sort: the valid values are copied into a `Float64Array` and an
 * index array is sorted by value, so no per-sample objects are made.
 * @example weightedQuantiles([150, 160, 170], [1, 1, 2], [0.1, 0.5, 0.9]) // [150, 160, 170]
 */
export function weightedQuantiles(values: ArrayLike<number>, weights: ArrayLike<number>, qs: readonly number[]): number[] {
  const n = values.length;
  const xs = new Float64Array(n);
  const ws = new Float64Array(n);
  let m = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    const w = weights[i]!;
    if (!Number.isFinite(x) || !(w > 0) || !Number.isFinite(w)) continue;
    xs[m] = x;
    ws[m] = w;
    total += w;
    m++;
  }
  if (m === 0) return qs.map(() => Number.NaN);
  const order = sortedOrder(xs, m);
  const targets = qs.map((q) => Math.min(1, Math.max(0, q)) * total - 1e-9 * total);
  const out = qs.map(() => xs[order[m - 1]!]!);
  const pending = qs.map((_, k) => k).sort((a, b) => targets[a]! - targets[b]!);
  let next = 0;
  let cum = 0;
  for (let j = 0; j < m && next < pending.length; j++) {
    const i = order[j]!;
    cum += ws[i]!;
    while (next < pending.length && cum >= targets[pending[next]!]!) out[pending[next++]!] = xs[i]!;
  }
  return out;
}

/**
 * Weighted population standard deviation divided by the weighted mean.
 * @example weightedCv([2, 4], [1, 1]) // 1/3 (mean 3, sd 1)
 */
export function weightedCv(values: ArrayLike<number>, weights: ArrayLike<number>): number {
  const m = weightedMean(values, weights);
  if (!(m > 0)) return Number.NaN;
  let sw = 0;
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const w = weights[i]!;
    if (!Number.isFinite(x) || !(w > 0) || !Number.isFinite(w)) continue;
    sw += w;
    ss += w * (x - m) ** 2;
  }
  return Math.sqrt(ss / sw) / m;
}

/**
 * Weighted least-squares line y = a + b·x. Returns `null` with fewer than two
 * distinct x values.
 * @example fitLine([1, 2, 3], [5, 7, 9], [1, 1, 1]) // { intercept: 3, slope: 2 }
 */
export function fitLine(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  weights: ArrayLike<number>,
): { intercept: number; slope: number } | null {
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < xs.length; i++) {
    const w = weights[i]!;
    if (!Number.isFinite(xs[i]!) || !Number.isFinite(ys[i]!) || !(w > 0)) continue;
    sw += w;
    sx += w * xs[i]!;
    sy += w * ys[i]!;
  }
  if (!(sw > 0)) return null;
  const mx = sx / sw;
  const my = sy / sw;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < xs.length; i++) {
    const w = weights[i]!;
    if (!Number.isFinite(xs[i]!) || !Number.isFinite(ys[i]!) || !(w > 0)) continue;
    sxx += w * (xs[i]! - mx) ** 2;
    sxy += w * (xs[i]! - mx) * (ys[i]! - my);
  }
  if (!(sxx > 1e-12 * sw)) return null;
  const slope = sxy / sxx;
  return { intercept: my - slope * mx, slope };
}

/**
 * Median of plain numbers (mean of the two middle values for even counts); NaN when empty.
 * @example median([3, 1, 2, 10]) // 2.5
 */
export function median(values: readonly number[]): number {
  const s = Float64Array.from(values.filter(Number.isFinite)).sort();
  if (s.length === 0) return Number.NaN;
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * `null` for NaN/±Infinity, the number otherwise: the only way numbers leave the analysis stage.
 * @example finiteOrNull(Number.NaN) // null
 */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
