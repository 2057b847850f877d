import { relative, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type LoadedFile, loadActivities } from '../../src/node/load.js';
import { corpusAvailable, corpusDir, corpusSkipReason, readCorpusFile, readManifest } from '../helpers/corpus.js';
import { streamedZipOf, tempDir, zipOf } from './build.js';

function outcome(f: LoadedFile): string {
  return f.error !== undefined ? f.error.code : f.activities.map((a) => a.id).join(',');
}

describe.skipIf(!corpusAvailable)(`loadActivities over the whole corpus folder (${corpusAvailable ? 'real files' : corpusSkipReason})`, () => {
  it('gives one LoadedFile per MANIFEST file, in code-point order, none lost', async () => {
    const manifest = readManifest().map((r) => r['path']!);
    const files: LoadedFile[] = [];
    const progress: [number, number | undefined][] = [];
    for await (const f of loadActivities(corpusDir, { onProgress: (d, t) => progress.push([d, t]) })) files.push(f);
    const paths = files.map((f) => relative(corpusDir, f.path).split(sep).join('/'));
    // MANIFEST.tsv itself is skipped as a document; every listed file comes back exactly once
    expect([...paths].sort()).toEqual([...manifest].sort());
    expect(files).toHaveLength(manifest.length);
    expect(paths).toEqual([...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(progress[0]).toEqual([0, manifest.length]);
    expect(progress.at(-1)).toEqual([manifest.length, manifest.length]);
    for (const f of files) {
      if (f.error !== undefined) {
        expect(f.activities).toEqual([]);
        expect(f.error.code).toMatch(/^[A-Z_]+$/);
        expect(f.error.code).not.toBe('INTERNAL');
      } else expect(f.activities.length).toBeGreaterThan(0);
    }
    // the files the MANIFEST marks as not activities are reported as such
    const notActivities = readManifest().filter((r) => /^NOT an activity/i.test(r['notes'] ?? '')).map((r) => r['path']);
    for (const p of notActivities) {
      const f = files.find((x) => relative(corpusDir, x.path).split(sep).join('/') === p)!;
      expect(f.error?.code, p).toBe('NOT_AN_ACTIVITY');
    }
  });
});

describe.skipIf(!corpusAvailable)(`corpus files inside a generated Garmin-like export (${corpusAvailable ? 'real files' : corpusSkipReason})`, () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('gives the same outcome for each file as reading it from the folder', async () => {
    const manifest = readManifest().map((r) => r['path']!);
    const fromFolder = new Map<string, string>();
    for await (const f of loadActivities(corpusDir)) fromFolder.set(relative(corpusDir, f.path).split(sep).join('/'), outcome(f));
    // FIT files go into an inner zip written with data descriptors (as Garmin's are), the rest beside it
    const fit: Record<string, Uint8Array> = {};
    const other: Record<string, Uint8Array> = {};
    for (const p of manifest) (p.endsWith('.fit') ? fit : other)[p] = readCorpusFile(p);
    const zip = t.write('export.zip', zipOf({ ...other, 'DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip': streamedZipOf(fit) }));
    const fromZip = new Map<string, string>();
    for await (const f of loadActivities(zip)) {
      const inner = f.path.slice(zip.length + 1).replace('DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip!', '');
      fromZip.set(inner, outcome(f));
    }
    expect(fromZip.size).toBe(manifest.length);
    for (const p of manifest) expect(fromZip.get(p), p).toBe(fromFolder.get(p));
  });
});
