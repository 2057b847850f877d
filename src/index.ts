/**
 * stridewise core: parsers, analysis, rules and reports. Runs in Node and in
 * browsers (no Node built-ins here; file, folder and archive loading is in
 * `stridewise/node`). This entry exports the public API only; the helpers
 * behind it (number formatting, HTML escaping, rounding) stay internal.
 * @packageDocumentation
 */
export * from './errors.js';
export type * from './activity.js';
export { parseActivities, detectFormat, type ParseOptions, type DetectedKind } from './parse/index.js';
export { DEFAULT_PARSE_LIMITS, type ParseLimits } from './parse/limits.js';
export { normalizeCadence, isFootSport, type CadenceUnitOption, type CadenceContext } from './parse/cadence.js';
export { applyExportSport, sportFromName, type SportLabel } from './parse/sport.js';
export { haversineM } from './parse/geo.js';
export { activityFromStreams, type StreamColumns, type StreamMeta, type StreamValues } from './parse/streams.js';
export { activityFromStravaStreams, stravaSport, type StravaStream, type StravaStreamSet, type StravaActivity, type StravaStreamOptions } from './parse/strava-streams.js';
export type * from './analysis/types.js';
export { summarizeActivity, downhillCategory, banisterTrimp } from './analysis/summarize.js';
export { analyzeHistory, EWMA_ACUTE_LAMBDA, EWMA_CHRONIC_LAMBDA } from './analysis/history.js';
export { createHistory, historyFromJSON, historyOf, HISTORY_STATE_FORMAT, type IncrementalHistory, type HistoryState, type HistoryWork } from './analysis/incremental-history.js';
export {
  deduplicateActivities,
  DUPLICATE_MAX_DISTANCE_DIFF,
  DUPLICATE_MIN_OVERLAP,
  type DeduplicatedActivities,
  type DuplicateMatch,
} from './analysis/duplicates.js';
export { zonesFromNeighbours } from './analysis/zone.js';
export {
  DEFAULT_ANALYSIS_OPTIONS,
  DEFAULT_HISTORY_OPTIONS,
  type AnalysisOptions,
  type HistoryOptions,
  type AltitudeSourceOption,
} from './analysis/options.js';
export {
  expectedCadenceSpm,
  expectedStepLengthM,
  isExtrapolatedSpeed,
  VAN_OEVEREN_2019,
  type ExpectedCadenceOptions,
} from './analysis/expected.js';
export { classifyActivity, isTreadmillSubSport } from './analysis/classify.js';
export { ascentDescentM, ELEVATION_PARAMS, RESAMPLE_STEP_M } from './analysis/elevation.js';
export {
  activityExtrasOf,
  cadenceHistogramOf,
  elevationProfileOf,
  mergeCadenceHistograms,
  runTraceOf,
  RUN_TRACE_POINTS,
  type ActivityExtras,
  type ExtrasRequest,
  type CadenceHistogram,
  type CadenceHistogramOptions,
  type ElevationProfile,
  type ElevationProfileOptions,
  type RunTrace,
  type RunSplit,
  type RunLap,
  type RunTraceOptions,
} from './analysis/extras.js';
export * from './rules/index.js';
export { analyzeActivities, DEFAULT_EXTRAS_REQUEST, type AnalyzeActivitiesOptions, type ActivitiesAnalysis } from './analyze.js';
export type { ActivityDuplicate } from './combine.js';
export {
  buildReport,
  REPORT_SCHEMA_VERSION,
  DEFAULT_MAX_WEEKLY_INCREASE_RATIO,
  type Report,
  type ReportInput,
  type ReportActivity,
  type ReportPeriod,
  type ReportSettings,
  type FileError,
  type DuplicateActivity,
} from './report/model.js';
export type { DisplayUnits } from './report/format.js';
export { renderText, type TextReportOptions } from './report/text.js';
export { renderHtml, type HtmlReportOptions } from './report/html.js';
export { renderJson, REPORT_JSON_SCHEMA } from './report/schema.js';
