/**
 * One file in a few lines: parse it, summarise it, print its cadence and
 * step length.
 *
 *   npx tsx examples/one-file.ts run.fit
 *
 * Without an argument it uses one generated run of the demo season.
 */
import { readFile } from 'node:fs/promises';
import { encodeDemoActivity, generateDemoSeason } from '../fixtures/demo-season/index.js';
import { parseActivities, summarizeActivity } from '../src/index.js';

const path = process.argv[2];
const bytes = path !== undefined ? await readFile(path) : encodeDemoActivity(generateDemoSeason()[0]!);

for (const activity of await parseActivities(bytes, { fileName: path ?? 'demo.fit' })) {
  const s = summarizeActivity(activity);
  console.log(
    `${s.localDate} ${s.sport}: ${(s.distanceM / 1000).toFixed(2)} km, ` +
      `cadence ${s.cadence.avgSpm?.toFixed(0) ?? '–'} spm (file stored ${s.cadence.unitDetected}), ` +
      `step length ${s.stepLength.avgM?.toFixed(2) ?? '–'} m, descent ${s.elevation.descentM?.toFixed(0) ?? '–'} m`,
  );
}
