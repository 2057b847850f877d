/**
 * TCX (Garmin Training Center Database v2) reader: one {@link Activity} per
 * `<Activity>`, wherever it sits (`<Activities>` or a `<MultiSportSession>`),
 * so one file can hold several activities of mixed sports.
 *
 * - `Sport` attribute → sport (`Running` → running, `Biking` → cycling,
 *   `Other` → generic); `Id` → start time; `Creator/Name` → source creator.
 * - Laps: `StartTime`, `TotalTimeSeconds`, `DistanceMeters`,
 *   `AverageHeartRateBpm`, `Cadence` or the extension's `AvgRunCadence` /
 *   `MaxRunCadence`. The device summary sums lap distance and timer time.
 * - Trackpoints: `Time`, `Position` (Lat/Lon), `AltitudeMeters`,
 *   `DistanceMeters`, `HeartRateBpm/Value`, `Cadence`, and in the `TPX`
 *   extension (any prefix) `Speed`, `RunCadence`, `Watts`. Cadence 0 (Polar
 *   writes it whenever the foot pod has nothing) is read as missing.
 * - Several `<Track>` elements in one lap (the timer was stopped): the gap
 *   between them is a {@link Pause}. A new lap's own `<Track>` is not.
 * - A file with `<Courses>` and no `<Activity>` is `NOT_AN_ACTIVITY`.
 */
import type { Activity } from '../../activity.js';
import { ParseError } from '../../errors.js';
import type { ParseContext } from '../context.js';
import {
  addSample,
  createDraft,
  createLapDraft,
  finishDocument,
  pushDraft,
  pushLap,
  startSegment,
  type ActivityDraft,
  type LapDraft,
} from './assemble.js';
import { labelToSport } from '../sport.js';
import { readXml, type XmlSink } from './reader.js';
import { parseIsoMs, parseXmlNumber } from './values.js';

class TcxSink implements XmlSink {
  readonly drafts: ActivityDraft[] = [];
  activity: ActivityDraft | undefined;
  lap: LapDraft | undefined;
  /** Index of the trackpoint being read, -1 outside `<Trackpoint>`. */
  point = -1;
  courses = 0;
  /** `<Activity>` elements seen (the index in file of the next one). */
  activitiesSeen = 0;
  /** `<Track>` elements seen in the current lap. */
  tracksInLap = 0;

  constructor(private readonly ctx: ParseContext) {}

  open(name: string, attributes: Readonly<Record<string, string>>, parent: string): void {
    if (parent === '') {
      if (name !== 'TrainingCenterDatabase') {
        throw new ParseError('UNKNOWN_FORMAT', `the root element is <${name}>, not <TrainingCenterDatabase>`, {
          format: 'tcx',
        });
      }
      return;
    }
    switch (name) {
      case 'Trackpoint': {
        const activity = this.activity;
        if (activity === undefined) return;
        this.point = addSample(activity, this.ctx);
        return;
      }
      case 'Track':
        // Garmin writes each lap's samples in their own <Track>; only a further
        // <Track> inside the same lap marks a stop of the timer.
        if (this.activity !== undefined && this.tracksInLap++ > 0) startSegment(this.activity);
        return;
      case 'Lap': {
        if (this.activity === undefined) return;
        this.lap = pushLap(this.activity, createLapDraft(parseIsoMs(attributes['StartTime'] ?? '')));
        this.tracksInLap = 0;
        return;
      }
      case 'Activity': {
        const label = labelToSport(attributes['Sport'] ?? '');
        const draft = createDraft('tcx', this.activitiesSeen++, label.sport);
        draft.subSport = label.subSport;
        pushDraft(this.drafts, draft, this.ctx);
        this.activity = draft;
        this.lap = undefined;
        this.point = -1;
        return;
      }
      case 'Course':
        this.courses++;
        return;
      default:
        return;
    }
  }

  close(name: string, parent: string, text: string): void {
    const activity = this.activity;
    if (activity === undefined) return;
    if (this.point >= 0) {
      const i = this.point;
      const s = activity.samples;
      switch (name) {
        case 'Trackpoint':
          this.point = -1;
          return;
        case 'Time':
          s.set('timeS', i, parseIsoMs(text));
          return;
        case 'LatitudeDegrees':
          s.set('latDeg', i, parseXmlNumber(text));
          return;
        case 'LongitudeDegrees':
          s.set('lonDeg', i, parseXmlNumber(text));
          return;
        case 'AltitudeMeters':
          s.set('altitudeM', i, parseXmlNumber(text));
          return;
        case 'DistanceMeters':
          s.set('distanceM', i, parseXmlNumber(text));
          return;
        case 'Value':
          if (parent === 'HeartRateBpm') s.set('heartRateBpm', i, parseXmlNumber(text));
          return;
        case 'Cadence':
        case 'RunCadence':
          s.set('cadenceSpm', i, parseXmlNumber(text));
          return;
        case 'Speed':
          s.set('speedMps', i, parseXmlNumber(text));
          return;
        case 'Watts':
          s.set('powerW', i, parseXmlNumber(text));
          return;
        default:
          return;
      }
    }
    const lap = this.lap;
    if (lap !== undefined) {
      switch (name) {
        case 'Lap':
          this.lap = undefined;
          return;
        case 'TotalTimeSeconds':
          if (parent === 'Lap') lap.timerTimeS = parseXmlNumber(text);
          return;
        case 'DistanceMeters':
          if (parent === 'Lap') lap.distanceM = parseXmlNumber(text);
          return;
        case 'Cadence':
          if (parent === 'Lap') lap.avgCadenceRaw = parseXmlNumber(text);
          return;
        case 'AvgRunCadence':
          lap.avgCadenceRaw = parseXmlNumber(text);
          return;
        case 'MaxRunCadence':
          lap.maxCadenceRaw = parseXmlNumber(text);
          return;
        case 'Value':
          if (parent === 'AverageHeartRateBpm') lap.avgHeartRateBpm = parseXmlNumber(text);
          return;
        default:
          return;
      }
    }
    switch (name) {
      case 'Activity':
        this.activity = undefined;
        return;
      case 'Id':
        if (parent === 'Activity') activity.declaredStartMs = parseIsoMs(text);
        return;
      case 'Name':
        if (parent === 'Creator' && text.trim() !== '') activity.creator = text.trim();
        return;
      default:
        return;
    }
  }
}

/**
 * Parses TCX text into one activity per `<Activity>`.
 *
 * @throws {ParseError} `INVALID_XML` (malformed before any trackpoint),
 * `XML_ENTITY_REFUSED`, `XML_TOO_DEEP`, `XML_VALUE_TOO_LARGE`,
 * `TOO_MANY_SAMPLES`, `NOT_AN_ACTIVITY` (courses or no activity),
 * `NO_DATA` (activities without trackpoints), `UNKNOWN_FORMAT` (root is not
 * `<TrainingCenterDatabase>`).
 * @example
 * const [run, ride] = parseTcx(text, ctx);
 * run.deviceSummary.totalDistanceM; // sum of lap DistanceMeters
 */
export function parseTcx(text: string, ctx: ParseContext): Activity[] {
  const sink = new TcxSink(ctx);
  const outcome = readXml(text, sink, 'tcx', ctx.limits);
  const where = ctx.fileName !== undefined ? ` (${ctx.fileName})` : '';
  const openPoint = sink.point >= 0 ? sink.activity : undefined;
  return finishDocument('tcx', outcome, sink.drafts, openPoint, ctx, () => {
    if (sink.activitiesSeen > 0) return new ParseError('NO_DATA', `the TCX activities hold no trackpoints${where}`, { format: 'tcx' });
    return new ParseError(
      'NOT_AN_ACTIVITY',
      sink.courses > 0 ? `the TCX holds courses, not activities${where}` : `the TCX holds no activity${where}`,
      { format: 'tcx' },
    );
  });
}
