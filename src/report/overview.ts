/**
 * Figures both the text and the HTML report show: totals over the runs of a
 * {@link Report}, weighted by running time, and which weeks to mark.
 */
import { MIN_RUNNING_TIME_S } from '../analysis/summarize.js';
import type { ActivitySummary, DownhillCategory, WeekSummary } from '../analysis/types.js';
import type { Finding } from '../rules/types.js';
import { formatPercent } from './format.js';
import { compareText, type Report } from './model.js';

/** Cadence over all runs, weighted by running time. */
export interface CadenceOverview {
  /** Runs that had usable cadence. */
  readonly runsWithCadence: number;
  /** Running-time-weighted mean of the runs' average cadence, steps/min. */
  readonly avgSpm: number | null;
  /** Lowest and highest run average, steps/min. */
  readonly minRunAvgSpm: number | null;
  readonly maxRunAvgSpm: number | null;
  /** Running time ÷ moving time over the runs with cadence (0..1): how much of the time `avgSpm` describes; null when unknown. */
  readonly runningShareOfMovingTime: number | null;
  /** Moving average of the same runs, walking included (what a watch shows), weighted by moving time, steps/min. */
  readonly movingAvgSpm: number | null;
  /**
   * Flat, steady running: observed and expected (van Oeveren 2019) cadence,
   * weighted by flat time, over runs with at least 10 min of it (less is no
   * flat figure, card C2); null when no run has that much.
   */
  readonly flatAvgSpm: number | null;
  readonly flatExpectedSpm: number | null;
  readonly flatSpeedMps: number | null;
  readonly flatTimeS: number;
  /** Share of running time per band (0..1), over runs with cadence. */
  readonly bandShares: { readonly below160: number; readonly from160to170: number; readonly from170to180: number; readonly atLeast180: number } | null;
  /** How the file stored cadence: runs per detected unit. */
  readonly unitCounts: { readonly strides: number; readonly steps: number; readonly none: number };
}

/** Step length over all runs, weighted by running time. */
export interface StepLengthOverview {
  readonly runsWithStepLength: number;
  readonly avgM: number | null;
  /** Weighted ratio to the expected step length at the runs' speeds. */
  readonly ratioToExpected: number | null;
  /** Seconds of flat running with long steps for the speed. */
  readonly longStepTimeS: number;
  /** Runs whose step length came from the device (running dynamics) rather than speed ÷ cadence. */
  readonly deviceRuns: number;
}

/** Downhill running over all runs. */
export interface DownhillOverview {
  readonly descentM: number;
  readonly downhillDistanceM: number;
  readonly steepDownhillDistanceM: number;
  readonly segmentsByCategory: Readonly<Record<DownhillCategory, number>>;
  /** The run with most descent, if any run had elevation. */
  readonly hilliest: ActivitySummary | null;
  /** Runs without usable elevation (treadmill, no altitude). */
  readonly runsWithoutElevation: number;
}

function isRun(a: ActivitySummary): boolean {
  return a.activityClass === 'running';
}

function weightedMean(pairs: readonly (readonly [number | null, number])[]): number | null {
  let sum = 0;
  let weight = 0;
  for (const [v, w] of pairs) {
    if (v === null || !Number.isFinite(v) || !(w > 0)) continue;
    sum += v * w;
    weight += w;
  }
  return weight > 0 ? sum / weight : null;
}

/**
 * Cadence across the runs of a report, weighted by running time.
 *
 * @example
 * const c = cadenceOverview(report);
 * console.log(c.avgSpm, c.flatExpectedSpm);
 */
export function cadenceOverview(report: Report): CadenceOverview {
  const runs = report.activities.filter(isRun);
  const withCadence = runs.filter((a) => a.cadence.avgSpm !== null && Number.isFinite(a.cadence.avgSpm));
  const unitCounts = { strides: 0, steps: 0, none: 0 };
  for (const a of runs) unitCounts[a.cadence.unitDetected]++;
  const bands = { below160: 0, from160to170: 0, from170to180: 0, atLeast180: 0 };
  let bandTotal = 0;
  for (const a of withCadence) {
    const b = a.cadence.timeInBandsS;
    bands.below160 += b.below160;
    bands.from160to170 += b.from160to170;
    bands.from170to180 += b.from170to180;
    bands.atLeast180 += b.atLeast180;
    bandTotal += b.below160 + b.from160to170 + b.from170to180 + b.atLeast180;
  }
  const averages = withCadence.map((a) => a.cadence.avgSpm as number);
  const flat = withCadence.filter((a) => Number.isFinite(a.cadence.flatTimeS) && a.cadence.flatTimeS >= MIN_RUNNING_TIME_S);
  let runS = 0;
  let movingS = 0;
  for (const a of withCadence) {
    const share = a.cadence.runningShareOfMovingTime;
    if (share === undefined || !Number.isFinite(share) || !(share > 0) || !Number.isFinite(a.runningTimeS)) continue;
    runS += a.runningTimeS;
    movingS += a.runningTimeS / share;
  }
  return {
    runsWithCadence: withCadence.length,
    avgSpm: weightedMean(withCadence.map((a) => [a.cadence.avgSpm, a.runningTimeS])),
    minRunAvgSpm: averages.length > 0 ? Math.min(...averages) : null,
    maxRunAvgSpm: averages.length > 0 ? Math.max(...averages) : null,
    runningShareOfMovingTime: movingS > 0 ? runS / movingS : null,
    movingAvgSpm: weightedMean(withCadence.map((a) => [a.cadence.movingAvgSpm ?? null, a.cadence.runningShareOfMovingTime ? a.runningTimeS / a.cadence.runningShareOfMovingTime : 0])),
    flatAvgSpm: weightedMean(flat.map((a) => [a.cadence.flatAvgSpm, a.cadence.flatTimeS])),
    flatExpectedSpm: weightedMean(flat.map((a) => [a.cadence.expectedSpm, a.cadence.flatTimeS])),
    flatSpeedMps: weightedMean(flat.map((a) => [a.cadence.flatSpeedMps, a.cadence.flatTimeS])),
    flatTimeS: flat.reduce((s, a) => s + a.cadence.flatTimeS, 0),
    bandShares:
      bandTotal > 0
        ? {
            below160: bands.below160 / bandTotal,
            from160to170: bands.from160to170 / bandTotal,
            from170to180: bands.from170to180 / bandTotal,
            atLeast180: bands.atLeast180 / bandTotal,
          }
        : null,
    unitCounts,
  };
}

/**
 * Step length across the runs of a report, weighted by running time.
 *
 * @example
 * stepLengthOverview(report).avgM; // e.g. 1.04 (metres)
 */
export function stepLengthOverview(report: Report): StepLengthOverview {
  const runs = report.activities.filter(isRun).filter((a) => a.stepLength.avgM !== null && Number.isFinite(a.stepLength.avgM));
  return {
    runsWithStepLength: runs.length,
    avgM: weightedMean(runs.map((a) => [a.stepLength.avgM, a.runningTimeS])),
    ratioToExpected: weightedMean(runs.filter((a) => !a.stepLength.lowConfidence).map((a) => [a.stepLength.ratioToExpected, a.runningTimeS])),
    longStepTimeS: runs.reduce((s, a) => s + (Number.isFinite(a.stepLength.longStepTimeS) ? a.stepLength.longStepTimeS : 0), 0),
    deviceRuns: runs.filter((a) => a.stepLength.source === 'device').length,
  };
}

/**
 * Downhill exposure across the runs of a report (cards D1–D3).
 *
 * @example
 * const d = downhillOverview(report);
 * console.log(d.descentM, d.hilliest?.id);
 */
export function downhillOverview(report: Report): DownhillOverview {
  const runs = report.activities.filter(isRun);
  const segmentsByCategory: Record<DownhillCategory, number> = { mild: 0, moderate: 0, steep: 0, 'very-steep': 0 };
  let descentM = 0;
  let downhillDistanceM = 0;
  let steepDownhillDistanceM = 0;
  let runsWithoutElevation = 0;
  for (const a of runs) {
    if (a.elevation.source === 'none' || a.elevation.descentM === null) runsWithoutElevation++;
    descentM += finiteOr0(a.elevation.descentM);
    downhillDistanceM += finiteOr0(a.elevation.downhillDistanceM);
    steepDownhillDistanceM += finiteOr0(a.elevation.steepDownhillDistanceM);
    for (const s of a.downhillSegments) segmentsByCategory[s.category]++;
  }
  return {
    descentM,
    downhillDistanceM,
    steepDownhillDistanceM,
    segmentsByCategory,
    hilliest: pickHilliest(runs),
    runsWithoutElevation,
  };
}

function finiteOr0(v: number | null): number {
  return v !== null && Number.isFinite(v) ? v : 0;
}

/**
 * The run with the most descent (ties: the smaller id), or `null` when no
 * run has elevation. The choice does not depend on the order of the list.
 *
 * @example
 * pickHilliest(report.activities)?.id;
 */
export function pickHilliest(activities: readonly ActivitySummary[]): ActivitySummary | null {
  let best: ActivitySummary | null = null;
  for (const a of activities) {
    if (a.activityClass !== 'running') continue;
    const d = a.elevation.descentM;
    if (d === null || !Number.isFinite(d) || d <= 0) continue;
    const bd = best?.elevation.descentM ?? -1;
    if (best === null || d > (bd ?? -1) || (d === bd && compareText(a.id, best.id) < 0)) best = a;
  }
  return best;
}

/** How a week is marked in the charts and the text summary. */
export interface WeekMarks {
  /** Week-over-week increase above the report's `maxWeeklyIncreaseRatio`. */
  readonly overIncrease: boolean;
  /** The week holds a session-spike finding. */
  readonly spike: boolean;
}

/**
 * True for findings of the load-spike family (single-session spikes, card L2).
 *
 * @example
 * report.findings.filter(isSpikeFinding);
 */
export function isSpikeFinding(f: Finding): boolean {
  return /spike/i.test(f.rule);
}

/** The `YYYY-MM-DD` week start that holds a local date, among the report's weeks. */
function weekOf(date: string, weeks: readonly WeekSummary[]): string | null {
  let found: string | null = null;
  for (const w of weeks) {
    if (w.weekStart <= date) found = w.weekStart;
    else break;
  }
  return found;
}

/**
 * Marks per week start: increase over the threshold, and session spikes.
 *
 * @example
 * const marks = weekMarks(report);
 * marks.get('2026-03-09')?.spike;
 */
export function weekMarks(report: Report): ReadonlyMap<string, WeekMarks> {
  const spikeWeeks = new Set<string>();
  for (const f of report.findings) {
    if (!isSpikeFinding(f) || f.severity === 'info') continue;
    const week = f.week ?? (f.date !== null ? weekOf(f.date, report.weeks) : null);
    if (week !== null) spikeWeeks.add(week);
  }
  const marks = new Map<string, WeekMarks>();
  for (const w of report.weeks) {
    marks.set(w.weekStart, {
      overIncrease: w.changeRatio !== null && Number.isFinite(w.changeRatio) && w.changeRatio > report.settings.maxWeeklyIncreaseRatio,
      spike: spikeWeeks.has(w.weekStart),
    });
  }
  return marks;
}

/** What was done with activities of unknown sport, by the class `genericSportAs` gave them. */
function unknownOutcome(cls: ActivitySummary['activityClass'], n: number): string {
  const them = n === 1 ? 'it' : 'them';
  switch (cls) {
    case 'running':
      return `counted as ${n === 1 ? 'a run' : 'runs'} (--unknown-sport-as running)`;
    case 'walking':
      return `counted as ${n === 1 ? 'a walk' : 'walks'} (--unknown-sport-as walking)`;
    case 'low-impact':
      return 'counted as low-impact training';
    default:
      return `left out of the running load (--unknown-sport-as running counts ${them} as ${n === 1 ? 'a run' : 'runs'})`;
  }
}

/**
 * Sentences on where the activities' sports came from when not from the
 * files themselves: how many had no known sport and what was done with them,
 * and how many sports came from export metadata, names or the data. Empty
 * when every sport came from its file.
 *
 * @example sportNotes(report) // ['2 activities had no known sport (...) and were left out of the running load (...).', 'Sports not stated in the files: 1 inferred from speed and cadence.']
 */
export function sportNotes(report: Report): string[] {
  const count = (source: string): number => report.activities.filter((a) => (a.sportSource ?? 'file') === source).length;
  const parts: string[] = [];
  const unknown = report.activities.filter((a) => a.sport === 'generic');
  const byClass = new Map<ActivitySummary['activityClass'], number>();
  for (const a of unknown) byClass.set(a.activityClass, (byClass.get(a.activityClass) ?? 0) + 1);
  for (const [cls, n] of [...byClass].sort((x, y) => compareText(x[0], y[0]))) {
    parts.push(`${n} ${n === 1 ? 'activity' : 'activities'} had no known sport (not in the file, export, name or data) and ${n === 1 ? 'was' : 'were'} ${unknownOutcome(cls, n)}`);
  }
  const known: string[] = [];
  const fromExport = count('export-metadata');
  const fromName = count('name');
  const inferred = count('inferred');
  if (fromExport > 0) known.push(`${fromExport} from the export's activity list`);
  if (fromName > 0) known.push(`${fromName} from activity names`);
  if (inferred > 0) known.push(`${inferred} inferred from speed and cadence`);
  if (known.length > 0) parts.push(`sports not stated in the files: ${known.join(', ')}`);
  return parts.map((p) => `${p[0]!.toUpperCase()}${p.slice(1)}.`);
}

/**
 * ", 80 % of the moving time; walking the rest" after a running cadence, so a
 * reader knows which part of the time it describes; empty when (nearly) all of it ran
 * or the share is unknown.
 * @example runningShareText({ runningShareOfMovingTime: 0.1 }) // ", 10 % of the moving time; walking the rest"
 */
export function runningShareText(c: { readonly runningShareOfMovingTime: number | null }): string {
  const share = c.runningShareOfMovingTime;
  if (share === null || !Number.isFinite(share) || share >= 0.995) return '';
  return `, ${formatPercent(share)} of the moving time; walking the rest`;
}
