/**
 * Same input → byte-identical JSON, whatever order the files were created in
 * a folder, whatever order the entries sit in an archive, and whatever the
 * number of worker threads. Checked on the report JSON the command writes
 * (`runAnalysis` + `renderJson`) and on `analyzeExport` (without its
 * `stats`, which describe the machine).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { gzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeFitActivity, FIT_FILE_TYPE, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { encodeTcx } from '../../fixtures/lib/tcx-writer.js';
import { runAnalysis } from '../../src/cli/run.js';
import { analyzeExport } from '../../src/node/pipeline.js';
import { renderJson } from '../../src/report/index.js';
import { fuzzSeed } from './harness.js';

const enc = new TextEncoder();

/** Ten files over three weeks: runs in three formats (one gzip), a duplicate run, a wellness file and two broken files. */
function files(): [string, Uint8Array][] {
  const out: [string, Uint8Array][] = [];
  for (let i = 0; i < 6; i++) {
    const start = new Date(Date.UTC(2024, 4, 1 + i * 3, 6, 0, 0));
    const s = steadyRunSamples({ seconds: 600 + i * 60, speedMps: 2.8 + i * 0.1, cadenceSpm: 160 + i * 3, altitudeM: 100 + i });
    if (i % 3 === 0) out.push([`runs/r${i}.fit`, encodeFitActivity({ startTime: start, samples: s })]);
    else if (i % 3 === 1) out.push([`runs/r${i}.gpx.gz`, gzipSync(enc.encode(encodeGpx({ startTime: start, sport: 'running', ...s })))]);
    else out.push([`runs/r${i}.tcx`, enc.encode(encodeTcx({ startTime: start, sport: 'running', ...s }))]);
  }
  out.push(['runs/copy-of-r0.fit', out[0]![1]]);
  out.push(['wellness/w.fit', encodeFitActivity({ startTime: new Date('2024-05-02T00:00:00Z'), samples: { timeS: [] }, sessions: [], writeActivity: false, fileType: FIT_FILE_TYPE.monitoringB })]);
  out.push(['broken/cut.gpx', enc.encode('<?xml version="1.0"?><gpx version="1.1"><trk><trkseg></trk>')]);
  out.push(['broken/noise.fit', enc.encode('noise')]);
  return out;
}

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

async function reportJson(path: string): Promise<string> {
  const { report } = await runAnalysis({
    paths: [path],
    heightM: null,
    timeZone: 'Europe/Berlin',
    since: null,
    until: null,
    minCadenceSpm: null,
    maxWeeklyIncreaseRatio: null,
    ruleOptions: {},
    profileRun: null,
    generator: { name: 'stridewise', version: 'test' },
    workers: 'auto',
  });
  return renderJson(report);
}

async function exportJson(path: string, workers: number): Promise<string> {
  const { stats, ...rest } = await analyzeExport(path, { workers, analysis: { timeZone: 'Europe/Berlin' } });
  void stats;
  return JSON.stringify(rest);
}

describe('determinism: same input, byte-identical JSON', () => {
  const all = files();
  const orders = fc.sample(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), { numRuns: 2, seed: fuzzSeed() });

  it('a folder whose files were created in 3 different orders (as listed and two shuffles) gives one report', async () => {
    const root = mkdtempSync(join(tmpdir(), 'stridewise-det-'));
    roots.push(root);
    const dir = join(root, 'export');
    const outputs = new Set<string>();
    for (const order of [all, ...orders]) {
      rmSync(dir, { recursive: true, force: true });
      for (const [name, bytes] of order) {
        mkdirSync(join(dir, name, '..'), { recursive: true });
        writeFileSync(join(dir, name), bytes);
      }
      outputs.add(await reportJson(dir));
    }
    expect(outputs.size).toBe(1);
    const report = JSON.parse([...outputs][0]!) as { activities: unknown[]; errors: unknown[] };
    expect(report.activities.length).toBeGreaterThanOrEqual(6);
    expect(report.errors.length).toBeGreaterThanOrEqual(2);
  });

  it('a zip whose entries sit in 3 different orders (as listed and two shuffles) gives one report and one analyzeExport result', async () => {
    const root = mkdtempSync(join(tmpdir(), 'stridewise-det-'));
    roots.push(root);
    const zipPath = join(root, 'export.zip');
    const reports = new Set<string>();
    const exports = new Set<string>();
    for (const order of [all, ...orders]) {
      const entries: Record<string, [Uint8Array, { level: 6 }]> = {};
      for (const [name, bytes] of order) entries[name] = [bytes, { level: 6 }];
      writeFileSync(zipPath, zipSync(entries));
      reports.add(await reportJson(zipPath));
      exports.add(await exportJson(zipPath, 1));
    }
    expect(reports.size, 'report JSON').toBe(1);
    if (exports.size > 1) {
      const [a, b] = [...exports].map((x) => JSON.parse(x) as Record<string, unknown>);
      for (const k of Object.keys(a!)) if (JSON.stringify(a![k]) !== JSON.stringify(b![k])) console.log('analyzeExport differs in', k, JSON.stringify(a![k]).slice(0, 300), '\n vs', JSON.stringify(b![k]).slice(0, 300));
    }
    expect(exports.size, 'analyzeExport JSON').toBe(1);
  });

  it('analyzeExport gives the same JSON with 1, 2 and 3 worker threads', async () => {
    const root = mkdtempSync(join(tmpdir(), 'stridewise-det-'));
    roots.push(root);
    const dir = join(root, 'export');
    for (const [name, bytes] of all) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), bytes);
    }
    const outputs = new Set<string>();
    for (const workers of [1, 2, 3]) outputs.add(await exportJson(dir, workers));
    expect(outputs.size).toBe(1);
  });
});
