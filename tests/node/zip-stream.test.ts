import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { updateCrc32 } from '../../src/node/crc32.js';
import { decodeEntryName, isSkippedName } from '../../src/node/names.js';
import { type EntrySink, ZipStreamReader } from '../../src/node/zip-stream.js';
import { bytes, damageEntry, markEncrypted, streamedZipOf, zipOf } from './build.js';

type Got = { name: string; data?: Uint8Array; error?: string };

/** Reads a zip through ZipStreamReader, fed in chunks of the given sizes (cycled). */
function readStreamed(zip: Uint8Array, chunkSizes: readonly number[] = [zip.length]): { entries: Got[]; archiveError?: string } {
  const entries: Got[] = [];
  let archiveError: string | undefined;
  const reader = new ZipStreamReader({
    entry: (h): EntrySink | undefined => {
      if (h.encrypted) {
        entries.push({ name: h.name, error: 'encrypted' });
        return undefined;
      }
      const parts: Uint8Array[] = [];
      return {
        write: (chunk) => {
          parts.push(chunk.slice());
          return true;
        },
        end: () => {
          const n = parts.reduce((s, p) => s + p.length, 0);
          const data = new Uint8Array(n);
          let o = 0;
          for (const p of parts) {
            data.set(p, o);
            o += p.length;
          }
          entries.push({ name: h.name, data });
        },
        fail: (code) => entries.push({ name: h.name, error: code }),
      };
    },
    error: (code, message) => {
      archiveError = `${code}: ${message}`;
    },
  });
  let pos = 0;
  for (let k = 0; pos < zip.length; k++) {
    const size = Math.max(1, chunkSizes[k % chunkSizes.length]!);
    reader.push(zip.subarray(pos, pos + size));
    pos += size;
  }
  reader.finish();
  return archiveError !== undefined ? { entries, archiveError } : { entries };
}

const writers = {
  'sizes in headers, deflate': (f: Record<string, Uint8Array>) => zipOf(f, 6),
  'sizes in headers, stored': (f: Record<string, Uint8Array>) => zipOf(f, 0),
  'data descriptors, deflate': (f: Record<string, Uint8Array>) => streamedZipOf(f),
  'data descriptors, stored': (f: Record<string, Uint8Array>) => streamedZipOf(f, true),
};

describe('ZipStreamReader', () => {
  it.each(Object.entries(writers))('gives back every entry byte for byte (%s), whatever the chunking (property)', (_label, write) => {
    const files = fc.dictionary(
      // `__proto__` would turn the object handed to the zip writer into a prototype change, not an entry
      fc.stringMatching(/^[a-z0-9_]{1,12}(\.fit|\.gpx)?$/).filter((n) => n !== '__proto__'),
      fc.oneof(fc.uint8Array({ maxLength: 3000 }), fc.constantFrom(new Uint8Array(0), bytes('PK\u0007\u0008'.repeat(40)))),
      { minKeys: 1, maxKeys: 6 },
    );
    fc.assert(
      fc.property(files, fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 8 }), (f, chunks) => {
        const zip = write(f);
        const { entries, archiveError } = readStreamed(zip, chunks);
        expect(archiveError).toBeUndefined();
        expect(entries.map((e) => e.name)).toEqual(Object.keys(f));
        for (const e of entries) expect(e.data).toEqual(f[e.name]);
      }),
      { numRuns: 60 },
    );
  });

  it('is not fooled by a data-descriptor signature inside stored data', () => {
    // stored + data descriptor: the only way to find the end is the descriptor; the data holds
    // the signature followed by plausible-looking numbers, but not its own compressed size
    const tricky = new Uint8Array(64);
    tricky.set([0x50, 0x4b, 0x07, 0x08, 1, 2, 3, 4, 10, 0, 0, 0, 10, 0, 0, 0], 20);
    const zip = streamedZipOf({ 'a.bin': tricky, 'b.bin': bytes('after') }, true);
    const { entries } = readStreamed(zip, [7]);
    expect(entries.map((e) => e.name)).toEqual(['a.bin', 'b.bin']);
    expect(entries[0]!.data).toEqual(tricky);
    expect(new TextDecoder().decode(entries[1]!.data)).toBe('after');
  });

  it('reports encrypted, damaged, cut-short and non-zip input', () => {
    const f = { 'a.txt': bytes('alpha '.repeat(200)), 'b.txt': bytes('beta '.repeat(200)) };
    const enc = readStreamed(markEncrypted(zipOf(f), 'a.txt'));
    expect(enc.entries.map((e) => e.error ?? 'ok')).toEqual(['encrypted', 'ok']);
    const dmg = readStreamed(damageEntry(zipOf(f), 'a.txt'));
    expect(dmg.entries.map((e) => e.error ?? 'ok')).toEqual(['ZIP_CORRUPT', 'ok']);
    let seed = 7;
    const noise = new Uint8Array(4000).map(() => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24);
    const whole = streamedZipOf({ 'a.txt': f['a.txt'], 'b.bin': noise });
    // cut inside b.bin's data: the noise does not compress, so 3000 bytes before the end is inside it
    const cut = readStreamed(whole.subarray(0, whole.length - 3000), [100]);
    expect(cut.entries.map((e) => e.error ?? 'ok')).toEqual(['ok', 'ZIP_CORRUPT']);
    expect(readStreamed(bytes('hello, not a zip')).archiveError).toMatch(/^ZIP_CORRUPT/);
    expect(readStreamed(new Uint8Array(0)).archiveError).toMatch(/^ZIP_CORRUPT/);
  });

  it('stops decoding when the sink says so (no further callbacks for that entry)', () => {
    const calls: string[] = [];
    const reader = new ZipStreamReader({
      entry: (h) => ({
        write: () => {
          calls.push(`write ${h.name}`);
          return false;
        },
        end: () => calls.push(`end ${h.name}`),
        fail: () => calls.push(`fail ${h.name}`),
      }),
      error: () => calls.push('error'),
    });
    reader.push(streamedZipOf({ 'a.bin': new Uint8Array(200_000), 'b.bin': bytes('x') }));
    reader.finish();
    expect(calls).toEqual(['write a.bin', 'write b.bin']);
  });
});

describe('names and CRC', () => {
  it('CRC-32 of "123456789" is the check value 0xCBF43926 (ISO-HDLC catalogue)', () => {
    expect(updateCrc32(0, bytes('123456789'))).toBe(0xcbf43926);
    expect(updateCrc32(updateCrc32(0, bytes('12345')), bytes('6789'))).toBe(0xcbf43926);
  });

  it('decodes CP437 names and neutralises control characters', () => {
    // 0x81 is ü in CP437, 0x1B (ESC) is a control character
    expect(decodeEntryName(new Uint8Array([0x4d, 0x81, 0x6e, 0x1b, 0x5c, 0x61]), false)).toBe('Mün\ufffd/a');
    expect(decodeEntryName(bytes('Lauf/Müller.fit'), true)).toBe('Lauf/Müller.fit');
  });

  it.each([
    ['activities/1.fit.gz', false],
    ['a/b/c', false],
    ['run.GPX', false],
    ['./x.fit', false],
    ['../../etc/passwd', false],
    ['.hidden.fit', true],
    ['a/.git/b.fit', true],
    ['__MACOSX/._a.fit', true],
    ['dir/', true],
    ['x.csv', true],
    ['x.JSON', true],
    ['x.txt.gz', true],
    ['photo.jpeg', true],
  ])('isSkippedName(%s) is %s', (name, skipped) => {
    expect(isSkippedName(name)).toBe(skipped);
  });
});
