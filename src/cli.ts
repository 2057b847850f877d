/**
 * `stridewise` command: reads watch files, folders and exports, prints a
 * text summary and writes JSON and HTML reports. See `stridewise --help`
 * and docs/cli.md.
 *
 * Exit status: 0 done, 1 findings at or above `--fail-on`, 2 usage error,
 * 3 could not complete (nothing could be analysed, or a report could not be
 * written), 130 interrupted.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { displayLabel, displayMessage, neutralize } from './labels.js';
import { runAnalysis } from './cli/run.js';
import { checkReportTarget, PendingFiles, ReportTargetError, writeFileAtomic } from './cli/output.js';
import { createProgress } from './cli/progress.js';
import { loadRuleOptions } from './cli/rules-file.js';
import { EXIT, HELP, parseCommandLine, UsageError, type CommandLine } from './cli/usage.js';
import { parseCadenceSpm, parseDate, parseHeightM, parseIncreaseRatio, parseTimeZone, parseHeartRateBpm, parseWorkers } from './cli/values.js';
import type { ExportStats } from './node/pipeline.js';
import { renderHtml, renderJson, renderText, REPORT_JSON_SCHEMA, severityLevel, type Report } from './report/index.js';
import { resolveRuleOptions } from './rules/index.js';

/** Version from package.json (one folder up from both src/cli.ts and dist/cli.js). */
function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Standard streams and environment, injectable for tests. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Writes lines to stderr with control and bidi characters neutralised (they may hold file names). */
function say(stream: NodeJS.WritableStream, text: string): void {
  const safe = text.split('\n').map(neutralize).join('\n');
  stream.write(safe.endsWith('\n') ? safe : `${safe}\n`);
}

/** Most failed files named on stderr when the report goes to stdout; the report holds them all. */
const MAX_STDERR_ERRORS = 50;

/**
 * Runs a renderer; on failure says so on stderr and returns null, so that
 * one report that cannot be made never loses the others (or the run).
 */
function tryRender(io: CliIo, kind: string, render: () => string): string | null {
  try {
    return render();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    say(io.stderr, `stridewise: the ${kind} report could not be made (${displayMessage(why)}); please report it with the command you ran`);
    return null;
  }
}

/** The activities, one line each, when the text report itself could not be made. */
function fallbackText(report: Report): string {
  const lines = [`${report.activities.length} activities read; ${report.errors.length} files could not be read.`];
  for (const a of report.activities) {
    lines.push(`  ${a.localDate ?? 'undated'}  ${displayLabel(a.name ?? a.file ?? a.id)}  ${(a.distanceM / 1000).toFixed(2)} km`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes to a stream and waits until the data is handed over (large reports to a pipe). */
function writeAll(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * A report file must be writable, a regular file or new (a symbolic link
 * counts as its target), and not one of the inputs: checked before any
 * activity is read, so a long analysis never ends in a report that cannot be written.
 */
async function checkReportPath(path: string | null, option: string, inputs: readonly string[]): Promise<void> {
  if (path === null || path === '-') return;
  try {
    await checkReportTarget(path, inputs);
  } catch (error) {
    if (!(error instanceof ReportTargetError)) throw error;
    if (error.kind === 'unwritable') {
      throw new UnwritableReport(`cannot write the ${option === '--json' ? 'JSON' : 'HTML'} report to ${path} (${error.message}); nothing was read`);
    }
    const hint = /is a folder/.test(error.message) ? `, e.g. ${join(path, option === '--json' ? 'report.json' : 'report.html')}` : '';
    throw new UsageError(`${option} ${path}: ${error.message}${hint}`);
  }
}

/** A report target the file system will not let us write (exit status 3, before any activity is read). */
class UnwritableReport extends Error {
  override name = 'UnwritableReport';
}

async function validated(command: CommandLine) {
  if (command.json === '-' && command.html === '-') {
    throw new UsageError('--json and --html cannot both go to standard output; give one of them a file name');
  }
  await checkReportPath(command.json, '--json', command.paths);
  await checkReportPath(command.html, '--html', command.paths);
  const heightM = command.height !== null ? await parseHeightM(command.height) : null;
  const minCadenceSpm = command.minCadence !== null ? await parseCadenceSpm(command.minCadence) : null;
  const maxWeeklyIncreaseRatio = command.maxWeeklyIncrease !== null ? await parseIncreaseRatio(command.maxWeeklyIncrease) : null;
  const timeZone = command.tz !== null ? parseTimeZone(command.tz) : null;
  const since = command.since !== null ? parseDate(command.since, '--since') : null;
  const until = command.until !== null ? parseDate(command.until, '--until') : null;
  if (since !== null && until !== null && since > until) throw new UsageError(`--since ${since} is after --until ${until}`);
  const workers = parseWorkers(command.workers);
  const maxHeartRateBpm = command.hrMax != null ? parseHeartRateBpm(command.hrMax, '--hr-max', 120, 230) : null;
  const restingHeartRateBpm = command.hrRest != null ? parseHeartRateBpm(command.hrRest, '--hr-rest', 25, 120) : null;
  const ruleOptions = await loadRuleOptions(command.rules, {
    ...(minCadenceSpm !== null ? { minCadenceSpm } : {}),
    ...(maxWeeklyIncreaseRatio !== null ? { maxWeeklyIncreaseRatio } : {}),
  });
  // The charts mark what the rules judge: the weekly limit in force (flag, file or default),
  // and a cadence floor only when one was asked for (flag or file), never a default "target".
  const resolved = resolveRuleOptions(ruleOptions);
  const fileLowCadence = (ruleOptions as Record<string, unknown>)['low-cadence'];
  const fileFloor =
    fileLowCadence !== null && typeof fileLowCadence === 'object' && typeof (fileLowCadence as { minCadenceSpm?: unknown }).minCadenceSpm === 'number'
      ? resolved['low-cadence'].minCadenceSpm
      : null;
  return {
    heightM,
    minCadenceSpm: minCadenceSpm ?? fileFloor,
    maxWeeklyIncreaseRatio: resolved['weekly-increase'].minIncreaseRatio,
    timeZone,
    since,
    until,
    ruleOptions,
    workers,
    unknownSportAs: command.unknownSportAs,
    followLinks: command.followLinks,
    maxHeartRateBpm,
    restingHeartRateBpm,
  };
}

/**
 * The line `STRIDEWISE_STATS=1` adds on standard error: how the files were
 * shared among workers (varies with the machine, so never in a report).
 *
 * @example
 * statsLine(stats); // "stridewise: stats: 2 workers requested, 2 started, 2 used (threads), 14 files"
 */
function statsLine(stats: ExportStats): string {
  const used = new Set(stats.byFile.map((f) => f.workerId)).size;
  const fallback = stats.fallbackReason !== null ? `; read in the main thread: ${stats.fallbackReason}` : '';
  return `stridewise: stats: ${stats.workersRequested} workers requested, ${stats.workersStarted} started, ${used} used (${stats.isolation}), ${stats.files} files${fallback}`;
}

/**
 * Runs the command with the given arguments and returns its exit status.
 *
 * @example
 * process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }, new PendingFiles());
 */
export async function main(argv: readonly string[], io: CliIo, pending: PendingFiles): Promise<number> {
  let parsed;
  try {
    parsed = parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      say(io.stderr, error.message);
      return EXIT.usage;
    }
    throw error;
  }
  if (parsed.kind === 'help') {
    await writeAll(io.stdout, HELP);
    return EXIT.ok;
  }
  if (parsed.kind === 'schema') {
    await writeAll(io.stdout, `${JSON.stringify(REPORT_JSON_SCHEMA, null, 2)}\n`);
    return EXIT.ok;
  }
  const version = readVersion();
  if (parsed.kind === 'version') {
    await writeAll(io.stdout, `${version}\n`);
    return EXIT.ok;
  }
  const command = parsed.command;
  let values;
  try {
    values = await validated(command);
  } catch (error) {
    if (error instanceof UsageError) {
      say(io.stderr, `stridewise: ${error.message}`);
      return EXIT.usage;
    }
    if (error instanceof UnwritableReport) {
      say(io.stderr, `stridewise: ${error.message}`);
      return EXIT.incomplete;
    }
    throw error;
  }

  const progress = createProgress(io.stderr, io.env);
  const outcome = await runAnalysis({
    paths: command.paths,
    ...values,
    profileRun: command.profileRun,
    generator: { name: 'stridewise', version },
    onProgress: (done, total) => progress.update(done, total),
  });
  progress.finish();
  const { report } = outcome;
  if (outcome.stats !== null && io.env['STRIDEWISE_STATS'] === '1') say(io.stderr, statsLine(outcome.stats));
  if (outcome.profileRunProblem !== null) {
    const why = outcome.profileRunProblem === 'not-found' ? 'no run with that id in the report' : 'that run has no usable elevation';
    say(io.stderr, `stridewise: --profile-run ${command.profileRun}: ${why}; showing the hilliest run instead`);
  }

  const reportOnStdout = command.json === '-' || command.html === '-';
  const writeReport = async (kind: 'JSON' | 'HTML', target: string, content: string): Promise<boolean> => {
    if (target === '-') {
      await writeAll(io.stdout, content);
      return true;
    }
    try {
      await writeFileAtomic(target, content, pending);
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
      say(io.stderr, `stridewise: cannot write the ${kind} report to ${target} (${reason})`);
      return false;
    }
    say(io.stderr, `stridewise: ${kind} report written to ${target}`);
    return true;
  };
  let written = true;
  if (command.json !== null) {
    const json = tryRender(io, 'JSON', () => renderJson(report));
    written = (json !== null && (await writeReport('JSON', command.json, json))) && written;
  }
  if (command.html !== null) {
    const html = tryRender(io, 'HTML', () => renderHtml(report, { units: command.units }));
    written = (html !== null && (await writeReport('HTML', command.html, html))) && written;
  }
  if (!reportOnStdout) {
    await writeAll(io.stdout, tryRender(io, 'text', () => renderText(report, { units: command.units })) ?? fallbackText(report));
  } else if (report.errors.length > 0) {
    // The report on stdout holds every error; stderr names the failures a person should see.
    const failed = report.errors.filter((e) => e.code !== 'NOT_AN_ACTIVITY');
    const nonActivities = report.errors.length - failed.length;
    if (failed.length > 0) say(io.stderr, `stridewise: ${failed.length} ${failed.length === 1 ? 'file' : 'files'} could not be read:`);
    for (const e of failed.slice(0, MAX_STDERR_ERRORS)) say(io.stderr, `  ${displayLabel(e.file)}: ${e.code}: ${displayMessage(e.message)}`);
    if (failed.length > MAX_STDERR_ERRORS) say(io.stderr, `  ... and ${failed.length - MAX_STDERR_ERRORS} more (the report lists them all)`);
    if (nonActivities > 0) say(io.stderr, `stridewise: ${nonActivities} ${nonActivities === 1 ? 'file holds' : 'files hold'} no activity (monitoring, settings or course files)`);
  }

  if (!written) return EXIT.incomplete;
  if (report.activities.length === 0) {
    say(
      io.stderr,
      report.errors.length > 0
        ? 'stridewise: no activity could be analysed (every input failed, see above)'
        : 'stridewise: no activity found in the given paths' + (report.settings.since !== null || report.settings.until !== null ? ' and dates' : ''),
    );
    return EXIT.incomplete;
  }
  if (command.failOn !== null) {
    const limit = severityLevel(command.failOn);
    if (report.findings.some((f) => severityLevel(f.severity) >= limit)) return EXIT.findings;
  }
  return EXIT.ok;
}

const pending = new PendingFiles();
// A reader that stops early (`stridewise --json | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT.ok);
  throw error;
});
/**
 * First SIGINT or SIGTERM: temporary files are removed and the process
 * exits (130 or 143). The handlers are removed first, so that a second
 * signal gets the default action and ends the process at once even when
 * exiting is held up (a read blocked in the file-system thread pool makes
 * Node's exit wait for it).
 */
function onSignal(message: string | null, status: number): void {
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  pending.removeAll();
  if (message !== null) process.stderr.write(message);
  process.exit(status);
}
process.on('SIGINT', () => onSignal('\nstridewise: interrupted (press Ctrl-C again to stop at once)\n', EXIT.interrupted));
process.on('SIGTERM', () => onSignal(null, 143));

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }, pending).then(
  (status) => {
    process.exitCode = status;
  },
  (error: unknown) => {
    pending.removeAll();
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`stridewise: internal error: ${message}\nPlease report it with the command you ran.\n`);
    process.exitCode = EXIT.incomplete;
  },
);
