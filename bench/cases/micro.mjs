/**
 * Child process of the benchmark: every single-file timing (GPX and FIT
 * parsing against their references, analysis, linearity), in plain Node.
 * The benchmark driver runs under tsx, whose loader hooks make each
 * `import()` a round trip to another thread (about 0.25 ms against 0.01 ms
 * in plain Node); the parsers load their format code with `import()` on
 * first use, so timing them under tsx would charge them for the tool.
 * Prints one JSON line of medians in ms.
 *
 * Usage: node bench/cases/micro.mjs <dist-dir> <inputs-dir> <quick 0|1>
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Decoder, Stream } from '@garmin/fitsdk';
import FitParser from 'fit-file-parser';

const [distDir, inputsDir, quickArg] = process.argv.slice(2);
if (distDir === undefined || inputsDir === undefined) throw new Error('usage: micro.mjs <dist-dir> <inputs-dir> <quick 0|1>');
const quick = quickArg === '1';
const reps = (n) => (quick ? Math.max(3, Math.ceil(n / 3)) : n);
const core = await import(pathToFileURL(join(distDir, 'index.js')).href);

/** Median of a list (copied). */
function medianOf(values) {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 === 1 ? s[n >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Medians of each function, timed in turn after one warm-up call each (same as bench/lib/timing.ts). */
async function interleaved(fns, n) {
  const keys = Object.keys(fns);
  const runs = Object.fromEntries(keys.map((k) => [k, []]));
  for (const k of keys) await fns[k]();
  for (let r = 0; r < n; r++) {
    for (const k of keys) {
      const t0 = performance.now();
      await fns[k]();
      runs[k].push(performance.now() - t0);
    }
  }
  return Object.fromEntries(keys.map((k) => [k, medianOf(runs[k])]));
}

/**
 * The floor for GPX: one pass over the bytes that pulls out every number
 * (sign, integer and fraction) and adds them up, knowing nothing of XML.
 */
function bareNumberScan(bytes) {
  let sum = 0;
  let int = 0;
  let frac = 0;
  let scale = 1;
  let sign = 1;
  let state = 0; // 0 outside, 1 integer part, 2 fraction
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (c >= 48 && c <= 57) {
      if (state === 2) {
        frac = frac * 10 + (c - 48);
        scale *= 10;
      } else {
        int = int * 10 + (c - 48);
        state = 1;
      }
    } else if (c === 46 && state === 1) {
      state = 2;
    } else {
      if (state !== 0) {
        sum += sign * (int + frac / scale);
        int = 0;
        frac = 0;
        scale = 1;
        state = 0;
      }
      sign = c === 45 ? -1 : 1;
    }
  }
  if (state !== 0) sum += sign * (int + frac / scale);
  return sum;
}

/** fit-file-parser as stridewise calls it (list mode, SI units), on a copy of the bytes. */
const rawFit = (bytes) =>
  new FitParser({ force: true, mode: 'list', speedUnit: 'm/s', lengthUnit: 'm', temperatureUnit: 'celsius' }).parseAsync(bytes.slice().buffer);

const read = (name) => new Uint8Array(readFileSync(join(inputsDir, name)));
const files = {
  '1h': { gpx: read('run-1h.gpx'), fit: read('run-1h.fit') },
  '10h': { gpx: read('run-10h.gpx'), fit: read('run-10h.fit') },
};
const out = { gpx: {}, fit: {}, linear: {}, history: {} };

for (const k of ['1h', '10h']) {
  const f = files[k];
  out.gpx[k] = await interleaved({ ours: () => core.parseActivities(f.gpx), scan: () => bareNumberScan(f.gpx) }, reps(k === '1h' ? 15 : 7));
  const [activity] = await core.parseActivities(f.fit);
  out.fit[k] = await interleaved(
    {
      raw: () => rawFit(f.fit),
      // fromByteArray copies the bytes into a fresh buffer (a Uint8Array is accepted as is)
      sdk: () => new Decoder(Stream.fromByteArray(f.fit)).read(),
      ours: () => core.parseActivities(f.fit),
      summarize: () => core.summarizeActivity(activity),
    },
    reps(k === '1h' ? 15 : 7),
  );
}

// five years of runs (about 4–5 a week), from one real summary with shifted dates and distances
{
  const [a] = await core.parseActivities(files['1h'].fit);
  const base = core.summarizeActivity(a);
  const rand = (i) => ((i * 2654435761) >>> 0) / 2 ** 32;
  const summaries = [];
  const start = Date.parse('2020-01-06T06:30:00Z');
  for (let i = 0, day = 0; day < 5 * 365; i++) {
    day += 1 + Math.floor(rand(i) * 2.2);
    const t = new Date(start + day * 86_400_000);
    const k = 0.6 + rand(i + 7) * 1.2;
    summaries.push({
      ...base,
      id: `bench-${i}`,
      startTime: t.toISOString(),
      localDate: t.toISOString().slice(0, 10),
      distanceM: base.distanceM * k,
      runningDistanceM: base.runningDistanceM * k,
      gear: i % 3 === 0 ? 'Shoe A' : 'Shoe B',
    });
  }
  const history = core.analyzeHistory(summaries);
  const t = await interleaved({ history: () => core.analyzeHistory(summaries), rules: () => core.evaluateRules(history, summaries) }, reps(7));
  out.history = { runs: summaries.length, ...t };
}

// one 10 h file against ten passes over the 1 h file, timed in turn: the same data, the same load
{
  const [a1] = await core.parseActivities(files['1h'].fit);
  const [a10] = await core.parseActivities(files['10h'].fit);
  const tenTimes = async (f) => {
    for (let i = 0; i < 10; i++) await f();
  };
  // a lap every second (the most a device writes; hostile files write more): laps must add one pass, not one pass each
  const secondLaps = (a) => {
    const t = a.samples.timeS;
    const end = t[t.length - 1];
    const laps = [];
    for (let s = 0; s < end; s++) laps.push({ startS: s, endS: s + 1, timerTimeS: 1, distanceM: Number.NaN, avgCadenceSpm: Number.NaN });
    return { ...a, laps };
  };
  const l1 = secondLaps(a1);
  const l10 = secondLaps(a10);
  const cases = {
    'GPX parse': [() => core.parseActivities(files['1h'].gpx), () => core.parseActivities(files['10h'].gpx)],
    'FIT parse': [() => core.parseActivities(files['1h'].fit), () => core.parseActivities(files['10h'].fit)],
    summarizeActivity: [() => core.summarizeActivity(a1), () => core.summarizeActivity(a10)],
    'summarizeActivity, a lap every second': [() => core.summarizeActivity(l1), () => core.summarizeActivity(l10)],
    'fit-file-parser raw decode (reference, no target)': [() => rawFit(files['1h'].fit), () => rawFit(files['10h'].fit)],
  };
  for (const [label, [one, ten]] of Object.entries(cases)) {
    out.linear[label] = await interleaved({ tenShort: () => tenTimes(one), oneLong: ten }, reps(7));
  }
}

console.log(JSON.stringify(out));
