/**
 * Paths that are not regular files: a character device never ends
 * (/dev/zero filled 4 GB of memory in 8 s) and a named pipe blocks its reader
 * until a writer comes (loading hung for ever). Both are reported as
 * FILE_UNREADABLE, given directly, found in a folder or reached by a symlink,
 * and the batch goes on.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { loadActivities, readActivityFile } from '../../src/node/load.js';

const root = mkdtempSync(join(tmpdir(), 'stridewise-special-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let fifo: string | undefined;
try {
  execFileSync('mkfifo', [join(root, 'pipe.fit')]);
  fifo = join(root, 'pipe.fit');
} catch {
  fifo = undefined;
}
const hasDevZero = existsSync('/dev/zero');
const skip = fifo === undefined || !hasDevZero;
if (skip) console.warn('[stridewise tests] special-file tests skipped: mkfifo or /dev/zero not available on this system');

/** Fails instead of hanging: the work must end within `ms`. */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const out = await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms)))]);
  clearTimeout(timer);
  return out;
}

describe.skipIf(skip)(`devices and named pipes${skip ? ' (skipped: mkfifo or /dev/zero missing)' : ''}`, () => {
  it('given directly: FILE_UNREADABLE at once (loadActivities and readActivityFile)', async () => {
    for (const p of ['/dev/zero', fifo!]) {
      const files = await within(5000, (async () => {
        const out: string[] = [];
        for await (const f of loadActivities(p)) out.push(`${f.path} ${f.error?.code}`);
        return out;
      })());
      expect(files).toEqual([`${p} FILE_UNREADABLE`]);
      await expect(within(5000, readActivityFile(p))).rejects.toMatchObject({ code: 'FILE_UNREADABLE' });
    }
  });

  it('in a folder, or behind a symlink, beside good files: reported, the good files load', async () => {
    const dir = join(root, 'batch');
    execFileSync('mkdir', ['-p', dir]);
    writeFileSync(join(dir, 'a.gpx'), encodeGpx({ startTime: new Date('2024-05-27T06:00:00Z'), sport: 'running', ...steadyRunSamples({ seconds: 30, speedMps: 3, cadenceSpm: 170 }) }));
    execFileSync('mkfifo', [join(dir, 'b-pipe.fit')]);
    symlinkSync('/dev/zero', join(dir, 'c-zero.fit'));
    symlinkSync('/dev/zero', join(dir, 'activities.csv'));
    const out = await within(10_000, (async () => {
      const r: string[] = [];
      for await (const f of loadActivities(dir)) r.push(`${f.path.slice(dir.length + 1)} ${f.error?.code ?? f.activities.length}`);
      return r;
    })());
    expect(out).toContain('a.gpx 1');
    expect(out).toContain('b-pipe.fit FILE_UNREADABLE');
    expect(out).toContain('c-zero.fit FILE_UNREADABLE');
    expect(out).toContain('activities.csv FILE_UNREADABLE');
  });
});
