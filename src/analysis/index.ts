import type { Activity } from '../activity.js';
import { StridewiseError } from '../errors.js';
import type { ActivitySummary, TrainingHistory } from './types.js';

export type * from './types.js';

/** Options of {@link summarizeActivity}. */
export interface AnalysisOptions {
  readonly heightM?: number;
  readonly timeZone?: string;
}
/** Options of {@link analyzeHistory}. */
export interface HistoryOptions {
  readonly timeZone?: string;
  readonly weekStartsOn?: number;
}

/** Summarises one activity. */
export function summarizeActivity(_activity: Activity, _options: AnalysisOptions = {}): ActivitySummary {
  throw new StridewiseError('INTERNAL', 'summarizeActivity is not available yet');
}

/** Builds the training history across activities. */
export function analyzeHistory(_summaries: readonly ActivitySummary[], _options: HistoryOptions = {}): TrainingHistory {
  throw new StridewiseError('INTERNAL', 'analyzeHistory is not available yet');
}
