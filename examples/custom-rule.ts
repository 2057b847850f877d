/**
 * A custom rule: flag runs of half an hour or more done at a low step rate. Custom rules are
 * conditions over summary fields (list: CUSTOM_RULE_FIELDS) in a restricted
 * mathjs syntax, compiled once and passed to evaluateRules. The same object
 * can live in a rules.json file for the command: `stridewise runs/ --rules rules.json`.
 *
 *   npx tsx examples/custom-rule.ts
 */
import { demoSeasonActivities, DEMO_TIME_ZONE } from '../fixtures/demo-season/index.js';
import { analyzeHistory, compileCustomRules, evaluateRules, summarizeActivity } from '../src/index.js';

const customRules = await compileCustomRules([
  {
    id: 'long-and-low',
    when: 'runningTimeMin >= 30 and cadence.avgSpm < 165',
    severity: 'caution',
    message: '{runningTimeMin} minutes of running at a low step rate ({cadence.avgSpm} spm).',
    advice: ['Think "quick and light": a few more steps per minute, especially as you tire.'],
    observedField: 'cadence.avgSpm',
  },
]);

const summaries = demoSeasonActivities().map((a) => summarizeActivity(a, { timeZone: DEMO_TIME_ZONE }));
const history = analyzeHistory(summaries, { timeZone: DEMO_TIME_ZONE });
const findings = evaluateRules(history, summaries, {
  customRules,
  'weekly-increase': { minIncreaseRatio: 0.2 }, // built-in thresholds can be changed in the same object
});

const mine = findings.filter((f) => f.rule === 'custom:long-and-low');
for (const f of mine) console.log(`${f.date} ${f.severity}: ${f.message}`);
console.log(`${mine.length} of ${findings.length} findings come from the custom rule`);
// The demo season plants two runs at 155 spm (2025-03-18 and 2025-04-10).
if (mine.map((f) => f.date).join() !== '2025-03-18,2025-04-10') process.exit(1);
