/**
 * Cheap, strict readers for the values found in GPX and TCX text: numbers
 * and ISO-8601 timestamps. Both return `NaN` for anything they cannot read,
 * never a guessed value.
 */

const MS_PER_DAY = 86_400_000;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Days from 1970-01-01 to the proleptic Gregorian date y-m-d (Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Two decimal digits of `s` at `k` as a number, -1 if they are not both digits. */
function twoDigits(s: string, k: number): number {
  const a = s.charCodeAt(k);
  const b = s.charCodeAt(k + 1);
  return isDigit(a) && isDigit(b) ? (a - 48) * 10 + (b - 48) : -1;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Parses an ISO-8601 date-time as written in GPX/TCX into milliseconds since
 * the Unix epoch, without allocating. Accepted: `YYYY-MM-DDThh:mm[:ss[.fff…]]`
 * (`T`, `t` or a space between date and time, `.` or `,` before the
 * fraction, any number of fraction digits) followed by `Z`, `±hh:mm`,
 * `±hhmm`, `±hh`, or nothing; surrounding whitespace is ignored.
 *
 * Differences from `Date.parse`: a time without a zone is taken as **UTC**
 * (the GPX and TCX schemas define UTC times; `Date.parse` would use the
 * machine's zone), out-of-range fields (month 13, 31 April, 25 h, second 60)
 * give `NaN` instead of rolling over, and the fraction is kept beyond
 * milliseconds.
 *
 * @returns milliseconds since 1970-01-01T00:00:00Z, or `NaN`.
 * @example parseIsoMs('2024-05-27T06:15:00.250Z') // 1716790500250
 * @example parseIsoMs('2020-12-27T15:43:49.000+01:00') // same instant as '2020-12-27T14:43:49Z'
 */
export function parseIsoMs(s: string): number {
  let i = 0;
  let end = s.length;
  while (i < end && s.charCodeAt(i) <= 32) i++;
  while (end > i && s.charCodeAt(end - 1) <= 32) end--;
  if (end - i < 16) return Number.NaN;
  const y1 = twoDigits(s, i);
  const y2 = twoDigits(s, i + 2);
  const month = twoDigits(s, i + 5);
  const day = twoDigits(s, i + 8);
  const sep = s.charCodeAt(i + 10);
  const hour = twoDigits(s, i + 11);
  const minute = twoDigits(s, i + 14);
  if (
    y1 < 0 ||
    y2 < 0 ||
    s.charCodeAt(i + 4) !== 45 ||
    s.charCodeAt(i + 7) !== 45 ||
    (sep !== 84 && sep !== 116 && sep !== 32) ||
    s.charCodeAt(i + 13) !== 58 ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    hour < 0 ||
    hour > 23 ||
    minute < 0 ||
    minute > 59
  ) {
    return Number.NaN;
  }
  const year = y1 * 100 + y2;
  if (day > daysInMonth(year, month)) return Number.NaN;
  let k = i + 16;
  let second = 0;
  let fractionMs = 0;
  if (k < end && s.charCodeAt(k) === 58) {
    second = twoDigits(s, k + 1);
    if (second < 0 || second > 59) return Number.NaN;
    k += 3;
    const dot = s.charCodeAt(k);
    if (k < end && (dot === 46 || dot === 44)) {
      k++;
      let scale = 100;
      const start = k;
      while (k < end && isDigit(s.charCodeAt(k))) {
        fractionMs += (s.charCodeAt(k) - 48) * scale;
        scale /= 10;
        k++;
      }
      if (k === start) return Number.NaN;
    }
  }
  let offsetMin = 0;
  if (k < end) {
    const z = s.charCodeAt(k);
    if ((z === 90 || z === 122) && k + 1 === end) {
      // Z
    } else if (z === 43 || z === 45) {
      const oh = twoDigits(s, k + 1);
      if (oh < 0 || oh > 23) return Number.NaN;
      let om = 0;
      const rest = end - (k + 3);
      if (rest === 3 && s.charCodeAt(k + 3) === 58) om = twoDigits(s, k + 4);
      else if (rest === 2) om = twoDigits(s, k + 3);
      else if (rest !== 0) return Number.NaN;
      if (om < 0 || om > 59) return Number.NaN;
      offsetMin = (z === 45 ? -1 : 1) * (oh * 60 + om);
    } else {
      return Number.NaN;
    }
  }
  return (
    daysFromCivil(year, month, day) * MS_PER_DAY +
    ((hour * 60 + minute - offsetMin) * 60 + second) * 1000 +
    fractionMs
  );
}

/**
 * Reads a decimal number from XML text. Unlike `Number(text)`, empty or
 * blank text is `NaN` (not 0); a decimal comma (`46,5`, written by some
 * European exporters) is accepted; anything else that `Number` rejects is
 * `NaN` (no `parseFloat` prefix guessing such as `'12abc'` → 12).
 *
 * @example parseXmlNumber(' 172 ') // 172
 * @example parseXmlNumber('') // NaN
 */
export function parseXmlNumber(text: string): number {
  // Fast path for plain decimals of at most 15 significant digits and 22
  // fraction digits: an exact integer divided by an exact power of ten is
  // correctly rounded, so the result equals Number(text) (Clinger's fast path).
  const len = text.length;
  let i = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 45 || first === 43) {
    negative = first === 45;
    i = 1;
  }
  let mantissa = 0;
  let digits = 0;
  let fraction = -1;
  for (; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
      if (fraction >= 0) fraction++;
    } else if (c === 46 && fraction < 0) {
      fraction = 0;
    } else {
      break;
    }
  }
  if (i === len && digits > 0 && digits <= 15 && fraction !== 0 && fraction <= 22) {
    const v = fraction > 0 ? mantissa / POW10[fraction]! : mantissa;
    return negative ? -v : v;
  }
  return parseXmlNumberSlow(text);
}

const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);

function parseXmlNumberSlow(text: string): number {
  const v = Number(text);
  if (v === 0 && text.trim().length === 0) return Number.NaN;
  if (Number.isNaN(v) && text.indexOf(',') >= 0) {
    const t = text.trim();
    if (/^[-+]?\d+,\d+$/.test(t)) return Number(t.replace(',', '.'));
  }
  return v;
}
