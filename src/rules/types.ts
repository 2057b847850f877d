/**
 * Findings: what the rules say. Plain JSON, sorted deterministically.
 *
 * @example
 * ```ts
 * const f: Finding = {
 *   rule: 'session-spike', severity: 'caution', activityId: '2025-04-27T07:00:00Z-running-0', week: null,
 *   date: '2025-04-27', span: null, observed: 1.47, threshold: 1.1, unit: 'ratio',
 *   evidence: { grade: 'A', reference: 'Frandsen et al. 2025, BJSM 59:1203' },
 *   message: 'This 14.0 km run was 1.47× your longest run of the previous 30 days (9.5 km): …',
 *   advice: ['Runs up to 10.5 km …'], details: { refLongestM: 9500, tier: 'moderate' },
 * };
 * ```
 */

import type { BuiltInRuleId } from './options.js';

/**
 * Id of the rule behind a finding: a built-in id, or `custom:<id>` for a
 * custom rule (the `string & {}` keeps editor completion of the built-in ids).
 */
export type FindingRule = BuiltInRuleId | (string & {});

/** How loud a finding is. */
export type Severity = 'info' | 'caution' | 'warning';

/** Evidence behind a rule (docs/algorithms.md grades). */
export interface Evidence {
  /** A: RCT/meta-analysis/large cohort with injury outcome … D: convention or expert opinion. */
  readonly grade: 'A' | 'B' | 'C' | 'D';
  /** Short reference, e.g. "Frandsen et al. 2025, BJSM 59:1203". */
  readonly reference: string;
}

/** One finding. */
export interface Finding {
  /** Stable rule id: one of `BUILT_IN_RULE_IDS` (`low-cadence`, `weekly-increase`, `session-spike`, …), or `custom:<id>` for a custom rule. */
  readonly rule: FindingRule;
  readonly severity: Severity;
  /** The run it is about, if any. */
  readonly activityId: string | null;
  /** The week it is about (`YYYY-MM-DD` week start), if any. */
  readonly week: string | null;
  /** Local date of the run or session, if any. */
  readonly date: string | null;
  /** Part of a run, when the finding is about a stretch. */
  readonly span: { readonly startS: number; readonly endS: number; readonly startM: number; readonly endM: number } | null;
  /** The measured value (in `unit`). */
  readonly observed: number | null;
  /** The threshold it was compared with (in `unit`). */
  readonly threshold: number | null;
  /** Unit of `observed` and `threshold`: `spm`, `z` (population SDs), `ratio` (1.1 = 110 %, or a change: 0.1 = +10 %), `m`, `share` (0–1); empty when there is no number. */
  readonly unit: string;
  readonly evidence: Evidence;
  /** What was seen, in words a runner understands ("associated with", never "causes"). */
  readonly message: string;
  /** What to do about it. */
  readonly advice: readonly string[];
  /** Further numbers behind the finding. */
  readonly details: Readonly<Record<string, number | string | boolean | null>>;
}
