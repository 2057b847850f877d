/**
 * Values of command-line options that carry units (`--height 1.78m`,
 * `--min-cadence 170`, `--max-weekly-increase 10%`) or formats (dates, time
 * zones). Unit strings are read by mathjs, imported only when such an option
 * is given (mathjs is large; most runs never need it).
 */
import { UsageError } from './usage.js';

type MathJs = { unit(value: number, name: string): { toNumber(name: string): number; equalBase(other: unknown): boolean } };

/** Loads mathjs with its full unit system; called at most once per option. */
async function loadMath(): Promise<MathJs> {
  const { create, all } = await import('mathjs');
  if (all === undefined) throw new Error('mathjs did not provide its function set');
  return create(all) as unknown as MathJs;
}

/** Accepted forms of `--height`, shown when a value is refused. */
export const HEIGHT_FORMS = '1.78m, 178cm, 1780mm, 5ft10in, 5\'10", 70in';

const LENGTH_UNITS: Readonly<Record<string, string>> = {
  m: 'm',
  cm: 'cm',
  mm: 'mm',
  ft: 'ft',
  feet: 'ft',
  foot: 'ft',
  "'": 'ft',
  in: 'inch',
  inch: 'inch',
  inches: 'inch',
  '"': 'inch',
};

/**
 * Runner's height in metres from `1.78m`, `178cm`, `5ft10in`, `5'10"`, `70in`
 * (a number then a unit, parts added). The result must lie in 1.0–2.5 m.
 *
 * @throws {UsageError} naming the accepted forms.
 * @example
 * await parseHeightM('5ft10in'); // 1.778
 */
export async function parseHeightM(text: string): Promise<number> {
  const refuse = (why: string): never => {
    throw new UsageError(`--height ${JSON.stringify(text)}: ${why}; write it as one of ${HEIGHT_FORMS}`);
  };
  const compact = text.trim().toLowerCase();
  const parts = [...compact.matchAll(/(\d+(?:\.\d+)?)\s*(mm|cm|m|ft|feet|foot|inches|inch|in|'|")/g)];
  const rest = compact.replace(/(\d+(?:\.\d+)?)\s*(mm|cm|m|ft|feet|foot|inches|inch|in|'|")/g, '').trim();
  if (parts.length === 0 || rest !== '') refuse('not a length with a unit');
  const math = await loadMath();
  const metre = math.unit(1, 'm');
  let heightM = 0;
  for (const [, value, unitName] of parts) {
    const u = math.unit(Number(value), LENGTH_UNITS[unitName!]!);
    if (!u.equalBase(metre)) refuse('not a length');
    heightM += u.toNumber('m');
  }
  if (!(heightM >= 1 && heightM <= 2.5)) refuse(`${heightM.toFixed(2)} m is outside 1.00–2.50 m`);
  return Math.round(heightM * 10000) / 10000;
}

/** Accepted forms of `--min-cadence`. */
export const CADENCE_FORMS = '170, 170spm, 170 steps/min';

/**
 * Step rate in steps per minute from `170`, `170spm` or `170 steps/min`
 * (steps, both feet counted; 120–220).
 *
 * @throws {UsageError} naming the accepted forms.
 * @example
 * await parseCadenceSpm('166 spm'); // 166
 */
export async function parseCadenceSpm(text: string): Promise<number> {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(spm|steps\s*\/\s*min|steps per minute)?\s*$/i.exec(text);
  const value = m ? Number(m[1]) : NaN;
  if (!(value >= 120 && value <= 220)) {
    throw new UsageError(
      `--min-cadence ${JSON.stringify(text)}: expected a step rate between 120 and 220 steps per minute (both feet), written ${CADENCE_FORMS}`,
    );
  }
  return value;
}

/** Accepted forms of `--max-weekly-increase`. */
export const RATIO_FORMS = '10%, 10 %, 0.1';

/**
 * A week-over-week increase as a ratio from `10%` or `0.1` (0 < r ≤ 5). A
 * bare number above 1 is refused as ambiguous (is `10` ten percent?).
 *
 * @throws {UsageError} naming the accepted forms.
 * @example
 * await parseIncreaseRatio('15%'); // 0.15
 */
export async function parseIncreaseRatio(text: string, option = '--max-weekly-increase'): Promise<number> {
  const refuse = (why: string): never => {
    throw new UsageError(`${option} ${JSON.stringify(text)}: ${why}; write it as ${RATIO_FORMS}`);
  };
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  if (!m) refuse('not a percentage');
  const [, numberText, percent] = m!;
  let ratio: number;
  if (percent === '%') {
    // mathjs reads "10%" as the percentage 0.1; the strict pattern above admits nothing else to evaluate.
    const { evaluate } = await import('mathjs');
    ratio = Number(evaluate(`${numberText}%`));
  } else {
    ratio = Number(numberText);
    if (ratio > 1) refuse(`a bare ${ratio} is ambiguous (${ratio} % or ${ratio * 100} %?)`);
  }
  if (!(ratio > 0 && ratio <= 5)) refuse('must be above 0 % and at most 500 %');
  return ratio;
}

/**
 * A calendar date `YYYY-MM-DD` that exists (2026-02-30 is refused).
 *
 * @throws {UsageError}
 * @example
 * parseDate('2026-03-01', '--since'); // '2026-03-01'
 */
export function parseDate(text: string, option: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d) return m[0];
  }
  throw new UsageError(`${option} ${JSON.stringify(text)}: expected a date written YYYY-MM-DD, e.g. 2026-03-01`);
}

/**
 * An IANA time zone name the runtime knows (`Europe/Paris`, `UTC`).
 *
 * @throws {UsageError}
 * @example
 * parseTimeZone('Europe/Paris'); // 'Europe/Paris'
 */
export function parseTimeZone(text: string): string {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: text }).resolvedOptions().timeZone;
  } catch {
    throw new UsageError(`--tz ${JSON.stringify(text)}: not a time zone; use an IANA name such as Europe/Paris, America/New_York or UTC`);
  }
}

/**
 * `--workers`: `auto` (one per core, as many as fit in half the memory) or a whole number from 1 to 256.
 *
 * @throws {UsageError} for anything else.
 * @example
 * parseWorkers('auto'); // 'auto'
 * parseWorkers('4'); // 4
 */
/**
 * A heart rate in beats per minute (`185`, `185bpm`) within a plausible range.
 *
 * @throws {UsageError} outside `[minBpm, maxBpm]` or not a number.
 * @example
 * parseHeartRateBpm('185', '--hr-max', 120, 230); // 185
 */
export function parseHeartRateBpm(text: string, flag: string, minBpm: number, maxBpm: number): number {
  const m = /^\s*(\d{2,3})\s*(?:bpm)?\s*$/i.exec(text);
  const v = m !== null ? Number(m[1]) : NaN;
  if (!(v >= minBpm && v <= maxBpm)) throw new UsageError(`${flag} ${JSON.stringify(text)}: expected beats per minute between ${minBpm} and ${maxBpm}, e.g. ${flag} ${Math.round((minBpm + maxBpm) / 2)}`);
  return v;
}

export function parseWorkers(text: string): number | 'auto' {
  const t = text.trim().toLowerCase();
  if (t === 'auto') return 'auto';
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n >= 1 && n <= 256) return n;
  }
  throw new UsageError(`--workers ${JSON.stringify(text)}: expected auto or a whole number from 1 to 256`);
}
