/**
 * Fuzzing the GPX and TCX parsers: generated files with strange data, then
 * cut inside tag names, attribute values, text and entity references, with
 * elements repeated and swapped, hostile tokens planted (DOCTYPE, entities,
 * `__proto__`, absurd numbers and dates, NUL), bit flips, and files spliced
 * into each other. Every case must end in activities with sound columns and
 * finite summaries, or a typed ParseError, within its time budget.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { checkInput } from './check.js';
import { gpxFile, tcxFile } from './generate.js';
import { fuzzRuns, fuzzSeed, ParseHarness } from './harness.js';
import { elementBlocks, splice, xmlCut, xmlMutation } from './mutate.js';

const harness = new ParseHarness('xml');
afterAll(() => harness.close());

const enc = new TextEncoder();
const params = (runs: number): fc.Parameters<unknown> => ({ numRuns: fuzzRuns(runs), seed: fuzzSeed(), endOnFailure: true });

describe('GPX/TCX fuzzing: every input ends in activities or a typed error, in bounded time', () => {
  it('generated GPX with strange data (no time, no position, segments, absurd values)', async () => {
    await fc.assert(
      fc.asyncProperty(gpxFile(), async (f) => {
        await harness.check(f.text, f.label);
      }),
      params(100),
    );
  });

  it('generated TCX with strange data', async () => {
    await fc.assert(
      fc.asyncProperty(tcxFile(), async (f) => {
        await harness.check(f.text, f.label);
      }),
      params(100),
    );
  });

  it('damaged GPX and TCX (cuts, repeated and swapped elements, planted tokens, bit flips, noise)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(gpxFile(60), tcxFile(60)), xmlMutation, xmlMutation, fc.boolean(), async (f, m1, m2, twice) => {
        const once = m1(enc.encode(f.text));
        const d = twice ? m2(once.bytes) : once;
        await harness.check(d.bytes, `${f.label}; ${once.label}${twice ? `; then ${d.label}` : ''}`);
      }),
      params(300),
    );
  });

  it('GPX spliced into TCX and the other way round', async () => {
    await fc.assert(
      fc.asyncProperty(gpxFile(40), tcxFile(40), fc.boolean(), fc.integer(), async (g, t, gpxFirst, seed) => {
        const [a, b] = gpxFirst ? [enc.encode(g.text), enc.encode(t.text)] : [enc.encode(t.text), enc.encode(g.text)];
        const d = fc.sample(splice(b), { numRuns: 1, seed })[0]!(a);
        await harness.check(d.bytes, `${gpxFirst ? 'GPX then TCX' : 'TCX then GPX'}: ${d.label}`);
      }),
      params(100),
    );
  });
});

describe('GPX/TCX cuts lose nothing before the cut', () => {
  it('a file cut anywhere inside point k keeps at most the points before, and at least k - 1 of them when times are clean', async () => {
    // Planted truth: a clean 1 Hz GPX track; a cut inside the k-th <trkpt> leaves k complete points before it.
    const { encodeGpx } = await import('../../fixtures/lib/gpx-writer.js');
    const { steadyRunSamples } = await import('../../fixtures/lib/fit-writer.js');
    const s = steadyRunSamples({ seconds: 59, speedMps: 3, cadenceSpm: 170 });
    const text = encodeGpx({ startTime: new Date('2024-05-27T06:00:00Z'), sport: 'running', ...s });
    const points = elementBlocks(text, 'trkpt');
    expect(points).toHaveLength(60);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 59 }), xmlCut, async (k, cut) => {
        const p = points[k]!;
        const inside = text.slice(0, p.end - 1);
        const d = cut(enc.encode(inside));
        const outcome = await checkInput(d.bytes);
        const complete = elementBlocks(new TextDecoder().decode(d.bytes), 'trkpt').length;
        if (outcome.kind === 'activities') {
          expect(outcome.samples).toBeLessThanOrEqual(complete + 1);
          expect(outcome.samples).toBeGreaterThanOrEqual(complete);
        } else {
          // nothing usable may only be claimed when no complete point came before the cut
          expect(complete, `${d.label}: ${outcome.code} although ${complete} complete points precede the cut`).toBe(0);
        }
      }),
      params(150),
    );
  });
});
