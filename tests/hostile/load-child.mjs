// Child process of the archive tests: runs loadActivities (TypeScript
// sources through tsx) over the paths in argv[2] (JSON) and prints one JSON
// line per LoadedFile. Started with an empty cwd and TMPDIR so that the test
// can prove nothing was written anywhere.
import { register } from 'tsx/esm/api';

register();
const { loadActivities } = await import('../../src/node/load.ts');
const { paths, options } = JSON.parse(process.argv[2]);
const out = [];
for await (const f of loadActivities(paths, options ?? {})) {
  out.push({ path: f.path, code: f.error?.code ?? null, activities: f.activities.length });
}
process.stdout.write(`${JSON.stringify(out)}\n`);
