/**
 * Symbolic links and files that change between listing and reading. A link
 * in a folder that leads out of the folders given (into /proc, and through
 * it the whole file system) is not followed unless `followLinks` is set; a
 * link inside them is. A file swapped for a named pipe or a link to
 * /dev/zero after the folder was listed is caught on the open handle
 * (`fstat`), so it neither blocks nor is read without end.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { type LoadOptions, loadActivities } from '../../src/node/load.js';

const root = mkdtempSync(join(tmpdir(), 'stridewise-links-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const GPX = encodeGpx({ startTime: new Date('2024-05-27T06:00:00Z'), sport: 'running', ...steadyRunSamples({ seconds: 30, speedMps: 3, cadenceSpm: 170 }) });
const canLink = process.platform !== 'win32' && existsSync('/dev/zero');

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const out = await Promise.race([work, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms)))]);
  clearTimeout(timer);
  return out;
}

async function outcomes(path: string, options: LoadOptions = {}): Promise<string[]> {
  const out: string[] = [];
  for await (const f of loadActivities(path, options)) out.push(`${f.path.slice(path.length + 1)} ${f.error?.code ?? f.activities.length}`);
  return out;
}

describe.skipIf(!canLink)('links out of the given folders', () => {
  it('are reported and not followed by default (a file, a folder, /proc); links inside the folders are followed; followLinks follows all', async () => {
    const outside = join(root, 'outside');
    mkdirSync(join(outside, 'deep'), { recursive: true });
    writeFileSync(join(outside, 'secret.gpx'), GPX);
    writeFileSync(join(outside, 'deep', 'other.gpx'), GPX);
    const given = join(root, 'given');
    mkdirSync(join(given, 'sub'), { recursive: true });
    writeFileSync(join(given, 'sub', 'run.gpx'), GPX);
    symlinkSync(join(outside, 'secret.gpx'), join(given, 'a-file-link.gpx'));
    symlinkSync(join(outside, 'deep'), join(given, 'b-folder-link'));
    symlinkSync('/proc/self', join(given, 'c-proc'));
    symlinkSync(join(given, 'sub', 'run.gpx'), join(given, 'd-inside.gpx'));
    const t0 = performance.now();
    const byDefault = await within(10_000, outcomes(given));
    expect(byDefault).toEqual([
      'a-file-link.gpx FILE_UNREADABLE',
      'b-folder-link FILE_UNREADABLE',
      'c-proc FILE_UNREADABLE',
      'd-inside.gpx 1',
      'sub/run.gpx 1',
    ]);
    expect(performance.now() - t0).toBeLessThan(2_000);
    unlinkSync(join(given, 'c-proc')); // followed, /proc/self/root is the whole file system: what the default prevents
    const followed = await within(10_000, outcomes(given, { followLinks: true }));
    expect(followed).toContain('a-file-link.gpx 1');
    expect(followed).toContain('b-folder-link/other.gpx 1');
  });
});

describe.skipIf(!canLink)('a file swapped after the folder was listed', () => {
  it('for a named pipe, then for a link to /dev/zero: FILE_UNREADABLE at once, the other files load', async () => {
    for (const kind of ['pipe', 'zero'] as const) {
      const dir = join(root, `swap-${kind}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'a.gpx'), GPX);
      writeFileSync(join(dir, 'b.gpx'), GPX);
      let swapped = false;
      const out = await within(
        5_000,
        outcomes(dir, {
          // progress is first reported after the folder is listed and before any file is read
          onProgress: () => {
            if (swapped) return;
            swapped = true;
            unlinkSync(join(dir, 'a.gpx'));
            if (kind === 'pipe') execFileSync('mkfifo', [join(dir, 'a.gpx')]);
            else symlinkSync('/dev/zero', join(dir, 'a.gpx'));
          },
        }),
      );
      expect(out, kind).toEqual(['a.gpx FILE_UNREADABLE', 'b.gpx 1']);
    }
  });
});
