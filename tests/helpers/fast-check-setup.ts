/**
 * Property tests run from a fixed seed so that a run is repeatable (CI and
 * local runs see the same cases). Explore other cases with
 * `STRIDEWISE_FC_SEED=<n>`, or `STRIDEWISE_FC_SEED=random`.
 */
import fc from 'fast-check';

const raw = process.env.STRIDEWISE_FC_SEED;
if (raw !== 'random') {
  const seed = raw !== undefined && Number.isInteger(Number(raw)) ? Number(raw) : 20261125;
  fc.configureGlobal({ seed });
}
