/**
 * Runs compiled custom rules over summaries. No mathjs import here: the
 * compiled rules carry their own evaluators.
 */
import type { ActivitySummary, SessionLoad } from '../../analysis/types.js';
import type { Finding } from '../types.js';
import { makeFinding } from '../util.js';
import { findCustomRuleField, readFields } from './fields.js';
import type { CompiledCustomRules, FieldValue } from './types.js';

const PLACEHOLDER = /\{([A-Za-z0-9_.]+)\}/g;

function show(value: FieldValue | undefined): string {
  if (value === null || value === undefined) return 'n/a';
  if (typeof value === 'number') return String(Math.round(value * 100) / 100);
  return String(value);
}

/**
 * Findings of the custom rules. A rule does not fire on an activity missing
 * any field its condition reads; an evaluation error becomes an `info`
 * finding instead of an exception.
 */
export function customRuleFindings(
  compiled: CompiledCustomRules,
  summaries: readonly ActivitySummary[],
  sessionOf: (id: string) => SessionLoad | null,
  disabled: ReadonlySet<string>,
): Finding[] {
  const out: Finding[] = [];
  for (const rule of compiled.rules) {
    const ruleId = `custom:${rule.id}`;
    if (disabled.has(ruleId)) continue;
    const placeholders = [...rule.message.matchAll(PLACEHOLDER)].map((m) => m[1]!);
    const names = [...new Set([...rule.fields, ...placeholders, ...(rule.observedField === null ? [] : [rule.observedField])])];
    for (const s of summaries) {
      if (rule.appliesTo === 'running' && s.activityClass !== 'running') continue;
      const values = readFields(names, s, sessionOf(s.id));
      if (rule.fields.some((f) => values.get(f) === null)) continue;
      const conditionValues = new Map(rule.fields.map((f) => [f, values.get(f) ?? null]));
      let fired: boolean;
      try {
        fired = rule.test(conditionValues);
      } catch (error) {
        out.push(
          makeFinding({
            rule: ruleId,
            severity: 'info',
            activityId: s.id,
            date: s.localDate,
            unit: '',
            evidence: rule.evidence,
            message: `Custom rule '${rule.id}' could not be evaluated on this run: ${error instanceof Error ? error.message : String(error)}`,
            details: { evaluationError: true },
          }),
        );
        continue;
      }
      if (!fired) continue;
      const observed = rule.observedField === null ? null : values.get(rule.observedField);
      const details: Record<string, number | string | boolean | null> = {};
      for (const f of rule.fields) details[f] = values.get(f) ?? null;
      out.push(
        makeFinding({
          rule: ruleId,
          severity: rule.severity,
          activityId: s.id,
          date: s.localDate,
          observed: typeof observed === 'number' ? observed : null,
          unit: rule.observedField === null ? '' : (findCustomRuleField(rule.observedField)?.unit ?? ''),
          evidence: rule.evidence,
          message: rule.message.replace(PLACEHOLDER, (_m, name: string) => show(values.get(name))),
          advice: rule.advice,
          details,
        }),
      );
    }
  }
  return out;
}
