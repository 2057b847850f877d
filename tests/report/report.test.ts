import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildReport,
  cadenceHistogramOf,
  cadenceOverview,
  downhillOverview,
  elevationProfileOf,
  formatChange,
  formatDistance,
  formatDuration,
  formatElevation,
  formatNumber,
  formatPace,
  formatSpeed,
  mergeCadenceHistograms,
  pickHilliest,
  renderHtml,
  renderJson,
  renderText,
  roundForReport,
  stepLengthOverview,
  targetBandAt,
  weekMarks,
  type ReportInput,
} from '../../src/report/index.js';
import { sportNotes } from '../../src/report/overview.js';
import { niceTicks, escapeHtml } from '../../src/report/svg.js';
import { validateReport } from './validate.js';
import { activityOf, makeFinding, makeHillyRun, makeHistory, makeRide, makeSummary, makeTreadmillRun } from './helpers.js';

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    summaries: [makeSummary(), makeHillyRun(), makeTreadmillRun(), makeRide()],
    history: makeHistory(),
    findings: [
      makeFinding(),
      makeFinding({ rule: 'weekly-increase', severity: 'caution', activityId: null, week: '2026-03-09', date: null, message: 'Week 50 % up.' }),
      makeFinding({ rule: 'low-cadence', severity: 'info', activityId: 'run-2026-03-10', date: '2026-03-10', message: 'Low cadence for the speed.' }),
    ],
    errors: [
      { file: 'broken/zero.fit', code: 'EMPTY_INPUT', message: 'the input is empty' },
      { file: 'broken/a.gpx', code: 'INVALID_XML', message: 'bad xml' },
    ],
    cadenceHistogram: { fromSpm: 150, binWidthSpm: 5, timeS: [0, 600, 1800, 1200, 0, 0] },
    elevationProfile: {
      activityId: 'run-2026-03-14',
      chosenBy: 'most-descent',
      distanceM: [0, 2000, 3000, 4500, 6000, 8000, 9100, 12000],
      altitudeM: [100, 150, 250, 145, 200, 260, 130, 100],
    },
    settings: { timeZone: 'Europe/Paris' },
    generator: { name: 'stridewise', version: '0.1.0' },
    ...overrides,
  };
}

describe('buildReport', () => {
  it('totals the period: runs, running distance and time (hand sums of the fixtures)', () => {
    const r = buildReport(input());
    expect(r.period.activities).toBe(4);
    expect(r.period.runs).toBe(3); // the ride is low-impact
    expect(r.period.runningDistanceM).toBe(27000); // 10 000 + 12 000 + 5 000 + 0
    expect(r.period.runningTimeS).toBe(9200); // 3333.3 + 4200 + 1666.7 + 0
    expect(r.findingCounts).toEqual({ warning: 1, caution: 1, info: 1 });
  });

  it('sorts activities by start time, findings by severity, errors by file', () => {
    const r = buildReport(input());
    expect(r.activities.map((a) => a.id)).toEqual(['run-2026-03-02', 'ride-2026-03-08', 'run-2026-03-10', 'run-2026-03-14']);
    expect(r.findings.map((f) => f.severity)).toEqual(['warning', 'caution', 'info']);
    expect(r.errors.map((e) => e.file)).toEqual(['broken/a.gpx', 'broken/zero.fit']);
  });

  it('gives byte-identical JSON whatever the order of its inputs', () => {
    const base = input();
    const expected = renderJson(buildReport(base));
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...base.summaries], { minLength: base.summaries.length }),
        fc.shuffledSubarray([...base.findings], { minLength: base.findings.length }),
        fc.shuffledSubarray([...(base.errors ?? [])], { minLength: 2 }),
        (summaries, findings, errors) => renderJson(buildReport({ ...base, summaries, findings, errors })) === expected,
      ),
    );
  });

  it('puts the elevation totals at the top of each activity too', () => {
    const hilly = buildReport(input()).activities.find((a) => a.id === 'run-2026-03-14')!;
    expect([hilly.ascentM, hilly.descentM]).toEqual([310, 305]); // makeHillyRun's elevation
    const treadmill = buildReport(input()).activities.find((a) => a.id === 'run-2026-03-10')!;
    expect([treadmill.ascentM, treadmill.descentM]).toEqual([null, null]);
  });

  it('lists activities found again, sorted, in the JSON and one line of text', () => {
    const r = buildReport(input({ duplicates: [{ file: 'z.fit', activityId: 'run-2026-03-02', keptFile: 'runs/2026-03-02.fit', keptActivityId: 'run-2026-03-02', reason: 'same id' }, { file: 'b.fit', activityId: 'run-2026-03-02', keptFile: 'runs/2026-03-02.fit', keptActivityId: 'run-2026-03-02', reason: 'same id' }] }));
    expect(r.duplicates.map((d) => d.file)).toEqual(['b.fit', 'z.fit']);
    expect(renderText(r)).toContain('2 files repeat activities already read, counted once: b.fit (same as runs/2026-03-02.fit), z.fit (same as runs/2026-03-02.fit)');
    expect(validateReport(JSON.parse(renderJson(r)))).toBe(true);
  });

  it('does not mutate its input', () => {
    const i = input();
    const before = JSON.stringify(i);
    buildReport(i);
    expect(JSON.stringify(i)).toBe(before);
  });

  it('rounds numbers to 4 decimals and turns NaN and Infinity into null', () => {
    expect(roundForReport({ a: 1.23456789, b: NaN, c: [-0, Infinity], d: undefined, e: new Float32Array([0.5]) })).toEqual({
      a: 1.2346,
      b: null,
      c: [0, null],
      e: [0.5],
    });
  });
});

describe('JSON schema', () => {
  const validate = validateReport;

  it('accepts the report of the hand-made season', () => {
    const ok = validate(JSON.parse(renderJson(buildReport(input()))));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('accepts an empty report (no file could be read)', () => {
    const r = buildReport({
      summaries: [],
      history: makeHistory({ weeks: [], firstDate: null, lastDate: null }),
      findings: [],
      errors: [{ file: 'x.fit', code: 'FILE_NOT_FOUND', message: 'no such file' }],
    });
    expect(validate(JSON.parse(renderJson(r)))).toBe(true);
  });

  it('rejects a report with a missing activity field or a wrong severity', () => {
    const good = JSON.parse(renderJson(buildReport(input())));
    const noDistance = structuredClone(good);
    delete noDistance.activities[0].distanceM;
    expect(validate(noDistance)).toBe(false);
    const badSeverity = structuredClone(good);
    badSeverity.findings[0].severity = 'danger';
    expect(validate(badSeverity)).toBe(false);
    const extra = { ...good, runAt: '2026-01-01T00:00:00Z' };
    expect(validate(extra)).toBe(false);
  });
});

describe('overview figures', () => {
  it('weights cadence by running time (hand calculation)', () => {
    const c = cadenceOverview(buildReport(input()));
    // (170·3333.3 + 170·4200 + 160·1666.7) / 9200 = (566661 + 714000 + 266672) / 9200 = 1547333 / 9200 = 168.1884…
    expect(c.avgSpm).toBeCloseTo(1547333 / 9200, 6);
    expect(c.runsWithCadence).toBe(3);
    expect(c.unitCounts).toEqual({ strides: 2, steps: 1, none: 0 });
    expect(c.minRunAvgSpm).toBe(160);
  });

  it('leaves low-confidence (treadmill) step lengths out of the ratio to expected', () => {
    const s = stepLengthOverview(buildReport(input()));
    expect(s.ratioToExpected).toBeCloseTo(0.988, 6); // both outdoor runs have 0.988
    expect(s.runsWithStepLength).toBe(3);
  });

  it('sums descent and downhill stretches and picks the hilliest run', () => {
    const d = downhillOverview(buildReport(input()));
    expect(d.descentM).toBe(325); // 20 + 305 (treadmill: none)
    expect(d.segmentsByCategory).toEqual({ mild: 0, moderate: 1, steep: 1, 'very-steep': 0 });
    expect(d.hilliest?.id).toBe('run-2026-03-14');
    expect(d.runsWithoutElevation).toBe(1);
  });

  it('picks the hilliest run independently of order (ties: smaller id)', () => {
    const a = makeSummary({ id: 'b', elevation: { ...makeSummary().elevation, descentM: 50 } });
    const b = makeSummary({ id: 'a', elevation: { ...makeSummary().elevation, descentM: 50 } });
    expect(pickHilliest([a, b])?.id).toBe('a');
    expect(pickHilliest([b, a])?.id).toBe('a');
  });

  it('marks weeks over the increase limit and weeks with a spike finding', () => {
    const m = weekMarks(buildReport(input()));
    expect(m.get('2026-03-02')).toEqual({ overIncrease: false, spike: false });
    // +50 % > 10 %; the spike on 2026-03-14 falls in the week starting 2026-03-09
    expect(m.get('2026-03-09')).toEqual({ overIncrease: true, spike: true });
    expect(m.get('2026-03-16')).toEqual({ overIncrease: false, spike: false });
    const lenient = weekMarks(buildReport(input({ settings: { maxWeeklyIncreaseRatio: 0.6 } })));
    expect(lenient.get('2026-03-09')?.overIncrease).toBe(false);
  });
});

describe('renderText', () => {
  const text = renderText(buildReport(input()));

  it('states the period, weekly distance with changes, cadence, downhill, findings and errors', () => {
    expect(text).toContain('Period: 2026-03-02 to 2026-03-14 (Europe/Paris): 4 activities, 3 runs, 27.0 km running in 2:33:20');
    expect(text).toMatch(/2026-03-09 +15\.0 +\+50 % +#+ +! over 10 %, session spike/);
    // The weeks end with the week of the last run (2026-03-14); the fixture's later week is not listed.
    expect(text).not.toMatch(/2026-03-16 +12\.0/);
    // the running cadence is named as such (walking is left out of it); hand-built summaries carry no share of moving time
    expect(text).toContain('Running cadence 168 spm over 3 runs (run averages 160–170 spm)');
    expect(text).toContain('Descent 325 m in total');
    expect(text).toContain('2 downhill stretches: 0 mild, 1 moderate (-5 to -10 %), 1 steep (-10 to -15 %), 0 very steep');
    // Events most recent first: the run of 03-14, the run of 03-10, then the week of 03-09.
    expect(text.indexOf('2026-03-14  WARNING')).toBeLessThan(text.indexOf('2026-03-10  INFO'));
    expect(text.indexOf('2026-03-10  INFO')).toBeLessThan(text.indexOf('week of 2026-03-09  CAUTION'));
    expect(text).toContain('-> Keep single runs within 10 % of your longest recent run.');
    expect(text).toContain('broken/zero.fit: EMPTY_INPUT: the input is empty');
  });

  it('states the personal cadence line at the runner\'s flat speed (card C3)', () => {
    const baseline = { interceptSpm: 130, slopeSpmPerMps: 10, windowDays: 90, timeS: 36000, targetPct: 0.05 };
    const t = renderText(buildReport(input({ history: makeHistory({ cadenceBaseline: baseline }) })));
    // Flat speed of every fixture run is 3 m/s (5:33/km): 130 + 10 · 3 = 160 spm; × 1.05 = 168 spm.
    expect(t).toContain('Your own rate (last 90 days): 160 spm at 5:33/km (rising 10.0 spm per m/s of speed); a +5 % target there: 168 spm');
  });

  it('puts consecutive weeks without running on one line', () => {
    const weeks = makeHistory().weeks.map((w, i) => ({ ...w, weekStart: `2026-03-${String(2 + 7 * i).padStart(2, '0')}`, distanceM: i === 0 ? 10000 : 0, changeRatio: null }));
    const later = makeSummary({ id: 'run-2026-03-23', startTime: '2026-03-23T07:00:00.000Z', localDate: '2026-03-23', distanceM: 8000 });
    const t = renderText(
      buildReport(input({ summaries: [...input().summaries, later], history: makeHistory({ weeks: [...weeks, { ...weeks[0]!, weekStart: '2026-03-23', distanceM: 8000 }] }) })),
    );
    expect(t).toContain('  2026-03-09 to 2026-03-16: no running (2 weeks)');
    expect(t).toMatch(/2026-03-23 +8\.0/);
  });

  it('converts to miles and feet with --units mi', () => {
    const mi = renderText(buildReport(input()), { units: 'mi' });
    expect(mi).toContain('16.8 mi running'); // 27 000 m / 1609.344 = 16.777
    expect(mi).toContain('Descent 1,066 ft'); // 325 m / 0.3048 = 1066.3
  });

  it('never passes control characters from file names to the terminal', () => {
    const evil = buildReport(input({ errors: [{ file: 'a\u001b[31mred\u0007.fit', code: 'EMPTY_INPUT', message: 'x' }] }));
    const out = renderText(evil);
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
    expect(out).toContain('a\ufffd[31mred\ufffd.fit');
  });

  it('says so when there is nothing to analyse', () => {
    const empty = renderText(buildReport({ summaries: [], history: makeHistory({ weeks: [], firstDate: null, lastDate: null }), findings: [] }));
    expect(empty).toContain('No activities to analyse.');
    expect(empty).toContain('Nothing to flag.');
  });
});

describe('renderHtml', () => {
  const html = renderHtml(buildReport(input()));

  it('is one self-contained document: only its own script, no external resources', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // the run data (JSON) and the script that draws run views and switches periods
    expect(html.match(/<script\b[^>]*>/gi)).toEqual(['<script type="application/json" id="run-data">', '<script>']);
    expect(html).not.toMatch(/\ssrc=/i);
    expect(html.match(/\shref="[^#][^"]*"/gi)).toBeNull(); // links only within the page
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain("default-src 'none'");
  });

  it('escapes every text taken from files', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('Hills &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;hills&gt; &amp; &quot;valleys&quot;');
  });

  it('draws the four charts with their marks (counts from the fixtures)', () => {
    const chart = (name: string): string => {
      const m = new RegExp(`<svg data-chart="${name}"[\\s\\S]*?</svg>`).exec(html);
      expect(m, `chart ${name}`).not.toBeNull();
      return m![0];
    };
    const weekly = chart('weekly-distance');
    // Weeks up to the last run (2026-03-14): 03-02 and 03-09; the +50 % week is coloured; one spike on 03-14.
    expect(weekly.match(/<rect class="bar[^"]*" data-week=/g)).toHaveLength(2);
    expect(weekly.match(/<rect class="bar over" data-week="2026-03-09"/g)).toHaveLength(1);
    expect(weekly.match(/<path class="spike" data-date="2026-03-14"/g)).toHaveLength(1);
    const hist = chart('cadence-distribution');
    expect(hist.match(/<rect class="bar" x=/g)).toHaveLength(3 + 1); // 3 non-empty bins + legend
    const scatter = chart('cadence-speed');
    expect(scatter.match(/<circle class="point"/g)).toHaveLength(4); // 2 speed bins × 2 outdoor runs
    const elev = chart('elevation-profile');
    expect(elev.match(/<path class="downhill"/g)).toHaveLength(2);
    expect(elev.match(/<rect class="downhill-band (moderate|steep)" x=/g)).toHaveLength(3); // 2 stretches + legend
  });

  it('lists activities by file name (path in the tooltip), rides with speed instead of pace', () => {
    expect(html).toMatch(/<td class="name" title="runs\/2026-03-10.tcx run-2026-03-10"><a href="#run-\d+">2026-03-10.tcx<\/a><\/td>/);
    expect(html).toMatch(/>Ride<\/td><td class="wide">cycling<\/td><td>40\.00 km<\/td><td class="wide">55:33<\/td><td>10\.8 km\/h<\/td>/); // 3 m/s = 10.8 km/h
  });

  it('draws the cadence distribution from the summaries\' bands when no histogram was computed', () => {
    const coarse = renderHtml(buildReport(input({ cadenceHistogram: null })));
    const chart = /<svg data-chart="cadence-distribution"[\s\S]*?<\/svg>/.exec(coarse)![0];
    // Bands of the fixtures: 160–170 and 170–180 hold time, below 160 and 180+ none → 2 bars (+ band + legend).
    expect(chart.match(/<rect class="bar" x=/g)).toHaveLength(2 + 1);
    expect(coarse).toContain('10-spm bands');
  });

  it('renders without charts when there is no data', () => {
    const empty = renderHtml(buildReport({ summaries: [], history: makeHistory({ weeks: [], firstDate: null, lastDate: null }), findings: [] }));
    expect(empty).not.toContain('<svg');
    expect(empty).toContain('Nothing to flag');
  });

  it('is deterministic', () => {
    expect(renderHtml(buildReport(input()))).toBe(html);
  });
});

describe('number formatting (locale-free)', () => {
  it('formats by hand-checked examples', () => {
    expect(formatNumber(12345.678, 1)).toBe('12,345.7');
    expect(formatNumber(-0.04, 1)).toBe('0.0');
    expect(formatNumber(NaN, 0)).toBe('–');
    expect(formatDistance(1609.344, 'mi')).toBe('1.0 mi');
    expect(formatPace(1000 / 330, 'km')).toBe('5:30/km'); // 330 s per km
    expect(formatPace(1609.344 / 480, 'mi')).toBe('8:00/mi');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatSpeed(10, 'km')).toBe('36.0 km/h'); // 10 m/s × 3.6
    expect(formatSpeed(10, 'mi')).toBe('22.4 mph'); // 36 000 m/h ÷ 1609.344 = 22.37
    expect(formatChange(0.125)).toBe('+13 %');
    expect(formatChange(-0.2)).toBe('-20 %');
    expect(formatChange(0.001)).toBe('0 %');
    expect(formatElevation(100, 'mi')).toBe('328 ft'); // 100 / 0.3048 = 328.08
    expect(escapeHtml(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
  });

  it('niceTicks cover the range with round steps', () => {
    expect(niceTicks(0, 47, 5)).toEqual([0, 10, 20, 30, 40, 50]);
    fc.assert(
      fc.property(fc.double({ min: -1e4, max: 1e4, noNaN: true }), fc.double({ min: 1e-3, max: 1e4, noNaN: true }), (a, span) => {
        const t = niceTicks(a, a + span, 5);
        return t[0]! <= a && t[t.length - 1]! >= a + span - 1e-9 * Math.abs(a + span) && t.length <= 12;
      }),
    );
  });

  it('target band is +5..+10 % over the own line, or the population ±8 spm', () => {
    expect(targetBandAt(3, null)).toMatchObject({ lowSpm: 160.03, highSpm: 176.03 }); // 150 + 6.01·3 ∓ 8
    const b = targetBandAt(3, { interceptSpm: 130, slopeSpmPerMps: 10, windowDays: 90, timeS: 36000, targetPct: 0.05 });
    expect(b.lowSpm).toBeCloseTo(168, 9); // (130 + 30) · 1.05
    expect(b.highSpm).toBeCloseTo(176, 9); // (130 + 30) · 1.10
  });
});

describe('chart data from samples', () => {
  it('cadence histogram: running samples only, weighted by Δt capped at 10 s', () => {
    const a = activityOf({
      timeS: [0, 1, 2, 3, 33, 34, 35],
      speedMps: [3, 3, 3, 1, 3, 3, 3],
      cadenceSpm: [170, 171, 175, 120, 176, 500, NaN],
    });
    const h = cadenceHistogramOf(a, { fromSpm: 160, toSpm: 180, binWidthSpm: 5 });
    // i=1: 171 → bin 170–175, 1 s; i=2: 175 → bin 175–180, 1 s; i=3: slow, skipped;
    // i=4: 176 → bin 175–180, Δt 30 capped at 10 s; i=5: 500 → last bin, 1 s; i=6: no cadence.
    expect(h.timeS).toEqual([0, 0, 1, 12]);
    expect(cadenceHistogramOf({ ...a, sport: 'cycling' }, { fromSpm: 160, toSpm: 180, binWidthSpm: 5 }).timeS).toEqual([0, 0, 0, 0]);
  });

  it('merges histograms bin by bin and refuses different bins', () => {
    const a = { fromSpm: 160, binWidthSpm: 5, timeS: [1, 2] };
    const b = { fromSpm: 160, binWidthSpm: 5, timeS: [3, 4] };
    expect(mergeCadenceHistograms([a, b])?.timeS).toEqual([4, 6]);
    expect(mergeCadenceHistograms([])).toBeNull();
    expect(() => mergeCadenceHistograms([a, { ...b, fromSpm: 150 }])).toThrow(RangeError);
  });

  it('elevation profile: mean altitude per equal distance bin', () => {
    const a = activityOf({
      timeS: [0, 1, 2, 3, 4],
      distanceM: [0, 10, 20, 30, 40],
      altitudeM: [100, 102, NaN, 110, 120],
    });
    const p = elevationProfileOf(a, { points: 2 });
    // bins of 20 m: [0,20) holds 100 and 102 → 101; [20,40] holds 110 and 120 → 115
    expect(p).toEqual({ activityId: 'a1', chosenBy: 'most-descent', distanceM: [10, 30], altitudeM: [101, 115] });
    expect(elevationProfileOf(activityOf({ timeS: [0, 1], distanceM: [0, 10] }))).toBeNull();
  });
});

describe('files without an activity (a Garmin export holds thousands)', () => {
  const monitoring = Array.from({ length: 5 }, (_, i) => ({ file: `export.zip!wellness/${i}.fit`, code: 'NOT_AN_ACTIVITY', message: 'a monitoring file' }));
  const report = buildReport(input({ errors: [...monitoring, { file: 'bad.gpx', code: 'INVALID_XML', message: 'bad xml' }] }));

  it('are counted in one line of the text summary, other errors still listed', () => {
    const text = renderText(report);
    expect(text).toContain('Files that could not be read (1)\n  bad.gpx: INVALID_XML: bad xml');
    expect(text).toContain('5 files hold no activity (monitoring, settings or course files), e.g. export.zip!wellness/0.fit');
    expect(text).not.toContain('wellness/4.fit');
  });

  it('are folded away in the HTML report and all kept in the JSON', () => {
    expect(renderHtml(report)).toMatch(/<details><summary>5 files hold no activity/);
    expect(report.errors).toHaveLength(6);
  });
});

describe('long reports stay readable', () => {
  it('shows the eight most recent events and folds the older ones', () => {
    const many = Array.from({ length: 15 }, (_, i) =>
      makeFinding({ severity: 'caution', rule: 'downhill-heavy', date: `2026-03-${String(i + 1).padStart(2, '0')}`, message: `Heavy downhill ${i + 1}.` }),
    );
    const html = renderHtml(buildReport(input({ findings: many })));
    const before = html.slice(0, html.indexOf('<details><summary>7 older events (7 with a caution or warning)</summary>'));
    expect(before.match(/class="finding caution"/g)).toHaveLength(8);
    expect(before).toContain('Heavy downhill 15.');
    expect(before).not.toContain('Heavy downhill 7.');
    expect(html.match(/class="finding caution"/g)).toHaveLength(15);
  });

  it('labels weeks with year and month when they span years', () => {
    const weeks = Array.from({ length: 60 }, (_, i) => {
      const d = new Date(Date.UTC(2025, 0, 6 + 7 * i)).toISOString().slice(0, 10);
      return { ...makeHistory().weeks[0]!, weekStart: d };
    });
    const html = renderHtml(buildReport(input({ history: makeHistory({ weeks }) })));
    // 52 weeks to the last run (2026-03-14): month labels, the year at January; a button per year.
    expect(html).toContain('>2026</text>');
    expect(html).toContain('<button type="button" data-period="2025" aria-pressed="false">2025</button>');
    expect(renderHtml(buildReport(input()))).toContain('>03-09</text>');
  });
});

describe('text summary of many findings', () => {
  it('lists the 12 most recent events, strongest first, and counts the older ones', () => {
    const mk = (severity: 'warning' | 'caution' | 'info', n: number) =>
      Array.from({ length: n }, (_, i) => makeFinding({ severity, rule: `r-${severity}`, date: `2026-04-${String(i + 1).padStart(2, '0')}`, message: `${severity} ${i + 1}.` }));
    const text = renderText(buildReport(input({ findings: [...mk('warning', 25), ...mk('caution', 25), ...mk('info', 15)] })));
    // 25 dates (04-01..04-25), each one event; the 12 newest are 04-14..04-25, each led by its warning.
    expect(text.match(/\[r-warning\]/g)).toHaveLength(12);
    expect(text).toContain('2026-04-25  WARNING');
    expect(text).not.toContain('2026-04-13  WARNING');
    expect(text.indexOf('[r-warning] warning 25.')).toBeLessThan(text.indexOf('(caution) [r-caution] caution 25.'));
    expect(text).toContain('... and 13 older events (13 with a caution or warning), from 2026-04-01 to 2026-04-13');
  });
});

describe('sport sources in the text and HTML reports', () => {
  const unknownA = makeSummary({ id: 'u1', sport: 'generic', sportSource: 'unknown', activityClass: 'other' });
  const unknownB = makeSummary({ id: 'u2', sport: 'generic', sportSource: 'unknown', activityClass: 'other' });
  const inferred = makeSummary({ id: 'i1', sportSource: 'inferred', sportConfidence: 0.9 });
  const named = makeSummary({ id: 'n1', sportSource: 'name' });
  const fromExport = makeSummary({ id: 'e1', sportSource: 'export-metadata' });

  it('says how many had no known sport, what was done with them, and where the other sports came from', () => {
    const r = buildReport(input({ summaries: [makeSummary(), unknownA, unknownB, inferred, named, fromExport] }));
    expect(sportNotes(r)).toEqual([
      '2 activities had no known sport (not in the file, export, name or data) and were left out of the running load (--unknown-sport-as running counts them as runs).',
      "Sports not stated in the files: 1 from the export's activity list, 1 from activity names, 1 inferred from speed and cadence.",
    ]);
    expect(renderText(r)).toContain(sportNotes(r)[0]);
    expect(renderHtml(r)).toContain('2 activities had no known sport');
    expect(validateReport(JSON.parse(renderJson(r)))).toBe(true);
  });

  it('says what --unknown-sport-as running did, and nothing when every sport came from the files', () => {
    const counted = makeSummary({ id: 'u3', sport: 'generic', sportSource: 'unknown', activityClass: 'running' });
    expect(sportNotes(buildReport(input({ summaries: [counted] })))).toEqual([
      '1 activity had no known sport (not in the file, export, name or data) and was counted as a run (--unknown-sport-as running).',
    ]);
    expect(sportNotes(buildReport(input()))).toEqual([]);
  });
});
