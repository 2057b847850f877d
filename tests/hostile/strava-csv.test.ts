/**
 * A hostile Strava `activities.csv` inside an export: poisoned headers and
 * values, broken quoting, NUL bytes, a huge field, thousands of columns.
 * The activity files always load (the CSV only adds names and gear), a CSV
 * that cannot be read is reported once, and no prototype is touched.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeFitActivity, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { type LoadedFile, loadActivities } from '../../src/node/load.js';
import { KNOWN_ERROR_CODES } from './check.js';

const enc = new TextEncoder();
const FIT = encodeFitActivity({ startTime: new Date('2024-05-27T06:00:00Z'), samples: steadyRunSamples({ seconds: 30, speedMps: 3, cadenceSpm: 170 }) });
const root = mkdtempSync(join(tmpdir(), 'stridewise-csv-'));
/** Object.prototype as it was before any CSV was read: names and the type of each value. */
const PROTO_BEFORE = Object.getOwnPropertyNames(Object.prototype)
  .sort()
  .map((k) => `${k}:${typeof Object.getOwnPropertyDescriptor(Object.prototype, k)?.value}`);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const HEADER = 'Activity ID,Activity Name,Filename,Activity Gear';
const CSVS: Record<string, string> = {
  'poisoned headers': `__proto__,constructor,Filename,prototype,Activity Name\n1,2,activities/1.fit,3,__proto__\n`,
  'poisoned values': `${HEADER}\n1,__proto__,activities/1.fit,constructor\n1,toString,activities/1.fit,hasOwnProperty\n`,
  'unbalanced quote': `${HEADER}\n1,"Morning run,activities/1.fit,Shoes\n`,
  'NUL bytes and BOM': `\uFEFF${HEADER}\r\n1,Run\u0000\u0000,activities/1.fit,Sh\u0000oes\r\n`,
  'huge field': `${HEADER}\n1,${'x'.repeat(5_000_000)},activities/1.fit,Shoes\n`,
  '10,000 columns': `${Array.from({ length: 10_000 }, (_, i) => `c${i}`).join(',')},Filename\n${Array.from({ length: 10_000 }, () => '1').join(',')},activities/1.fit\n`,
  'ragged rows': `${HEADER}\n1\n1,a,activities/1.fit,b,c,d,e\n,,,\n`,
  'binary junk': String.fromCharCode(...Array.from({ length: 4000 }, (_, i) => (i * 131) % 256)),
  empty: '',
};

describe('hostile activities.csv in a Strava export', () => {
  it.each(Object.entries(CSVS))('%s: the activity loads, the CSV adds at most a name and gear, prototypes untouched', async (label, csv) => {
    const zip = join(root, `${label.replace(/\W+/g, '-')}.zip`);
    writeFileSync(zip, zipSync({ 'activities.csv': enc.encode(csv), 'activities/1.fit': FIT }));
    const files: LoadedFile[] = [];
    const t0 = performance.now();
    for await (const f of loadActivities(zip)) files.push(f);
    expect(performance.now() - t0).toBeLessThan(20_000);
    const fit = files.filter((f) => f.path.endsWith('!activities/1.fit'));
    expect(fit).toHaveLength(1);
    expect(fit[0]!.activities).toHaveLength(1);
    const a = fit[0]!.activities[0]!;
    if (a.name !== undefined) expect(typeof a.name).toBe('string');
    if (a.gear !== undefined) expect(typeof a.gear).toBe('string');
    // an unreadable CSV is one extra outcome with a code, never a lost activity
    for (const f of files.filter((x) => x !== fit[0])) {
      expect(f.path.endsWith('activities.csv')).toBe(true);
      expect(KNOWN_ERROR_CODES).toContain(f.error!.code);
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(
      Object.getOwnPropertyNames(Object.prototype)
        .sort()
        .map((k) => `${k}:${typeof Object.getOwnPropertyDescriptor(Object.prototype, k)?.value}`),
    ).toEqual(PROTO_BEFORE);
  });
});
