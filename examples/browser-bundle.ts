/**
 * The core runs in browsers: bundle `stridewise` (parsers, analysis, rules)
 * and the report renderers for `platform: 'browser'` with esbuild, refuse any
 * Node built-in, then run the bundle in a bare JavaScript sandbox (no
 * `require`, no `process`, no `Buffer`) on a generated run and render the
 * HTML report there. Exits 1 if any step fails.
 *
 *   npx tsx examples/browser-bundle.ts
 *
 * In a web page the same code reads a dropped file:
 *   const [activity] = await stridewise.parseActivities(await file.arrayBuffer(), { fileName: file.name });
 */
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { build, type Plugin } from 'esbuild';
import { encodeDemoActivity, generateDemoSeason } from '../fixtures/demo-season/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const nodeBuiltins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/**
 * Two dependencies mention Node built-ins, neither from stridewise's own code:
 * - fit-file-parser imports `buffer` for one call, `Buffer.from(bytes).toString('utf-8')`
 *   (FIT strings). A browser build aliases it, here to a TextDecoder shim (the
 *   `buffer` package from npm works too).
 * - seedrandom (under mathjs, loaded only for custom rules) tries `require('crypto')`
 *   inside try/catch and falls back to `window.crypto`: left unresolved on purpose.
 */
const BUFFER_SHIM = `export const Buffer = { from: (bytes) => ({ toString: () => new TextDecoder('utf-8').decode(Uint8Array.from(bytes)) }) };`;
const OPTIONAL_REQUIRES = new Map([['crypto', /[\\/]seedrandom[\\/]/]]);

const refused: string[] = [];
const noNodeBuiltins: Plugin = {
  name: 'no-node-builtins',
  setup(b) {
    b.onResolve({ filter: /^buffer$/ }, (args) =>
      /[\\/]fit-file-parser[\\/]/.test(args.importer) ? { path: 'buffer-shim', namespace: 'shim' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'shim' }, () => ({ contents: BUFFER_SHIM, loader: 'js' }));
    b.onResolve({ filter: /.*/ }, (args) => {
      if (!nodeBuiltins.has(args.path) && !args.path.startsWith('node:')) return undefined;
      const optional = OPTIONAL_REQUIRES.get(args.path);
      if (optional === undefined || !optional.test(args.importer) || args.kind !== 'require-call') {
        refused.push(`${args.path} (imported by ${args.importer})`);
      }
      return { path: args.path, external: true };
    });
  },
};

const entry = `
  export { parseActivities, analyzeActivities, buildReport, renderHtml, renderText } from './src/index.ts';
`;
const result = await build({
  stdin: { contents: entry, resolveDir: root, loader: 'ts', sourcefile: 'browser-entry.ts' },
  bundle: true,
  platform: 'browser',
  format: 'iife',
  globalName: 'stridewise',
  target: 'es2022',
  write: false,
  minify: true,
  logLevel: 'silent',
  plugins: [noNodeBuiltins],
});
if (refused.length > 0) {
  console.error(`the browser bundle needs Node built-ins:\n  ${refused.join('\n  ')}`);
  process.exit(1);
}
const code = result.outputFiles[0]!.text;
console.log(`browser bundle: ${(code.length / 1024).toFixed(0)} KiB minified, no Node built-ins (stridewise core and report renderers)`);

// A sandbox with what a browser has and nothing Node adds.
const sandbox: Record<string, unknown> = { TextDecoder, TextEncoder, Intl, console, setTimeout, clearTimeout, queueMicrotask, structuredClone };
sandbox['globalThis'] = sandbox;
sandbox['self'] = sandbox;
runInNewContext(code, sandbox, { filename: 'stridewise.browser.js' });
type Bundle = {
  parseActivities(input: Uint8Array | string, options?: object): Promise<unknown[]>;
  analyzeActivities(activities: unknown[]): { summaries: unknown[]; findings: unknown[] };
  buildReport(input: object): unknown;
  renderHtml(report: unknown): string;
};
const sw = sandbox['stridewise'] as Bundle;

/** Bytes made inside the sandbox, as a page's own `Uint8Array` would be (typed arrays do not cross realms). */
function sandboxBytes(bytes: Uint8Array): Uint8Array {
  sandbox['__bytes'] = Array.from(bytes);
  return runInNewContext('Uint8Array.from(__bytes)', sandbox) as Uint8Array;
}

const season = generateDemoSeason();
const summaries: unknown[] = [];
let findings: unknown[] = [];
let html = '';
try {
  const activities: unknown[] = [];
  for (const a of season.slice(0, 8)) {
    const encoded = encodeDemoActivity(a);
    const input = typeof encoded === 'string' ? encoded : sandboxBytes(encoded);
    activities.push(...(await sw.parseActivities(input, { fileName: a.fileName })));
  }
  // one call: summaries, history, findings and the per-run chart data the report draws
  const analysis = sw.analyzeActivities(activities);
  summaries.push(...analysis.summaries);
  findings = analysis.findings;
  const report = sw.buildReport(analysis);
  html = sw.renderHtml(report);
} catch (error) {
  console.error(`the bundle failed in the sandbox: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  process.exit(1);
}
const charts = html.match(/<svg data-chart=/g)?.length ?? 0;
console.log(`ran in the sandbox: ${summaries.length} activities, ${findings.length} findings, HTML report of ${html.length} characters with ${charts} charts`);
// 8 planted activities; at least the weekly load, cadence, step-length and elevation charts
if (summaries.length !== 8 || charts < 4) {
  console.error(`expected 8 activities and at least 4 charts, got ${summaries.length} and ${charts}`);
  process.exit(1);
}
