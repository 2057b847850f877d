/**
 * JSON Schema (draft 2020-12) of the `--json` report, schema version 2, and
 * the JSON renderer. The schema is the published contract: fields it
 * requires stay; new optional fields may be added within a schema version.
 */
import type { Report } from './model.js';

const num = { type: 'number' } as const;
const nullableNum = { type: ['number', 'null'] } as const;
const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const date = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;
const nullableDate = { anyOf: [date, { type: 'null' }] } as const;
const count = { type: 'integer', minimum: 0 } as const;

const deviceSummary = {
  type: 'object',
  properties: {
    totalDistanceM: num,
    timerTimeS: num,
    elapsedTimeS: num,
    avgCadenceSpm: num,
    maxCadenceSpm: num,
    ascentM: num,
    descentM: num,
    avgStepLengthM: num,
    avgSpeedMps: num,
    avgHeartRateBpm: num,
    totalSteps: num,
  },
  additionalProperties: { type: ['number', 'null'] },
} as const;

const downhillSegment = {
  type: 'object',
  required: ['startDistanceM', 'endDistanceM', 'startTimeS', 'endTimeS', 'lengthM', 'dropM', 'meanGrade', 'maxGrade', 'category'],
  properties: {
    startDistanceM: num,
    endDistanceM: num,
    startTimeS: nullableNum,
    endTimeS: nullableNum,
    lengthM: num,
    dropM: num,
    meanGrade: num,
    maxGrade: num,
    category: { enum: ['mild', 'moderate', 'steep', 'very-steep'] },
    speedMps: nullableNum,
    cadenceSpm: nullableNum,
    stepLengthM: nullableNum,
  },
} as const;

const activity = {
  type: 'object',
  required: [
    'id',
    'file',
    'sport',
    'subSport',
    'activityClass',
    'startTime',
    'localDate',
    'distanceM',
    'movingTimeS',
    'ascentM',
    'descentM',
    'cadence',
    'stepLength',
    'elevation',
    'downhillSegments',
    'deviceSummary',
    'quality',
  ],
  properties: {
    id: { type: 'string', minLength: 1 },
    file: nullableStr,
    name: nullableStr,
    gear: nullableStr,
    sport: str,
    subSport: str,
    sportSource: { enum: ['file', 'export-metadata', 'name', 'inferred', 'unknown'] },
    sportConfidence: num,
    activityClass: { enum: ['running', 'walking', 'low-impact', 'other'] },
    isTreadmill: { type: 'boolean' },
    startTime: { anyOf: [{ type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}' }, { type: 'null' }] },
    localDate: nullableDate,
    distanceM: num,
    runningDistanceM: num,
    elapsedTimeS: nullableNum,
    movingTimeS: num,
    runningTimeS: num,
    avgSpeedMps: nullableNum,
    ascentM: nullableNum,
    descentM: nullableNum,
    cadence: {
      type: 'object',
      required: ['unitDetected', 'avgSpm'],
      properties: {
        unitDetected: { enum: ['strides', 'steps', 'none'] },
        unitConfidence: nullableNum,
        avgSpm: nullableNum,
        movingAvgSpm: nullableNum,
        timerAvgSpm: nullableNum,
        walkingAvgSpm: nullableNum,
        runningShareOfMovingTime: { type: 'number', minimum: 0, maximum: 1 },
        runWalkMethod: { enum: ['clusters', 'single-cluster', 'walking', 'speed', 'none'] },
        runWalkThresholdSpm: nullableNum,
        medianSpm: nullableNum,
        bySpeed: {
          type: 'array',
          items: {
            type: 'object',
            required: ['speedMps', 'timeS', 'avgSpm', 'expectedSpm'],
            properties: { speedMps: num, timeS: num, avgSpm: num, expectedSpm: num, extrapolated: { type: 'boolean' } },
          },
        },
      },
    },
    stepLength: {
      type: 'object',
      required: ['source', 'avgM'],
      properties: { source: { enum: ['device', 'derived', 'none'] }, avgM: nullableNum, ratioToExpected: nullableNum },
    },
    elevation: {
      type: 'object',
      required: ['source', 'ascentM', 'descentM'],
      properties: { source: { enum: ['baro', 'gps', 'none'] }, ascentM: nullableNum, descentM: nullableNum },
    },
    downhillSegments: { type: 'array', items: downhillSegment },
    deviceSummary,
    quality: {
      type: 'array',
      items: { type: 'object', required: ['code', 'message'], properties: { code: str, message: str } },
    },
  },
} as const;

const week = {
  type: 'object',
  required: ['weekStart', 'distanceM', 'changeRatio'],
  properties: {
    weekStart: date,
    distanceM: { type: 'number', minimum: 0 },
    timeS: num,
    runs: count,
    changeRatio: nullableNum,
    twoWeekChangeRatio: nullableNum,
  },
} as const;

const finding = {
  type: 'object',
  required: ['rule', 'severity', 'activityId', 'week', 'date', 'observed', 'threshold', 'unit', 'evidence', 'message', 'advice'],
  properties: {
    rule: { type: 'string', minLength: 1 },
    severity: { enum: ['info', 'caution', 'warning'] },
    activityId: nullableStr,
    week: nullableDate,
    date: nullableDate,
    span: {
      anyOf: [
        { type: 'null' },
        { type: 'object', required: ['startS', 'endS', 'startM', 'endM'], properties: { startS: nullableNum, endS: nullableNum, startM: nullableNum, endM: nullableNum } },
      ],
    },
    observed: nullableNum,
    threshold: nullableNum,
    unit: str,
    evidence: {
      type: 'object',
      required: ['grade', 'reference'],
      properties: { grade: { enum: ['A', 'B', 'C', 'D'] }, reference: str },
    },
    message: { type: 'string', minLength: 1 },
    advice: { type: 'array', items: str },
    details: { type: 'object', additionalProperties: { type: ['number', 'string', 'boolean', 'null'] } },
  },
} as const;

/**
 * JSON Schema (draft 2020-12) of {@link Report} as written by `--json`.
 *
 * @example
 * import Ajv from 'ajv/dist/2020.js';
 * const valid = new Ajv().validate(REPORT_JSON_SCHEMA, JSON.parse(json));
 * valid; // true
 */
export const REPORT_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://github.com/stridewise/stridewise/report-v2.schema.json',
  title: 'stridewise report',
  description: 'Analysis of running activities: per-activity summaries, weekly distance, findings with evidence and advice, and files that could not be read. Units: SI plus steps/min; every numeric field name ends in its unit.',
  type: 'object',
  required: [
    'schemaVersion',
    'generator',
    'settings',
    'period',
    'findingCounts',
    'activities',
    'weeks',
    'sessions',
    'gear',
    'cadenceBaseline',
    'breaks',
    'findings',
    'errors',
    'duplicates',
    'cadenceDistribution',
    'elevationProfile',
  ],
  additionalProperties: false,
  properties: {
    schemaVersion: { const: 2 },
    generator: {
      type: 'object',
      required: ['name', 'version'],
      additionalProperties: false,
      properties: { name: str, version: str },
    },
    settings: {
      type: 'object',
      required: ['timeZone', 'heightM', 'minCadenceSpm', 'maxWeeklyIncreaseRatio', 'since', 'until'],
      additionalProperties: false,
      properties: {
        timeZone: nullableStr,
        heightM: nullableNum,
        minCadenceSpm: nullableNum,
        maxWeeklyIncreaseRatio: { type: 'number', exclusiveMinimum: 0 },
        since: nullableDate,
        until: nullableDate,
      },
    },
    period: {
      type: 'object',
      required: ['firstDate', 'lastDate', 'activities', 'runs', 'runningDistanceM', 'runningTimeS'],
      additionalProperties: false,
      properties: {
        firstDate: nullableDate,
        lastDate: nullableDate,
        activities: count,
        runs: count,
        runningDistanceM: { type: 'number', minimum: 0 },
        runningTimeS: { type: 'number', minimum: 0 },
      },
    },
    findingCounts: {
      type: 'object',
      required: ['info', 'caution', 'warning'],
      additionalProperties: false,
      properties: { info: count, caution: count, warning: count },
    },
    activities: { type: 'array', items: activity },
    weeks: { type: 'array', items: week },
    sessions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['activityIds', 'startTime', 'localDate', 'distanceM'],
        properties: { activityIds: { type: 'array', items: str, minItems: 1 }, startTime: str, localDate: date, distanceM: num },
      },
    },
    gear: {
      type: 'array',
      items: { type: 'object', required: ['gear', 'distanceM', 'runs'], properties: { gear: str, distanceM: num, runs: count } },
    },
    cadenceBaseline: {
      anyOf: [
        { type: 'null' },
        { type: 'object', required: ['interceptSpm', 'slopeSpmPerMps', 'windowDays', 'targetPct'], properties: { interceptSpm: num, slopeSpmPerMps: num, windowDays: num, timeS: num, targetPct: num } },
      ],
    },
    breaks: {
      type: 'array',
      items: { type: 'object', required: ['from', 'to', 'days'], properties: { from: date, to: date, days: num } },
    },
    findings: { type: 'array', items: finding },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['file', 'code', 'message'],
        additionalProperties: false,
        properties: { file: str, code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' }, message: { type: 'string', minLength: 1 } },
      },
    },
    duplicates: {
      type: 'array',
      items: {
        type: 'object',
        required: ['file', 'activityId', 'keptFile', 'keptActivityId', 'reason'],
        additionalProperties: false,
        properties: { file: str, activityId: str, keptFile: str, keptActivityId: str, reason: str },
      },
    },
    cadenceDistribution: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['fromSpm', 'binWidthSpm', 'timeS'],
          additionalProperties: false,
          properties: { fromSpm: num, binWidthSpm: { type: 'number', exclusiveMinimum: 0 }, timeS: { type: 'array', items: { type: 'number', minimum: 0 } } },
        },
      ],
    },
    elevationProfile: {
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          required: ['activityId', 'chosenBy', 'distanceM', 'altitudeM'],
          additionalProperties: false,
          properties: {
            activityId: str,
            chosenBy: { enum: ['most-descent', 'user'] },
            distanceM: { type: 'array', items: num },
            altitudeM: { type: 'array', items: nullableNum },
          },
        },
      ],
    },
  },
} as const;

/**
 * The report as JSON text: two-space indentation and a final newline. The
 * report is already sorted and rounded by `buildReport`, so the same report
 * gives the same bytes.
 *
 * @example
 * const json = renderJson(report); // then e.g. writeFile('report.json', json)
 * JSON.parse(json).schemaVersion; // 2
 */
export function renderJson(report: Report): string {
  const { runTraces: _traces, elevationProfileMissing: _missing, ...json } = report;
  return `${JSON.stringify(json, null, 2)}\n`;
}
