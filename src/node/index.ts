/**
 * stridewise for Node.js: files, folders, gzip and zip exports (Garmin, Strava).
 * @packageDocumentation
 */
export * from '../index.js';
export * from './load.js';
export { analyzeExport, type ExportOptions, type ExportAnalysis, type ExportFileError, type ExportStats, type ExportDuplicate } from './pipeline.js';
export { autoWorkerCount, DEFAULT_WORKER_HEAP_MB, type WorkerSizing } from './workers.js';
export type { ExportMetadata, GarminTypeIndex } from './garmin.js';
