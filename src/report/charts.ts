/**
 * Inline SVG charts of the HTML report. Each function returns one
 * `<svg>` element as a string (or `null` when there is nothing to draw),
 * with `data-chart` naming it. Text is escaped; no scripts, no external
 * resources.
 */
import { expectedCadenceSpm } from '../analysis/expected.js';
import type { ActivitySummary, CadenceBaseline, DownhillSegment, SessionLoad, WeekSummary } from '../analysis/types.js';
import type { Finding } from '../rules/types.js';
import { formatChange, formatNumber, METRES_PER_FOOT, toDisplayDistance, type DisplayUnits } from './format.js';
import type { CadenceHistogram, ElevationProfile } from './model.js';
import { coord, escapeHtml, linearScale, niceTicks, type LinearScale } from './svg.js';

const WIDTH = 720;
const HEIGHT = 260;
const MARGIN = { top: 30, right: 16, bottom: 40, left: 52 } as const;
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;

/** Population spread of step rate at a given speed (card C2), steps/min. */
export const CADENCE_SD_SPM = 8;

function open(name: string, label: string): string {
  return `<svg data-chart="${name}" role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${WIDTH} ${HEIGHT}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(label)}</title>`;
}

/** Decimals needed to tell the ticks apart (0 for whole numbers, else up to 2). */
function tickDecimals(ticks: readonly number[]): number {
  for (let d = 0; d < 2; d++) {
    if (ticks.every((t) => Math.abs(t * 10 ** d - Math.round(t * 10 ** d)) < 1e-9)) return d;
  }
  return 2;
}

/** Ticks whose positions lie at least `minGapPx` apart (first kept), for readable labels. */
function spacedTicks(ticks: readonly number[], scale: LinearScale, minGapPx: number): number[] {
  const out: number[] = [];
  let last = -Infinity;
  for (const t of [...ticks].sort((a, b) => scale(a) - scale(b))) {
    const p = scale(t);
    if (p - last >= minGapPx) {
      out.push(t);
      last = p;
    }
  }
  return out;
}

function yAxis(y: LinearScale, ticks: readonly number[], label: string, decimals = tickDecimals(ticks)): string {
  const parts: string[] = [`<g class="axis y">`];
  for (const t of ticks) {
    const py = coord(y(t));
    parts.push(
      `<line class="grid" x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${py}" y2="${py}"/><text x="${MARGIN.left - 6}" y="${py}" dy="0.32em" text-anchor="end">${formatNumber(t, decimals)}</text>`,
    );
  }
  parts.push(
    `<text class="label" transform="translate(12 ${coord(MARGIN.top + PLOT_H / 2)}) rotate(-90)" text-anchor="middle">${escapeHtml(label)}</text></g>`,
  );
  return parts.join('');
}

function xAxis(x: LinearScale, ticks: readonly number[], label: string, decimals = tickDecimals(ticks), format?: (t: number) => string): string {
  const base = MARGIN.top + PLOT_H;
  const parts: string[] = [`<g class="axis x"><line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${base}" y2="${base}"/>`];
  for (const t of spacedTicks(ticks, x, 44)) {
    const px = coord(x(t));
    parts.push(
      `<line x1="${px}" x2="${px}" y1="${base}" y2="${base + 4}"/><text x="${px}" y="${base + 16}" text-anchor="middle">${escapeHtml(format ? format(t) : formatNumber(t, decimals))}</text>`,
    );
  }
  parts.push(`<text class="label" x="${coord(MARGIN.left + PLOT_W / 2)}" y="${HEIGHT - 4}" text-anchor="middle">${escapeHtml(label)}</text></g>`);
  return parts.join('');
}

function legend(items: readonly { readonly cls: string; readonly text: string; readonly shape?: 'rect' | 'line' }[]): string {
  let x = MARGIN.left;
  const parts: string[] = ['<g class="legend">'];
  for (const item of items) {
    if (item.shape === 'line') {
      parts.push(`<line class="${item.cls}" x1="${x}" x2="${x + 14}" y1="10" y2="10"/>`);
    } else {
      parts.push(`<rect class="${item.cls}" x="${x}" y="4" width="12" height="12"/>`);
    }
    parts.push(`<text x="${x + 18}" y="14">${escapeHtml(item.text)}</text>`);
    x += 30 + item.text.length * 6.2;
  }
  parts.push('</g>');
  return parts.join('');
}

/** A band of cadence to shade, steps/min. */
export interface CadenceBand {
  readonly lowSpm: number;
  readonly highSpm: number;
  readonly label: string;
}

/**
 * The band to aim for at a speed: +5 to +10 % over the runner's own rate
 * when a personal baseline exists (card C3), else the population's typical
 * range ±1 SD (card C2).
 *
 * @example
 * targetBandAt(3, null); // { lowSpm: 160.03, highSpm: 176.03, label: 'typical at this speed (±8 spm)' }
 */
export function targetBandAt(speedMps: number, baseline: CadenceBaseline | null): CadenceBand {
  if (baseline !== null) {
    const own = baseline.interceptSpm + baseline.slopeSpmPerMps * speedMps;
    return { lowSpm: own * 1.05, highSpm: own * 1.1, label: 'target: +5 to +10 % over your own rate' };
  }
  const e = expectedCadenceSpm(speedMps);
  return { lowSpm: e - CADENCE_SD_SPM, highSpm: e + CADENCE_SD_SPM, label: `typical at this speed (±${CADENCE_SD_SPM} spm)` };
}

/** Options of {@link cadenceHistogramChart}. */
export interface CadenceHistogramOptions {
  /** Band to shade (see {@link targetBandAt}); omitted: none. */
  readonly band?: CadenceBand | null;
  /** Absolute floor to draw as a line, steps/min. */
  readonly minCadenceSpm?: number | null;
}

/**
 * Distribution of running time over cadence bins, with a shaded band.
 *
 * @example
 * cadenceHistogramChart(report.cadenceDistribution!, { band: targetBandAt(3, null) });
 */
export function cadenceHistogramChart(histogram: CadenceHistogram, options: CadenceHistogramOptions = {}): string | null {
  const total = histogram.timeS.reduce((s, v) => s + v, 0);
  if (!(total > 0)) return null;
  // Trim empty bins at both ends, keeping a margin of two bins.
  let first = histogram.timeS.findIndex((v) => v > 0);
  let last = histogram.timeS.length - 1;
  while (last > 0 && !(histogram.timeS[last]! > 0)) last--;
  first = Math.max(0, first - 2);
  last = Math.min(histogram.timeS.length - 1, last + 2);
  const w = histogram.binWidthSpm;
  // Widen the axis to show the band and the floor, within the histogram's range.
  const marks = [options.band?.lowSpm, options.band?.highSpm, options.minCadenceSpm].filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const rangeEnd = histogram.fromSpm + histogram.timeS.length * w;
  const lo = Math.max(histogram.fromSpm, Math.min(histogram.fromSpm + first * w, ...marks.map((m) => Math.floor((m - 2) / w) * w)));
  const hi = Math.min(rangeEnd, Math.max(histogram.fromSpm + (last + 1) * w, ...marks.map((m) => Math.ceil((m + 2) / w) * w)));
  const shares = histogram.timeS.map((v) => (v / total) * 100);
  const maxShare = Math.max(...shares.slice(first, last + 1));
  const yTicks = niceTicks(0, maxShare, 4);
  const y = linearScale([0, yTicks[yTicks.length - 1]!], [MARGIN.top + PLOT_H, MARGIN.top]);
  const x = linearScale([lo, hi], [MARGIN.left, MARGIN.left + PLOT_W]);
  const parts = [open('cadence-distribution', 'Share of running time per cadence')];
  if (options.band) {
    const b0 = Math.max(lo, options.band.lowSpm);
    const b1 = Math.min(hi, options.band.highSpm);
    if (b1 > b0) {
      parts.push(
        `<rect class="band" x="${coord(x(b0))}" y="${MARGIN.top}" width="${coord(x(b1) - x(b0))}" height="${PLOT_H}"><title>${escapeHtml(`${options.band.label}: ${formatNumber(options.band.lowSpm, 0)}–${formatNumber(options.band.highSpm, 0)} spm`)}</title></rect>`,
      );
    }
  }
  parts.push(yAxis(y, yTicks, '% of running time'));
  parts.push('<g class="bars">');
  for (let i = first; i <= last; i++) {
    const share = shares[i]!;
    if (!(share > 0)) continue;
    const from = histogram.fromSpm + i * w;
    const top = y(share);
    parts.push(
      `<rect class="bar" x="${coord(x(from) + 0.5)}" y="${coord(top)}" width="${coord(Math.max(0.5, x(from + w) - x(from) - 1))}" height="${coord(MARGIN.top + PLOT_H - top)}"><title>${escapeHtml(`${formatNumber(from, 0)}–${formatNumber(from + w, 0)} spm: ${formatNumber(share, 1)} % of running time`)}</title></rect>`,
    );
  }
  parts.push('</g>');
  if (options.minCadenceSpm !== undefined && options.minCadenceSpm !== null && options.minCadenceSpm >= lo && options.minCadenceSpm <= hi) {
    const px = coord(x(options.minCadenceSpm));
    parts.push(`<line class="floor" x1="${px}" x2="${px}" y1="${MARGIN.top}" y2="${MARGIN.top + PLOT_H}"/>`);
  }
  parts.push(xAxis(x, niceTicks(lo, hi, 8).filter((t) => t >= lo && t <= hi), 'steps per minute'));
  const items: { cls: string; text: string; shape?: 'rect' | 'line' }[] = [{ cls: 'bar', text: 'running time' }];
  if (options.band) items.push({ cls: 'band', text: options.band.label });
  if (options.minCadenceSpm !== undefined && options.minCadenceSpm !== null) items.push({ cls: 'floor', text: `your floor ${formatNumber(options.minCadenceSpm, 0)} spm`, shape: 'line' });
  parts.push(legend(items));
  parts.push('</svg>');
  return parts.join('');
}

/** Options of {@link cadenceSpeedChart}. */
export interface CadenceSpeedOptions {
  readonly units: DisplayUnits;
  readonly baseline: CadenceBaseline | null;
  readonly minCadenceSpm?: number | null;
}

/**
 * Cadence against speed: one circle per run and speed bin (flat, steady
 * running; area ∝ time), the target band across speeds and the population
 * expectation line.
 *
 * @example
 * cadenceSpeedChart(report.activities, { units: 'km', baseline: report.cadenceBaseline });
 */
export function cadenceSpeedChart(activities: readonly ActivitySummary[], options: CadenceSpeedOptions): string | null {
  const points: { speedMps: number; spm: number; timeS: number; date: string | null }[] = [];
  for (const a of activities) {
    if (a.activityClass !== 'running') continue;
    for (const b of a.cadence.bySpeed) {
      if (Number.isFinite(b.speedMps) && Number.isFinite(b.avgSpm) && b.timeS > 0) {
        points.push({ speedMps: b.speedMps, spm: b.avgSpm, timeS: b.timeS, date: a.localDate });
      }
    }
  }
  if (points.length === 0) return null;
  const { units } = options;
  const unitM = units === 'km' ? 1000 : 1609.344;
  const speeds = points.map((p) => p.speedMps);
  const v0 = Math.max(0.5, Math.min(...speeds) - 0.25);
  const v1 = Math.max(...speeds) + 0.25;
  const band0 = targetBandAt(v0, options.baseline);
  const band1 = targetBandAt(v1, options.baseline);
  const spms = points.map((p) => p.spm);
  const s0 = Math.min(...spms, band0.lowSpm, band1.lowSpm, options.minCadenceSpm ?? Infinity) - 4;
  const s1 = Math.max(...spms, band0.highSpm, band1.highSpm) + 4;
  const yTicks = niceTicks(s0, s1, 5).filter((t) => t >= s0 && t <= s1);
  const y = linearScale([s0, s1], [MARGIN.top + PLOT_H, MARGIN.top]);
  const x = linearScale([v0, v1], [MARGIN.left, MARGIN.left + PLOT_W]);
  const parts = [open('cadence-speed', 'Cadence against speed on flat, steady running')];
  // Target band as a polygon sampled along speed (the population band bends at the regression's limits).
  const steps = 24;
  const upper: string[] = [];
  const lower: string[] = [];
  for (let i = 0; i <= steps; i++) {
    const v = v0 + ((v1 - v0) * i) / steps;
    const b = targetBandAt(v, options.baseline);
    upper.push(`${coord(x(v))} ${coord(y(b.highSpm))}`);
    lower.unshift(`${coord(x(v))} ${coord(y(b.lowSpm))}`);
  }
  parts.push(`<path class="band" d="M${upper.join('L')}L${lower.join('L')}Z"><title>${escapeHtml(band0.label)}</title></path>`);
  parts.push(yAxis(y, yTicks, 'steps per minute'));
  const expected: string[] = [];
  for (let i = 0; i <= steps; i++) {
    const v = v0 + ((v1 - v0) * i) / steps;
    expected.push(`${coord(x(v))} ${coord(y(expectedCadenceSpm(v)))}`);
  }
  parts.push(`<path class="expected" d="M${expected.join('L')}"><title>Typical step rate for the speed (van Oeveren 2019)</title></path>`);
  if (options.minCadenceSpm !== undefined && options.minCadenceSpm !== null) {
    const py = coord(y(options.minCadenceSpm));
    parts.push(`<line class="floor" x1="${MARGIN.left}" x2="${MARGIN.left + PLOT_W}" y1="${py}" y2="${py}"/>`);
  }
  const maxTime = Math.max(...points.map((p) => p.timeS));
  parts.push('<g class="points">');
  const sorted = [...points].sort((a, b) => b.timeS - a.timeS || a.speedMps - b.speedMps || a.spm - b.spm);
  for (const p of sorted) {
    const r = 2 + 6 * Math.sqrt(p.timeS / maxTime);
    parts.push(
      `<circle class="point" cx="${coord(x(p.speedMps))}" cy="${coord(y(p.spm))}" r="${coord(r)}"><title>${escapeHtml(`${p.date ?? 'undated'}: ${formatNumber(p.spm, 0)} spm at ${paceLabel(p.speedMps, unitM)}, ${formatNumber(p.timeS / 60, 0)} min`)}</title></circle>`,
    );
  }
  parts.push('</g>');
  parts.push(xAxis(x, paceTickSpeeds(v0, v1, unitM), `pace (min per ${units})`, 0, (t) => paceLabel(t, unitM)));
  const items: { cls: string; text: string; shape?: 'rect' | 'line' }[] = [
    { cls: 'point', text: 'your runs (flat, steady)' },
    { cls: 'band', text: band0.label },
    { cls: 'expected', text: 'typical for the speed', shape: 'line' },
  ];
  parts.push(legend(items));
  parts.push('</svg>');
  return parts.join('');
}

/** Speeds (m/s) at round paces (every 30 s or whole minutes per unit) between two speeds. */
function paceTickSpeeds(v0: number, v1: number, unitM: number): number[] {
  const slowS = unitM / v0;
  const fastS = unitM / v1;
  const stepS = slowS - fastS > 900 ? 120 : slowS - fastS > 300 ? 60 : 30;
  const out: number[] = [];
  for (let p = Math.ceil(fastS / stepS) * stepS; p <= slowS; p += stepS) out.push(unitM / p);
  return out;
}

function paceLabel(speedMps: number, unitM: number): string {
  if (!(speedMps > 0)) return '–';
  const s = Math.round(unitM / speedMps);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** Options of {@link elevationProfileChart}. */
export interface ElevationChartOptions {
  readonly units: DisplayUnits;
  /** Title shown in the chart's label, e.g. the run's date and name. */
  readonly title: string;
}

/**
 * Elevation profile of one run with its downhill segments shaded and the
 * profile drawn over them in the segment colour.
 *
 * @example
 * elevationProfileChart(report.elevationProfile!, run.downhillSegments, { units: 'km', title: run.localDate ?? run.id });
 */
export function elevationProfileChart(
  profile: ElevationProfile,
  segments: readonly DownhillSegment[],
  options: ElevationChartOptions,
): string | null {
  const pts: { d: number; h: number }[] = [];
  profile.distanceM.forEach((d, i) => {
    const h = profile.altitudeM[i];
    if (h !== null && h !== undefined && Number.isFinite(h) && Number.isFinite(d)) pts.push({ d, h });
  });
  if (pts.length < 2) return null;
  const { units } = options;
  const elevFactor = units === 'km' ? 1 : 1 / METRES_PER_FOOT;
  const elevUnit = units === 'km' ? 'm' : 'ft';
  const hs = pts.map((p) => p.h * elevFactor);
  const hMin = Math.min(...hs);
  const hMax = Math.max(...hs);
  const pad = Math.max(5, (hMax - hMin) * 0.1);
  const yTicks = niceTicks(hMin - pad, hMax + pad, 5);
  const y = linearScale([yTicks[0]!, yTicks[yTicks.length - 1]!], [MARGIN.top + PLOT_H, MARGIN.top]);
  const dMax = pts[pts.length - 1]!.d;
  const dMin = pts[0]!.d;
  const x = linearScale([toDisplayDistance(dMin, units), toDisplayDistance(dMax, units)], [MARGIN.left, MARGIN.left + PLOT_W]);
  const px = (d: number): string => coord(x(toDisplayDistance(d, units)));
  const py = (h: number): string => coord(y(h * elevFactor));
  const parts = [open('elevation-profile', `Elevation profile: ${options.title}`)];
  parts.push(yAxis(y, yTicks, elevUnit));
  parts.push('<g class="segments">');
  for (const s of segments) {
    const a = Math.max(dMin, s.startDistanceM);
    const b = Math.min(dMax, s.endDistanceM);
    if (!(b > a)) continue;
    parts.push(
      `<rect class="downhill-band ${s.category}" x="${px(a)}" y="${MARGIN.top}" width="${coord(x(toDisplayDistance(b, units)) - x(toDisplayDistance(a, units)))}" height="${PLOT_H}"><title>${escapeHtml(`Downhill (${s.category}): ${units === 'km' ? `${formatNumber(s.dropM, 0)} m` : `${formatNumber(s.dropM / METRES_PER_FOOT, 0)} ft`} drop over ${units === 'km' ? `${formatNumber(s.lengthM, 0)} m` : `${formatNumber(s.lengthM / METRES_PER_FOOT, 0)} ft`}, mean grade ${formatNumber(s.meanGrade * 100, 1)} %`)}</title></rect>`,
    );
  }
  parts.push('</g>');
  const line = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.d)} ${py(p.h)}`).join('');
  const baseY = coord(MARGIN.top + PLOT_H);
  parts.push(`<path class="terrain" d="${line}L${px(dMax)} ${baseY}L${px(dMin)} ${baseY}Z"/>`);
  parts.push(`<path class="profile" d="${line}"/>`);
  for (const s of segments) {
    const inside = pts.filter((p) => p.d >= s.startDistanceM && p.d <= s.endDistanceM);
    if (inside.length < 2) continue;
    parts.push(`<path class="downhill" d="${inside.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p.d)} ${py(p.h)}`).join('')}"/>`);
  }
  const xTicks = niceTicks(toDisplayDistance(dMin, units), toDisplayDistance(dMax, units), 8).filter(
    (t) => t >= toDisplayDistance(dMin, units) - 1e-9 && t <= toDisplayDistance(dMax, units) + 1e-9,
  );
  parts.push(xAxis(x, xTicks, `distance (${units})`));
  parts.push(
    legend([
      { cls: 'terrain', text: 'elevation' },
      { cls: 'downhill-band moderate', text: 'downhill stretch' },
    ]),
  );
  parts.push('</svg>');
  return parts.join('');
}

/** One point of the rolling 7-day load line: a running session and the 7 days ending with it (the weekly-increase rule's window). */
export interface RollingLoadPoint {
  readonly date: string;
  /** Running distance of the 7 days ending at this session, m. */
  readonly rolling7dM: number;
  /** The 7 days before those, m. */
  readonly prev7dM: number;
  /** rolling7dM ÷ prev7dM − 1; `null` when the 7 days before had no running. */
  readonly changeRatio: number | null;
}

/** What the weekly load chart of a period draws, in metres and dates: the figures the load findings quote can be looked up here. */
export interface LoadChartData {
  /** First day drawn (a week start) and the day after the last, `YYYY-MM-DD`. */
  readonly fromDate: string;
  readonly toDate: string;
  /** Calendar weeks of the period (bars). */
  readonly weeks: readonly WeekSummary[];
  /** Rolling 7-day load at each running session of the period (line). */
  readonly rolling: readonly RollingLoadPoint[];
  /** Load findings (weekly increase, session spike) of the period, placed at their date. */
  readonly marks: readonly { readonly date: string; readonly rule: string; readonly severity: string; readonly label: string }[];
}

/** Day number of a `YYYY-MM-DD` date (days since 1970-01-01). */
export function dayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

/** `YYYY-MM-DD` of a day number. */
export function dateOfDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The rolling 7-day load at each session (one point per date: the last
 * session of the day, whose 7 days hold the day's other runs).
 *
 * @example
 * rollingLoadPoints(report.sessions).at(-1)?.rolling7dM;
 */
export function rollingLoadPoints(sessions: readonly SessionLoad[]): RollingLoadPoint[] {
  const byDate = new Map<string, RollingLoadPoint>();
  for (const s of sessions) {
    if (!Number.isFinite(s.rolling7dM)) continue;
    const prev = Number.isFinite(s.prev7dM) ? s.prev7dM : 0;
    const current = byDate.get(s.localDate);
    if (current !== undefined && current.rolling7dM > s.rolling7dM) continue;
    byDate.set(s.localDate, { date: s.localDate, rolling7dM: s.rolling7dM, prev7dM: prev, changeRatio: prev >= 1 ? s.rolling7dM / prev - 1 : null });
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/**
 * Weekly bars and the rolling 7-day load line of the weeks whose start lies
 * in `[fromDate, toDate)`. The weekly-increase rule measures the rolling 7
 * days (card L3), so its findings sit on the line at their date, with the
 * numbers they quote; calendar weeks are drawn as bars for reading volume.
 *
 * @example
 * loadChartData(report, '2025-01-06', '2026-01-05').rolling.length;
 */
export function loadChartData(
  report: { readonly weeks: readonly WeekSummary[]; readonly sessions: readonly SessionLoad[]; readonly findings: readonly Finding[] },
  fromDate: string,
  toDate: string,
): LoadChartData {
  const weeks = report.weeks.filter((w) => w.weekStart >= fromDate && w.weekStart < toDate);
  const from = weeks[0]?.weekStart ?? fromDate;
  const to = weeks.length > 0 ? dateOfDay(dayNumber(weeks[weeks.length - 1]!.weekStart) + 7) : toDate;
  const rolling = rollingLoadPoints(report.sessions).filter((p) => p.date >= from && p.date < to);
  const marks = report.findings
    .filter((f) => (f.rule === 'weekly-increase' || f.rule === 'session-spike') && (f.date ?? f.week) !== null)
    .map((f) => ({ date: (f.date ?? f.week)!, rule: f.rule, severity: f.severity, label: f.rule === 'session-spike' ? 'long-run spike' : 'weekly increase' }))
    .filter((m) => m.date >= from && m.date < to);
  return { fromDate: from, toDate: to, weeks, rolling, marks };
}

/** Options of {@link loadChart}. */
export interface LoadChartOptions {
  readonly units: DisplayUnits;
  /** Increase that marks a week, as a ratio (0.10 = 10 %). */
  readonly maxIncreaseRatio: number;
  /** `data-period` of the chart (which period it shows). */
  readonly period: string;
}

/**
 * The load chart of a period: calendar-week bars (coloured above the
 * increase limit) and the rolling 7-day load line with a dot per session;
 * weekly-increase findings ringed on the line, session spikes as triangles.
 * Every mark has a tooltip with its numbers. `null` without weeks.
 *
 * @example
 * loadChart(loadChartData(report, from, to), { units: 'km', maxIncreaseRatio: 0.1, period: 'recent' });
 */
export function loadChart(data: LoadChartData, options: LoadChartOptions): string | null {
  if (data.weeks.length === 0) return null;
  const { units } = options;
  const d0 = dayNumber(data.fromDate);
  const d1 = dayNumber(data.toDate);
  const km = (m: number): number => toDisplayDistance(Math.max(0, m), units);
  const maxV = Math.max(1, ...data.weeks.map((w) => km(w.distanceM)), ...data.rolling.map((p) => km(p.rolling7dM)));
  const ticks = niceTicks(0, maxV, 5);
  const y = linearScale([0, ticks[ticks.length - 1]!], [MARGIN.top + PLOT_H, MARGIN.top]);
  const x = linearScale([d0, d1], [MARGIN.left, MARGIN.left + PLOT_W]);
  const parts = [
    open('weekly-distance', `Running distance per week and over rolling 7 days in ${units}`).replace(' role="img"', ` data-period="${escapeHtml(options.period)}" role="img"`),
  ];
  parts.push(yAxis(y, ticks, units));
  parts.push('<g class="bars">');
  const barW = Math.max(1, (x(d0 + 7) - x(d0)) * 0.78);
  for (const w of data.weeks) {
    const day = dayNumber(w.weekStart);
    const v = km(w.distanceM);
    const over = w.changeRatio !== null && Number.isFinite(w.changeRatio) && w.changeRatio > options.maxIncreaseRatio;
    const top = y(v);
    const change = w.changeRatio !== null && Number.isFinite(w.changeRatio) ? `, ${formatNumber(w.changeRatio * 100, 0)} % on the week before` : '';
    parts.push(
      `<rect class="bar${over ? ' over' : ''}" data-week="${w.weekStart}" x="${coord(x(day) + (x(day + 7) - x(day) - barW) / 2)}" y="${coord(top)}" width="${coord(barW)}" height="${coord(MARGIN.top + PLOT_H - top)}"><title>${escapeHtml(`Week of ${w.weekStart}: ${formatNumber(v, 1)} ${units}${change}`)}</title></rect>`,
    );
  }
  parts.push('</g>');
  if (data.rolling.length > 0) {
    const px = (p: RollingLoadPoint): string => coord(x(dayNumber(p.date) + 0.5));
    // A gap of more than 7 days between runs starts a new stretch of line (the 7-day window emptied in between).
    const line = data.rolling
      .map((p, i) => `${i === 0 || dayNumber(p.date) - dayNumber(data.rolling[i - 1]!.date) > 7 ? 'M' : 'L'}${px(p)} ${coord(y(km(p.rolling7dM)))}`)
      .join('');
    parts.push(`<path class="rolling" d="${line}"/>`);
    parts.push('<g class="rolling-points">');
    const markAt = new Map<string, string[]>();
    for (const m of data.marks) markAt.set(m.date, [...(markAt.get(m.date) ?? []), m.rule]);
    for (const p of data.rolling) {
      const rules = markAt.get(p.date) ?? [];
      const cls = rules.includes('weekly-increase') ? 'dot flagged' : 'dot';
      const change = p.changeRatio !== null ? `, ${formatChange(p.changeRatio)} on the 7 days before (${formatNumber(km(p.prev7dM), 1)} ${units})` : '';
      parts.push(
        `<circle class="${cls}" data-date="${p.date}" data-rolling7d-m="${Math.round(p.rolling7dM)}" data-prev7d-m="${Math.round(p.prev7dM)}" cx="${px(p)}" cy="${coord(y(km(p.rolling7dM)))}" r="${rules.includes('weekly-increase') ? 4.5 : 2.2}"><title>${escapeHtml(`7 days to ${p.date}: ${formatNumber(km(p.rolling7dM), 1)} ${units}${change}`)}</title></circle>`,
      );
    }
    parts.push('</g>');
  }
  for (const m of data.marks) {
    if (m.rule !== 'session-spike') continue;
    const cx = x(dayNumber(m.date) + 0.5);
    parts.push(`<path class="spike" data-date="${m.date}" d="M${coord(cx)} ${MARGIN.top - 2}l-5 -9h10z"><title>${escapeHtml(`Long-run spike on ${m.date}`)}</title></path>`);
  }
  const base = MARGIN.top + PLOT_H;
  parts.push(`<g class="axis x"><line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${base}" y2="${base}"/>`);
  // Labels at month starts (thinned to about six), or at week starts for short periods.
  const labels: { day: number; text: string }[] = [];
  if (d1 - d0 <= 12 * 7) {
    for (const w of data.weeks) labels.push({ day: dayNumber(w.weekStart) + 3.5, text: w.weekStart.slice(5) });
  } else {
    for (let d = d0; d < d1; d++) {
      const date = dateOfDay(d);
      if (date.endsWith('-01')) labels.push({ day: d, text: date.slice(5, 7) === '01' ? date.slice(0, 4) : MONTHS[Number(date.slice(5, 7)) - 1]! });
    }
  }
  const every = Math.max(1, Math.ceil(labels.length / 6));
  labels.forEach((l, i) => {
    if (i % every !== 0 && !/^\d{4}$/.test(l.text)) return;
    // a label at the right edge would run into its neighbour and out of the plot
    if (x(l.day) > WIDTH - MARGIN.right - 24) return;
    parts.push(`<text x="${coord(x(l.day))}" y="${base + 18}" text-anchor="middle">${escapeHtml(l.text)}</text>`);
  });
  parts.push('</g>');
  parts.push(
    legend([
      { cls: 'bar', text: 'calendar week' },
      { cls: 'rolling', text: 'last 7 days', shape: 'line' },
      { cls: 'spike', text: 'long-run spike' },
    ]),
  );
  parts.push('</svg>');
  return parts.join('');
}

/** Short month names, January first. */
export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** One period (week or month) of the form trend, time-weighted over its runs. */
export interface TrendPoint {
  /** First day of the period, `YYYY-MM-DD`. */
  readonly start: string;
  readonly runs: number;
  readonly runningTimeS: number;
  /** Time-weighted mean of the runs' average cadence, steps/min. */
  readonly cadenceSpm: number | null;
  /** Time-weighted expected cadence for the flat running done (van Oeveren 2019, speed-adjusted), steps/min. */
  readonly expectedSpm: number | null;
  /** Time-weighted mean step length, m. */
  readonly stepLengthM: number | null;
  /** Step length expected at the same speeds (speed ÷ expected cadence), m. */
  readonly expectedStepM: number | null;
  /** Running-time-weighted mean ground contact time of the runs that recorded it (running dynamics), s. */
  readonly stanceTimeS: number | null;
  /** Running-time-weighted mean vertical oscillation of the runs that recorded it, m. */
  readonly verticalOscillationM: number | null;
}

/**
 * Cadence and step length per calendar month (or per week when the runs
 * span under six months), each beside the speed-adjusted reference; and
 * the running dynamics (ground contact time, vertical oscillation) of the
 * runs that recorded them.
 *
 * @example
 * formTrend(report.activities).map((p) => [p.start, p.cadenceSpm, p.expectedSpm]);
 */
export function formTrend(activities: readonly ActivitySummary[], weekly?: boolean): TrendPoint[] {
  const runs = activities.filter((a) => a.activityClass === 'running' && a.localDate !== null && a.runningTimeS > 0);
  if (runs.length === 0) return [];
  const dates = runs.map((a) => a.localDate!).sort();
  const byWeek = weekly ?? dayNumber(dates[dates.length - 1]!) - dayNumber(dates[0]!) < 183;
  const keyOf = (date: string): string => {
    if (!byWeek) return `${date.slice(0, 7)}-01`;
    const d = dayNumber(date);
    return dateOfDay(d - ((d + 3) % 7)); // Monday (day 0 = Thursday 1970-01-01)
  };
  type Sums = { runs: number; t: number; c: number; ct: number; e: number; et: number; s: number; st: number; es: number; est: number; g: number; gt: number; o: number; ot: number };
  const acc = new Map<string, Sums>();
  for (const a of runs) {
    const k = keyOf(a.localDate!);
    const x = acc.get(k) ?? { runs: 0, t: 0, c: 0, ct: 0, e: 0, et: 0, s: 0, st: 0, es: 0, est: 0, g: 0, gt: 0, o: 0, ot: 0 };
    x.runs++;
    x.t += a.runningTimeS;
    const w = a.runningTimeS;
    if (a.cadence.avgSpm !== null && Number.isFinite(a.cadence.avgSpm)) {
      x.c += a.cadence.avgSpm * w;
      x.ct += w;
    }
    const fw = a.cadence.flatTimeS;
    if (a.cadence.expectedSpm !== null && Number.isFinite(a.cadence.expectedSpm) && fw > 0) {
      x.e += a.cadence.expectedSpm * fw;
      x.et += fw;
      const v = a.cadence.flatSpeedMps;
      if (v !== null && Number.isFinite(v) && v > 0) {
        x.es += ((v * 60) / a.cadence.expectedSpm) * fw;
        x.est += fw;
      }
    }
    if (a.stepLength.avgM !== null && Number.isFinite(a.stepLength.avgM)) {
      x.s += a.stepLength.avgM * w;
      x.st += w;
    }
    const gct = a.dynamics?.stanceTimeS;
    if (gct !== null && gct !== undefined && Number.isFinite(gct)) {
      x.g += gct * w;
      x.gt += w;
    }
    const vo = a.dynamics?.verticalOscillationM;
    if (vo !== null && vo !== undefined && Number.isFinite(vo)) {
      x.o += vo * w;
      x.ot += w;
    }
    acc.set(k, x);
  }
  return [...acc.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([start, x]) => ({
      start,
      runs: x.runs,
      runningTimeS: x.t,
      cadenceSpm: x.ct > 0 ? x.c / x.ct : null,
      expectedSpm: x.et > 0 ? x.e / x.et : null,
      stepLengthM: x.st > 0 ? x.s / x.st : null,
      expectedStepM: x.est > 0 ? x.es / x.est : null,
      stanceTimeS: x.gt > 0 ? x.g / x.gt : null,
      verticalOscillationM: x.ot > 0 ? x.o / x.ot : null,
    }));
}

/** Options of {@link cadenceTrendChart}. */
export interface TrendChartOptions {
  readonly units: DisplayUnits;
  /**
   * Which measure: step rate (spm), step length (m, shown in the display
   * unit), or running dynamics: ground contact time (ms) or vertical
   * oscillation (cm or in). Dynamics have no speed-adjusted reference line.
   */
  readonly measure: 'cadence' | 'step' | 'contact' | 'oscillation';
  /** A band to shade across the chart (the personal target), steps/min; only for cadence. */
  readonly band?: CadenceBand | null;
}

/**
 * Cadence (or step length) per period as a line with a dot per period,
 * beside the speed-adjusted reference (dashed); or a running-dynamics
 * measure (ground contact time, vertical oscillation) per period, without a
 * reference: contact time falls as speed rises and the speed-stratified
 * norms (Malisoux 2023) are not yet retrieved, so no line is drawn.
 * `null` with no value.
 *
 * @example
 * cadenceTrendChart(formTrend(report.activities), { units: 'km', measure: 'cadence' });
 */
export function cadenceTrendChart(points: readonly TrendPoint[], options: TrendChartOptions): string | null {
  const m = options.measure;
  const cad = m === 'cadence';
  const km = options.units === 'km';
  const spec = {
    cadence: { factor: 1, unit: 'steps per minute', decimals: 0, id: 'cadence-trend', title: 'Step rate over time', mine: 'your step rate', pad: 3, fmt: (v: number) => `${formatNumber(v, 0)} spm` },
    step: {
      factor: km ? 1 : 1 / 0.0254,
      unit: km ? 'step length (m)' : 'step length (in)',
      decimals: km ? 2 : 0,
      id: 'step-trend',
      title: 'Step length over time',
      mine: 'your step length',
      pad: km ? 0.03 : 0.03 / 0.0254,
      fmt: (v: number) => (km ? `${formatNumber(v, 2)} m` : `${formatNumber(v, 1)} in`),
    },
    contact: { factor: 1000, unit: 'ground contact (ms)', decimals: 0, id: 'contact-trend', title: 'Ground contact time over time', mine: 'your ground contact time', pad: 5, fmt: (v: number) => `${formatNumber(v, 0)} ms` },
    oscillation: {
      factor: km ? 100 : 1 / 0.0254,
      unit: km ? 'vertical oscillation (cm)' : 'vertical oscillation (in)',
      decimals: 1,
      id: 'oscillation-trend',
      title: 'Vertical oscillation over time',
      mine: 'your vertical oscillation',
      pad: km ? 0.3 : 0.1,
      fmt: (v: number) => (km ? `${formatNumber(v, 1)} cm` : `${formatNumber(v, 1)} in`),
    },
  }[m];
  const factor = spec.factor;
  const unit = spec.unit;
  const val = (p: TrendPoint): number | null => {
    const v = m === 'cadence' ? p.cadenceSpm : m === 'step' ? p.stepLengthM : m === 'contact' ? p.stanceTimeS : p.verticalOscillationM;
    return v === null ? null : v * factor;
  };
  const ref = (p: TrendPoint): number | null => {
    const v = m === 'cadence' ? p.expectedSpm : m === 'step' ? p.expectedStepM : null;
    return v === null ? null : v * factor;
  };
  const pts = points.filter((p) => val(p) !== null);
  if (pts.length === 0) return null;
  const values = [...pts.map((p) => val(p)!), ...pts.map(ref).filter((v): v is number => v !== null)];
  if (cad && options.band) values.push(options.band.lowSpm, options.band.highSpm);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = Math.max((hi - lo) * 0.15, spec.pad);
  const yTicks = niceTicks(lo - pad, hi + pad, 5);
  const y = linearScale([yTicks[0]!, yTicks[yTicks.length - 1]!], [MARGIN.top + PLOT_H, MARGIN.top]);
  const d0 = dayNumber(pts[0]!.start);
  const d1 = Math.max(d0 + 1, dayNumber(pts[pts.length - 1]!.start));
  const x = linearScale([d0 - 10, d1 + 10], [MARGIN.left, MARGIN.left + PLOT_W]);
  const px = (p: TrendPoint): string => coord(x(dayNumber(p.start)));
  const parts = [open(spec.id, spec.title)];
  if (cad && options.band) {
    parts.push(
      `<rect class="band" x="${MARGIN.left}" y="${coord(y(options.band.highSpm))}" width="${PLOT_W}" height="${coord(y(options.band.lowSpm) - y(options.band.highSpm))}"><title>${escapeHtml(options.band.label)}</title></rect>`,
    );
  }
  parts.push(yAxis(y, yTicks, unit, spec.decimals));
  const refPts = pts.filter((p) => ref(p) !== null);
  if (refPts.length > 0) {
    parts.push(`<path class="expected" d="${refPts.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p)} ${coord(y(ref(p)!))}`).join('')}"><title>Typical for your speeds (van Oeveren 2019)</title></path>`);
  }
  parts.push(`<path class="trend" d="${pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${px(p)} ${coord(y(val(p)!))}`).join('')}"/>`);
  const fmt = spec.fmt;
  for (const p of pts) {
    const r = ref(p);
    parts.push(
      `<circle class="dot" cx="${px(p)}" cy="${coord(y(val(p)!))}" r="3"><title>${escapeHtml(`${p.start}: ${fmt(val(p)!)} over ${p.runs} ${p.runs === 1 ? 'run' : 'runs'}${r !== null ? `; typical for your speeds ${fmt(r)}` : ''}`)}</title></circle>`,
    );
  }
  const base = MARGIN.top + PLOT_H;
  parts.push(`<g class="axis x"><line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${base}" y2="${base}"/>`);
  // Labels where they fit: at least 90 units apart (about 7 characters at the phone's font size), none at the right edge.
  const sameYear = pts[0]!.start.slice(0, 4) === pts[pts.length - 1]!.start.slice(0, 4);
  const weekly = pts.some((p) => !p.start.endsWith('-01'));
  let lastX = -Infinity;
  for (const p of pts) {
    const at = x(dayNumber(p.start));
    if (at - lastX < 90 || at > WIDTH - MARGIN.right - 30) continue;
    lastX = at;
    const text = weekly ? p.start.slice(5) : sameYear ? MONTHS[Number(p.start.slice(5, 7)) - 1]! : p.start.slice(0, 7);
    parts.push(`<text x="${px(p)}" y="${base + 18}" text-anchor="middle">${escapeHtml(text)}</text>`);
  }
  parts.push('</g>');
  const items: { cls: string; text: string; shape?: 'rect' | 'line' }[] = [{ cls: 'trend', text: spec.mine, shape: 'line' }];
  if (m === 'cadence' || m === 'step') items.push({ cls: 'expected', text: 'typical for your speeds', shape: 'line' });
  if (cad && options.band) items.push({ cls: 'band', text: options.band.label });
  parts.push(legend(items));
  parts.push('</svg>');
  return parts.join('');
}
