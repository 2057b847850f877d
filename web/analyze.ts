/**
 * One file's bytes into summaries and chart extras: what each of the page's
 * workers runs (and the page itself when no worker can start). The same
 * steps as the command's workers: `parseActivities`, `summarizeActivity`,
 * `activityExtrasOf`, then the activities and their samples are dropped.
 */
import { activityExtrasOf, type ActivityExtras, type ExtrasRequest } from '../src/analysis/extras.js';
import type { AnalysisOptions } from '../src/analysis/options.js';
import { summarizeActivity } from '../src/analysis/summarize.js';
import type { ActivitySummary } from '../src/analysis/types.js';
import { type ErrorCode, isStridewiseError } from '../src/errors.js';
import { parseActivities, type ParseOptions } from '../src/parse/index.js';

/** Messages to a worker: its start data once, then one task per file. */
export type WorkerRequest =
  | { readonly kind: 'init'; readonly analysis: AnalysisOptions; readonly extras: ExtrasRequest }
  | { readonly kind: 'task'; readonly taskId: number; readonly bytes: Uint8Array; readonly parse: ParseOptions };

/** A worker's answer to one task. */
export type WorkerReply =
  | { readonly kind: 'ready' }
  | { readonly kind: 'done'; readonly taskId: number; readonly summaries: ActivitySummary[]; readonly extras: ActivityExtras[] }
  | { readonly kind: 'failed'; readonly taskId: number; readonly code: ErrorCode; readonly message: string };

/**
 * Parses one file and summarises each activity, with its extras.
 *
 * @throws {StridewiseError} any parse error of the file.
 * @example const { summaries } = await analyzeBytes(bytes, { fileName: 'run.fit' }, {}, { cadenceHistogram: true });
 */
export async function analyzeBytes(
  bytes: Uint8Array,
  parse: ParseOptions,
  analysis: AnalysisOptions,
  extras: ExtrasRequest,
): Promise<{ summaries: ActivitySummary[]; extras: ActivityExtras[] }> {
  const activities = await parseActivities(bytes, parse);
  const summaries = activities.map((a) => summarizeActivity(a, analysis));
  return { summaries, extras: activities.map((a, i) => activityExtrasOf(a, summaries[i]!, extras)) };
}

/**
 * Code and message of a failure, worded as the command words it.
 *
 * @example describeError(new Error('boom'), 'a.fit') // { code: 'INTERNAL', message: 'unexpected failure reading a.fit: boom' }
 */
export function describeError(error: unknown, fileName: string | undefined): { code: ErrorCode; message: string } {
  if (isStridewiseError(error)) return { code: error.code, message: error.message };
  const what = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `unexpected failure${fileName !== undefined ? ` reading ${fileName}` : ''}: ${what}` };
}
