/**
 * Per-run form rules: data-quality gates (card Q1), low cadence (C2, C3),
 * overstriding (O1, one combined finding with low cadence), downhill form
 * (D3 `DOWNHILL_LOW_CADENCE`) and heavy downhill sessions (D3).
 */
import type { ActivitySummary, CadenceBaseline } from '../analysis/types.js';
import {
  ADVICE_DOWNHILL_GRADUAL,
  ADVICE_DOWNHILL_TECHNIQUE,
  ADVICE_LAND_UNDER,
  ADVICE_PROFESSIONAL,
  ADVICE_STRENGTH,
  ADVICE_SURFACES,
  EVIDENCE,
  adviceStepRate,
} from './advice.js';
import type { ResolvedRuleOptions } from './options.js';
import type { Finding, Severity } from './types.js';
import { above, atLeast, atMost, atPace, below, finite, makeFinding, pct, round } from './util.js';

/** van Oeveren 2019 population slope, spm per m/s (card C2). */
const POPULATION_SLOPE_SPM_PER_MPS = 6.01;

/** What the data of one run can carry (card Q1). */
export interface RunGate {
  /** Cadence values can be trusted (enough running, coverage, unit confidence, not intervals). */
  readonly cadenceOk: boolean;
  /** Speed (and so step length and speed-adjusted cadence) can be trusted. */
  readonly speedOk: boolean;
  /** Flat, steady running long enough for the flat-cadence rules. */
  readonly flatOk: boolean;
  /** Why something could not be judged, in words. */
  readonly reasons: readonly string[];
  readonly codes: readonly string[];
}

function minutes(s: number): string {
  return `${Math.round(s / 60)} min`;
}

/** Decides what a run's data can carry (card Q1). */
export function gateRun(s: ActivitySummary, o: ResolvedRuleOptions): RunGate {
  const q = o['data-quality'];
  const reasons: string[] = [];
  const codes: string[] = [];
  let cadenceOk = true;
  let speedOk = true;
  if (!finite(s.runningTimeS) || below(s.runningTimeS, q.minRunningTimeS)) {
    cadenceOk = false;
    speedOk = false;
    codes.push('SHORT_RUN');
    reasons.push(`only ${minutes(finite(s.runningTimeS) ? s.runningTimeS : 0)} of running (form is judged from ${minutes(q.minRunningTimeS)})`);
  }
  const c = s.cadence;
  if (c.unitDetected === 'none' || !finite(c.avgSpm)) {
    cadenceOk = false;
    codes.push('NO_CADENCE');
    reasons.push('no cadence recorded in this file');
  } else {
    if (!finite(c.coverage) || below(c.coverage, q.minCadenceCoverage)) {
      cadenceOk = false;
      codes.push('CADENCE_SPARSE');
      reasons.push(`cadence covers only ${finite(c.coverage) ? Math.round(c.coverage * 100) : 0} % of the running time (needs ${Math.round(q.minCadenceCoverage * 100)} %)`);
    }
    if (!finite(c.unitConfidence) || below(c.unitConfidence, q.minUnitConfidence)) {
      cadenceOk = false;
      codes.push('CADENCE_UNIT_UNSURE');
      reasons.push(`it is unclear whether the file counts steps or strides (confidence ${finite(c.unitConfidence) ? round(c.unitConfidence, 2) : 0}, needs ${q.minUnitConfidence})`);
    }
  }
  if (finite(s.speedCv) && above(s.speedCv, q.maxSpeedCv)) {
    cadenceOk = false;
    speedOk = false;
    codes.push('INTERVALS');
    reasons.push(`the pace changes like an interval session (speed variation ${round(s.speedCv, 2)}), where cadence follows the pace`);
  }
  if (s.isTreadmill || s.stepLength.lowConfidence) {
    speedOk = false;
    codes.push('TREADMILL_SPEED');
    reasons.push('treadmill speed is estimated by the watch, so step length and pace-based comparisons are not judged (cadence itself is fine)');
  }
  const flatNeeded = o['low-cadence'].minFlatTimeS;
  // A flat average of 0 (or less) is no measurement: stopped feet have no cadence.
  const flatOk = finite(c.flatAvgSpm) && c.flatAvgSpm > 0 && finite(c.flatTimeS) && atLeast(c.flatTimeS, flatNeeded);
  if (cadenceOk && !flatOk) {
    codes.push('LITTLE_FLAT_RUNNING');
    reasons.push(`only ${minutes(finite(c.flatTimeS) ? c.flatTimeS : 0)} of flat, steady running (cadence is judged on ${minutes(flatNeeded)} or more)`);
  }
  return { cadenceOk, speedOk, flatOk, reasons, codes };
}

function personalSpm(b: CadenceBaseline, speedMps: number): number {
  return b.interceptSpm + b.slopeSpmPerMps * speedMps;
}

interface LowCadenceResult {
  readonly severity: Severity;
  readonly message: string;
  readonly observed: number;
  readonly threshold: number;
  readonly unit: string;
  readonly evidence: (typeof EVIDENCE)[keyof typeof EVIDENCE];
  readonly details: Record<string, number | string | boolean | null>;
}

function evaluateLowCadence(
  s: ActivitySummary,
  gate: RunGate,
  o: ResolvedRuleOptions,
  baseline: CadenceBaseline | null,
): LowCadenceResult | null {
  const opt = o['low-cadence'];
  const c = s.cadence;
  if (!gate.cadenceOk || !gate.flatOk || !finite(c.flatAvgSpm)) return null;
  const spm = c.flatAvgSpm;
  const speed = finite(c.flatSpeedMps) ? c.flatSpeedMps : null;
  const paceText = gate.speedOk ? atPace(speed) : '';
  const z = gate.speedOk && finite(c.zVsExpected) ? c.zVsExpected : null;
  const expected = gate.speedOk && finite(c.expectedSpm) ? c.expectedSpm : null;
  const typical = expected !== null ? ` Runners at this pace typically take about ${Math.round(expected)} (±${opt.populationSdSpm}).` : '';
  const base = { flatAvgSpm: spm, flatSpeedMps: speed, flatTimeS: c.flatTimeS, expectedSpm: expected, z };

  if (opt.mode === 'absolute') {
    if (!below(spm, opt.minCadenceSpm)) return null;
    const lowForSpeed = z !== null && atMost(z, opt.maxZ);
    const speedNote =
      z === null
        ? ' Pace is not known reliably on this run, so it is reported for information.'
        : lowForSpeed
          ? ' That is also low for your pace.'
          : ' For your pace that is within the usual range, so this is for information.';
    return {
      severity: lowForSpeed ? 'caution' : 'info',
      message: `Your step rate on flat running${paceText} averaged ${Math.round(spm)} spm, below your limit of ${opt.minCadenceSpm} spm.${typical}${speedNote} Lower step rates go with longer steps, which are associated with more load on the knee in lab studies.`,
      observed: spm,
      threshold: opt.minCadenceSpm,
      unit: 'spm',
      evidence: EVIDENCE.cadenceAbsolute,
      details: { ...base, mode: 'absolute', lowForSpeed },
    };
  }

  if (opt.mode === 'personal' && baseline !== null && gate.speedOk && speed !== null) {
    const own = personalSpm(baseline, speed);
    if (!(own > 0)) return null;
    const drop = spm / own - 1;
    if (!below(drop, -opt.dropPct)) return null;
    return {
      severity: 'caution',
      message: `Your step rate on flat running${paceText} averaged ${Math.round(spm)} spm, ${pct(drop)} against your own usual ${Math.round(own)} spm at this pace. A drop like this can come with fatigue or with running around a sore spot.`,
      observed: drop,
      threshold: -opt.dropPct,
      unit: 'ratio',
      evidence: EVIDENCE.cadencePersonal,
      details: { ...base, mode: 'personal', personalSpm: own, dropPct: drop },
    };
  }

  // speed-adjusted, or personal without a baseline yet
  if (z === null || expected === null) return null;
  if (!atMost(z, opt.maxZ)) return null;
  const fallback = opt.mode === 'personal';
  return {
    severity: 'caution',
    message: `Your step rate on flat running${paceText} averaged ${Math.round(spm)} spm.${typical} That is ${round(Math.abs(z), 1)} SD below.${fallback ? ' (Your personal baseline is not available yet, so the population expectation is used.)' : ''} Raising step rate by 5–10 % lowered knee load in lab studies.`,
    observed: z,
    threshold: opt.maxZ,
    unit: 'z',
    evidence: EVIDENCE.cadenceSpeed,
    details: { ...base, mode: 'speed-adjusted', personalBaselineMissing: fallback },
  };
}

/** Step length can be judged: trusted speed, enough flat running, and (when derived from cadence) trusted cadence. */
function overstridingJudgeable(s: ActivitySummary, gate: RunGate, o: ResolvedRuleOptions): boolean {
  const st = s.stepLength;
  if (!gate.speedOk || st.lowConfidence || st.source === 'none') return false;
  if (st.source === 'derived' && !gate.cadenceOk) return false;
  return finite(s.cadence.flatTimeS) && atLeast(s.cadence.flatTimeS, o.overstriding.minFlatTimeS);
}

interface OverstridingResult {
  readonly ratio: number;
  readonly details: Record<string, number | string | boolean | null>;
}

function evaluateOverstriding(s: ActivitySummary, gate: RunGate, o: ResolvedRuleOptions): OverstridingResult | null {
  const opt = o.overstriding;
  const st = s.stepLength;
  if (!overstridingJudgeable(s, gate, o) || !finite(st.ratioToExpected)) return null;
  if (!atLeast(st.ratioToExpected, opt.minRatio)) return null;
  return {
    ratio: st.ratioToExpected,
    details: {
      stepLengthRatio: st.ratioToExpected,
      stepLengthM: st.avgM,
      stepLengthSource: st.source,
      longStepTimeS: st.longStepTimeS,
      stepLengthToHeight: st.relativeToHeight,
    },
  };
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, caution: 1, warning: 2 };

function heightNote(ratio: number | null): string {
  if (!finite(ratio)) return '';
  return ` Your average step was ${round(ratio * 100, 0)} % of your height (no validated limit exists for this; it is shown for reference).`;
}

const NO_ALTITUDE_NOTE = ' (This file has no altitude, so hills could not be left out of the "flat" running.)';

/** `low-cadence` and `overstriding` findings of one run (one combined finding when both fire). */
export function cadenceAndStrideFindings(
  s: ActivitySummary,
  gate: RunGate,
  o: ResolvedRuleOptions,
  baseline: CadenceBaseline | null,
): Finding[] {
  const low = o['low-cadence'].enabled ? evaluateLowCadence(s, gate, o, baseline) : null;
  const over = o.overstriding.enabled ? evaluateOverstriding(s, gate, o) : null;
  const where = { activityId: s.id, date: s.localDate };
  const spm = s.cadence.flatAvgSpm;
  const stepAdvice = [adviceStepRate(spm), ADVICE_LAND_UNDER, ADVICE_STRENGTH, ADVICE_PROFESSIONAL];
  if (over !== null) {
    const ratio = over.ratio;
    const speed = s.cadence.flatSpeedMps;
    const paceText = atPace(speed);
    const stepText = finite(s.stepLength.avgM) ? ` (${s.stepLength.avgM.toFixed(2)} m)` : '';
    const combined = low !== null;
    const severity: Severity = combined && SEVERITY_RANK[low.severity] > SEVERITY_RANK.caution ? low.severity : 'caution';
    const lead = combined
      ? `Low step rate with long steps: on flat running${paceText} you averaged ${Math.round(spm ?? 0)} spm, and your steps${stepText} were ${round(ratio, 2)}× the length expected for that pace.`
      : `Long steps for your pace: on flat running${paceText} your steps${stepText} were ${round(ratio, 2)}× the length expected for that pace.`;
    return [
      makeFinding({
        rule: 'overstriding',
        severity,
        ...where,
        observed: ratio,
        threshold: o.overstriding.minRatio,
        unit: 'ratio',
        evidence: combined
          ? { grade: low.evidence.grade, reference: `${low.evidence.reference}; ${EVIDENCE.overstriding.reference}` }
          : EVIDENCE.overstriding,
        message: `${lead} Reaching out with longer steps is associated with higher knee (patellofemoral) load: 10 % longer steps raised it by about 31 % per step in a lab study (Willson 2014).${heightNote(s.stepLength.relativeToHeight)}${noAltitude(s) ? NO_ALTITUDE_NOTE : ''}`,
        advice: stepAdvice,
        details: { ...over.details, ...(combined ? low.details : {}), combinedWithLowCadence: combined, minRatio: o.overstriding.minRatio },
      }),
    ];
  }
  if (low !== null) {
    return [
      makeFinding({
        rule: 'low-cadence',
        severity: low.severity,
        ...where,
        observed: low.observed,
        threshold: low.threshold,
        unit: low.unit,
        evidence: low.evidence,
        message: `${low.message}${noAltitude(s) ? NO_ALTITUDE_NOTE : ''}`,
        advice: low.severity === 'info' ? [adviceStepRate(spm), ADVICE_STRENGTH] : stepAdvice,
        details: low.details,
      }),
    ];
  }
  return [];
}

/** Reference flat cadence at a speed: personal baseline, else this run's own line, else its flat average shifted by the population slope. */
function flatReferenceSpm(s: ActivitySummary, baseline: CadenceBaseline | null, speedMps: number): { spm: number; source: string } | null {
  if (baseline !== null) return { spm: personalSpm(baseline, speedMps), source: 'personal-baseline' };
  const line = s.cadence.runnerLine;
  if (line !== null) return { spm: line.interceptSpm + line.slopeSpmPerMps * speedMps, source: 'this-run-line' };
  const c = s.cadence;
  if (finite(c.flatAvgSpm) && finite(c.flatSpeedMps)) {
    return { spm: c.flatAvgSpm + POPULATION_SLOPE_SPM_PER_MPS * (speedMps - c.flatSpeedMps), source: 'this-run-flat' };
  }
  return null;
}

/** `downhill-overstriding`: the worst downhill segment of the run whose cadence is well below the runner's flat cadence at the same speed. */
export function downhillFormFindings(s: ActivitySummary, gate: RunGate, o: ResolvedRuleOptions, baseline: CadenceBaseline | null): Finding[] {
  const opt = o['downhill-overstriding'];
  if (!opt.enabled || !gate.cadenceOk || !gate.speedOk) return [];
  let worst: { seg: ActivitySummary['downhillSegments'][number]; drop: number; ref: number; source: string } | null = null;
  let flagged = 0;
  for (const seg of s.downhillSegments) {
    if (!finite(seg.meanGrade) || !atMost(seg.meanGrade, opt.maxGrade)) continue;
    if (seg.startTimeS === null || seg.endTimeS === null) continue;
    if (!finite(seg.endTimeS - seg.startTimeS) || below(seg.endTimeS - seg.startTimeS, opt.minSegmentTimeS)) continue;
    if (!finite(seg.cadenceSpm) || !finite(seg.speedMps)) continue;
    const ref = flatReferenceSpm(s, baseline, seg.speedMps);
    if (ref === null || !(ref.spm > 0)) continue;
    const drop = seg.cadenceSpm / ref.spm - 1;
    if (!below(drop, -opt.maxCadenceDropPct)) continue;
    flagged++;
    if (worst === null || drop < worst.drop) worst = { seg, drop, ref: ref.spm, source: ref.source };
  }
  if (worst === null) return [];
  const { seg, drop, ref, source } = worst;
  return [
    makeFinding({
      rule: 'downhill-overstriding',
      severity: 'caution',
      activityId: s.id,
      date: s.localDate,
      span: { startS: seg.startTimeS ?? Number.NaN, endS: seg.endTimeS ?? Number.NaN, startM: seg.startDistanceM, endM: seg.endDistanceM },
      observed: seg.cadenceSpm,
      threshold: ref * (1 - opt.maxCadenceDropPct),
      unit: 'spm',
      evidence: EVIDENCE.downhillForm,
      message: `Long, slow steps downhill: on a ${Math.round(seg.lengthM)} m descent at ${seg.meanGrade < 0 ? '−' : ''}${Math.abs(round(seg.meanGrade * 100, 1))} % (from ${(seg.startDistanceM / 1000).toFixed(1)} km) your step rate was ${Math.round(seg.cadenceSpm ?? 0)} spm, ${pct(drop)} against about ${Math.round(ref)} spm on your flat running at that speed${flagged > 1 ? ` (${flagged} descents like this on this run)` : ''}. Long steps downhill are associated with higher braking forces and more work for the thigh muscles that control the knee than on the flat.`,
      advice: [ADVICE_DOWNHILL_TECHNIQUE, ADVICE_DOWNHILL_GRADUAL, ADVICE_STRENGTH, ADVICE_PROFESSIONAL],
      details: {
        segmentGrade: seg.meanGrade,
        segmentCategory: seg.category,
        segmentDropM: seg.dropM,
        segmentSpeedMps: seg.speedMps,
        segmentStepLengthM: seg.stepLengthM,
        referenceSpm: ref,
        referenceSource: source,
        cadenceDropPct: drop,
        segmentsFlagged: flagged,
      },
    }),
  ];
}

/** `downhill-heavy`: a run with a lot of descent or of steep downhill (card D3). */
export function downhillLoadFindings(s: ActivitySummary, o: ResolvedRuleOptions): Finding[] {
  const opt = o['downhill-heavy'];
  const e = s.elevation;
  if (!opt.enabled || e.source === 'none') return [];
  const descent = finite(e.descentM) ? e.descentM : 0;
  const steep = e.steepDownhillDistanceM;
  const byDescent = atLeast(descent, opt.heavyDescentM);
  const bySteep = finite(steep) && atLeast(steep, opt.heavySteepDistanceM);
  if (!byDescent && !bySteep) return [];
  const gpsNote = e.source === 'gps' ? ' (Altitude comes from GPS here, which can overstate descent.)' : '';
  const what = [
    byDescent ? `${Math.round(descent)} m of descent` : null,
    bySteep ? `${(steep / 1000).toFixed(1)} km of steep downhill (−10 % or steeper)` : null,
  ]
    .filter((x) => x !== null)
    .join(' and ');
  return [
    makeFinding({
      rule: 'downhill-heavy',
      severity: 'caution',
      activityId: s.id,
      date: s.localDate,
      observed: byDescent ? descent : steep,
      threshold: byDescent ? opt.heavyDescentM : opt.heavySteepDistanceM,
      unit: 'm',
      evidence: EVIDENCE.downhillLoad,
      message: `A heavy downhill run: ${what}. Downhill running is mostly braking work for the thigh muscles and is associated with more load on the front of the knee than flat running.${gpsNote}`,
      advice: [ADVICE_DOWNHILL_TECHNIQUE, ADVICE_DOWNHILL_GRADUAL, ADVICE_SURFACES, ADVICE_PROFESSIONAL],
      details: {
        descentM: descent,
        steepDownhillDistanceM: steep,
        downhillDistanceM: e.downhillDistanceM,
        altitudeSource: e.source,
        byDescent,
        bySteepDistance: bySteep,
      },
    }),
  ];
}

/** An outdoor run without usable altitude: downhill cannot be judged, and "flat" running may include hills. */
function noAltitude(s: ActivitySummary): boolean {
  return !s.isTreadmill && s.elevation.source === 'none';
}

/** The `data-quality` explanation of a run, when a gate kept an enabled rule from judging it. */
export function dataQualityFinding(s: ActivitySummary, gate: RunGate, o: ResolvedRuleOptions): Finding | null {
  if (!o['data-quality'].enabled) return null;
  const skipped: string[] = [];
  const lowOn = o['low-cadence'].enabled;
  if (lowOn && (!gate.cadenceOk || !gate.flatOk || (!gate.speedOk && o['low-cadence'].mode !== 'absolute'))) skipped.push('low-cadence');
  if (o.overstriding.enabled && !overstridingJudgeable(s, gate, o)) skipped.push('overstriding');
  if (o['downhill-overstriding'].enabled && s.downhillSegments.length > 0 && (!gate.cadenceOk || !gate.speedOk)) skipped.push('downhill-overstriding');
  const reasons = [...gate.reasons];
  const codes = [...gate.codes];
  if (noAltitude(s) && (o['downhill-heavy'].enabled || o['downhill-overstriding'].enabled)) {
    skipped.push(o['downhill-heavy'].enabled ? 'downhill-heavy' : 'downhill-overstriding');
    codes.push('NO_ALTITUDE');
    reasons.push(`the file has no usable altitude (${s.elevation.skippedReason ?? 'none recorded'}), so descents cannot be seen`);
  }
  if (skipped.length === 0) return null;
  return makeFinding({
    rule: 'data-quality',
    severity: 'info',
    activityId: s.id,
    date: s.localDate,
    unit: '',
    evidence: EVIDENCE.dataQuality,
    message: `Not judged on this run (${skipped.join(', ')}): ${reasons.join('; ')}.`,
    advice: [],
    details: { skipped: skipped.join(','), codes: codes.join(',') },
  });
}
