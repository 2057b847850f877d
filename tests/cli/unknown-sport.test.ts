/**
 * `--unknown-sport-as`: a GPX without `<type>` has no sport (`generic`), which
 * the history does not count as running unless the runner says so.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { cliPath } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'stridewise-unknown-sport-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// 20 minutes at 3 m/s = 3,600 m, written without <type>.
const file = join(dir, 'untyped.gpx');
writeFileSync(
  file,
  encodeGpx({ startTime: new Date('2025-04-01T06:00:00Z'), sport: 'running', ...steadyRunSamples({ seconds: 1200, speedMps: 3, cadenceSpm: 170 }) }, { writeType: false }),
);

function runJson(extra: string[]): { status: number | null; report: { period: { runs: number; runningDistanceM: number }; activities: { sport: string; activityClass: string }[] } } {
  const r = spawnSync(process.execPath, [cliPath, file, '--json', '-', '--workers', '1', ...extra], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { status: r.status, report: r.status === 0 ? JSON.parse(r.stdout) : (undefined as never) };
}

describe('--unknown-sport-as', () => {
  it('by default a GPX without a sport is not counted as a run', () => {
    const { status, report } = runJson([]);
    expect(status).toBe(0);
    expect(report.activities[0]).toMatchObject({ sport: 'generic', activityClass: 'other' });
    expect(report.period.runs).toBe(0);
  });

  it('running counts it as a run of 3,600 m (20 min at 3 m/s)', () => {
    const { status, report } = runJson(['--unknown-sport-as', 'running']);
    expect(status).toBe(0);
    expect(report.activities[0]).toMatchObject({ sport: 'generic', activityClass: 'running' });
    expect(report.period.runs).toBe(1);
    expect(report.period.runningDistanceM).toBeCloseTo(3600, -1);
  });

  it('a value outside running|walking|other is a usage error', () => {
    const r = spawnSync(process.execPath, [cliPath, file, '--unknown-sport-as', 'swimming'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--unknown-sport-as/);
  });
});
