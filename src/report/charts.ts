/**
 * Inline SVG charts of the HTML report. Each function returns one
 * `<svg>` element as a string (or `null` when there is nothing to draw),
 * with `data-chart` naming it. Text is escaped; no scripts, no external
 * resources.
 */
import { expectedCadenceSpm } from '../analysis/expected.js';
import type { ActivitySummary, CadenceBaseline, DownhillSegment, WeekSummary } from '../analysis/types.js';
import { formatNumber, METRES_PER_FOOT, toDisplayDistance, type DisplayUnits } from './format.js';
import type { CadenceHistogram, ElevationProfile } from './model.js';
import type { WeekMarks } from './overview.js';
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

/** Most recent weeks drawn by {@link weeklyDistanceChart} (two years). */
export const MAX_CHART_WEEKS = 104;

/** Options of {@link weeklyDistanceChart}. */
export interface WeeklyChartOptions {
  readonly units: DisplayUnits;
  readonly marks: ReadonlyMap<string, WeekMarks>;
  /** Increase that marks a week, as a ratio (0.10 = 10 %). */
  readonly maxIncreaseRatio: number;
}

/**
 * Weekly running distance as bars (the last {@link MAX_CHART_WEEKS} weeks);
 * weeks over the increase limit are coloured, weeks holding a session spike
 * carry a triangle above the bar.
 *
 * @example
 * weeklyDistanceChart(report.weeks, { units: 'km', marks: weekMarks(report), maxIncreaseRatio: 0.1 });
 */
export function weeklyDistanceChart(allWeeks: readonly WeekSummary[], options: WeeklyChartOptions): string | null {
  if (allWeeks.length === 0) return null;
  const weeks = allWeeks.slice(Math.max(0, allWeeks.length - MAX_CHART_WEEKS));
  const { units } = options;
  const values = weeks.map((w) => toDisplayDistance(Math.max(0, w.distanceM), units));
  const ticks = niceTicks(0, Math.max(...values, 1), 5);
  const y = linearScale([0, ticks[ticks.length - 1]!], [MARGIN.top + PLOT_H, MARGIN.top]);
  const band = PLOT_W / weeks.length;
  const barW = Math.max(1, band * 0.72);
  const pct = formatNumber(options.maxIncreaseRatio * 100, 0);
  const parts = [open('weekly-distance', `Weekly running distance in ${units}`)];
  parts.push(yAxis(y, ticks, units));
  const labelEvery = Math.max(1, Math.ceil(weeks.length / 10));
  parts.push('<g class="bars">');
  weeks.forEach((w, i) => {
    const v = values[i]!;
    const m = options.marks.get(w.weekStart);
    const cls = m?.overIncrease ? 'bar over' : 'bar';
    const x0 = MARGIN.left + i * band + (band - barW) / 2;
    const top = y(v);
    const change = w.changeRatio !== null && Number.isFinite(w.changeRatio) ? `, ${formatNumber(w.changeRatio * 100, 0)} % vs previous week` : '';
    parts.push(
      `<rect class="${cls}" x="${coord(x0)}" y="${coord(top)}" width="${coord(barW)}" height="${coord(MARGIN.top + PLOT_H - top)}"><title>${escapeHtml(`Week of ${w.weekStart}: ${formatNumber(v, 1)} ${units}${change}`)}</title></rect>`,
    );
    if (m?.spike) {
      const cx = x0 + barW / 2;
      const ty = top - 4;
      parts.push(
        `<path class="spike" d="M${coord(cx)} ${coord(ty)}l-5 -9h10z"><title>${escapeHtml(`Session spike in the week of ${w.weekStart}`)}</title></path>`,
      );
    }
  });
  parts.push('</g>');
  const base = MARGIN.top + PLOT_H;
  parts.push(`<g class="axis x"><line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${base}" y2="${base}"/>`);
  // Month-day labels within one year; year-month when the weeks span several years.
  const manyYears = weeks[0]!.weekStart.slice(0, 4) !== weeks[weeks.length - 1]!.weekStart.slice(0, 4) && weeks.length > 26;
  weeks.forEach((w, i) => {
    if (i % labelEvery !== 0) return;
    const px = MARGIN.left + i * band + band / 2;
    parts.push(`<text x="${coord(px)}" y="${base + 16}" text-anchor="middle">${escapeHtml(manyYears ? w.weekStart.slice(0, 7) : w.weekStart.slice(5))}</text>`);
  });
  parts.push(
    `<text class="label" x="${coord(MARGIN.left + PLOT_W / 2)}" y="${HEIGHT - 4}" text-anchor="middle">week starting (${manyYears ? 'year-month' : 'month-day'})</text></g>`,
  );
  parts.push(
    legend([
      { cls: 'bar', text: 'weekly distance' },
      { cls: 'bar over', text: `more than +${pct} % on the previous week` },
      { cls: 'spike', text: 'week with a session spike' },
    ]),
  );
  parts.push('</svg>');
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
      `<rect class="downhill-band ${s.category}" x="${px(a)}" y="${MARGIN.top}" width="${coord(x(toDisplayDistance(b, units)) - x(toDisplayDistance(a, units)))}" height="${PLOT_H}"><title>${escapeHtml(`Downhill (${s.category}): ${formatNumber(s.dropM, 0)} m drop over ${formatNumber(s.lengthM, 0)} m, mean grade ${formatNumber(s.meanGrade * 100, 1)} %`)}</title></rect>`,
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
