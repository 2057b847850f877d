/**
 * Activity classes for knee load (science card X1).
 */
import type { Sport, SubSport } from '../activity.js';
import type { ActivityClass } from './types.js';

const WALKING_SPORTS = new Set<string>(['walking', 'hiking', 'mountaineering', 'snowshoeing']);
const LOW_IMPACT_SPORTS = new Set<string>(['cycling', 'swimming', 'rowing', 'e_biking', 'paddling', 'kayaking', 'stand_up_paddleboarding']);
const LOW_IMPACT_SUB_SPORTS = new Set<string>(['elliptical', 'indoor_rowing', 'indoor_cycling', 'spin', 'lap_swimming', 'open_water']);
const TREADMILL_SUB_SPORTS = new Set<string>(['treadmill', 'indoor_running', 'indoor_walking']);

/**
 * Knee-load class of a sport: `running` (running, incl. trail, track,
 * treadmill), `walking` (walking, hiking, stair climbing), `low-impact`
 * (cycling, swimming, rowing, elliptical, indoor rowing and cycling) or `other`.
 * @example classifyActivity('fitness_equipment', 'elliptical') // 'low-impact'
 */
export function classifyActivity(sport: Sport, subSport: SubSport): ActivityClass {
  if (sport === 'running') return 'running';
  if (WALKING_SPORTS.has(sport) || subSport === 'stair_climbing') return 'walking';
  if (LOW_IMPACT_SPORTS.has(sport) || LOW_IMPACT_SUB_SPORTS.has(subSport)) return 'low-impact';
  return 'other';
}

/**
 * True for treadmill / indoor running sub-sports (speed from an accelerometer, no elevation).
 * @example isTreadmillSubSport('indoor_running') // true
 */
export function isTreadmillSubSport(subSport: SubSport): boolean {
  return TREADMILL_SUB_SPORTS.has(subSport);
}
