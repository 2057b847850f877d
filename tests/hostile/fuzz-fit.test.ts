/**
 * Fuzzing the FIT parser: generated files with strange data, then the same
 * files damaged in every structural way (cuts inside the header, definitions,
 * data messages and CRC; bit flips; duplicated, reordered and spliced
 * messages; absurd sizes and counts). Every case must end in activities with
 * sound columns and finite summaries, or a typed ParseError, within its time
 * budget (see harness.ts).
 */
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { fitFile } from './generate.js';
import { fuzzRuns, fuzzSeed, ParseHarness } from './harness.js';
import { fitCut, fitDuplicate, fitHuge, fitMutation, fitSwap, splice } from './mutate.js';

const harness = new ParseHarness('fit');
afterAll(() => harness.close());

const params = (runs: number): fc.Parameters<unknown> => ({ numRuns: fuzzRuns(runs), seed: fuzzSeed(), endOnFailure: true });

describe('FIT fuzzing: generated files and every kind of damage end in activities or a typed error, in bounded time', () => {
  it('generated files with strange data (gaps, duplicates, steps back, sentinels, several sessions)', async () => {
    await fc.assert(
      fc.asyncProperty(fitFile(), async (f) => {
        await harness.check(f.bytes, f.label);
      }),
      params(120),
    );
  });

  it('cut inside the header, a definition, a data message, between messages or inside the CRC', async () => {
    await fc.assert(
      fc.asyncProperty(fitFile(80), fitCut, async (f, m) => {
        const d = m(f.bytes);
        await harness.check(d.bytes, `${f.label}; ${d.label}`);
      }),
      params(150),
    );
  });

  it('duplicated and reordered messages', async () => {
    await fc.assert(
      fc.asyncProperty(fitFile(80), fc.oneof(fitDuplicate, fitSwap), async (f, m) => {
        const d = m(f.bytes);
        await harness.check(d.bytes, `${f.label}; ${d.label}`);
      }),
      params(120),
    );
  });

  it('absurd counts: data size 0xFFFFFFFF or 0, field size 255, 255 fields, 255 developer fields, odd header sizes', async () => {
    await fc.assert(
      fc.asyncProperty(fitFile(60), fitHuge, async (f, m) => {
        const d = m(f.bytes);
        await harness.check(d.bytes, `${f.label}; ${d.label}`);
      }),
      params(120),
    );
  });

  it('spliced files and layered damage (two mutations in a row)', async () => {
    await fc.assert(
      fc.asyncProperty(fitFile(60), fitFile(60), fitMutation, fitMutation, fc.boolean(), async (a, b, m1, m2, sp) => {
        const first = sp ? fc.sample(splice(b.bytes), { numRuns: 1, seed: a.bytes.length })[0]!(a.bytes) : m1(a.bytes);
        const second = m2(first.bytes);
        await harness.check(second.bytes, `${a.label}; ${first.label}; then ${second.label}`);
      }),
      params(150),
    );
  });
});
