/**
 * The stridewise page: a runner drops an export, a folder or a few files
 * (or picks them), the files are read here and analysed in Web Workers, and
 * the report (the command's HTML report) is shown with buttons to save it
 * and its JSON. Nothing leaves the computer: the page's
 * Content-Security-Policy forbids every connection.
 *
 * When an analysis ends, `document.documentElement.dataset.state` is `done`
 * (or `error` when nothing could be analysed, `cancelled` when stopped) and
 * `window.stridewiseResult` holds the JSON document (`stridewise --json`).
 */
import type { ExtrasRequest } from '../src/analysis/extras.js';
import { DEFAULT_PARSE_LIMITS } from '../src/parse/limits.js';
import { DEFAULT_ARCHIVE_LIMITS } from '../src/node/limits.js';
import { ProgressCounter } from '../src/node/progress.js';
import { renderHtml } from '../src/report/html.js';
import type { Report } from '../src/report/model.js';
import { renderJson } from '../src/report/schema.js';
import { describeError } from './analyze.js';
import { HilliestProfileKeeper } from '../src/combine.js';
import { combineReport, type CollectedActivity, type CollectedError } from './combine.js';
import { loadInputs, type InputFile } from './load.js';
import { defaultWorkerCount, WorkerPool } from './pool.js';
import { defaultSettings, restoreSettings, RULE_DEFAULTS, SETTINGS_KEY, setupOf, type WebSettings } from './settings.js';

declare const __WORKER_SOURCE__: string;
declare const __STRIDEWISE_VERSION__: string;

declare global {
  interface Window {
    /** The last analysis as the `stridewise --json` document. */
    stridewiseResult?: unknown;
  }
}

/** The chart data the command asks its workers for (`runAnalysis`). */
const EXTRAS: ExtrasRequest = {
  cadenceHistogram: true,
  elevationProfile: true,
  elevationProfilePoints: 400,
  profileActivityId: null,
  keepProfiles: 'hilliest',
  hilliestFromDate: null,
  // series and splits of every run (about 2 kB each) for the report's run views
  runTrace: true,
};

/** At most this many files, of at most {@link SMALL_INPUT_BYTES} together, are analysed in the page without workers. */
const SMALL_INPUT_FILES = 4;
const SMALL_INPUT_BYTES = 4 * 1024 * 1024;

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`#${id} missing`);
  return el as T;
};

function setState(state: 'idle' | 'running' | 'done' | 'error' | 'cancelled'): void {
  document.documentElement.dataset['state'] = state;
}

// ---------------------------------------------------------------- settings

const NUMBER_FIELDS = ['heightCm', 'maxHeartRateBpm', 'restingHeartRateBpm', 'minCadenceSpm', 'maxWeeklyIncreasePct', 'overstridingMinRatio', 'heavyDescentM', 'shoeWarnKm'] as const;

function browserDefaults(): WebSettings {
  let zone: string | undefined;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    zone = undefined;
  }
  return defaultSettings(navigator.language, zone);
}

function loadSettings(): WebSettings {
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(SETTINGS_KEY);
  } catch {
    saved = null; // storage blocked (file:// in some browsers): defaults each time
  }
  return restoreSettings(saved, browserDefaults());
}

function fillTimeZones(select: HTMLSelectElement, current: string): void {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const all = new Set(zones);
  if (current !== '') all.add(current);
  const own = new Option("each file's own clock (as recorded)", '');
  select.append(own, ...[...all].sort().map((z) => new Option(z, z)));
  select.value = current;
}

function showSettings(s: WebSettings): void {
  ($('set-units') as HTMLSelectElement).value = s.units;
  fillTimeZones($('set-timeZone'), s.timeZone);
  ($('set-unknownSportAs') as HTMLSelectElement).value = s.unknownSportAs;
  ($('set-lowCadenceMode') as HTMLSelectElement).value = s.lowCadenceMode;
  for (const f of NUMBER_FIELDS) ($(`set-${f}`) as HTMLInputElement).value = s[f] === null ? '' : String(s[f]);
  ($('set-minCadenceSpm') as HTMLInputElement).placeholder = `${RULE_DEFAULTS.minCadenceSpm}`;
  ($('set-maxWeeklyIncreasePct') as HTMLInputElement).placeholder = `${RULE_DEFAULTS.maxWeeklyIncreasePct}`;
  ($('set-overstridingMinRatio') as HTMLInputElement).placeholder = RULE_DEFAULTS.overstridingMinRatio.toFixed(2);
  ($('set-heavyDescentM') as HTMLInputElement).placeholder = `${RULE_DEFAULTS.heavyDescentM}`;
  ($('set-shoeWarnKm') as HTMLInputElement).placeholder = `${RULE_DEFAULTS.shoeWarnKm}`;
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-default]'))) {
    const key = el.dataset['default'] as keyof typeof RULE_DEFAULTS;
    el.textContent = `default ${RULE_DEFAULTS[key]}`;
  }
}

function readSettings(): WebSettings {
  const num = (id: string): number | null => {
    const v = ($(`set-${id}`) as HTMLInputElement).value.trim().replace(',', '.');
    if (v === '') return null;
    const n = Number(v);
    return Number.isFinite(n) ? n : NaN;
  };
  const out: Record<string, unknown> = {
    units: ($('set-units') as HTMLSelectElement).value,
    timeZone: ($('set-timeZone') as HTMLSelectElement).value,
    unknownSportAs: ($('set-unknownSportAs') as HTMLSelectElement).value,
    lowCadenceMode: ($('set-lowCadenceMode') as HTMLSelectElement).value,
  };
  for (const f of NUMBER_FIELDS) out[f] = num(f);
  return out as unknown as WebSettings;
}

function saveSettings(s: WebSettings): void {
  try {
    localStorage.setItem(SETTINGS_KEY, JSON.stringify(s));
  } catch {
    // storage blocked: the settings still apply to this visit
  }
}

// ---------------------------------------------------------------- input

/** Files of a dropped folder, recursively, labelled with their path in it. */
async function entryFiles(entry: FileSystemEntry, out: InputFile[], inFolder: boolean): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, label: inFolder ? entry.fullPath.replace(/^\//, '') : file.name, inFolder });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await entryFiles(child, out, true);
  }
}

async function droppedInputs(data: DataTransfer): Promise<InputFile[]> {
  const entries = Array.from(data.items)
    .map((item) => (item.kind === 'file' && typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return Array.from(data.files).map((file) => ({ file, label: file.name, inFolder: false }));
  const out: InputFile[] = [];
  for (const e of entries) await entryFiles(e, out, false);
  return out;
}

// ---------------------------------------------------------------- analysis

let controller: AbortController | null = null;
let lastReport: { report: Report; json: string; html: string } | null = null;

/** Resolves in a new task (after the browser has had the chance to paint and handle input). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function workerCount(): number {
  const asked = Number(new URLSearchParams(location.search).get('workers'));
  return Number.isInteger(asked) && asked >= 1 && asked <= 64 ? asked : defaultWorkerCount(navigator.hardwareConcurrency);
}

async function analyse(inputs: InputFile[]): Promise<void> {
  if (inputs.length === 0) return;
  controller?.abort();
  const settings = readSettings();
  const checked = setupOf(settings);
  const problem = $('settings-problem');
  if (!checked.ok) {
    problem.textContent = checked.message;
    ($('settings') as HTMLDetailsElement).open = true;
    return;
  }
  problem.textContent = '';
  saveSettings(settings);
  const { setup } = checked;

  const mine = new AbortController();
  controller = mine;
  const signal = mine.signal;
  setState('running');
  document.body.classList.add('running');
  const bar = $('progress-bar') as HTMLProgressElement;
  const text = $('progress-text');
  const started = performance.now();
  let done = 0;
  let total: number | undefined;
  let current = '';
  const paint = (): void => {
    if (total !== undefined && total > 0) {
      bar.max = total;
      bar.value = done;
    } else bar.removeAttribute('value');
    text.textContent = `${done} / ${total ?? '?'} files · ${clock(performance.now() - started)}${current !== '' ? ` · ${current}` : ''}`;
  };
  paint();
  const ticker = setInterval(paint, 250);
  const progress = new ProgressCounter((d, t) => {
    done = d;
    total = t;
  });

  // a few small files are read here at once: starting a worker would cost more than it saves
  const inputBytes = inputs.reduce((n, i) => n + i.file.size, 0);
  const workers = inputs.length <= SMALL_INPUT_FILES && inputBytes <= SMALL_INPUT_BYTES ? 1 : workerCount();
  const pool = new WorkerPool(__WORKER_SOURCE__, workers, {
    kind: 'init',
    analysis: setup.analysis,
    // heart-rate zones of the run views need the maximum rate, as the command's `--hr-max`
    extras: setup.analysis.maxHeartRateBpm !== undefined ? { ...EXTRAS, maxHeartRateBpm: setup.analysis.maxHeartRateBpm } : EXTRAS,
  });
  // cancel stops the workers at once, whatever file they are in
  signal.addEventListener('abort', () => pool.terminate(), { once: true });
  const collected: CollectedActivity[] = [];
  const errors: CollectedError[] = [];
  const keeper = new HilliestProfileKeeper();
  const inFlight = new Set<Promise<void>>();
  let cancelled = false;
  try {
    for await (const item of loadInputs(inputs, { archiveLimits: DEFAULT_ARCHIVE_LIMITS, parseLimits: DEFAULT_PARSE_LIMITS, progress, signal })) {
      current = item.path;
      if (item.kind === 'error') {
        errors.push({ file: item.path, code: item.code, message: item.message });
        progress.step();
        continue;
      }
      const info = item.info;
      const task = pool
        .summarize(item.bytes, { fileName: item.path, limits: DEFAULT_PARSE_LIMITS })
        .then(
          ({ summaries, extras }) => {
            summaries.forEach((s, i) => {
              const name = info?.name ?? s.name;
              const gear = info?.gear ?? s.gear;
              const summary = name === s.name && gear === s.gear ? s : { ...s, name, gear };
              const entry: CollectedActivity = { summary, extras: extras[i] };
              keeper.consider(entry);
              collected.push(entry);
            });
          },
          (error: unknown) => {
            if (!signal.aborted) errors.push({ file: item.path, ...describeError(error, item.path) });
          },
        )
        .finally(() => {
          inFlight.delete(task);
          progress.step();
        });
      inFlight.add(task);
      // one file queued per worker beside the one it reads, so no worker waits for the reader
      while (inFlight.size >= workers * 2) await Promise.race(inFlight);
      signal.throwIfAborted();
    }
    await Promise.all(inFlight);
    signal.throwIfAborted();
  } catch (error) {
    if (!signal.aborted) throw error;
    cancelled = true;
  } finally {
    pool.terminate();
    clearInterval(ticker);
  }
  if (controller !== mine) return; // a newer analysis took over
  controller = null;
  document.body.classList.remove('running');
  current = '';
  if (cancelled) {
    text.textContent = `Stopped after ${done} files (${clock(performance.now() - started)}). Nothing was kept.`;
    setState('cancelled');
    return;
  }
  paint();
  // the last steps run as separate tasks, so the page can paint and take input between them
  await nextTask();
  const report = combineReport(collected, errors, {
    timeZone: setup.timeZone,
    ruleOptions: setup.ruleOptions,
    settings: setup.reportSettings,
    generator: { name: 'stridewise', version: __STRIDEWISE_VERSION__ },
  });
  await nextTask();
  const json = renderJson(report);
  await nextTask();
  const html = renderHtml(report, { units: settings.units });
  await nextTask();
  lastReport = { report, json, html };
  window.stridewiseResult = JSON.parse(json);
  showErrors(report);
  const frame = $('report') as HTMLIFrameElement;
  frame.srcdoc = html;
  $('result').hidden = false;
  text.textContent = `${done} files read in ${clock(performance.now() - started)}: ${report.activities.length} activities, ${report.errors.length} files not analysed.`;
  setState(report.activities.length > 0 ? 'done' : 'error');
}

function showErrors(report: Report): void {
  const list = $('errors');
  const body = $('errors-body');
  body.replaceChildren();
  const failed = report.errors.filter((e) => e.code !== 'NOT_AN_ACTIVITY');
  const nonActivities = report.errors.length - failed.length;
  for (const e of failed) {
    const row = document.createElement('li');
    const file = document.createElement('span');
    file.className = 'file';
    file.textContent = e.file;
    const code = document.createElement('code');
    code.textContent = e.code;
    const message = document.createElement('span');
    message.className = 'message';
    message.textContent = e.message;
    row.append(file, ' ', code, ' ', message);
    body.append(row);
  }
  $('errors-title').textContent =
    failed.length === 0 ? 'Every file was read.' : `${failed.length} ${failed.length === 1 ? 'file' : 'files'} could not be read:`;
  $('errors-note').textContent =
    nonActivities > 0 ? `${nonActivities} ${nonActivities === 1 ? 'file holds' : 'files hold'} no activity (monitoring, settings or course files).` : '';
  list.hidden = false;
}

function save(name: string, type: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function run(inputs: InputFile[]): void {
  analyse(inputs).catch((error: unknown) => {
    controller = null;
    document.body.classList.remove('running');
    $('progress-text').textContent = `The analysis failed: ${error instanceof Error ? error.message : String(error)}`;
    setState('error');
  });
}

// ---------------------------------------------------------------- wiring

function start(): void {
  showSettings(loadSettings());
  const filesInput = $('files') as HTMLInputElement;
  const folderInput = $('folder') as HTMLInputElement;
  filesInput.addEventListener('change', () => {
    run(Array.from(filesInput.files ?? []).map((file) => ({ file, label: file.name, inFolder: false })));
    filesInput.value = '';
  });
  folderInput.addEventListener('change', () => {
    run(Array.from(folderInput.files ?? []).map((file) => ({ file, label: file.webkitRelativePath || file.name, inFolder: file.webkitRelativePath !== '' })));
    folderInput.value = '';
  });
  document.addEventListener('dragover', (e) => {
    e.preventDefault();
    document.body.classList.add('dragging');
  });
  document.addEventListener('dragleave', (e) => {
    if (e.relatedTarget === null) document.body.classList.remove('dragging');
  });
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    document.body.classList.remove('dragging');
    if (e.dataTransfer === null) return;
    droppedInputs(e.dataTransfer).then(run, (error: unknown) => {
      $('progress-text').textContent = `The dropped files cannot be read: ${String(error)}`;
    });
  });
  $('cancel').addEventListener('click', () => controller?.abort());
  $('save-html').addEventListener('click', () => {
    if (lastReport !== null) save('stridewise-report.html', 'text/html', lastReport.html);
  });
  $('save-json').addEventListener('click', () => {
    if (lastReport !== null) save('stridewise-report.json', 'application/json', lastReport.json);
  });
  // Enter in a field does not submit (the policy allows no inline handlers, so it is done here)
  $('settings-form').addEventListener('submit', (event) => event.preventDefault());
  $('settings-form').addEventListener('change', () => {
    const s = readSettings();
    const checked = setupOf(s);
    $('settings-problem').textContent = checked.ok ? '' : checked.message;
    if (checked.ok) saveSettings(s);
    // units only change how the report is drawn: redraw without reading again
    if (checked.ok && lastReport !== null) {
      lastReport = { ...lastReport, html: renderHtml(lastReport.report, { units: s.units }) };
      ($('report') as HTMLIFrameElement).srcdoc = lastReport.html;
    }
  });
  $('settings-reset').addEventListener('click', () => {
    try {
      localStorage.removeItem(SETTINGS_KEY);
    } catch {
      // storage blocked
    }
    ($('set-timeZone') as HTMLSelectElement).replaceChildren();
    showSettings(browserDefaults());
  });
  setState('idle');
}

start();
