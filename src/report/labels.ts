/**
 * Words for the codes a report would otherwise show raw: data-quality flags
 * of a run (`GPS_SPEED_GLITCHES` → "GPS speed glitches").
 */

const QUALITY_WORDS: Readonly<Record<string, string>> = {
  ALTITUDE_DRIFT: 'altitude drifts',
  ALTITUDE_SPIKES: 'altitude spikes',
  CADENCE_SPARSE: 'cadence missing in places',
  CADENCE_UNIT_UNSURE: 'cadence unit uncertain',
  DISTANCE_NOT_MONOTONIC: 'distance goes backwards',
  GPS_ALTITUDE: 'GPS altitude (less precise)',
  GPS_SPEED_GLITCHES: 'GPS speed glitches',
  NO_ALTITUDE: 'no altitude',
  NO_CADENCE: 'no cadence',
  NO_SPEED: 'no speed',
  NO_TIME: 'no time',
  SHORT_RUN: 'short run',
  TREADMILL_SPEED: 'treadmill speed estimated',
};

/**
 * A data-quality code in words; unknown codes are lower-cased with spaces.
 *
 * @example
 * qualityText('GPS_SPEED_GLITCHES'); // 'GPS speed glitches'
 */
export function qualityText(code: string): string {
  return QUALITY_WORDS[code] ?? code.toLowerCase().replace(/_/g, ' ');
}
