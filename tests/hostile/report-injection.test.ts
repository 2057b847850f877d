/**
 * Names come from files (GPX `<name>`, creators, Strava gear, archive entry
 * paths, error messages that quote them). The HTML report must escape them
 * (no script or handler can get in), the text report must not pass terminal
 * control characters through, and the JSON report must carry them unchanged.
 */
import { describe, expect, it } from 'vitest';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { analyzeHistory, summarizeActivity } from '../../src/analysis/index.js';
import { parseActivities } from '../../src/parse/index.js';
import { buildReport, renderHtml, renderJson, renderText } from '../../src/report/index.js';
import { evaluateRules } from '../../src/rules/index.js';

const SCRIPT = '</script><script>alert(1)</script><img src=x onerror=alert(2)><svg onload=alert(3)>"\'&';
const CONTROL = '\u001b[31mred\u001b[0m\u0007\u009b2J';

describe('file-supplied text in reports', () => {
  it('HTML escapes it, text drops control characters, JSON keeps it exactly', async () => {
    const s = steadyRunSamples({ seconds: 900, speedMps: 3, cadenceSpm: 150, altitudeM: 100 });
    const gpx = encodeGpx({ startTime: new Date('2024-05-27T06:00:00Z'), sport: 'running', name: SCRIPT, ...s }, { creator: SCRIPT });
    const [a] = await parseActivities(gpx, { fileName: `runs/${SCRIPT}${CONTROL}.gpx` });
    expect(a!.name).toBe(SCRIPT);
    const summary = { ...summarizeActivity(a!), gear: `${SCRIPT}${CONTROL}` };
    const history = analyzeHistory([summary]);
    const findings = evaluateRules(history, [summary]);
    const report = buildReport({
      summaries: [summary],
      history,
      findings,
      errors: [{ file: `bad/${SCRIPT}${CONTROL}.fit`, code: 'INVALID_XML', message: `cannot read ${SCRIPT}${CONTROL}` }],
    } as Parameters<typeof buildReport>[0]);

    const html = renderHtml(report);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toMatch(/<img[^>]*onerror/i);
    expect(html).not.toMatch(/<svg[^>]*onload/i);
    // the only <script> elements are the report's own
    expect((html.match(/<script\b/gi) ?? []).length).toBe((html.match(/<\/script>/gi) ?? []).length);
    expect(html).toContain('&lt;script&gt;alert(1)');

    const text = renderText(report);
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);

    const json = JSON.parse(renderJson(report)) as { activities: { name: string | null; gear: string | null }[]; errors: { file: string }[] };
    expect(json.activities[0]!.name).toBe(SCRIPT);
    expect(json.activities[0]!.gear).toBe(`${SCRIPT}${CONTROL}`);
    expect(json.errors[0]!.file).toBe(`bad/${SCRIPT}${CONTROL}.fit`);
  });
});
