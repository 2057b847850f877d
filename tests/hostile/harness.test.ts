/**
 * The hostile-input harness can fail: a case over its time budget is
 * stopped and reported, a NaN in a summary or an untyped exception is a
 * violation, and the list of known error codes matches `ErrorCode`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { repoRoot } from '../helpers/corpus.js';
import { activityViolations, checkInput, KNOWN_ERROR_CODES, nonFiniteNumbers } from './check.js';
import { HostileFailure, ParseHarness } from './harness.js';
import { parseActivities } from '../../src/parse/index.js';

const harness = new ParseHarness('harness-self-test');
afterAll(() => harness.close());

describe('the harness itself', () => {
  it('KNOWN_ERROR_CODES is exactly the ErrorCode union of src/errors.ts', () => {
    const src = readFileSync(join(repoRoot, 'src', 'errors.ts'), 'utf8');
    const union = src.slice(src.indexOf('export type ErrorCode'), src.indexOf(';', src.indexOf('export type ErrorCode')));
    const codes = [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
    expect([...KNOWN_ERROR_CODES].sort()).toEqual(codes.sort());
  });

  it('finds NaN and Infinity anywhere in a summary-like object, and typed arrays', () => {
    expect(nonFiniteNumbers({ a: 1, b: [2, Number.NaN], c: { d: Infinity, e: null, f: 'x' } })).toEqual(['$.b[1] = NaN', '$.c.d = Infinity']);
    expect(nonFiniteNumbers({ x: new Float32Array(1) })).toHaveLength(1);
    expect(nonFiniteNumbers({ a: 0, b: -0, c: 1e308 })).toEqual([]);
  });

  it('finds broken activity columns (length, Infinity, time going back, position out of range)', async () => {
    const [a] = await parseActivities(encodeGpx({ startTime: new Date('2024-05-27T06:00:00Z'), sport: 'running', ...steadyRunSamples({ seconds: 5, speedMps: 3, cadenceSpm: 170 }) }));
    expect(activityViolations(a!, 'ok')).toEqual([]);
    const broken = { ...a!, samples: { ...a!.samples, timeS: Float64Array.from([0, 2, 1, 3, 4, 5]), speedMps: Float32Array.from([1, 1, Infinity, 1, 1, 1]), latDeg: Float64Array.from([91, 0, 0, 0, 0, 0]) } };
    const v = activityViolations(broken, 'x');
    expect(v.some((s) => s.includes('timeS goes back'))).toBe(true);
    expect(v.some((s) => s.includes('speedMps[2] = Infinity'))).toBe(true);
    expect(v.some((s) => s.includes('position out of range'))).toBe(true);
  });

  it('judges outcomes: typed errors pass with their code, also for invalid options and input types', async () => {
    expect(await checkInput('')).toEqual({ kind: 'error', code: 'EMPTY_INPUT', violations: [] });
    expect(await checkInput('<gpx/>', { limits: { maxXmlDepth: Number.NaN } })).toEqual({ kind: 'error', code: 'INVALID_OPTION', violations: [] });
    expect(await checkInput(123 as unknown as string)).toEqual({ kind: 'error', code: 'INVALID_OPTION', violations: [] });
  });

  it('stops a parse that exceeds its budget and reports the case', async () => {
    // 20 MB of GPX cannot be read in 1 ms: the worker is terminated and the case fails with its label
    const big = `<?xml version="1.0"?><gpx version="1.1"><trk><trkseg>${'<trkpt lat="1" lon="1"><time>2024-05-27T06:00:00Z</time></trkpt>'.repeat(300_000)}</trkseg></trk></gpx>`;
    await expect(harness.check(big, 'budget probe', {}, 1)).rejects.toThrow(HostileFailure);
    await expect(harness.check(big, 'budget probe', {}, 1)).rejects.toThrow(/budget probe: parse did not finish within 1 ms/);
    // a new worker takes over for the next case
    const o = await harness.check('<gpx/>', 'after restart');
    expect(o.kind).toBe('error');
  });
});
