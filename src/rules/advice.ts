/**
 * Advice texts and evidence references, worded as a physiotherapist would:
 * associations, not causes; changes relative to the runner's own habits,
 * never a fixed cadence target.
 */
import type { Evidence } from './types.js';

/** Shorter, quicker steps, relative to the runner's own step rate. */
export function adviceStepRate(currentSpm: number | null): string {
  if (currentSpm === null || !Number.isFinite(currentSpm)) {
    return 'Try slightly shorter, quicker steps: about 5–10 % more steps per minute than you take now, at the same pace. Build it up over a few weeks.';
  }
  const lo = Math.round(currentSpm * 1.05);
  const hi = Math.round(currentSpm * 1.1);
  return `Try slightly shorter, quicker steps: about 5–10 % more steps per minute than now (for you about ${lo}–${hi} spm at this pace), not a fixed number. A metronome app helps; build it up over a few weeks.`;
}

export const ADVICE_LAND_UNDER =
  'Aim to land with your foot closer to under your body rather than reaching out in front; shorter steps make this easier.';
export const ADVICE_STRENGTH =
  'Keep up strength and mobility work for hips, thighs and calves two or three times a week; it is a mainstay of physiotherapy for runners’ knees.';
export const ADVICE_GRADUAL =
  'Build distance gradually: keep any single run within about 10 % of your longest run of the last 30 days, and add volume in small steps.';
export const ADVICE_SURFACES =
  'Vary surfaces and routes; softer, even paths and gentler gradients spread the load while you build up.';
export const ADVICE_DOWNHILL_TECHNIQUE =
  'On descents, keep your steps short and quick, stay relaxed and slightly forward, and walk the steepest parts if your knees complain.';
export const ADVICE_DOWNHILL_GRADUAL =
  'Add downhill running gradually (a few more minutes of descent per week), and allow an easy day after a hilly run.';
export const ADVICE_SHOES =
  'Check the shoes for worn midsoles or uneven wear; rotating two pairs was associated with fewer running injuries in one cohort (Malisoux 2015).';
export const ADVICE_RETURN =
  'After a break, start with short, easy runs (or run–walk) and build back over several weeks rather than picking up where you left off.';
export const ADVICE_PROFESSIONAL =
  'See a physiotherapist or doctor if knee pain lasts more than two weeks, or if the knee swells, locks or gives way.';
export const ADVICE_LISTEN =
  'A little soreness that settles within a day is common; pain that builds during a run or changes how you run is a reason to stop and rest.';

/** References used by the built-in rules (docs/algorithms.md). */
export const EVIDENCE = {
  cadenceAbsolute: {
    grade: 'C',
    reference: 'Luedke et al. 2016, MSSE 48:1244; Thakkar et al. 2019, MSSE 51:1444; load link: Heiderscheit et al. 2011, MSSE 43:296',
  },
  cadenceSpeed: {
    grade: 'C',
    reference: 'van Oeveren et al. 2019, J Sports Sci (expected cadence); Heiderscheit et al. 2011, MSSE 43:296; Lenhart et al. 2014, MSSE 46:557',
  },
  cadencePersonal: { grade: 'D', reference: 'Heuristic: your own step-rate–speed line over the last 90 days; no study sets the 3 % limit' },
  cadenceTarget: { grade: 'B', reference: 'Heiderscheit et al. 2011, MSSE 43:296; Lenhart et al. 2014, MSSE 46:557 (lab, joint load)' },
  overstriding: { grade: 'D', reference: 'Threshold: engineering choice; mechanism: Willson et al. 2014, Clin Biomech 29:243 (+10 % step length, +31 % PFJ stress per step)' },
  downhillForm: { grade: 'D', reference: 'Vernillo et al. 2017, Sports Med 47:615; Gottschall & Kram 2005, J Biomech 38:445' },
  downhillLoad: { grade: 'D', reference: 'Vernillo et al. 2017, Sports Med 47:615; Bontemps et al. 2020, Sports Med 50:2083' },
  sessionSpike: { grade: 'A', reference: 'Frandsen et al. 2025, BJSM 59:1203 (5,205 runners, 588,071 sessions)' },
  weeklyInfo: { grade: 'D', reference: 'Convention; Buist et al. 2008, AJSM 36:33 (RCT: no benefit of enforcing 10 %)' },
  weeklyCaution: { grade: 'B', reference: 'Nielsen et al. 2014, JOSPT 44:739; Damsted et al. 2019, JOSPT 49:230' },
  returnFromBreak: { grade: 'D', reference: 'Engineering default: no study covers the first run after 30 days off (Frandsen 2025 left it open)' },
  acwr: { grade: 'D', reference: 'Gabbett 2016, BJSM 50:273; runner data do not support it: Nakaoka et al. 2021, Sports Med 51:2437; Frandsen et al. 2025' },
  shoes: { grade: 'D', reference: 'Convention from machine tests: Cook et al. 1985, AJSM 13:248' },
  dataQuality: { grade: 'D', reference: 'Data-quality gates: 10 min of running, 70 % cadence coverage, clear steps-vs-strides unit, trusted speed' },
} as const satisfies Record<string, Evidence>;
