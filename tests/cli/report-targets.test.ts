/**
 * Where the command writes and what it reads besides the inputs: report
 * targets are checked before the analysis (a named pipe or an input is
 * refused, a symbolic link is written through, an unwritable place is said
 * before anything is read), permissions of an existing report are kept and a
 * new one is owner-only; `--json out.txt` is refused with the way to write it;
 * `--rules` on a pipe or a device is refused at once; and a second Ctrl-C ends
 * the command even when exiting is held up by a blocked read.
 * Spawns the built command (`npx tsup` first); one process per case.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { assertBuilt, cliPath, tempDir } from './helpers.js';

const tmp = tempDir('targets');
afterAll(() => tmp.remove());
const posix = process.platform !== 'win32';
const GPX = encodeGpx({ startTime: new Date('2024-05-27T06:00:00Z'), sport: 'running', ...steadyRunSamples({ seconds: 600, speedMps: 3, cadenceSpm: 170 }) });
const run = join(tmp.dir, 'run.gpx');
writeFileSync(run, GPX);

/** Runs the command; a run that does not end within `timeoutMs` is killed (status null). */
function cli(args: readonly string[], timeoutMs = 15_000): { status: number | null; stderr: string; ms: number } {
  assertBuilt();
  const t0 = performance.now();
  // SIGKILL: a command stuck in its exit would ignore a gentler signal and hold the test
  const r = spawnSync(process.execPath, [cliPath, ...args], { cwd: tmp.dir, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' });
  return { status: r.status, stderr: r.stderr, ms: performance.now() - t0 };
}

describe.skipIf(!posix)('report targets', () => {
  it('a link is written through (the link stays), an existing report keeps its mode, a new one is 0600', () => {
    const real = join(tmp.dir, 'real.json');
    writeFileSync(real, '{"old": true}\n');
    chmodSync(real, 0o640);
    const link = join(tmp.dir, 'latest.json');
    symlinkSync(real, link);
    const r = cli([run, `--json=${link}`, `--html=${join(tmp.dir, 'new.html')}`]);
    expect(r.status, r.stderr).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(JSON.parse(readFileSync(real, 'utf8')).activities).toHaveLength(1);
    expect(statSync(real).mode & 0o777).toBe(0o640);
    expect(statSync(join(tmp.dir, 'new.html')).mode & 0o777).toBe(0o600);
  });

  it('an input given as the report, and a named pipe as the report, are refused before reading (exit 2), left as they were', () => {
    const asInput = cli([run, `--html=${run}`]);
    expect(asInput.status).toBe(2);
    expect(asInput.stderr).toMatch(/--html .*run\.gpx: is one of the inputs/);
    expect(readFileSync(run, 'utf8')).toBe(GPX);
    const fifo = join(tmp.dir, 'out.json');
    execFileSync('mkfifo', [fifo]);
    const pipe = cli([run, `--json=${fifo}`]);
    expect(pipe.status).toBe(2);
    expect(pipe.stderr).toMatch(/is a named pipe, not a regular file, and is not replaced/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  it('a report that cannot be written is said before the analysis (exit 3, nothing read)', () => {
    writeFileSync(join(tmp.dir, 'a-file'), 'x');
    const r = cli([run, '--json', join(tmp.dir, 'a-file', 'r.json')]);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/cannot write the JSON report to .*a-file\/r\.json \(ENOTDIR\); nothing was read/);
    expect(r.stderr).not.toMatch(/activit/);
  });

  it('--json out.txt is refused with the way to write it (out.txt was read as an input)', () => {
    const r = cli([run, '--json', 'out.txt']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--json out\.txt: .*Write --json=out\.txt/);
  });
});

describe.skipIf(!posix)('--rules on something that is not a regular file', () => {
  it('a named pipe and /dev/zero are refused at once (exit 2), not waited on or read', () => {
    const fifo = join(tmp.dir, 'rules-pipe.json');
    execFileSync('mkfifo', [fifo]);
    for (const rules of [fifo, '/dev/zero']) {
      const r = cli([run, '--rules', rules], 10_000);
      expect(r.status, rules).toBe(2);
      expect(r.stderr).toMatch(/not a regular file/);
      expect(r.ms).toBeLessThan(5_000);
    }
  });
});

describe.skipIf(!posix)('signals', () => {
  it('a second Ctrl-C ends the command even when exit is held up by a read blocked on a pipe', async () => {
    const fifo = join(tmp.dir, 'blocker');
    execFileSync('mkfifo', [fifo]);
    mkdirSync(join(tmp.dir, 'sig'), { recursive: true });
    // a read blocked in the file-system thread pool (as a pipe or /proc/kmsg read was): Node's exit waits for it
    const preload = `data:text/javascript,import fs from 'node:fs'; fs.readFile(${JSON.stringify(fifo)}, () => {});`;
    const child = spawn(process.execPath, ['--import', preload, cliPath, run, '--json', join(tmp.dir, 'sig', 'r.json')], { cwd: tmp.dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const ended = new Promise<{ status: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (status, signal) => resolve({ status, signal })));
    await new Promise((r) => setTimeout(r, 1_500));
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGINT');
    const timeout = new Promise<'hung'>((r) => setTimeout(() => r('hung'), 3_000));
    const outcome = await Promise.race([ended, timeout]);
    if (outcome === 'hung') child.kill('SIGKILL');
    expect(outcome).not.toBe('hung');
    expect(stderr).toContain('interrupted');
    // both attempts end as an interruption: exit status 130 or the SIGINT default action
    expect(outcome === 'hung' ? null : outcome.status === 130 || outcome.signal === 'SIGINT').toBe(true);
  });
});
