/**
 * Report files. A report is written to a temporary file beside its target,
 * then renamed over it: a reader never sees half a report, and Ctrl-C leaves
 * the old file (or none) instead of a partial one.
 *
 * Targets are checked before any activity is read ({@link checkReportTarget}):
 * - a target that is a device, named pipe or socket is refused (renaming over
 *   `/dev/null` as root would replace it; a pipe would block); `-` writes to
 *   standard output;
 * - a symbolic link is followed: the report replaces the file it points to,
 *   the link stays; a link to nothing is refused;
 * - a target that is one of the inputs (`--html run.gpx`) is refused;
 * - the folder must be writable (a probe file is created and removed).
 *
 * An existing report keeps its permission bits; a new one is created with
 * mode 0600 (owner only: reports hold health data).
 */
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, rmSync, type Stats } from 'node:fs';
import { access, chmod, lstat, mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';

/** Mode of a report file that did not exist before. */
export const NEW_REPORT_MODE = 0o600;

/**
 * Temporary files being written, removed if the process is interrupted.
 *
 * @example
 * const pending = new PendingFiles();
 * process.on('SIGINT', () => { pending.removeAll(); process.exit(130); });
 */
export class PendingFiles {
  private readonly paths = new Set<string>();

  add(path: string): void {
    this.paths.add(path);
  }

  delete(path: string): void {
    this.paths.delete(path);
  }

  /** Removes every temporary file still pending (synchronously: used from a signal handler). */
  removeAll(): void {
    for (const p of this.paths) {
      try {
        rmSync(p, { force: true });
      } catch {
        // Best effort: the process is exiting.
      }
    }
    this.paths.clear();
  }
}

/**
 * A report target that cannot be used; the message says why (without the
 * path). `kind`: `'refused'` for a target that is never written (a folder,
 * a device, a pipe, an input), `'unwritable'` when the file system says no.
 */
export class ReportTargetError extends Error {
  override name = 'ReportTargetError';
  constructor(
    message: string,
    readonly kind: 'refused' | 'unwritable' = 'refused',
  ) {
    super(message);
  }
}

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
}

async function statOrNull(path: string, follow: boolean): Promise<Stats | null> {
  try {
    return follow ? await stat(path) : await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ReportTargetError(errnoOf(error), 'unwritable');
  }
}

function kindOf(st: Stats): string {
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Where a report for `path` is written: the path itself, or the file a
 * symbolic link at `path` points to. Throws when that is not a regular file.
 *
 * @throws {ReportTargetError}
 * @example await resolveReportPath('latest.json'); // '/home/me/reports/2026-03.json' when latest.json links there
 */
export async function resolveReportPath(path: string): Promise<{ readonly writePath: string; readonly existing: Stats | null }> {
  const own = await statOrNull(path, false);
  let writePath = resolve(path);
  if (own?.isSymbolicLink()) {
    try {
      writePath = await realpath(path);
    } catch {
      throw new ReportTargetError('is a symbolic link to nothing; give the file itself');
    }
  }
  const existing = await statOrNull(writePath, true);
  if (existing !== null) {
    if (existing.isDirectory()) throw new ReportTargetError('is a folder; give a file name');
    if (!existing.isFile()) {
      throw new ReportTargetError(`is ${kindOf(existing)}, not a regular file, and is not replaced; give a file name, or '-' for standard output`);
    }
  }
  return { writePath, existing };
}

async function nearestExisting(dir: string): Promise<string> {
  for (let d = dir; ; d = dirname(d)) {
    if ((await statOrNull(d, true)) !== null || dirname(d) === d) return d;
  }
}

/**
 * Checks a report target before any activity is read: not a folder, a
 * device, a pipe or a socket (a symbolic link counts as what it points to),
 * not one of `inputs`, and in a folder that can be written.
 *
 * @throws {ReportTargetError} with the reason.
 * @example await checkReportTarget('report.html', ['runs/']);
 */
export async function checkReportTarget(path: string, inputs: readonly string[]): Promise<void> {
  if (path.endsWith('/') || path.endsWith(sep)) throw new ReportTargetError('is a folder; give a file name');
  const { writePath, existing } = await resolveReportPath(path);
  if (existing !== null) {
    for (const input of inputs) {
      const st = await statOrNull(input, true).catch(() => null);
      if (st !== null && st.dev === existing.dev && st.ino === existing.ino) {
        throw new ReportTargetError(`is one of the inputs (${input}); the report would replace it. Give another file name`);
      }
    }
  }
  const dir = dirname(writePath);
  const base = await nearestExisting(dir);
  if (base !== dir) {
    // the folder will be created: its nearest existing parent must be writable
    try {
      await access(base, fsConstants.W_OK);
    } catch {
      throw new ReportTargetError(`EACCES: cannot create the folder ${dir}`, 'unwritable');
    }
    return;
  }
  const probe = join(dir, `.${basename(writePath)}.${process.pid}.${randomBytes(4).toString('hex')}.probe`);
  try {
    const fh = await open(probe, 'wx', NEW_REPORT_MODE);
    await fh.close();
    await rm(probe, { force: true });
  } catch (error) {
    throw new ReportTargetError(errnoOf(error), 'unwritable');
  }
}

/**
 * Writes `content` to `path` atomically: temporary file in the same folder
 * (created if missing), then rename. A symbolic link at `path` is followed
 * (its target is replaced, the link stays); a device, pipe or socket is
 * never replaced. The permission bits of an existing file are kept; a new
 * file gets {@link NEW_REPORT_MODE}.
 *
 * @throws {ReportTargetError} when the target is not a regular file; file-system errors as they come.
 * @example
 * await writeFileAtomic('report/stridewise-report.html', html, pending);
 */
export async function writeFileAtomic(path: string, content: string, pending: PendingFiles): Promise<void> {
  const { writePath, existing } = await resolveReportPath(path);
  const dir = dirname(writePath);
  await mkdir(dir, { recursive: true });
  const mode = existing !== null ? existing.mode & 0o7777 : NEW_REPORT_MODE;
  const tmp = join(dir, `.${basename(writePath)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  pending.add(tmp);
  try {
    // 'wx': never through a file or link planted under the temporary name
    const fh = await open(tmp, 'wx', NEW_REPORT_MODE);
    try {
      await fh.writeFile(content, 'utf8');
    } finally {
      await fh.close();
    }
    await chmod(tmp, mode);
    await rename(tmp, writePath);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  } finally {
    pending.delete(tmp);
  }
}
