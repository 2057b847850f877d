/**
 * Damaged real files: every file of the shared corpus (MANIFEST.tsv) read as
 * is, then mutated (FIT: cuts at every kind of boundary, bit flips, repeated
 * and swapped messages, absurd counts; GPX/TCX: cuts inside tags, attribute
 * values and text, repeated and swapped elements, planted tokens; gzip: the
 * compressed bytes damaged, and the content damaged then compressed again),
 * and spliced into each other. Same judgement as the generated fuzzing.
 * Small files get more mutations than large ones to keep the run short;
 * STRIDEWISE_FUZZ_RUNS raises the count for every file.
 */
import fc from 'fast-check';
import { gunzipSync, gzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { corpusAvailable, corpusSkipReason, readCorpusFile, readManifest } from '../helpers/corpus.js';
import { fuzzRuns, fuzzSeed, HostileFailure, ParseHarness } from './harness.js';
import { bitFlips, fitMutation, splice, truncation, xmlMutation, type Mutation } from './mutate.js';

const harness = new ParseHarness('corpus');
afterAll(() => harness.close());

const rows = readManifest();
const env = process.env['STRIDEWISE_FUZZ_RUNS'];

/** Mutations per file: 6 below 100 kB, 3 below 500 kB, else 1 (or STRIDEWISE_FUZZ_RUNS / 50 each when set). */
function mutationsFor(size: number): number {
  if (env !== undefined) return Math.max(1, Math.round(fuzzRuns(50) / 50));
  return size < 100_000 ? 6 : size < 500_000 ? 3 : 1;
}

function isGzip(b: Uint8Array): boolean {
  return b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;
}

describe.skipIf(!corpusAvailable)(`real files, as they are and damaged (${corpusAvailable ? `${rows.length} corpus files` : corpusSkipReason})`, () => {
  const outcomes = new Map<string, string>();

  it('every corpus file as it is', async () => {
    for (const row of rows) {
      const path = row['path']!;
      const o = await harness.check(readCorpusFile(path), path, { fileName: path });
      outcomes.set(path, o.kind === 'activities' ? `${o.activities} activities` : o.code);
    }
    expect(outcomes.size).toBe(rows.length);
    console.log(`[hostile] corpus as is: ${[...outcomes.values()].filter((v) => v.endsWith('activities')).length} of ${rows.length} files give activities; errors: ${[...outcomes.values()].filter((v) => !v.endsWith('activities')).join(', ')}`);
  });

  it('every corpus file damaged in structure-aware ways', async () => {
    // Every case runs even after a failure, so that one finding does not hide the next.
    const failures: string[] = [];
    const check = async (bytes: Uint8Array, label: string, fileName: string): Promise<void> => {
      try {
        await harness.check(bytes, label, { fileName });
      } catch (e) {
        if (!(e instanceof HostileFailure)) throw e;
        failures.push(e.message);
      }
    };
    let seed = fuzzSeed();
    for (const row of rows) {
      const path = row['path']!;
      const original = readCorpusFile(path);
      const gz = isGzip(original);
      const content = gz ? gunzipSync(original) : original;
      const fit = content.length >= 12 && content[8] === 0x2e && content[9] === 0x46;
      const arb: fc.Arbitrary<Mutation> = fit ? fitMutation : xmlMutation;
      const mutations = fc.sample(arb, { numRuns: mutationsFor(original.length), seed: seed++ });
      for (const m of mutations) {
        const d = m(content);
        const bytes = gz ? gzipSync(d.bytes) : d.bytes;
        await check(bytes, `${path}: ${d.label}${gz ? ' (compressed again)' : ''}`, path);
      }
      if (gz) {
        for (const m of fc.sample(fc.oneof(bitFlips, truncation), { numRuns: 3, seed: seed++ })) {
          const d = m(original);
          await check(d.bytes, `${path}: gzip bytes ${d.label}`, path);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('corpus files spliced into each other (FIT into FIT, XML into XML, across formats)', async () => {
    const small = rows.filter((r) => Number(r['size_bytes']) < 300_000).map((r) => r['path']!);
    const pairs = fc.sample(fc.tuple(fc.constantFrom(...small), fc.constantFrom(...small), fc.integer()), {
      numRuns: fuzzRuns(40),
      seed: fuzzSeed(),
    });
    for (const [a, b, s] of pairs) {
      const d = fc.sample(splice(readCorpusFile(b)), { numRuns: 1, seed: s })[0]!(readCorpusFile(a));
      await harness.check(d.bytes, `${a} + ${b}: ${d.label}`, { fileName: a });
    }
  });
});
