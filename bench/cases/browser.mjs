/**
 * Child process of the benchmark: the page (dist-web/index.html) in
 * headless Chromium against the built command, on the same export zip with
 * the same worker count, run in turn (command, page, command, page, …).
 * Measures the wall time of each (the page: from the files being set on its
 * input to `data-state="done"`; the command: the whole process, with
 * `--json` to a file), the page's peak JS heap (main thread, sampled through
 * the DevTools protocol every 50 ms; each worker has its own heap and holds
 * one file at a time), the page's long main-thread tasks (over 50 ms: how
 * responsive it stays), and the first report paint for a single file (from
 * the file being set to the report's first chart in the page). Prints one
 * JSON line.
 *
 * Usage: node bench/cases/browser.mjs <chromium> <page.html> <cli.js> <workers> <reps> <export.zip> <single.fit>
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [chromiumPath, pageFile, cliPath, workersArg, repsArg, exportZip, singleFile] = process.argv.slice(2);
if (singleFile === undefined) throw new Error('usage: browser.mjs <chromium> <page.html> <cli.js> <workers> <reps> <export.zip> <single.fit>');
const workers = Number(workersArg);
const reps = Number(repsArg);
const tmp = mkdtempSync(join(tmpdir(), 'stridewise-bench-browser-'));

function runCommand() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [cliPath, exportZip, '--json', join(tmp, 'out.json'), '--workers', String(workers)], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 || code === 1 ? resolve(performance.now() - t0) : reject(new Error(`the command exited with ${code}`))));
  });
}

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info'],
});
const pageUrl = `${pathToFileURL(pageFile).href}?workers=${workers}`;

async function runPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(pageUrl, { waitUntil: 'load' });
  await page.waitForFunction(() => document.documentElement.dataset.state === 'idle');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  let peakHeap = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
      if (used > peakHeap) peakHeap = used;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  // the page stays responsive when no main-thread task is long: record every task over 50 ms
  await page.evaluate(() => {
    window.benchLongTasksMs = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.benchLongTasksMs.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  const t0 = performance.now();
  await page.setInputFiles('#files', exportZip);
  await page.waitForFunction(() => ['done', 'error'].includes(document.documentElement.dataset.state ?? ''), null, { timeout: 30 * 60_000, polling: 50 });
  const ms = performance.now() - t0;
  sampling = false;
  await sampler;
  const activities = await page.evaluate(() => window.stridewiseResult?.activities?.length ?? 0);
  const longTasks = await page.evaluate(() => window.benchLongTasksMs);
  await context.close();
  return { ms, peakHeapMB: peakHeap / 1024 / 1024, activities, longTasks: longTasks.length, longestTaskMs: Math.max(0, ...longTasks) };
}

async function firstPaint() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const tLoad = performance.now();
  await page.goto(pageUrl, { waitUntil: 'load' });
  await page.waitForFunction(() => document.documentElement.dataset.state === 'idle', null, { polling: 10 });
  const loadMs = performance.now() - tLoad;
  const t0 = performance.now();
  await page.setInputFiles('#files', singleFile);
  await page.frameLocator('#report').locator('svg[data-chart]').first().waitFor({ state: 'visible', timeout: 60_000 });
  const ms = performance.now() - t0;
  await context.close();
  return { ms, loadMs };
}

try {
  const commandMs = [];
  const pageRuns = [];
  for (let r = 0; r < reps; r++) {
    commandMs.push(await runCommand());
    pageRuns.push(await runPage());
  }
  const paints = [];
  for (let r = 0; r < Math.max(3, reps); r++) paints.push(await firstPaint());
  console.log(JSON.stringify({ workers, commandMs, pageRuns, paints, chromium: browser.version() }));
} finally {
  await browser.close();
  rmSync(tmp, { recursive: true, force: true });
}
