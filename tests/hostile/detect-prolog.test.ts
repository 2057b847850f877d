/**
 * Format detection reads the root element after the prolog. A GPX whose
 * prolog (a licence comment, a long processing instruction) runs past the
 * first 4,096 characters is still a GPX; a text that merely mentions `<gpx`
 * in its first lines is not one.
 */
import { describe, expect, it } from 'vitest';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { detectFormat } from '../../src/parse/index.js';

const GPX = encodeGpx({ startTime: new Date('2024-05-27T06:00:00Z'), sport: 'running', ...steadyRunSamples({ seconds: 10, speedMps: 3, cadenceSpm: 170 }) });

describe('format detection looks at the root element, wherever the prolog ends', () => {
  it('a GPX after an 8 kB licence comment is a GPX', () => {
    const licence = `<!-- ${'Licensed under the Open Database License. '.repeat(200)} -->\n`;
    const doc = GPX.replace('<gpx', `${licence}<gpx`);
    expect(doc.indexOf('<gpx')).toBeGreaterThan(4096);
    expect(detectFormat(doc)).toBe('gpx');
  });

  it('a note that mentions <gpx> in its first line is not a GPX', () => {
    expect(detectFormat('Notes: convert the <gpx> file first, then upload.\n')).toBe('unknown');
  });
});
