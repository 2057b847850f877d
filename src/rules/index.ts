/**
 * The rules stage: summaries and training history in, findings out.
 *
 * Rules never throw on data: thin or untrustworthy data gives an `info`
 * finding that says what was not judged and why. Configuration errors are
 * thrown when options are validated ({@link resolveRuleOptions}).
 */
import { deduplicateActivities } from '../analysis/duplicates.js';
import type { ActivitySummary, CadenceBaseline, SessionLoad, TrainingHistory } from '../analysis/types.js';
import { customRuleFindings } from './custom/run.js';
import { cadenceAndStrideFindings, dataQualityFinding, downhillFormFindings, downhillLoadFindings, gateRun, type RunGate } from './form.js';
import { cadenceTargetFindings, shoeMileageFindings } from './history-rules.js';
import { acwrFindings, descentSpikeFindings, returnFromBreakFindings, sessionSpikeFindings, weeklyIncreaseFindings } from './load.js';
import { resolveRuleOptions, type RuleOptions } from './options.js';
import type { Finding } from './types.js';
import { compareFindings } from './util.js';

export type * from './types.js';
export {
  BUILT_IN_RULE_IDS,
  DEFAULT_RULE_OPTIONS,
  resolveRuleOptions,
  validateRuleOptions,
  type AcwrOptions,
  type BuiltInRuleId,
  type CadenceTargetOptions,
  type DataQualityOptions,
  type DescentSpikeOptions,
  type DownhillHeavyOptions,
  type DownhillOverstridingOptions,
  type LowCadenceMode,
  type LowCadenceOptions,
  type OverstridingOptions,
  type ResolvedRuleOptions,
  type ReturnFromBreakOptions,
  type RuleOptions,
  type SessionSpikeOptions,
  type ShoeMileageOptions,
  type WeeklyIncreaseOptions,
} from './options.js';
export { compileCustomRules } from './custom/compile.js';
export { CUSTOM_RULE_FIELDS, type CustomRuleField } from './custom/fields.js';
export { isCompiledCustomRules, type CompiledCustomRule, type CompiledCustomRules, type CustomRuleDefinition, type FieldValue } from './custom/types.js';
export { compareFindings } from './util.js';

/**
 * Evaluates every enabled rule on a training history and its activity
 * summaries, and returns the findings in a deterministic order (date, rule,
 * activity id, week, span; see {@link compareFindings}). The order of
 * `summaries` does not matter.
 *
 * Run-level rules (low cadence, overstriding, downhill form and load, data
 * quality, custom rules) look at summaries of class `running`; load rules
 * look at `history.sessions`; shoe mileage at `history.gear`.
 *
 * @param history - From `analyzeHistory`.
 * @param given - From `summarizeActivity`; copies of the same activity (the same run from two files) are judged once unless `options.deduplicate` is false.
 * @param options - Partial rule options; defaults in docs/rules.md. Custom
 *   rules must be compiled first with {@link compileCustomRules} (async).
 * @returns Findings, plain JSON.
 * @throws StridewiseError `INVALID_OPTION` for bad options (never for data).
 *
 * @example
 * ```ts
 * const summaries = activities.map((a) => summarizeActivity(a));
 * const history = analyzeHistory(summaries);
 * const findings = evaluateRules(history, summaries, { 'low-cadence': { mode: 'speed-adjusted' } });
 * for (const f of findings) console.log(f.severity, f.rule, f.message);
 * ```
 */
export function evaluateRules(history: TrainingHistory, given: readonly ActivitySummary[], options: RuleOptions = {}): Finding[] {
  const o = resolveRuleOptions(options);
  const findings: Finding[] = [];
  const summaries = o.deduplicate ? deduplicateActivities(given).summaries : given;
  // Card C3: each run is judged against the baseline of the runs before its day (from its session),
  // falling back to the history's latest baseline for histories built without per-session baselines.
  const sessionOf = new Map<string, SessionLoad>();
  for (const session of history.sessions) for (const id of session.activityIds) sessionOf.set(id, session);
  const baselineFor = (id: string): CadenceBaseline | null => {
    const session = sessionOf.get(id);
    if (session !== undefined && session.cadenceBaseline !== undefined) return session.cadenceBaseline;
    return history.cadenceBaseline ?? null;
  };

  const runs: { summary: ActivitySummary; gate: RunGate }[] = [];
  for (const s of summaries) {
    if (s.activityClass !== 'running') continue;
    const baseline = baselineFor(s.id);
    const gate = gateRun(s, o);
    runs.push({ summary: s, gate });
    findings.push(...cadenceAndStrideFindings(s, gate, o, baseline));
    findings.push(...downhillFormFindings(s, gate, o, baseline));
    findings.push(...downhillLoadFindings(s, o));
    const dq = dataQualityFinding(s, gate, o);
    if (dq !== null) findings.push(dq);
  }
  findings.push(...cadenceTargetFindings(history, runs, o));
  findings.push(...sessionSpikeFindings(history, o));
  findings.push(...returnFromBreakFindings(history, o));
  findings.push(...weeklyIncreaseFindings(history, o));
  findings.push(...acwrFindings(history, o));
  findings.push(...descentSpikeFindings(history, o));
  findings.push(...shoeMileageFindings(history, summaries, o));

  if (o.customRules !== null) {
    findings.push(...customRuleFindings(o.customRules, summaries, (id) => sessionOf.get(id) ?? null, new Set(o.disable)));
  }
  return findings.sort(compareFindings);
}
