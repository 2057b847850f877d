/**
 * `--workers`: the command reads files through the worker pool, and the
 * reports do not depend on how many workers read them.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli, tempDir } from './helpers.js';
import { BROKEN, SEASON, writeSeason } from './season.js';

// Each test starts the command several times; on a busy 2-core machine that can take a while.
vi.setConfig({ testTimeout: 180_000 });

const tmp = tempDir('cli-workers');
const cwd = tmp.dir;
const cores = availableParallelism();

beforeAll(() => {
  writeSeason(join(cwd, 'season'));
});
afterAll(() => tmp.remove());

/** The `STRIDEWISE_STATS=1` line: workers requested, started, used. */
function statsOf(stderr: string): { requested: number; started: number; used: number; files: number } {
  const m = /stridewise: stats: (\d+) workers requested, (\d+) started, (\d+) used \(threads\), (\d+) files/.exec(stderr);
  if (m === null) throw new Error(`no stats line in stderr:\n${stderr}`);
  return { requested: Number(m[1]), started: Number(m[2]), used: Number(m[3]), files: Number(m[4]) };
}

describe('--workers', () => {
  it('gives byte-identical JSON, text and HTML reports with 1 and 2 workers', () => {
    // the season has broken files, a zip, a gzip and a hilly run: errors, duplicates and the profile all show up
    const variants: readonly (readonly string[])[] = [
      ['season', '--json', '-'],
      ['season', 'season/runs', '--json', '-', '--since', '2026-03-09', '--until', '2026-04-20', '--tz', 'Europe/Zurich'],
      ['season', '--html', '-', '--units', 'mi'],
      ['season'],
    ];
    let twoWorkersJson = '';
    for (const args of variants) {
      const one = runCli([...args, '--workers', '1'], { cwd, env: { STRIDEWISE_STATS: '1' } });
      const two = runCli([...args, '--workers', '2'], { cwd, env: { STRIDEWISE_STATS: '1' } });
      if (args === variants[0]) twoWorkersJson = two.stdout;
      expect(one.status, one.stderr).toBe(0);
      expect(two.status, two.stderr).toBe(0);
      expect(one.stdout.length).toBeGreaterThan(1000);
      expect(two.stdout).toBe(one.stdout);
      // the work really was shared differently: all in the main thread, then in worker threads
      expect(statsOf(one.stderr)).toMatchObject({ requested: 1, started: 0, used: 1 });
      expect(statsOf(two.stderr)).toMatchObject({ requested: 2 });
      expect(statsOf(two.stderr).started).toBeGreaterThanOrEqual(1);
    }
    // the JSON also holds what the workers computed beside the summaries: the profile of the hilly run
    // (the first variant's run with 2 workers: `season --json -`)
    const report = JSON.parse(twoWorkersJson) as {
      activities: unknown[];
      errors: unknown[];
      cadenceDistribution: { timeS: number[] } | null;
      elevationProfile: { activityId: string; chosenBy: string; distanceM: number[] } | null;
    };
    expect(report.errors).toHaveLength(BROKEN.length);
    expect(report.activities.length).toBeGreaterThanOrEqual(SEASON.length - 1);
    expect(report.elevationProfile?.chosenBy).toBe('most-descent');
    // at most 400 points (the bound of the profile a worker sends back)
    expect(report.elevationProfile!.distanceM.length).toBeGreaterThan(1);
    expect(report.elevationProfile!.distanceM.length).toBeLessThanOrEqual(400);
    expect(report.cadenceDistribution!.timeS.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  });

  it.skipIf(cores < 2)('uses more than one worker by default on a multi-core machine', () => {
    const r = runCli(['season', 'season/runs', '--json', '-'], { cwd, env: { STRIDEWISE_STATS: '1' } });
    expect(r.status, r.stderr).toBe(0);
    const stats = statsOf(r.stderr);
    expect(stats.requested).toBe(cores); // auto = one per core
    expect(stats.started).toBeGreaterThanOrEqual(2);
    expect(stats.used).toBeGreaterThanOrEqual(2);
    // the stats stay out of the report: it is the same as with one worker
    expect(r.stdout).toBe(runCli(['season', 'season/runs', '--json', '-', '--workers', '1'], { cwd }).stdout);
  });

  it('refuses a bad worker count before reading anything', () => {
    for (const bad of ['0', '-1', '1.5', 'many', '257']) {
      const r = runCli(['season', `--workers=${bad}`], { cwd });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`--workers "${bad}": expected auto or a whole number from 1 to 256`);
      expect(r.stdout).toBe('');
    }
  });
});
