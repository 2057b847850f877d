/**
 * Analyse a whole export (a Garmin or Strava zip, or a folder of FIT, GPX and
 * TCX files) in a script: load, summarise, build the training history,
 * evaluate the rules, print the text report and the three most important
 * findings.
 *
 *   npx tsx examples/analyse-export.ts ~/Downloads/export_12345678.zip
 *
 * Without an argument it writes the bundled demo season to a temporary
 * folder and analyses that.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_TIME_ZONE, writeDemoSeason } from '../fixtures/demo-season/index.js';
import { analyzeHistory, evaluateRules, loadActivities, summarizeActivity, type ActivitySummary } from '../src/node/index.js';
import { buildReport, renderText } from '../src/index.js';

const given = process.argv[2];
const demoDir = given === undefined ? await mkdtemp(join(tmpdir(), 'stridewise-example-')) : null;
if (demoDir !== null) await writeDemoSeason(demoDir);
const input = given ?? demoDir!;
const timeZone = given === undefined ? DEMO_TIME_ZONE : Intl.DateTimeFormat().resolvedOptions().timeZone;

const summaries: ActivitySummary[] = [];
const errors: { file: string; code: string; message: string }[] = [];
// Activities come one file at a time; keep only the small summaries, not the samples.
for await (const file of loadActivities(input, { skipNonActivities: true })) {
  if (file.error) errors.push({ file: file.path, ...file.error });
  for (const activity of file.activities) summaries.push(summarizeActivity(activity, { timeZone }));
}

const history = analyzeHistory(summaries, { timeZone });
const findings = evaluateRules(history, summaries);
const report = buildReport({ summaries, history, findings, errors, settings: { timeZone } });

process.stdout.write(renderText(report));
const top = report.findings.slice(0, 3).map((f) => `${f.severity.toUpperCase()} ${f.date ?? ''} ${f.rule}`);
console.log(`\nTop findings:\n  ${top.join('\n  ')}`);

if (demoDir !== null) await rm(demoDir, { recursive: true, force: true });
if (report.period.runs === 0) process.exit(1);
