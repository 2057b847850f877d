/**
 * Small helpers to write inline SVG by hand: escaping, compact coordinates,
 * linear scales and "nice" axis ticks. No DOM, no Node built-ins.
 */

/**
 * Escapes text for HTML and SVG content and attribute values.
 *
 * @example
 * escapeHtml('<a href="x">'); // "&lt;a href=&quot;x&quot;&gt;"
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return '&#39;';
    }
  });
}

/**
 * A coordinate with at most one decimal, no trailing zeros, and no `-0`.
 *
 * @example
 * coord(12.345); // "12.3"
 */
export function coord(value: number): string {
  const r = Math.round(value * 10) / 10;
  return String(r === 0 ? 0 : r);
}

/** A linear map from a data interval onto a pixel interval. */
export interface LinearScale {
  (value: number): number;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
}

/**
 * Linear scale; a zero-width domain maps everything to the middle of the range.
 *
 * @example
 * const x = linearScale([0, 10], [0, 100]);
 * x(2.5); // 25
 */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  const f = ((value: number) => (span === 0 ? (r0 + r1) / 2 : r0 + ((value - d0) / span) * (r1 - r0))) as LinearScale;
  Object.defineProperty(f, 'domain', { value: domain });
  Object.defineProperty(f, 'range', { value: range });
  return f;
}

/**
 * About `count` round tick values (steps of 1, 2 or 5 × 10ⁿ) covering
 * `[min, max]`.
 *
 * @example
 * niceTicks(0, 47, 5); // [0, 10, 20, 30, 40, 50]
 */
export function niceTicks(min: number, max: number, count: number): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max < min) [min, max] = [max, min];
  if (max === min) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const start = Math.floor(min / unit) * unit;
  const ticks: number[] = [];
  for (let v = start; v <= max + unit * 1e-9; v += unit) ticks.push(Math.round(v / unit) * unit);
  if (ticks[0]! > min) ticks.unshift(ticks[0]! - unit);
  if (ticks[ticks.length - 1]! < max) ticks.push(ticks[ticks.length - 1]! + unit);
  return ticks.map((t) => Number(t.toPrecision(12)));
}
