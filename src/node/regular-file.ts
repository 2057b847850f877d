/**
 * Opening a path that must be a regular file without ever blocking or
 * reading without end: the file is opened non-blocking (a named pipe opens
 * at once instead of waiting for a writer), then the open handle is checked
 * with `fstat` (so a file swapped for a link to `/dev/zero` between listing
 * and reading is caught), and at most its size, within a limit, is read.
 */
import { constants as fsConstants, type Stats } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

/** Flags for opening a file to read: non-blocking where the platform has it. */
export const READ_NONBLOCK = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0);

/** Why a path could not be read as a regular file. */
export type RegularFileProblem =
  | { readonly problem: 'not-regular'; readonly stats: Stats }
  | { readonly problem: 'too-large'; readonly sizeBytes: number };

/**
 * Opens `path` for reading and checks the handle: a regular file gives its
 * handle and stats; anything else is closed and described.
 *
 * @throws the file-system error of `open` (ENOENT, EACCES, ...).
 * @example const got = await openRegularFile('run.fit'); if ('fh' in got) await got.fh.close();
 */
export async function openRegularFile(path: string): Promise<{ readonly fh: FileHandle; readonly stats: Stats } | RegularFileProblem> {
  const fh = await open(path, READ_NONBLOCK);
  let stats: Stats;
  try {
    stats = await fh.stat();
  } catch (error) {
    await fh.close();
    throw error;
  }
  if (!stats.isFile()) {
    await fh.close();
    return { problem: 'not-regular', stats };
  }
  return { fh, stats };
}

/**
 * Reads a regular file whole, refusing it when it is over `maxBytes` (from
 * the size of the open handle, before reading) or not a regular file. Reads
 * at most the size found, so a file that grows meanwhile cannot run on.
 *
 * @throws the file-system error of `open` or `read`.
 * @example const got = await readRegularFile('rules.json', 1024 * 1024); if (got instanceof Uint8Array) JSON.parse(new TextDecoder().decode(got));
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<Uint8Array | RegularFileProblem> {
  const got = await openRegularFile(path);
  if (!('fh' in got)) return got;
  const { fh, stats } = got;
  try {
    if (stats.size > maxBytes) return { problem: 'too-large', sizeBytes: stats.size };
    const buf = new Uint8Array(stats.size);
    let at = 0;
    while (at < buf.length) {
      const { bytesRead } = await fh.read(buf, at, buf.length - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return buf.subarray(0, at);
  } finally {
    await fh.close();
  }
}
