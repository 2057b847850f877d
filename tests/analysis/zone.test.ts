/**
 * Local dates without --tz: the same run in Tokyo written as GPX (UTC only)
 * and as FIT (with its +09:00 offset) lands on the same local day; a
 * treadmill TCX without positions takes the zone of the export's FIT nearest
 * in time; the option overrides all of them. Planted truth: 2025-03-30T20:00Z
 * is 2025-03-31 05:00 in Tokyo (UTC+9, no DST).
 */
import { describe, expect, it } from 'vitest';
import { summarizeActivity } from '../../src/analysis/index.js';
import { zonesFromNeighbours } from '../../src/analysis/zone.js';
import { parseActivities } from '../../src/parse/index.js';
import { zoneAtPosition } from '../../src/parse/zone.js';
import { encodeFitActivity, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { encodeGpx, type RecordingSpec } from '../../fixtures/lib/gpx-writer.js';
import { encodeTcx } from '../../fixtures/lib/tcx-writer.js';

const TOKYO = { lat0Deg: 35.68, lon0Deg: 139.76 };
const START = new Date('2025-03-30T20:00:00Z');

function spec(start: Date, positions: boolean, at = TOKYO): RecordingSpec {
  const s = steadyRunSamples({ seconds: 600, speedMps: 3, cadenceSpm: 170, ...at });
  return {
    startTime: start,
    sport: 'running',
    timeS: s.timeS,
    distanceM: s.distanceM,
    cadenceSpm: s.cadenceSpm,
    ...(positions ? { latDeg: s.latDeg, lonDeg: s.lonDeg, altitudeM: s.altitudeM } : {}),
  };
}

async function one(bytes: Uint8Array | string, timeZone?: string) {
  const [a] = await parseActivities(bytes);
  return summarizeActivity(a!, timeZone !== undefined ? { timeZone } : {});
}

describe('local dates without --tz', () => {
  it('a GPX in Tokyo gets Asia/Tokyo from its position, the same day as the FIT with its offset', async () => {
    const gpx = await one(encodeGpx(spec(START, true)));
    const fit = await one(encodeFitActivity({ startTime: START, samples: steadyRunSamples({ seconds: 600, speedMps: 3, cadenceSpm: 170, ...TOKYO }), utcOffsetMin: 540 }));
    expect([gpx.localDate, gpx.timeZone, gpx.timeZoneSource]).toEqual(['2025-03-31', 'Asia/Tokyo', 'position']);
    expect([fit.localDate, fit.timeZone, fit.timeZoneSource]).toEqual(['2025-03-31', '+09:00', 'file']);
  });

  it('a TCX in Zurich across the DST change gets CEST from its position (UTC+2 from 2025-03-30)', async () => {
    // 2025-03-30T22:30Z is 00:30 on the 31st in Zurich (CEST, +2) but still the 30th at +1
    const tcx = await one(encodeTcx(spec(new Date('2025-03-30T22:30:00Z'), true, { lat0Deg: 47.37, lon0Deg: 8.54 })));
    expect([tcx.localDate, tcx.timeZone, tcx.timeZoneSource]).toEqual(['2025-03-31', 'Europe/Zurich', 'position']);
  });

  it('the timeZone option overrides the position', async () => {
    const gpx = await one(encodeGpx(spec(START, true)), 'Europe/Berlin');
    expect([gpx.localDate, gpx.timeZone, gpx.timeZoneSource]).toEqual(['2025-03-30', 'Europe/Berlin', 'option']);
  });

  it('without positions the date is UTC, then the export\'s FIT nearest in time gives its offset', async () => {
    // treadmill TCX at 2025-04-01T15:30Z = 2025-04-02 00:30 in Tokyo
    const tcx = await one(encodeTcx(spec(new Date('2025-04-01T15:30:00Z'), false)));
    expect([tcx.localDate, tcx.timeZone, tcx.timeZoneSource]).toEqual(['2025-04-01', 'UTC', 'utc']);
    const fit = await one(encodeFitActivity({ startTime: START, samples: steadyRunSamples({ seconds: 600, speedMps: 3, cadenceSpm: 170, ...TOKYO }), utcOffsetMin: 540 }));
    const [zoned, same] = zonesFromNeighbours([tcx, fit]);
    expect([zoned!.localDate, zoned!.timeZone, zoned!.timeZoneSource]).toEqual(['2025-04-02', '+09:00', 'export']);
    expect(same).toBe(fit);
    // nothing within 14 days: left as UTC
    const far = { ...tcx, startTime: '2025-06-01T15:30:00.000Z' };
    expect(zonesFromNeighbours([far, fit])[0]).toBe(far);
  });

  it('positions at sea or out of range give no zone', async () => {
    expect(await zoneAtPosition(0, -140)).toBeNull(); // mid Pacific: a nautical Etc/ zone
    expect(await zoneAtPosition(91, 0)).toBeNull();
    expect(await zoneAtPosition(Number.NaN, 0)).toBeNull();
    expect(await zoneAtPosition(35.68, 139.76)).toBe('Asia/Tokyo');
  });
});
