import { describe, expect, it } from 'vitest';
import type { Activity } from '../../src/activity.js';
import { applyStravaInfo, lookupStrava, parseStravaCsv } from '../../src/node/strava.js';

describe('parseStravaCsv', () => {
  it('takes the first of duplicate columns and keeps quoted commas and new lines', () => {
    const csv =
      'Activity ID,Activity Name,Distance,Activity Gear,Filename,Distance,Activity Gear\n' +
      '7,"Tempo, then hills",10.1,"Shoe ""A""",activities/7.fit.gz,10100,Other\n' +
      '8,"Two\nlines",5,,activities/8.gpx,5000,\n';
    const index = parseStravaCsv(csv);
    expect(lookupStrava(index, 'activities/7.fit.gz')).toEqual({ name: 'Tempo, then hills', gear: 'Shoe "A"' });
    expect(lookupStrava(index, 'activities/8.gpx')).toEqual({ name: 'Two\nlines' });
  });

  it('joins case-insensitively, with ./ or backslashes, and by a unique base name', () => {
    const index = parseStravaCsv('Activity Name,Filename\nA,activities/1.GPX\nB,sub/2.gpx\nC,other/2.gpx\n');
    expect(lookupStrava(index, './Activities\\1.gpx')?.name).toBe('A');
    expect(lookupStrava(index, 'elsewhere/1.gpx')?.name).toBe('A');
    // 2.gpx occurs twice: no guess by base name
    expect(lookupStrava(index, 'elsewhere/2.gpx')).toBeUndefined();
    expect(lookupStrava(index, 'sub/2.gpx')?.name).toBe('B');
  });

  it('leaves out manual entries and gives an empty index for CSV without a file column', () => {
    expect(parseStravaCsv('Activity Name,Filename\nManual,\n').byPath.size).toBe(0);
    expect(parseStravaCsv('a,b\n1,2\n').byPath.size).toBe(0);
    expect(parseStravaCsv('').byPath.size).toBe(0);
  });

  it('throws on text that is not CSV (unterminated quote)', () => {
    expect(() => parseStravaCsv('a,"b\n1,2')).toThrow();
  });
});

describe('applyStravaInfo', () => {
  const activity = { id: 'x', name: 'from file', source: { format: 'gpx', indexInFile: 0 } } as unknown as Activity;
  it('returns new objects; the CSV name wins; absent fields keep the file values', () => {
    const [named] = applyStravaInfo([activity], { gear: 'Shoe' });
    expect(named).not.toBe(activity);
    expect(named!.name).toBe('from file');
    expect(named!.gear).toBe('Shoe');
    expect(applyStravaInfo([activity], { name: 'CSV' })[0]!.name).toBe('CSV');
    expect(activity.gear).toBeUndefined();
    expect(applyStravaInfo([activity], undefined)[0]).toBe(activity);
  });
});
