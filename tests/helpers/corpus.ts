/**
 * Access to the shared corpus of real files (`../shared/corpus` beside the
 * repository, or $STRIDEWISE_CORPUS). Suites that need it use
 * `describe.skipIf(!corpusAvailable)` and say why in their title; a clone
 * without the corpus tests the same behaviours on generated fixtures.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const corpusDir = process.env.STRIDEWISE_CORPUS ?? resolve(repoRoot, '..', 'shared', 'corpus');
export const corpusAvailable = existsSync(join(corpusDir, 'MANIFEST.tsv'));
export const corpusSkipReason = `corpus not found at ${corpusDir} (set STRIDEWISE_CORPUS or place shared/corpus beside the repository)`;
// The one-line notice that these suites are skipped is printed once by tests/helpers/global-setup.ts.

/** One MANIFEST.tsv row, keyed by column name. */
export type ManifestRow = Record<string, string>;

/** Reads MANIFEST.tsv (empty list when the corpus is absent). */
export function readManifest(): ManifestRow[] {
  if (!corpusAvailable) return [];
  const lines = readFileSync(join(corpusDir, 'MANIFEST.tsv'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const header = lines[0]!.split('\t');
  return lines.slice(1).map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

/** Reads a corpus file by its MANIFEST path. */
export function readCorpusFile(path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(corpusDir, path)));
}
