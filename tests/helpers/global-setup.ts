/**
 * Vitest global set-up: runs once in the main process, before any test file.
 * Says in one line when the real-file suites are skipped and how to run them
 * (the suites themselves skip silently with `describe.skipIf(!corpusAvailable)`).
 */
import { corpusAvailable, corpusDir } from './corpus.js';

export default function setup(): void {
  if (!corpusAvailable) {
    process.stderr.write(
      `[stridewise tests] real-file (corpus) suites skipped: no MANIFEST.tsv in ${corpusDir}. ` +
        'To run them: STRIDEWISE_CORPUS=/path/to/corpus npm test, or place shared/corpus beside the repository.\n',
    );
  }
}
