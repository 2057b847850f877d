import { gzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { detectFormat, parseActivities } from '../../src/parse/index.js';
import { ParseError } from '../../src/errors.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('detectFormat', () => {
  it('finds FIT by the .FIT signature at offset 8, not by name', () => {
    const header = Uint8Array.of(14, 0x20, 0, 0, 0, 0, 0, 0, 0x2e, 0x46, 0x49, 0x54, 0, 0);
    expect(detectFormat(header)).toBe('fit');
  });
  it('finds GPX and TCX by their root element, with any prefix, after BOM, whitespace and comments', () => {
    expect(detectFormat('\uFEFF  <?xml version="1.0"?><!-- c --><gpx version="1.1">')).toBe('gpx');
    expect(detectFormat(enc('\n\n   <?xml version="1.0"?>\n<TrainingCenterDatabase>'))).toBe('tcx');
    expect(detectFormat('<g:gpx xmlns:g="http://www.topografix.com/GPX/1/1">')).toBe('gpx');
  });
  it('recognises gzip and zip, and says unknown otherwise', () => {
    expect(detectFormat(gzipSync(enc('<gpx/>')))).toBe('gzip');
    expect(detectFormat(zipSync({ 'a.txt': enc('x') }))).toBe('zip');
    expect(detectFormat('hello, world')).toBe('unknown');
    expect(detectFormat('<html><body>')).toBe('unknown');
  });
});

describe('parseActivities input errors', () => {
  const code = async (input: Uint8Array | string, options = {}): Promise<string> => {
    try {
      await parseActivities(input, options);
      return 'no error';
    } catch (e) {
      expect(e).toBeInstanceOf(ParseError);
      return (e as ParseError).code;
    }
  };
  it('empty and blank inputs give EMPTY_INPUT', async () => {
    expect(await code(new Uint8Array(0))).toBe('EMPTY_INPUT');
    expect(await code('  \n\t ')).toBe('EMPTY_INPUT');
    expect(await code(gzipSync(new Uint8Array(0)))).toBe('EMPTY_INPUT');
  });
  it('unknown content gives UNKNOWN_FORMAT, a zip says where archives are read', async () => {
    expect(await code('just some text')).toBe('UNKNOWN_FORMAT');
    expect(await code(zipSync({ 'a.fit': enc('x') }))).toBe('ARCHIVE_NOT_SUPPORTED_HERE');
  });
  it('damaged gzip gives GZIP_CORRUPT', async () => {
    const gz = gzipSync(enc('<gpx>'.repeat(100)));
    expect(await code(gz.subarray(0, gz.length - 12))).toBe('GZIP_CORRUPT');
  });
  it('inputs over the limits give FILE_TOO_LARGE and DECOMPRESSED_TOO_LARGE', async () => {
    expect(await code('<gpx>' + ' '.repeat(2000), { limits: { maxInputBytes: 1000 } })).toBe('FILE_TOO_LARGE');
    const bomb = gzipSync(new Uint8Array(200_000));
    expect(await code(bomb, { limits: { maxDecompressedBytes: 100_000 } })).toBe('DECOMPRESSED_TOO_LARGE');
  });
});

describe('XML text encodings', () => {
  const gpx = (name: string): string =>
    `<?xml version="1.0" encoding="ENC"?><gpx version="1.1" creator="t"><trk><name>${name}</name><trkseg>` +
    '<trkpt lat="46.5" lon="6.6"><time>2024-05-01T06:00:00Z</time></trkpt>' +
    '<trkpt lat="46.501" lon="6.6"><time>2024-05-01T06:00:10Z</time></trkpt></trkseg></trk></gpx>';
  it('reads UTF-16 with a byte-order mark', async () => {
    const text = '\uFEFF' + gpx('Genève').replace('ENC', 'UTF-16');
    const bytes = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      bytes[2 * i] = text.charCodeAt(i) & 0xff;
      bytes[2 * i + 1] = text.charCodeAt(i) >> 8;
    }
    expect(detectFormat(bytes)).toBe('gpx');
    const [a] = await parseActivities(bytes);
    expect(a?.name).toBe('Genève');
  });
  it('honours a declared ISO-8859-1 encoding', async () => {
    const text = gpx('Genève').replace('ENC', 'ISO-8859-1');
    const bytes = Uint8Array.from(text, (c) => c.charCodeAt(0)); // latin-1: one byte per char, è = 0xE8
    const [a] = await parseActivities(bytes);
    expect(a?.name).toBe('Genève');
  });
});

describe('implausible start times', () => {
  it('a GPX dated 1901 keeps its relative times but has no start time (CLOCK_NOT_SET)', async () => {
    const gpx =
      '<gpx version="1.0"><trk><trkseg>' +
      '<trkpt lat="46.5" lon="6.6"><time>1901-12-13T20:45:52Z</time></trkpt>' +
      '<trkpt lat="46.501" lon="6.6"><time>1901-12-13T20:46:02Z</time></trkpt></trkseg></trk></gpx>';
    const [a] = await parseActivities(gpx);
    expect(a?.startTime).toBeUndefined();
    expect(a?.warnings.map((w) => w.code)).toContain('CLOCK_NOT_SET');
    expect(a?.samples.timeS[1]).toBe(10); // 20:46:02 − 20:45:52
  });
});
