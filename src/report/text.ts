/**
 * Plain-text summary of a {@link Report}, for a terminal: period, weekly
 * distance with changes, cadence and step length, downhill exposure,
 * findings by severity with their advice, and files that could not be read.
 */
import { displayLabel, displayMessage, neutralize } from '../labels.js';
import type { Finding, Severity } from '../rules/types.js';
import {
  formatChange,
  formatDistance,
  formatDuration,
  formatElevation,
  formatNumber,
  formatPace,
  formatPercent,
  formatStepLength,
  toDisplayDistance,
  type DisplayUnits,
} from './format.js';
import type { Report } from './model.js';
import { cadenceOverview, downhillOverview, runningShareText, sportNotes, stepLengthOverview, weekMarks } from './overview.js';
import { MONTHS, rollingLoadPoints } from './charts.js';
import { groupFindings } from './findings.js';
import { findingMeasure, localizeText } from './units.js';

/** Options of {@link renderText}. */
export interface TextReportOptions {
  /** Distance units shown (data stay in metres). Default `km`. */
  readonly units?: DisplayUnits;
  /** Most recent weeks listed in the weekly table; older ones are counted. Default 16. */
  readonly maxWeeks?: number;
  /** Findings events (one day's findings together) listed, most recent first; older ones are counted. Default 12. */
  readonly maxEvents?: number;
}

const SEVERITY_TITLES: Readonly<Record<Severity, string>> = {
  warning: 'WARNING',
  caution: 'CAUTION',
  info: 'INFO',
};

const BAR_WIDTH = 24;

/**
 * Renders the text summary. Pure: the same report and options give the same
 * string. Lines stay under about 100 characters except finding messages.
 *
 * @example
 * const text = renderText(report, { units: 'mi' }); // then e.g. process.stdout.write(text)
 * text.includes(' mi'); // true
 */
export function renderText(report: Report, options: TextReportOptions = {}): string {
  const units = options.units ?? 'km';
  const out: string[] = [];
  const p = report.period;
  const tz = report.settings.timeZone !== null ? ` (${report.settings.timeZone})` : '';
  out.push('stridewise summary');
  out.push('==================');
  if (p.activities === 0) {
    out.push('No activities to analyse.');
  } else {
    out.push(
      `Period: ${p.firstDate ?? 'undated'} to ${p.lastDate ?? 'undated'}${tz}: ${p.activities} ${plural(p.activities, 'activity', 'activities')}, ${p.runs} ${plural(p.runs, 'run', 'runs')}, ${formatDistance(p.runningDistanceM, units)} running in ${formatDuration(p.runningTimeS)}`,
    );
  }
  out.push(...sportNotes(report));
  if (report.settings.since !== null || report.settings.until !== null) {
    out.push(`Limited to ${report.settings.since ?? 'the start'} .. ${report.settings.until ?? 'the end'}`);
  }
  out.push('');
  renderWeeks(report, units, options.maxWeeks ?? 16, out);
  renderMonths(report, units, out);
  renderCadence(report, units, out);
  renderDownhill(report, units, out);
  renderFindings(report, units, options.maxEvents ?? 12, out);
  renderErrors(report, out);
  const lines = out.map((line) => localizeText(line.trimEnd(), units));
  return `${sanitizeForTerminal(lines.join('\n')).replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/**
 * Replaces control and bidi characters within lines (file names and names
 * from files are user input: an escape sequence must not reach the terminal);
 * labels are also capped where they are printed ({@link displayLabel}).
 */
function sanitizeForTerminal(text: string): string {
  return text.split('\n').map(neutralize).join('\n');
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

function renderWeeks(report: Report, units: DisplayUnits, maxWeeks: number, out: string[]): void {
  if (report.weeks.length === 0) return;
  const marks = weekMarks(report);
  const limit = `${formatChange(report.settings.maxWeeklyIncreaseRatio)}`.replace('+', '');
  // The weeks up to the last run (a ride or walk after it does not push the running out of view).
  let lastRun: string | null = null;
  for (const a of report.activities) if (a.activityClass === 'running' && a.localDate !== null && (lastRun === null || a.localDate > lastRun)) lastRun = a.localDate;
  const endIndex = lastRun === null ? report.weeks.length : report.weeks.filter((w) => w.weekStart <= lastRun!).length;
  const shown = report.weeks.slice(Math.max(0, endIndex - maxWeeks), Math.max(1, endIndex));
  out.push(`Weekly running distance (${units}), change vs previous week; the ${shown.length} ${plural(shown.length, 'week', 'weeks')} to your last run${lastRun !== null ? ` (${lastRun})` : ''}`);
  const earlier = report.weeks.length - shown.length;
  if (earlier > 0) out.push(`  (${earlier} other weeks not listed: see the months below, --since/--until, or the HTML report)`);
  const rolling = rollingLoadPoints(report.sessions);
  const flagged = new Map<string, string[]>();
  for (const f of report.findings) {
    if (f.rule !== 'weekly-increase' || f.date === null || f.severity === 'info') continue;
    const p = rolling.find((x) => x.date === f.date);
    const week = [...report.weeks].reverse().find((w) => w.weekStart <= f.date!)?.weekStart;
    if (p === undefined || week === undefined) continue;
    flagged.set(week, [...(flagged.get(week) ?? []), `7 days to ${f.date.slice(5)}: ${formatNumber(toDisplayDistance(p.rolling7dM, units), 1)} ${units} ${formatChange(p.changeRatio)}`]);
  }
  const max = Math.max(...shown.map((w) => w.distanceM), 1);
  // The history leaves out the empty weeks of a gap longer than a year: say so where weeks jump.
  const weeksBetween = (k: number): number =>
    k === 0 ? 0 : Math.round((Date.parse(`${shown[k]!.weekStart}T00:00:00Z`) - Date.parse(`${shown[k - 1]!.weekStart}T00:00:00Z`)) / (7 * 86_400_000)) - 1;
  for (let i = 0; i < shown.length; i++) {
    const w = shown[i]!;
    const gap = weeksBetween(i);
    if (gap > 0) out.push(`  (${gap} weeks without any activity)`);
    // Two or more weeks in a row without running fit on one line.
    let j = i;
    while (j + 1 < shown.length && weeksBetween(j + 1) === 0 && !(shown[j + 1]!.distanceM > 0) && !(w.distanceM > 0)) j++;
    if (j > i) {
      out.push(`  ${w.weekStart} to ${shown[j]!.weekStart}: no running (${j - i + 1} weeks)`);
      i = j;
      continue;
    }
    const m = marks.get(w.weekStart);
    const flags: string[] = [];
    if (m?.overIncrease) flags.push(`over ${limit}`);
    if (m?.spike) flags.push('session spike');
    for (const x of flagged.get(w.weekStart) ?? []) flags.push(x);
    const bar = '#'.repeat(Math.round((w.distanceM / max) * BAR_WIDTH));
    out.push(
      `  ${w.weekStart}  ${formatNumber(toDisplayDistance(w.distanceM, units), 1).padStart(6)}  ${formatChange(w.changeRatio).padStart(7)}  ${bar.padEnd(BAR_WIDTH)}${flags.length > 0 ? `  ! ${flags.join(', ')}` : ''}`,
    );
  }
  out.push('');
}

function renderCadence(report: Report, units: DisplayUnits, out: string[]): void {
  const c = cadenceOverview(report);
  const s = stepLengthOverview(report);
  out.push('Cadence and step length');
  if (c.runsWithCadence === 0) {
    out.push('  No run has usable cadence.');
  } else {
    out.push(
      `  Running cadence ${formatNumber(c.avgSpm, 0)} spm over ${c.runsWithCadence} ${plural(c.runsWithCadence, 'run', 'runs')}${runningShareText(c)} (run averages ${formatNumber(c.minRunAvgSpm, 0)}–${formatNumber(c.maxRunAvgSpm, 0)} spm)`,
    );
    if (c.movingAvgSpm !== null && runningShareText(c) !== '') out.push(`  Moving average with walking included: ${formatNumber(c.movingAvgSpm, 0)} spm (what a watch shows as average cadence)`);
    if (c.flatAvgSpm !== null) {
      out.push(
        `  Flat, steady running: ${formatNumber(c.flatAvgSpm, 0)} spm at ${formatPace(c.flatSpeedMps, units)}; runners at that speed typically take ${formatNumber(c.flatExpectedSpm, 0)} ±8 spm`,
      );
    }
    if (c.bandShares !== null) {
      const b = c.bandShares;
      out.push(
        `  Time below 160: ${formatPercent(b.below160)}, 160–170: ${formatPercent(b.from160to170)}, 170–180: ${formatPercent(b.from170to180)}, 180+: ${formatPercent(b.atLeast180)}`,
      );
    }
    const u = c.unitCounts;
    out.push(`  Cadence as stored in the files: ${u.strides} in strides/min (doubled), ${u.steps} in steps/min, ${u.none} without cadence`);
  }
  if (report.cadenceBaseline !== null) {
    const b = report.cadenceBaseline;
    const v = c.flatSpeedMps ?? 3;
    const own = b.interceptSpm + b.slopeSpmPerMps * v;
    out.push(
      `  Your own rate (last ${b.windowDays} days): ${formatNumber(own, 0)} spm at ${formatPace(v, units)} (rising ${units === 'km' ? `${formatNumber(b.slopeSpmPerMps, 1)} spm per m/s` : `${formatNumber(b.slopeSpmPerMps * 0.44704, 1)} spm per mph`} of speed); a +${formatNumber(b.targetPct * 100, 0)} % target there: ${formatNumber(own * (1 + b.targetPct), 0)} spm`,
    );
  }
  if (s.runsWithStepLength > 0) {
    const device = s.deviceRuns > 0 ? `; ${s.deviceRuns} ${plural(s.deviceRuns, 'run', 'runs')} measured by the device` : '';
    out.push(
      `  Step length ${formatStepLength(s.avgM, units)} on average (${formatNumber(s.ratioToExpected, 2)} × the typical length for your speeds${device})${s.longStepTimeS > 0 ? `, ${formatDuration(s.longStepTimeS)} of flat running with long steps for the speed` : ''}`,
    );
  }
  out.push('');
}

function renderDownhill(report: Report, units: DisplayUnits, out: string[]): void {
  const d = downhillOverview(report);
  if (report.period.runs === 0) return;
  out.push('Downhill running');
  const cats = d.segmentsByCategory;
  const segments = cats.mild + cats.moderate + cats.steep + cats['very-steep'];
  out.push(
    `  Descent ${formatElevation(d.descentM, units)} in total; ${formatDistance(d.downhillDistanceM, units)} at -5 % or steeper, ${formatDistance(d.steepDownhillDistanceM, units)} at -10 % or steeper`,
  );
  if (segments > 0) {
    out.push(
      `  ${segments} downhill ${plural(segments, 'stretch', 'stretches')}: ${cats.mild} mild, ${cats.moderate} moderate (-5 to -10 %), ${cats.steep} steep (-10 to -15 %), ${cats['very-steep']} very steep`,
    );
  }
  if (d.hilliest !== null) {
    const h = d.hilliest;
    out.push(
      `  Hilliest run: ${h.localDate ?? 'undated'} ${displayLabel(h.name ?? h.file ?? h.id)}: ${formatElevation(h.elevation.descentM, units)} down over ${formatDistance(h.distanceM, units)}`,
    );
  }
  if (d.runsWithoutElevation > 0) {
    out.push(`  ${d.runsWithoutElevation} ${plural(d.runsWithoutElevation, 'run', 'runs')} without usable elevation (treadmill or no altitude)`);
  }
  out.push('');
}

function renderFindings(report: Report, units: DisplayUnits, maxEvents: number, out: string[]): void {
  out.push('Findings (most recent first)');
  const { events, notes } = groupFindings(report.findings);
  if (events.length === 0) out.push('  Nothing to flag.');
  const adviceGiven = new Set<string>();
  // Recent first, so the oldest are the ones left out.
  const shown = events.slice(0, maxEvents);
  for (const e of shown) {
    const when = e.date === null ? 'across your history' : e.key.startsWith('week:') ? `week of ${e.date}` : e.date;
    out.push(`${when}  ${SEVERITY_TITLES[e.severity]}`);
    for (const f of e.findings) {
      const measure = findingMeasure(f, units);
      out.push(`  - ${f.severity !== e.severity ? `(${f.severity}) ` : ''}[${f.rule}] ${f.message} (${measure !== null ? `${measure}; ` : ''}evidence ${f.evidence.grade})`);
    }
    // Each piece of advice once: the same advice under every finding buries the findings.
    for (const a of e.findings.flatMap((f) => f.advice)) {
      if (adviceGiven.has(a)) continue;
      adviceGiven.add(a);
      out.push(`      -> ${a}`);
    }
  }
  const older = events.slice(shown.length);
  if (older.length > 0) {
    const strong = older.filter((e) => e.severity !== 'info').length;
    out.push(`  ... and ${older.length} older ${plural(older.length, 'event', 'events')} (${strong} with a caution or warning), from ${older[older.length - 1]!.date ?? 'undated'} to ${older[0]!.date ?? 'undated'}; see the HTML or JSON report`);
  }
  if (notes.length > 0) out.push(`Not judged: ${notes.length} ${plural(notes.length, 'run', 'runs')} with data that could not be trusted for some measures (listed in the HTML and JSON reports)`);
  out.push('');
}

/** Running distance per month, one line per year: the whole history at a glance. */
function renderMonths(report: Report, units: DisplayUnits, out: string[]): void {
  const byMonth = new Map<string, number>();
  for (const a of report.activities) {
    if (a.activityClass !== 'running' || a.localDate === null || !Number.isFinite(a.runningDistanceM)) continue;
    const key = a.localDate.slice(0, 7);
    byMonth.set(key, (byMonth.get(key) ?? 0) + a.runningDistanceM);
  }
  const years = [...new Set([...byMonth.keys()].map((k) => k.slice(0, 4)))].sort();
  if (years.length === 0) return;
  out.push(`Running per month (${units})`);
  out.push(`        ${MONTHS.map((m) => m.padStart(5)).join('')}   year`);
  for (const y of years) {
    let total = 0;
    const cells = MONTHS.map((_, m) => {
      const v = byMonth.get(`${y}-${String(m + 1).padStart(2, '0')}`) ?? 0;
      total += v;
      return (v > 0 ? formatNumber(toDisplayDistance(v, units), 0) : '.').padStart(5);
    });
    out.push(`  ${y}  ${cells.join('')}  ${formatNumber(toDisplayDistance(total, units), 0).padStart(5)}`);
  }
  out.push('');
}

function renderDuplicates(report: Report, out: string[]): void {
  const d = report.duplicates;
  if (d.length === 0) return;
  const shown = d.slice(0, 3).map((x) => `${displayLabel(x.file)} (same as ${displayLabel(x.keptFile)})`);
  const more = d.length > shown.length ? `, and ${d.length - shown.length} more` : '';
  out.push(`${d.length} ${plural(d.length, 'file repeats an activity', 'files repeat activities')} already read, counted once: ${shown.join(', ')}${more}`);
  out.push('');
}

/** Above this many files without an activity (a Garmin export's wellness files), they are counted, not listed. */
const MAX_LISTED_NON_ACTIVITIES = 3;
/** Most unreadable files listed; the rest are counted (the JSON report lists them all). */
export const MAX_LISTED_ERRORS = 50;

function renderErrors(report: Report, out: string[]): void {
  renderDuplicates(report, out);
  if (report.errors.length === 0) return;
  const nonActivities = report.errors.filter((e) => e.code === 'NOT_AN_ACTIVITY');
  const collapse = nonActivities.length > MAX_LISTED_NON_ACTIVITIES;
  const listed = collapse ? report.errors.filter((e) => e.code !== 'NOT_AN_ACTIVITY') : report.errors;
  if (listed.length > 0) {
    out.push(`Files that could not be read (${listed.length})`);
    for (const e of listed.slice(0, MAX_LISTED_ERRORS)) out.push(`  ${displayLabel(e.file)}: ${e.code}: ${displayMessage(e.message)}`);
    if (listed.length > MAX_LISTED_ERRORS) out.push(`  ... and ${listed.length - MAX_LISTED_ERRORS} more (the JSON report lists them all)`);
  }
  if (collapse) {
    out.push(
      `${nonActivities.length} files hold no activity (monitoring, settings or course files), e.g. ${displayLabel(nonActivities[0]!.file)}; the JSON report lists them all`,
    );
  }
  out.push('');
}
