/**
 * The rules on real files: every corpus activity goes through
 * summarizeActivity → analyzeHistory → evaluateRules. No finding may carry a
 * non-finite number or placeholder text, and the rules must not throw.
 * Per-file findings are listed in the test output for reading.
 */
import { describe, expect, it } from 'vitest';
import type { Activity } from '../../src/activity.js';
import { analyzeHistory, summarizeActivity } from '../../src/analysis/index.js';
import { isStridewiseError } from '../../src/errors.js';
import { parseActivities } from '../../src/parse/index.js';
import { evaluateRules } from '../../src/rules/index.js';
import { corpusAvailable, corpusSkipReason, readCorpusFile, readManifest } from '../helpers/corpus.js';

describe.skipIf(!corpusAvailable)(`rules on the real-file corpus (skipped when absent: ${corpusSkipReason})`, () => {
  it('every corpus activity yields well-formed findings, and the rules never throw', async () => {
    const activities: Activity[] = [];
    for (const row of readManifest()) {
      try {
        activities.push(...(await parseActivities(readCorpusFile(row['path']!))));
      } catch (error) {
        if (!isStridewiseError(error)) throw error; // typed refusals (not an activity, corrupt) are the parsers' business
      }
    }
    expect(activities.length).toBeGreaterThan(20);
    const summaries = activities.map((a) => summarizeActivity(a));
    const history = analyzeHistory(summaries);
    const started = performance.now();
    const findings = evaluateRules(history, summaries, {});
    const personal = evaluateRules(history, summaries, { 'low-cadence': { mode: 'personal' }, 'descent-spike': true });
    const elapsedMs = performance.now() - started;
    const byRule = new Map<string, number>();
    for (const f of [...findings, ...personal]) {
      byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
      expect(f.message).not.toMatch(/NaN|Infinity|undefined|\{[a-zA-Z.]+\}/);
      for (const v of [f.observed, f.threshold, ...Object.values(f.details)]) {
        if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
      }
    }
    console.log(
      `[rules corpus] ${activities.length} activities → ${findings.length} findings (default), ${personal.length} (personal mode) in ${elapsedMs.toFixed(1)} ms:`,
      Object.fromEntries([...byRule].sort()),
    );
    expect(JSON.parse(JSON.stringify(findings))).toEqual(findings);
  });
});
