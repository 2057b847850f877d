/**
 * The page (`npm run build:web` → dist-web/index.html) as a runner uses it,
 * in headless Chromium (Debian package at /usr/bin/chromium) through
 * playwright-core: opened from disk and from a static server on 127.0.0.1,
 * files set on its file input, and its JSON compared with the built
 * command's `--json` for the same files. Every request other than the page
 * itself is recorded and refused. Screenshots go to tests/.output/web/.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/corpus.js';
import { assertBuilt, cliPath, tempDir } from '../cli/helpers.js';
import { writeWebInputs, type WebInputs } from './inputs.js';

const CHROMIUM = process.env['STRIDEWISE_CHROMIUM'] ?? '/usr/bin/chromium';
const chromiumAvailable = existsSync(CHROMIUM);
if (!chromiumAvailable) {
  console.warn(`[stridewise tests] skipping the page tests: no Chromium at ${CHROMIUM} (apt-get install chromium, or set STRIDEWISE_CHROMIUM)`);
}

const pageFile = join(repoRoot, 'dist-web', 'index.html');
const outputDir = join(repoRoot, 'tests', '.output', 'web');
/** The zone the browser and the command both use (the page defaults to the browser's). */
const TIME_ZONE = 'Europe/Zurich';
/** The same worker count in the page (`?workers=`) and the command (`--workers`). */
const WORKERS = 2;

/** Runs the built command with `--json -` and returns the parsed document. */
function cliJson(args: readonly string[], cwd: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args, '--json', '-', '--tz', TIME_ZONE, '--workers', String(WORKERS)], { cwd });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(out));
      } catch (error) {
        reject(new Error(`the command gave no JSON: ${String(error)}`));
      }
    });
  });
}

/** A page whose requests (other than the page itself) are recorded and refused, with its console errors. */
interface Watched {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly refused: string[];
  readonly consoleErrors: string[];
}

describe.skipIf(!chromiumAvailable)(`the page in headless Chromium (${CHROMIUM})`, () => {
  const tmp = tempDir('web');
  let inputs: WebInputs;
  let browser: Browser;
  let server: Server;
  let serverUrl = '';
  let served: string[] = [];
  let allJson: Promise<unknown>;
  let looseJson: Promise<unknown>;
  let folderJson: Promise<unknown>;

  beforeAll(async () => {
    assertBuilt();
    if (!existsSync(pageFile)) throw new Error(`${pageFile} is missing: build it first (npm run build:web; npm test does it)`);
    inputs = writeWebInputs(tmp.dir);
    const all = [inputs.strava, inputs.garmin, ...inputs.loose, inputs.damaged];
    allJson = cliJson(all, tmp.dir);
    looseJson = cliJson(inputs.loose, tmp.dir);
    folderJson = cliJson([inputs.stravaFolder], tmp.dir);
    const html = readFileSync(pageFile);
    server = createServer((req, res) => {
      served.push(req.url ?? '');
      if (req.url === '/' || req.url?.startsWith('/index.html') === true) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    mkdirSync(outputDir, { recursive: true });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    tmp.remove();
  });

  async function open(url: string, width = 1280): Promise<Watched> {
    const context = await browser.newContext({ timezoneId: TIME_ZONE, locale: 'en-GB', viewport: { width, height: width < 500 ? 844 : 900 } });
    const refused: string[] = [];
    const consoleErrors: string[] = [];
    const pageUrl = url.split('?')[0]!;
    await context.route('**/*', (route) => {
      const u = route.request().url();
      if (u.split('?')[0] === pageUrl) return route.continue();
      refused.push(u);
      return route.abort();
    });
    const page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    page.on('request', (r) => {
      const u = r.url();
      if (u.split('?')[0] !== pageUrl && !u.startsWith('blob:') && !u.startsWith('data:') && !refused.includes(u)) refused.push(u);
    });
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.documentElement.dataset['state'] === 'idle');
    return { page, context, refused, consoleErrors };
  }

  async function analyse(page: Page, files: readonly string[]): Promise<string> {
    await page.setInputFiles('#files', files.map((f) => join(tmp.dir, f)));
    await page.waitForFunction(() => ['done', 'error'].includes(document.documentElement.dataset['state'] ?? ''), null, { timeout: 30_000 });
    return page.evaluate(() => document.documentElement.dataset['state'] ?? '');
  }

  it('opened from disk, reads a Strava export, a Garmin export with zips inside, loose files and a damaged zip: the JSON is the command\'s', async () => {
    const w = await open(`${pathToFileURL(pageFile).href}?workers=${WORKERS}`);
    try {
      const state = await analyse(w.page, [inputs.strava, inputs.garmin, ...inputs.loose, inputs.damaged]);
      expect(state).toBe('done');
      const web = (await w.page.evaluate(() => window.stridewiseResult)) as Record<string, unknown>;
      const cli = (await allJson) as Record<string, unknown>;
      // file labels are the names given to both (relative paths), so the documents are equal as they are
      expect(web).toEqual(cli);
      const activities = web['activities'] as { name: string | null; gear: string | null }[];
      expect(activities).toHaveLength(inputs.distinctRuns);
      // Strava's activities.csv named the runs and their shoes (the first run is kept from the Garmin
      // export, whose path sorts first and has no name there; deduplication carries the Strava copy's
      // name onto it, so all 10 named runs keep their names)
      expect(activities.filter((a) => /^Run \d+$/.test(a.name ?? '')).length).toBe(10);
      expect(new Set(activities.map((a) => a.gear))).toEqual(new Set(['Shoe A', 'Shoe B', null]));
      // the Garmin twin of the first Strava run counted once
      expect((web['duplicates'] as unknown[]).length).toBe(1);
      // the damaged entry is in the visible list, with the command's code and message; the rest was analysed
      const listed = await w.page.locator('#errors').innerText();
      expect(listed).toContain(inputs.damagedEntry);
      expect(listed).toContain('ZIP_CORRUPT');
      expect(listed).toContain('the entry fails its CRC-32 check (damaged data)');
      expect(web['errors']).toContainEqual({ file: inputs.damagedEntry, code: 'ZIP_CORRUPT', message: 'the entry fails its CRC-32 check (damaged data)' });
      // the report is shown in the page
      const frame = w.page.frameLocator('#report');
      await expect.poll(() => frame.locator('svg[data-chart]').count()).toBeGreaterThan(0);
      expect(w.refused).toEqual([]);
      expect(w.consoleErrors).toEqual([]);
      // only the settings are stored
      expect(await w.page.evaluate(() => Object.keys(localStorage))).toEqual(['stridewise.settings']);
      // the report frame is painted once it has been on screen
      await w.page.locator('#report').scrollIntoViewIfNeeded();
      await w.page.waitForTimeout(200);
      await w.page.screenshot({ path: join(outputDir, 'page-1280.png'), fullPage: true });
    } finally {
      await w.context.close();
    }
  }, 30_000);

  it('served by a static server on 127.0.0.1, gives the command\'s JSON and asks the server for nothing but the page', async () => {
    served = [];
    const w = await open(`${serverUrl}?workers=${WORKERS}`, 390);
    try {
      expect(await analyse(w.page, inputs.loose)).toBe('done');
      await expect.poll(() => w.page.frameLocator('#report').locator('svg[data-chart]').count()).toBeGreaterThan(0);
      // the report frame is painted once it has been on screen
      await w.page.locator('#report').scrollIntoViewIfNeeded();
      await w.page.waitForTimeout(200);
      await w.page.screenshot({ path: join(outputDir, 'page-390.png'), fullPage: true });
      // nothing wider than a phone's screen
      const overflow = await w.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      expect(await w.page.evaluate(() => window.stridewiseResult)).toEqual(await looseJson);
      // the save buttons hand over the same JSON and the report shown
      const [json] = await Promise.all([w.page.waitForEvent('download'), w.page.click('#save-json')]);
      expect(json.suggestedFilename()).toBe('stridewise-report.json');
      expect(JSON.parse(readFileSync(await json.path(), 'utf8'))).toEqual(await looseJson);
      const [html] = await Promise.all([w.page.waitForEvent('download'), w.page.click('#save-html')]);
      const saved = readFileSync(await html.path(), 'utf8');
      expect(saved.startsWith('<!doctype html>')).toBe(true);
      expect(saved).toContain('data-chart');
      expect(w.refused).toEqual([]);
      expect(w.consoleErrors).toEqual([]);
      expect(served).toEqual([`/index.html?workers=${WORKERS}`]);
      // the policy that forbids connections is the page's own
      const csp = await w.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      expect(csp).toContain("connect-src 'none'");
      expect(csp).toContain("default-src 'none'");
      expect(await w.page.locator('#privacy').innerText()).toMatch(/stays on this computer/);
    } finally {
      await w.context.close();
    }
  }, 30_000);

  for (const width of [1280, 390]) {
    it(`at ${width} px the report in the page is interactive: a run view opens from its row and from a finding, periods switch, only the two hashed scripts run`, async () => {
      const w = await open(`${pathToFileURL(pageFile).href}?workers=${WORKERS}`, width);
      try {
        expect(await analyse(w.page, [inputs.strava, inputs.oldRun])).toBe('done');
        const frame = w.page.frameLocator('#report');
        const rows = frame.locator('tr[data-run]');
        // one row per run: the export's 10 and the 2018 one (see tests/web/inputs.ts)
        await expect.poll(() => rows.count()).toBe(11);
        const view = frame.locator('#run-view');
        expect(await view.isHidden()).toBe(true);
        const k = await rows.nth(0).getAttribute('data-run');
        await rows.nth(0).locator('td').first().click();
        await expect.poll(() => view.isVisible()).toBe(true);
        // the view draws the run's series (cadence, pace at least) and its splits from the embedded traces
        expect(await view.locator('svg[data-chart^="run-"]').count()).toBeGreaterThanOrEqual(2);
        expect(await view.locator('table.splits').count()).toBeGreaterThan(0);
        const inFrame = w.page.frames().find((f) => f !== w.page.mainFrame())!;
        // the frame stayed on its own document (a link resolved against the page's address would reload the page in it)
        expect(inFrame.url()).toBe(`about:srcdoc#run-${k}`);
        await view.scrollIntoViewIfNeeded();
        await w.page.screenshot({ path: join(outputDir, `page-run-view-${width}.png`), fullPage: false });
        await view.locator('a.close').click();
        await expect.poll(() => view.isHidden()).toBe(true);
        expect(inFrame.url().startsWith('about:srcdoc')).toBe(true);
        // from a finding that names a run
        const link = frame.locator('#findings a[data-open-run]').first();
        const linked = await link.getAttribute('data-open-run');
        await link.click();
        await expect.poll(() => inFrame.url()).toBe(`about:srcdoc#run-${linked}`);
        await expect.poll(() => view.isVisible()).toBe(true);
        await view.locator('a.close').click();
        await expect.poll(() => view.isHidden()).toBe(true);
        // every period button shows its own chart only
        const periods = await frame.locator('.periods button').evaluateAll((bs) => bs.map((b) => b.getAttribute('data-period')!));
        expect(periods).toEqual(['recent', '2020', '2018']);
        for (const p of [...periods].reverse()) {
          await frame.locator(`.periods button[data-period="${p}"]`).click();
          const shown = await frame.locator('figure.period').evaluateAll((fs) => fs.filter((f) => !(f as HTMLElement).hidden).map((f) => f.getAttribute('data-period')));
          expect(shown).toEqual([p]);
        }
        // scripts are allowed by hash, not by 'unsafe-inline'; connections stay forbidden
        const csp = (await w.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')) ?? '';
        expect(csp).toMatch(/script-src 'sha256-[A-Za-z0-9+/]{43}=' 'sha256-[A-Za-z0-9+/]{43}=';/);
        expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
        expect(csp).toContain("connect-src 'none'");
        // the frame is sandboxed without its own origin: it cannot reach the page or its storage
        expect(await w.page.locator('#report').getAttribute('sandbox')).toBe('allow-scripts');
        expect(await inFrame.evaluate(() => window.origin)).toBe('null');
        expect(w.refused).toEqual([]);
        expect(w.consoleErrors).toEqual([]);
      } finally {
        await w.context.close();
      }
    }, 30_000);
  }

  it('cancel stops an analysis, keeps nothing, and the page analyses again afterwards', async () => {
    const copies = Array.from({ length: 12 }, (_, i) => {
      const name = `copy-${i}.zip`;
      copyFileSync(join(tmp.dir, inputs.strava), join(tmp.dir, name));
      return name;
    });
    const w = await open(`${pathToFileURL(pageFile).href}?workers=${WORKERS}`);
    try {
      await w.page.setInputFiles('#files', copies.map((f) => join(tmp.dir, f)));
      await w.page.waitForFunction(() => document.documentElement.dataset['state'] === 'running');
      await w.page.click('#cancel');
      await w.page.waitForFunction(() => document.documentElement.dataset['state'] === 'cancelled', null, { timeout: 10_000 });
      expect(await w.page.evaluate(() => window.stridewiseResult)).toBeUndefined();
      expect(await w.page.locator('#result').isHidden()).toBe(true);
      expect(await w.page.locator('#progress-text').innerText()).toMatch(/^Stopped after \d+ files/);
      expect(await analyse(w.page, inputs.loose)).toBe('done');
      expect(await w.page.evaluate(() => window.stridewiseResult)).toEqual(await looseJson);
      expect(w.consoleErrors).toEqual([]);
    } finally {
      await w.context.close();
    }
  }, 30_000);

  it('a chosen folder (a Strava export unpacked): activities.csv joined, hidden files and notes skipped, the command\'s JSON', async () => {
    const w = await open(`${pathToFileURL(pageFile).href}?workers=${WORKERS}`);
    try {
      await w.page.setInputFiles('#folder', join(tmp.dir, inputs.stravaFolder));
      await w.page.waitForFunction(() => ['done', 'error'].includes(document.documentElement.dataset['state'] ?? ''), null, { timeout: 30_000 });
      const web = (await w.page.evaluate(() => window.stridewiseResult)) as { activities: { name: string | null; file: string }[] };
      expect(web).toEqual(await folderJson);
      expect(web.activities.map((a) => a.name).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `Run ${i + 1}`).sort());
      expect(web.activities[0]!.file.startsWith(`${inputs.stravaFolder}/activities/`)).toBe(true);
      expect(w.consoleErrors).toEqual([]);
    } finally {
      await w.context.close();
    }
  }, 30_000);

  it('a file dropped anywhere on the page is analysed', async () => {
    const w = await open(`${pathToFileURL(pageFile).href}?workers=${WORKERS}`);
    try {
      const gpx = readFileSync(join(tmp.dir, inputs.loose[1]!), 'utf8');
      const dropped = await w.page.evaluateHandle((text) => {
        const data = new DataTransfer();
        data.items.add(new File([text], 'dropped.gpx', { type: 'application/gpx+xml' }));
        return data;
      }, gpx);
      await w.page.dispatchEvent('footer', 'dragover', { dataTransfer: dropped });
      await w.page.dispatchEvent('footer', 'drop', { dataTransfer: dropped });
      await w.page.waitForFunction(() => ['done', 'error'].includes(document.documentElement.dataset['state'] ?? ''), null, { timeout: 30_000 });
      const web = (await w.page.evaluate(() => window.stridewiseResult)) as { activities: { file: string; name: string | null }[] };
      expect(web.activities.map((a) => [a.file, a.name])).toEqual([['dropped.gpx', 'Loose GPX']]);
      expect(w.consoleErrors).toEqual([]);
    } finally {
      await w.context.close();
    }
  }, 30_000);

  it('remembers settings in localStorage and applies them (height, as --height)', async () => {
    const w = await open(`${pathToFileURL(pageFile).href}?workers=${WORKERS}`);
    try {
      await w.page.click('#settings summary');
      await w.page.fill('#set-heightCm', '178');
      await w.page.selectOption('#set-units', 'mi');
      expect(await analyse(w.page, inputs.loose.slice(0, 1))).toBe('done');
      const settings = (await w.page.evaluate(() => (window.stridewiseResult as { settings: unknown }).settings)) as Record<string, unknown>;
      expect(settings['heightM']).toBe(1.78);
      expect(settings['timeZone']).toBe(TIME_ZONE);
      await w.page.reload();
      await w.page.waitForFunction(() => document.documentElement.dataset['state'] === 'idle');
      expect(await w.page.inputValue('#set-heightCm')).toBe('178');
      expect(await w.page.inputValue('#set-units')).toBe('mi');
      expect(await w.page.inputValue('#set-timeZone')).toBe(TIME_ZONE);
    } finally {
      await w.context.close();
    }
  }, 30_000);
});
