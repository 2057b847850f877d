/**
 * Many pauses: a GPX with one `<trkseg>` per point (every gap a pause) or a
 * FIT file with a timer stop/start per record must not make the analysis
 * quadratic. The pause index (src/analysis/pauses.ts) answers exactly what
 * the scans over every pause answered, in O(log p).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { indexPauses, isPausedAt, pauseOverlaps } from '../../src/analysis/pauses.js';
import { fuzzRuns, fuzzSeed, ParseHarness } from './harness.js';

const harness = new ParseHarness('pauses');
afterAll(() => harness.close());

const bound = fc.oneof(
  { arbitrary: fc.integer({ min: -5, max: 60 }), weight: 10 },
  { arbitrary: fc.constantFrom(Number.NaN, Infinity, -Infinity), weight: 1 },
);
const pause = fc.record({ startS: bound, endS: bound });

describe('pause index', () => {
  it('isPausedAt and pauseOverlaps agree with a scan of every pause (overlapping, touching, reversed, NaN bounds)', () => {
    fc.assert(
      fc.property(fc.array(pause, { maxLength: 12 }), fc.array(fc.tuple(fc.integer({ min: -10, max: 70 }), fc.integer({ min: 0, max: 20 })), { maxLength: 20 }), (pauses, queries) => {
        const index = indexPauses(pauses);
        for (const [t, len] of queries) {
          const a = t / 2;
          const b = a + len / 2;
          // the scans the index replaced (src/analysis/samples.ts and elevation.ts), restricted to well-formed pauses
          const ok = pauses.filter((p) => Number.isFinite(p.startS) && Number.isFinite(p.endS) && p.endS >= p.startS);
          expect(isPausedAt(index, a), `t=${a}`).toBe(ok.some((p) => a >= p.startS && a <= p.endS));
          expect(pauseOverlaps(index, a, b), `(${a}, ${b})`).toBe(ok.some((p) => p.endS > a && p.startS < b));
        }
      }),
      { numRuns: fuzzRuns(300), seed: fuzzSeed() },
    );
  });

  it('a 16 MB GPX with 150,000 one-point segments (149,999 pauses) is read and summarised within 15 s', async () => {
    // Before the index: 80,000 such points took 8 s to summarise (every sample scanned every pause).
    const n = 150_000;
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const t = new Date(Date.UTC(2024, 4, 27, 6) + i * 2000).toISOString();
      parts.push(`<trkseg><trkpt lat="${(46 + (i * 3) / 111_195).toFixed(7)}" lon="7"><ele>${100 + (i % 50)}</ele><time>${t}</time></trkpt></trkseg>`);
    }
    const gpx = `<?xml version="1.0"?><gpx version="1.1" creator="x"><trk><type>running</type>${parts.join('')}</trk></gpx>`;
    const o = await harness.check(gpx, 'GPX with 150,000 one-point segments', {}, 15_000);
    expect(o).toMatchObject({ kind: 'activities', activities: 1, samples: n });
  });
});
