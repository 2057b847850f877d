import { defineConfig } from 'tsup';

/**
 * Source maps are opt-in (STRIDEWISE_SOURCEMAP=1 npm run build): the package
 * ships without them (they were 3 MB of a 4 MB build).
 */
const sourcemap = process.env['STRIDEWISE_SOURCEMAP'] === '1';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', node: 'src/node/index.ts', worker: 'src/node/worker.ts' },
    format: ['esm', 'cjs'],
    dts: { entry: { index: 'src/index.ts', node: 'src/node/index.ts' } },
    sourcemap,
    clean: true,
    target: 'node20',
    splitting: true,
    treeshake: true,
  },
  {
    entry: { cli: 'src/cli.ts' },
    format: ['esm'],
    sourcemap,
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
]);
