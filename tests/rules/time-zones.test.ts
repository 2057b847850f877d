/**
 * The load rules do not depend on the time zone beyond the days that move:
 * the demo season read in Berlin (its own zone), Tokyo (+7/+8 h) and Honolulu
 * (−11/−12 h) gives the same weekly-increase and session-spike findings, of
 * the same severities, each within a week of where Berlin puts it (a run that
 * moves across midnight can end a different 7-day window). The mechanism
 * that once let a zone swallow a breach (an episode of breaches running on
 * through a lower stretch) is tested in load-references.test.ts; this guards
 * the whole rule set against any zone dependence on a full season.
 */
import { describe, expect, it } from 'vitest';
import { demoSeasonActivities, DEMO_SEASON_TRUTH } from '../../fixtures/demo-season/index.js';
import { analyzeHistory, summarizeActivity } from '../../src/analysis/index.js';
import { evaluateRules } from '../../src/rules/index.js';

const activities = demoSeasonActivities();

function loadFindings(timeZone: string): { key: string; date: string }[] {
  const summaries = activities.map((a) => summarizeActivity(a, { timeZone }));
  const history = analyzeHistory(summaries, { timeZone });
  return evaluateRules(history, summaries)
    .filter((f) => f.rule === 'weekly-increase' || f.rule === 'session-spike')
    .map((f) => ({ key: `${f.rule} ${f.severity}`, date: f.date ?? '' }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

const dayMs = 86_400_000;
const daysBetween = (a: string, b: string): number => Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / dayMs;

describe('load findings across time zones', () => {
  const home = loadFindings(DEMO_SEASON_TRUTH.timeZone);

  it('the demo season in its own zone has the planted caution week and spike', () => {
    expect(home).toContainEqual({ key: 'weekly-increase caution', date: '2025-03-31' });
    expect(home).toContainEqual({ key: 'session-spike caution', date: '2025-04-27' });
  });

  it.each(['Asia/Tokyo', 'Pacific/Honolulu'])('%s: the same findings, each within a week of its Berlin date', (zone) => {
    const there = loadFindings(zone);
    expect(there.map((f) => f.key)).toEqual(home.map((f) => f.key));
    there.forEach((f, i) => expect(daysBetween(f.date, home[i]!.date), `${f.key} ${f.date} vs ${home[i]!.date}`).toBeLessThan(7));
    // the planted +38 % week is reported in every zone (its date moves with the runs that move)
    expect(there.filter((f) => f.key === 'weekly-increase caution')).toHaveLength(1);
  });
});
