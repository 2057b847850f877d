/**
 * Child process of the benchmark: one `analyzeExport` over the given inputs
 * with the given worker count, in a fresh plain-Node process (no TypeScript
 * loader, so neither it nor its worker threads carry one), so the peak RSS
 * and CPU time are the pipeline's own (peak RSS of worker processes is
 * read from `process.resourceUsage().maxRSS` of the children: see below). Prints one JSON line: wall time, CPU
 * time and peak RSS (whole process, worker threads included), counts, and
 * which build was used.
 *
 * Usage: node bench/cases/export.mjs <dist-dir> <workers> <processes|threads> <input>...
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [distDir, workersArg, isolation, ...inputs] = process.argv.slice(2);
if (distDir === undefined || workersArg === undefined || isolation === undefined) throw new Error('usage: export.mjs <dist-dir> <workers> <processes|threads> <input>...');
const workers = workersArg === 'auto' ? 'auto' : Number(workersArg);

// the package build once it exports analyzeExport; until then the benchmark's own build (bench/tsup.config.ts)
let build = 'dist';
let analyzeExport = (await import(pathToFileURL(join(distDir, 'node.js')).href)).analyzeExport;
if (analyzeExport === undefined && existsSync(join(distDir, 'pipeline.js'))) {
  build = 'dist (pipeline.js)';
  analyzeExport = (await import(pathToFileURL(join(distDir, 'pipeline.js')).href)).analyzeExport;
}
if (analyzeExport === undefined) throw new Error(`analyzeExport is not in the build at ${distDir}`);

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const r = await analyzeExport(inputs, { workers, isolation });
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0); // every thread of the process
const vmHwmKb = Number(/VmHWM:\s+(\d+)/.exec(existsSync('/proc/self/status') ? readFileSync('/proc/self/status', 'utf8') : '')?.[1] ?? Number.NaN);
console.log(
  JSON.stringify({
    build,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    vmHwmMB: vmHwmKb / 1024,
    summaries: r.summaries.length,
    errors: r.errors.length,
    findings: r.findings.length,
    files: r.stats.files,
    isolation: r.stats.isolation,
    workersStarted: r.stats.workersStarted,
    fallbackReason: r.stats.fallbackReason,
  }),
);
