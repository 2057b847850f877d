/**
 * Hostile archives through `loadActivities` with the real parsers: bombs
 * (ratio, lying sizes, overlapping entries, wide and deep nesting), odd and
 * traversal names (read as labels only: a child process with an empty cwd
 * and TMPDIR proves nothing is written), encrypted, damaged and unsupported
 * entries reported one by one while the rest load, and randomly damaged
 * archives that must still end in one typed outcome per entry.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { gzipSync, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFitActivity, FIT_FILE_TYPE, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { encodeTcx } from '../../fixtures/lib/tcx-writer.js';
import { type LoadedFile, type LoadOptions, loadActivities } from '../../src/node/load.js';
import { KNOWN_ERROR_CODES, nonFiniteNumbers } from './check.js';
import { fuzzRuns, fuzzSeed } from './harness.js';
import { bitFlips, byteNoise, truncation } from './mutate.js';
import { noise, rawZip } from './zip-raw.js';
import { summarizeActivity } from '../../src/analysis/index.js';

const enc = new TextEncoder();
const START = new Date('2024-05-27T06:00:00Z');
const samples = steadyRunSamples({ seconds: 60, speedMps: 3, cadenceSpm: 170 });
const FIT = encodeFitActivity({ startTime: START, samples });
const GPX = enc.encode(encodeGpx({ startTime: START, sport: 'running', ...samples }));
const TCX = enc.encode(encodeTcx({ startTime: START, sport: 'running', ...samples }));
const MONITORING = encodeFitActivity({ startTime: START, samples: { timeS: [] }, sessions: [], writeActivity: false, fileType: FIT_FILE_TYPE.monitoringB });

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'stridewise-hostile-'));
  dirs.push(d);
  return d;
}

async function load(paths: string | string[], options: LoadOptions = {}, timeoutMs = 60_000): Promise<LoadedFile[]> {
  const files: LoadedFile[] = [];
  const run = (async () => {
    for await (const f of loadActivities(paths, options)) files.push(f);
  })();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    run,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`loadActivities did not finish within ${timeoutMs} ms`)), timeoutMs);
    }),
  ]);
  clearTimeout(timer);
  return files;
}

/** Every outcome is typed, never INTERNAL, and every activity summarises to finite numbers. */
function expectSound(files: readonly LoadedFile[], label: string): void {
  for (const f of files) {
    expect(typeof f.path, label).toBe('string');
    if (f.error !== undefined) {
      expect(KNOWN_ERROR_CODES, `${label}: ${f.path}`).toContain(f.error.code);
      expect(f.error.code, `${label}: ${f.path}: ${f.error.message}`).not.toBe('INTERNAL');
      expect(f.error.message.length).toBeGreaterThan(0);
      expect(f.activities).toEqual([]);
    } else {
      expect(f.activities.length, `${label}: ${f.path}`).toBeGreaterThan(0);
      for (const a of f.activities) expect(nonFiniteNumbers(summarizeActivity(a)), `${label}: ${f.path}`).toEqual([]);
    }
  }
}

function outcome(files: readonly LoadedFile[], root: string): string[] {
  return files.map((f) => `${f.path.startsWith(root) ? f.path.slice(root.length + 1) : f.path} ${f.error ? f.error.code : `${f.activities.length}`}`);
}

describe('one archive, every kind of bad entry: each reported on its own, the rest loads', () => {
  it('good FIT/GPX/TCX.gz beside encrypted, damaged, bad-CRC, unsupported, empty, lying and non-activity entries', async () => {
    const d = tmp();
    const zeros = new Uint8Array(4 * 1024 * 1024);
    const zip = rawZip([
      { name: 'a/run.fit', data: FIT, deflate: true },
      { name: 'a/secret.fit', data: FIT, deflate: true, flags: 1 },
      { name: 'a/bzip2.fit', data: FIT, method: 12 },
      { name: 'a/badcrc.gpx', data: GPX, crc: 0x12345678 },
      { name: 'a/run.gpx', data: GPX },
      { name: 'a/empty.fit', data: new Uint8Array(0) },
      { name: 'a/liar.fit', data: zeros, deflate: true, declaredSize: 100 },
      { name: 'a/wellness.fit', data: MONITORING, deflate: true },
      { name: 'a/run.tcx.gz', data: gzipSync(TCX) },
      { name: 'a/noise.fit', data: noise(5000) },
    ]);
    const path = join(d, 'mixed.zip');
    writeFileSync(path, zip);
    const files = await load(path);
    expect(outcome(files, d)).toEqual([
      'mixed.zip!a/run.fit 1',
      'mixed.zip!a/secret.fit ZIP_ENCRYPTED',
      'mixed.zip!a/bzip2.fit ZIP_UNSUPPORTED',
      'mixed.zip!a/badcrc.gpx ZIP_CORRUPT',
      'mixed.zip!a/run.gpx 1',
      'mixed.zip!a/empty.fit EMPTY_INPUT',
      'mixed.zip!a/liar.fit ZIP_BOMB',
      'mixed.zip!a/wellness.fit NOT_AN_ACTIVITY',
      'mixed.zip!a/run.tcx.gz 1',
      'mixed.zip!a/noise.fit UNKNOWN_FORMAT',
    ]);
    expectSound(files, 'mixed.zip');
  });
});

describe('a damaged central directory', () => {
  it('an inconsistent directory record stops the archive with one ZIP_CORRUPT that says how far it got; entries before it load', async () => {
    // the second central record's signature is overwritten: the directory cannot be walked past the first record
    const d = tmp();
    const path = join(d, 'cd.zip');
    const zip = rawZip([{ name: 'first.fit', data: FIT }, { name: 'bad.fit', data: FIT }, { name: 'last.fit', data: FIT }]);
    const second = Buffer.from(zip).indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), Buffer.from(zip).indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 4);
    zip[second + 2] = 0x09;
    writeFileSync(path, zip);
    const files = await load(path);
    expect(outcome(files, d)).toEqual(['cd.zip!first.fit 1', 'cd.zip ZIP_CORRUPT']);
    expect(files[1]!.error!.message).toMatch(/after 1 entr/);
  });
});

describe('zip bombs', () => {
  it('ratio bomb with default limits: 64 MiB of zeros in 64 kB is stopped after ~1 MiB, the next entry still loads', async () => {
    const d = tmp();
    const path = join(d, 'ratio.zip');
    writeFileSync(path, zipSync({ 'bomb.gpx': [new Uint8Array(64 * 1024 * 1024), { level: 9 }], 'ok.fit': [FIT, { level: 6 }] }));
    expect(statSync(path).size).toBeLessThan(200_000);
    const t0 = performance.now();
    const files = await load(path);
    expect(outcome(files, d)).toEqual(['ratio.zip!bomb.gpx ZIP_BOMB', 'ratio.zip!ok.fit 1']);
    expect(files[0]!.error!.message).toMatch(/200:1/);
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  it('the ratio, entry size and archive size limits are configurable', async () => {
    const d = tmp();
    const path = join(d, 'cfg.zip');
    writeFileSync(path, zipSync({ 'z.fit': [new Uint8Array(2 * 1024 * 1024), { level: 9 }], 'ok.fit': [FIT, { level: 0 }] }));
    // ratio check off (huge ratio): 2 MiB of zeros are inflated and given to the parser
    expect(outcome(await load(path, { archiveLimits: { maxCompressionRatio: 1e12 } }), d)).toEqual(['cfg.zip!z.fit UNKNOWN_FORMAT', 'cfg.zip!ok.fit 1']);
    // entry limit below 2 MiB
    expect(outcome(await load(path, { archiveLimits: { maxCompressionRatio: 1e12, maxEntryBytes: 1024 * 1024 } }), d)).toEqual(['cfg.zip!z.fit ZIP_BOMB', 'cfg.zip!ok.fit 1']);
    // archive limit below one entry's declared size: that entry is refused, the rest loads
    const small = await load(path, { archiveLimits: { maxArchiveBytes: 1024 * 1024 } });
    expect(outcome(small, d)).toEqual(['cfg.zip!z.fit ZIP_BOMB', 'cfg.zip!ok.fit 1']);
    expect(small[0]!.error!.message).toMatch(/archive limit/);
  });

  it('overlapping entries (200 central records over one 256 kB local entry): the first is read, the other 199 refused without inflating', async () => {
    const d = tmp();
    const path = join(d, 'overlap.zip');
    const extra = Array.from({ length: 199 }, (_, i) => ({ name: `o${String(i).padStart(3, '0')}.fit`, target: 0 }));
    writeFileSync(path, rawZip([{ name: 'base.fit', data: noise(256 * 1024) }], extra));
    // 256 kB read once (noise: not an activity), not 200 × 256 kB = 50 MiB; the archive limit is no longer what stops it
    const files = await load(path, { archiveLimits: { maxArchiveBytes: 10 * 1024 * 1024 } });
    expectSound(files, 'overlap.zip');
    expect(outcome(files, d).slice(0, 2)).toEqual(['overlap.zip!base.fit UNKNOWN_FORMAT', 'overlap.zip!o000.fit ZIP_BOMB']);
    expect(files.filter((f) => f.error?.code === 'ZIP_BOMB' && /overlap/.test(f.error.message))).toHaveLength(199);
    // with sizes that lie (1 byte each) the same: the overlap is found from the offsets, not from the sizes
    const liar = join(d, 'overlap-liar.zip');
    writeFileSync(liar, rawZip([{ name: 'base.fit', data: noise(256 * 1024), declaredSize: 1 }], extra));
    const l = await load(liar);
    expectSound(l, 'overlap-liar.zip');
    expect(l).toHaveLength(200);
    expect(l.filter((f) => /overlap/.test(f.error?.message ?? ''))).toHaveLength(199);
  });

  it('wide and deep nesting (4 levels × 4 zips, 2 MiB-zero leaves): depth limit and ratio stop it, every container and leaf reported', async () => {
    const leaf = new Uint8Array(2 * 1024 * 1024);
    let level: Uint8Array = zipSync({ 'leaf.fit': [leaf, { level: 9 }], 'run.fit': [FIT, { level: 6 }] });
    for (let k = 0; k < 3; k++) {
      const entries: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
      for (let i = 0; i < 4; i++) entries[`z${i}.zip`] = [level, { level: 0 }];
      level = zipSync(entries);
    }
    const d = tmp();
    const path = join(d, '42.zip');
    writeFileSync(path, level);
    const t0 = performance.now();
    const files = await load(path);
    expectSound(files, '42.zip');
    // 4 levels of zips inside the top-level one: depth 4 > maxZipDepth 3, so the 4 × 4 × 4 zips at depth 4 are refused
    expect(files).toHaveLength(64);
    expect(files.every((f) => f.error?.code === 'ZIP_TOO_DEEP')).toBe(true);
    expect(performance.now() - t0).toBeLessThan(30_000);
    // one level less deep: leaves are reached, bombs refused by ratio, runs loaded
    const shallow = await load(path, { archiveLimits: { maxZipDepth: 4 } });
    expectSound(shallow, '42.zip depth 4');
    expect(shallow).toHaveLength(128);
    expect(shallow.filter((f) => f.error?.code === 'ZIP_BOMB')).toHaveLength(64);
    expect(shallow.filter((f) => f.activities.length === 1)).toHaveLength(64);
  });
});

describe('names are labels only; nothing is ever written', () => {
  const here = fileURLToPath(new URL('.', import.meta.url));

  it('traversal, absolute, drive-letter, NUL, 60 kB, duplicate and "!" names: one outcome each, no file written anywhere', () => {
    const d = tmp();
    const archiveDir = join(d, 'in');
    const cwd = join(d, 'cwd');
    const tmpd = join(d, 'tmp');
    for (const p of [archiveDir, cwd, tmpd]) mkdirSync(p);
    const names: (string | Uint8Array)[] = [
      '../../../../tmp/evil.fit',
      '/etc/cron.d/evil.gpx',
      'C:\\Windows\\evil.tcx',
      '..\\..\\evil2.fit',
      Uint8Array.from([...enc.encode('nul'), 0, ...enc.encode('.fit')]),
      'a/'.repeat(20_000) + 'long.gpx',
      'dup.gpx',
      'dup.gpx',
      'bang!inner.zip!x.gpx',
      'ünïcødé/日本.fit',
      '__proto__',
      'constructor.gpx',
      './dot/../x.gpx',
    ];
    const data = [FIT, GPX, TCX, FIT, FIT, GPX, GPX, GPX, GPX, FIT, GPX, GPX, GPX];
    const zip = rawZip(names.map((name, i) => ({ name, data: data[i]! })));
    writeFileSync(join(archiveDir, 'names.zip'), zip);
    const before = JSON.stringify([readdirSync(d, { recursive: true }), readdirSync(archiveDir)]);
    const child = spawnSync(process.execPath, [join(here, 'load-child.mjs'), JSON.stringify({ paths: [join(archiveDir, 'names.zip')] })], {
      cwd,
      env: { ...process.env, TMPDIR: tmpd, TEMP: tmpd, TMP: tmpd },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.status, child.stderr).toBe(0);
    const files = JSON.parse(child.stdout) as { path: string; code: string | null; activities: number }[];
    // count in == count out: every entry gives one outcome, each a loaded activity
    expect(files).toHaveLength(names.length);
    expect(files.map((f) => f.code ?? f.activities)).toEqual(names.map(() => 1));
    expect(files.every((f) => f.path.startsWith(join(archiveDir, 'names.zip') + '!'))).toBe(true);
    // eslint-disable-next-line no-control-regex
    expect(files.some((f) => /[\u0000-\u001f]/.test(f.path))).toBe(false);
    expect(readdirSync(cwd)).toEqual([]);
    // tsx (which runs the TypeScript sources in the child) keeps its compile cache in TMPDIR as tsx-<uid>; nothing else may appear
    expect(readdirSync(tmpd).filter((n) => !/^tsx-\d+$/.test(n))).toEqual([]);
    const after = (readdirSync(d, { recursive: true }) as string[]).filter((n) => !/^tmp\/tsx-\d+(\/|$)/.test(n));
    expect(JSON.stringify([after, readdirSync(archiveDir)])).toBe(before);
  });
});

describe('randomly damaged archives: one typed outcome per entry read, never a throw or a hang', () => {
  it('bit flips, noise and cuts anywhere in a zip of real files (with a nested zip and a gzip entry)', async () => {
    const inner = zipSync({ 'in/run.fit': [FIT, { level: 6 }], 'in/run.gpx': [GPX, { level: 0 }] });
    const original = zipSync({
      'run.fit': [FIT, { level: 6 }],
      'run.gpx': [GPX, { level: 6 }],
      'run.tcx.gz': [gzipSync(TCX), { level: 0 }],
      'nested.zip': [inner, { level: 0 }],
      'wellness.fit': [MONITORING, { level: 6 }],
    });
    const d = tmp();
    let n = 0;
    let entriesOut = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(bitFlips, byteNoise, truncation), async (m) => {
        const damaged = m(original);
        const path = join(d, `z${n++}.zip`);
        writeFileSync(path, damaged.bytes);
        const files = await load(path, {}, 30_000);
        if (process.env['DEBUG_HOSTILE']) console.log(damaged.label, outcome(files, d));
        expectSound(files, damaged.label);
        expect(files.length, damaged.label).toBeGreaterThan(0);
        expect(files.every((f) => f.path.startsWith(path)), damaged.label).toBe(true);
        entriesOut += files.length;
        rmSync(path);
      }),
      { numRuns: fuzzRuns(60), seed: fuzzSeed(), endOnFailure: true },
    );
    console.log(`[hostile] archives: ${n} damaged zips, ${entriesOut} outcomes, no throw, no INTERNAL`);
  });

  it('a damaged zip inside an intact zip (the streaming reader of nested zips gets the damage)', async () => {
    const inner = zipSync({
      'in/run.fit': [FIT, { level: 6 }],
      'in/run.gpx': [GPX, { level: 0 }],
      'in/deeper.zip': [zipSync({ 'x.tcx': [TCX, { level: 6 }] }), { level: 0 }],
      'in/wellness.fit': [MONITORING, { level: 6 }],
    });
    const d = tmp();
    let n = 0;
    let outcomes = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(bitFlips, byteNoise, truncation), fc.boolean(), async (m, deflateOuter) => {
        const damaged = m(inner);
        const path = join(d, `n${n++}.zip`);
        writeFileSync(path, zipSync({ 'before.fit': [FIT, { level: 6 }], 'inner.zip': [damaged.bytes, { level: deflateOuter ? 6 : 0 }], 'after.gpx': [GPX, { level: 6 }] }));
        const files = await load(path, {}, 30_000);
        expectSound(files, damaged.label);
        // the intact entries around the damaged zip always load
        expect(files.find((f) => f.path === `${path}!before.fit`)?.activities.length, damaged.label).toBe(1);
        expect(files.find((f) => f.path === `${path}!after.gpx`)?.activities.length, damaged.label).toBe(1);
        outcomes += files.length;
        rmSync(path);
      }),
      { numRuns: fuzzRuns(60), seed: fuzzSeed(), endOnFailure: true },
    );
    console.log(`[hostile] nested archives: ${n} damaged inner zips, ${outcomes} outcomes, the intact neighbours always loaded`);
  });
});
