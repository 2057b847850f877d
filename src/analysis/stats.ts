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
  const pairs: [number, number][] = [];
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const w = weights[i]!;
    if (!Number.isFinite(x) || !(w > 0) || !Number.isFinite(w)) continue;
    pairs.push([x, w]);
    total += w;
  }
  if (pairs.length === 0) return Number.NaN;
  pairs.sort((a, b) => a[0] - b[0]);
  const target = Math.min(1, Math.max(0, q)) * total;
  let cum = 0;
  for (const [x, w] of pairs) {
    cum += w;
    if (cum >= target - 1e-9 * total) return x;
  }
  return pairs[pairs.length - 1]![0];
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
