/**
 * stridewise for Node.js: files, folders, gzip and zip exports (Garmin, Strava).
 * @packageDocumentation
 */
export * from '../index.js';
export * from './load.js';
