/**
 * Child process of the benchmark: times the gpxparser package (which installs
 * a global `window` through jsdom on import, so it never runs in the main
 * benchmark process) on the GPX files given, and prints one JSON line.
 *
 * Usage: tsx bench/cases/gpxparser.ts <file.gpx>:<reps>...  (reps 1: no warm-up)
 */
import { readFileSync } from 'node:fs';
import { timeMedianMs } from '../lib/timing.js';

type GpxParser = new () => { parse(text: string): void; tracks: { points: unknown[] }[] };

const jobs = process.argv.slice(2).map((arg) => {
  const i = arg.lastIndexOf(':');
  return { file: arg.slice(0, i), reps: Number(arg.slice(i + 1)) };
});
const mod = (await import('gpxparser')) as unknown as { default: GpxParser };
const results: Record<string, { medianMs: number; points: number }> = {};
for (const { file, reps } of jobs) {
  const text = readFileSync(file, 'utf8');
  let points = 0;
  const t = await timeMedianMs(() => {
    const p = new mod.default();
    p.parse(text);
    points = p.tracks.reduce((n, tr) => n + tr.points.length, 0);
  }, reps, reps > 1 ? 1 : 0);
  results[file] = { medianMs: t.medianMs, points };
}
console.log(JSON.stringify(results));
