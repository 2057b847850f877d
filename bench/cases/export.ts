/**
 * Child process of the benchmark: one `analyzeExport` over a zip with the
 * given worker count, in a fresh process so its peak RSS is its own. Prints
 * one JSON line: wall time, peak RSS (whole process, worker threads
 * included), counts, and which build was used.
 *
 * Usage: tsx bench/cases/export.ts <dist-dir> <workers> <zip>...
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

type AnalyzeExport = typeof import('../../src/node/pipeline.js').analyzeExport;

const [distDir, workersArg, ...inputs] = process.argv.slice(2);
if (distDir === undefined || workersArg === undefined) throw new Error('usage: export.ts <dist-dir> <workers> <zip>...');
const workers = workersArg === 'auto' ? 'auto' : Number(workersArg);

let analyzeExport: AnalyzeExport | undefined;
let build = 'dist';
const distNode = join(distDir, 'node.js');
try {
  readFileSync(distNode);
  analyzeExport = ((await import(pathToFileURL(distNode).href)) as { analyzeExport?: AnalyzeExport }).analyzeExport;
} catch {
  analyzeExport = undefined;
}
if (analyzeExport === undefined) {
  // the benchmark's own build (bench/tsup.config.ts) adds pipeline.js beside worker.js
  const pipeline = join(distDir, 'pipeline.js');
  try {
    readFileSync(pipeline);
    analyzeExport = ((await import(pathToFileURL(pipeline).href)) as { analyzeExport?: AnalyzeExport }).analyzeExport;
    build = 'dist (pipeline.js)';
  } catch {
    analyzeExport = undefined;
  }
}
if (analyzeExport === undefined) {
  // not in the build: the source, with workers started through tsx
  build = 'src';
  analyzeExport = (await import('../../src/node/pipeline.js')).analyzeExport;
}

const t0 = performance.now();
const r = await analyzeExport(inputs, { workers });
const ms = performance.now() - t0;
const vmHwmKb = Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? Number.NaN);
console.log(
  JSON.stringify({
    build,
    ms,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    vmHwmMB: vmHwmKb / 1024,
    summaries: r.summaries.length,
    errors: r.errors.length,
    findings: r.findings.length,
    files: r.stats.files,
    workersStarted: r.stats.workersStarted,
    fallbackReason: r.stats.fallbackReason,
  }),
);
