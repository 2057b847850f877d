/**
 * Running-dynamics trends: ground contact time and vertical oscillation per
 * period, running-time weighted over the runs that recorded them, drawn in
 * the HTML report only where at least two periods have them.
 */
import { describe, expect, it } from 'vitest';
import type { ActivitySummary, DynamicsSummary } from '../../src/analysis/types.js';
import { cadenceTrendChart, formTrend } from '../../src/report/charts.js';
import { buildReport, renderHtml } from '../../src/report/index.js';
import { makeHistory, makeSummary } from './helpers.js';

function dyn(stanceTimeS: number | null, verticalOscillationM: number | null): DynamicsSummary {
  return { stanceTimeS, verticalOscillationM, verticalRatioPct: null, stanceTimeBalancePct: null, imbalancedTimeS: 0 };
}

function run(id: string, localDate: string, runningTimeS: number, dynamics: DynamicsSummary | null): ActivitySummary {
  return makeSummary({ id, localDate, startTime: `${localDate}T07:00:00.000Z`, runningTimeS, dynamics });
}

// Weeks of 2026-03-02 and 2026-03-09 (Mondays)
const runs = [
  run('a', '2026-03-03', 3000, dyn(0.25, 0.08)),
  run('b', '2026-03-05', 1000, dyn(0.27, null)),
  run('c', '2026-03-10', 2000, dyn(0.24, 0.075)),
  run('d', '2026-03-12', 1000, null),
];

describe('dynamics trend', () => {
  it('weighs each period by running time over the runs that recorded the measure', () => {
    const t = formTrend(runs);
    expect(t.map((p) => p.start)).toEqual(['2026-03-02', '2026-03-09']);
    // week 1: (0.25 · 3000 + 0.27 · 1000) / 4000 = 0.255 s; oscillation only from run a: 0.08 m
    expect(t[0]!.stanceTimeS).toBeCloseTo(0.255, 10);
    expect(t[0]!.verticalOscillationM).toBeCloseTo(0.08, 10);
    // week 2: run d has no dynamics and does not dilute: 0.24 s, 0.075 m
    expect(t[1]!.stanceTimeS).toBeCloseTo(0.24, 10);
    expect(t[1]!.verticalOscillationM).toBeCloseTo(0.075, 10);
  });

  it('draws contact time in ms and oscillation in cm or in, without a reference line', () => {
    const t = formTrend(runs);
    const contact = cadenceTrendChart(t, { units: 'km', measure: 'contact' })!;
    expect(contact).toContain('data-chart="contact-trend"');
    expect(contact).toContain('2026-03-02: 255 ms over 2 runs');
    expect(contact).toContain('2026-03-09: 240 ms over 2 runs');
    expect(contact).not.toContain('class="expected"');
    expect(cadenceTrendChart(t, { units: 'km', measure: 'oscillation' })).toContain('2026-03-09: 7.5 cm over 2 runs');
    // 0.08 m / 0.0254 = 3.15 in
    expect(cadenceTrendChart(t, { units: 'mi', measure: 'oscillation' })).toContain('2026-03-02: 3.1 in over 2 runs');
  });

  it('appears in the HTML report only when two periods have dynamics', () => {
    const html = renderHtml(buildReport({ summaries: runs, history: makeHistory(), findings: [] }));
    expect(html).toContain('data-chart="contact-trend"');
    expect(html).toContain('data-chart="oscillation-trend"');
    const without = runs.map((r) => ({ ...r, dynamics: null }));
    const bare = renderHtml(buildReport({ summaries: without, history: makeHistory(), findings: [] }));
    expect(bare).toContain('data-chart="cadence-trend"');
    expect(bare).not.toContain('contact-trend');
  });
});
