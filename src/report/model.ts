/**
 * The report model: everything one analysis produced, as one plain JSON
 * object with a `schemaVersion`. Built by {@link buildReport} from the
 * pipeline's results; rendered as JSON, text or HTML by the other modules
 * of `src/report/`.
 *
 * Determinism: the same inputs give the same object, field for field, in
 * whatever order the files were read. Every list is sorted on stable keys,
 * numbers are rounded (see `roundForReport`) and nothing about the
 * run itself (clock time, host, duration) is recorded.
 *
 * Units: SI plus steps/min, as everywhere in stridewise; every numeric field
 * name ends in its unit. Conversion to km or miles happens only in the text
 * and HTML renderers.
 */
import type {
  ActivitySummary,
  CadenceBaseline,
  GearUsage,
  SessionLoad,
  TrainingHistory,
  WeekSummary,
} from '../analysis/types.js';
import type { Finding, Severity } from '../rules/types.js';

/** Version of the JSON report layout. Raised when a field changes meaning or disappears. */
export const REPORT_SCHEMA_VERSION = 2 as const;

/** A file (or archive entry) that could not be read. The batch goes on without it. */
export interface FileError {
  /** Path as given, or `archive.zip!inner/path` for an archive entry. */
  readonly file: string;
  /** Stable error code (see `ErrorCode`). */
  readonly code: string;
  /** Human explanation. */
  readonly message: string;
}

/**
 * A recording of an activity already counted (the same file twice, the same run as FIT and GPX, in two
 * exports, or from a watch and a phone), left out.
 */
export interface DuplicateActivity {
  /** The recording left out. */
  readonly file: string;
  /** Its activity id. */
  readonly activityId: string;
  /** The file whose copy was kept (the richest copy). */
  readonly keptFile: string;
  /** Activity id of the kept copy (as in `activities`). */
  readonly keptActivityId: string;
  /** Why they are the same activity and why that copy was kept. */
  readonly reason: string;
}

export type { CadenceHistogram, ElevationProfile, RunTrace, RunSplit } from '../analysis/extras.js';
import { mergeCadenceHistograms, type ActivityExtras, type CadenceHistogram, type ElevationProfile, type RunTrace } from '../analysis/extras.js';

/** Settings that shaped the analysis, recorded so a report can be read on its own. */
export interface ReportSettings {
  /** IANA time zone used for local dates, `null` for the files' own offsets. */
  readonly timeZone: string | null;
  /** Runner's height in metres, when given. */
  readonly heightM: number | null;
  /** Absolute cadence floor in steps/min, when given. */
  readonly minCadenceSpm: number | null;
  /** Week-over-week increase above which a week is marked (0.10 = 10 %). */
  readonly maxWeeklyIncreaseRatio: number;
  /** First local date included (`YYYY-MM-DD`), when limited. */
  readonly since: string | null;
  /** Last local date included (`YYYY-MM-DD`), when limited. */
  readonly until: string | null;
}

/** Default week-over-week increase that marks a week (the "10 % rule", card L3). */
export const DEFAULT_MAX_WEEKLY_INCREASE_RATIO = 0.1;

/** What {@link buildReport} takes: the pipeline's outputs. */
export interface ReportInput {
  readonly summaries: readonly ActivitySummary[];
  readonly history: TrainingHistory;
  readonly findings: readonly Finding[];
  readonly errors?: readonly FileError[];
  /** Activities found again and left out (see {@link DuplicateActivity}). */
  readonly duplicates?: readonly DuplicateActivity[];
  /** Merged cadence histogram; default: merged from `extras` of the running activities, else none. */
  readonly cadenceHistogram?: CadenceHistogram | null;
  /** Profile to draw; default: from `extras`, the running activity with the most descent. */
  readonly elevationProfile?: ElevationProfile | null;
  /**
   * Per-activity chart data (from `analyzeActivities` or `analyzeExport`
   * with `extras`): supplies the cadence histogram, the elevation profile
   * and the run traces the HTML run views draw.
   */
  readonly extras?: readonly ActivityExtras[];
  readonly settings?: Partial<ReportSettings>;
  /** Name and version of the program that made the report. */
  readonly generator?: { readonly name: string; readonly version: string };
}

/**
 * One activity in the report: its summary, plus the elevation totals at the
 * top level (`ascentM`, `descentM`, same values as `elevation.ascentM` and
 * `elevation.descentM`) where most readers of the JSON look for them.
 */
export type ReportActivity = ActivitySummary & {
  /** Metres climbed (smoothed, with hysteresis), `null` without usable elevation. */
  readonly ascentM: number | null;
  /** Metres descended (smoothed, with hysteresis), `null` without usable elevation. */
  readonly descentM: number | null;
};

/** Totals over the period of the report. */
export interface ReportPeriod {
  /** First and last local dates with an activity (`YYYY-MM-DD`), `null` when none. */
  readonly firstDate: string | null;
  readonly lastDate: string | null;
  readonly activities: number;
  /** Activities of class `running`. */
  readonly runs: number;
  /** Sum of running distance over all activities, metres. */
  readonly runningDistanceM: number;
  /** Sum of running time over all activities, seconds. */
  readonly runningTimeS: number;
}

/** The whole report (the `--json` output). */
export interface Report {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly generator: { readonly name: string; readonly version: string };
  readonly settings: ReportSettings;
  readonly period: ReportPeriod;
  /** Number of findings per severity. */
  readonly findingCounts: Readonly<Record<Severity, number>>;
  /** Sorted by start time (undated last), then id. */
  readonly activities: readonly ReportActivity[];
  /** Sorted by week start. */
  readonly weeks: readonly WeekSummary[];
  /** Running sessions in time order. */
  readonly sessions: readonly SessionLoad[];
  readonly gear: readonly GearUsage[];
  readonly cadenceBaseline: CadenceBaseline | null;
  readonly breaks: TrainingHistory['breaks'];
  /** Sorted by severity (warning first), then date, rule and activity. */
  readonly findings: readonly Finding[];
  /** Sorted by file, then code. */
  readonly errors: readonly FileError[];
  /** Activities found again and counted once, sorted by file. */
  readonly duplicates: readonly DuplicateActivity[];
  readonly cadenceDistribution: CadenceHistogram | null;
  readonly elevationProfile: ElevationProfile | null;
  /**
   * Series and splits per run for the HTML run views, sorted by activity id;
   * absent when none were given. Chart data only: left out of the JSON
   * output (`renderJson`), which stays summaries and findings.
   */
  readonly runTraces?: readonly RunTrace[];
  /**
   * True when the runs have elevation but no profile was given to
   * `buildReport` (neither `elevationProfile` nor `extras`): the HTML says
   * so instead of "no run with elevation data".
   */
  readonly elevationProfileMissing?: boolean;
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { warning: 0, caution: 1, info: 2 };

/**
 * Rank of a severity for comparisons: `warning` 2, `caution` 1, `info` 0.
 *
 * @example
 * severityLevel('warning') > severityLevel('caution'); // true
 */
export function severityLevel(severity: Severity): number {
  return 2 - SEVERITY_RANK[severity];
}

/** Decimal places kept in reports. 1e-4 of a metre, second or step is far below any measurement's precision. */
const REPORT_DECIMALS = 4;
const REPORT_SCALE = 10 ** REPORT_DECIMALS;

/**
 * Deep copy of a JSON-like value with every number rounded to 4 decimal
 * places, `-0` turned into `0`, and non-finite numbers (NaN, ±Infinity)
 * turned into `null` (JSON has no NaN). Typed arrays become plain arrays;
 * `undefined` object fields are dropped, as `JSON.stringify` would.
 * Does not mutate its input.
 *
 * @example
 * roundForReport({ a: 1.23456789, b: NaN, c: [-0] }); // { a: 1.2346, b: null, c: [0] }
 */
export function roundForReport<T>(value: T): T {
  return roundValue(value) as T;
}

function roundValue(value: unknown): unknown {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    const r = Math.round(value * REPORT_SCALE) / REPORT_SCALE;
    return r === 0 ? 0 : r;
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(roundValue);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>, roundValue);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function') continue;
    out[k] = roundValue(v);
  }
  return out;
}

/**
 * Compares strings by UTF-16 code units: independent of the locale of the machine.
 *
 * @example
 * ['b', 'B', 'a'].sort(compareText); // ['B', 'a', 'b']
 */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNullableText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return compareText(a, b);
}

/**
 * Order of activities in reports: start time (undated last), then id, then file.
 *
 * @example
 * const ordered = [...summaries].sort(compareActivities);
 */
export function compareActivities(a: ActivitySummary, b: ActivitySummary): number {
  return (
    compareNullableText(a.startTime, b.startTime) ||
    compareText(a.id, b.id) ||
    compareNullableText(a.file, b.file)
  );
}

/**
 * Order of findings in reports: severity (warning first), date, rule, activity, week, message.
 *
 * @example
 * const ordered = [...findings].sort(compareFindingsBySeverity); // warnings first
 */
export function compareFindingsBySeverity(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    compareNullableText(a.date, b.date) ||
    compareText(a.rule, b.rule) ||
    compareNullableText(a.activityId, b.activityId) ||
    compareNullableText(a.week, b.week) ||
    (a.span?.startS ?? -1) - (b.span?.startS ?? -1) ||
    compareText(a.message, b.message)
  );
}

function compareErrors(a: FileError, b: FileError): number {
  return compareText(a.file, b.file) || compareText(a.code, b.code) || compareText(a.message, b.message);
}

/**
 * Assembles the report from the pipeline's results: sorts every list on
 * stable keys, counts findings per severity, totals the period and rounds
 * all numbers (`roundForReport`). Pure; does not mutate its input.
 *
 * @example
 * const history = analyzeHistory(summaries);
 * const report = buildReport({ summaries, history, findings: evaluateRules(history, summaries) });
 * console.log(report.period.runs, report.findingCounts.warning);
 */
export function buildReport(input: ReportInput): Report {
  const activities: ReportActivity[] = [...input.summaries]
    .sort(compareActivities)
    .map((a) => ({ ...a, ascentM: a.elevation.ascentM, descentM: a.elevation.descentM }));
  const findings = [...input.findings].sort(compareFindingsBySeverity);
  const errors = [...(input.errors ?? [])].map((e) => ({ file: e.file, code: e.code, message: e.message })).sort(compareErrors);
  const weeks = [...input.history.weeks].sort((a, b) => compareText(a.weekStart, b.weekStart));
  const findingCounts: Record<Severity, number> = { info: 0, caution: 0, warning: 0 };
  for (const f of findings) findingCounts[f.severity]++;
  let runs = 0;
  let runningDistanceM = 0;
  let runningTimeS = 0;
  for (const a of activities) {
    if (a.activityClass === 'running') runs++;
    if (Number.isFinite(a.runningDistanceM)) runningDistanceM += a.runningDistanceM;
    if (Number.isFinite(a.runningTimeS)) runningTimeS += a.runningTimeS;
  }
  const s = input.settings ?? {};
  const report: Report = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    generator: { name: input.generator?.name ?? 'stridewise', version: input.generator?.version ?? '0.0.0' },
    settings: {
      timeZone: s.timeZone ?? null,
      heightM: s.heightM ?? null,
      minCadenceSpm: s.minCadenceSpm ?? null,
      maxWeeklyIncreaseRatio: s.maxWeeklyIncreaseRatio ?? DEFAULT_MAX_WEEKLY_INCREASE_RATIO,
      since: s.since ?? null,
      until: s.until ?? null,
    },
    period: {
      firstDate: input.history.firstDate,
      lastDate: input.history.lastDate,
      activities: activities.length,
      runs,
      runningDistanceM,
      runningTimeS,
    },
    findingCounts,
    activities,
    weeks,
    sessions: input.history.sessions,
    gear: [...input.history.gear].sort((a, b) => compareText(a.gear, b.gear)),
    cadenceBaseline: input.history.cadenceBaseline,
    breaks: input.history.breaks,
    findings,
    errors,
    duplicates: [...(input.duplicates ?? [])]
      .map((d) => ({ file: d.file, activityId: d.activityId, keptFile: d.keptFile, keptActivityId: d.keptActivityId, reason: d.reason }))
      .sort((a, b) => compareText(a.file, b.file) || compareText(a.activityId, b.activityId) || compareText(a.keptFile, b.keptFile)),
    cadenceDistribution: input.cadenceHistogram !== undefined ? input.cadenceHistogram : histogramFromExtras(activities, input.extras),
    elevationProfile: input.elevationProfile !== undefined ? input.elevationProfile : profileFromExtras(activities, input.extras),
  };
  const traces = (input.extras ?? []).map((e) => e.runTrace ?? null).filter((t): t is RunTrace => t !== null);
  const withTraces: Report =
    traces.length > 0 ? { ...report, runTraces: traces.sort((a, b) => compareText(a.activityId, b.activityId)) } : report;
  const missing =
    withTraces.elevationProfile === null && activities.some((a) => a.activityClass === 'running' && (a.elevation.descentM ?? 0) > 0);
  return roundForReport(missing ? { ...withTraces, elevationProfileMissing: true } : withTraces);
}

function histogramFromExtras(activities: readonly ActivitySummary[], extras: readonly ActivityExtras[] | undefined): CadenceHistogram | null {
  if (extras === undefined) return null;
  const running = new Set(activities.filter((a) => a.activityClass === 'running').map((a) => a.id));
  const list = [...extras]
    .filter((e) => running.has(e.activityId) && e.cadenceHistogram !== null)
    .sort((a, b) => compareText(a.activityId, b.activityId))
    .map((e) => e.cadenceHistogram as CadenceHistogram);
  try {
    return mergeCadenceHistograms(list);
  } catch {
    return null; // histograms with different bins: no distribution rather than a wrong one
  }
}

/** The profile of the running activity with the most descent (ties: smaller id) among the extras. */
function profileFromExtras(activities: readonly ActivitySummary[], extras: readonly ActivityExtras[] | undefined): ElevationProfile | null {
  if (extras === undefined) return null;
  const byId = new Map(extras.filter((e) => e.elevationProfile !== null).map((e) => [e.activityId, e.elevationProfile as ElevationProfile]));
  let best: ActivitySummary | null = null;
  for (const a of activities) {
    if (a.activityClass !== 'running' || !byId.has(a.id)) continue;
    const d = a.elevation.descentM ?? 0;
    if (!(d > 0)) continue;
    const bd = best?.elevation.descentM ?? 0;
    if (best === null || d > bd || (d === bd && compareText(a.id, best.id) < 0)) best = a;
  }
  return best !== null ? byId.get(best.id)! : null;
}
