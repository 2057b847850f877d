/**
 * Number and unit formatting for the text and HTML reports. Locale-free on
 * purpose: the same report renders the same bytes on every machine.
 */

/** Display units of distances in reports. Data stay in metres; only the rendering changes. */
export type DisplayUnits = 'km' | 'mi';

/** Metres in one statute mile (international mile, exact). */
export const METRES_PER_MILE = 1609.344;
/** Metres in one foot (international foot, exact). */
export const METRES_PER_FOOT = 0.3048;

/**
 * A number with a fixed count of decimals and thin grouping of thousands,
 * or `–` when it is not finite.
 *
 * @example
 * formatNumber(12345.678, 1); // "12,345.7"
 * formatNumber(NaN, 0);       // "–"
 */
export function formatNumber(value: number | null | undefined, decimals: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  const fixed = (Math.abs(value) < 0.5 * 10 ** -decimals ? 0 : value).toFixed(decimals);
  const [intPart = '0', frac] = fixed.split('.');
  const negative = intPart.startsWith('-');
  const digits = negative ? intPart.slice(1) : intPart;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

/**
 * A distance given in metres, in kilometres or miles.
 *
 * @example
 * formatDistance(12345, 'km'); // "12.3 km"
 * formatDistance(1609.344, 'mi'); // "1.0 mi"
 */
export function formatDistance(distanceM: number | null | undefined, units: DisplayUnits, decimals = 1): string {
  if (distanceM === null || distanceM === undefined || !Number.isFinite(distanceM)) return '–';
  return `${formatNumber(toDisplayDistance(distanceM, units), decimals)} ${units}`;
}

/**
 * Metres to the display unit (km or mi), as a number.
 *
 * @example
 * toDisplayDistance(1609.344, 'mi'); // 1
 */
export function toDisplayDistance(distanceM: number, units: DisplayUnits): number {
  return units === 'km' ? distanceM / 1000 : distanceM / METRES_PER_MILE;
}

/**
 * A height difference given in metres: metres with km units, feet with miles.
 *
 * @example
 * formatElevation(100, 'km'); // "100 m"
 * formatElevation(100, 'mi'); // "328 ft"
 */
export function formatElevation(heightM: number | null | undefined, units: DisplayUnits): string {
  if (heightM === null || heightM === undefined || !Number.isFinite(heightM)) return '–';
  return units === 'km' ? `${formatNumber(heightM, 0)} m` : `${formatNumber(heightM / METRES_PER_FOOT, 0)} ft`;
}

/**
 * A step length given in metres: metres with km units, inches with miles.
 *
 * @example
 * formatStepLength(1.05, 'km'); // "1.05 m"
 * formatStepLength(1.05, 'mi'); // "41.3 in"
 */
export function formatStepLength(lengthM: number | null | undefined, units: DisplayUnits): string {
  if (lengthM === null || lengthM === undefined || !Number.isFinite(lengthM)) return '–';
  return units === 'km' ? `${formatNumber(lengthM, 2)} m` : `${formatNumber(lengthM / 0.0254, 1)} in`;
}

/**
 * A speed in metres per second as a running pace, min:ss per km or mile.
 *
 * @example
 * formatPace(1000 / 330, 'km'); // "5:30/km"
 */
export function formatPace(speedMps: number | null | undefined, units: DisplayUnits): string {
  if (speedMps === null || speedMps === undefined || !Number.isFinite(speedMps) || speedMps <= 0) return '–';
  const unitM = units === 'km' ? 1000 : METRES_PER_MILE;
  const totalS = Math.round(unitM / speedMps);
  const min = Math.floor(totalS / 60);
  const sec = totalS % 60;
  return `${min}:${String(sec).padStart(2, '0')}/${units}`;
}

/**
 * A speed in metres per second as km/h or mph (for rides and swims, where pace reads oddly).
 *
 * @example
 * formatSpeed(10, 'km'); // "36.0 km/h"
 * formatSpeed(10, 'mi'); // "22.4 mph"
 */
export function formatSpeed(speedMps: number | null | undefined, units: DisplayUnits): string {
  if (speedMps === null || speedMps === undefined || !Number.isFinite(speedMps) || speedMps < 0) return '–';
  return units === 'km' ? `${formatNumber(speedMps * 3.6, 1)} km/h` : `${formatNumber((speedMps * 3600) / METRES_PER_MILE, 1)} mph`;
}

/**
 * A duration in seconds as `h:mm:ss` (or `m:ss` under an hour).
 *
 * @example
 * formatDuration(3725); // "1:02:05"
 * formatDuration(65);   // "1:05"
 */
export function formatDuration(timeS: number | null | undefined): string {
  if (timeS === null || timeS === undefined || !Number.isFinite(timeS) || timeS < 0) return '–';
  const total = Math.round(timeS);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}` : `${m}:${String(s).padStart(2, '0')}`;
}

/**
 * A ratio as a signed percentage (`0.125` → `+12.5 %` with one decimal,
 * `+13 %` with none).
 *
 * @example
 * formatChange(0.125, 0); // "+13 %"
 * formatChange(-0.2, 0);  // "-20 %"
 */
export function formatChange(ratio: number | null | undefined, decimals = 0): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '–';
  const pct = ratio * 100;
  const text = formatNumber(pct, decimals);
  return `${pct > 0 && text !== formatNumber(0, decimals) ? '+' : ''}${text} %`;
}

/**
 * A share (0..1) as a percentage without sign.
 *
 * @example
 * formatPercent(0.456); // "46 %"
 */
export function formatPercent(share: number | null | undefined, decimals = 0): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '–';
  return `${formatNumber(share * 100, decimals)} %`;
}
