/**
 * Small helpers shared by the rules: threshold comparisons that tolerate
 * floating-point rounding, number formatting for messages, finding
 * construction and the deterministic order of findings.
 */
import type { Evidence, Finding, Severity } from './types.js';

/** Relative tolerance of threshold comparisons: 2 000 m / 2 000 m − 1 must not count as "above 0". */
const REL_EPS = 1e-9;

function eps(b: number): number {
  return REL_EPS * Math.max(1, Math.abs(b));
}
/** a > b, ignoring rounding noise. */
export function above(a: number, b: number): boolean {
  return a > b + eps(b);
}
/** a < b, ignoring rounding noise. */
export function below(a: number, b: number): boolean {
  return a < b - eps(b);
}
/** a ≥ b, ignoring rounding noise. */
export function atLeast(a: number, b: number): boolean {
  return !below(a, b);
}
/** a ≤ b, ignoring rounding noise. */
export function atMost(a: number, b: number): boolean {
  return !above(a, b);
}

/** A finite number, or null. */
export function finite(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Rounds for `observed`/`threshold`/`details` so findings are stable across platforms. */
export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  if (!Number.isFinite(value * f)) return value;
  const r = Math.round(value * f) / f;
  return Object.is(r, -0) ? 0 : r;
}

/** `12.3 km` (one decimal). */
export function km(distanceM: number): string {
  return `${(distanceM / 1000).toFixed(1)} km`;
}

/** `+34 %` / `−5 %` from a ratio change (0.34). */
export function pct(change: number): string {
  const v = Math.round(change * 100);
  return `${v >= 0 ? '+' : '−'}${Math.abs(v)} %`;
}

/** Slowest speed whose pace is worth printing (33:20/km): below it the speed is noise, not running. */
export const MIN_PACE_SPEED_MPS = 0.5;

/** `5:30/km` from a speed in m/s; `n/a` below {@link MIN_PACE_SPEED_MPS} or for a non-finite speed. */
export function pace(speedMps: number): string {
  if (!(speedMps >= MIN_PACE_SPEED_MPS) || !Number.isFinite(speedMps)) return 'n/a';
  const secPerKm = Math.round(1000 / speedMps);
  return `${Math.floor(secPerKm / 60)}:${String(secPerKm % 60).padStart(2, '0')}/km`;
}

/** ` at 5:30/km` for a message, or `''` when the pace is unknown (see {@link pace}). */
export function atPace(speedMps: number | null): string {
  return speedMps !== null && speedMps >= MIN_PACE_SPEED_MPS && Number.isFinite(speedMps) ? ` at ${pace(speedMps)}` : '';
}

/** Everything a rule states about a finding; the rest gets defaults. */
export interface FindingInput {
  readonly rule: string;
  readonly severity: Severity;
  readonly activityId?: string | null;
  readonly week?: string | null;
  readonly date?: string | null;
  readonly span?: Finding['span'];
  readonly observed?: number | null;
  readonly threshold?: number | null;
  readonly unit: string;
  readonly evidence: Evidence;
  readonly message: string;
  readonly advice?: readonly string[];
  readonly details?: Readonly<Record<string, number | string | boolean | null>>;
}

/** Builds a plain-JSON finding (numbers rounded, no undefined). */
export function makeFinding(input: FindingInput): Finding {
  const details: Record<string, number | string | boolean | null> = {};
  for (const [key, value] of Object.entries(input.details ?? {})) {
    details[key] = typeof value === 'number' ? (Number.isFinite(value) ? round(value, 4) : null) : value;
  }
  return {
    rule: input.rule,
    severity: input.severity,
    activityId: input.activityId ?? null,
    week: input.week ?? null,
    date: input.date ?? null,
    span: input.span ?? null,
    observed: finite(input.observed) ? round(input.observed, 4) : null,
    threshold: finite(input.threshold) ? round(input.threshold, 4) : null,
    unit: input.unit,
    evidence: { grade: input.evidence.grade, reference: input.evidence.reference },
    message: input.message,
    advice: [...(input.advice ?? [])],
    details,
  };
}

function cmp(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
function cmpNum(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}

/**
 * The order of findings: date (week start for week-level findings; undated
 * last), rule, activity id, week, span start, severity, message, details.
 * Total, so the output never depends on input order. `evaluateRules` already
 * returns findings in this order; use it to merge findings from several calls.
 *
 * @example
 * ```ts
 * // findings of two runners' histories (or of two rule sets) merged in one order
 * const all = [...evaluateRules(history, summaries), ...evaluateRules(history, summaries, { 'low-cadence': { minCadenceSpm: 175 } })].sort(compareFindings);
 * ```
 */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.date ?? a.week, b.date ?? b.week) ||
    cmp(a.rule, b.rule) ||
    cmp(a.activityId, b.activityId) ||
    cmp(a.week, b.week) ||
    cmpNum(a.span?.startS ?? null, b.span?.startS ?? null) ||
    cmp(a.severity, b.severity) ||
    cmp(a.message, b.message) ||
    cmp(JSON.stringify(a.details), JSON.stringify(b.details))
  );
}

/** Whole days from ISO date `a` to ISO date `b` (`YYYY-MM-DD`), or null. */
export function daysBetween(a: string, b: string): number | null {
  const ta = Date.parse(`${a.slice(0, 10)}T00:00:00Z`);
  const tb = Date.parse(`${b.slice(0, 10)}T00:00:00Z`);
  if (!Number.isFinite(ta) || !Number.isFinite(tb)) return null;
  return Math.round((tb - ta) / 86_400_000);
}

/** Start of the week (`YYYY-MM-DD`) containing `date`, for weeks beginning on `weekStartsOn` (0 = Sunday). */
export function weekStartOf(date: string, weekStartsOn: number): string | null {
  const t = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  if (!Number.isFinite(t)) return null;
  const dow = new Date(t).getUTCDay();
  const back = (dow - weekStartsOn + 7) % 7;
  return new Date(t - back * 86_400_000).toISOString().slice(0, 10);
}
