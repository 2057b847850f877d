/**
 * The analysis on real files: every activity of the corpus summarised without
 * NaN, and for runs recorded with a barometric altimeter, ascent and descent
 * within 10 % of the device's own session totals. Writes a per-file table
 * (device vs computed ascent, descent, distance, cadence) to
 * tests/.output/analysis-corpus.{tsv,md}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Activity } from '../../src/activity.js';
import { summarizeActivity, type ActivitySummary } from '../../src/analysis/index.js';
import { parseActivities } from '../../src/parse/index.js';
import { corpusAvailable, corpusSkipReason, readCorpusFile, readManifest, repoRoot } from '../helpers/corpus.js';
import { nonFinitePaths } from './helpers.js';

/** Devices with a barometric altimeter (Garmin specifications); TomTom Runner and FR735XT have none. */
const BARO_DEVICE = /fenix ?[2-7]|fenix\d|fr935|fr945|fr955|fr965|fr920xt|fr255|vivoactive 3/i;
/** Allowed gap to the device: 10 %, or 5 m where 10 % is under the 3 m deadband's reach (totals of ~30 m). */
const allowedM = (deviceM: number): number => Math.max(0.1 * deviceM, 5);

interface Row {
  readonly file: string;
  readonly index: number;
  readonly device: string;
  readonly activity: Activity;
  readonly summary: ActivitySummary;
  readonly ms: number;
}

const fmt = (x: number | null | undefined, digits = 0): string => (x === null || x === undefined || !Number.isFinite(x) ? '' : x.toFixed(digits));
const pct = (got: number | null | undefined, dev: number | undefined): string =>
  got === null || got === undefined || dev === undefined || dev === 0 ? '' : `${((got / dev - 1) * 100).toFixed(1)}`;

describe.skipIf(!corpusAvailable)(`analysis on the real-file corpus (skipped when absent: ${corpusSkipReason})`, () => {
  const rows: Row[] = [];
  const failures: string[] = [];

  beforeAll(async () => {
    for (const m of readManifest()) {
      const file = m.path!;
      let acts: Activity[];
      try {
        acts = await parseActivities(readCorpusFile(file), { fileName: file });
      } catch (e) {
        failures.push(`${file}: ${(e as Error).message}`);
        continue;
      }
      acts.forEach((a, index) => {
        const t0 = performance.now();
        const summary = summarizeActivity(a);
        rows.push({ file, index, device: m.device_or_creator_if_known ?? '', activity: a, summary, ms: performance.now() - t0 });
      });
    }
    const header = ['file', 'session', 'device', 'sport', 'altitude', 'noise m', 'ascent dev', 'ascent ours', 'Δ%', 'descent dev', 'descent ours', 'Δ%', 'dist dev m', 'dist ours m', 'cad dev spm', 'cad ours spm', 'downhills', 'ms', 'quality'];
    const lines = rows.map((r) => {
      const d = r.activity.deviceSummary;
      const s = r.summary;
      return [
        r.file,
        String(r.index),
        r.device,
        `${s.sport}/${s.subSport}`,
        s.elevation.source,
        fmt(s.elevation.altitudeNoiseM, 2),
        fmt(d.ascentM),
        fmt(s.elevation.ascentM),
        pct(s.elevation.ascentM, d.ascentM),
        fmt(d.descentM),
        fmt(s.elevation.descentM),
        pct(s.elevation.descentM, d.descentM),
        fmt(d.totalDistanceM),
        fmt(s.distanceM),
        fmt(d.avgCadenceSpm, 1),
        fmt(s.cadence.avgSpm, 1),
        String(s.downhillSegments.length),
        fmt(r.ms),
        s.quality.map((q) => q.code).join(' '),
      ];
    });
    const out = join(repoRoot, 'tests', '.output');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'analysis-corpus.tsv'), [header, ...lines].map((l) => l.join('\t')).join('\n') + '\n');
    const md = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...lines.map((l) => `| ${l.join(' | ')} |`)];
    writeFileSync(join(out, 'analysis-corpus.md'), md.join('\n') + '\n' + (failures.length ? `\nNot parsed:\n${failures.map((f) => `- ${f}`).join('\n')}\n` : ''));
  }, 120_000);

  it('summarises every parsed activity with no NaN or Infinity', () => {
    expect(rows.length).toBeGreaterThan(30);
    for (const r of rows) expect(nonFinitePaths(r.summary), `${r.file}#${r.index}`).toEqual([]);
  });

  it('barometric runs: ascent and descent within 10 % (or 5 m) of the device totals', () => {
    const baroRuns = rows.filter(
      (r) =>
        r.activity.sport === 'running' &&
        BARO_DEVICE.test(r.device) &&
        r.activity.deviceSummary.ascentM !== undefined &&
        r.activity.deviceSummary.descentM !== undefined &&
        r.activity.deviceSummary.ascentM + r.activity.deviceSummary.descentM >= 40,
    );
    expect(baroRuns.length).toBeGreaterThanOrEqual(8);
    for (const r of baroRuns) {
      const d = r.activity.deviceSummary;
      const s = r.summary.elevation;
      expect(s.source, r.file).toBe('baro');
      expect(Math.abs(s.ascentM! - d.ascentM!), `${r.file}#${r.index} ascent ${s.ascentM} vs ${d.ascentM}`).toBeLessThanOrEqual(allowedM(d.ascentM!));
      expect(Math.abs(s.descentM! - d.descentM!), `${r.file}#${r.index} descent ${s.descentM} vs ${d.descentM}`).toBeLessThanOrEqual(allowedM(d.descentM!));
    }
  });

  it('running distance agrees with the device total within 1 %', () => {
    for (const r of rows) {
      const dev = r.activity.deviceSummary.totalDistanceM;
      if (r.activity.sport !== 'running' || dev === undefined || dev < 1000) continue;
      expect(Math.abs(r.summary.distanceM - dev), r.file).toBeLessThanOrEqual(0.01 * dev);
    }
  });

  it('summarising a long real run stays fast (fenix 6 trail run, 5.2 h)', () => {
    const r = rows.find((x) => x.file === 'elevate/loup-blanc.fit');
    if (r === undefined) return;
    const t0 = performance.now();
    summarizeActivity(r.activity);
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
