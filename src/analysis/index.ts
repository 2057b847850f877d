/**
 * Analysis stage: Activity → {@link ActivitySummary} (per activity) →
 * {@link TrainingHistory} (across activities). Plain JSON out, no typed arrays.
 */
export type * from './types.js';
export { summarizeActivity, downhillCategory, banisterTrimp } from './summarize.js';
export { analyzeHistory, EWMA_ACUTE_LAMBDA, EWMA_CHRONIC_LAMBDA } from './history.js';
export {
  deduplicateActivities,
  DUPLICATE_MAX_DISTANCE_DIFF,
  DUPLICATE_MIN_OVERLAP,
  type DeduplicatedActivities,
  type DuplicateMatch,
} from './duplicates.js';
export { zonesFromNeighbours } from './zone.js';
export {
  DEFAULT_ANALYSIS_OPTIONS,
  DEFAULT_HISTORY_OPTIONS,
  type AnalysisOptions,
  type HistoryOptions,
  type AltitudeSourceOption,
} from './options.js';
export {
  expectedCadenceSpm,
  expectedStepLengthM,
  isExtrapolatedSpeed,
  VAN_OEVEREN_2019,
  type ExpectedCadenceOptions,
} from './expected.js';
export { minettiCostJPerKgM, gradeSpeedFactor } from './gap.js';
export { classifyActivity, isTreadmillSubSport } from './classify.js';
export { ascentDescentM, ELEVATION_PARAMS, RESAMPLE_STEP_M } from './elevation.js';
export {
  activityExtrasOf,
  cadenceHistogramOf,
  elevationProfileOf,
  mergeCadenceHistograms,
  type ActivityExtras,
  type ExtrasRequest,
  type CadenceHistogram,
  type CadenceHistogramOptions,
  type ElevationProfile,
  type ElevationProfileOptions,
} from './extras.js';
