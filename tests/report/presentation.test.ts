/**
 * What a runner reads: the load chart agrees with the load findings, findings
 * are grouped and most recent first, the text never hides a recent caution,
 * miles leave no metric unit outside the JSON, and one call
 * (analyzeActivities) gives everything the report draws. Demo season truths
 * come from fixtures/demo-season/truth.ts.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_PLAN, DEMO_SEASON_TRUTH, DEMO_TIME_ZONE, demoSeasonActivities } from '../../fixtures/demo-season/index.js';
import type { Activity } from '../../src/activity.js';
import { runTraceOf } from '../../src/analysis/extras.js';
import { analyzeActivities } from '../../src/analyze.js';
import { loadChartData } from '../../src/report/charts.js';
import { groupFindings } from '../../src/report/findings.js';
import { buildReport, renderHtml, renderJson, renderText } from '../../src/report/index.js';
import { localizeText } from '../../src/report/units.js';
import { activityOf, makeFinding, makeHillyRun, makeHistory, makeSummary } from './helpers.js';

const season = analyzeActivities(demoSeasonActivities(), { analysis: { timeZone: DEMO_TIME_ZONE } });
const report = buildReport({ ...season, settings: { timeZone: DEMO_TIME_ZONE } });

/** Visible words of an HTML page: styles, scripts and tags removed (titles of SVG marks kept, they are tooltips). */
function visibleText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#39;|&quot;|&amp;|&lt;|&gt;/g, ' ');
}

const METRIC = /\d\s?(?:km|m|cm)\b(?!\/)|\/km\b|km\/h|\d\s?m\/s\b/;

describe('analyzeActivities', () => {
  it('summarises every activity and keeps a bounded trace per run', () => {
    expect(season.summaries).toHaveLength(DEMO_PLAN.length);
    expect(season.extras).toHaveLength(season.summaries.length);
    season.summaries.forEach((s, i) => {
      const trace = season.extras[i]!.runTrace;
      if (s.activityClass !== 'running') {
        expect(trace ?? null).toBeNull();
        return;
      }
      expect(trace, s.id).not.toBeNull();
      expect(trace!.cadenceSpm.length).toBeLessThanOrEqual(120);
      // one split per started kilometre: the split distances add up to the run's distance
      const total = trace!.splitsKm.reduce((sum, x) => sum + x.distanceM, 0);
      expect(trace!.splitsKm).toHaveLength(Math.ceil((s.distanceM - 0.5) / 1000));
      expect(Math.abs(total - s.distanceM)).toBeLessThan(1);
    });
  });

  it('gives buildReport the hilliest profile and never says "no run with elevation data" for hilly runs', () => {
    const hilly = DEMO_SEASON_TRUTH.hills.map((h) => h.key);
    const profiled = report.activities.find((a) => a.id === report.elevationProfile?.activityId);
    expect(profiled?.file ?? profiled?.name ?? '').toMatch(new RegExp(hilly.join('|')));
    expect(renderHtml(report)).not.toContain('No run with elevation data');
    // Without extras the page says the profile was not given, rather than that there is no elevation.
    const bare = buildReport({ summaries: season.summaries, history: season.history, findings: season.findings });
    expect(bare.elevationProfileMissing).toBe(true);
    expect(renderHtml(bare)).toContain('built without an elevation profile');
  });
});

describe('one week concept: the chart shows what the load rules measured', () => {
  it('every weekly-increase finding is a point on the rolling line at its date, with the numbers it quotes', () => {
    const data = loadChartData(report, report.weeks[0]!.weekStart, '9999-12-31');
    const increases = report.findings.filter((f) => f.rule === 'weekly-increase');
    expect(increases.length).toBeGreaterThan(0);
    const html = renderHtml(report);
    for (const f of increases) {
      const p = data.rolling.find((x) => x.date === f.date);
      expect(p, f.date ?? '').toBeDefined();
      expect(p!.rolling7dM).toBeCloseTo(f.details['rolling7dM'] as number, 3);
      expect(p!.prev7dM).toBeCloseTo(f.details['prev7dM'] as number, 3);
      // and in the drawn chart: the flagged dot at that date carries the same metres
      expect(html).toMatch(new RegExp(`class="dot flagged" data-date="${f.date}" data-rolling7d-m="${Math.round(p!.rolling7dM)}" data-prev7d-m="${Math.round(p!.prev7dM)}"`));
    }
    // The planted case: the 7 days to Monday 31 March hold 27.5 km against 20 km (+37.5 %), while the calendar week shows -12 %.
    const planted = data.rolling.find((x) => x.date === '2025-03-31')!;
    expect(planted.rolling7dM).toBeCloseTo(27_500, -2);
    expect(planted.changeRatio).toBeCloseTo(0.375, 2);
  });

  it('every session spike is marked at its date', () => {
    const data = loadChartData(report, report.weeks[0]!.weekStart, '9999-12-31');
    for (const f of report.findings.filter((x) => x.rule === 'session-spike')) {
      expect(data.marks.some((m) => m.rule === 'session-spike' && m.date === f.date)).toBe(true);
    }
  });
});

describe('findings: events, most recent first', () => {
  it('groups the same day into one event, strongest first, and sorts events newest first', () => {
    const day = '2026-03-14';
    const findings = [
      makeFinding({ rule: 'acwr', severity: 'info', date: day, message: 'acwr' }),
      makeFinding({ rule: 'weekly-increase', severity: 'info', date: day, message: 'week' }),
      makeFinding({ rule: 'session-spike', severity: 'caution', date: day, message: 'spike' }),
      makeFinding({ rule: 'low-cadence', severity: 'caution', date: '2026-03-02', activityId: 'run-2026-03-02', message: 'old' }),
      makeFinding({ rule: 'data-quality', severity: 'info', date: '2026-03-10', message: 'Not judged on this run' }),
    ];
    const { events, notes } = groupFindings(findings);
    expect(events.map((e) => e.date)).toEqual([day, '2026-03-02']);
    expect(events[0]!.findings.map((f) => f.rule)).toEqual(['session-spike', 'acwr', 'weekly-increase']);
    expect(events[0]!.severity).toBe('caution');
    expect(notes.map((n) => n.rule)).toEqual(['data-quality']);
  });

  it('the demo season has events in descending date order and each date once', () => {
    const { events } = groupFindings(report.findings);
    const dates = events.map((e) => e.date).filter((d): d is string => d !== null);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(new Set(dates).size).toBe(dates.length);
  });

  it('the text truncates the oldest events, never a recent caution', () => {
    const findings = Array.from({ length: 10 }, (_, i) =>
      makeFinding({ rule: 'session-spike', severity: 'caution', date: `2026-03-${String(i + 1).padStart(2, '0')}`, message: `spike ${i + 1}` }),
    );
    const text = renderText(buildReport({ summaries: [makeSummary()], history: makeHistory(), findings }), { maxEvents: 3 });
    expect(text).toContain('spike 10');
    expect(text).toContain('spike 8');
    expect(text).not.toContain('spike 7 ');
    expect(text).toContain('7 older events (7 with a caution or warning)');
    expect(text.indexOf('spike 10')).toBeLessThan(text.indexOf('spike 9'));
  });
});

describe('units: miles everywhere a person reads', () => {
  it('rewrites metric quantities in sentences', () => {
    // 14.0 km = 8.70 mi; 9.5 km = 5.90 mi; 5:21/km = 321 s × 1.609344 = 516.6 s = 8:37/mi; 128 m = 420 ft
    expect(localizeText('This 14.0 km run was 1.47× your longest (9.5 km) at 5:21/km, 128 m down', 'mi')).toBe(
      'This 8.7 mi run was 1.47× your longest (5.9 mi) at 8:37/mi, 420 ft down',
    );
  });

  it('the text and HTML in miles contain no metric unit; the JSON stays SI', () => {
    const text = renderText(report, { units: 'mi' });
    expect(text.match(METRIC)?.[0] ?? null).toBeNull();
    const html = visibleText(renderHtml(report, { units: 'mi' }));
    const hit = METRIC.exec(html);
    expect(hit === null ? null : html.slice(Math.max(0, hit.index - 60), hit.index + 20)).toBeNull();
    expect(renderJson(report)).toContain('"distanceM"');
  });

  it('shows ratios as percentages in the measured line', () => {
    const html = renderHtml(buildReport({ summaries: [makeSummary(), makeHillyRun()], history: makeHistory(), findings: [makeFinding()] }));
    expect(html).toContain('measured 120 %, limit 110 %');
  });
});

describe('run trace (the data of a run view)', () => {
  /** 2,500 m at 3 m/s and 170 spm, one sample a second; heart rate 150 for the first 500 s, 180 after. */
  function steadyRun(): Activity {
    const n = 834; // t = 0..833 s, d = 3 m/s · t → 2,499 m
    const col = (f: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => f(i));
    return activityOf(
      {
        timeS: col((i) => i),
        distanceM: col((i) => 3 * i),
        speedMps: col(() => 3),
        altitudeM: col((i) => 100 - i * 0.03), // −0.03 m a second at 3 m/s: −1 % grade
        cadenceSpm: col(() => 170),
        heartRateBpm: col((i) => (i <= 500 ? 150 : 180)),
      },
      { id: 'steady' },
    );
  }

  it('splits per km with cadence, step length, heart rate and grade; zones from the maximum heart rate', () => {
    const t = runTraceOf(steadyRun(), { maxHeartRateBpm: 200 })!;
    // 2,499 m → splits of 1,000, 1,000 and 499 m
    expect(t.splitsKm.map((s) => s.distanceM)).toEqual([1000, 1000, 499]);
    // 1,000 m at 3 m/s = 333.3 s (sample spacing 1 s: the first split holds t = 0..333 → 333 s of intervals)
    expect(t.splitsKm[1]!.timeS).toBeCloseTo(333.3, -1);
    expect(t.splitsKm[0]!.cadenceSpm).toBe(170);
    // step length = speed · 60 / cadence = 3 · 60 / 170 = 1.059 m
    expect(t.splitsKm[0]!.stepLengthM).toBeCloseTo(1.059, 2);
    // altitude falls 0.03 m per second = 0.01 m per metre: grade −1 %
    expect(t.splitsKm[0]!.grade).toBeCloseTo(-0.01, 3);
    expect(t.splitsKm[0]!.heartRateBpm).toBe(150);
    // 150 / 200 = 75 % → zone 3 for 500 s; 180 / 200 = 90 % → zone 5 for 333 s
    expect(t.heartRateZonesS).toEqual([0, 0, 500, 0, 333]);
    expect(t.cadenceSpm.length).toBe(100);
    expect(t.splitsMi.map((s) => s.distanceM)).toEqual([1609.3, 889.7]);
  });
});

describe('period: centred on the running', () => {
  it('a ride years after the last run never empties the chart (the 2013 runs and one 2017 ride case)', () => {
    const activities = demoSeasonActivities();
    const ride = activities.find((a) => a.sport === 'cycling')!;
    const later = { ...ride, id: 'ride-years-later', startTime: new Date(ride.startTime!.getTime() + 4 * 365 * 86_400_000) };
    const a = analyzeActivities([...activities, later], { analysis: { timeZone: DEMO_TIME_ZONE } });
    const r = buildReport({ ...a, settings: { timeZone: DEMO_TIME_ZONE } });
    const html = renderHtml(r);
    const recent = /<figure class="period" data-period="recent">[\s\S]*?<\/figure>/.exec(html)![0];
    // the 14 running weeks of the season are drawn (bars with data-week), ending with the week of the last run
    expect(recent.match(/<rect class="bar[^"]*" data-week=/g)?.length).toBe(DEMO_SEASON_TRUTH.weeks.length);
    expect(recent).toContain(`to your last run (${DEMO_SEASON_TRUTH.lastDate})`);
    const text = renderText(r);
    expect(text).toContain(`to your last run (${DEMO_SEASON_TRUTH.lastDate})`);
    expect(text).not.toMatch(/no running \(\d+ weeks\)\n\n/); // the table does not end in empty weeks
  });
});
