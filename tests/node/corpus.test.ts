import { relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LoadedFile, loadActivities } from '../../src/node/load.js';
import { corpusAvailable, corpusDir, corpusSkipReason, readManifest } from '../helpers/corpus.js';

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
