/**
 * `npm run demo`: writes the bundled demo season (14 weeks of generated
 * FIT, GPX and TCX files) to report/demo-season/, runs the built command on
 * it, prints the text summary and writes the HTML report to
 * report/stridewise-report.html. No network.
 *
 * Options after `--` go to the command (`npm run demo -- --units mi`), except
 * `--docs`, which also refreshes docs/sample-summary.txt and
 * docs/report-screenshot.png (the screenshot needs Chromium at
 * /usr/bin/chromium or $STRIDEWISE_CHROMIUM).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEMO_TIME_ZONE, writeDemoSeason } from '../fixtures/demo-season/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const seasonDir = join(root, 'report', 'demo-season');
const htmlFile = join(root, 'report', 'stridewise-report.html');
const args = process.argv.slice(2);
const docs = args.includes('--docs');
const cliArgs = args.filter((a) => a !== '--docs');

if (!existsSync(cli)) {
  process.stderr.write(`demo: ${relative(root, cli)} is missing; build first (npm run demo runs "tsup" before this script)\n`);
  process.exit(2);
}

rmSync(seasonDir, { recursive: true, force: true });
const { files } = await writeDemoSeason(seasonDir);

const result = spawnSync(
  process.execPath,
  [cli, relative(root, seasonDir), '--tz', DEMO_TIME_ZONE, '--html', relative(root, htmlFile), ...cliArgs],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
);
if (result.error) throw result.error;
process.stdout.write(result.stdout);
if (result.status !== 0 && result.status !== 1) process.exit(result.status ?? 1);
process.stderr.write(`\ndemo: ${files.length} generated files in ${relative(root, seasonDir)}/; open ${relative(root, htmlFile)} in a browser (tap a run to see it)\n`);

if (docs) {
  const summaryFile = join(root, 'docs', 'sample-summary.txt');
  writeFileSync(summaryFile, result.stdout);
  process.stderr.write(`demo: wrote ${relative(root, summaryFile)}\n`);
  const chromiumPath = process.env['STRIDEWISE_CHROMIUM'] ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) {
    process.stderr.write(`demo: no Chromium at ${chromiumPath}; docs/report-screenshot.png not refreshed\n`);
  } else {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 900, height: 1100 }, deviceScaleFactor: 1 });
      await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
      const shot = join(root, 'docs', 'report-screenshot.png');
      await page.screenshot({ path: shot, fullPage: false });
      process.stderr.write(`demo: wrote ${relative(root, shot)}\n`);
    } finally {
      await browser.close();
    }
  }
}
process.exit(result.status ?? 0);
