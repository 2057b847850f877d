/**
 * Golden output of the analysis on the in-memory demo season: the training
 * history and a compact per-activity digest, floats rounded to 6 significant
 * digits. Catches unintended changes in any metric. After an intended change,
 * regenerate with `STRIDEWISE_UPDATE_GOLDEN=1 npx vitest run tests/analysis/golden.test.ts`
 * and review the diff.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoSeasonActivities, DEMO_TIME_ZONE } from '../../fixtures/demo-season/index.js';
import { analyzeHistory, summarizeActivity } from '../../src/analysis/index.js';
import { repoRoot } from '../helpers/corpus.js';

const GOLDEN = join(repoRoot, 'tests', 'analysis', 'golden', 'demo-season.json');

function round(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toPrecision(6));
  if (Array.isArray(value)) return value.map(round);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, round(v)]));
  return value;
}

describe('golden: demo season analysis', () => {
  it('matches tests/analysis/golden/demo-season.json', () => {
    const summaries = demoSeasonActivities().map((a) => summarizeActivity(a, { timeZone: DEMO_TIME_ZONE }));
    const history = analyzeHistory(summaries, { timeZone: DEMO_TIME_ZONE });
    const digest = summaries.map((s) => ({
      id: s.id,
      localDate: s.localDate,
      activityClass: s.activityClass,
      distanceM: s.distanceM,
      runningTimeS: s.runningTimeS,
      avgSpm: s.cadence.avgSpm,
      flatAvgSpm: s.cadence.flatAvgSpm,
      zVsExpected: s.cadence.zVsExpected,
      stepM: s.stepLength.avgM,
      ascentM: s.elevation.ascentM,
      descentM: s.elevation.descentM,
      elevationSource: s.elevation.source,
      downhills: s.downhillSegments.map((d) => [d.startDistanceM, d.endDistanceM, d.dropM, d.category]),
      quality: s.quality.map((q) => q.code),
    }));
    const actual = round({ history, digest });
    if (process.env.STRIDEWISE_UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, JSON.stringify(actual, null, 1) + '\n');
    expect(existsSync(GOLDEN), `${GOLDEN} missing: run with STRIDEWISE_UPDATE_GOLDEN=1`).toBe(true);
    expect(actual).toEqual(JSON.parse(readFileSync(GOLDEN, 'utf8')));
  });
});
