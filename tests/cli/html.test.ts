/**
 * The HTML report as a person sees it: written by the built command, opened
 * from disk in headless Chromium (Debian package at /usr/bin/chromium)
 * through playwright-core. A screenshot goes to tests/.output/ to look at.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
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
    expect([...by.keys()].sort()).toEqual(['cadence-distribution', 'cadence-speed', 'cadence-trend', 'elevation-profile', 'step-trend', 'weekly-distance']);
    for (const m of marks) {
      expect(m.width, m.chart).toBeGreaterThan(300);
      expect(m.height, m.chart).toBeGreaterThan(100);
    }
    // 4 weeks → 4 bars (+ 2 legend swatches); three session-spike findings (two cautions, one info while the
    // reference builds) → 3 triangles, plus the rolling 7-day line.
    expect(by.get('weekly-distance')!.rects).toBe(4 + 2);
    expect(by.get('weekly-distance')!.paths).toBe(3 + 1);
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
    expect(text).toMatch(/long-run spike/);
    expect(text).toContain('Files that could not be read (3)');
    expect(text).toContain('season/broken/empty.fit: EMPTY_INPUT');
  });

  it('writes a screenshot for a person to look at', () => {
    expect(existsSync(join(outputDir, 'html-report.png'))).toBe(true);
  });
});

/**
 * The report a runner reads, at phone (390 px) and desktop (1280 px) widths,
 * for three histories: the demo season, four seasons over four years (the
 * demo season repeated a year apart, plus a lone ride two years after the
 * last run), and a single run. Rendered in-process through
 * analyzeActivities → buildReport → renderHtml.
 */
describe.skipIf(!chromiumAvailable)('report views in headless Chromium at 390 and 1280 px', () => {
  const YEAR_MS = 364 * 86_400_000; // 52 weeks: same weekdays
  interface Case {
    readonly name: string;
    readonly html: string;
    readonly runs: number;
    readonly periods: readonly string[];
  }
  const cases: Case[] = [];
  interface Seen {
    overflowPx: number;
    minChartTextPx: number;
    runViewTextPx: number;
    runViewsFromRows: number;
    runViewsFromFindings: number;
    findingLinks: number;
    periodSwitches: string[];
    errors: string[];
    rows: number;
    hiddenColumns: number;
  }
  const seen = new Map<string, Seen>();

  beforeAll(async () => {
    const { demoSeasonActivities, DEMO_TIME_ZONE } = await import('../../fixtures/demo-season/index.js');
    const { analyzeActivities } = await import('../../src/analyze.js');
    const { buildReport, renderHtml } = await import('../../src/report/index.js');
    const base = demoSeasonActivities();
    const make = (name: string, activities: typeof base): void => {
      const analysis = analyzeActivities(activities, { analysis: { timeZone: DEMO_TIME_ZONE } });
      const report = buildReport({ ...analysis, settings: { timeZone: DEMO_TIME_ZONE } });
      const html = renderHtml(report);
      const periods = [...html.matchAll(/<button type="button" data-period="([^"]+)"/g)].map((m) => m[1]!);
      cases.push({ name, html, runs: report.activities.filter((a) => a.activityClass === 'running').length, periods });
    };
    make('demo-season', base);
    // the whole season in the last year, every third activity in the three years before (keeps the test quick)
    const shifted = [0, 1, 2, 3].flatMap((years) =>
      base.filter((_, i) => years === 0 || i % 3 === 0).map((a) => ({ ...a, id: `${a.id}-y${years}`, startTime: a.startTime && new Date(a.startTime.getTime() - years * YEAR_MS) })),
    );
    const ride = base.find((a) => a.sport === 'cycling')!;
    make('multi-year', [...shifted, { ...ride, id: 'lone-ride', startTime: new Date(ride.startTime!.getTime() + 2 * YEAR_MS) }]);
    make('single-run', [base.find((a) => a.id.includes('hills-gps'))!]);

    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    mkdirSync(outputDir, { recursive: true });
    try {
      for (const c of cases) {
        const file = join(outputDir, `${c.name}.html`);
        writeFileSync(file, c.html);
        for (const width of [390, 1280]) {
          const page = await browser.newPage({ viewport: { width, height: 900 } });
          const errors: string[] = [];
          page.on('pageerror', (e) => errors.push(String(e)));
          page.on('console', (m) => {
            if (m.type() === 'error') errors.push(m.text());
          });
          await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
          await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
          const layout = await page.evaluate(() => {
            // Rendered size of chart text: its font size times the SVG's scale (rendered width ÷ viewBox width).
            let min = Infinity;
            for (const t of Array.from(document.querySelectorAll('svg text'))) {
              const svg = t.closest('svg')!;
              const box = svg.getBoundingClientRect();
              if (box.width === 0 || (t as SVGGraphicsElement).getBoundingClientRect().width === 0) continue;
              const scale = box.width / svg.viewBox.baseVal.width;
              min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * scale);
            }
            const table = document.querySelector('table.runs');
            const cells = table ? Array.from(table.querySelectorAll('thead th')) : [];
            return {
              overflowPx: document.documentElement.scrollWidth - document.documentElement.clientWidth,
              minChartTextPx: min,
              rows: document.querySelectorAll('tr[data-run]').length,
              hiddenColumns: cells.filter((th) => (th as HTMLElement).offsetWidth === 0 || th.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length,
            };
          });
          // the first screen, and the load chart with its period buttons (full pages take seconds each)
          await page.screenshot({ path: join(outputDir, `${c.name}-${width}.png`), fullPage: false });
          await page.locator('#load').screenshot({ path: join(outputDir, `${c.name}-load-${width}.png`) });
          // every run view from its table row and from each finding that names a run: clicked in the page
          // (one round trip for all), each view checked once the hash has changed
          const opened = await page.evaluate(async () => {
            const wait = async (test: () => boolean): Promise<boolean> => {
              for (let i = 0; i < 100; i++) {
                if (test()) return true;
                await new Promise((r) => setTimeout(r, 5));
              }
              return false;
            };
            const view = document.getElementById('run-view')!;
            const isOpen = (k: string) => () =>
              location.hash === `#run-${k}` && !view.hidden && view.querySelectorAll('svg[data-chart^="run-"]').length >= 2 && view.querySelector('table.splits') !== null;
            const close = async (): Promise<void> => {
              (view.querySelector('a.close') as HTMLElement).click();
              await wait(() => view.hidden);
            };
            let fromRows = 0;
            for (const row of Array.from(document.querySelectorAll('tr[data-run]'))) {
              const k = row.getAttribute('data-run')!;
              (row.querySelector('td') as HTMLElement).click();
              if (await wait(isOpen(k))) fromRows++;
              await close();
            }
            const links = Array.from(document.querySelectorAll('#findings a[data-open-run]'));
            let fromFindings = 0;
            for (const a of links) {
              const k = a.getAttribute('data-open-run')!;
              (a as HTMLElement).click();
              if (await wait(isOpen(k))) fromFindings++;
              await close();
            }
            return { fromRows, fromFindings, links: links.length };
          });
          const fromRows = opened.fromRows;
          const fromFindings = opened.fromFindings;
          const links = { length: opened.links };
          const first = await page.evaluate(() => document.querySelector('tr[data-run]')?.getAttribute('data-run') ?? null);
          let runViewTextPx = Infinity;
          if (first !== null) {
            await page.click(`tr[data-run="${first}"] td:first-child`);
            await page.waitForFunction(() => !document.getElementById('run-view')!.hidden, undefined, { timeout: 2000 });
            await page.screenshot({ path: join(outputDir, `${c.name}-run-view-${width}.png`), fullPage: false });
            runViewTextPx = await page.evaluate(() => {
              let min = Infinity;
              for (const t of Array.from(document.querySelectorAll('#run-view svg text'))) {
                const svg = t.closest('svg')!;
                min = Math.min(min, parseFloat(getComputedStyle(t).fontSize) * (svg.getBoundingClientRect().width / svg.viewBox.baseVal.width));
              }
              return min;
            });
            await page.click('#run-view a.close');
          }
          // period change: each button shows its own chart only
          const switches: string[] = [];
          for (const p of c.periods) {
            await page.click(`.periods button[data-period="${p}"]`);
            const shown = await page.evaluate(() => Array.from(document.querySelectorAll('figure.period')).filter((f) => !(f as HTMLElement).hidden).map((f) => f.getAttribute('data-period')!));
            if (shown.length === 1 && shown[0] === p) switches.push(p);
            if (p !== 'recent' && switches.length === 2) await page.locator('#load').screenshot({ path: join(outputDir, `${c.name}-period-${p}-${width}.png`) });
          }
          seen.set(`${c.name}@${width}`, { ...layout, runViewTextPx, runViewsFromRows: fromRows, runViewsFromFindings: fromFindings, findingLinks: links.length, periodSwitches: switches, errors });
          await page.close();
        }
      }
    } finally {
      await browser.close();
    }
  }, 120_000);

  for (const name of ['demo-season', 'multi-year', 'single-run']) {
    for (const width of [390, 1280]) {
      it(`${name} at ${width} px: no sideways scroll, chart text ≥ 10 px, every run view opens from its row and its findings, periods switch`, () => {
        const c = cases.find((x) => x.name === name)!;
        const s = seen.get(`${name}@${width}`)!;
        expect(s.errors).toEqual([]);
        expect(s.overflowPx).toBeLessThanOrEqual(0);
        expect(s.minChartTextPx).toBeGreaterThanOrEqual(10);
        expect(s.runViewTextPx).toBeGreaterThanOrEqual(10);
        expect(s.rows).toBe(c.runs);
        expect(s.runViewsFromRows).toBe(c.runs);
        expect(s.runViewsFromFindings).toBe(s.findingLinks);
        expect(s.periodSwitches).toEqual(c.periods);
        // Desktop: every column of the activity table is visible; the phone keeps the essential ones.
        if (width === 1280) expect(s.hiddenColumns).toBe(0);
      });
    }
  }

  it('the multi-year history has a period per year and never an empty chart', () => {
    const c = cases.find((x) => x.name === 'multi-year')!;
    // runs in 2022–2025 (the demo season moved back 0–3 × 52 weeks), the lone ride in 2027 does not make a period
    expect(c.periods).toEqual(['recent', '2025', '2024', '2023', '2022']);
    expect(c.html).not.toContain('No running in this period');
    expect(c.html).toMatch(/<figure class="period" data-period="recent"><svg data-chart="weekly-distance"/);
    expect(seen.get('multi-year@1280')!.findingLinks).toBeGreaterThan(0);
  });
});

/**
 * A run view's lap table shows each lap's heart rate and grade: a generated
 * two-lap run (tests/helpers/lap-run.ts: lap 1 at 140 bpm on the flat, lap 2
 * at 170 bpm on a 5 % climb) rendered in-process and opened in Chromium.
 */
describe.skipIf(!chromiumAvailable)('run view laps in headless Chromium', () => {
  it('lists heart rate and grade per lap', async () => {
    const { lapRunFit } = await import('../helpers/lap-run.js');
    const { parseActivities } = await import('../../src/index.js');
    const { analyzeActivities } = await import('../../src/analyze.js');
    const { buildReport, renderHtml } = await import('../../src/report/index.js');
    const activities = await parseActivities(lapRunFit(), { fileName: 'laps.fit' });
    const report = buildReport({ ...analyzeActivities(activities, { analysis: { timeZone: 'UTC' } }), settings: { timeZone: 'UTC' } });
    mkdirSync(outputDir, { recursive: true });
    const file = join(outputDir, 'lap-run.html');
    writeFileSync(file, renderHtml(report));
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await page.click('tr[data-run] td:first-child');
      await page.waitForFunction(() => !document.getElementById('run-view')!.hidden, undefined, { timeout: 2000 });
      const laps = await page.evaluate(() => {
        const h3 = Array.from(document.querySelectorAll('#run-view h3')).find((h) => h.textContent === 'Laps');
        const table = h3?.nextElementSibling?.querySelector('table');
        if (!table) return null;
        return Array.from(table.querySelectorAll('tr')).map((tr) => Array.from(tr.children).map((c) => c.textContent));
      });
      expect(errors).toEqual([]);
      // 600 s laps of 1,800 m: pace 5:33 /km, step 3 · 60 / 170 = 1.06 m
      expect(laps).toEqual([
        ['lap', 'running time', 'pace', 'cadence', 'step', 'HR', 'grade'],
        ['1', '10:00', '5:33', '170', '1.06 m', '140', '0.0 %'],
        ['2', '10:00', '5:33', '170', '1.06 m', '170', '5.0 %'],
      ]);
    } finally {
      await browser.close();
    }
  }, 30_000);
});
