import type { ActivitySummary, TrainingHistory } from '../analysis/types.js';
import { StridewiseError } from '../errors.js';
import type { Finding } from './types.js';

export type * from './types.js';

/** Options of {@link evaluateRules}. */
export interface RuleOptions {
  readonly minCadenceSpm?: number;
}

/** Evaluates every enabled rule. */
export function evaluateRules(_history: TrainingHistory, _summaries: readonly ActivitySummary[], _options: RuleOptions = {}): Finding[] {
  throw new StridewiseError('INTERNAL', 'evaluateRules is not available yet');
}
