/**
 * Progress of one `loadActivities` call: `done` counts files processed,
 * `total` is the number of files the call will process once it is known.
 * It is unknown (`undefined`) while an archive whose content cannot be counted
 * in advance (a zip inside a zip, read as a stream) is pending.
 */

/**
 * Progress callback: files processed so far and, when known, in total.
 *
 * @example const onProgress: ProgressCallback = (done, total) => console.log(total === undefined ? `${done}` : `${done}/${total}`);
 */
export type ProgressCallback = (done: number, total: number | undefined) => void;

/**
 * Mutable progress counter owned by one load call (never shared between calls).
 *
 * @example
 * const p = new ProgressCounter((d, t) => console.log(d, t));
 * p.expect(2); p.report(); p.step(); p.step(); // logs 0 2, 1 2, 2 2
 */
export class ProgressCounter {
  private readonly callback: ProgressCallback | undefined;
  private doneCount = 0;
  private knownCount = 0;
  private openContainers = 0;
  private lastTotal: number | undefined | null = null;
  private lastDone = -1;

  constructor(callback: ProgressCallback | undefined) {
    this.callback = callback;
  }

  /** Files processed so far. */
  get done(): number {
    return this.doneCount;
  }

  /** Total when known, else `undefined`. */
  get total(): number | undefined {
    return this.openContainers > 0 ? undefined : this.knownCount;
  }

  /** Adds `n` (may be negative when a plan is revised) files to the expected total. */
  expect(n: number): void {
    this.knownCount += n;
  }

  /** A container whose file count is unknown until it has been read. */
  openContainer(): void {
    this.openContainers++;
  }

  /** A container opened with {@link ProgressCounter.openContainer} has been read to its end. */
  closeContainer(): void {
    this.openContainers = Math.max(0, this.openContainers - 1);
  }

  /** One file processed. */
  step(): void {
    this.doneCount++;
    this.report();
  }

  /** Reports the current state if it differs from the last report (start and end of a call). */
  report(): void {
    const total = this.total;
    if (this.callback === undefined || (this.lastDone === this.doneCount && this.lastTotal === total)) return;
    this.lastDone = this.doneCount;
    this.lastTotal = total;
    this.callback(this.doneCount, total);
  }
}
