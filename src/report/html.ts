/**
 * One self-contained HTML page for a {@link Report}: inline CSS and inline
 * SVG charts, no script, no fonts, no network (a Content-Security-Policy
 * forbids every fetch), so it opens from disk and can be mailed around.
 * Every piece of text from files or the user is escaped.
 *
 * Runs in browsers as well as in Node: no Node built-ins here.
 */
import type { ActivitySummary } from '../analysis/types.js';
import { displayLabel, displayMessage } from '../labels.js';
import type { Finding, Severity } from '../rules/types.js';
import {
  cadenceHistogramChart,
  cadenceSpeedChart,
  elevationProfileChart,
  MAX_CHART_WEEKS,
  targetBandAt,
  weeklyDistanceChart,
} from './charts.js';
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
  type DisplayUnits,
} from './format.js';
import type { CadenceHistogram, Report } from './model.js';
import { cadenceOverview, downhillOverview, runningShareText, sportNotes, stepLengthOverview, weekMarks } from './overview.js';
import { escapeHtml } from './svg.js';

/** Options of {@link renderHtml}. */
export interface HtmlReportOptions {
  /** Distance units shown (data stay in metres). Default `km`. */
  readonly units?: DisplayUnits;
  /** Most recent activities listed in the table. Default 500. */
  readonly maxActivityRows?: number;
}

const SEVERITY_TITLES: Readonly<Record<Severity, string>> = {
  warning: 'Warnings',
  caution: 'Cautions',
  info: 'For information',
};

const STYLE = `
:root{--ink:#1d2327;--muted:#5b6770;--line:#d8dee3;--bg:#f6f8f9;--card:#fff;--bar:#4f7fb0;--over:#e0a030;--spike:#c8372d;--band:#2f9e6b;--down:#c8372d;--terrain:#b8c6d3}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);background:var(--bg)}
header,main,footer{max-width:960px;margin:0 auto;padding:0 20px}
header{padding-top:24px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:16px;margin:18px 0 6px}
.sub{color:var(--muted);margin:0}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:18px 0}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.card b{display:block;font-size:22px}
.card span{color:var(--muted);font-size:13px}
figure{margin:10px 0 18px;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:8px}
figcaption{color:var(--muted);font-size:13px;padding:0 6px 4px}
svg{width:100%;height:auto;display:block;font-size:11px}
svg text{fill:var(--muted)}
svg .label{font-size:12px}
svg .grid{stroke:#eef1f3}
svg .axis line{stroke:#9aa5ad}
svg .legend text{fill:var(--ink)}
svg .bar{fill:var(--bar)}
svg .bar.over{fill:var(--over)}
svg .spike{fill:var(--spike)}
svg .band{fill:var(--band);fill-opacity:.16;stroke:none}
svg .expected{fill:none;stroke:#59636b;stroke-width:1.5;stroke-dasharray:5 4}
svg line.expected{stroke-dasharray:5 4}
svg .floor{stroke:var(--spike);stroke-width:1.5;stroke-dasharray:2 3}
svg .point{fill:var(--bar);fill-opacity:.55;stroke:#2c5680;stroke-width:.6}
svg .terrain{fill:var(--terrain);fill-opacity:.55}
svg .profile{fill:none;stroke:#5a6f82;stroke-width:1.4}
svg .downhill{fill:none;stroke:var(--down);stroke-width:3}
svg .downhill-band{fill:var(--down);fill-opacity:.10}
svg .downhill-band.steep,svg .downhill-band.very-steep{fill-opacity:.2}
.finding{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--bar);border-radius:6px;padding:8px 12px;margin:8px 0}
.finding.warning{border-left-color:var(--spike)}
.finding.caution{border-left-color:var(--over)}
.finding .meta{color:var(--muted);font-size:13px}
.finding ul{margin:4px 0 0;padding-left:20px}
.finding details.advice summary{font-size:13px;margin-top:2px}
.empty{color:var(--muted);font-style:italic}
table{border-collapse:collapse;width:100%;background:var(--card);font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:4px 6px;text-align:right;white-space:nowrap}
th:first-child,td:first-child,th:nth-child(2),td:nth-child(2),th:nth-child(3),td:nth-child(3){text-align:left}
td.name{max-width:180px;overflow:hidden;text-overflow:ellipsis}
.errors li{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
footer{color:var(--muted);font-size:13px;padding:24px 20px 40px}
details summary{cursor:pointer;color:var(--muted)}
@media print{body{background:#fff}figure,.card,.finding{break-inside:avoid}}
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
  const body = [
    header(report, units, title),
    '<main>',
    loadSection(report, units),
    findingsSection(report),
    cadenceSection(report, units),
    downhillSection(report, units),
    activitiesSection(report, units, options.maxActivityRows ?? 500),
    errorsSection(report),
    '</main>',
    footer(report),
  ].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
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

function header(report: Report, units: DisplayUnits, title: string): string {
  const p = report.period;
  const c = cadenceOverview(report);
  const d = downhillOverview(report);
  const tz = report.settings.timeZone !== null ? ` · times in ${report.settings.timeZone}` : '';
  const cards = [
    card(String(p.runs), `runs (${p.activities} activities)`),
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

/** Decimals for a finding's numbers by unit: whole metres, seconds and steps; two for ratios. */
function unitDecimals(unit: string): number {
  return unit === 'm' || unit === 's' || unit === 'spm' || unit === 'days' ? 0 : unit === 'km' ? 1 : 2;
}

function findingHtml(f: Finding): string {
  const when = f.date ?? (f.week !== null ? `week of ${f.week}` : null);
  const meta = [when, f.rule, `evidence ${f.evidence.grade}: ${f.evidence.reference}`].filter((x): x is string => x !== null);
  const d = unitDecimals(f.unit);
  const unit = f.unit === 'ratio' ? '' : ` ${f.unit}`;
  const observed =
    f.observed !== null && f.threshold !== null
      ? `measured ${formatNumber(f.observed, d)}${unit}, limit ${formatNumber(f.threshold, d)}${unit}`
      : f.observed !== null
        ? `measured ${formatNumber(f.observed, d)}${unit}`
        : null;
  if (observed !== null) meta.splice(1, 0, observed);
  const advice =
    f.advice.length > 0
      ? `<details class="advice"><summary>What to do</summary><ul>${f.advice.map((a) => `<li>${escapeHtml(a)}</li>`).join('')}</ul></details>`
      : '';
  return `<div class="finding ${f.severity}" data-rule="${escapeHtml(f.rule)}"><div>${escapeHtml(f.message)}</div><div class="meta">${escapeHtml(meta.join(' · '))}</div>${advice}</div>`;
}

function findingsSection(report: Report): string {
  const parts = ['<section id="findings"><h2>Findings</h2>'];
  if (report.findings.length === 0) {
    parts.push('<p class="empty">Nothing to flag in this period.</p>');
  }
  for (const severity of ['warning', 'caution', 'info'] as const) {
    const list = report.findings.filter((f) => f.severity === severity);
    if (list.length === 0) continue;
    // Info is folded; long lists of the other severities show their first ten and fold the rest.
    const openCount = severity === 'info' ? (list.length > 6 ? 0 : list.length) : list.length > 12 ? 10 : list.length;
    const shown = list.slice(0, openCount).map(findingHtml).join('\n');
    const rest = list.slice(openCount).map(findingHtml).join('\n');
    const more = openCount === 0 ? `show all ${list.length}` : `show ${list.length - openCount} more`;
    parts.push(`<h3>${SEVERITY_TITLES[severity]} (${list.length})</h3>${shown}${rest !== '' ? `<details><summary>${more}</summary>${rest}</details>` : ''}`);
  }
  parts.push('</section>');
  return parts.join('\n');
}

function figure(svg: string | null, caption: string, emptyText: string): string {
  if (svg === null) return `<p class="empty">${escapeHtml(emptyText)}</p>`;
  return `<figure>${svg}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

function loadSection(report: Report, units: DisplayUnits): string {
  const marks = weekMarks(report);
  const svg = weeklyDistanceChart(report.weeks, { units, marks, maxIncreaseRatio: report.settings.maxWeeklyIncreaseRatio });
  const shown = report.weeks.slice(Math.max(0, report.weeks.length - MAX_CHART_WEEKS));
  const over = shown.filter((w) => marks.get(w.weekStart)?.overIncrease).length;
  const spikes = shown.filter((w) => marks.get(w.weekStart)?.spike).length;
  const last = report.weeks[report.weeks.length - 1];
  const lastText =
    last !== undefined
      ? ` Last week (from ${last.weekStart}): ${formatDistance(last.distanceM, units)}, ${formatChange(last.changeRatio)} on the week before.`
      : '';
  const span = shown.length < report.weeks.length ? `The last ${shown.length} of ${report.weeks.length} weeks. ` : '';
  return `<section id="load"><h2>Weekly distance</h2>
${figure(
  svg,
  `${span}Running distance per calendar week. ${over} ${over === 1 ? 'week' : 'weeks'} rose more than ${formatNumber(report.settings.maxWeeklyIncreaseRatio * 100, 0)} % on the week before; ${spikes} ${spikes === 1 ? 'week holds' : 'weeks hold'} a single run much longer than the longest of the previous 30 days (the stronger signal, Frandsen 2025).${lastText}`,
  'No running weeks to show.',
)}
</section>`;
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
  const band = targetBandAt(speed, report.cadenceBaseline);
  // Without the per-sample histogram (a report built from summaries only), the summaries' 10-spm bands stand in.
  const coarse = report.cadenceDistribution === null ? bandHistogram(c) : null;
  const histogram = report.cadenceDistribution ?? coarse;
  const hist = histogram !== null ? cadenceHistogramChart(histogram, { band, minCadenceSpm: report.settings.minCadenceSpm }) : null;
  const scatter = cadenceSpeedChart(report.activities, { units, baseline: report.cadenceBaseline, minCadenceSpm: report.settings.minCadenceSpm });
  const lines: string[] = [];
  if (c.runsWithCadence > 0) {
    lines.push(
      `Running cadence ${formatNumber(c.avgSpm, 0)} steps/min over ${c.runsWithCadence} runs${runningShareText(c)} (run averages ${formatNumber(c.minRunAvgSpm, 0)}–${formatNumber(c.maxRunAvgSpm, 0)}).`,
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
  let fig = '<p class="empty">No run with elevation data to profile.</p>';
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

function activitiesSection(report: Report, units: DisplayUnits, maxRows: number): string {
  const list = report.activities;
  if (list.length === 0) return '<section id="activities"><h2>Activities</h2><p class="empty">No activities.</p></section>';
  const shown = list.slice(Math.max(0, list.length - maxRows)).reverse();
  const rows = shown.map((a) => {
    // The file's own name, not its folders (the full path is in the tooltip).
    const name = displayLabel(a.name ?? (a.file !== null ? a.file.split(/[\\/!]/).pop() ?? a.file : a.id));
    const footSport = a.activityClass === 'running' || a.activityClass === 'walking';
    const pace = footSport ? formatPace(a.avgSpeedMps, units) : formatSpeed(a.avgSpeedMps, units);
    const quality = a.quality.map((q) => q.code).join(', ');
    return `<tr><td>${escapeHtml(a.localDate ?? 'undated')}</td><td class="name" title="${escapeHtml(`${displayLabel(a.file ?? '')} ${a.id}`)}">${escapeHtml(name)}</td><td>${escapeHtml(a.sport + (a.subSport !== 'generic' ? `/${a.subSport}` : ''))}</td><td>${escapeHtml(formatDistance(a.distanceM, units, 2))}</td><td>${escapeHtml(formatDuration(a.movingTimeS))}</td><td>${escapeHtml(pace)}</td><td>${escapeHtml(formatNumber(a.cadence.avgSpm, 0))}</td><td>${escapeHtml(formatStepLength(a.stepLength.avgM, units))}</td><td>${escapeHtml(formatElevation(a.elevation.descentM, units))}</td><td>${a.downhillSegments.length}</td><td>${escapeHtml(quality)}</td></tr>`;
  });
  const note = shown.length < list.length ? `<p class="sub">The ${shown.length} most recent of ${list.length} activities.</p>` : '';
  return `<section id="activities"><h2>Activities</h2>${note}
<details${list.length <= 30 ? ' open' : ''}><summary>${list.length} ${list.length === 1 ? 'activity' : 'activities'}</summary>
<div style="overflow-x:auto"><table><thead><tr><th>date</th><th>name or file</th><th>sport</th><th>distance</th><th>moving</th><th>pace / speed</th><th title="running cadence (share of moving time it covers, when walking took part)">spm</th><th>step</th><th>descent</th><th>downhills</th><th>data notes</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div></details>
</section>`;
}

/** Most unreadable files listed per list; the rest are counted. */
export const MAX_LISTED_ERRORS = 200;

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
