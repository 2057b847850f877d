import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import type { Activity } from '../../src/activity.js';
import { loadActivities } from '../../src/node/load.js';
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

describe('activities.csv "Activity Type": the sport of files that state none', () => {
  it('reads the type column in English and German headers', () => {
    const en = parseStravaCsv('Activity ID,Activity Name,Activity Type,Filename\n1,Lunch,Ride,activities/1.gpx\n2,X,,activities/2.gpx\n');
    expect(lookupStrava(en, 'activities/1.gpx')).toEqual({ name: 'Lunch', type: 'Ride' });
    expect(lookupStrava(en, 'activities/2.gpx')).toEqual({ name: 'X' });
    const de = parseStravaCsv('Aktivitäts-ID,Aktivitätsname,Aktivitätsart,Dateiname\n1,Mittag,Radfahrt,activities/1.gpx\n');
    expect(lookupStrava(de, 'activities/1.gpx')?.type).toBe('Radfahrt');
  });

  it('in a Strava-shaped export folder: the type over the data, the file over the type, the CSV name when there is no type', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stridewise-strava-sport-'));
    try {
      const gpx = (file: string, speedMps: number, cadence: number, type?: string): void => {
        const s = steadyRunSamples({ seconds: 1800, speedMps, cadenceSpm: cadence });
        const samples = Number.isNaN(cadence) ? { ...s, cadenceSpm: s.cadenceSpm.map(() => Number.NaN) } : s;
        const text = encodeGpx(
          { startTime: new Date('2025-06-01T06:00:00Z'), sport: type ?? 'generic', name: 'Track', ...samples },
          { writeType: type !== undefined, cadenceAs: 'steps' },
        );
        mkdirSync(join(dir, 'activities'), { recursive: true });
        writeFileSync(join(dir, 'activities', file), text);
      };
      // 4 m/s at 80 /min: the data alone read it as an 80 strides/min run (160 steps/min)
      gpx('1.gpx', 4, 80);
      // 2.1 m/s without cadence: the data cannot tell
      gpx('2.gpx', 2.1, Number.NaN);
      gpx('3.gpx', 3, 170, 'running');
      gpx('4.gpx', 2.1, Number.NaN);
      writeFileSync(
        join(dir, 'activities.csv'),
        'Activity ID,Activity Name,Activity Type,Filename\n' +
          '1,Commute,Ride,activities/1.gpx\n2,Abendrunde,Lauf,activities/2.gpx\n3,Pool,Swim,activities/3.gpx\n4,Evening Walk,,activities/4.gpx\n',
      );
      const got = new Map<string, Activity>();
      for await (const f of loadActivities(dir)) got.set(f.path.slice(f.path.lastIndexOf('/') + 1), f.activities[0]!);
      const cadence = (a: Activity): number => a.samples.cadenceSpm[10]!;
      expect([got.get('1.gpx')!.sport, got.get('1.gpx')!.sportSource, cadence(got.get('1.gpx')!)]).toEqual(['cycling', 'export-metadata', 80]);
      expect(got.get('1.gpx')!.cadence.factor).toBe(1);
      expect([got.get('2.gpx')!.sport, got.get('2.gpx')!.sportSource]).toEqual(['running', 'export-metadata']);
      expect([got.get('3.gpx')!.sport, got.get('3.gpx')!.sportSource, cadence(got.get('3.gpx')!)]).toEqual(['running', 'file', 170]);
      expect([got.get('4.gpx')!.sport, got.get('4.gpx')!.sportSource, got.get('4.gpx')!.name]).toEqual(['walking', 'name', 'Evening Walk']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
