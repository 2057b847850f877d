/**
 * Input limits. Defaults are generous for real use (a 24-hour ultra at 1 Hz
 * is 86,400 samples; the largest real FIT files are a few tens of MB) and
 * exist so that hostile input fails fast with its own error code.
 */
export interface ParseLimits {
  /** Largest accepted input in bytes (after gzip decoding, see `maxDecompressedBytes`). Code `FILE_TOO_LARGE`. Default 256 MiB. */
  readonly maxInputBytes: number;
  /** Largest size a gzip member may expand to. Code `DECOMPRESSED_TOO_LARGE`. Default 512 MiB. */
  readonly maxDecompressedBytes: number;
  /** Most samples in one activity. Code `TOO_MANY_SAMPLES`. Default 2,000,000 (23 days at 1 Hz). */
  readonly maxSamplesPerActivity: number;
  /**
   * Most samples in one file, all activities together. Code `TOO_MANY_SAMPLES`.
   * Default 4,000,000 (46 days at 1 Hz); bounds memory for a file of many
   * small tracks, each under the per-activity limit. FIT `record` messages
   * are counted by the structural scan before anything is decoded, and a FIT
   * file of more than twice this many messages of any kind is refused too.
   */
  readonly maxSamplesPerFile: number;
  /** Most activities in one file. Code `TOO_MANY_ACTIVITIES`. Default 1,000. */
  readonly maxActivitiesPerFile: number;
  /** Deepest XML element nesting. Code `XML_TOO_DEEP`. Default 64 (real GPX/TCX nest under 12). */
  readonly maxXmlDepth: number;
  /** Longest XML text or attribute value in characters. Code `XML_VALUE_TOO_LARGE`. Default 1,048,576. */
  readonly maxXmlValueChars: number;
}

/**
 * Most laps kept per activity (FIT, TCX); further laps are ignored with
 * warning `TOO_MANY_LAPS`. A real activity has at most a few hundred (one per
 * 100 m on a track over 24 hours is under 2,000); per-lap figures cost
 * O(log n) each, so the cap bounds output size, not time.
 */
export const MAX_LAPS_PER_ACTIVITY = 100_000;

/** The default {@link ParseLimits}. */
export const DEFAULT_PARSE_LIMITS: ParseLimits = Object.freeze({
  maxInputBytes: 256 * 1024 * 1024,
  maxDecompressedBytes: 512 * 1024 * 1024,
  maxSamplesPerActivity: 2_000_000,
  maxSamplesPerFile: 4_000_000,
  maxActivitiesPerFile: 1_000,
  maxXmlDepth: 64,
  maxXmlValueChars: 1_048_576,
});
