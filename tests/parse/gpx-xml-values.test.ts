/** The number and ISO-8601 readers shared by the GPX and TCX parsers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseIsoMs, parseXmlNumber } from '../../src/parse/xml/values.js';

describe('parseIsoMs', () => {
  it.each([
    // Expected values from Date.UTC / Date.parse on the same instants.
    ['2024-05-27T06:15:00Z', Date.UTC(2024, 4, 27, 6, 15, 0)],
    ['2024-05-27T06:15:00.250Z', Date.UTC(2024, 4, 27, 6, 15, 0, 250)],
    ['2024-05-27T06:15:00.000Z', Date.UTC(2024, 4, 27, 6, 15, 0)],
    ['  2024-05-27T06:15:00Z\n', Date.UTC(2024, 4, 27, 6, 15, 0)],
    ['2020-12-27T15:43:49.000+01:00', Date.UTC(2020, 11, 27, 14, 43, 49)],
    ['2020-12-27T15:43:49-0530', Date.UTC(2020, 11, 27, 21, 13, 49)],
    ['2020-12-27T15:43:49+02', Date.UTC(2020, 11, 27, 13, 43, 49)],
    ['2019-01-29T10:25:12', Date.UTC(2019, 0, 29, 10, 25, 12)], // no zone: UTC, as GPX/TCX define
    ['2019-01-29 10:25:12Z', Date.UTC(2019, 0, 29, 10, 25, 12)],
    ['2019-01-29T10:25Z', Date.UTC(2019, 0, 29, 10, 25, 0)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
    ['1901-12-13T20:45:52Z', Date.UTC(1901, 11, 13, 20, 45, 52)],
    ['2000-01-01T00:00:00,5Z', Date.UTC(2000, 0, 1, 0, 0, 0, 500)],
  ])('%j', (text, expected) => {
    expect(parseIsoMs(text)).toBe(expected);
  });

  it('keeps fractions below a millisecond', () => {
    // Epoch milliseconds near 2024 resolve to 2^-12 ms in a double, so compare to 0.001 ms.
    expect(parseIsoMs('2024-01-01T00:00:00.1234Z') - Date.UTC(2024, 0, 1)).toBeCloseTo(123.4, 3);
  });

  it.each([
    '',
    'yesterday',
    '2024-13-01T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '2024-04-31T00:00:00Z',
    '2024-05-01T24:00:00Z',
    '2024-05-01T23:60:00Z',
    '2024-05-01T23:59:60Z',
    '2024-05-01T23:59:59.Z',
    '2024-05-01T23:59:59Q',
    '2024-05-01T23:59:59+25:00',
    '2024-05-01T23:59:59Z junk',
    '2024/05/01T23:59:59Z',
    '2024-05-01',
  ])('%j → NaN', (text) => {
    expect(parseIsoMs(text)).toBeNaN();
  });

  it('property: agrees with Date for every toISOString() output from 1900 to 2100', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        const iso = new Date(ms).toISOString();
        expect(parseIsoMs(iso)).toBe(ms);
        expect(parseIsoMs(iso.replace(/\.\d{3}Z$/, 'Z'))).toBe(Math.floor(ms / 1000) * 1000);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: a zone offset shifts the instant by exactly that offset', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (ms, offsetMin) => {
          const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 23);
          const a = Math.abs(offsetMin);
          const zone = `${offsetMin < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
          expect(parseIsoMs(local + zone)).toBe(ms);
          expect(Date.parse(local + zone)).toBe(ms);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('parseXmlNumber', () => {
  it.each([
    ['172', 172],
    [' 172 ', 172],
    ['-12.5', -12.5],
    ['+3', 3],
    ['.5', 0.5],
    ['0', 0],
    ['1e3', 1000],
    ['46,5', 46.5],
    ['48.05249767', 48.05249767],
    ['142.89999389648438', 142.89999389648438],
  ])('%j → %d', (text, expected) => {
    expect(parseXmlNumber(text)).toBe(expected);
  });

  it.each(['', '   ', '12abc', 'abc', '-', '.', '1,2,3', 'NaN'])('%j → NaN (never 0 or a prefix)', (text) => {
    expect(parseXmlNumber(text)).toBeNaN();
  });

  it('property: exactly Number() for every decimal a double prints as', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        // String(-0) is '0', so the reference is Number(String(x)), not x.
        expect(Object.is(parseXmlNumber(String(x)), Number(String(x)))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('property: exactly Number() for fixed-point strings (the fast path)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^-?\d{1,10}(\.\d{1,12})?$/), (s) => {
        expect(parseXmlNumber(s)).toBe(Number(s));
      }),
      { numRuns: 3000 },
    );
  });
});
