/**
 * Importing `stridewise` or `stridewise/node` defines no globals, adds no
 * process listeners and starts nothing (no timer, socket, file handle or
 * worker), checked in fresh Node processes: from the TypeScript sources
 * always, and from the built package (ESM and CJS) when `dist/` exists.
 * Reading a zip and running the worker pipeline leave nothing running either.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeFitActivity, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { repoRoot } from '../helpers/corpus.js';

const probe = fileURLToPath(new URL('./import-probe.mjs', import.meta.url));
const distBuilt = existsSync(join(repoRoot, 'dist', 'index.js')) && existsSync(join(repoRoot, 'dist', 'node.cjs'));
if (!distBuilt) console.warn('[stridewise tests] side effects of the built package not checked: dist/ is missing (build with npx tsup)');

const work = mkdtempSync(join(tmpdir(), 'stridewise-import-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface ProbeResult {
  exports: [number, number];
  added: string[];
  removed: string[];
  resourcesBefore: string[];
  resourcesAfter: string[];
  listenersBefore: Record<string, number>;
  listenersAfter: Record<string, number>;
  loaded: number | null;
  resourcesAfterRun: string[] | null;
}

function runProbe(mode: string, path?: string): ProbeResult {
  // cwd outside the repository: the package must resolve through its own exports map, not the cwd
  const r = spawnSync(process.execPath, [probe, mode, ...(path !== undefined ? [path] : [])], { cwd: work, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, `${mode}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as ProbeResult;
}

function expectNoSideEffects(r: ProbeResult): void {
  expect(r.exports[0]).toBeGreaterThan(10);
  expect(r.exports[1]).toBeGreaterThan(r.exports[0]);
  expect(r.added).toEqual([]);
  expect(r.removed).toEqual([]);
  expect(r.resourcesAfter).toEqual(r.resourcesBefore);
  expect(r.listenersAfter).toEqual(r.listenersBefore);
}

describe('importing starts nothing and defines no globals', () => {
  it('from the sources', () => {
    expectNoSideEffects(runProbe('src'));
  });

  it.skipIf(!distBuilt)(`from the built package, ESM${distBuilt ? '' : ' (skipped: dist/ missing)'}`, () => {
    expectNoSideEffects(runProbe('dist-esm'));
  });

  it.skipIf(!distBuilt)(`from the built package, CJS${distBuilt ? '' : ' (skipped: dist/ missing)'}`, () => {
    expectNoSideEffects(runProbe('dist-cjs'));
  });

  it('reading a zip and running the 2-worker pipeline leave no handle, timer or worker behind (and the process exits by itself)', () => {
    const fit = encodeFitActivity({ startTime: new Date('2024-05-27T06:00:00Z'), samples: steadyRunSamples({ seconds: 60, speedMps: 3, cadenceSpm: 170 }) });
    const zip = join(work, 'export.zip');
    writeFileSync(zip, zipSync({ 'a.fit': fit, 'in.zip': zipSync({ 'b.fit': fit }) }));
    const r = runProbe('src', zip);
    // 2 activities from loadActivities + 1 distinct summary from analyzeExport (the two files are one activity)
    expect(r.loaded).toBe(3);
    expect(r.resourcesAfterRun).toEqual(r.resourcesBefore);
  });
});
