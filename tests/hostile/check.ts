/**
 * The judgement applied to every hostile input: parse it, and either get
 * activities whose columns and summaries hold no impossible number, or a typed
 * `ParseError` with a known code. Runs inside the fuzz worker (see harness.ts)
 * and in-process for small suites.
 */
import type { Activity } from '../../src/activity.js';
import { summarizeActivity } from '../../src/analysis/index.js';
import { type ErrorCode, isParseError, isStridewiseError } from '../../src/errors.js';
import { SAMPLE_COLUMN_NAMES } from '../../src/parse/columns.js';
import { parseActivities, type ParseOptions } from '../../src/parse/index.js';

/** Every code of the `ErrorCode` union (kept in step with src/errors.ts by a test). */
export const KNOWN_ERROR_CODES: readonly ErrorCode[] = [
  'EMPTY_INPUT',
  'UNKNOWN_FORMAT',
  'NOT_AN_ACTIVITY',
  'NO_DATA',
  'CORRUPT_FILE',
  'INVALID_XML',
  'XML_ENTITY_REFUSED',
  'XML_TOO_DEEP',
  'XML_VALUE_TOO_LARGE',
  'FILE_TOO_LARGE',
  'TOO_MANY_SAMPLES',
  'TOO_MANY_ACTIVITIES',
  'GZIP_CORRUPT',
  'DECOMPRESSED_TOO_LARGE',
  'ARCHIVE_NOT_SUPPORTED_HERE',
  'ZIP_BOMB',
  'ZIP_TOO_DEEP',
  'ZIP_CORRUPT',
  'ZIP_ENCRYPTED',
  'FILE_NOT_FOUND',
  'FILE_UNREADABLE',
  'INVALID_INPUT',
  'INVALID_OPTION',
  'INVALID_RULE',
  'TIMEOUT',
  'OUT_OF_MEMORY',
  'INTERNAL',
  'ZIP_UNSUPPORTED',
];

/** What one hostile input came to. `violations` is empty when everything held. */
export type CaseOutcome =
  | { readonly kind: 'activities'; readonly activities: number; readonly samples: number; readonly violations: readonly string[] }
  | { readonly kind: 'error'; readonly code: string; readonly violations: readonly string[] };

/**
 * Paths (`$.cadence.avgSpm`) of every number in `value` that is NaN or
 * infinite. JSON would write them as `null` or fail, so a summary must never
 * hold one where a number is expected.
 *
 * @example nonFiniteNumbers({ a: 1, b: [NaN] }) // ['$.b[0]']
 */
export function nonFiniteNumbers(value: unknown, path = '$', out: string[] = []): string[] {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) out.push(`${path} = ${value}`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => nonFiniteNumbers(v, `${path}[${i}]`, out));
  } else if (ArrayBuffer.isView(value)) {
    out.push(`${path} is a typed array (summaries are plain JSON)`);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) nonFiniteNumbers(v, `${path}.${k}`, out);
  }
  return out;
}

/** Structural promises of the Activity model (src/activity.ts) that a damaged file must not break. */
export function activityViolations(a: Activity, label: string): string[] {
  const out: string[] = [];
  const s = a.samples;
  if (!Number.isInteger(s.length) || s.length < 0) out.push(`${label}: samples.length ${s.length}`);
  for (const name of SAMPLE_COLUMN_NAMES) {
    const col = s[name];
    if (col.length !== s.length) out.push(`${label}: column ${name} has ${col.length} values, samples.length is ${s.length}`);
    for (let i = 0; i < col.length; i++) {
      const v = col[i]!;
      if (v === Infinity || v === -Infinity) {
        out.push(`${label}: ${name}[${i}] = ${v}`);
        break;
      }
    }
  }
  let last = -Infinity;
  for (let i = 0; i < s.timeS.length; i++) {
    const t = s.timeS[i]!;
    if (Number.isNaN(t)) continue;
    if (t < last) {
      out.push(`${label}: timeS goes back at ${i} (${last} → ${t})`);
      break;
    }
    last = t;
  }
  for (let i = 0; i < s.latDeg.length; i++) {
    const lat = s.latDeg[i]!;
    const lon = s.lonDeg[i]!;
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      out.push(`${label}: position out of range at ${i} (${lat}, ${lon})`);
      break;
    }
  }
  if (a.startTime !== undefined && Number.isNaN(a.startTime.getTime())) out.push(`${label}: startTime is an invalid Date`);
  if (typeof a.id !== 'string' || a.id === '') out.push(`${label}: empty id`);
  return out;
}

/**
 * Parses `input` and judges the outcome: activities (each summarised with
 * `summarizeActivity` and walked for non-finite numbers) or a `ParseError`
 * with a known code other than `INTERNAL`. Anything else is a violation.
 */
export async function checkInput(input: Uint8Array | string, options: ParseOptions = {}): Promise<CaseOutcome> {
  let activities: Activity[];
  try {
    activities = await parseActivities(input, options);
  } catch (error) {
    const violations: string[] = [];
    if (!isParseError(error)) {
      const what = isStridewiseError(error) ? `StridewiseError ${error.code}` : error instanceof Error ? `${error.name}: ${error.message}` : `non-Error ${String(error)}`;
      violations.push(`threw something other than a ParseError: ${what}`);
      return { kind: 'error', code: isStridewiseError(error) ? error.code : 'NOT_A_PARSE_ERROR', violations };
    }
    if (!KNOWN_ERROR_CODES.includes(error.code)) violations.push(`unknown error code ${error.code}`);
    if (error.code === 'INTERNAL') {
      const cause = (error as { cause?: unknown }).cause;
      violations.push(`INTERNAL: ${error.message}${cause instanceof Error && cause.stack ? `\n${cause.stack.split('\n').slice(0, 6).join('\n')}` : ''}`);
    }
    if (typeof error.message !== 'string' || error.message.trim() === '') violations.push(`${error.code} without a message`);
    return { kind: 'error', code: error.code, violations };
  }
  const violations: string[] = [];
  if (!Array.isArray(activities)) return { kind: 'error', code: 'NOT_AN_ARRAY', violations: ['parseActivities did not return an array'] };
  if (activities.length === 0) violations.push('no activities and no error (an empty result must be a ParseError)');
  let samples = 0;
  activities.forEach((a, k) => {
    samples += a.samples.length;
    violations.push(...activityViolations(a, `activity ${k}`));
    try {
      const summary = summarizeActivity(a);
      for (const p of nonFiniteNumbers(summary)) violations.push(`activity ${k} summary: ${p}`);
      JSON.stringify(summary);
    } catch (error) {
      violations.push(`activity ${k}: summarizeActivity threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    }
  });
  return { kind: 'activities', activities: activities.length, samples, violations };
}
