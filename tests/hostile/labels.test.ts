/**
 * Labels from files (archive entry names, file names, activity names, error
 * messages) are shown capped and neutralised, and a batch of failures with
 * huge names never costs the report of the good activity beside them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeFitActivity, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { runAnalysis } from '../../src/cli/run.js';
import { capLength, displayLabel, MAX_LABEL_CHARS } from '../../src/labels.js';
import { MAX_ERROR_TEXT_CHARS } from '../../src/node/pipeline.js';
import { renderHtml, renderJson, renderText } from '../../src/report/index.js';
import { repoRoot } from '../helpers/corpus.js';
import { rawZip } from './zip-raw.js';

const root = mkdtempSync(join(tmpdir(), 'stridewise-labels-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const GOOD = encodeFitActivity({ startTime: new Date('2025-03-01T07:00:00Z'), samples: steadyRunSamples({ seconds: 1200, speedMps: 3, cadenceSpm: 170 }) });

/** A 60,000-character name: a random 600-character block repeated (deflates about 100:1, under the archive ratio limit). */
function longName(seed: number): string {
  let x = seed * 7919 + 17;
  let block = '';
  for (let i = 0; i < 600; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    block += String.fromCharCode(97 + (x % 26));
  }
  return `deep/${block.repeat(100)}-${seed}.fit`;
}

describe('huge labels', () => {
  it('a zip of 200 empty nested entries with 60,000-character names beside one good run: reports of bounded size that keep the run', async () => {
    const ENTRIES = 200;
    const inner = zipSync(Object.fromEntries(Array.from({ length: ENTRIES }, (_, i) => [longName(i), new Uint8Array(0)])), { level: 0 });
    const zip = rawZip([
      { name: 'good.fit', data: GOOD },
      { name: 'inner.zip', data: inner, deflate: true },
    ]);
    const path = join(root, 'export.zip');
    writeFileSync(path, zip);
    expect(inner.length).toBeGreaterThan(ENTRIES * 120_000); // every name twice: 24 MB inside a small zip
    const { report } = await runAnalysis({
      paths: [path],
      heightM: null,
      timeZone: null,
      since: null,
      until: null,
      minCadenceSpm: null,
      maxWeeklyIncreaseRatio: null,
      ruleOptions: {},
      profileRun: null,
      workers: 1,
      generator: { name: 'stridewise', version: 'test' },
    });
    expect(report.activities.map((a) => a.file)).toEqual([`${path}!good.fit`]);
    expect(report.errors).toHaveLength(ENTRIES);
    for (const e of report.errors) {
      expect(e.file.length).toBeLessThanOrEqual(MAX_ERROR_TEXT_CHARS);
      expect(e.message.length).toBeLessThanOrEqual(MAX_ERROR_TEXT_CHARS);
    }
    const text = renderText(report);
    const html = renderHtml(report);
    const json = renderJson(report);
    // Before: every name in full in every report (24 MB of text here; 4,500 such names made rendering throw).
    expect(text.length).toBeLessThan(60_000); // 50 listed, each under 240 + 600 characters
    expect(text).toContain('1 activity');
    expect(text).toContain(`... and ${ENTRIES - 50} more`);
    expect(html.length).toBeLessThan(400_000);
    expect(html).toContain('good.fit');
    expect(json.length).toBeLessThan(ENTRIES * 3 * MAX_ERROR_TEXT_CHARS);
    expect(JSON.parse(json).errors).toHaveLength(ENTRIES);
  });
});

describe('control and bidi characters', () => {
  it('displayLabel neutralises ESC/OSC, C1 and bidi controls and caps the length around an ellipsis', () => {
    expect(displayLabel('run\u001b]0;pwned\u0007\u001b[2J.fit')).toBe('run\ufffd]0;pwned\ufffd\ufffd[2J.fit');
    expect(displayLabel('evil\u202Etxt.fit\u2066x\u2069\u009b')).toBe('evil\ufffdtxt.fit\ufffdx\ufffd\ufffd');
    expect(displayLabel('a\nb\tc\u2028d')).toBe('a\ufffdb\ufffdc\ufffdd');
    const long = displayLabel(`${'x'.repeat(10_000)}.fit`);
    expect(long).toHaveLength(MAX_LABEL_CHARS);
    expect(long.endsWith('.fit')).toBe(true);
    expect(long).toContain('…');
    // never splits a surrogate pair
    expect(capLength('😀'.repeat(10), 7)).toBe('😀😀…😀');
    expect(capLength('😀'.repeat(10), 6)).toBe('😀😀…');
    expect(displayLabel('a\ud800b')).toBe('a\ufffdb');
  });

  const cli = join(repoRoot, 'dist', 'cli.js');
  it.skipIf(!existsSync(cli))('failed file names reach stderr neutralised with --json -, and bidi controls never reach the text report', () => {
    const dir = join(root, 'walk');
    mkdirSync(dir, { recursive: true });
    const evil = 'x\u001b]0;owned\u0007\u001b[2J\u202Egnp.fit';
    writeFileSync(join(dir, evil), 'not a fit file');
    writeFileSync(join(dir, 'run\u202Eelif.fit'), GOOD);
    const withJson = spawnSync(process.execPath, [cli, dir, '--workers', '1', '--json', '-'], { encoding: 'utf8' });
    expect(withJson.stderr).toContain('could not be read');
    expect(withJson.stderr).not.toMatch(/[\u001b\u0007\u202e]/);
    const textRun = spawnSync(process.execPath, [cli, dir, '--workers', '1'], { encoding: 'utf8' });
    expect(textRun.stdout).toContain('could not be read');
    expect(textRun.stdout).not.toMatch(/[\u001b\u0007\u202e]/);
    const htmlRun = spawnSync(process.execPath, [cli, dir, '--workers', '1', '--html', '-'], { encoding: 'utf8' });
    expect(htmlRun.stdout).toContain('<html');
    expect(htmlRun.stdout).not.toMatch(/[\u001b\u0007\u202e]/);
  });
});
