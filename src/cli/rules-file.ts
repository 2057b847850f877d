/**
 * `--rules rules.json`: rule thresholds and custom rules from a file, merged
 * with the options given on the command line, validated before any activity
 * is read.
 *
 * The file holds the same object as `evaluateRules`' options, except that
 * `customRules` is the list of rule definitions (compiled here):
 *
 * ```json
 * {
 *   "low-cadence": { "mode": "speed-adjusted" },
 *   "session-spike": { "thresholds": [1.1, 1.3, 2.0] },
 *   "disable": ["acwr"],
 *   "customRules": [
 *     { "id": "long-run", "when": "distanceKm > 25", "severity": "info", "message": "Long run: {distanceKm} km." }
 *   ]
 * }
 * ```
 */
import { isStridewiseError } from '../errors.js';
import { readRegularFile } from '../node/regular-file.js';
import { compileCustomRules, resolveRuleOptions, type RuleOptions } from '../rules/index.js';
import { UsageError } from './usage.js';

/** Largest rules file read, in bytes (a rules file is a few kB; a device such as /dev/zero must not be read for long). */
export const MAX_RULES_FILE_BYTES = 1024 * 1024;

/** Command-line values that override the file. */
export interface RuleOverrides {
  /** `--min-cadence`: absolute floor of the low-cadence rule, steps/min. */
  readonly minCadenceSpm?: number;
  /** `--max-weekly-increase`: rolling 7-day increase that is flagged, ratio. */
  readonly maxWeeklyIncreaseRatio?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Reads the rules file (if any), applies the command-line overrides,
 * compiles custom rules and validates everything.
 *
 * The file is opened without blocking and must be a regular file of at most
 * {@link MAX_RULES_FILE_BYTES} (a named pipe, `/dev/zero` or `/proc/kmsg` is refused at once).
 *
 * @throws {UsageError} when the file is missing, not JSON, or any option or
 *   custom rule is invalid (the message names the key).
 * @example
 * const ruleOptions = await loadRuleOptions('rules.json', { minCadenceSpm: 166 });
 */
export async function loadRuleOptions(file: string | null, overrides: RuleOverrides): Promise<RuleOptions> {
  let raw: unknown = {};
  if (file !== null) {
    let text: string;
    let got: Awaited<ReturnType<typeof readRegularFile>>;
    try {
      got = await readRegularFile(file, MAX_RULES_FILE_BYTES);
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw new UsageError(`--rules ${file}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(error)})`}`);
    }
    if (!(got instanceof Uint8Array)) {
      throw new UsageError(
        got.problem === 'too-large'
          ? `--rules ${file}: the file is ${got.sizeBytes} bytes, over the limit of ${MAX_RULES_FILE_BYTES} bytes for a rules file`
          : `--rules ${file}: not a regular file (a device, pipe or socket); give a JSON file`,
      );
    }
    text = new TextDecoder('utf-8').decode(got);
    try {
      raw = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (error) {
      throw new UsageError(`--rules ${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    if (!isRecord(raw)) throw new UsageError(`--rules ${file}: the file must hold a JSON object of rule options`);
  }
  const options: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  const where = file !== null ? `--rules ${file}` : 'options';
  if (overrides.minCadenceSpm !== undefined) {
    const section = options['low-cadence'];
    options['low-cadence'] = { ...(isRecord(section) ? section : {}), mode: 'absolute', minCadenceSpm: overrides.minCadenceSpm };
  }
  if (overrides.maxWeeklyIncreaseRatio !== undefined) {
    const section = isRecord(options['weekly-increase']) ? (options['weekly-increase'] as Record<string, unknown>) : {};
    const caution = typeof section['cautionIncreaseRatio'] === 'number' ? section['cautionIncreaseRatio'] : 0.3;
    options['weekly-increase'] = {
      ...section,
      minIncreaseRatio: overrides.maxWeeklyIncreaseRatio,
      cautionIncreaseRatio: Math.max(caution, overrides.maxWeeklyIncreaseRatio),
    };
  }
  try {
    const custom = options['customRules'];
    if (custom !== undefined && custom !== null) {
      if (!Array.isArray(custom)) throw new UsageError(`${where}: customRules must be a list of rule definitions`);
      options['customRules'] = await compileCustomRules(custom);
    }
    resolveRuleOptions(options);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (isStridewiseError(error)) throw new UsageError(`${where}: ${error.message}`);
    throw error;
  }
  return options as RuleOptions;
}
