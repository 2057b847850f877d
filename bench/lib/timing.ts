/**
 * Timing helpers for the benchmark: medians of wall time after a warm-up,
 * and child processes that print one JSON line.
 */
import { spawn } from 'node:child_process';

/** Median of a list of numbers (the list is copied, not sorted in place). */
export function medianOf(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return Number.NaN;
  return n % 2 === 1 ? s[n >> 1]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** Median wall time in ms of `reps` calls after `warmup` untimed calls. */
export async function timeMedianMs(f: () => unknown, reps: number, warmup = 1): Promise<{ medianMs: number; runsMs: number[] }> {
  for (let i = 0; i < warmup; i++) await f();
  const runsMs: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await f();
    runsMs.push(performance.now() - t0);
  }
  return { medianMs: medianOf(runsMs), runsMs };
}

/**
 * Runs `node [execArgv] script args` and returns the JSON object printed on
 * the last line of its standard output.
 *
 * @throws {Error} when the child fails or prints no JSON.
 */
export async function runChildJson<T>(script: string, args: readonly string[], execArgv: readonly string[] = process.execArgv): Promise<T> {
  const child = spawn(process.execPath, [...execArgv, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const last = out.trim().split('\n').pop() ?? '';
  if (code !== 0 || !last.startsWith('{')) throw new Error(`${script} ${args.join(' ')} failed (exit ${String(code)}): ${err.slice(-2000)}`);
  return JSON.parse(last) as T;
}

/**
 * Median wall time in ms of each function, timed in turn (a, b, c, a, b, c, …)
 * after one warm-up call each, so a slow patch of a shared machine hurts all
 * of them alike and their ratios stay fair.
 */
export async function timeInterleavedMs<K extends string>(fns: Readonly<Record<K, () => unknown>>, reps: number): Promise<Record<K, number>> {
  const keys = Object.keys(fns) as K[];
  const runs = new Map<K, number[]>(keys.map((k) => [k, []]));
  for (const k of keys) await fns[k]();
  for (let r = 0; r < reps; r++) {
    for (const k of keys) {
      const t0 = performance.now();
      await fns[k]();
      runs.get(k)!.push(performance.now() - t0);
    }
  }
  return Object.fromEntries(keys.map((k) => [k, medianOf(runs.get(k)!)])) as Record<K, number>;
}
