/**
 * The HTML report as a person sees it: written by the built command, opened
 * from disk in headless Chromium (Debian package at /usr/bin/chromium)
 * through playwright-core. A screenshot goes to tests/.output/ to look at.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/corpus.js';
import { runCli, tempDir } from './helpers.js';
import { writeSeason } from './season.js';

const CHROMIUM = process.env['STRIDEWISE_CHROMIUM'] ?? '/usr/bin/chromium';
const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable) {
  console.warn(`[stridewise tests] skipping the browser test: no Chromium at ${CHROMIUM} (apt-get install chromium, or set STRIDEWISE_CHROMIUM)`);
}

const outputDir = join(repoRoot, 'tests', '.output');

/** SVG marks drawn per chart, counted in the rendered page. */
interface ChartMarks {
  readonly chart: string;
  readonly rects: number;
  readonly paths: number;
  readonly circles: number;
  readonly width: number;
  readonly height: number;
}

describe.skipIf(!chromiumAvailable)(`HTML report in headless Chromium (${CHROMIUM})`, () => {
  const tmp = tempDir('html');
  const htmlFile = join(tmp.dir, 'report.html');
  let marks: ChartMarks[] = [];
  let consoleErrors: string[] = [];
  let requests: string[] = [];
  let text = '';

  beforeAll(async () => {
    writeSeason(join(tmp.dir, 'season'));
    const r = runCli(['season', '--html', htmlFile, '--tz', 'UTC'], { cwd: tmp.dir });
    expect(r.status).toBe(0);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
      page.on('console', (m) => {
        if (m.type() === 'error') consoleErrors.push(m.text());
      });
      page.on('pageerror', (e) => consoleErrors.push(String(e)));
      page.on('request', (req) => {
        if (!req.url().startsWith('file:')) requests.push(req.url());
      });
      await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load' });
      marks = await page.evaluate(() =>
        Array.from(document.querySelectorAll('svg[data-chart]')).map((svg) => {
          const box = svg.getBoundingClientRect();
          return {
            chart: svg.getAttribute('data-chart') ?? '',
            rects: svg.querySelectorAll('rect').length,
            paths: svg.querySelectorAll('path').length,
            circles: svg.querySelectorAll('circle').length,
            width: box.width,
            height: box.height,
          };
        }),
      );
      text = await page.evaluate(() => document.body.innerText);
      mkdirSync(outputDir, { recursive: true });
      await page.screenshot({ path: join(outputDir, 'html-report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
  afterAll(() => tmp.remove());

  it('renders without console errors and makes no network request', () => {
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('draws every chart with marks (counts from the season plan)', () => {
    const by = new Map(marks.map((m) => [m.chart, m]));
    expect([...by.keys()].sort()).toEqual(['cadence-distribution', 'cadence-speed', 'elevation-profile', 'weekly-distance']);
    for (const m of marks) {
      expect(m.width, m.chart).toBeGreaterThan(300);
      expect(m.height, m.chart).toBeGreaterThan(100);
    }
    // 4 weeks → 4 bars (+ 3 legend swatches); the weeks of 03-16 and 03-23 hold session spikes → 2 triangles.
    expect(by.get('weekly-distance')!.rects).toBe(4 + 3);
    expect(by.get('weekly-distance')!.paths).toBe(2);
    // Cadence: bars at 160 and 170 spm (at least 2), plus the band and the legend.
    expect(by.get('cadence-distribution')!.rects).toBeGreaterThanOrEqual(2 + 1 + 1);
    // Every run is at 3 m/s on the flat: at least one circle per run with cadence (11).
    expect(by.get('cadence-speed')!.circles).toBeGreaterThanOrEqual(11);
    // The hilly run: one planted downhill → one red profile stretch and one shaded band (+ terrain, profile).
    expect(by.get('elevation-profile')!.paths).toBe(2 + 1);
    expect(by.get('elevation-profile')!.rects).toBe(1 + 2);
  });

  it('shows the findings, their advice and the files that could not be read', () => {
    expect(text).toContain('Findings');
    expect(text).toMatch(/session-spike/);
    expect(text).toContain('Files that could not be read (3)');
    expect(text).toContain('season/broken/empty.fit: EMPTY_INPUT');
  });

  it('writes a screenshot for a person to look at', () => {
    expect(existsSync(join(outputDir, 'html-report.png'))).toBe(true);
  });
});
