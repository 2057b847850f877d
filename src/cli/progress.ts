/**
 * A one-line progress bar on standard error while files are read. Drawn
 * only on an interactive terminal: pipes, files and CI logs stay clean.
 */

/** The part of a writable stream the bar needs. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(chunk: string): boolean;
}

/** A progress display; `update` is cheap to call often (redraws at most every 100 ms). */
export interface Progress {
  update(done: number, total: number | undefined): void;
  /** Clears the line. */
  finish(): void;
}

/**
 * Whether a progress bar belongs on this stream: a TTY, not under CI, not a dumb terminal.
 *
 * @example
 * wantsProgress(process.stderr, process.env); // false in a pipe
 */
export function wantsProgress(stream: ProgressStream, env: Readonly<Record<string, string | undefined>>): boolean {
  const ci = env['CI'];
  return stream.isTTY === true && (ci === undefined || ci === '' || ci === '0' || ci === 'false') && env['TERM'] !== 'dumb';
}

/**
 * The text of the bar for a state, fitted to `width` columns.
 *
 * @example
 * progressLine(5, 20, 40); // "stridewise [#####...............] 5/20 files"
 */
export function progressLine(done: number, total: number | undefined, width: number): string {
  if (total === undefined || total <= 0) return `stridewise: ${done} ${done === 1 ? 'file' : 'files'} read…`.slice(0, Math.max(10, width - 1));
  const counter = ` ${done}/${total} files`;
  const barWidth = Math.max(10, Math.min(40, width - 1 - 'stridewise []'.length - counter.length));
  const filled = Math.min(barWidth, Math.round((done / total) * barWidth));
  return `stridewise [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]${counter}`;
}

const NO_PROGRESS: Progress = { update() {}, finish() {} };

/**
 * A progress bar on `stream` when {@link wantsProgress} says so, else a
 * no-op. `now` is injectable for tests.
 *
 * @example
 * const progress = createProgress(process.stderr, process.env);
 * for await (const f of loadActivities(paths, { onProgress: progress.update })) { ... }
 * progress.finish();
 */
export function createProgress(
  stream: ProgressStream,
  env: Readonly<Record<string, string | undefined>>,
  now: () => number = Date.now,
): Progress {
  if (!wantsProgress(stream, env)) return NO_PROGRESS;
  let last = -Infinity;
  let drawn = false;
  return {
    update(done, total) {
      const t = now();
      if (t - last < 100 && !(total !== undefined && done >= total)) return;
      last = t;
      drawn = true;
      stream.write(`\r\u001b[2K${progressLine(done, total, stream.columns || 80)}`);
    },
    finish() {
      if (drawn) stream.write('\r\u001b[2K');
      drawn = false;
    },
  };
}
