/**
 * `npm run bench`: builds nothing itself (the npm script runs tsup first),
 * generates its inputs (seeded, no network), runs every comparison side by
 * side in one run, prints a table of medians and ratios against the targets,
 * and writes it as JSON to bench/results/.
 *
 * Environment:
 * - `BENCH_EXPORT_RUNS` — runs in the whole-export case (default 200; the
 *   reference size is 1000, about 5 minutes more on 2 cores).
 * - `BENCH_QUICK=1` — fewer repetitions (a smoke run).
 * - `STRIDEWISE_BENCH_DIST` — the build to measure (default ./dist).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildExportZip } from './lib/export.js';
import { runFiles, type RunFiles } from './lib/inputs.js';
import { medianOf, runChildJson } from './lib/timing.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repo = resolve(benchDir, '..');
const distDir = resolve(process.env.STRIDEWISE_BENCH_DIST ?? join(repo, 'dist'));
const quick = process.env.BENCH_QUICK === '1';
const exportRuns = Number(process.env.BENCH_EXPORT_RUNS ?? 200);
const resultsDir = join(benchDir, 'results');
const cacheDir = join(resultsDir, 'cache');
mkdirSync(cacheDir, { recursive: true });

if (!existsSync(join(distDir, 'index.js'))) throw new Error(`no build at ${distDir}: run \`npm run bench\` (it runs tsup first)`);

interface Row {
  readonly section: string;
  readonly name: string;
  readonly medianMs: number | null;
  readonly value?: number | string;
  readonly unit?: string;
  readonly ratio?: number;
  readonly ratioOf?: string;
  readonly target?: string;
  readonly met?: boolean;
}
const rows: Row[] = [];
const add = (r: Row): void => {
  rows.push(r);
  const ms = r.medianMs !== null ? `${r.medianMs.toFixed(2).padStart(10)} ms` : ''.padStart(13);
  const value = r.value !== undefined ? ` ${String(typeof r.value === 'number' ? round(r.value, 2) : r.value)}${r.unit ?? ''}` : '';
  const ratio = r.ratio !== undefined ? `  ${r.ratio.toFixed(2)}× ${r.ratioOf ?? ''}` : '';
  const target = r.target !== undefined ? `  [target ${r.target}: ${r.met === true ? 'met' : 'MISSED'}]` : '';
  console.log(`${r.section.padEnd(9)} ${r.name.padEnd(44)}${ms}${value}${ratio}${target}`);
};
const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;

/** The rows as a Markdown table (the form docs/bench.md shows), with the machine under it. */
function markdownTable(all: readonly Row[], m: { cpu: string; cores: number; ramGB: number; node: string; loadAverage1m: { start: number; end: number } }): string {
  const cell = (x: string): string => x.replace(/\|/g, '\\|');
  const lines = ['| | measurement | median | ratio | target |', '|---|---|---:|---|---|'];
  for (const r of all) {
    const ms = r.medianMs === null ? '' : r.medianMs >= 100 ? `${r.medianMs.toFixed(0)} ms` : `${r.medianMs.toFixed(1)} ms`;
    const value = r.value !== undefined ? ` (${typeof r.value === 'number' ? `${round(r.value, 2)}${r.unit ?? ''}` : r.value})` : '';
    const ratio = r.ratio !== undefined ? `${r.ratio.toFixed(2)}× ${r.ratioOf ?? ''}` : '';
    const target = r.target !== undefined ? `${r.target}: ${r.met === true ? '**met**' : '**missed**'}` : '';
    lines.push(`| ${r.section} | ${cell(r.name + value)} | ${ms} | ${cell(ratio)} | ${cell(target)} |`);
  }
  lines.push('', `Machine: ${m.cpu}, ${m.cores} cores, ${m.ramGB} GB RAM, Node ${m.node}; 1-minute load average ${m.loadAverage1m.start} at start, ${m.loadAverage1m.end} at end.`, '');
  return lines.join('\n');
}
const reps = (normal: number): number => (quick ? Math.max(3, Math.ceil(normal / 3)) : normal);
const t0 = performance.now();
const loadAtStart = loadavg()[0]!;

// ---------------------------------------------------------------- inputs
const files: Record<'1h' | '10h', RunFiles> = { '1h': runFiles(1), '10h': runFiles(10) };
const gpxPaths: Record<string, string> = {};
for (const [k, f] of Object.entries(files)) {
  const p = join(cacheDir, `run-${k}.gpx`);
  writeFileSync(p, f.gpx);
  writeFileSync(join(cacheDir, `run-${k}.fit`), f.fit);
  gpxPaths[k] = p;
}

// single-file timings in plain Node (bench/cases/micro.mjs says why)
type Medians = Record<string, number>;
interface Micro {
  readonly gpx: Record<'1h' | '10h', Medians>;
  readonly fit: Record<'1h' | '10h', Medians>;
  readonly history: { readonly runs: number } & Medians;
  readonly linear: Record<string, Medians>;
}
const micro = await runChildJson<Micro>(join(benchDir, 'cases', 'micro.mjs'), [distDir, cacheDir, quick ? '1' : '0'], []);

// ---------------------------------------------------------------- GPX
const gpxparserResult = await runChildJson<Record<string, { medianMs: number; points: number }>>(join(benchDir, 'cases', 'gpxparser.ts'), [
  `${gpxPaths['1h']!}:${reps(5)}`,
  `${gpxPaths['10h']!}:1`, // about 20 s a pass: one timed pass, no warm-up
]);
for (const k of ['1h', '10h'] as const) {
  const f = files[k];
  const ours = { medianMs: micro.gpx[k].ours! };
  const scan = { medianMs: micro.gpx[k].scan! };
  const gp = gpxparserResult[gpxPaths[k]!]!;
  add({ section: 'GPX', name: `${k} bare number scan (floor)`, medianMs: scan.medianMs, value: f.gpx.length / 1e6, unit: ' MB' });
  add({
    section: 'GPX',
    name: `${k} parseActivities (cadence, HR)`,
    medianMs: ours.medianMs,
    ratio: ours.medianMs / scan.medianMs,
    ratioOf: 'the scan',
    target: '≤ 5× scan',
    met: ours.medianMs <= 5 * scan.medianMs,
  });
  add({
    section: 'GPX',
    name: `${k} gpxparser (no cadence, no HR; child process)`,
    medianMs: gp.medianMs,
    value: `${gp.points} points read`,
    ratio: gp.medianMs / ours.medianMs,
    ratioOf: 'stridewise',
    target: '≥ 15× slower than stridewise',
    met: gp.medianMs >= 15 * ours.medianMs,
  });
}

// ---------------------------------------------------------------- FIT and analysis per activity
for (const k of ['1h', '10h'] as const) {
  const f = files[k];
  const t = micro.fit[k];
  const raw = t.raw!;
  const sdk = t.sdk!;
  const ours = t.ours!;
  const sum = t.summarize!;
  add({ section: 'FIT', name: `${k} fit-file-parser raw decode`, medianMs: raw, value: f.fit.length / 1e6, unit: ' MB' });
  add({ section: 'FIT', name: `${k} @garmin/fitsdk Decoder.read`, medianMs: sdk });
  add({
    section: 'FIT',
    name: `${k} parseActivities (normalised)`,
    medianMs: ours,
    ratio: ours / raw,
    ratioOf: 'raw decode',
    target: '≤ 1.3× raw, < fitsdk',
    met: ours <= 1.3 * raw && ours < sdk,
  });
  add({
    section: 'analysis',
    name: `${k} summarizeActivity`,
    medianMs: sum,
    value: sum / f.hours,
    unit: ' ms per hour of 1 Hz',
    ratio: sum / ours,
    ratioOf: 'FIT parse',
    target: '< parse',
    met: sum < ours,
  });
}
add({ section: 'analysis', name: `analyzeHistory, 5 years (${micro.history.runs} runs)`, medianMs: micro.history.history! });
add({ section: 'analysis', name: `evaluateRules, 5 years (${micro.history.runs} runs)`, medianMs: micro.history.rules! });

// ---------------------------------------------------------------- linearity
for (const [label, t] of Object.entries(micro.linear)) {
  const ratio = (10 * t.oneLong!) / t.tenShort!;
  add({
    section: 'linear',
    name: `${label}: 10 h file vs 1 h file`,
    medianMs: t.oneLong!,
    value: `vs ${round(t.tenShort! / 10, 2)} ms for 1 h`,
    ratio,
    ratioOf: 'the time for 10× the data',
    ...(label.includes('reference') ? {} : { target: '≤ 11×', met: ratio <= 11 }),
  });
}

// ---------------------------------------------------------------- import cost
for (const [label, file] of [
  ['stridewise', 'index.js'],
  ['stridewise/node', 'node.js'],
] as const) {
  const url = pathToFileURL(join(distDir, file)).href;
  const code = `const t=performance.now();await import(${JSON.stringify(url)});console.log(performance.now()-t)`;
  const times: number[] = [];
  for (let i = 0; i < reps(9); i++) {
    times.push(Number(execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }).trim()));
  }
  const ms = medianOf(times);
  add({
    section: 'import',
    name: `import('${label}') in a fresh process`,
    medianMs: ms,
    ...(label === 'stridewise' ? { target: '< 60 ms', met: ms < 60 } : {}),
  });
}

// ---------------------------------------------------------------- whole export
/**
 * Peak RSS of an export child: VmHWM where Linux gives it. `getrusage().maxRSS`
 * is a fallback only: Linux carries the high-water mark across fork and exec,
 * so a child of a large parent reports the parent's peak instead of its own.
 */
function peakRssMB(r: { maxRssMB: number; vmHwmMB: number }): number {
  return Number.isFinite(r.vmHwmMB) ? r.vmHwmMB : r.maxRssMB;
}

interface ExportRun {
  build: string;
  ms: number;
  cpuMs: number;
  maxRssMB: number;
  vmHwmMB: number;
  summaries: number;
  errors: number;
  files: number;
  workersStarted: number;
  fallbackReason: string | null;
}
// analyzeExport from the measured build, or (until `stridewise/node` exports it) from the
// benchmark's own build of the same sources, which adds pipeline.js beside worker.js
let exportDist = distDir;
const nodeBuild = (await import(pathToFileURL(join(distDir, 'node.js')).href)) as { analyzeExport?: unknown };
if (nodeBuild.analyzeExport === undefined && !existsSync(join(distDir, 'pipeline.js'))) {
  exportDist = join(resultsDir, 'dist');
  console.log('(analyzeExport is not exported by this build: building bench/results/dist with bench/tsup.config.ts)');
  execFileSync(process.execPath, [join(repo, 'node_modules', 'tsup', 'dist', 'cli-default.js'), '--config', join(benchDir, 'tsup.config.ts')], {
    cwd: repo,
    stdio: 'ignore',
  });
}
const exportZip = join(cacheDir, `export-${exportRuns}-seed1.zip`);
let truthRuns = exportRuns;
if (!existsSync(exportZip)) {
  const tg = performance.now();
  const { zip, truth } = buildExportZip({ runs: exportRuns, seed: 1 });
  truthRuns = truth.runs;
  writeFileSync(exportZip, zip);
  console.log(`(generated ${exportRuns}-run export, ${(zip.length / 1e6).toFixed(1)} MB, in ${((performance.now() - tg) / 1000).toFixed(1)} s)`);
}
const allCores = availableParallelism();
const exportReps = quick ? 1 : 2;
const byWorkers = new Map<number, ExportRun[]>();
for (let r = 0; r < exportReps; r++) {
  for (const w of [1, allCores]) {
    const run = await runChildJson<ExportRun>(join(benchDir, 'cases', 'export.mjs'), [exportDist, String(w), 'threads', exportZip], []);
    if (run.summaries !== truthRuns) throw new Error(`export with ${w} workers found ${run.summaries} runs, expected ${truthRuns}`);
    byWorkers.set(w, [...(byWorkers.get(w) ?? []), run]);
  }
}
const exportMs: Record<number, number> = {};
for (const [w, runs] of byWorkers) {
  const ms = medianOf(runs.map((x) => x.ms));
  const rss = Math.max(...runs.map((x) => peakRssMB(x)));
  exportMs[w] = ms;
  add({
    section: 'export',
    name: `${exportRuns} × 1 h runs, ${w === 1 ? '1 thread (in-thread)' : `${w} worker threads`}`,
    medianMs: ms,
    value: `${round((exportRuns * 1000) / ms, 1)} runs/s, CPU ${round(medianOf(runs.map((x) => x.cpuMs)) / 1000, 1)} s = ${round(medianOf(runs.map((x) => x.cpuMs / x.ms)), 2)} cores busy, peak RSS ${round(rss, 0)} MB, build ${runs[0]!.build}, ${runs[0]!.workersStarted} started`,
    ...(w !== 1 ? {} : { target: 'peak RSS < 400 MB', met: rss < 400 }),
  });
}
if (allCores > 1) {
  const speedup = exportMs[1]! / exportMs[allCores]!;
  const rss = Math.max(...(byWorkers.get(allCores) ?? []).map((x) => peakRssMB(x)));
  add({
    section: 'export',
    name: `speed-up, ${allCores} workers vs 1`,
    medianMs: null,
    ratio: speedup,
    ratioOf: 'single-thread throughput',
    target: `≥ 1.7× on 2 cores, peak RSS < 400 MB`,
    met: speedup >= 1.7 && rss < 400,
  });
  // on a shared machine wall time depends on what else runs; CPU time shows the pool's own overhead
  const cpu1 = medianOf((byWorkers.get(1) ?? []).map((x) => x.cpuMs));
  const cpuN = medianOf((byWorkers.get(allCores) ?? []).map((x) => x.cpuMs));
  add({
    section: 'export',
    name: `CPU time, ${allCores} workers vs 1`,
    medianMs: null,
    ratio: cpuN / cpu1,
    ratioOf: 'single-thread CPU (1.0 = no pool overhead)',
  });
}

if (allCores > 1) {
  // the same with worker processes (peak RSS here is the parent's only: each child has its own)
  const run = await runChildJson<ExportRun>(join(benchDir, 'cases', 'export.mjs'), [exportDist, String(allCores), 'processes', exportZip], []);
  add({
    section: 'export',
    name: `${exportRuns} × 1 h runs, ${allCores} worker processes`,
    medianMs: run.ms,
    value: `${round((exportRuns * 1000) / run.ms, 1)} runs/s, parent peak RSS ${round(peakRssMB(run), 0)} MB, one run`,
    ratio: exportMs[1]! / run.ms,
    ratioOf: 'single-thread throughput',
  });
}

// ---------------------------------------------------------------- browser
// The page (dist-web/index.html, built by `npm run bench`) in headless Chromium against the
// command, same export, same worker count; skipped with a message where Chromium is absent.
const chromiumPath = process.env.STRIDEWISE_CHROMIUM ?? '/usr/bin/chromium';
const pageFile = join(repo, 'dist-web', 'index.html');
if (!existsSync(chromiumPath) || !existsSync(pageFile)) {
  console.log(`(browser case skipped: ${existsSync(chromiumPath) ? `no page at ${pageFile} (npm run build:web)` : `no Chromium at ${chromiumPath}`})`);
} else {
  interface BrowserRun {
    workers: number;
    commandMs: number[];
    pageRuns: { ms: number; peakHeapMB: number; activities: number; longTasks: number; longestTaskMs: number }[];
    paints: { ms: number; loadMs: number }[];
    chromium: string;
  }
  const b = await runChildJson<BrowserRun>(
    join(benchDir, 'cases', 'browser.mjs'),
    [chromiumPath, pageFile, join(distDir, 'cli.js'), String(allCores), String(quick ? 1 : 2), exportZip, join(cacheDir, 'run-1h.fit')],
    [],
  );
  if (b.pageRuns.some((r) => r.activities !== truthRuns)) throw new Error(`the page found ${b.pageRuns.map((r) => r.activities).join(', ')} runs, expected ${truthRuns}`);
  const pageMs = medianOf(b.pageRuns.map((r) => r.ms));
  const commandMs = medianOf(b.commandMs);
  const heap = Math.max(...b.pageRuns.map((r) => r.peakHeapMB));
  add({ section: 'browser', name: `${exportRuns} × 1 h runs, command, ${b.workers} workers`, medianMs: commandMs, value: 'whole process, --json to a file' });
  add({
    section: 'browser',
    name: `${exportRuns} × 1 h runs, page, ${b.workers} Web Workers`,
    medianMs: pageMs,
    value: `Chromium ${b.chromium}, peak JS heap ${round(heap, 0)} MB (page), longest main-thread task ${round(Math.max(...b.pageRuns.map((r) => r.longestTaskMs)), 0)} ms`,
    ratio: pageMs / commandMs,
    ratioOf: 'command time',
    target: 'within 1.5× of the command, heap < 500 MB',
    met: pageMs / commandMs <= 1.5 && heap < 500,
  });
  const paint = medianOf(b.paints.map((p) => p.ms));
  add({
    section: 'browser',
    name: 'first report paint, one 1 h FIT file',
    medianMs: paint,
    value: `page load to ready ${round(medianOf(b.paints.map((p) => p.loadMs)), 0)} ms`,
    target: '< 1 s',
    met: paint < 1000,
  });
}

// ---------------------------------------------------------------- HTML report of the export
{
  // The command's HTML report of the whole export (run views embedded): its size, and the time Chromium
  // takes to show its first screen (navigation start to first contentful paint, and to the load event).
  const htmlFile = join(cacheDir, `report-${exportRuns}.html`);
  execFileSync(process.execPath, [join(distDir, 'cli.js'), exportZip, '--html', htmlFile, '--workers', 'auto'], { stdio: 'ignore' });
  const bytes = readFileSync(htmlFile).length;
  const chromiumPath = process.env.STRIDEWISE_CHROMIUM ?? '/usr/bin/chromium';
  let paint = '';
  let loadMs: number | null = null;
  if (existsSync(chromiumPath)) {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const times: number[] = [];
      const paints: number[] = [];
      for (let i = 0; i < 3; i++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
        const t = await page.evaluate(() => {
          const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
          const fcp = performance.getEntriesByName('first-contentful-paint')[0];
          return { load: nav.loadEventEnd - nav.startTime, fcp: fcp !== undefined ? fcp.startTime : NaN };
        });
        times.push(t.load);
        paints.push(t.fcp);
        await page.close();
      }
      loadMs = medianOf(times);
      paint = `, first contentful paint ${round(medianOf(paints), 0)} ms`;
    } finally {
      await browser.close();
    }
  }
  add({
    section: 'report',
    name: `HTML report of the ${exportRuns}-run export${loadMs === null ? ' (no Chromium: size only)' : ', Chromium load event'}`,
    medianMs: loadMs,
    value: `${round(bytes / 2 ** 20, 2)} MB${paint}`,
    ...(exportRuns >= 1000 ? { target: '< 5 MB, first screen < 2 s', met: bytes < 5 * 2 ** 20 && (loadMs === null || loadMs < 2000) } : {}),
  });
}

// ---------------------------------------------------------------- corpus (optional)
const corpus = process.env.STRIDEWISE_CORPUS ?? resolve(repo, '..', 'shared', 'corpus');
if (existsSync(join(corpus, 'MANIFEST.tsv'))) {
  const run = await runChildJson<ExportRun>(join(benchDir, 'cases', 'export.mjs'), [exportDist, 'auto', 'threads', corpus], []);
  add({
    section: 'corpus',
    name: `shared corpus folder, ${allCores} workers`,
    medianMs: run.ms,
    value: `${run.files} files, ${run.summaries} activities, ${run.errors} errors, peak RSS ${round(peakRssMB(run), 0)} MB`,
  });
}

// ---------------------------------------------------------------- machine and output
const cpuModel = /model name\s*:\s*(.+)/.exec(existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '')?.[1] ?? cpus()[0]?.model ?? 'unknown';
const machine = {
  cpu: cpuModel.trim(),
  cores: allCores,
  ramGB: round(totalmem() / 2 ** 30, 1),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  loadAverage1m: { start: round(loadAtStart, 2), end: round(loadavg()[0]!, 2) },
};
const totalS = (performance.now() - t0) / 1000;
console.log(`\nmachine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGB} GB RAM, Node ${machine.node}; 1-min load average ${machine.loadAverage1m.start} at start, ${machine.loadAverage1m.end} at end; bench took ${totalS.toFixed(0)} s`);
const missed = rows.filter((r) => r.met === false);
console.log(missed.length === 0 ? 'every target met' : `targets missed: ${missed.map((r) => `${r.section} ${r.name}`).join('; ')}`);
const out = { date: new Date().toISOString(), machine, exportRuns, quick, totalS, rows };
const stamp = out.date.replace(/[:.]/g, '-');
writeFileSync(join(resultsDir, `bench-${stamp}.json`), `${JSON.stringify(out, null, 2)}\n`);
writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(out, null, 2)}\n`);
writeFileSync(join(resultsDir, 'latest.md'), markdownTable(rows, machine));
console.log(`written: ${join('bench', 'results', `bench-${stamp}.json`)} (and latest.json, latest.md); inputs cached in ${tmpdir() === cacheDir ? cacheDir : join('bench', 'results', 'cache')}`);
