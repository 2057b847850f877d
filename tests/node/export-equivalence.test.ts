/**
 * Generated counterpart of the real-file check "corpus files inside a
 * generated Garmin-like export give the same outcome as from the folder"
 * (tests/node/corpus.test.ts): demo-season FIT, GPX and TCX files, a FIT
 * monitoring file and broken files, read from a folder and from an export
 * whose FIT files sit in an inner zip written with data descriptors (as
 * Garmin's are), give the same activities or error code per file.
 */
import { relative, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeDemoActivity, generateDemoSeason } from '../../fixtures/demo-season/index.js';
import { type LoadedFile, loadActivities } from '../../src/node/load.js';
import { fitMonitoring, streamedZipOf, tempDir, zipOf } from './build.js';

function outcome(f: LoadedFile): string {
  return f.error !== undefined ? f.error.code : f.activities.map((a) => a.id).join(',');
}

describe('generated files inside a Garmin-like export', () => {
  const t = tempDir();
  afterAll(() => t.cleanup());

  it('give the same outcome for each file as reading them from the folder', async () => {
    const keys = ['w01-tue', 'w02-sat-ride', 'w03-wed-walk', 'w03-thu-tcx', 'w08-thu-hills-gps', 'w11-wed-swim'];
    const files: Record<string, Uint8Array | string> = {};
    for (const a of generateDemoSeason().filter((x) => keys.includes(x.plan.key))) files[`activities/${a.fileName}`] = encodeDemoActivity(a);
    files['activities/monitoring.fit'] = fitMonitoring('2025-03-05T00:00:00Z');
    files['activities/empty.fit'] = new Uint8Array(0);
    files['activities/notes.gpx'] = 'not a track';
    expect(Object.keys(files).length).toBe(keys.length + 3);
    for (const [p, data] of Object.entries(files)) t.write(`folder/${p}`, data);

    const fromFolder = new Map<string, string>();
    const folder = `${t.dir}/folder`;
    for await (const f of loadActivities(folder)) fromFolder.set(relative(folder, f.path).split(sep).join('/'), outcome(f));
    expect(fromFolder.size).toBe(Object.keys(files).length);
    expect([...fromFolder.values()].filter((o) => /^[A-Z_]+$/.test(o)).sort()).toEqual(['EMPTY_INPUT', 'NOT_AN_ACTIVITY', 'UNKNOWN_FORMAT']);

    const fit: Record<string, Uint8Array | string> = {};
    const other: Record<string, Uint8Array | string> = {};
    for (const [p, data] of Object.entries(files)) (p.endsWith('.fit') ? fit : other)[p] = data;
    const inner = 'DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip';
    const zip = t.write('export.zip', zipOf({ ...other, [inner]: streamedZipOf(fit) }));
    const fromZip = new Map<string, string>();
    for await (const f of loadActivities(zip)) fromZip.set(f.path.slice(zip.length + 1).replace(`${inner}!`, ''), outcome(f));
    expect(fromZip).toEqual(fromFolder);
  });
});
