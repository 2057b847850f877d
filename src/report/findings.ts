/**
 * How findings are presented: grouped into events (one run or one day:
 * its session spike, the 7-day increase and the ACWR note of the same day
 * make one card), most recent first, with the strongest severity leading;
 * "not judged" data-quality notes kept apart.
 */
import type { Finding, Severity } from '../rules/types.js';
import { compareText } from './model.js';

/** One card: the findings about one day (or one week, or one shoe), strongest first. */
export interface FindingEvent {
  /** Grouping key: the local date, `week:<start>` or `other:<n>`. */
  readonly key: string;
  /** Local date of the event, or the week start, `null` for findings about the whole history. */
  readonly date: string | null;
  /** Strongest severity among its findings. */
  readonly severity: Severity;
  /** The run the first finding is about, if any. */
  readonly activityId: string | null;
  /** Strongest first; ties in rule order. */
  readonly findings: readonly Finding[];
}

/** Findings split for display. */
export interface FindingGroups {
  /** Most recent first; undated (whole-history) events last. */
  readonly events: readonly FindingEvent[];
  /** Data-quality notes ("not judged on this run"), most recent first. */
  readonly notes: readonly Finding[];
}

const RANK: Readonly<Record<Severity, number>> = { warning: 2, caution: 1, info: 0 };

/** True for a note that says what was not judged and why, rather than a finding about training or form. */
export function isDataNote(f: Finding): boolean {
  return f.rule === 'data-quality';
}

function compareStrength(a: Finding, b: Finding): number {
  return RANK[b.severity] - RANK[a.severity] || compareText(a.rule, b.rule) || compareText(a.message, b.message);
}

/**
 * Groups findings into events and notes. Deterministic: the same findings
 * in any order give the same groups.
 *
 * @example
 * const { events, notes } = groupFindings(report.findings);
 * events[0].findings[0].severity; // the strongest finding of the most recent event
 */
export function groupFindings(findings: readonly Finding[]): FindingGroups {
  const notes = findings.filter(isDataNote).sort((a, b) => compareText(b.date ?? '', a.date ?? '') || compareStrength(a, b));
  const byKey = new Map<string, Finding[]>();
  let other = 0;
  for (const f of findings) {
    if (isDataNote(f)) continue;
    const key = f.date !== null ? f.date : f.week !== null ? `week:${f.week}` : `other:${String(other++).padStart(6, '0')}:${f.rule}`;
    const list = byKey.get(key);
    if (list === undefined) byKey.set(key, [f]);
    else list.push(f);
  }
  const events: FindingEvent[] = [...byKey.entries()].map(([key, list]) => {
    const sorted = [...list].sort(compareStrength);
    const first = sorted[0]!;
    return {
      key,
      date: first.date ?? first.week,
      severity: first.severity,
      activityId: sorted.find((f) => f.activityId !== null)?.activityId ?? null,
      findings: sorted,
    };
  });
  events.sort((a, b) => {
    if (a.date === null || b.date === null) return a.date === b.date ? compareText(a.key, b.key) : a.date === null ? 1 : -1;
    return compareText(b.date, a.date) || RANK[b.severity] - RANK[a.severity] || compareText(a.key, b.key);
  });
  return { events, notes };
}
