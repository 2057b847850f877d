/**
 * Every public function of `stridewise` and `stridewise/node` has a TSDoc
 * `@example`, and every `@example` of an exported declaration in `src/` runs
 * here (doctest, see tests/helpers/doctest.ts), with its commented results
 * checked. New exports are picked up without changes to this file.
 *
 * Names an example uses without defining them come from {@link scope}: the
 * demo season's activities, summaries, history, findings and report, and, in a
 * temporary working folder, the files `run.fit`, `morning-run.fit`, `runs/`
 * and `export.zip` the Node examples read.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSeasonActivities, encodeDemoActivity, generateDemoSeason } from '../../fixtures/demo-season/index.js';
import * as root from '../../src/index.js';
import * as nodeEntry from '../../src/node/index.js';
import { repoRoot } from '../helpers/corpus.js';
import { collectExamples, compileExample, differenceFrom, type CheckFn } from '../helpers/doctest.js';

const examples = collectExamples(join(repoRoot, 'src'), repoRoot);
const publicNames = new Set([...Object.keys(root), ...Object.keys(nodeEntry)]);
const publicExamples = examples.filter((e) => publicNames.has(e.name));

/** Runtime exports that are functions (classes excluded: their constructors are documented by their members). */
function publicFunctions(): string[] {
  return Object.entries(nodeEntry)
    .filter(([, v]) => typeof v === 'function' && !/^class\b/.test(Function.prototype.toString.call(v)))
    .map(([k]) => k)
    .sort();
}

let scope: Record<string, unknown> = {};
let cwd = '';
let dir = '';
const logged: unknown[][] = [];

beforeAll(async () => {
  const generated = generateDemoSeason();
  const season = demoSeasonActivities();
  // examples that summarise `activities` or `runs` themselves get the first five weeks (kept small for speed)
  const activities = season.slice(0, 16);
  const runs = activities.filter((a) => a.sport === 'running');
  const activity = season.find((a) => a.name === 'w05-wed-hills')!;
  const summaries = season.map((a) => root.summarizeActivity(a, { timeZone: 'Europe/Berlin' }));
  const history = root.analyzeHistory(summaries, { timeZone: 'Europe/Berlin' });
  const findings = root.evaluateRules(history, summaries);
  const report = root.buildReport({ summaries, history, findings });
  const fitRun = generated.find((a) => a.plan.key === 'w05-sat')!;
  const bytes = encodeDemoActivity(fitRun) as Uint8Array;
  // twins for the duplicates and time-zone examples: the same run written as FIT and as GPX; a treadmill run as TCX (no position, no offset) beside a FIT run of the same week
  const summaryOf = async (content: Uint8Array | string, fileName: string) => {
    const [a] = await root.parseActivities(content, { fileName });
    return root.summarizeActivity(a!);
  };
  const fitSummary = await summaryOf(bytes, 'run.fit');
  const gpxSummaryOfTheSameRun = await summaryOf(encodeDemoActivity({ ...fitRun, plan: { ...fitRun.plan, format: 'gpx' } }), 'run.gpx');
  const treadmill = generated.find((a) => a.plan.key === 'w02-thu-treadmill')!;
  const treadmillTcx = await summaryOf(encodeDemoActivity({ ...treadmill, plan: { ...treadmill.plan, format: 'tcx' } }), 'treadmill.tcx');
  const weekRun = generated.find((a) => a.plan.key.startsWith('w02-') && a.plan.format === 'fit' && a.plan.sport === 'running' && a.plan.key !== treadmill.plan.key)!;
  const fitWithOffset = await summaryOf(encodeDemoActivity(weekRun), 'week.fit');

  dir = mkdtempSync(join(tmpdir(), 'stridewise-doctest-'));
  writeFileSync(join(dir, 'run.fit'), bytes);
  writeFileSync(join(dir, 'morning-run.fit'), bytes);
  mkdirSync(join(dir, 'runs'));
  const some = generated.filter((a) => ['w06-tue', 'w06-thu-lowcad', 'w08-thu-hills-gps'].includes(a.plan.key));
  const entries: Record<string, Uint8Array> = {};
  for (const a of some) {
    const content = encodeDemoActivity(a);
    const data = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    writeFileSync(join(dir, 'runs', a.fileName), data);
    entries[`activities/${a.fileName}`] = data;
  }
  writeFileSync(join(dir, 'export.zip'), zipSync(entries));
  cwd = process.cwd();
  process.chdir(dir);

  scope = {
    ...nodeEntry,
    activities,
    runs,
    activity,
    a: root.cadenceHistogramOf(runs[0]!),
    b: root.cadenceHistogramOf(runs[1]!),
    bytes,
    fitSummary,
    gpxSummaryOfTheSameRun,
    treadmillTcx,
    fitWithOffset,
    summaries,
    history,
    findings,
    report,
    json: root.renderJson(report),
    __import: (specifier: string) => import(/* @vite-ignore */ specifier),
    // console.log in examples goes here, not into the test output
    console: { log: (...args: unknown[]) => logged.push(args), warn: (...args: unknown[]) => logged.push(args), error: (...args: unknown[]) => logged.push(args) },
  };
});

afterAll(() => {
  if (cwd !== '') process.chdir(cwd);
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

const check: CheckFn = async (value, expected, line) => {
  if (expected.kind === 'throws') {
    let error: unknown;
    try {
      await (value as () => Promise<unknown>)();
    } catch (e) {
      error = e;
    }
    expect(error, `${line}: expected to throw`).toBeDefined();
    expect((error as { code?: string }).code, line).toBe(expected.code);
    return;
  }
  if (expected.kind === 'equal') {
    const diff = differenceFrom(value, expected.value);
    expect(diff, line).toBeUndefined();
    return;
  }
  const bound = Number(expected.source);
  expect(typeof value, line).toBe('number');
  if (expected.kind === 'close') expect(differenceFrom(value, bound), line).toBeUndefined();
  else if (expected.kind === 'le') expect(value as number, line).toBeLessThanOrEqual(bound);
  else expect(value as number, line).toBeGreaterThanOrEqual(bound);
};

describe('TSDoc examples', () => {
  it('every public function of stridewise and stridewise/node has an @example', () => {
    const documented = new Set(publicExamples.map((e) => e.name));
    const missing = publicFunctions().filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
    expect(publicFunctions().length).toBeGreaterThan(35);
  });

  it('the collector finds the examples and their checks', () => {
    // One @example per line in src/report/format.ts formatNumber: "formatNumber(12345.678, 1); // \"12,345.7\"" is a check.
    const formatNumber = examples.find((e) => e.name === 'formatNumber')!;
    expect(compileExample(formatNumber, []).checks).toBe(2);
    expect(publicExamples.length).toBeGreaterThan(35);
    expect(publicExamples.reduce((n, e) => n + compileExample(e, []).checks, 0)).toBeGreaterThan(40);
  });

  it('a wrong commented result fails, to the digits written', async () => {
    const seen: (string | undefined)[] = [];
    const record: CheckFn = (value, expected) => {
      seen.push(differenceFrom(value, expected.value));
    };
    const example = { name: 'x', file: 'x.ts', line: 1, code: "1 + 1 // 3\n0.1 + 0.2 // 0.3\n({ a: 1, b: 2 }) // { a: 1 }\n'ab' // 'ab' (prose after)\n2 // e.g. 5" };
    const compiled = compileExample(example, []);
    expect(compiled.checks).toBe(4); // "e.g." is prose
    await compiled.run({}, record);
    expect(seen).toEqual(['value is 2, not 3', undefined, undefined, undefined]);
    expect(differenceFrom(168.034, 168.03)).toBeUndefined(); // within half of the last digit written
    expect(differenceFrom(168.04, 168.03)).toBe('value is 168.04, not 168.03');
  });

  it.each(publicExamples.map((e) => [`${e.name} (${e.file}:${e.line})`, e] as const))('%s', async (_label, example) => {
    const compiled = compileExample(example, Object.keys(scope));
    await compiled.run(scope, check);
  });
});
