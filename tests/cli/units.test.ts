/**
 * The command's building blocks, in process: argument parsing, values with
 * units, the progress bar and atomic report files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { PendingFiles, writeFileAtomic } from '../../src/cli/output.js';
import { createProgress, progressLine, wantsProgress } from '../../src/cli/progress.js';
import { DEFAULT_HTML_FILE, parseCommandLine, UsageError } from '../../src/cli/usage.js';
import { parseCadenceSpm, parseDate, parseHeightM, parseIncreaseRatio, parseTimeZone } from '../../src/cli/values.js';
import { tempDir } from './helpers.js';

describe('parseCommandLine', () => {
  it('--json and --html take an optional file', () => {
    const run = (argv: string[]) => {
      const p = parseCommandLine(argv);
      if (p.kind !== 'run') throw new Error('expected a run');
      return p.command;
    };
    expect(run(['a.fit', '--json'])).toMatchObject({ paths: ['a.fit'], json: '-', html: null });
    expect(run(['--json', 'out.json', 'a.fit'])).toMatchObject({ paths: ['a.fit'], json: 'out.json' });
    expect(run(['--json', 'a.fit'])).toMatchObject({ paths: ['a.fit'], json: '-' });
    expect(run(['--html', 'a.fit'])).toMatchObject({ paths: ['a.fit'], html: DEFAULT_HTML_FILE });
    expect(run(['--html', 'r.htm', 'a.fit'])).toMatchObject({ paths: ['a.fit'], html: 'r.htm' });
    expect(run(['--html=-', 'a.fit'])).toMatchObject({ html: '-' });
    expect(run(['--', '--json'])).toMatchObject({ paths: ['--json'], json: null });
    expect(run(['a.fit'])).toMatchObject({ units: 'km', failOn: null, tz: null });
  });

  it('help and version win over everything else', () => {
    expect(parseCommandLine(['--help', 'x'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['-h'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['-V'])).toEqual({ kind: 'version' });
  });

  it('refuses unknown options, missing values and empty values', () => {
    expect(() => parseCommandLine([])).toThrow(UsageError);
    expect(() => parseCommandLine(['--nope', 'a'])).toThrow(/Unknown option '--nope'/);
    expect(() => parseCommandLine(['a', '--tz'])).toThrow(UsageError);
    expect(() => parseCommandLine(['a', '--tz='])).toThrow(/--tz needs a value/);
  });
});

describe('values with units', () => {
  it('height: metric, imperial and combined forms (1 ft = 0.3048 m, 1 in = 0.0254 m)', async () => {
    expect(await parseHeightM('1.78m')).toBe(1.78);
    expect(await parseHeightM('178cm')).toBe(1.78);
    expect(await parseHeightM('1780 mm')).toBe(1.78);
    expect(await parseHeightM('5ft10in')).toBe(1.778); // 1.524 + 0.254
    expect(await parseHeightM('5 ft 10 in')).toBe(1.778);
    expect(await parseHeightM(`5'10"`)).toBe(1.778);
    expect(await parseHeightM('70in')).toBe(1.778); // 70 × 0.0254
    expect(await parseHeightM('6ft')).toBe(1.8288);
    for (const bad of ['178', 'tall', '5kg', '1.78 m extra', '0.5m', '300cm', '']) {
      await expect(parseHeightM(bad), bad).rejects.toThrow(/write it as one of 1\.78m, 178cm/);
    }
  });

  it('cadence: steps per minute with an optional unit, 120–220', async () => {
    expect(await parseCadenceSpm('170')).toBe(170);
    expect(await parseCadenceSpm('166spm')).toBe(166);
    expect(await parseCadenceSpm('172 steps/min')).toBe(172);
    for (const bad of ['85 rpm', '100', '250', 'fast', '']) {
      await expect(parseCadenceSpm(bad), bad).rejects.toThrow(/expected a step rate between 120 and 220/);
    }
  });

  it('increase: percentages and fractions; a bare number above 1 is ambiguous', async () => {
    expect(await parseIncreaseRatio('10%')).toBeCloseTo(0.1, 12);
    expect(await parseIncreaseRatio('12.5 %')).toBeCloseTo(0.125, 12);
    expect(await parseIncreaseRatio('0.3')).toBe(0.3);
    await expect(parseIncreaseRatio('10')).rejects.toThrow(/ambiguous/);
    await expect(parseIncreaseRatio('0%')).rejects.toThrow(/above 0 %/);
    await expect(parseIncreaseRatio('10%%')).rejects.toThrow(/not a percentage/);
    await expect(parseIncreaseRatio('2+2%')).rejects.toThrow(/not a percentage/);
  });

  it('percentages round-trip: n% is n/100 for any n in (0, 500]', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5000 }), async (tenths) => {
        const text = `${tenths / 10}%`;
        return Math.abs((await parseIncreaseRatio(text)) - tenths / 1000) < 1e-12;
      }),
      { numRuns: 40 },
    );
  });

  it('dates must exist; time zones must be known to the runtime', () => {
    expect(parseDate('2024-02-29', '--since')).toBe('2024-02-29'); // leap year
    expect(() => parseDate('2025-02-29', '--since')).toThrow(/YYYY-MM-DD/);
    expect(() => parseDate('03/01/2026', '--until')).toThrow(/--until "03\/01\/2026"/);
    expect(parseTimeZone('Europe/Paris')).toBe('Europe/Paris');
    expect(() => parseTimeZone('Europe/Atlantis')).toThrow(/not a time zone/);
  });
});

describe('progress bar', () => {
  it('only on a TTY, never under CI or a dumb terminal', () => {
    expect(wantsProgress({ isTTY: true, write: () => true }, {})).toBe(true);
    expect(wantsProgress({ isTTY: false, write: () => true }, {})).toBe(false);
    expect(wantsProgress({ write: () => true }, {})).toBe(false);
    expect(wantsProgress({ isTTY: true, write: () => true }, { CI: 'true' })).toBe(false);
    expect(wantsProgress({ isTTY: true, write: () => true }, { CI: 'false' })).toBe(true);
    expect(wantsProgress({ isTTY: true, write: () => true }, { TERM: 'dumb' })).toBe(false);
  });

  it('draws a bar proportional to done/total, fitted to the width', () => {
    expect(progressLine(5, 20, 80)).toBe(`stridewise [${'#'.repeat(10)}${'.'.repeat(30)}] 5/20 files`); // 40 cells, a quarter done
    expect(progressLine(3, undefined, 80)).toBe('stridewise: 3 files read…');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 30, max: 300 }), (done, total, width) => {
        const line = progressLine(Math.min(done, total), total, width);
        return line.length <= Math.max(width - 1, 'stridewise [] 10000/10000 files'.length + 10);
      }),
    );
  });

  it('redraws at most every 100 ms, always draws the end, and clears its line', () => {
    const writes: string[] = [];
    let t = 0;
    const p = createProgress({ isTTY: true, columns: 60, write: (s) => (writes.push(s), true) }, {}, () => t);
    p.update(1, 10);
    t = 50;
    p.update(2, 10); // too soon
    t = 150;
    p.update(3, 10);
    t = 160;
    p.update(10, 10); // the end is always drawn
    p.finish();
    expect(writes).toHaveLength(4);
    expect(writes[0]).toMatch(/^\r\u001b\[2Kstridewise \[#+\.+\] 1\/10 files$/);
    expect(writes[2]).toContain('10/10 files');
    expect(writes[3]).toBe('\r\u001b[2K');
    const quiet: string[] = [];
    const none = createProgress({ isTTY: false, write: (s) => (quiet.push(s), true) }, {});
    none.update(1, 2);
    none.finish();
    expect(quiet).toEqual([]);
  });
});

describe('atomic report files', () => {
  const tmp = tempDir('atomic');
  afterAll(() => tmp.remove());

  it('writes through a temporary file, creates the folder, leaves nothing else behind', async () => {
    const pending = new PendingFiles();
    const target = join(tmp.dir, 'deep', 'er', 'report.json');
    await writeFileAtomic(target, '{"a":1}\n', pending);
    expect(readFileSync(target, 'utf8')).toBe('{"a":1}\n');
    await writeFileAtomic(target, '{"a":2}\n', pending);
    expect(readFileSync(target, 'utf8')).toBe('{"a":2}\n');
    expect(readdirSync(join(tmp.dir, 'deep', 'er'))).toEqual(['report.json']);
  });

  it('removeAll deletes temporary files still pending (what Ctrl-C does)', async () => {
    const pending = new PendingFiles();
    const stray = join(tmp.dir, '.stray.tmp');
    await writeFileAtomic(stray, 'partial', new PendingFiles());
    pending.add(stray);
    pending.removeAll();
    expect(existsSync(stray)).toBe(false);
  });

  it('a failed write leaves no temporary file and keeps the old report', async () => {
    const pending = new PendingFiles();
    const dirAsTarget = join(tmp.dir, 'is-a-folder');
    await writeFileAtomic(join(dirAsTarget, 'x'), 'x', pending);
    await expect(writeFileAtomic(dirAsTarget, 'new', pending)).rejects.toThrow();
    expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
