/**
 * Units of the words a person reads. Rule messages and advice are written
 * in SI (the JSON keeps them so); with miles, every distance, height, pace
 * and speed in them is rewritten, and a finding's measured value and limit
 * are shown in the display unit, ratios as percentages.
 */
import type { Finding } from '../rules/types.js';
import { formatChange, formatDistance, formatElevation, formatNumber, formatPercent, METRES_PER_FOOT, METRES_PER_MILE, type DisplayUnits } from './format.js';

const NUM = String.raw`(-?\d[\d,]*(?:\.\d+)?)`;

function parse(text: string): number {
  return Number(text.replace(/,/g, ''));
}

function decimalsOf(text: string): number {
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * Rewrites the metric quantities in a sentence for the display units:
 * `14.0 km` → `8.7 mi`, `6,107 m` → `20,036 ft`, `5:21/km` → `8:36/mi`,
 * `3.0 m/s` → `6.7 mph`, `1.05 m` step lengths → inches. Text without
 * numbers and units, and everything with km units, is returned unchanged.
 *
 * @example
 * localizeText('This 14.0 km run was 1.47× your longest (9.5 km)', 'mi'); // 'This 8.7 mi run was 1.47× your longest (5.9 mi)'
 */
export function localizeText(text: string, units: DisplayUnits): string {
  if (units === 'km') return text;
  return text
    .replace(new RegExp(String.raw`(\d{1,2}):(\d\d) ?(?:min )?(?:/|per )km\b`, 'g'), (_, m: string, s: string) => {
      const secPerKm = Number(m) * 60 + Number(s);
      const secPerMi = Math.round((secPerKm * METRES_PER_MILE) / 1000);
      return `${Math.floor(secPerMi / 60)}:${String(secPerMi % 60).padStart(2, '0')}/mi`;
    })
    .replace(new RegExp(`${NUM} ?km/h\\b`, 'g'), (_, n: string) => `${formatNumber((parse(n) * 1000) / METRES_PER_MILE, 1)} mph`)
    .replace(new RegExp(`${NUM} ?m/s\\b`, 'g'), (_, n: string) => `${formatNumber((parse(n) * 3600) / METRES_PER_MILE, 1)} mph`)
    .replace(new RegExp(`${NUM}( ?)km\\b`, 'g'), (_, n: string, sp: string) => `${formatNumber((parse(n) * 1000) / METRES_PER_MILE, Math.max(1, decimalsOf(n)))}${sp}mi`)
    .replace(new RegExp(`${NUM} ?cm\\b`, 'g'), (_, n: string) => `${formatNumber(parse(n) / 2.54, 1)} in`)
    .replace(new RegExp(`${NUM}( ?)m\\b(?!/)`, 'g'), (_, n: string, sp: string) => {
      const v = parse(n);
      // Step lengths (about a metre, given with decimals) read in inches; heights and distances in feet.
      return decimalsOf(n) >= 2 && Math.abs(v) < 3 ? `${formatNumber(v / 0.0254, 1)}${sp}in` : `${formatNumber(v / METRES_PER_FOOT, 0)}${sp}ft`;
    })
    .replace(/\bper km\b/g, 'per mi')
    .replace(/\/km\b/g, '/mi');
}

/**
 * A finding's measured value in the display units (ratios as percentages),
 * or `null` when it has none.
 *
 * @example
 * findingValue(1.47, 'ratio', 'session-spike', 'mi'); // '147 %'
 * findingValue(0.38, 'ratio', 'weekly-increase', 'mi'); // '+38 %'
 */
export function findingValue(value: number | null, unit: string, rule: string, units: DisplayUnits): string | null {
  if (value === null || !Number.isFinite(value)) return null;
  switch (unit) {
    case 'm':
      // Descents are heights; everything else in metres is a distance.
      return /descent|downhill/.test(rule) ? formatElevation(value, units) : formatDistance(value, units, 1);
    case 's':
      return `${formatNumber(value / 60, 0)} min`;
    case 'spm':
      return `${formatNumber(value, 0)} spm`;
    case 'days':
      return `${formatNumber(value, 0)} days`;
    case 'share':
      return formatPercent(value);
    case 'z':
      return `${formatNumber(value, 2)} SD`;
    case 'ratio':
      // A change (weekly increase: 0.38 = +38 %) or a multiple (spike: 1.47 = 147 % of the reference).
      return rule === 'weekly-increase' ? formatChange(value) : formatPercent(value);
    default:
      return unit === '' ? formatNumber(value, 2) : `${formatNumber(value, 2)} ${unit}`;
  }
}

/**
 * "measured …, limit …" for a finding, in the display units; `null` without a measured value.
 *
 * @example
 * findingMeasure(finding, 'mi'); // 'measured 3.8 mi, limit 3.1 mi'
 */
export function findingMeasure(f: Finding, units: DisplayUnits): string | null {
  const observed = findingValue(f.observed, f.unit, f.rule, units);
  if (observed === null) return null;
  const threshold = findingValue(f.threshold, f.unit, f.rule, units);
  return threshold !== null ? `measured ${observed}, limit ${threshold}` : `measured ${observed}`;
}
