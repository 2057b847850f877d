/**
 * `npm run build:web`: builds the page `dist-web/index.html`, one
 * self-contained file (inline script and style; the worker's code inline
 * too, started from a Blob URL) that works opened from disk and from any
 * static host. The core and the pure loader helpers are bundled for the
 * browser with esbuild; a Node built-in reached from the page fails the build.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { RUN_VIEW_SCRIPT } from '../src/report/run-view.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(repo, 'dist-web');
const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;

/** Browser stand-ins: the table CRC-32 (crc32-table.ts) for the zlib one, csv-parse's browser build; Node built-ins refused. */
const browserSwaps: Plugin = {
  name: 'stridewise-browser-swaps',
  setup(b) {
    b.onResolve({ filter: /\/crc32\.js$/ }, (args) =>
      args.importer.includes(join('src', 'node')) ? { path: join(repo, 'src', 'node', 'crc32-table.ts') } : undefined,
    );
    b.onResolve({ filter: /^csv-parse\/sync$/ }, () => ({ path: join(repo, 'node_modules', 'csv-parse', 'dist', 'esm', 'sync.js') }));
    b.onResolve({ filter: /^node:/ }, (args) => ({
      errors: [{ text: `${args.path} (a Node built-in) imported by ${args.importer}: the page must not use Node modules` }],
    }));
  },
};

async function bundle(entry: string, define: Record<string, string>): Promise<string> {
  const result = await build({
    entryPoints: [join(repo, 'web', entry)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox115', 'safari16'],
    minify: true,
    legalComments: 'none',
    define,
    plugins: [browserSwaps],
    logLevel: 'warning',
  });
  return result.outputFiles[0]!.text;
}

const started = performance.now();
const versionDefine = { __STRIDEWISE_VERSION__: JSON.stringify(version) };
const workerCode = await bundle('worker.ts', versionDefine);
const appCode = await bundle('app.ts', { ...versionDefine, __WORKER_SOURCE__: JSON.stringify(workerCode) });
// inside <script>, "</script" would end the element: write it as "<\/script" (same string in JS)
const inlineApp = appCode.replace(/<\/script/gi, '<\\/script');
const template = readFileSync(join(repo, 'web', 'index.html'), 'utf8');
/** CSP source of an inline script: the SHA-256 of its exact text. */
const hashSource = (script: string): string => `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
// exactly two inline scripts may run: the page's own and the report's (its srcdoc frame inherits this policy)
const scriptSources = `${hashSource(inlineApp)} ${hashSource(RUN_VIEW_SCRIPT)}`;
const html = template
  .replaceAll('__STRIDEWISE_VERSION__', version)
  .replace('__SCRIPT_SOURCES__', scriptSources)
  .replace('__APP_SCRIPT__', () => inlineApp);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'index.html'), html);
console.log(
  `dist-web/index.html: ${(html.length / 1024).toFixed(0)} kB (page ${(appCode.length / 1024).toFixed(0)} kB, worker ${(workerCode.length / 1024).toFixed(0)} kB) in ${Math.round(performance.now() - started)} ms`,
);
