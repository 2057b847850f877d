/**
 * The built command on the whole real-file corpus: every file gives an
 * activity or a listed error, nothing crashes, the JSON report is valid
 * against its schema and the same on a second run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusAvailable, corpusDir, corpusSkipReason, readManifest } from '../helpers/corpus.js';
import { validateReport } from '../report/validate.js';
import { runCli } from './helpers.js';

interface CorpusReport {
  activities: { file: string }[];
  errors: { file: string; code: string; message: string }[];
  duplicates: { file: string; activityId: string; keptFile: string }[];
}

describe.skipIf(!corpusAvailable)(`command on the real-file corpus (${corpusAvailable ? corpusDir : corpusSkipReason})`, () => {
  // One run writes all three reports (JSON in SI, HTML and text in miles); a second, in the calling thread, must give the same JSON.
  let out = '';
  let first: ReturnType<typeof runCli> | undefined;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'stridewise-corpus-cli-'));
    first = runCli(['.', `--json=${join(out, 'report.json')}`, `--html=${join(out, 'report.html')}`, '--units', 'mi'], { cwd: corpusDir });
  }, 240_000);
  afterAll(() => {
    if (out !== '') rmSync(out, { recursive: true, force: true });
  });

  it('reads every MANIFEST file into activities or a listed error, with a valid, repeatable JSON report', () => {
    expect(first!.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(first!.status).toBe(0);
    const json = readFileSync(join(out, 'report.json'), 'utf8');
    const report = JSON.parse(json) as CorpusReport;
    const ok = validateReport(report);
    expect(validateReport.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // Copies of one activity (the FIT SDK example with a damaged CRC, header or end) are counted once and listed as duplicates.
    const files = [...report.activities, ...report.errors, ...report.duplicates].map((x) => x.file);
    const seen = new Set(files.map((f) => f.replace(/^\.\//, '').split('!')[0]));
    const missing = readManifest()
      .map((row) => row['path']!)
      .filter((path) => !seen.has(path));
    expect(missing).toEqual([]);
    expect(report.errors.filter((e) => e.code === 'INTERNAL')).toEqual([]);
    expect(report.duplicates.map((d) => d.keptFile.replace(/^\.\//, ''))).toContain('python-fitparse/Activity.fit');
    const second = runCli(['.', '--json', '-', '--workers', '1'], { cwd: corpusDir });
    expect(second.stdout).toBe(json);
  }, 240_000);

  it('renders the text and HTML reports of the corpus without failing', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // no number the report shows is NaN, undefined or Infinity (the page's own script may name them)
    expect(html.replace(/<script[^>]*>[\s\S]*?<\/script>/g, '')).not.toMatch(/NaN|undefined|Infinity/);
    expect(first!.stdout).toContain('stridewise summary');
    expect(first!.stdout).not.toMatch(/NaN|undefined|Infinity/);
  });
});
