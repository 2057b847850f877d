/**
 * The built command, run as a user runs it (`node dist/cli.js`), on a
 * generated season with planted truths (tests/cli/season.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORT_JSON_SCHEMA } from '../../src/report/schema.js';
import { cliPath, runCli, runCliInterrupted, tempDir } from './helpers.js';
import { BROKEN, recordingOf, SEASON } from './season.js';
import { useCliSeason } from './season-cli.js';

const { cwd, files, runFiles, json } = useCliSeason();

describe('help, version and usage errors', () => {
  it('--help prints the usage with every option and exits 0', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    for (const option of ['--json', '--html', '--height', '--min-cadence', '--max-weekly-increase', '--tz', '--since', '--until', '--units', '--rules', '--fail-on']) {
      expect(r.stdout).toContain(option);
    }
    expect(r.stdout).toContain('Exit status: 0 done, 1 findings at or above --fail-on, 2 usage error');
  });

  it('--version prints the version of package.json', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    const r = runCli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${pkg.version}\n`);
    expect(runCli(['-V']).stdout).toBe(`${pkg.version}\n`);
  });

  it('--json-schema prints the schema the JSON report follows', () => {
    const r = runCli(['--json-schema']);
    expect(r.status).toBe(0);
    const schema = JSON.parse(r.stdout) as { $schema: string; required: string[] };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(expect.arrayContaining(['schemaVersion', 'activities', 'weeks', 'findings', 'errors']));
    expect(schema).toEqual(JSON.parse(JSON.stringify(REPORT_JSON_SCHEMA)));
  });

  it('no path: a short usage message, no stack trace, exit 2', () => {
    const r = runCli([]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^usage: stridewise \[options\]/);
    expect(r.stderr.split('\n').length).toBeLessThan(6);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [['--bogus', 'x.fit'], /Unknown option '--bogus'/],
    [['x.fit', '--units', 'furlongs'], /--units "furlongs": expected km or mi/],
    [['x.fit', '--fail-on', 'danger'], /--fail-on "danger": expected caution or warning/],
    [['x.fit', '--height'], /--height/],
    [['x.fit', '--height', '5kg'], /--height "5kg": not a length with a unit; write it as one of 1\.78m, 178cm, 1780mm, 5ft10in/],
    [['x.fit', '--height', '3m'], /3\.00 m is outside 1\.00–2\.50 m/],
    [['x.fit', '--min-cadence', 'fast'], /--min-cadence "fast": expected a step rate between 120 and 220 steps per minute \(both feet\), written 170, 170spm/],
    [['x.fit', '--max-weekly-increase', '10'], /ambiguous .* write it as 10%, 10 %, 0\.1/],
    [['x.fit', '--max-weekly-increase', 'lots'], /--max-weekly-increase "lots": not a percentage/],
    [['x.fit', '--tz', 'Mars/Olympus'], /--tz "Mars\/Olympus": not a time zone/],
    [['x.fit', '--since', '2026-02-30'], /--since "2026-02-30": expected a date written YYYY-MM-DD/],
    [['x.fit', '--since', '2026-04-01', '--until', '2026-03-01'], /--since 2026-04-01 is after --until 2026-03-01/],
    [['x.fit', '--json', '-', '--html', '-'], /cannot both go to standard output/],
    [['x.fit', '--rules', 'missing-rules.json'], /--rules missing-rules\.json: no such file/],
    [['x.fit', '--html=season/'], /--html season\/: is a folder; give a file name/],
    [['x.fit', '--json=season'], /--json season: is a folder/],
  ])('%j is a usage error (exit 2) with a message that says what to write', (args, message) => {
    const r = runCli(args, { cwd });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });
});

describe('a batch with broken files in it', () => {
  it('analyses every good file, lists each broken one with its reason, exits 0', () => {
    const r = runCli(['season'], { cwd });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Files that could not be read (${BROKEN.length})`);
    for (const b of BROKEN) expect(r.stdout).toContain(`season/${b.file}: ${b.code}: `);
    expect(r.stdout).toContain(`${SEASON.length} activities, ${SEASON.length} runs`);
  });

  it('JSON: one activity per planted run with its distance, one error per broken file', () => {
    const report = json(['season']);
    expect(report.activities.map((a) => a.localDate)).toEqual(SEASON.map((r) => r.date));
    for (const [i, planted] of SEASON.entries()) {
      const rec = recordingOf(planted);
      const plantedM = rec.distanceM![rec.distanceM!.length - 1]!; // last cumulative distance written
      expect(Math.abs(report.activities[i]!.distanceM - plantedM)).toBeLessThan(plantedM * 0.005);
    }
    expect(report.errors.map((e) => [e.file, e.code])).toEqual(BROKEN.map((b) => [`season/${b.file}`, b.code]).sort());
    // The zip entry is named inside its archive.
    expect(report.activities.some((a) => a.file === 'season/export.zip!activities/2026-03-25.gpx.gz')).toBe(true);
    // Strava's GPX in the zip stores steps, the others strides: both end up at 170 spm.
    const zipped = report.activities.find((a) => a.localDate === '2026-03-25')!;
    expect(zipped.cadence.unitDetected).toBe('steps');
    expect(zipped.cadence.avgSpm).toBeCloseTo(170, 0);
  });

  it('only broken files: they are listed and the exit status is 3', () => {
    const r = runCli(BROKEN.map((b) => `season/${b.file}`), { cwd });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('no activity could be analysed');
    for (const b of BROKEN) expect(r.stdout).toContain(b.code);
  });

  it('a path that does not exist is listed as FILE_NOT_FOUND and does not stop the batch', () => {
    const report = json(['season/runs/2026-03-02.gpx', 'season/nope.fit']);
    expect(report.activities).toHaveLength(1);
    expect(report.errors).toEqual([expect.objectContaining({ file: 'season/nope.fit', code: 'FILE_NOT_FOUND' })]);
  });
});

describe('text summary', () => {
  const text = (): string => runCli(['season'], { cwd }).stdout;

  it('has the period, weekly distance with changes, cadence, downhill, findings by severity', () => {
    const t = text();
    expect(t).toMatch(/Period: 2026-03-02 to 2026-03-28: 11 activities, 11 runs, 73\.0 km/); // 72.99 km planted (sum of runs)
    // Week of 03-23: 5 + 5 + 16 = 26 km after 15 km: +73 %, over 10 %, and the 16 km spike.
    expect(t).toMatch(/2026-03-23 +26\.0 +\+73 % +#+ +! over 10 %, session spike/);
    expect(t).toContain('Cadence and step length');
    // named as the running cadence; the season's runs are all running, so no share of moving time is added
    expect(t).toMatch(/Running cadence 169 spm over 11 runs \(run averages 160–170 spm\)/);
    expect(t).toMatch(/Hilliest run: 2026-03-21 .*2026-03-21-hills\.fit: 3\d\d m down over 10\.0 km/);
    expect(t.indexOf('CAUTION')).toBeLessThan(t.indexOf('INFO'));
    expect(t).toMatch(/\[session-spike\] This 16\.0 km run was 1\.6× your longest run/);
  });

  it('--units mi shows miles and feet', () => {
    const t = runCli(['season', '--units', 'mi'], { cwd }).stdout;
    expect(t).toMatch(/45\.4 mi running/); // 72 990 m / 1609.344 = 45.35 mi
    expect(t).toMatch(/Weekly running distance \(mi\)/);
    expect(t).toMatch(/Descent 1,0\d\d ft/); // ≈ 330 m / 0.3048 ≈ 1,083 ft
  });

  it('no progress bar or escape codes when stderr is a pipe', () => {
    const r = runCli(['season'], { cwd });
    expect(r.stderr).not.toContain('\r');
    expect(r.stderr).not.toContain('\u001b[');
    expect(r.stdout).not.toContain('\u001b[');
  });
});

/** util-linux `script` runs a command on a pseudo-terminal: the way to see what a person at a terminal sees. */
const scriptAvailable = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

describe.skipIf(!scriptAvailable)('progress bar on a terminal (util-linux script gives the command a TTY)', () => {
  const onTty = (env: Record<string, string>): string => {
    const r = spawnSync('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} season > /dev/null`, '/dev/null'], {
      cwd,
      env: { ...process.env, ...env, COLUMNS: '100' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return r.stdout;
  };

  it('is drawn on stderr when it is a terminal, counting files up to the total, then cleared', () => {
    const out = onTty({ CI: '' });
    const total = SEASON.length + BROKEN.length;
    expect(out).toMatch(new RegExp(`\\r\\u001b\\[2Kstridewise \\[#+\\] ${total}/${total} files`));
    // Cleared after the last draw: a line-clear comes after the last "files".
    expect(out.lastIndexOf('\r\u001b[2K')).toBeGreaterThan(out.lastIndexOf(' files'));
  });

  it('is not drawn under CI even on a terminal', () => {
    expect(onTty({ CI: 'true' })).not.toContain('stridewise [');
  });
});


describe('HTML report file', () => {
  it('--html writes one self-contained file, and the default name when none is given', () => {
    const r = runCli(['season', '--html', 'html/report.html'], { cwd });
    expect(r.status).toBe(0);
    const html = readFileSync(join(cwd, 'html', 'report.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    // its own inline script only (run views, period choice); nothing loaded, links only within the page
    expect(html.match(/<script\b[^>]*>/gi)).toEqual(['<script type="application/json" id="run-data">', '<script>']);
    expect(html).not.toMatch(/\ssrc=|\shref="[^#]|url\(/i);
    const d = runCli(['season/runs/2026-03-02.gpx', '--html'], { cwd });
    expect(d.stderr).toContain('HTML report written to stridewise-report.html');
    expect(existsSync(join(cwd, 'stridewise-report.html'))).toBe(true);
  });

  it('a report that cannot be written is said so, and the exit status is 3', () => {
    writeFileSync(join(cwd, 'a-file'), 'not a folder');
    const r = runCli(['season/runs/2026-03-02.gpx', '--html', 'a-file/report.html'], { cwd });
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/cannot write the HTML report to a-file\/report\.html \((ENOTDIR|EEXIST)\)/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--html - writes the page to stdout instead of the text summary', () => {
    const r = runCli(['season/runs/2026-03-02.gpx', '--html', '-'], { cwd });
    expect(r.stdout.startsWith('<!doctype html>')).toBe(true);
    expect(r.stdout).not.toContain('stridewise summary');
  });

  it('Ctrl-C at any moment leaves either no report or a complete one, and no temporary file', async () => {
    for (const afterMs of [50, 250, 450, 650, 900]) {
      const out = tempDir('sigint');
      try {
        const r = await runCliInterrupted([join(cwd, 'season'), '--html', join(out.dir, 'r.html'), '--json', join(out.dir, 'r.json')], out.dir, afterMs);
        const left = readdirSync(out.dir);
        expect(left.filter((f) => f.includes('.tmp'))).toEqual([]);
        if (left.includes('r.html')) expect(readFileSync(join(out.dir, 'r.html'), 'utf8').trimEnd().endsWith('</html>')).toBe(true);
        if (left.includes('r.json')) expect(() => JSON.parse(readFileSync(join(out.dir, 'r.json'), 'utf8'))).not.toThrow();
        // Interrupted by our handler (130), by the default action before the handler was set up, or finished first.
        if (r.status === 130) expect(r.stderr).toContain('interrupted');
        else if (r.signal !== null) expect(r.signal).toBe('SIGINT');
        else expect(r.status).toBe(0);
      } finally {
        out.remove();
      }
    }
  }, 180_000);
});
