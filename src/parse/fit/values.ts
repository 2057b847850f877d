/** Small value helpers shared by the FIT normaliser. */

/** Removes `readonly` from every property (for objects built here before they are returned). */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A decoded field value as a number: NaN unless it is a finite number.
 *
 * @example num(undefined) // NaN
 */
export function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
}

/**
 * A decoded `date_time` (fit-file-parser returns `Date`) as UTC epoch milliseconds, NaN when absent.
 *
 * @example timeMs(new Date(0)) // 0
 */
export function timeMs(v: unknown): number {
  return v instanceof Date ? v.getTime() : Number.NaN;
}

/**
 * A decoded enum value as its FIT profile name; unknown numbers become their decimal text.
 *
 * @example enumName('running', 'generic') // 'running'
 */
export function enumName(v: unknown, fallback: string): string {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return fallback;
}

/**
 * First finite value of a column, NaN when none.
 *
 * @example firstFinite([NaN, 3, 4]) // 3
 */
export function firstFinite(a: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]!)) return a[i]!;
  return Number.NaN;
}

/**
 * Last finite value of a column, NaN when none.
 *
 * @example lastFinite([3, 4, NaN]) // 4
 */
export function lastFinite(a: ArrayLike<number>): number {
  for (let i = a.length - 1; i >= 0; i--) if (Number.isFinite(a[i]!)) return a[i]!;
  return Number.NaN;
}

