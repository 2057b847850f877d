/**
 * GPX 1.0 / 1.1 reader: one {@link Activity} per `<trk>`.
 *
 * - Several `<trkseg>` in a track are joined; the gap between two segments
 *   becomes a {@link Pause} and adds no distance.
 * - `<type>` gives the sport and sub-sport ({@link labelToSport}: running/run/9,
 *   cycling/biking/ride/1, walking, hiking, swimming; anything else
 *   `generic`, and then the name ("Afternoon Run", TomTom's `RUNNING`) or the
 *   data decide, see {@link resolveSport}), `<name>` the name (else the file's
 *   `<metadata><name>`), the `creator` attribute the source.
 * - Extensions are matched by local name whatever their prefix (`gpxtpx:`,
 *   `ns3:`, `gpxdata:`, none): `cad`/`cadence` (raw cadence, unit detected
 *   per activity by card C0: Strava and Garmin store strides of one foot
 *   for runs, some phone apps steps),
 *   `hr`/`heartrate`, `power`/`watts`/`PowerInWatts`, `atemp`/`temp`, `speed`
 *   (also GPX 1.0's own `<speed>`).
 * - A point without `lat`/`lon` is kept with NaN position; without `<time>`
 *   its time is NaN; a track with no time at all has `startTime` from
 *   `<metadata><time>` (GPX 1.0: `<gpx><time>`) or `undefined`, and warning
 *   `NO_TIME`.
 * - Distance is derived from positions, speed from distance over time.
 * - A file without tracks (routes or waypoints only) is `NOT_AN_ACTIVITY`;
 *   tracks without points are dropped, and if none has points, `NO_DATA`.
 */
import type { Activity } from '../../activity.js';
import { ParseError } from '../../errors.js';
import type { ParseContext } from '../context.js';
import { labelToSport, type resolveSport } from '../sport.js';
import { addSample, createDraft, finishDocument, pushDraft, startSegment, type ActivityDraft } from './assemble.js';
import { readXml, type XmlSink } from './reader.js';
import { parseIsoMs, parseXmlNumber } from './values.js';

class GpxSink implements XmlSink {
  readonly drafts: ActivityDraft[] = [];
  /** Track being read. */
  track: ActivityDraft | undefined;
  /** Index of the point being read in `track`, -1 outside `<trkpt>`. */
  point = -1;
  root = '';
  creator: string | undefined;
  metadataTimeMs = Number.NaN;
  /** `<metadata><name>` (GPX 1.1) or `<gpx><name>` (GPX 1.0), the name of tracks without their own. */
  metadataName: string | undefined;
  routesOrWaypoints = 0;
  /** `<trk>` elements seen (the index in file of the next track). */
  tracksSeen = 0;

  constructor(private readonly ctx: ParseContext) {}

  open(name: string, attributes: Readonly<Record<string, string>>, parent: string): void {
    if (parent === '') {
      this.root = name;
      if (name !== 'gpx') {
        throw new ParseError('UNKNOWN_FORMAT', `the root element is <${name}>, not <gpx>`, { format: 'gpx' });
      }
      const creator = attributes['creator'];
      if (creator !== undefined && creator.trim() !== '') this.creator = creator.trim();
      return;
    }
    switch (name) {
      case 'trkpt': {
        const track = this.track;
        if (track === undefined) return;
        const i = addSample(track, this.ctx);
        this.point = i;
        const lat = attributes['lat'];
        const lon = attributes['lon'];
        if (lat !== undefined) track.samples.set('latDeg', i, parseXmlNumber(lat));
        if (lon !== undefined) track.samples.set('lonDeg', i, parseXmlNumber(lon));
        return;
      }
      case 'trkseg':
        if (this.track !== undefined) startSegment(this.track);
        return;
      case 'trk': {
        const draft = createDraft('gpx', this.tracksSeen++, 'generic');
        if (this.creator !== undefined) draft.creator = this.creator;
        pushDraft(this.drafts, draft, this.ctx);
        this.track = draft;
        this.point = -1;
        return;
      }
      case 'rte':
      case 'wpt':
        this.routesOrWaypoints++;
        return;
      default:
        return;
    }
  }

  close(name: string, parent: string, text: string): void {
    const track = this.track;
    if (this.point >= 0 && track !== undefined) {
      const i = this.point;
      const s = track.samples;
      switch (name) {
        case 'trkpt':
          this.point = -1;
          return;
        case 'time':
          if (parent === 'trkpt') s.set('timeS', i, parseIsoMs(text));
          return;
        case 'ele':
          if (parent === 'trkpt') s.set('altitudeM', i, parseXmlNumber(text));
          return;
        case 'cad':
        case 'cadence':
          s.set('cadenceSpm', i, parseXmlNumber(text));
          return;
        case 'hr':
        case 'heartrate':
          s.set('heartRateBpm', i, parseXmlNumber(text));
          return;
        case 'power':
        case 'watts':
        case 'PowerInWatts':
          s.set('powerW', i, parseXmlNumber(text));
          return;
        case 'atemp':
        case 'temp':
          s.set('temperatureC', i, parseXmlNumber(text));
          return;
        case 'speed':
          s.set('speedMps', i, parseXmlNumber(text));
          return;
        default:
          return;
      }
    }
    switch (name) {
      case 'trk':
        this.track = undefined;
        return;
      case 'name':
        if (parent === 'trk' && track !== undefined) track.name = text.trim();
        else if (parent === 'metadata' || parent === 'gpx') this.metadataName = text.trim();
        return;
      case 'type':
        if (parent === 'trk' && track !== undefined) {
          const label = labelToSport(text);
          track.sport = label.sport;
          track.subSport = label.subSport;
        }
        return;
      case 'time':
        if (parent === 'metadata' || parent === 'gpx') this.metadataTimeMs = parseIsoMs(text);
        return;
      default:
        return;
    }
  }
}

/**
 * Parses GPX 1.0/1.1 text into one activity per track.
 *
 * @throws {ParseError} `INVALID_XML` (malformed before any point),
 * `XML_ENTITY_REFUSED`, `XML_TOO_DEEP`, `XML_VALUE_TOO_LARGE`,
 * `TOO_MANY_SAMPLES`, `NOT_AN_ACTIVITY` (no track), `NO_DATA` (tracks
 * without points), `UNKNOWN_FORMAT` (root is not `<gpx>`).
 * @example
 * const [run] = parseGpx(text, ctx);
 * run.samples.cadenceSpm; // steps/min, whatever the file stored
 */
export function parseGpx(text: string, ctx: ParseContext): Activity[] {
  const sink = new GpxSink(ctx);
  const outcome = readXml(text, sink, 'gpx', ctx.limits);
  for (const d of sink.drafts) {
    d.fallbackStartMs = sink.metadataTimeMs;
    if ((d.name === undefined || d.name === '') && sink.metadataName !== undefined) d.name = sink.metadataName;
  }
  const where = ctx.fileName !== undefined ? ` (${ctx.fileName})` : '';
  const openPoint = sink.point >= 0 ? sink.track : undefined;
  return finishDocument('gpx', outcome, sink.drafts, openPoint, ctx, () =>
    sink.tracksSeen === 0
      ? new ParseError(
          'NOT_AN_ACTIVITY',
          sink.routesOrWaypoints > 0
            ? `the GPX holds only routes or waypoints, no recorded track${where}`
            : `the GPX holds no track${where}`,
          { format: 'gpx' },
        )
      : new ParseError('NO_DATA', `the GPX tracks hold no points${where}`, { format: 'gpx' }),
  );
}
