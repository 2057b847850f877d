/**
 * Measures loading a generated Garmin-like export: time, peak RSS, files and
 * codes. Not a test (vitest does not pick it up); run it by hand:
 *
 *   npx tsx tests/node/measure-export.ts [parts=3] [activitiesPerPart=1000] [real|stub]
 *
 * Each part is an inner zip written with data descriptors (as Garmin's are)
 * holding one-hour 1 Hz FIT runs and, for every fourth, a monitoring file.
 * `stub` replaces the parser by one that returns nothing, to time the archive
 * layer alone. The export is written to the temp folder and removed after.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { encodeFitActivity, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { loadActivities } from '../../src/node/load.js';
import { fitMonitoring, streamedZipOf } from './build.js';

const parts = Number(process.argv[2] ?? 3);
const perPart = Number(process.argv[3] ?? 1000);
const real = process.argv[4] === 'real';

const dir = mkdtempSync(join(tmpdir(), 'stridewise-measure-'));
const file = join(dir, 'export.zip');
try {
  const fit = encodeFitActivity({ startTime: new Date('2024-01-01T06:00:00Z'), samples: steadyRunSamples({ seconds: 3600, speedMps: 3, cadenceSpm: 172 }) });
  const monitoring = fitMonitoring('2024-01-01T00:00:00Z');
  const out = createWriteStream(file);
  const outer = new Zip((err, data) => {
    if (err) throw err;
    out.write(data);
  });
  let inflated = 0;
  for (let p = 0; p < parts; p++) {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < perPart; i++) {
      files[`${p}_${i}_ACTIVITY.fit`] = fit;
      inflated += fit.length;
      if (i % 4 === 0) files[`${p}_${i}_WELLNESS.fit`] = monitoring;
    }
    const entry = new ZipPassThrough(`DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part${p + 1}.zip`);
    outer.add(entry);
    entry.push(streamedZipOf(files), true);
  }
  const json = new ZipDeflate('DI_CONNECT/DI-Connect-Fitness/summary.json');
  outer.add(json);
  json.push(new TextEncoder().encode('{}'), true);
  outer.end();
  out.end();
  await once(out, 'finish');

  let peak = process.memoryUsage().rss;
  const rssBefore = peak;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const t0 = performance.now();
  let files = 0;
  let activities = 0;
  let progressCalls = 0;
  const codes: Record<string, number> = {};
  for await (const f of loadActivities(file, { ...(real ? {} : { parse: async () => [] }), onProgress: () => progressCalls++ })) {
    files++;
    activities += f.activities.length;
    if (f.error) codes[f.error.code] = (codes[f.error.code] ?? 0) + 1;
  }
  clearInterval(timer);
  const seconds = (performance.now() - t0) / 1000;
  const mib = (n: number): string => `${(n / 2 ** 20).toFixed(0)} MiB`;
  console.log({
    parser: real ? 'real' : 'stub',
    zipOnDisk: mib(statSync(file).size),
    fitInflated: mib(inflated),
    files,
    activities,
    codes,
    progressCalls,
    seconds: Number(seconds.toFixed(2)),
    inflatedMiBPerS: Number((inflated / 2 ** 20 / seconds).toFixed(0)),
    rssBefore: mib(rssBefore),
    peakRss: mib(peak),
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
