/**
 * Runs the BUILT command (`node dist/cli.js`) as a user would. `npm test`
 * builds first (`tsup && vitest run`); run `npx tsup` before running these
 * suites alone.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/corpus.js';

/** The built command. */
export const cliPath = join(repoRoot, 'dist', 'cli.js');

/** Throws a clear message when the command has not been built. */
export function assertBuilt(): void {
  if (!existsSync(cliPath)) {
    throw new Error(`${cliPath} is missing: build first (npm test runs "tsup && vitest run"; alone: npx tsup)`);
  }
}

/** What a run of the command gave. */
export interface CliResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment without CI/TTY hints that could change the output. */
function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env['FORCE_COLOR'];
  return env;
}

/**
 * Runs `node dist/cli.js ...args` in `cwd` and waits for it.
 *
 * @example
 * const r = runCli(['--version']);
 */
export function runCli(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; nodeArgs?: readonly string[] } = {},
): CliResult {
  assertBuilt();
  const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), cliPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: cleanEnv(options.env),
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** Starts the command and sends `signal` after `afterMs`; resolves when it has exited. */
export function runCliInterrupted(args: readonly string[], cwd: string, afterMs: number, signal: NodeJS.Signals = 'SIGINT'): Promise<CliResult> {
  assertBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { cwd, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => child.kill(signal), afterMs);
    child.on('error', reject);
    child.on('close', (status, sig) => {
      clearTimeout(timer);
      resolve({ status, signal: sig, stdout, stderr });
    });
  });
}

/** A fresh temporary folder, and its removal. */
export function tempDir(prefix: string): { readonly dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `stridewise-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
