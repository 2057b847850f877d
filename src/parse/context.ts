import type { CadenceUnitOption } from './cadence.js';
import type { ParseLimits } from './limits.js';

/** What a format parser receives besides the content. */
export interface ParseContext {
  /** File name or archive path, for `source.fileName` and messages. */
  readonly fileName?: string;
  readonly cadenceUnit: CadenceUnitOption;
  readonly limits: ParseLimits;
  /** Samples taken from this file so far, all activities together (checked against `limits.maxSamplesPerFile`). */
  readonly samplesInFile: { count: number };
  /** Hash of the whole input (memoised), for ids of activities without time. */
  readonly contentHash: () => string;
}
