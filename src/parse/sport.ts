/**
 * Sport resolution: the one place that decides an activity's sport and
 * records how it was known ({@link SportSource}).
 *
 * Sources, strongest first:
 * 1. `file`: the file's own sport (FIT `session.sport`, GPX `<type>`, TCX `Sport`);
 *    `generic`, `Other` or no label at all means the file does not say.
 * 2. `export-metadata`: the export's record of the activity (Strava
 *    `activities.csv` "Activity Type"), applied by the loaders with
 *    {@link applyExportSport}.
 * 3. `name`: the activity's name in common languages ("Afternoon Run",
 *    "Morgenlauf", "Sortie à vélo", "Hardlopen"), see {@link sportFromName}.
 * 4. `inferred`: the recorded data (speed distribution, cadence band and
 *    cadence against speed, stroke-like cadence, coasting, power), with a
 *    confidence, see {@link inferSport}. What stays ambiguous stays `generic`
 *    with source `unknown`.
 *
 * The sport is decided before the cadence unit: cadence of cycling, swimming
 * and rowing is never doubled, so a change of sport after parsing (export
 * metadata) redoes the cadence decision ({@link applyExportSport}).
 */
import type { Activity, CadenceDetection, DeviceSummary, Lap, SampleColumns, Sport, SportSource, SubSport } from '../activity.js';
import type { ActivityFormat } from '../errors.js';
import { isFootSport, MAX_RUN_MEDIAN_SPEED_MPS, normalizeCadence, type CadenceUnitOption } from './cadence.js';

/** A sport label's meaning: sport and, where the label says it, sub-sport. */
export interface SportLabel {
  readonly sport: Sport;
  readonly subSport: SubSport;
}

/** The decided sport of an activity and how it was known. */
export interface SportResolution extends SportLabel {
  readonly source: SportSource;
  /** 0..1; 1 for `file`, `export-metadata` and `name`, the inference's own for `inferred`, 0 for `unknown`. */
  readonly confidence: number;
}

const SPORT_LABELS = new Map<string, SportLabel>(
  (
    [
      ['running', 'running', 'generic'],
      ['run', 'running', 'generic'],
      ['jogging', 'running', 'generic'],
      ['trail_running', 'running', 'trail'],
      ['trailrun', 'running', 'trail'],
      ['trail_run', 'running', 'trail'],
      ['treadmill_running', 'running', 'treadmill'],
      ['treadmill', 'running', 'treadmill'],
      ['indoor_running', 'running', 'indoor_running'],
      ['street_running', 'running', 'street'],
      ['track_running', 'running', 'track'],
      ['virtual_run', 'running', 'virtual_activity'],
      ['virtualrun', 'running', 'virtual_activity'],
      ['cycling', 'cycling', 'generic'],
      ['biking', 'cycling', 'generic'],
      ['bike', 'cycling', 'generic'],
      ['ride', 'cycling', 'generic'],
      ['road_biking', 'cycling', 'road'],
      ['mountain_biking', 'cycling', 'mountain'],
      ['mountainbikeride', 'cycling', 'mountain'],
      ['mountain_bike_ride', 'cycling', 'mountain'],
      ['gravel_cycling', 'cycling', 'generic'],
      ['gravelride', 'cycling', 'generic'],
      ['gravel_ride', 'cycling', 'generic'],
      ['ebikeride', 'cycling', 'generic'],
      ['e_bike_ride', 'cycling', 'generic'],
      ['indoor_cycling', 'cycling', 'indoor_cycling'],
      ['virtual_ride', 'cycling', 'virtual_activity'],
      ['virtualride', 'cycling', 'virtual_activity'],
      ['walking', 'walking', 'generic'],
      ['walk', 'walking', 'generic'],
      ['hiking', 'hiking', 'generic'],
      ['hike', 'hiking', 'generic'],
      ['swimming', 'swimming', 'generic'],
      ['swim', 'swimming', 'generic'],
      ['lap_swimming', 'swimming', 'lap_swimming'],
      ['open_water_swimming', 'swimming', 'open_water'],
      ['rowing', 'rowing', 'generic'],
      ['rowing_machine', 'rowing', 'indoor_rowing'],
      ['indoor_rowing', 'rowing', 'indoor_rowing'],
      // Strava's numeric activity types in its GPX exports: 1 Ride, 4 Hike, 9 Run, 10 Walk.
      ['1', 'cycling', 'generic'],
      ['4', 'hiking', 'generic'],
      ['9', 'running', 'generic'],
      ['10', 'walking', 'generic'],
    ] as const
  ).map(([label, sport, subSport]) => [label, { sport, subSport }]),
);

const GENERIC: SportLabel = { sport: 'generic', subSport: 'generic' };

/**
 * Reads a sport label from a file (GPX `<type>`, TCX `Sport`, a Strava
 * "Activity Type"), case-insensitively, spaces and hyphens read as `_`:
 * running/run/9 → `running`, cycling/biking/ride/1 → `cycling`,
 * walking/walk/10, hiking/hike/4, swimming/swim, rowing; Garmin's and Strava's
 * compound labels also give the sub-sport (`trail_running` → running/trail,
 * `treadmill_running` → running/treadmill, `road_biking` → cycling/road,
 * `VirtualRide` → cycling/virtual_activity, `lap_swimming`, ...). Anything
 * else (including `Other`) → generic/generic.
 *
 * @example labelToSport('Trail Running') // { sport: 'running', subSport: 'trail' }
 */
export function labelToSport(label: string): SportLabel {
  const key = label.trim().toLowerCase().replace(/[\s-]+/g, '_');
  return SPORT_LABELS.get(key) ?? GENERIC;
}

/**
 * The sport part of {@link labelToSport}.
 *
 * @example sportFromLabel('Running') // 'running'
 * @example sportFromLabel('Biking') // 'cycling'
 */
export function sportFromLabel(label: string): Sport {
  return labelToSport(label).sport;
}

/**
 * Words that name a sport in activity names (lower case, accents removed).
 * Strava's default titles ("Morning Run", "Lunch Ride") and their usual
 * translations, plus the sport words people type themselves.
 */
const NAME_WORDS = new Map<string, SportLabel>(
  (
    [
      // running: en, de, fr, it, es, pt, nl, sv, da/no, fi, pl
      ['running', ['run', 'runs', 'running', 'jog', 'jogging', 'lauf', 'laufen', 'dauerlauf', 'course', 'corsa', 'carrera', 'correr', 'corrida', 'hardlopen', 'hardloop', 'lopning', 'lob', 'lop', 'juoksu', 'bieg']],
      // cycling
      ['cycling', ['ride', 'rides', 'bike', 'biking', 'cycling', 'cycle', 'radfahrt', 'radtour', 'rad', 'fahrrad', 'radeln', 'velo', 'cyclisme', 'ciclismo', 'bici', 'bicicleta', 'pedalada', 'fietsen', 'fietstocht', 'rit', 'cykling', 'cykeltur', 'pyoraily', 'mtb']],
      // swimming
      ['swimming', ['swim', 'swimming', 'schwimmen', 'natation', 'nage', 'nuoto', 'natacion', 'natacao', 'zwemmen', 'simning', 'svomning', 'uinti', 'plywanie']],
      // walking
      ['walking', ['walk', 'walking', 'spaziergang', 'gehen', 'marche', 'passeggiata', 'camminata', 'caminata', 'paseo', 'caminhada', 'wandeling', 'promenade', 'promenad', 'gaatur', 'kavely', 'spacer']],
      // hiking
      ['hiking', ['hike', 'hiking', 'wanderung', 'wandern', 'randonnee', 'escursione', 'senderismo', 'trilha', 'wandeltocht', 'vandring', 'fottur', 'vaellus', 'trekking', 'trek']],
      // rowing
      ['rowing', ['row', 'rowing', 'rudern', 'aviron', 'canottaggio', 'remo', 'roeien', 'rodd']],
    ] as const
  ).flatMap(([sport, words]) => words.map((w) => [w, { sport, subSport: 'generic' }] as const)),
);

/** German compounds ("Morgenlauf", "Abendradfahrt", "Bergwanderung"): word endings that name a sport. */
const NAME_SUFFIXES: ReadonlyArray<readonly [string, Sport]> = [
  ['lauf', 'running'],
  ['radfahrt', 'cycling'],
  ['radtour', 'cycling'],
  ['wanderung', 'hiking'],
  ['spaziergang', 'walking'],
];
/** Compounds ending like a sport word that are not one ("Verlauf": a history, "Ablauf": a sequence). */
const NOT_SPORT_WORDS = new Set(['verlauf', 'ablauf', 'vorlauf', 'umlauf', 'zulauf', 'auslauf']);

function wordSport(word: string): SportLabel | undefined {
  const hit = NAME_WORDS.get(word);
  if (hit !== undefined) return hit;
  const label = SPORT_LABELS.get(word);
  if (label !== undefined && !/^\d+$/.test(word)) return label;
  if (NOT_SPORT_WORDS.has(word)) return undefined;
  for (const [suffix, sport] of NAME_SUFFIXES) {
    if (word.length > suffix.length + 2 && word.endsWith(suffix)) return { sport, subSport: 'generic' };
  }
  return undefined;
}

/**
 * The sport an activity's name states, in English, German, French, Italian,
 * Spanish, Portuguese, Dutch, Swedish, Danish/Norwegian, Finnish or Polish;
 * `undefined` when the name names none or names two different sports ("Run
 * to the bike shop"). Words are compared without case and accents; a whole
 * name that is a file label (`TRAIL_RUNNING`, `Trail Running`) gives its
 * sub-sport too.
 *
 * @example sportFromName('Afternoon Run') // { sport: 'running', subSport: 'generic' }
 * @example sportFromName('Sortie à vélo le matin') // { sport: 'cycling', subSport: 'generic' }
 * @example sportFromName('Morgenlauf') // { sport: 'running', subSport: 'generic' }
 * @example sportFromName('Run/Walk') // undefined (two sports)
 */
export function sportFromName(name: string): SportLabel | undefined {
  const whole = labelToSport(name);
  if (whole.sport !== 'generic' && !/^\s*\d+\s*$/.test(name)) return whole;
  const words = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ø/g, 'o')
    .replace(/æ/g, 'ae')
    .replace(/å/g, 'a')
    .replace(/ł/g, 'l')
    .split(/[^a-z]+/)
    .filter((w) => w !== '');
  let found: SportLabel | undefined;
  for (const w of words) {
    const s = wordSport(w);
    if (s === undefined) continue;
    if (found !== undefined && found.sport !== s.sport) return undefined;
    found = s;
  }
  return found;
}

/** Measures of the recorded data that {@link inferSport} decides on; exported for tests and reports. */
export interface SportEvidence {
  /** Time spent moving faster than 0.5 m/s, s. */
  readonly movingTimeS: number;
  /** Time-weighted median speed while moving, m/s, to 0.02 m/s (NaN without speed). */
  readonly medianSpeedMps: number;
  /** Time-weighted 90th percentile speed while moving, m/s. */
  readonly p90SpeedMps: number;
  /** Time-weighted median raw cadence (the file's unit, to 0.5 /min) over moving samples with a cadence above 0; NaN when none. */
  readonly medianCadenceRaw: number;
  /** Share of moving time with a cadence above 0. */
  readonly cadenceCoverage: number;
  /**
   * Share of time above 3 m/s whose cadence is 0 while the file records
   * cadence elsewhere (coasting); 0 when less than 2 minutes or 10 % of the
   * moving time is above 3 m/s (too little to judge).
   */
  readonly coastingShare: number;
  /** Share of samples with power above 0. */
  readonly powerCoverage: number;
  /** Climb in metres per kilometre moved (5 m hysteresis on the recorded altitude); NaN without altitude. */
  readonly climbMPerKm: number;
}

/**
 * Time-weighted quantiles from a histogram: O(n) however long the activity
 * (a sort of two million samples would cost seconds). Values are binned at
 * `binWidth` from 0; values at or above `maxValue` fall in the last bin. A
 * quantile is the middle of the bin where the cumulative weight reaches it.
 */
class WeightedHistogram {
  private readonly bins: Float64Array;
  private total = 0;
  constructor(
    private readonly binWidth: number,
    maxValue: number,
  ) {
    this.bins = new Float64Array(Math.ceil(maxValue / binWidth) + 1);
  }
  add(value: number, weight: number): void {
    const k = Math.min(this.bins.length - 1, Math.floor(value / this.binWidth));
    this.bins[k]! += weight;
    this.total += weight;
  }
  quantile(q: number): number {
    if (this.total <= 0) return Number.NaN;
    let acc = 0;
    for (let k = 0; k < this.bins.length; k++) {
      acc += this.bins[k]!;
      if (acc >= q * this.total) return (k + 0.5) * this.binWidth;
    }
    return (this.bins.length - 0.5) * this.binWidth;
  }
}

/** Longest gap between samples still counted as recorded time, s (a longer gap is a pause). */
const MAX_SAMPLE_GAP_S = 10;

/**
 * Measures what {@link inferSport} needs from sample columns. `rawCadence`
 * is the cadence in the file's own unit, zeros kept (a zero while moving fast
 * is a coasting cyclist).
 *
 * @example const e = measureSportEvidence(activity.samples, activity.samples.cadenceSpm); e.medianSpeedMps
 */
export function measureSportEvidence(samples: SampleColumns, rawCadence: ArrayLike<number>, speedMps: ArrayLike<number> = samples.speedMps): SportEvidence {
  const n = samples.length;
  const t = samples.timeS;
  // 0.02 m/s and 0.5 /min bins: finer than any threshold of inferSport.
  const speeds = new WeightedHistogram(0.02, 60);
  const cads = new WeightedHistogram(0.5, 500);
  let moving = 0;
  let withCadence = 0;
  let fast = 0;
  let fastCoasting = 0;
  let anyCadence = false;
  let power = 0;
  for (let i = 0; i < n; i++) {
    if (samples.powerW[i]! > 0) power++;
    if (rawCadence[i]! > 0) anyCadence = true;
  }
  for (let i = 1; i < n; i++) {
    const dt = t[i]! - t[i - 1]!;
    if (!(dt > 0) || dt > MAX_SAMPLE_GAP_S) continue;
    const v = speedMps[i]!;
    if (!(v > 0.5)) continue;
    moving += dt;
    speeds.add(v, dt);
    const c = rawCadence[i]!;
    if (c > 0) {
      withCadence += dt;
      cads.add(c, dt);
    }
    if (v > 3 && anyCadence && Number.isFinite(c)) {
      fast += dt;
      if (c === 0) fastCoasting += dt;
    }
  }
  // Climb with a 5 m hysteresis on the recorded altitude.
  let climb = 0;
  let ref = Number.NaN;
  for (let i = 0; i < n; i++) {
    const a = samples.altitudeM[i]!;
    if (!Number.isFinite(a)) continue;
    if (Number.isNaN(ref)) ref = a;
    else if (a - ref >= 5) {
      climb += a - ref;
      ref = a;
    } else if (ref - a >= 5) ref = a;
  }
  let firstD = Number.NaN;
  let lastD = Number.NaN;
  for (let i = 0; i < n; i++) {
    const d = samples.distanceM[i]!;
    if (!Number.isFinite(d)) continue;
    if (Number.isNaN(firstD)) firstD = d;
    lastD = d;
  }
  const km = (lastD - firstD) / 1000;
  return {
    movingTimeS: moving,
    medianSpeedMps: speeds.quantile(0.5),
    p90SpeedMps: speeds.quantile(0.9),
    medianCadenceRaw: cads.quantile(0.5),
    cadenceCoverage: moving > 0 ? withCadence / moving : 0,
    coastingShare: fast >= 120 && fast >= 0.1 * moving ? fastCoasting / fast : 0,
    powerCoverage: n > 0 ? power / n : 0,
    climbMPerKm: Number.isFinite(ref) && km > 0.2 ? climb / km : Number.NaN,
  };
}

/** An inferred sport with its confidence (0..1). */
export interface InferredSport extends SportLabel {
  readonly confidence: number;
  /** What decided it, in words (kept for reports and tests). */
  readonly reason: string;
}

/** Least confidence at which an inferred sport is used; below it the activity stays `generic`. */
export const MIN_INFERRED_SPORT_CONFIDENCE = 0.6;
/** Least moving time for an inference, s. */
const MIN_MOVING_TIME_S = 300;

const inferred = (sport: Sport, confidence: number, reason: string): InferredSport => ({ sport, subSport: 'generic', confidence, reason });

/**
 * Infers a sport from the recorded data, or `undefined` when the data do not
 * say (too short, no speed, ambiguous). Thresholds (speeds in m/s, cadence in
 * the file's unit, which may be strides, steps or rpm):
 *
 * - under 5 minutes moving, or no speed: not decided (except power with a
 *   50–120 /min cadence and no movement: an indoor bike);
 * - median moving speed over 15 m/s, or over 12 m/s without a pedalling
 *   cadence or power: motorised as likely as a bike, not decided;
 * - stroke-like cadence (12–45 /min, recorded over at least a fifth of the
 *   moving time; confidence 0.6 under half): swimming below 1.7 m/s (faster
 *   than open-water racing pace), rowing from 1.7 to 6 m/s (paddling looks
 *   the same in these data; both are low-impact);
 * - cycling: median speed ≥ 6.5 m/s (23 km/h: no one runs a whole activity
 *   there; elite marathon pace is 5.7), or a 90th percentile ≥ 9 m/s with a
 *   median ≥ 4, or coasting (cadence 0 above 3 m/s for ≥ 8 % of that time),
 *   or power with a 50–120 /min cadence (a pedalling cadence with power);
 * - running: median 2–6.5 m/s with a step cadence 140–220, or a stride
 *   cadence 70–110 whose implied step (speed·60 / 2·cadence) is 0.6–1.8 m;
 *   without cadence, median 2.3–5.5 m/s with a 90th percentile under
 *   1.35 × the median (a steady effort; rides vary more) at confidence 0.65;
 * - walking: median 0.7–2 m/s with a step cadence 85–140 or a stride cadence
 *   42–70, or without cadence a median 0.9–1.9 m/s with a 90th percentile
 *   under 2.6 m/s (confidence 0.6); hiking instead when it climbs ≥ 40 m per km.
 *
 * @example
 * inferSport({ movingTimeS: 3600, medianSpeedMps: 7, p90SpeedMps: 9, medianCadenceRaw: 85, cadenceCoverage: 0.9, coastingShare: 0.15, powerCoverage: 0, climbMPerKm: 5 })
 * // { sport: 'cycling', subSport: 'generic', confidence: 0.95, reason: '...' }
 */
export function inferSport(e: SportEvidence): InferredSport | undefined {
  const v = e.medianSpeedMps;
  const v90 = e.p90SpeedMps;
  const c = e.medianCadenceRaw;
  const hasCadence = e.cadenceCoverage >= 0.5 && Number.isFinite(c);
  const hasPower = e.powerCoverage >= 0.5;
  const pedalling = hasCadence && c >= 50 && c <= 120;
  const hasSpeed = e.movingTimeS >= MIN_MOVING_TIME_S && Number.isFinite(v);
  if (!hasSpeed) {
    // An indoor trainer: power and a pedalling cadence, no movement.
    if (hasPower && Number.isFinite(c) && c >= 50 && c <= 120) return inferred('cycling', 0.75, 'power with a pedalling cadence, no speed');
    return undefined;
  }
  // Faster than a ride without pedalling evidence: a car, a train or a boat as likely as a bike.
  if (v > 15 || (v > 12 && !pedalling && !hasPower)) return undefined;
  // Strokes: no foot activity has a cadence this low, so a fifth of the time recorded is enough.
  if (e.cadenceCoverage >= 0.2 && c >= 12 && c <= 45) {
    const partly = e.cadenceCoverage < 0.5;
    const why = `stroke-like cadence ${Math.round(c)}/min over ${Math.round(e.cadenceCoverage * 100)} % of the time at ${v.toFixed(1)} m/s`;
    if (v < 1.7) return inferred('swimming', partly ? 0.6 : 0.75, why);
    if (v <= 6) return inferred('rowing', partly ? 0.6 : 0.65, why);
  }
  if (v >= MAX_RUN_MEDIAN_SPEED_MPS) return inferred('cycling', pedalling || hasPower ? 0.95 : 0.9, `median speed ${(v * 3.6).toFixed(0)} km/h`);
  if (v >= 4 && v90 >= 9) return inferred('cycling', 0.8, `speed 90th percentile ${(v90 * 3.6).toFixed(0)} km/h`);
  if (v >= 2 && e.coastingShare >= 0.08) return inferred('cycling', 0.8, `no cadence for ${Math.round(e.coastingShare * 100)} % of the time above 3 m/s (coasting)`);
  if (hasPower && pedalling) return inferred('cycling', 0.7, 'power with a pedalling cadence');
  const hike = Number.isFinite(e.climbMPerKm) && e.climbMPerKm >= 40;
  const walkOrHike = (conf: number, why: string): InferredSport =>
    hike ? inferred('hiking', conf, `${why}, climbing ${Math.round(e.climbMPerKm)} m/km`) : inferred('walking', conf, why);
  if (hasCadence) {
    if (v >= 2 && v < MAX_RUN_MEDIAN_SPEED_MPS) {
      if (c >= 140 && c <= 220) return inferred('running', 0.9, `step cadence ${Math.round(c)}/min at ${v.toFixed(1)} m/s`);
      const stepM = (v * 60) / (2 * c);
      if (c >= 70 && c <= 110 && stepM >= 0.6 && stepM <= 1.8) {
        return inferred('running', 0.8, `stride cadence ${Math.round(c)}/min at ${v.toFixed(1)} m/s`);
      }
    }
    if (v >= 0.7 && v < 2) {
      if (c >= 85 && c <= 140) return walkOrHike(0.85, `step cadence ${Math.round(c)}/min at ${v.toFixed(1)} m/s`);
      if (c >= 42 && c <= 70) return walkOrHike(0.85, `stride cadence ${Math.round(c)}/min at ${v.toFixed(1)} m/s`);
    }
    return undefined;
  }
  if (v >= 2.3 && v <= 5.5 && v90 < 1.35 * v) return inferred('running', 0.65, `steady ${v.toFixed(1)} m/s without cadence`);
  if (v >= 0.9 && v <= 1.9 && v90 < 2.6) return walkOrHike(0.6, `walking speed ${v.toFixed(1)} m/s without cadence`);
  return undefined;
}

/** What {@link resolveSport} decides from. */
export interface SportInputs {
  /** The file's own label, already mapped (`generic` when the file does not say). */
  readonly file: SportLabel;
  /** The export's activity type ("Run", "Ride", "Lauf"), when an export gave one. */
  readonly exportType?: string;
  /** The activity's name, when known. */
  readonly name?: string;
  /** Evidence from the data; omitted when there are no samples. */
  readonly evidence?: SportEvidence;
}

const UNKNOWN: SportResolution = { sport: 'generic', subSport: 'generic', source: 'unknown', confidence: 0 };

/**
 * Decides the sport from the file, the export's metadata, the name and the
 * data, in that order; see the module comment.
 *
 * @example
 * resolveSport({ file: { sport: 'generic', subSport: 'generic' }, name: 'Lunch Ride' })
 * // { sport: 'cycling', subSport: 'generic', source: 'name', confidence: 1 }
 */
export function resolveSport(inputs: SportInputs): SportResolution {
  if (inputs.file.sport !== 'generic') return { ...inputs.file, source: 'file', confidence: 1 };
  if (inputs.exportType !== undefined) {
    const t = sportFromName(inputs.exportType);
    if (t !== undefined) return { ...t, subSport: inputs.file.subSport !== 'generic' ? inputs.file.subSport : t.subSport, source: 'export-metadata', confidence: 1 };
  }
  if (inputs.name !== undefined) {
    const t = sportFromName(inputs.name);
    if (t !== undefined) return { ...t, subSport: inputs.file.subSport !== 'generic' ? inputs.file.subSport : t.subSport, source: 'name', confidence: 1 };
  }
  if (inputs.evidence !== undefined) {
    const g = inferSport(inputs.evidence);
    if (g !== undefined && g.confidence >= MIN_INFERRED_SPORT_CONFIDENCE) {
      return { sport: g.sport, subSport: inputs.file.subSport, source: 'inferred', confidence: g.confidence };
    }
  }
  return { ...UNKNOWN, subSport: inputs.file.subSport };
}

/**
 * The sport the file's own text states, for the activity id: its label, or
 * a name that is exactly a label (TomTom's `RUNNING`), else `generic`. What
 * names in words, export metadata or inference decide later does not enter
 * the id, so ids do not move when those rules change.
 *
 * @example statedSport({ sport: 'generic', subSport: 'generic' }, 'RUNNING') // 'running'
 * @example statedSport({ sport: 'generic', subSport: 'generic' }, 'Morning Run') // 'generic'
 */
export function statedSport(file: SportLabel, name: string | undefined): Sport {
  if (file.sport !== 'generic' || name === undefined) return file.sport;
  return labelToSport(name).sport;
}

/**
 * The fields of an {@link Activity} that record a resolution: `sport`,
 * `subSport`, `sportSource`, and `sportConfidence` for an inferred sport.
 *
 * @example sportFields({ sport: 'cycling', subSport: 'generic', source: 'inferred', confidence: 0.9 }).sportConfidence // 0.9
 */
export function sportFields(r: SportResolution): Pick<Activity, 'sport' | 'subSport' | 'sportSource'> & { sportConfidence?: number } {
  return {
    sport: r.sport,
    subSport: r.subSport,
    sportSource: r.source,
    ...(r.source === 'inferred' ? { sportConfidence: r.confidence } : {}),
  };
}

const scale = (v: number | undefined, k: number): number | undefined => (v === undefined ? undefined : v * k);

/**
 * Applies an export's record of an activity (Strava `activities.csv`
 * "Activity Type" and name) to a parsed activity, keeping the order of
 * sources: a sport from the file is kept; otherwise the export's type wins,
 * then its name, then what the data showed. When the sport changes, the
 * cadence unit is decided again for the new sport (cadence of cycling,
 * swimming and rowing is never doubled) and laps and the device summary
 * follow. Returns a new activity; the input is not modified.
 *
 * @example
 * const ride = applyExportSport(activity, { type: 'Ride' }); // ride.sport === 'cycling', ride.sportSource === 'export-metadata'
 */
export function applyExportSport(
  activity: Activity,
  meta: { readonly type?: string; readonly name?: string },
  cadenceUnit: CadenceUnitOption = 'auto',
): Activity {
  const source = activity.sportSource ?? 'file';
  if (source === 'file' || source === 'export-metadata') return activity;
  const fromType = meta.type !== undefined ? sportFromName(meta.type) : undefined;
  let next: SportResolution | undefined;
  if (fromType !== undefined) next = { ...fromType, source: 'export-metadata', confidence: 1 };
  else if (source !== 'name' && meta.name !== undefined) {
    const fromName = sportFromName(meta.name);
    if (fromName !== undefined) next = { ...fromName, source: 'name', confidence: 1 };
  }
  if (next === undefined) return activity;
  if (next.subSport === 'generic' && activity.subSport !== 'generic') next = { ...next, subSport: activity.subSport };
  const { sportConfidence: _dropped, ...rest } = activity;
  const base: Activity = { ...rest, ...sportFields(next) };
  if (next.sport === activity.sport) return base;
  return redoCadence(base, activity.source.format, cadenceUnit);
}

/**
 * Decides the cadence unit again after a change of sport: the stored values
 * are divided by the old factor and normalised for the new sport; laps and
 * the device summary are scaled by the ratio of the factors.
 */
function redoCadence(a: Activity, format: ActivityFormat, cadenceUnit: CadenceUnitOption): Activity {
  const old = a.cadence;
  const s = a.samples;
  const raw = new Float32Array(s.length);
  for (let i = 0; i < s.length; i++) raw[i] = s.cadenceSpm[i]! / old.factor;
  const { cadenceSpm, detection } = normalizeCadence(raw, s.speedMps, {
    sport: a.sport,
    subSport: a.subSport,
    format,
    ...(cadenceUnit !== 'auto' ? { override: cadenceUnit } : {}),
  });
  // Without cadence samples FIT summaries of foot sports use FIT's own convention (strides, factor 2).
  const wasFoot = old.method !== 'not-a-foot-sport';
  const isFoot = isFootSport(a.sport, a.subSport);
  const oldFactor = old.method === 'no-data' && format === 'fit' && wasFoot ? 2 : old.factor;
  const newFactor = detection.method === 'no-data' && format === 'fit' && isFoot ? 2 : detection.factor;
  const k = newFactor / oldFactor;
  const samples: SampleColumns = { ...s, cadenceSpm };
  const laps: Lap[] = a.laps.map((l) => ({ ...l, avgCadenceSpm: l.avgCadenceSpm * k }));
  const d = a.deviceSummary;
  const { totalSteps: _steps, avgCadenceSpm: _avg, maxCadenceSpm: _max, ...restSummary } = d;
  const avg = scale(d.avgCadenceSpm, k);
  const max = scale(d.maxCadenceSpm, k);
  const steps = isFoot ? scale(d.totalSteps, k) : undefined;
  const deviceSummary: DeviceSummary = {
    ...restSummary,
    ...(avg !== undefined ? { avgCadenceSpm: avg } : {}),
    ...(max !== undefined ? { maxCadenceSpm: max } : {}),
    ...(steps !== undefined ? { totalSteps: steps } : {}),
  };
  const cadence: CadenceDetection = detection;
  return { ...a, samples, laps, deviceSummary, cadence };
}
