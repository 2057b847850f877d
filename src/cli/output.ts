/**
 * Report files are written to a temporary file beside the target, then
 * renamed over it: a reader never sees half a report, and Ctrl-C leaves the
 * old file (or none) instead of a partial one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

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
 * Writes `content` to `path` atomically: temporary file in the same folder
 * (created if missing), then rename.
 *
 * @example
 * await writeFileAtomic('report/stridewise-report.html', html, pending);
 */
export async function writeFileAtomic(path: string, content: string, pending: PendingFiles): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  pending.add(tmp);
  try {
    await writeFile(tmp, content, 'utf8');
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  } finally {
    pending.delete(tmp);
  }
}
