/**
 * stridewise core: parsers, analysis and rules. Runs in Node and in browsers
 * (no Node built-ins here; file, folder and archive loading is in `stridewise/node`).
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
export * from './analysis/index.js';
export * from './rules/index.js';
export * from './report/index.js';
