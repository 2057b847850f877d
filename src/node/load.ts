import type { Activity } from '../activity.js';
import { StridewiseError } from '../errors.js';

/** One file's outcome. */
export interface LoadedFile {
  readonly path: string;
  readonly activities: Activity[];
  readonly error?: { readonly code: string; readonly message: string };
}
/** Options of {@link loadActivities}. */
export interface LoadOptions {
  onProgress?(done: number, total: number | undefined): void;
}

/** Loads files, folders and archives. */
export async function* loadActivities(_paths: string | string[], _options: LoadOptions = {}): AsyncIterable<LoadedFile> {
  throw new StridewiseError('INTERNAL', 'loadActivities is not available yet');
}
