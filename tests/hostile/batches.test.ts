/**
 * Batches: one bad file never loses the others. Random folders of good,
 * broken and odd files (and zips of them) go through `loadActivities` and
 * `analyzeExport`; every file found gives exactly one outcome (count in ==
 * count out), every failure carries its path and a code, and the good files'
 * activities are all there.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { gzipSync, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFitActivity, FIT_FILE_TYPE, steadyRunSamples, truncateFit } from '../../fixtures/lib/fit-writer.js';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { encodeTcx } from '../../fixtures/lib/tcx-writer.js';
import { analyzeExport } from '../../src/node/pipeline.js';
import { type LoadedFile, loadActivities } from '../../src/node/load.js';
import { KNOWN_ERROR_CODES } from './check.js';
import { fuzzRuns, fuzzSeed } from './harness.js';

const enc = new TextEncoder();

/** Kinds of file a batch is made of, with the outcome each must give (activities, or the error code). */
const KINDS = {
  fit: { ext: 'fit', expect: 1 },
  gpx: { ext: 'gpx', expect: 1 },
  tcx: { ext: 'tcx', expect: 1 },
  fitgz: { ext: 'fit.gz', expect: 1 },
  truncatedFit: { ext: 'fit', expect: 1 },
  empty: { ext: 'fit', expect: 'EMPTY_INPUT' },
  garbage: { ext: 'gpx', expect: 'UNKNOWN_FORMAT' },
  monitoring: { ext: 'fit', expect: 'NOT_AN_ACTIVITY' },
  badXml: { ext: 'gpx', expect: 'INVALID_XML' },
  doctype: { ext: 'tcx', expect: 'XML_ENTITY_REFUSED' },
  badGzip: { ext: 'gpx.gz', expect: 'GZIP_CORRUPT' },
} as const;
type Kind = keyof typeof KINDS;

function content(kind: Kind, i: number): Uint8Array {
  const start = new Date(Date.UTC(2024, 0, 1) + i * 86_400_000);
  const s = steadyRunSamples({ seconds: 30, speedMps: 3, cadenceSpm: 170 });
  switch (kind) {
    case 'fit':
      return encodeFitActivity({ startTime: start, samples: s });
    case 'gpx':
      return enc.encode(encodeGpx({ startTime: start, sport: 'running', ...s }));
    case 'tcx':
      return enc.encode(encodeTcx({ startTime: start, sport: 'running', ...s }));
    case 'fitgz':
      return gzipSync(encodeFitActivity({ startTime: start, samples: s }));
    case 'truncatedFit': {
      const f = encodeFitActivity({ startTime: start, samples: s });
      return truncateFit(f, Math.floor(f.length * 0.6));
    }
    case 'empty':
      return new Uint8Array(0);
    case 'garbage':
      return enc.encode(`not an activity ${i}\n`);
    case 'monitoring':
      return encodeFitActivity({ startTime: start, samples: { timeS: [] }, sessions: [], writeActivity: false, fileType: FIT_FILE_TYPE.monitoringB });
    case 'badXml':
      return enc.encode('<?xml version="1.0"?><gpx version="1.1"><trk><trkseg></trk></gpx>');
    case 'doctype':
      return enc.encode('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><TrainingCenterDatabase>&e;</TrainingCenterDatabase>');
    case 'badGzip':
      return Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  }
}

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

function expectedOf(kind: Kind): string {
  const e = KINDS[kind].expect;
  return typeof e === 'number' ? `${e}` : e;
}

function outcomeOf(f: LoadedFile): string {
  return f.error !== undefined ? f.error.code : `${f.activities.length}`;
}

describe('batches: count in == count out, every failure with its path and code', () => {
  it('random folders and zips of good and broken files (property)', async () => {
    const kindArb = fc.constantFrom(...(Object.keys(KINDS) as Kind[]));
    let batches = 0;
    let filesSeen = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(kindArb, fc.constantFrom('top', 'sub', 'zip', 'deep/er')), { minLength: 1, maxLength: 24 }),
        async (plan) => {
          const root = mkdtempSync(join(tmpdir(), 'stridewise-batch-'));
          dirs.push(root);
          const expected = new Map<string, string>();
          const zipEntries: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
          plan.forEach(([kind, where], i) => {
            const name = `f${String(i).padStart(2, '0')}-${kind}.${KINDS[kind].ext}`;
            const bytes = content(kind, i);
            if (where === 'zip') {
              zipEntries[`in/${name}`] = [bytes, { level: 6 }];
              expected.set(`${join(root, 'export.zip')}!in/${name}`, expectedOf(kind));
            } else {
              const dir = where === 'top' ? root : join(root, where);
              mkdirSync(dir, { recursive: true });
              writeFileSync(join(dir, name), bytes);
              expected.set(join(dir, name), expectedOf(kind));
            }
          });
          if (Object.keys(zipEntries).length > 0) writeFileSync(join(root, 'export.zip'), zipSync(zipEntries));
          const got = new Map<string, string>();
          for await (const f of loadActivities([root, join(root, 'does-not-exist.fit')])) {
            expect(got.has(f.path), `${f.path} reported twice`).toBe(false);
            if (f.error !== undefined) {
              expect(KNOWN_ERROR_CODES).toContain(f.error.code);
              expect(f.error.message.length).toBeGreaterThan(0);
            }
            got.set(f.path, outcomeOf(f));
          }
          expected.set(join(root, 'does-not-exist.fit'), 'FILE_NOT_FOUND');
          expect(Object.fromEntries([...got].sort())).toEqual(Object.fromEntries([...expected].sort()));
          batches++;
          filesSeen += got.size;
          rmSync(root, { recursive: true, force: true });
        },
      ),
      { numRuns: fuzzRuns(15), seed: fuzzSeed(), endOnFailure: true },
    );
    console.log(`[hostile] batches: ${batches} random batches, ${filesSeen} files in, ${filesSeen} outcomes out`);
  });

  it('dangling symlinks, a symlink loop, a file given twice and a folder given as a file: reported, never fatal', async () => {
    const root = mkdtempSync(join(tmpdir(), 'stridewise-batch-'));
    dirs.push(root);
    writeFileSync(join(root, 'good.gpx'), content('gpx', 1));
    symlinkSync(join(root, 'missing.fit'), join(root, 'dangling.fit'));
    mkdirSync(join(root, 'loop'));
    symlinkSync(join(root, 'loop'), join(root, 'loop', 'self'));
    const files: LoadedFile[] = [];
    for await (const f of loadActivities([root, join(root, 'good.gpx'), join(root, 'good.gpx')])) files.push(f);
    const byPath = Object.fromEntries(files.map((f) => [f.path.slice(root.length + 1), outcomeOf(f)]));
    expect(byPath['good.gpx']).toBe('1');
    expect(byPath['dangling.fit']).toBe('FILE_NOT_FOUND');
    // the same file given again is read once
    expect(files.filter((f) => f.path.endsWith('good.gpx'))).toHaveLength(1);
  });

  it('analyzeExport over a broken batch: every good activity summarised, every failure listed with path and code', async () => {
    const root = mkdtempSync(join(tmpdir(), 'stridewise-batch-'));
    dirs.push(root);
    const kinds = Object.keys(KINDS) as Kind[];
    kinds.forEach((k, i) => writeFileSync(join(root, `${String(i).padStart(2, '0')}-${k}.${KINDS[k].ext}`), content(k, i)));
    const good = kinds.filter((k) => typeof KINDS[k].expect === 'number').length;
    const bad = kinds.length - good;
    for (const workers of [1, 2]) {
      const r = await analyzeExport(root, { workers });
      expect(r.summaries, `workers ${workers}`).toHaveLength(good);
      expect(r.errors, `workers ${workers}`).toHaveLength(bad);
      expect(r.stats.files).toBe(kinds.length);
      for (const e of r.errors) {
        expect(e.file.startsWith(root)).toBe(true);
        expect(KNOWN_ERROR_CODES).toContain(e.code);
      }
      expect(r.errors.map((e) => e.code).sort()).toEqual(kinds.filter((k) => typeof KINDS[k].expect !== 'number').map((k) => KINDS[k].expect).sort());
    }
  });
});
