/**
 * The local zone of activities whose times carry no UTC offset (GPX and TCX
 * store `Z` times only): the IANA zone at the first position fix, from an
 * offline zone-from-coordinates table (`@photostructure/tz-lookup`, CC0,
 * 73 kB, no I/O, browser-safe). The table is imported on first need only,
 * so FIT-only use and plain imports of the library never load it.
 */
import type { Activity } from '../activity.js';

type Lookup = (latDeg: number, lonDeg: number) => string;
let lookupPromise: Promise<Lookup> | null = null;

function loadLookup(): Promise<Lookup> {
  lookupPromise ??= import('@photostructure/tz-lookup').then((m) => {
    const f = (m as { default?: unknown }).default ?? m;
    return f as Lookup;
  });
  return lookupPromise;
}

/** First sample with a usable position (latitude and longitude finite, in range, not both zero). */
export function firstFix(activity: Activity): { latDeg: number; lonDeg: number } | null {
  const { latDeg, lonDeg } = activity.samples;
  const n = Math.min(latDeg.length, lonDeg.length);
  for (let i = 0; i < n; i++) {
    const lat = latDeg[i]!;
    const lon = lonDeg[i]!;
    if (Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && !(lat === 0 && lon === 0)) {
      return { latDeg: lat, lonDeg: lon };
    }
  }
  return null;
}

/**
 * IANA zone at a position with the given lookup, or null where the table
 * answers only a nautical `Etc/` zone or a zone this runtime's `Intl` does not know.
 */
function zoneWith(lookup: Lookup, latDeg: number, lonDeg: number): string | null {
  let zone: unknown;
  try {
    zone = lookup(latDeg, lonDeg);
  } catch {
    return null;
  }
  if (typeof zone !== 'string' || zone === '' || zone.startsWith('Etc/')) return null;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return null;
  }
  return zone;
}

/**
 * IANA zone at a position (latitude, longitude in degrees), or null (out of
 * range, at sea, unknown to `Intl`). Loads the zone table on first use.
 * @example await zoneAtPosition(47.3769, 8.5417) // 'Europe/Zurich'
 */
export async function zoneAtPosition(latDeg: number, lonDeg: number): Promise<string | null> {
  if (!Number.isFinite(latDeg) || !Number.isFinite(lonDeg) || Math.abs(latDeg) > 90 || Math.abs(lonDeg) > 180) return null;
  return zoneWith(await loadLookup(), latDeg, lonDeg);
}

/**
 * Sets `positionTimeZone` on dated activities without a UTC offset that have
 * a position fix. Others are returned as they are (and the table is not loaded).
 */
export async function withPositionZones(activities: readonly Activity[]): Promise<Activity[]> {
  const out: Activity[] = [];
  for (const a of activities) {
    const needs = a.startTime !== undefined && (a.utcOffsetMin === undefined || !Number.isFinite(a.utcOffsetMin));
    const fix = needs ? firstFix(a) : null;
    const zone = fix !== null ? zoneWith(await loadLookup(), fix.latDeg, fix.lonDeg) : null;
    out.push(zone !== null ? { ...a, positionTimeZone: zone } : a);
  }
  return out;
}
