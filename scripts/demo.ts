/**
 * `npm run demo`: writes the bundled demo season (14 weeks of generated
 * FIT, GPX and TCX files) to report/demo-season/, runs the built command on
 * it and writes the HTML report to report/stridewise-report.html. No network.
 *
 * Options after `--` go to the command, e.g. `npm run demo -- --units mi`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_TIME_ZONE, writeDemoSeason } from '../fixtures/demo-season/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');
const seasonDir = join(root, 'report', 'demo-season');
const htmlFile = join(root, 'report', 'stridewise-report.html');

if (!existsSync(cli)) {
  process.stderr.write(`demo: ${relative(root, cli)} is missing; build first (npm run demo runs "tsup" before this script)\n`);
  process.exit(2);
}

rmSync(seasonDir, { recursive: true, force: true });
const { files } = await writeDemoSeason(seasonDir);
process.stderr.write(`demo: wrote ${files.length} activity files to ${relative(root, seasonDir)}/\n`);

const result = spawnSync(
  process.execPath,
  [cli, relative(root, seasonDir), '--tz', DEMO_TIME_ZONE, '--html', relative(root, htmlFile), ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);
if (result.error) throw result.error;
if (result.status === 0 || result.status === 1) {
  process.stderr.write(`demo: open ${relative(root, htmlFile)} in a browser\n`);
}
process.exit(result.status ?? 1);
