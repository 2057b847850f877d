/**
 * Build for the benchmark only, while `analyzeExport` is not yet exported
 * from `stridewise/node`: the package build plus `pipeline.js` beside
 * `worker.js`. `npx tsup --config bench/tsup.config.ts` writes bench/results/dist.
 */
import { defineConfig, type Options } from 'tsup';
import base from '../tsup.config.js';

const configs = (Array.isArray(base) ? base : [base]) as Options[];
export default defineConfig(
  configs.map((c, i) => ({
    ...c,
    outDir: 'bench/results/dist',
    dts: false,
    ...(i === 0 ? { entry: { ...(c.entry as Record<string, string>), pipeline: 'src/node/pipeline.ts' } } : {}),
  })),
);
