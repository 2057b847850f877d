// Fresh-process probe for the side-effects test: imports the package in the
// way named by argv[2] and prints what changed on globalThis, in process
// listeners and in active handles/resources. With a path in argv[3] it then
// loads that path (and, from the sources, runs analyzeExport with 2 workers)
// and lists the resources left afterwards.
//   dist-esm: import('stridewise') and import('stridewise/node') (package self-reference, built files)
//   dist-cjs: require('stridewise') and require('stridewise/node')
//   src:      the TypeScript sources through tsx (tsx warmed up first, so only the library is measured)
import { createRequire } from 'node:module';

const mode = process.argv[2];
const settle = () => new Promise((r) => setImmediate(() => setTimeout(r, 50)));
const listeners = () =>
  Object.fromEntries(['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'uncaughtException', 'unhandledRejection', 'warning'].map((e) => [e, process.listenerCount(e)]));

let load;
if (mode === 'src') {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./import-probe-warmup.ts');
  load = async () => {
    const core = await import('../../src/index.ts');
    const node = await import('../../src/node/index.ts');
    return [core, node];
  };
} else if (mode === 'dist-cjs') {
  const require = createRequire(import.meta.url);
  load = async () => [require('stridewise'), require('stridewise/node')];
} else {
  load = async () => [await import('stridewise'), await import('stridewise/node')];
}
await settle();
const globalsBefore = Reflect.ownKeys(globalThis).map(String);
const resourcesBefore = process.getActiveResourcesInfo();
const listenersBefore = listeners();
const [core, node] = await load();
await settle();
const globalsAfter = Reflect.ownKeys(globalThis).map(String);
const resourcesAfter = process.getActiveResourcesInfo();
let loaded = null;
let resourcesAfterRun = null;
if (process.argv[3] !== undefined) {
  loaded = 0;
  for await (const f of node.loadActivities(process.argv[3])) loaded += f.activities.length;
  if (mode === 'src') {
    const { analyzeExport } = await import('../../src/node/pipeline.ts');
    const r = await analyzeExport(process.argv[3], { workers: 2 });
    loaded += r.summaries.length;
  }
  await settle();
  resourcesAfterRun = process.getActiveResourcesInfo();
}
process.stdout.write(
  JSON.stringify({
    exports: [Object.keys(core).length, Object.keys(node).length],
    added: globalsAfter.filter((k) => !globalsBefore.includes(k)),
    removed: globalsBefore.filter((k) => !globalsAfter.includes(k)),
    resourcesBefore,
    resourcesAfter,
    loaded,
    resourcesAfterRun,
    listenersBefore,
    listenersAfter: listeners(),
  }) + '\n',
);
