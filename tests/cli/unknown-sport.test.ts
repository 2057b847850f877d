/**
 * Activities without a sport in the file: the data decide where they can (a
 * GPX run without `<type>` is a run, a ride a ride); `--unknown-sport-as`
 * decides only what stays unknown, and the report says how many did.
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

const untyped = (name: string, day: string, seconds: number, speedMps: number, cadenceSpm: number): string => {
  const file = join(dir, name);
  const s = steadyRunSamples({ seconds, speedMps, cadenceSpm });
  // cadence NaN: written without cadence
  const samples = Number.isNaN(cadenceSpm) ? { ...s, cadenceSpm: s.cadenceSpm.map(() => Number.NaN) } : s;
  writeFileSync(file, encodeGpx({ startTime: new Date(`${day}T06:00:00Z`), sport: 'running', ...samples }, { writeType: false }));
  return file;
};
// 20 minutes at 3 m/s = 3,600 m at 170 steps/min: a run by its data.
const run = untyped('run.gpx', '2025-04-01', 1200, 3, 170);
// 30 minutes at 2.1 m/s without cadence = 3,780 m: a walk or a jog, the data cannot tell.
const unclear = untyped('unclear.gpx', '2025-04-02', 1800, 2.1, Number.NaN);
// 2 hours at 25 km/h without cadence = 50 km: a ride, never a run.
const ride = untyped('ride.gpx', '2025-04-03', 7200, 25 / 3.6, Number.NaN);

type Json = {
  period: { runs: number; runningDistanceM: number };
  activities: { file: string; sport: string; sportSource: string; sportConfidence?: number; activityClass: string }[];
};
function runCli(files: string[], extra: string[]): { status: number | null; report: Json; text: string } {
  const args = [cliPath, ...files, '--workers', '1', ...extra];
  const env = { ...process.env, CI: 'true' };
  const r = spawnSync(process.execPath, [...args, '--json', '-'], { encoding: 'utf8', env });
  const t = spawnSync(process.execPath, args, { encoding: 'utf8', env });
  return { status: r.status, report: r.status === 0 ? JSON.parse(r.stdout) : (undefined as never), text: t.stdout };
}
const byFile = (report: Json, file: string): Json['activities'][number] => report.activities.find((a) => a.file?.endsWith(file))!;

describe('--unknown-sport-as and sport inference', () => {
  it('by default the run is inferred and counted, the ride is a ride, the unclear one is left out and reported', () => {
    const { status, report, text } = runCli([run, unclear, ride], []);
    expect(status).toBe(0);
    expect(byFile(report, 'run.gpx')).toMatchObject({ sport: 'running', sportSource: 'inferred', activityClass: 'running' });
    expect(byFile(report, 'ride.gpx')).toMatchObject({ sport: 'cycling', sportSource: 'inferred', activityClass: 'low-impact' });
    expect(byFile(report, 'unclear.gpx')).toMatchObject({ sport: 'generic', sportSource: 'unknown', activityClass: 'other' });
    expect(report.period.runs).toBe(1);
    expect(report.period.runningDistanceM).toBeCloseTo(3600, -1);
    expect(text).toContain('1 activity had no known sport (not in the file, export, name or data) and was left out of the running load (--unknown-sport-as running counts it as a run)');
    expect(text).toContain('Sports not stated in the files: 2 inferred from speed and cadence.');
  });

  it('running counts only what stayed unknown as a run: 3,600 + 3,780 m, never the 50 km ride', () => {
    const { status, report, text } = runCli([run, unclear, ride], ['--unknown-sport-as', 'running']);
    expect(status).toBe(0);
    expect(byFile(report, 'unclear.gpx')).toMatchObject({ sport: 'generic', activityClass: 'running' });
    expect(byFile(report, 'ride.gpx')).toMatchObject({ sport: 'cycling', activityClass: 'low-impact' });
    expect(report.period.runs).toBe(2);
    expect(report.period.runningDistanceM).toBeCloseTo(7380, -1);
    expect(text).toContain('1 activity had no known sport (not in the file, export, name or data) and was counted as a run (--unknown-sport-as running)');
  });

  it('a value outside running|walking|other is a usage error', () => {
    const r = spawnSync(process.execPath, [cliPath, run, '--unknown-sport-as', 'swimming'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--unknown-sport-as/);
  });
});
