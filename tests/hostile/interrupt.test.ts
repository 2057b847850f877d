/**
 * A run interrupted by SIGINT or SIGTERM leaves no partial report: the
 * target holds either what it held before (an older report is kept intact)
 * or a complete new report, and no temporary file is left beside it.
 * Spawns the built command (`node dist/cli.js`); skipped when dist/ is missing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeFitActivity, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { repoRoot } from '../helpers/corpus.js';

const cli = join(repoRoot, 'dist', 'cli.js');
const built = existsSync(cli);
const reason = built ? '' : ' (skipped: dist/cli.js is missing; build with npx tsup)';
if (!built) console.warn(`[stridewise tests] interrupt tests skipped: ${cli} is missing (build with npx tsup)`);

const root = mkdtempSync(join(tmpdir(), 'stridewise-int-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** 24 one-hour runs: a second or more of work, so a signal can land in the middle. */
function makeInput(): string {
  const dir = join(root, 'runs');
  mkdirSync(dir, { recursive: true });
  const s = steadyRunSamples({ seconds: 3600, speedMps: 3, cadenceSpm: 168, altitudeM: 120 });
  for (let i = 0; i < 24; i++) {
    writeFileSync(join(dir, `run-${String(i).padStart(2, '0')}.fit`), encodeFitActivity({ startTime: new Date(Date.UTC(2024, 3, 1 + i, 6)), samples: s }));
  }
  return dir;
}

function run(args: readonly string[], afterMs: number, signal: NodeJS.Signals): Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill(signal), afterMs);
    child.on('error', reject);
    child.on('close', (status, sig) => {
      clearTimeout(timer);
      resolve({ status, signal: sig, stderr });
    });
  });
}

const OLD = '{"old report": true}\n';

describe.skipIf(!built)(`interrupted runs leave no partial report${reason}`, () => {
  it('SIGINT and SIGTERM at 4 moments, and a run left to finish: the old report intact or a complete new one, never a temporary file', async () => {
    const input = makeInput();
    const outcomes: string[] = [];
    for (const [k, afterMs] of [30, 300, 900, 1800, 60_000].entries()) {
      const signal: NodeJS.Signals = k % 2 === 0 ? 'SIGINT' : 'SIGTERM';
      const out = join(root, `out-${k}`);
      mkdirSync(out);
      writeFileSync(join(out, 'report.json'), OLD);
      const r = await run([input, '--json', join(out, 'report.json'), '--html', join(out, 'nested', 'report.html')], afterMs, signal);
      const json = readFileSync(join(out, 'report.json'), 'utf8');
      const left = readdirSync(out, { recursive: true }) as string[];
      expect(left.filter((f) => f.endsWith('.tmp')), `${signal} at ${afterMs} ms`).toEqual([]);
      if (json !== OLD) {
        const parsed = JSON.parse(json) as { activities: unknown[] };
        expect(parsed.activities).toHaveLength(24);
      }
      if (existsSync(join(out, 'nested', 'report.html'))) {
        expect(readFileSync(join(out, 'nested', 'report.html'), 'utf8').trimEnd().endsWith('</html>')).toBe(true);
      }
      const how = r.status === 130 || r.status === 143 ? `exit ${r.status}` : r.signal !== null ? `killed by ${r.signal}` : `finished (${r.status})`;
      if (r.status === 0) expect(json).not.toBe(OLD);
      if (r.status === 130) expect(r.stderr).toContain('interrupted');
      outcomes.push(`${signal}@${afterMs}ms: ${how}, report ${json === OLD ? 'old kept' : 'new, complete'}`);
    }
    console.log(`[hostile] interrupts: ${outcomes.join('; ')}`);
    // at least one signal landed while the command was working, and the run left alone replaced the report
    expect(outcomes.some((o) => o.includes('old kept'))).toBe(true);
    expect(outcomes.at(-1)).toMatch(/finished \(0\), report new, complete/);
  });
});
