/**
 * The gzip layer against lying and unusual gzip files. The trailer's ISIZE
 * (size mod 2^32 of the last member) is a hint, never a bound: decoding is
 * streamed and counted, so a bomb stops at `maxDecompressedBytes` whatever
 * its trailer says, concatenated members are all read, and padding after the
 * last member is ignored.
 */
import { gzipSync as zlibGzip } from 'node:zlib';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { parseActivities } from '../../src/parse/index.js';
import { checkInput } from './check.js';
import { concatBytes } from '../../src/parse/bytes.js';

const enc = new TextEncoder();
const GPX = encodeGpx({ startTime: new Date('2024-05-27T06:00:00Z'), sport: 'running', ...steadyRunSamples({ seconds: 120, speedMps: 3, cadenceSpm: 170 }) });

function setIsize(gz: Uint8Array, size: number): Uint8Array {
  const out = gz.slice();
  new DataView(out.buffer).setUint32(out.length - 4, size >>> 0, true);
  return out;
}

/** Joined copy of two or more parts (every call here passes at least two, so the result is always new). */
const concat = (...parts: readonly Uint8Array[]): Uint8Array => concatBytes(parts);

async function codeOf(input: Uint8Array, options: Parameters<typeof parseActivities>[1] = {}): Promise<string> {
  try {
    const a = await parseActivities(input, options);
    return `${a.length} activities, ${a.reduce((n, x) => n + x.samples.length, 0)} samples`;
  } catch (e) {
    return (e as { code: string }).code;
  }
}

describe('gzip: the trailer is a hint, the stream is counted', () => {
  it('a bomb whose trailer claims 100 bytes is stopped at the limit: DECOMPRESSED_TOO_LARGE, not a silent cut', async () => {
    // 64 MiB of zeros (~64 kB compressed), ISIZE rewritten to 100; limit 1 MiB.
    // Before streaming, the decoder trusted ISIZE: it inflated everything and returned 100 zero bytes (UNKNOWN_FORMAT).
    const bomb = setIsize(new Uint8Array(zlibGzip(new Uint8Array(64 * 1024 * 1024), { level: 1 })), 100);
    expect(bomb.length).toBeLessThan(400_000);
    const t0 = performance.now();
    expect(await codeOf(bomb, { limits: { maxDecompressedBytes: 1024 * 1024 } })).toBe('DECOMPRESSED_TOO_LARGE');
    // 16 kB pushes inflate at most ~16 MiB before the count is checked; nowhere near the 64 MiB
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('an honest gzip over the limit → DECOMPRESSED_TOO_LARGE', async () => {
    const gz = gzipSync(enc.encode(GPX));
    expect(await codeOf(gz, { limits: { maxDecompressedBytes: 1000 } })).toBe('DECOMPRESSED_TOO_LARGE');
  });

  it('a trailer that under-reports the size does not cut the content', async () => {
    // ISIZE 5 for a 30 kB GPX: before, the output was cut to 5 bytes (UNKNOWN_FORMAT)
    const gz = setIsize(gzipSync(enc.encode(GPX)), 5);
    expect(await codeOf(gz)).toBe('1 activities, 121 samples');
  });

  it('concatenated members (gzip a b > x.gz) are all read', async () => {
    // Planted truth: the GPX split in two halves, gzipped separately; 121 points in all.
    const half = Math.floor(GPX.length / 2);
    const two = concat(gzipSync(enc.encode(GPX.slice(0, half))), gzipSync(enc.encode(GPX.slice(half))));
    expect(await codeOf(two)).toBe('1 activities, 121 samples');
  });

  it('zero padding or junk after the last member is ignored', async () => {
    const gz = gzipSync(enc.encode(GPX));
    // before: ISIZE was read from the padding (0) and the file reported EMPTY_INPUT
    expect(await codeOf(concat(gz, new Uint8Array(512)))).toBe('1 activities, 121 samples');
    expect(await codeOf(concat(gz, enc.encode('trailing junk\n')))).toBe('1 activities, 121 samples');
  });

  it('cut, header-only and damaged gzip → GZIP_CORRUPT', async () => {
    const gz = gzipSync(enc.encode(GPX));
    // cut inside the deflate data: the last 4 bytes are compressed data, not a size (before: read as ISIZE → DECOMPRESSED_TOO_LARGE)
    expect(await codeOf(gz.subarray(0, gz.length - 12))).toBe('GZIP_CORRUPT');
    expect(await codeOf(gz.subarray(0, 10))).toBe('GZIP_CORRUPT');
    expect(await codeOf(Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))).toBe('GZIP_CORRUPT');
    const bad = gz.slice();
    bad[2] = 7; // compression method 7 (only 8, deflate, exists)
    expect(await codeOf(bad)).toBe('GZIP_CORRUPT');
    const blocks = gz.slice();
    blocks[10] = 0xff; // first deflate block header: type 3 is reserved
    expect(await codeOf(blocks)).toBe('GZIP_CORRUPT');
  });

  it('gzip inside gzip is read; three layers are refused', async () => {
    const once = gzipSync(enc.encode(GPX));
    expect(await codeOf(gzipSync(once))).toBe('1 activities, 121 samples');
    expect(await codeOf(gzipSync(gzipSync(once)))).toBe('UNKNOWN_FORMAT');
  });

  it('every cut of a small gzip file ends in activities or a typed error', async () => {
    const gz = gzipSync(enc.encode(GPX.slice(0, 3000)));
    for (let k = 0; k <= gz.length; k++) {
      const o = await checkInput(gz.subarray(0, k));
      expect(o.violations, `cut at ${k}`).toEqual([]);
    }
  });
});
