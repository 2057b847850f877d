/**
 * What `npm pack` puts in the package: the build (ESM, CJS, types), README,
 * LICENSE, CHANGELOG and package.json; no source maps (opt-in with
 * STRIDEWISE_SOURCEMAP=1 for a local build), no sources, tests or fixtures;
 * every file the `exports` map, `main`, `module`, `types` and `bin` name is in it.
 * Needs the build (`npm test` builds first; alone: `npx tsup`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/corpus.js';

interface PackFile {
  readonly path: string;
  readonly size: number;
}
interface PackResult {
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: readonly PackFile[];
}

let pack: PackResult;
let paths: Set<string>;
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  main: string;
  module: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, unknown>;
  scripts: Record<string, string>;
};

/** Every string leaf of the exports map (the target files). */
function targets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(targets);
  return [];
}

beforeAll(() => {
  if (!existsSync(join(repoRoot, 'dist', 'index.js'))) throw new Error('dist/ is missing: build first (npm test runs "tsup && vitest run"; alone: npx tsup)');
  // --ignore-scripts: the build is already there; prepack would build it again
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  pack = (JSON.parse(r.stdout) as PackResult[])[0]!;
  paths = new Set(pack.files.map((f) => f.path));
});

describe('npm pack', () => {
  it('ships the build, README, LICENSE, CHANGELOG, package.json and the docs the TSDoc points to, and nothing else', () => {
    // the TSDoc of the shipped types names docs/algorithms.md (cards), docs/rules.md and docs/cli.md
    const docs = ['docs/algorithms.md', 'docs/rules.md', 'docs/cli.md'];
    for (const p of docs) expect(paths.has(p), p).toBe(true);
    const outside = [...paths].filter((p) => !p.startsWith('dist/') && ![...docs, 'README.md', 'LICENSE', 'CHANGELOG.md', 'package.json'].includes(p));
    expect(outside).toEqual([]);
    for (const p of ['README.md', 'LICENSE', 'CHANGELOG.md', 'package.json']) expect(paths.has(p), p).toBe(true);
    expect([...paths].filter((p) => p.startsWith('dist/') && !/\.(js|cjs|d\.ts|d\.cts)$/.test(p))).toEqual([]);
  });

  it('has no source maps', () => {
    expect([...paths].filter((p) => p.endsWith('.map'))).toEqual([]);
    for (const f of pack.files.filter((x) => /\.(c?js)$/.test(x.path))) {
      expect(readFileSync(join(repoRoot, f.path), 'utf8'), f.path).not.toMatch(/\/\/# sourceMappingURL=/);
    }
  });

  it('holds every file that exports, main, module, types and bin point to', () => {
    const named = [...targets(pkg.exports).filter((t) => t !== './package.json'), pkg.main, pkg.module, pkg.types, ...Object.values(pkg.bin)];
    expect(named.length).toBeGreaterThan(8);
    for (const t of named) expect(paths.has(t.replace(/^\.\//, '')), t).toBe(true);
    // the worker pool loads worker.js / worker.cjs beside the bundle
    expect(paths.has('dist/worker.js') && paths.has('dist/worker.cjs')).toBe(true);
  });

  it('stays small: under 600 kB packed and 2.5 MB unpacked (measured 548 kB and 2.02 MB; 1.1 MB packed with source maps)', () => {
    expect(pack.size).toBeLessThan(600_000);
    expect(pack.unpackedSize).toBeLessThan(2_500_000);
  });

  it('builds before packing (prepack)', () => {
    expect(pkg.scripts['prepack']).toMatch(/\b(npm run build|tsup)\b/);
  });
});
