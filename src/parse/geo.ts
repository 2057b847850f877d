import type { SampleColumns } from '../activity.js';

/** Mean Earth radius in metres (IUGG). */
export const EARTH_RADIUS_M = 6_371_008.8;

/**
 * Great-circle distance in metres between two WGS84 points (haversine).
 * @example haversineM(0, 0, 0, 1) // ≈ 111195 m (one degree of longitude at the equator)
 */
export function haversineM(lat1Deg: number, lon1Deg: number, lat2Deg: number, lon2Deg: number): number {
  const r = Math.PI / 180;
  const dLat = (lat2Deg - lat1Deg) * r;
  const dLon = (lon2Deg - lon1Deg) * r;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1Deg * r) * Math.cos(lat2Deg * r) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Fills, in place, `distanceM` from positions where the file gave no distance
 * at all, and `speedMps` from distance over time where the file gave no speed
 * at all. Mixed columns (some values given) are left as the device wrote them.
 * Returns which columns were derived.
 *
 * Derived speed is the centred difference of distance over time across
 * neighbouring samples, which halves GPS jitter compared with a one-sided
 * difference; where time is missing or does not advance, speed stays NaN.
 */
export function deriveDistanceAndSpeed(c: SampleColumns): { distance: boolean; speed: boolean } {
  const n = c.length;
  let hasDistance = false;
  let hasSpeed = false;
  for (let i = 0; i < n; i++) {
    if (!hasDistance && !Number.isNaN(c.distanceM[i]!)) hasDistance = true;
    if (!hasSpeed && !Number.isNaN(c.speedMps[i]!)) hasSpeed = true;
    if (hasDistance && hasSpeed) break;
  }
  let derivedDistance = false;
  if (!hasDistance) {
    let total = 0;
    let lastLat = Number.NaN;
    let lastLon = Number.NaN;
    let any = false;
    for (let i = 0; i < n; i++) {
      const lat = c.latDeg[i]!;
      const lon = c.lonDeg[i]!;
      if (Number.isNaN(lat) || Number.isNaN(lon)) continue;
      if (!Number.isNaN(lastLat)) total += haversineM(lastLat, lastLon, lat, lon);
      lastLat = lat;
      lastLon = lon;
      c.distanceM[i] = total;
      any = true;
    }
    derivedDistance = any;
  }
  let derivedSpeed = false;
  if (!hasSpeed) {
    for (let i = 0; i < n; i++) {
      const a = Math.max(0, i - 1);
      const b = Math.min(n - 1, i + 1);
      const dt = c.timeS[b]! - c.timeS[a]!;
      const dd = c.distanceM[b]! - c.distanceM[a]!;
      if (dt > 0 && Number.isFinite(dd)) {
        c.speedMps[i] = Math.max(0, dd / dt);
        derivedSpeed = true;
      }
    }
  }
  return { distance: derivedDistance, speed: derivedSpeed };
}
