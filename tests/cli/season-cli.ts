/**
 * Shared set-up of the command tests on the generated season (tests/cli/season.ts):
 * a temporary folder holding the season, and the JSON report of each distinct
 * command line run once. Call {@link useCliSeason} at the top level of a test file.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { runCli, tempDir } from './helpers.js';
import { SEASON, writeSeason } from './season.js';

/** The parts of the JSON report the command tests read. */
export interface JsonReport {
  schemaVersion: number;
  settings: Record<string, unknown>;
  period: { firstDate: string | null; lastDate: string | null; activities: number; runs: number; runningDistanceM: number };
  activities: { id: string; file: string; localDate: string; distanceM: number; cadence: { avgSpm: number; unitDetected: string }; elevation: { descentM: number | null }; downhillSegments: unknown[] }[];
  weeks: { weekStart: string; distanceM: number; changeRatio: number | null }[];
  findings: { rule: string; severity: string; date: string | null }[];
  errors: { file: string; code: string; message: string }[];
  duplicates: { file: string; activityId: string; keptFile: string }[];
  elevationProfile: { activityId: string; chosenBy: string } | null;
}

/** What {@link useCliSeason} gives a test file. */
export interface CliSeason {
  /** Working folder of the command runs; the season is in `season/` below it. */
  readonly cwd: string;
  /** The season's activity files as written (`season/...`), once `beforeAll` has run. */
  files(): string[];
  /** The season's planted runs (`season/...`), sorted. */
  readonly runFiles: string[];
  /**
   * The JSON report for these arguments (each distinct command runs once: the inputs do not change).
   * Read in the calling thread (`--workers 1`): tests/cli/workers.test.ts shows the reports are
   * byte-identical with any worker count, and starting worker threads is a third of each run's CPU time.
   */
  json(args: readonly string[]): JsonReport;
}

/** Writes the season into a temporary folder before the file's tests and removes it after. */
export function useCliSeason(): CliSeason {
  // Several tests start the command three to five times; on a busy 2-core CI machine that can pass a minute.
  vi.setConfig({ testTimeout: 180_000 });
  const tmp = tempDir('cli');
  const cwd = tmp.dir;
  let files: string[] = [];
  const jsonRuns = new Map<string, string>();
  beforeAll(() => {
    files = writeSeason(join(cwd, 'season')).map((f) => `season/${f}`);
  });
  afterAll(() => tmp.remove());
  return {
    cwd,
    files: () => files,
    runFiles: SEASON.map((r) => `season/${r.file}`).sort(),
    json(args) {
      const key = args.join('\u0000');
      let stdout = jsonRuns.get(key);
      if (stdout === undefined) {
        const r = runCli(['--json', ...args, '--workers', '1'], { cwd });
        expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
        expect(r.status === 0 || r.status === 1).toBe(true);
        stdout = r.stdout;
        jsonRuns.set(key, stdout);
      }
      return JSON.parse(stdout) as JsonReport;
    },
  };
}
