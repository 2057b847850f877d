/**
 * Command-line syntax: the options, the help text and the parsing of argv
 * (node:util `parseArgs`) into a plain description of what to do.
 */
import { parseArgs } from 'node:util';
import { isSkippedName } from '../node/names.js';

/**
 * A mistake in how the command was called: message shown as is, exit status 2.
 *
 * @example
 * throw new UsageError('--units "furlongs": expected km or mi');
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Exit statuses of the command. */
export const EXIT = {
  /** Done; no finding at or above `--fail-on`. */
  ok: 0,
  /** Done, and at least one finding at or above `--fail-on`. */
  findings: 1,
  /** Usage error: unknown option, bad value, no path. Nothing was read. */
  usage: 2,
  /** Could not complete: nothing could be analysed (every input failed, or none held an activity), or a report could not be written. */
  incomplete: 3,
  /** Interrupted (Ctrl-C); no partial report file is left behind. */
  interrupted: 130,
} as const;

/** Distance units of the text and HTML reports. */
export type UnitsOption = 'km' | 'mi';

/** What the command line asks for (values with units are still text here; see values.ts). */
export interface CommandLine {
  readonly paths: readonly string[];
  /** `-` for standard output, a file path, or `null` for no JSON. */
  readonly json: string | null;
  /** `-` for standard output, a file path, or `null` for no HTML. */
  readonly html: string | null;
  readonly height: string | null;
  readonly minCadence: string | null;
  readonly maxWeeklyIncrease: string | null;
  readonly tz: string | null;
  readonly since: string | null;
  readonly until: string | null;
  readonly units: UnitsOption;
  readonly rules: string | null;
  readonly failOn: 'caution' | 'warning' | null;
  readonly profileRun: string | null;
  /** Text of `--workers` (`auto` when not given); checked by `parseWorkers`. */
  readonly workers: string;
  /** How activities whose file names no sport (a GPX without `<type>`) are counted; `null` = other. */
  readonly unknownSportAs: 'running' | 'walking' | 'other' | null;
  /** `--follow-links`: follow symbolic links that lead out of the given folders. */
  readonly followLinks: boolean;
  /** `--hr-max` / `--hr-rest` as typed; checked by `parseHeartRateBpm`. */
  readonly hrMax?: string | null;
  readonly hrRest?: string | null;
}

/** Result of {@link parseCommandLine}. */
export type ParsedCommand =
  | { readonly kind: 'help' }
  | { readonly kind: 'version' }
  | { readonly kind: 'schema' }
  | { readonly kind: 'run'; readonly command: CommandLine };

/** Default file of `--html` without a file name. */
export const DEFAULT_HTML_FILE = 'stridewise-report.html';

/** The short message for a call without paths. */
export const SHORT_USAGE = `usage: stridewise [options] <file|folder|export.zip>...
Reads FIT, GPX and TCX files (also .gz), folders and Garmin or Strava export zips.
Try 'stridewise --help' for the options.`;

/** The `--help` text. */
export const HELP = `stridewise: where your running loads the knee (cadence, step length,
downhill running, mileage spikes), from watch files.

usage: stridewise [options] <file|folder|export.zip>...

Inputs: FIT, GPX and TCX files (optionally .gz), folders (searched
recursively) and Garmin or Strava export archives (.zip). Files that cannot
be read are listed with the reason; the rest is analysed.

Reports:
  (default)                   text summary on standard output
  --json [file.json]          whole result as JSON (standard output if no file)
  --html [file.html]          self-contained HTML report with charts
                              (default file: ${DEFAULT_HTML_FILE}; '-' = stdout)
                              A file not ending in .json/.html: --json=out.txt.
                              New report files are created owner-only (0600);
                              an existing one keeps its permissions. A link is
                              followed; devices, pipes and inputs are refused.
  --units km|mi               distances in the text and HTML reports (default km)
  --profile-run <id>          run whose elevation profile the HTML report shows
                              (default: the run with the most descent)

Analysis:
  --height <length>           your height: 1.78m, 178cm, 5ft10in, 5'10"
  --hr-max <bpm>              your maximum heart rate: heart-rate zones per run
  --hr-rest <bpm>             your resting heart rate: with --hr-max, TRIMP
  --min-cadence <spm>         step-rate floor for the low-cadence rule:
                              170, 170spm (steps per minute, both feet)
  --max-weekly-increase <%>   week-over-week increase to flag: 10%, 0.1
  --tz <zone>                 time zone for dates and weeks: Europe/Paris
                              (default: the offset recorded in each file)
  --since <YYYY-MM-DD>        report from this date (earlier runs still give
                              context, e.g. for the 30-day spike rule)
  --until <YYYY-MM-DD>        ignore activities after this date
  --rules <rules.json>        rule thresholds and custom rules (see docs)
  --fail-on caution|warning   exit with status 1 if a finding is this severe
  --follow-links              follow symbolic links that lead out of the
                              given folders (default: such links are skipped)
  --workers <n|auto>          files read in parallel by n workers (default
                              auto: one per core, as many as fit in half
                              the memory); results are the same
  --unknown-sport-as running|walking|other
                              what to count activities as whose sport neither
                              the file, the export, the name nor the data
                              tell (default other: left out; the report
                              says how many)

  --json-schema               print the JSON Schema of the --json report
  -h, --help                  this help
  -V, --version               version number

Exit status: 0 done, 1 findings at or above --fail-on, 2 usage error,
3 could not complete (no activity could be analysed, or a report could
not be written), 130 interrupted.

Examples:
  stridewise ~/Downloads/export_12345678.zip
  stridewise runs/ --html report.html --units mi --tz America/Denver
  stridewise run.fit --json | jq '.findings[].message'
`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  'json-schema': { type: 'boolean' },
  json: { type: 'string' },
  html: { type: 'string' },
  height: { type: 'string' },
  'min-cadence': { type: 'string' },
  'max-weekly-increase': { type: 'string' },
  tz: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  units: { type: 'string' },
  rules: { type: 'string' },
  'fail-on': { type: 'string' },
  'profile-run': { type: 'string' },
  workers: { type: 'string' },
  'unknown-sport-as': { type: 'string' },
  'follow-links': { type: 'boolean' },
  'hr-max': { type: 'string' },
  'hr-rest': { type: 'string' },
} as const;

/**
 * `--json` and `--html` take an optional file. `parseArgs` has no optional
 * values, so the next argument is attached when it is `-` or ends in the
 * report's extension; otherwise the option gets an empty value (default
 * destination). A next argument that names a document stridewise never reads
 * as an input (`--json out.txt`, `--html notes.md`) is refused: it was
 * meant as the report file (write `--json=out.txt`) or is in the wrong place.
 */
function attachOptionalValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (arg === '--json' || arg === '--html') {
      const next = argv[i + 1];
      const ext = arg === '--json' ? /\.json$/i : /\.html?$/i;
      if (next !== undefined && (next === '-' || ext.test(next))) {
        out.push(`${arg}=${next}`);
        i++;
      } else if (next !== undefined && !next.startsWith('-') && isSkippedName(next.replace(/\\/g, '/'))) {
        const wanted = arg === '--json' ? 'report.json' : 'report.html';
        throw new UsageError(
          `stridewise: ${arg} ${next}: ${next} is not an activity file, and ${arg} takes as its next argument only a file ending in ${arg === '--json' ? '.json' : '.html'} or '-'. ` +
            `Write ${arg}=${next} to write the report there, or e.g. ${arg} ${wanted}.`,
        );
      } else {
        out.push(`${arg}=`);
      }
      continue;
    }
    out.push(arg);
  }
  return out;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], option: string): T | null {
  if (value === undefined) return null;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${option} ${JSON.stringify(value)}: expected ${allowed.join(' or ')}`);
}

/**
 * Parses the arguments (without `node` and the script). Values with units
 * stay text; they are checked later (see values.ts).
 *
 * @throws {UsageError} for an unknown option, a missing value, a bad choice,
 *   or no path at all (the message is then {@link SHORT_USAGE}).
 * @example
 * parseCommandLine(['runs/', '--html']);
 * // { kind: 'run', command: { paths: ['runs/'], html: 'stridewise-report.html', ... } }
 */
export function parseCommandLine(argv: readonly string[]): ParsedCommand {
  const args = attachOptionalValues(argv);
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`stridewise: ${message.replace(/\. To specify a positional argument.*$/s, '')}\n${SHORT_USAGE}`);
  }
  const v = parsed.values;
  if (v.help) return { kind: 'help' };
  if (v.version) return { kind: 'version' };
  if (v['json-schema']) return { kind: 'schema' };
  if (parsed.positionals.length === 0) throw new UsageError(SHORT_USAGE);
  const text = (value: string | undefined, option: string): string | null => {
    if (value === undefined) return null;
    if (value.trim() === '') throw new UsageError(`${option} needs a value`);
    return value;
  };
  return {
    kind: 'run',
    command: {
      paths: parsed.positionals,
      json: v.json === undefined ? null : v.json === '' ? '-' : v.json,
      html: v.html === undefined ? null : v.html === '' ? DEFAULT_HTML_FILE : v.html,
      height: text(v.height, '--height'),
      minCadence: text(v['min-cadence'], '--min-cadence'),
      maxWeeklyIncrease: text(v['max-weekly-increase'], '--max-weekly-increase'),
      tz: text(v.tz, '--tz'),
      since: text(v.since, '--since'),
      until: text(v.until, '--until'),
      units: oneOf(v.units, ['km', 'mi'] as const, '--units') ?? 'km',
      rules: text(v.rules, '--rules'),
      failOn: oneOf(v['fail-on'], ['caution', 'warning'] as const, '--fail-on'),
      profileRun: text(v['profile-run'], '--profile-run'),
      workers: text(v.workers, '--workers') ?? 'auto',
      hrMax: text(v['hr-max'], '--hr-max'),
      hrRest: text(v['hr-rest'], '--hr-rest'),
      unknownSportAs: oneOf(v['unknown-sport-as'], ['running', 'walking', 'other'] as const, '--unknown-sport-as'),
      followLinks: v['follow-links'] === true,
    },
  };
}
