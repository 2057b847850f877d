/**
 * The built command on the generated season (tests/cli/season.ts): options with
 * units, mathjs loading and the JSON report. Split from cli.test.ts so the two
 * halves run side by side on a 2-core machine.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateReport } from '../report/validate.js';
import { runCli } from './helpers.js';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { recordingOf, SEASON } from './season.js';
import { type JsonReport, useCliSeason } from './season-cli.js';

const { cwd, files, runFiles, json } = useCliSeason();


describe('options with units', () => {
  it('--height 5ft10in is 1.778 m (5 × 0.3048 + 10 × 0.0254)', () => {
    // one small file is enough: only the setting the command read is checked
    const one = 'season/runs/2026-03-02.gpx';
    expect(json([one, '--height', '5ft10in']).settings['heightM']).toBe(1.778);
    expect(json([one, '--height', '178cm']).settings['heightM']).toBe(1.78);
    expect(json([one, '--height', `5'10"`]).settings['heightM']).toBe(1.778);
  });

  it('--min-cadence sets the low-cadence floor: the 160 spm run is flagged at 170 and at 165, not at 150', () => {
    const lowAt = (spm: string | null): string[] =>
      json(['season/runs', ...(spm !== null ? ['--min-cadence', spm] : [])])
        .findings.filter((f) => f.rule === 'low-cadence')
        .map((f) => f.date ?? '');
    expect(lowAt(null)).toEqual(['2026-03-23']); // rule default 170
    expect(lowAt('165spm')).toEqual(['2026-03-23']);
    expect(lowAt('150')).toEqual([]);
    expect(json(['season/runs/2026-03-02.gpx', '--min-cadence', '166 steps/min']).settings['minCadenceSpm']).toBe(166);
  });

  it('--max-weekly-increase marks weeks and sets the rule: 80% leaves no weekly-increase caution, 10% does', () => {
    const strict = json(['season', '--max-weekly-increase', '10%']);
    expect(strict.settings['maxWeeklyIncreaseRatio']).toBe(0.1);
    expect(strict.findings.some((f) => f.rule === 'weekly-increase' && f.severity === 'caution')).toBe(true);
    const lenient = json(['season', '--max-weekly-increase', '0.8']);
    expect(lenient.settings['maxWeeklyIncreaseRatio']).toBe(0.8);
    // The largest rolling 7-day rise is 20 km on 11 km (+82 %), just above 80 %, so one remains; at 90 % none.
    expect(json(['season', '--max-weekly-increase', '90%']).findings.filter((f) => f.rule === 'weekly-increase' && f.severity !== 'info')).toEqual([]);
  });

  it('--tz shifts local dates: 07:00 UTC is the previous evening in Honolulu (UTC−10)', () => {
    const r = json(['season/runs/2026-03-02.gpx', '--tz', 'Pacific/Honolulu']);
    expect(r.settings['timeZone']).toBe('Pacific/Honolulu');
    expect(r.activities[0]!.localDate).toBe('2026-03-01');
  });

  it('--since/--until limit the report; earlier runs still count as context for the spike rule', () => {
    const r = json(['season', '--since', '2026-03-21', '--until', '2026-03-27']);
    expect(r.activities.map((a) => a.localDate)).toEqual(['2026-03-21', '2026-03-23', '2026-03-25']);
    expect(r.period.firstDate).toBe('2026-03-21');
    expect(r.settings['since']).toBe('2026-03-21');
    // 03-21 is a spike only against the runs before --since (longest 6 km in the previous 30 days).
    expect(r.findings.some((f) => f.rule === 'session-spike' && f.date === '2026-03-21')).toBe(true);
    expect(r.findings.every((f) => f.date === null || (f.date >= '2026-03-21' && f.date <= '2026-03-27'))).toBe(true);
    expect(r.weeks.map((w) => w.weekStart)).toEqual(['2026-03-16', '2026-03-23']);
  });

  it('--rules: thresholds and a custom rule from a file; a bad key is a usage error', () => {
    writeFileSync(
      join(cwd, 'rules.json'),
      JSON.stringify({
        'low-cadence': false,
        customRules: [{ id: 'long-run', when: 'distanceKm > 12', severity: 'warning', message: 'Long run: {distanceKm} km.' }],
      }),
    );
    const r = json(['season', '--rules', 'rules.json']);
    expect(r.findings.filter((f) => f.rule === 'custom:long-run').map((f) => [f.date, f.severity])).toEqual([['2026-03-28', 'warning']]);
    expect(r.settings['maxWeeklyIncreaseRatio']).toBe(0.1); // the rule's default, marked in the charts
    expect(r.settings['minCadenceSpm']).toBeNull(); // no floor asked for
    writeFileSync(join(cwd, 'rules-thresholds.json'), JSON.stringify({ 'weekly-increase': { minIncreaseRatio: 0.25 }, 'low-cadence': { minCadenceSpm: 164 } }));
    const t = json(['season/runs', '--rules', 'rules-thresholds.json']);
    expect([t.settings['maxWeeklyIncreaseRatio'], t.settings['minCadenceSpm']]).toEqual([0.25, 164]);
    expect(r.findings.some((f) => f.rule === 'low-cadence')).toBe(false);
    writeFileSync(join(cwd, 'bad-rules.json'), JSON.stringify({ 'low-cadense': {} }));
    const bad = runCli(['season', '--rules', 'bad-rules.json'], { cwd });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--rules bad-rules\.json: 'low-cadense' is not a rule or option/);
    writeFileSync(join(cwd, 'not-json.json'), '{ low-cadence: off }');
    const notJson = runCli(['season', '--rules', 'not-json.json'], { cwd });
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toMatch(/not valid JSON/);
  });

  it('--fail-on: exit 1 when a finding is that severe, 0 otherwise', () => {
    const report = json(['season']);
    expect(report.findings.some((f) => f.severity === 'caution')).toBe(true);
    expect(report.findings.some((f) => f.severity === 'warning')).toBe(false);
    const one = ['--workers', '1']; // see json()
    expect(runCli(['season', '--fail-on', 'caution', ...one], { cwd }).status).toBe(1);
    // findings below the threshold (cautions here) do not fail the run; without --fail-on nothing does (tests/cli/cli.test.ts, batches)
    expect(runCli(['season', '--fail-on', 'warning', ...one], { cwd }).status).toBe(0);
    // The custom rule above adds a warning.
    expect(runCli(['season', '--rules', 'rules.json', '--fail-on', 'warning', ...one], { cwd }).status).toBe(1);
  });
});

describe('mathjs is loaded only when needed', () => {
  it('a run without values with units never resolves mathjs; --height does', () => {
    // A module hook that refuses mathjs: the command must not need it for a plain run.
    const hook = join(cwd, 'no-mathjs.mjs');
    writeFileSync(
      hook,
      `import { register } from 'node:module';\nregister('data:text/javascript,' + encodeURIComponent("export async function resolve(s, c, next) { if (s === 'mathjs' || s.startsWith('mathjs/')) throw new Error('mathjs was loaded'); return next(s, c); }"));\n`,
    );
    const nodeArgs = ['--import', pathToFileURL(hook).href];
    const plain = runCli(['season/runs', '--json', '-', '--min-cadence', '165', '--tz', 'UTC', '--since', '2026-03-01'], { cwd, nodeArgs });
    expect(plain.stderr).not.toContain('mathjs was loaded');
    expect(plain.status).toBe(0);
    const withHeight = runCli(['season/runs', '--height', '1.8m'], { cwd, nodeArgs });
    expect(withHeight.stderr).toContain('mathjs was loaded');
  });
});

describe('JSON report', () => {
  it('counts the same activity once when it is reached twice', () => {
    const once = json(['season/runs/2026-03-02.gpx']);
    const twice = json(['season/runs/2026-03-02.gpx', './season/runs/2026-03-02.gpx', 'season/runs']);
    expect(once.activities).toHaveLength(1);
    expect(twice.activities.filter((a) => a.localDate === '2026-03-02')).toHaveLength(1);
    expect(twice.activities).toHaveLength(SEASON.filter((r) => r.file.startsWith('runs/')).length);
    expect(once.duplicates).toEqual([]);
    // The same run in a second file (as in two exports): kept once, the other file listed.
    mkdirSync(join(cwd, 'copy'), { recursive: true });
    copyFileSync(join(cwd, 'season/runs/2026-03-02.gpx'), join(cwd, 'copy/morning-run.gpx'));
    const copied = json(['season/runs', 'copy']);
    expect(copied.activities).toHaveLength(twice.activities.length);
    expect(copied.duplicates).toHaveLength(1);
    expect([copied.duplicates[0]!.file, copied.duplicates[0]!.keptFile].sort()).toEqual(['copy/morning-run.gpx', 'season/runs/2026-03-02.gpx']);
  });

  it('validates against the published schema and holds the required fields', () => {
    const report = json(['season']);
    const ok = validateReport(report);
    expect(validateReport.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    expect(report.schemaVersion).toBe(2);
    expect(report.weeks.map((w) => w.weekStart)).toEqual(['2026-03-02', '2026-03-09', '2026-03-16', '2026-03-23']);
    expect(report.elevationProfile?.activityId).toBe(report.activities.find((a) => a.localDate === '2026-03-21')!.id);
  });

  it('is byte-identical across runs and across argument orders', () => {
    const forward = runCli(['--json', '-', ...files()], { cwd }).stdout;
    const again = runCli(['--json', '-', ...files()], { cwd }).stdout;
    const reversed = runCli(['--json', '-', ...[...files()].reverse()], { cwd }).stdout;
    expect(forward.length).toBeGreaterThan(1000);
    expect(again).toBe(forward);
    expect(reversed).toBe(forward);
    expect(forward).not.toMatch(/"(generatedAt|createdAt|runAt|now)"/);
  });

  it('--json file.json writes the file (and the text summary still goes to stdout)', () => {
    const r = runCli(['season/runs', '--json', 'out/report.json'], { cwd });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('stridewise summary');
    expect(r.stderr).toContain('JSON report written to out/report.json');
    const report = JSON.parse(readFileSync(join(cwd, 'out', 'report.json'), 'utf8')) as JsonReport;
    expect(report.activities).toHaveLength(runFiles.filter((f) => f.startsWith('season/runs/')).length);
    expect(readdirSync(join(cwd, 'out')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('--profile-run chooses the run of the elevation profile', () => {
    const first = json(['season/runs']).activities[0]!;
    const r = json(['season/runs', '--profile-run', first.id]);
    expect(r.elevationProfile).toMatchObject({ activityId: first.id, chosenBy: 'user' });
    const missing = runCli(['season/runs', '--json', '-', '--profile-run', 'no-such-run'], { cwd });
    expect(missing.stderr).toContain('--profile-run no-such-run: no run with that id');
    expect((JSON.parse(missing.stdout) as JsonReport).elevationProfile?.chosenBy).toBe('most-descent');
    // A run without altitude cannot be profiled: said so, and the hilliest is shown.
    const { altitudeM: _dropped, ...flat } = recordingOf({ ...SEASON[0]!, date: '2026-04-01' });
    mkdirSync(join(cwd, 'no-ele'), { recursive: true });
    writeFileSync(join(cwd, 'no-ele', 'run.gpx'), encodeGpx(flat));
    const id = json(['no-ele']).activities[0]!.id;
    const noEle = runCli(['season/runs', 'no-ele', '--json', '-', '--profile-run', id], { cwd });
    expect(noEle.stderr).toContain(`--profile-run ${id}: that run has no usable elevation; showing the hilliest run instead`);
    expect((JSON.parse(noEle.stdout) as JsonReport).elevationProfile?.chosenBy).toBe('most-descent');
  });
});
