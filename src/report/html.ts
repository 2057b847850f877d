/**
 * One self-contained HTML page for a {@link Report}: inline CSS, inline SVG
 * charts and one small inline script (period choice, run views), no fonts,
 * no network (a Content-Security-Policy forbids every fetch), so it opens
 * from disk and can be mailed around. Everything but the run views and the
 * period switch reads without the script (and in print). Every piece of
 * text from files or the user is escaped; the run data are embedded as
 * JSON with `<` escaped.
 *
 * Runs in browsers as well as in Node: no Node built-ins here.
 */
import type { ActivitySummary } from '../analysis/types.js';
import { displayLabel, displayMessage } from '../labels.js';
import type { Finding, Severity } from '../rules/types.js';
import {
  cadenceHistogramChart,
  cadenceSpeedChart,
  cadenceTrendChart,
  formTrend,
  dateOfDay,
  dayNumber,
  elevationProfileChart,
  loadChart,
  loadChartData,
  MONTHS,
  targetBandAt,
} from './charts.js';
import { groupFindings, type FindingEvent } from './findings.js';
import { qualityText } from './labels.js';
import { localizeText, findingMeasure } from './units.js';
import { RUN_VIEW_SCRIPT, runViewData } from './run-view.js';
import {
  formatChange,
  formatDistance,
  formatDuration,
  formatElevation,
  formatNumber,
  formatPace,
  formatPercent,
  formatSpeed,
  formatStepLength,
  toDisplayDistance,
  type DisplayUnits,
} from './format.js';
import type { CadenceHistogram, Report, ReportActivity } from './model.js';
import { cadenceOverview, downhillOverview, runningShareText, sportNotes, stepLengthOverview } from './overview.js';
import { escapeHtml } from './svg.js';

/** Options of {@link renderHtml}. */
export interface HtmlReportOptions {
  /** Distance units shown (data stay in metres). Default `km`. */
  readonly units?: DisplayUnits;
  /** Most recent activities listed in the table. Default 500. */
  readonly maxActivityRows?: number;
  /** Weeks of the first chart, ending with the week of the last run. Default 52. */
  readonly recentWeeks?: number;
  /** Include the run views (embedded run data and the script that draws them). Default `true`. */
  readonly runViews?: boolean;
}


const STYLE = `
:root{--ink:#1d2327;--muted:#56626b;--line:#d8dee3;--bg:#f6f8f9;--card:#fff;--bar:#4f7fb0;--over:#e0a030;--spike:#c8372d;--band:#2f9e6b;--down:#c8372d;--terrain:#b8c6d3;--roll:#1d2327}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);background:var(--bg);overflow-wrap:anywhere}
header,main,footer{max-width:1100px;margin:0 auto;padding:0 16px}
header{padding-top:20px}
h1{font-size:24px;margin:0 0 4px;line-height:1.25}
h2{font-size:20px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:16px;margin:18px 0 6px}
.sub{color:var(--muted);margin:0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:10px;margin:16px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.card b{display:block;font-size:21px}
.card span{color:var(--muted);font-size:13px}
figure{margin:10px 0 18px;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px}
figcaption{color:var(--muted);font-size:13px;padding:0 6px 4px}
svg{width:100%;height:auto;display:block;font-size:12px}
svg text{fill:var(--muted)}
svg .label{font-size:12px}
svg .grid{stroke:#eef1f3}
svg .axis line{stroke:#9aa5ad}
svg .legend text{fill:var(--ink)}
svg .bar{fill:var(--bar);fill-opacity:.8}
svg .bar.over{fill:var(--over)}
svg .spike{fill:var(--spike)}
svg .rolling{fill:none;stroke:var(--roll);stroke-width:1.6}
svg line.rolling{stroke-width:2}
svg .dot{fill:var(--roll)}
svg .dot.flagged{fill:var(--over);stroke:var(--spike);stroke-width:2}
svg .band{fill:var(--band);fill-opacity:.16;stroke:none}
svg .expected{fill:none;stroke:#59636b;stroke-width:1.5;stroke-dasharray:5 4}
svg line.expected{stroke-dasharray:5 4}
svg .floor{stroke:var(--spike);stroke-width:1.5;stroke-dasharray:2 3}
svg .point{fill:var(--bar);fill-opacity:.55;stroke:#2c5680;stroke-width:.6}
svg .trend{fill:none;stroke:var(--bar);stroke-width:2}
svg .trend2{fill:none;stroke:var(--over);stroke-width:2}
svg .terrain{fill:var(--terrain);fill-opacity:.55}
svg .profile{fill:none;stroke:#5a6f82;stroke-width:1.4}
svg .series{fill:none;stroke:var(--bar);stroke-width:1.6}
svg .downhill{fill:none;stroke:var(--down);stroke-width:3}
svg .downhill-band{fill:var(--down);fill-opacity:.10}
svg .downhill-band.steep,svg .downhill-band.very-steep{fill-opacity:.2}
.periods{display:flex;flex-wrap:wrap;gap:6px;margin:8px 0}
.periods button{font:inherit;font-size:14px;padding:4px 10px;border:1px solid var(--line);border-radius:14px;background:var(--card);color:var(--ink);cursor:pointer;min-height:32px}
.periods button[aria-pressed=true]{background:var(--bar);border-color:var(--bar);color:#fff}
.months{border-collapse:collapse;font-size:12px;width:100%;table-layout:fixed;background:var(--card)}
.months th,.months td{padding:3px 1px;text-align:center;border-bottom:1px solid var(--line);white-space:nowrap;overflow:hidden}
.months th:first-child{width:3.4em;text-align:left}
.months th:last-child{width:3.6em}
.months td.v{background:rgba(79,127,176,var(--a,0))}
.months tr.year{cursor:pointer}
.event{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--bar);border-radius:6px;padding:8px 12px;margin:8px 0}
.event.warning{border-left-color:var(--spike)}
.event.caution{border-left-color:var(--over)}
.event .when{font-weight:600}
.finding{margin:4px 0}
.finding .sev{font-size:12px;font-weight:600;text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}
.finding .sev.warning{color:var(--spike)}
.finding .sev.caution{color:#9a6400}
.finding .meta{color:var(--muted);font-size:13px}
.finding ul{margin:4px 0 0;padding-left:20px}
.event details.advice summary{font-size:13px;margin-top:2px}
.event a.open,.runs a{color:#245d92}
.empty{color:var(--muted);font-style:italic}
table.runs{border-collapse:collapse;width:100%;background:var(--card);font-size:13px}
.runs th,.runs td{border-bottom:1px solid var(--line);padding:4px 5px;text-align:right}
.runs th:nth-child(-n+3),.runs td:nth-child(-n+3){text-align:left}
.runs td.name{max-width:220px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.runs td.notes{text-align:left;font-size:12px;color:var(--muted);max-width:200px}
.runs tr[data-run]{cursor:pointer}
.runs tr[data-run]:hover{background:#eef4fa}
.errors li{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
footer{color:var(--muted);font-size:13px;padding:24px 16px 40px}
details summary{cursor:pointer;color:var(--muted)}
#run-view{position:fixed;inset:0;background:var(--bg);overflow-y:auto;z-index:10;padding:0 0 40px}
#run-view[hidden]{display:none}
#run-view .bar-top{position:sticky;top:0;background:var(--card);border-bottom:1px solid var(--line);padding:8px 16px;display:flex;gap:12px;align-items:center;justify-content:space-between}
#run-view .inner{max-width:1100px;margin:0 auto;padding:0 16px}
#run-view a.close{white-space:nowrap;flex-shrink:0;font-size:15px;padding:6px 12px;border:1px solid var(--line);border-radius:14px;text-decoration:none;color:var(--ink);background:var(--bg)}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:0 14px}
#run-view svg,#run-view svg .label{font-size:16px}
table.compare,table.splits{border-collapse:collapse;background:var(--card);font-size:13px;width:100%}
.compare th,.compare td,.splits th,.splits td{border-bottom:1px solid var(--line);padding:3px 6px;text-align:right}
.compare th:first-child,.compare td:first-child{text-align:left}
.scroll{overflow-x:auto}
@media (max-width:640px){
body{font-size:15px}
header,main,footer{padding:0 10px}
svg{font-size:23px}
svg .label{font-size:23px}
svg .legend{display:none}
svg .axis.y .label{display:none}
.grid2{grid-template-columns:1fr}
#run-view svg,#run-view svg .label{font-size:23px}
.runs .wide{display:none}
.runs td.name{max-width:110px}
.months{font-size:11px}
.months .tot{display:none}
}
@media print{
body{background:#fff;font-size:12px}
.periods,#run-view,.runs td a,.event a.open{display:none}
figure,.card,.event{break-inside:avoid}
details{display:block}
details>summary{display:none}
details:not([open])>*{display:block}
header,main,footer{max-width:none}
}
`;

/**
 * Renders the report as one HTML document (a string starting with
 * `<!doctype html>`). Pure; the same report and options give the same bytes.
 *
 * @example
 * const html = renderHtml(report, { units: 'km' });
 * html.startsWith('<!doctype html>'); // true
 * // in a browser, open it from a Blob:
 * // window.open(URL.createObjectURL(new Blob([html], { type: 'text/html' })));
 */
export function renderHtml(report: Report, options: HtmlReportOptions = {}): string {
  const units = options.units ?? 'km';
  const p = report.period;
  const title = p.firstDate !== null ? `stridewise report, ${p.firstDate} to ${p.lastDate ?? p.firstDate}` : 'stridewise report';
  const runIndex = runIndexOf(report);
  const views = options.runViews ?? true;
  const body = [
    header(report, units, title),
    '<main>',
    loadSection(report, units, options.recentWeeks ?? 52, views ? runIndex : new Map()),
    findingsSection(report, units, views ? runIndex : new Map()),
    cadenceSection(report, units),
    heartRateSection(report, units),
    downhillSection(report, units),
    activitiesSection(report, units, options.maxActivityRows ?? 500, views ? runIndex : new Map()),
    errorsSection(report),
    '</main>',
    footer(report),
    views && runIndex.size > 0 ? runViewBlock(report, units, runIndex) : '',
  ].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${escapeHtml(`${report.generator.name} ${report.generator.version}`)}">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** Running activities by id → their number in the run views (in report order). */
function runIndexOf(report: Report): Map<string, number> {
  const map = new Map<string, number>();
  report.activities.forEach((a) => {
    if (a.activityClass === 'running') map.set(a.id, map.size);
  });
  return map;
}

function header(report: Report, units: DisplayUnits, title: string): string {
  const p = report.period;
  const c = cadenceOverview(report);
  const d = downhillOverview(report);
  const tz = report.settings.timeZone !== null ? ` · times in ${report.settings.timeZone}` : '';
  const cards = [
    card(String(p.runs), `${p.runs === 1 ? 'run' : 'runs'} (${p.activities} ${p.activities === 1 ? 'activity' : 'activities'})`),
    card(formatDistance(p.runningDistanceM, units, 0), `running in ${formatDuration(p.runningTimeS)}`),
    card(c.avgSpm !== null ? `${formatNumber(c.avgSpm, 0)} spm` : '–', 'average cadence'),
    card(formatElevation(d.descentM, units), 'descent'),
    card(
      `${report.findingCounts.warning} / ${report.findingCounts.caution} / ${report.findingCounts.info}`,
      'warnings / cautions / info',
    ),
  ];
  const sports = sportNotes(report);
  return `<header>
<h1>${escapeHtml(title)}</h1>
<p class="sub">Where training and running form load the knee: cadence, step length, downhill running and mileage spikes${escapeHtml(tz)}.</p>
<div class="cards">${cards.join('')}</div>${sports.length > 0 ? `\n<p class="sub">${escapeHtml(sports.join(' '))}</p>` : ''}
</header>`;
}

function card(value: string, label: string): string {
  return `<div class="card"><b>${escapeHtml(value)}</b><span>${escapeHtml(label)}</span></div>`;
}

const SEVERITY_WORD: Readonly<Record<Severity, string>> = { warning: 'warning', caution: 'caution', info: 'info' };

const RULE_WORDS: Readonly<Record<string, string>> = {
  'low-cadence': 'low step rate',
  'cadence-target': 'step-rate target',
  overstriding: 'long steps for the speed',
  'downhill-overstriding': 'long steps downhill',
  'downhill-heavy': 'heavy downhill',
  'descent-spike': 'descent spike',
  'session-spike': 'long-run spike',
  'return-from-break': 'return from a break',
  'weekly-increase': 'weekly increase',
  acwr: 'acute:chronic load',
  'shoe-mileage': 'shoe mileage',
  'data-quality': 'not judged',
};

function ruleWords(rule: string): string {
  return RULE_WORDS[rule] ?? rule.replace(/^custom:/, 'custom rule: ');
}

function findingHtml(f: Finding, units: DisplayUnits): string {
  const measure = findingMeasure(f, units);
  const meta = [ruleWords(f.rule), measure, `evidence ${f.evidence.grade}: ${f.evidence.reference}`].filter((x): x is string => x !== null);
  return `<div class="finding ${f.severity}" data-rule="${escapeHtml(f.rule)}"><span class="sev ${f.severity}">${SEVERITY_WORD[f.severity]}</span> ${escapeHtml(localizeText(f.message, units))}<div class="meta">${escapeHtml(meta.join(' · '))}</div></div>`;
}

function eventHtml(e: FindingEvent, units: DisplayUnits, runIndex: ReadonlyMap<string, number>): string {
  const when = e.date === null ? 'Across your history' : e.key.startsWith('week:') ? `Week of ${e.date}` : e.date;
  const advice = [...new Set(e.findings.flatMap((f) => f.advice))];
  const adviceHtml =
    advice.length > 0
      ? `<details class="advice"><summary>What to do</summary><ul>${advice.map((a) => `<li>${escapeHtml(localizeText(a, units))}</li>`).join('')}</ul></details>`
      : '';
  const run = e.activityId !== null ? runIndex.get(e.activityId) : undefined;
  const open = run !== undefined ? ` · <a class="open" href="#run-${run}" data-open-run="${run}">open this run</a>` : '';
  return `<article class="event ${e.severity}" data-date="${escapeHtml(e.date ?? '')}"><div class="when">${escapeHtml(when)}${open}</div>${e.findings.map((f) => findingHtml(f, units)).join('')}${adviceHtml}</article>`;
}

/** Events shown open before the rest are folded. */
const OPEN_EVENTS = 8;
/** Older events kept (folded) in the page. */
const MAX_FOLDED_EVENTS = 150;

function findingsSection(report: Report, units: DisplayUnits, runIndex: ReadonlyMap<string, number>): string {
  const { events, notes } = groupFindings(report.findings);
  const parts = ['<section id="findings"><h2>Findings</h2>'];
  if (events.length === 0) parts.push('<p class="empty">Nothing to flag in this period.</p>');
  else {
    parts.push(`<p class="sub">${events.length} ${events.length === 1 ? 'event' : 'events'}, most recent first; findings about the same day are one card, the strongest first.</p>`);
    // Recent first, so folding the tail hides only older events.
    const shown = events.slice(0, OPEN_EVENTS).map((e) => eventHtml(e, units, runIndex)).join('\n');
    const rest = events.slice(OPEN_EVENTS);
    parts.push(shown);
    if (rest.length > 0) {
      const cautions = rest.filter((e) => e.severity !== 'info').length;
      // A history of years holds thousands; the page keeps the most recent ones (all are in the JSON report).
      const kept = rest.slice(0, MAX_FOLDED_EVENTS);
      const left = rest.length - kept.length;
      parts.push(
        `<details><summary>${rest.length} older ${rest.length === 1 ? 'event' : 'events'}${cautions > 0 ? ` (${cautions} with a caution or warning)` : ''}</summary>${kept.map((e) => eventHtml(e, units, runIndex)).join('\n')}${left > 0 ? `<p class="sub">and ${left} older ${left === 1 ? 'event' : 'events'}, listed in the JSON report.</p>` : ''}</details>`,
      );
    }
  }
  if (notes.length > 0) {
    parts.push(
      `<details id="not-judged"><summary>Not judged: ${notes.length} ${notes.length === 1 ? 'note' : 'notes'} on data that could not be trusted</summary>${notes
        .map((f) => `<div class="event info" data-date="${escapeHtml(f.date ?? '')}"><div class="when">${escapeHtml(f.date ?? '')}</div><div class="finding">${escapeHtml(localizeText(f.message, units))}</div></div>`)
        .join('\n')}</details>`,
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

function figure(svg: string | null, caption: string, emptyText: string, attrs = ''): string {
  if (svg === null) return `<p class="empty">${escapeHtml(emptyText)}</p>`;
  return `<figure${attrs}>${svg}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

/**
 * Running-dynamics trends (ground contact time, vertical oscillation) per
 * period, drawn only when at least two periods have runs that recorded them;
 * nothing otherwise (most watches record no dynamics, and an empty chart per
 * missing measure would say nothing).
 */
function dynamicsTrendFigures(trend: ReturnType<typeof formTrend>, units: DisplayUnits): string {
  const per = isWeekly(trend) ? 'week' : 'month';
  const out: string[] = [];
  if (trend.filter((p) => p.stanceTimeS !== null).length >= 2) {
    out.push(figure(cadenceTrendChart(trend, { units, measure: 'contact' }), `Ground contact time per ${per}, over the runs that recorded it (running dynamics; running time weighted). It falls as speed rises: compare periods run at similar paces.`, ''));
  }
  if (trend.filter((p) => p.verticalOscillationM !== null).length >= 2) {
    out.push(figure(cadenceTrendChart(trend, { units, measure: 'oscillation' }), `Vertical oscillation per ${per}, over the runs that recorded it (running dynamics; running time weighted).`, ''));
  }
  return out.length > 0 ? `\n${out.join('\n')}` : '';
}

/** Local date of the last running activity, else of the last activity. */
function lastRunDate(report: Report): string | null {
  let last: string | null = null;
  for (const a of report.activities) if (a.activityClass === 'running' && a.localDate !== null && (last === null || a.localDate > last)) last = a.localDate;
  return last ?? report.period.lastDate;
}

/** Week start of the report's week holding a date (the first week when the date precedes them). */
function weekStartOf(report: Report, date: string): string {
  let found = report.weeks[0]?.weekStart ?? date;
  for (const w of report.weeks) if (w.weekStart <= date) found = w.weekStart;
  return found;
}

function loadSection(report: Report, units: DisplayUnits, recentWeeks: number, runIndex: ReadonlyMap<string, number>): string {
  const last = lastRunDate(report);
  if (report.weeks.length === 0 || last === null) {
    return '<section id="load"><h2>Weekly distance</h2><p class="empty">No running weeks to show.</p></section>';
  }
  const endWeek = weekStartOf(report, last);
  const to = dateOfDay(dayNumber(endWeek) + 7);
  const from = dateOfDay(dayNumber(endWeek) - 7 * (recentWeeks - 1));
  const years = [...new Set(report.weeks.filter((w) => w.distanceM > 0).map((w) => w.weekStart.slice(0, 4)))].sort().reverse();
  const periods: { id: string; label: string; from: string; to: string }[] = [{ id: 'recent', label: `Last ${recentWeeks} weeks`, from, to }];
  if (years.length > 1 || report.weeks[0]!.weekStart < from) {
    for (const y of years) periods.push({ id: y, label: y, from: `${y}-01-01`, to: `${Number(y) + 1}-01-01` });
  }
  const limit = formatNumber(report.settings.maxWeeklyIncreaseRatio * 100, 0);
  const recent = loadChartData(report, from, to);
  if (periods.length === 1 && recent.weeks.filter((w) => w.distanceM > 0).length < 2) {
    // One week of running: a single bar says nothing; the runs' own views say more.
    const runs = report.activities.filter((a) => a.activityClass === 'running');
    const k = runIndex.get(runs[runs.length - 1]?.id ?? '');
    const km = recent.weeks.reduce((sum, w) => sum + w.distanceM, 0);
    return `<section id="load"><h2>Your running</h2>
<p>${escapeHtml(`${formatDistance(km, units)} in ${runs.length} ${runs.length === 1 ? 'run' : 'runs'} (${last}): too short a history for weekly load.`)}${k !== undefined ? ` <a href="#run-${k}" data-open-run="${k}">Open ${runs.length === 1 ? 'the run' : 'the last run'}</a> for its cadence, pace, heart rate and elevation along the way, splits and laps.` : ''}</p>
</section>`;
  }
  const figures = periods.map((p, i) => {
    const data = loadChartData(report, p.from, p.to);
    const svg = loadChart(data, { units, maxIncreaseRatio: report.settings.maxWeeklyIncreaseRatio, period: p.id });
    const km = data.weeks.reduce((s, w) => s + w.distanceM, 0);
    const caption = `${p.id === 'recent' ? `The ${data.weeks.length} ${data.weeks.length === 1 ? 'week' : 'weeks'} to your last run (${last})` : p.label}: ${formatDistance(km, units)} of running. Bars: calendar weeks (orange: more than +${limit} % on the week before). Line: the last 7 days at each run, the window the weekly-increase rule measures; a ringed dot is a weekly-increase finding, a triangle a single run much longer than the longest of the previous 30 days (the stronger signal, Frandsen 2025). Hover or tap a mark for its numbers.`;
    return figure(svg, caption, 'No running in this period.', ` class="period" data-period="${escapeHtml(p.id)}"${i === 0 ? '' : ' hidden'}`);
  });
  const nav =
    periods.length > 1
      ? `<nav class="periods" aria-label="Period">${periods.map((p, i) => `<button type="button" data-period="${escapeHtml(p.id)}" aria-pressed="${i === 0}">${escapeHtml(p.label)}</button>`).join('')}</nav>`
      : '';
  return `<section id="load"><h2>Weekly distance</h2>
${nav}
${figures.join('\n')}
${monthOverview(report, units)}
</section>`;
}

/** Running distance per month, one row per year (the whole history at a glance); a row chooses its year above. */
function monthOverview(report: Report, units: DisplayUnits): string {
  const byMonth = new Map<string, number>();
  for (const a of report.activities) {
    if (a.activityClass !== 'running' || a.localDate === null || !Number.isFinite(a.runningDistanceM)) continue;
    const key = a.localDate.slice(0, 7);
    byMonth.set(key, (byMonth.get(key) ?? 0) + a.runningDistanceM);
  }
  if (byMonth.size === 0) return '';
  const years = [...new Set([...byMonth.keys()].map((k) => k.slice(0, 4)))].sort().reverse();
  const max = Math.max(...byMonth.values());
  const rows = years.map((y) => {
    let total = 0;
    const cells = MONTHS.map((_, m) => {
      const v = byMonth.get(`${y}-${String(m + 1).padStart(2, '0')}`) ?? 0;
      total += v;
      return v > 0
        ? `<td class="v" style="--a:${(0.12 + 0.6 * (v / max)).toFixed(2)}" title="${escapeHtml(`${MONTHS[m]} ${y}: ${formatDistance(v, units)}`)}">${formatNumber(toDisplayDistance(v, units), 0)}</td>`
        : '<td></td>';
    });
    return `<tr class="year" data-period="${y}"><th scope="row">${y}</th>${cells.join('')}<td class="tot"><b>${formatNumber(toDisplayDistance(total, units), 0)}</b></td></tr>`;
  });
  return `<h3>Your whole history: running ${units} per month</h3>
<table class="months"><thead><tr><th></th>${MONTHS.map((m) => `<th>${m.slice(0, 1)}<span class="wide">${m.slice(1)}</span></th>`).join('')}<th class="tot">year</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function isWeekly(trend: readonly { readonly start: string }[]): boolean {
  return trend.some((p) => !p.start.endsWith('-01'));
}

function typicalFlatSpeed(activities: readonly ActivitySummary[]): number {
  let sum = 0;
  let w = 0;
  for (const a of activities) {
    const v = a.cadence.flatSpeedMps;
    if (a.activityClass === 'running' && v !== null && Number.isFinite(v) && a.cadence.flatTimeS > 0) {
      sum += v * a.cadence.flatTimeS;
      w += a.cadence.flatTimeS;
    }
  }
  return w > 0 ? sum / w : 3;
}

/** A coarse histogram from the time-in-band totals of the summaries, or null when there is no cadence. */
function bandHistogram(c: ReturnType<typeof cadenceOverview>): CadenceHistogram | null {
  if (c.bandShares === null) return null;
  const b = c.bandShares;
  return { fromSpm: 150, binWidthSpm: 10, timeS: [b.below160, b.from160to170, b.from170to180, b.atLeast180] };
}

function cadenceSection(report: Report, units: DisplayUnits): string {
  const c = cadenceOverview(report);
  const s = stepLengthOverview(report);
  const speed = typicalFlatSpeed(report.activities);
  // A personal target is drawn only where a step-rate or step-length finding asks for one (or the personal
  // mode reported on it); otherwise the band is what runners typically take at that speed, not a target.
  const wantsTarget = report.findings.some((f) => f.rule === 'low-cadence' || f.rule === 'overstriding' || f.rule === 'cadence-target');
  const band = targetBandAt(speed, wantsTarget ? report.cadenceBaseline : null);
  const trend = formTrend(report.activities);
  const trendFigures =
    trend.length >= 2
      ? `${figure(cadenceTrendChart(trend, { units, measure: 'cadence', band: wantsTarget && report.cadenceBaseline !== null ? band : null }), `Step rate per ${trend.length > 0 && isWeekly(trend) ? 'week' : 'month'} (running time weighted), beside what runners typically take at the speeds you ran (dashed; van Oeveren 2019).${wantsTarget && report.cadenceBaseline !== null ? ' Shaded: your personal target, +5 to +10 % over your own rate.' : ''}`, 'No cadence to show over time.')}
${figure(cadenceTrendChart(trend, { units, measure: 'step' }), 'Step length over time, beside the typical step length at your speeds (dashed).', 'No step length to show over time.')}${dynamicsTrendFigures(trend, units)}`
      : '';
  // Without the per-sample histogram (a report built from summaries only), the summaries' 10-spm bands stand in.
  const coarse = report.cadenceDistribution === null ? bandHistogram(c) : null;
  const histogram = report.cadenceDistribution ?? coarse;
  const hist = histogram !== null ? cadenceHistogramChart(histogram, { band, minCadenceSpm: report.settings.minCadenceSpm }) : null;
  const scatter = cadenceSpeedChart(report.activities, { units, baseline: wantsTarget ? report.cadenceBaseline : null, minCadenceSpm: report.settings.minCadenceSpm });
  const lines: string[] = [];
  if (c.runsWithCadence > 0) {
    lines.push(
      c.runsWithCadence === 1
        ? `Running cadence ${formatNumber(c.avgSpm, 0)} steps/min over 1 run${runningShareText(c)}.`
        : `Running cadence ${formatNumber(c.avgSpm, 0)} steps/min over ${c.runsWithCadence} runs${runningShareText(c)} (run averages ${formatNumber(c.minRunAvgSpm, 0)}–${formatNumber(c.maxRunAvgSpm, 0)}).`,
    );
    if (c.movingAvgSpm !== null && runningShareText(c) !== '') lines.push(`Moving average with walking included: ${formatNumber(c.movingAvgSpm, 0)} steps/min (what a watch shows as average cadence).`);
    if (c.flatAvgSpm !== null) {
      lines.push(
        `On flat, steady running: ${formatNumber(c.flatAvgSpm, 0)} spm at ${formatPace(c.flatSpeedMps, units)}, where runners typically take ${formatNumber(c.flatExpectedSpm, 0)} ±8 spm (van Oeveren 2019).`,
      );
    }
  }
  if (s.runsWithStepLength > 0) {
    lines.push(
      `Step length ${formatStepLength(s.avgM, units)} on average, ${formatNumber(s.ratioToExpected, 2)} × the typical step for your speeds${s.longStepTimeS > 0 ? `; ${formatDuration(s.longStepTimeS)} of flat running with long steps for the speed` : ''}.`,
    );
  }
  if (c.bandShares !== null) {
    const b = c.bandShares;
    lines.push(
      `Running time below 160 spm: ${formatPercent(b.below160)}; 160–170: ${formatPercent(b.from160to170)}; 170–180: ${formatPercent(b.from170to180)}; 180 and above: ${formatPercent(b.atLeast180)}.`,
    );
  }
  lines.push(
    'Raising step rate 5–10 % above your own usual rate lowered knee load in lab studies (Heiderscheit 2011; Lenhart 2014); there is no universal target such as 180.',
  );
  return `<section id="cadence"><h2>Cadence and step length</h2>
${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
${trendFigures}
${figure(hist, `Share of running time per step rate${coarse !== null ? ' (10-spm bands: below 160 and 180 and above are drawn as 150–160 and 180–190)' : ''}. Shaded: ${band.label} at ${formatPace(speed, units)}.`, 'No cadence recorded in these runs.')}
${figure(scatter, 'Each circle is one run at one speed (flat, steady running; bigger = more time). Dashed: typical step rate for the speed; shaded: ' + band.label + '.', 'No flat, steady running with cadence to plot against speed.')}
</section>`;
}

function downhillSection(report: Report, units: DisplayUnits): string {
  const d = downhillOverview(report);
  const cats = d.segmentsByCategory;
  const lines = [
    `Descent ${formatElevation(d.descentM, units)} in total; ${formatDistance(d.downhillDistanceM, units)} run at -5 % or steeper and ${formatDistance(d.steepDownhillDistanceM, units)} at -10 % or steeper.`,
    `Downhill stretches: ${cats.mild} mild, ${cats.moderate} moderate, ${cats.steep} steep, ${cats['very-steep']} very steep. Downhill running loads the front of the knee through braking (eccentric) work.`,
  ];
  const profile = report.elevationProfile;
  const run = profile !== null ? report.activities.find((a) => a.id === profile.activityId) ?? null : null;
  let fig =
    report.elevationProfileMissing === true
      ? '<p class="empty">The runs have elevation, but this report was built without an elevation profile (build it from the analysis extras to draw one; open a run below for its own profile).</p>'
      : '<p class="empty">No run with elevation data to profile.</p>';
  if (profile !== null && run !== null) {
    const label = `${run.localDate ?? 'undated'} ${displayLabel(run.name ?? run.file ?? run.id)}`;
    const svg = elevationProfileChart(profile, run.downhillSegments, { units, title: label });
    fig = figure(
      svg,
      `${profile.chosenBy === 'user' ? 'Chosen run' : 'Hilliest run'}: ${label}, ${formatDistance(run.distanceM, units)}, ${formatElevation(run.elevation.descentM, units)} descent, ${run.downhillSegments.length} downhill ${run.downhillSegments.length === 1 ? 'stretch' : 'stretches'} (shaded, profile in red).`,
      'The chosen run has no usable elevation profile.',
    );
  }
  return `<section id="downhill"><h2>Downhill running</h2>
${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
${fig}
</section>`;
}

/** The activity table's cadence cell: the running cadence, with the share of moving time it covers when walking took part ("158 (10 % running)"). */
function activityCadenceCell(a: ActivitySummary): string {
  const spm = formatNumber(a.cadence.avgSpm, 0);
  const share = a.cadence.runningShareOfMovingTime;
  if (a.cadence.avgSpm === null || share === undefined || !Number.isFinite(share) || share >= 0.995) return spm;
  return `${spm} (${formatPercent(share)} running)`;
}

function activitiesSection(report: Report, units: DisplayUnits, maxRows: number, runIndex: ReadonlyMap<string, number>): string {
  const list = report.activities;
  if (list.length === 0) return '<section id="activities"><h2>Activities</h2><p class="empty">No activities.</p></section>';
  const shown = list.slice(Math.max(0, list.length - maxRows)).reverse();
  const rows = shown.map((a) => {
    // The file's own name, not its folders (the full path is in the tooltip).
    const name = displayLabel(a.name ?? (a.file !== null ? a.file.split(/[\\/!]/).pop() ?? a.file : a.id));
    const footSport = a.activityClass === 'running' || a.activityClass === 'walking';
    const pace = footSport ? formatPace(a.avgSpeedMps, units) : formatSpeed(a.avgSpeedMps, units);
    const quality = a.quality.map((q) => qualityText(q.code)).join(', ');
    const k = runIndex.get(a.id);
    const nameCell = k !== undefined ? `<a href="#run-${k}">${escapeHtml(name)}</a>` : escapeHtml(name);
    const sport = a.sport + (a.subSport !== 'generic' ? `/${a.subSport}` : '');
    return `<tr${k !== undefined ? ` data-run="${k}"` : ''}><td>${escapeHtml(a.localDate ?? 'undated')}</td><td class="name" title="${escapeHtml(`${displayLabel(a.file ?? '')} ${a.id}`)}">${nameCell}</td><td class="wide">${escapeHtml(sport)}</td><td>${escapeHtml(formatDistance(a.distanceM, units, 2))}</td><td class="wide">${escapeHtml(formatDuration(a.movingTimeS))}</td><td>${escapeHtml(pace)}</td><td>${escapeHtml(activityCadenceCell(a))}</td><td class="wide">${escapeHtml(formatStepLength(a.stepLength.avgM, units))}</td><td class="wide">${escapeHtml(formatElevation(a.elevation.descentM, units))}</td><td class="notes wide">${escapeHtml(quality)}</td></tr>`;
  });
  const note = shown.length < list.length ? `<p class="sub">The ${shown.length} most recent of ${list.length} activities.</p>` : '';
  const hint = runIndex.size > 0 ? ' Open a run (its name, or anywhere on its row) for its cadence, pace, heart rate and elevation along the way, splits and laps.' : '';
  return `<section id="activities"><h2>Activities</h2>${note}
<details${list.length <= 30 ? ' open' : ''}><summary>${list.length} ${list.length === 1 ? 'activity' : 'activities'}, most recent first.${escapeHtml(hint)}</summary>
<table class="runs"><thead><tr><th>date</th><th>name or file</th><th class="wide">sport</th><th>distance</th><th class="wide">moving</th><th>pace / speed</th><th title="running cadence (share of moving time it covers, when walking took part)">spm</th><th class="wide">step</th><th class="wide">descent</th><th class="wide">data notes</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></details>
</section>`;
}

/** Most unreadable files listed per list; the rest are counted. */
export const MAX_LISTED_ERRORS = 200;

/** Heart rate and running dynamics over the runs, where the files have them. */
function heartRateSection(report: Report, units: DisplayUnits): string {
  const runs = report.activities.filter((a) => a.activityClass === 'running');
  const hr = runs.filter((a) => a.avgHeartRateBpm !== null && Number.isFinite(a.avgHeartRateBpm));
  const trimp = runs.filter((a) => a.trimp !== undefined && a.trimp !== null && Number.isFinite(a.trimp));
  const dyn = runs.filter((a) => a.dynamics !== null && a.dynamics.stanceTimeS !== null);
  if (hr.length === 0 && dyn.length === 0) return '';
  const lines: string[] = [];
  if (hr.length > 0) {
    const t = hr.reduce((s, a) => s + a.runningTimeS, 0);
    const avg = t > 0 ? hr.reduce((s, a) => s + a.avgHeartRateBpm! * a.runningTimeS, 0) / t : null;
    lines.push(`Average heart rate ${formatNumber(avg, 0)} bpm over ${hr.length} ${hr.length === 1 ? 'run' : 'runs'} with a heart rate record (each run's own average is in its view).`);
  }
  const zoneTimes = (report.runTraces ?? []).map((t) => t.heartRateZonesS).filter((z): z is readonly number[] => z !== undefined);
  if (zoneTimes.length > 0) {
    const sums = [0, 0, 0, 0, 0];
    for (const z of zoneTimes) z.forEach((v, i) => (sums[i]! += v));
    const total = sums.reduce((a, b) => a + b, 0);
    const names = ['under 60', '60–70', '70–80', '80–90', '90 and more'];
    lines.push(
      `Time in heart-rate zones (% of your maximum heart rate) over ${zoneTimes.length} runs: ${sums.map((v, i) => `${names[i]} %: ${formatDuration(v)} (${formatPercent(total > 0 ? v / total : null)})`).join('; ')}.`,
    );
  }
  if (trimp.length > 0) {
    const sum = trimp.reduce((s, a) => s + a.trimp!, 0);
    lines.push(`Training impulse (Banister TRIMP, from your resting and maximum heart rate): ${formatNumber(sum, 0)} over ${trimp.length} runs, ${formatNumber(sum / trimp.length, 0)} per run.`);
  }
  if (dyn.length > 0) {
    const t = dyn.reduce((s, a) => s + a.runningTimeS, 0);
    const mean = (f: (a: ReportActivity) => number | null): number | null => {
      let sum = 0;
      let w = 0;
      for (const a of dyn) {
        const v = f(a);
        if (v !== null && Number.isFinite(v)) {
          sum += v * a.runningTimeS;
          w += a.runningTimeS;
        }
      }
      return w > 0 && t > 0 ? sum / w : null;
    };
    const gct = mean((a) => a.dynamics!.stanceTimeS);
    const vo = mean((a) => a.dynamics!.verticalOscillationM);
    const vr = mean((a) => a.dynamics!.verticalRatioPct);
    const bal = mean((a) => a.dynamics!.stanceTimeBalancePct);
    lines.push(
      `Running dynamics (${dyn.length} ${dyn.length === 1 ? 'run' : 'runs'}): ground contact ${gct !== null ? `${formatNumber(gct * 1000, 0)} ms` : '–'}, vertical oscillation ${vo !== null ? (units === 'km' ? `${formatNumber(vo * 100, 1)} cm` : `${formatNumber(vo / 0.0254, 1)} in`) : '–'}, vertical ratio ${vr !== null ? `${formatNumber(vr, 1)} %` : '–'}, left/right balance ${bal !== null ? `${formatNumber(bal, 1)} % left` : '–'}.`,
    );
  }
  return `<section id="heart-rate"><h2>Heart rate and running dynamics</h2>
${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
</section>`;
}

function runViewBlock(report: Report, units: DisplayUnits, runIndex: ReadonlyMap<string, number>): string {
  return `<div id="run-view" hidden role="dialog" aria-label="Run view"></div>
<script type="application/json" id="run-data">${runViewData(report, units, runIndex)}</script>
<script>${RUN_VIEW_SCRIPT}</script>`;
}

function errorsSection(report: Report): string {
  const dup =
    report.duplicates.length > 0
      ? `<p class="sub">${report.duplicates.length} ${report.duplicates.length === 1 ? 'file repeats an activity' : 'files repeat activities'} already read, counted once: ${report.duplicates
          .map((d) => `${escapeHtml(displayLabel(d.file))} (same as ${escapeHtml(displayLabel(d.keptFile))})`)
          .join(', ')}.</p>`
      : '';
  if (report.errors.length === 0) return dup === '' ? '' : `<section id="errors">${dup}</section>`;
  const item = (e: Report['errors'][number]): string =>
    `<li>${escapeHtml(displayLabel(e.file))}: ${escapeHtml(e.code)}: ${escapeHtml(displayMessage(e.message))}</li>`;
  // At most MAX_LISTED_ERRORS per list, the rest counted: the JSON report lists them all.
  const list = (errors: Report['errors']): string =>
    `<ul class="errors">${errors.slice(0, MAX_LISTED_ERRORS).map(item).join('\n')}${
      errors.length > MAX_LISTED_ERRORS ? `\n<li>… and ${errors.length - MAX_LISTED_ERRORS} more (the JSON report lists them all)</li>` : ''
    }</ul>`;
  const nonActivities = report.errors.filter((e) => e.code === 'NOT_AN_ACTIVITY');
  const others = report.errors.filter((e) => e.code !== 'NOT_AN_ACTIVITY');
  const parts = [`<section id="errors"><h2>Files that could not be read (${report.errors.length})</h2>`, dup];
  if (others.length > 0) parts.push(list(others));
  if (nonActivities.length > 0) {
    parts.push(
      `<details${nonActivities.length <= 3 ? ' open' : ''}><summary>${nonActivities.length} ${nonActivities.length === 1 ? 'file holds' : 'files hold'} no activity (monitoring, settings or course files)</summary>${list(nonActivities)}</details>`,
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

function footer(report: Report): string {
  return `<footer>
<p>No measure a watch can record has been shown in a trial to prevent knee pain. Findings describe patterns associated with knee load or injury in studies, each with its evidence grade (A strongest to D convention or expert opinion). They are not a diagnosis; see a health professional for pain that persists.</p>
<p>Made by ${escapeHtml(report.generator.name)} ${escapeHtml(report.generator.version)} · report schema ${report.schemaVersion}</p>
</footer>`;
}
