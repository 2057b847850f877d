/**
 * The export path keeps no samples: measured on the heap, in a file of its
 * own so no other test's background work (closing workers, an aborted
 * export finishing its current file) is counted.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import { buildExportZip } from '../../bench/lib/export.js';
import { encodeFitActivity, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { parseActivities } from '../../src/parse/index.js';
import { analyzeExport } from '../../src/node/pipeline.js';

const dir = mkdtempSync(join(tmpdir(), 'stridewise-perf-mem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Heap and array buffers in use after a full collection (twice, with a pause for pending callbacks). */
async function liveBytes(gc: () => void): Promise<number> {
  gc();
  await sleep(20);
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
describe('memory of the export path', () => {
  it('holds no sample columns after the export: the heap grows by far less than the columns of its runs', async () => {
    // a collectable heap: expose gc at run time (the flag only has to be set before the function is created)
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const big = buildExportZip({ runs: 24, seconds: 3600, seed: 11 });
    const bigPath = join(dir, 'big.zip');
    writeFileSync(bigPath, big.zip);

    // what keeping one run's samples would cost: the byte length of its typed-array columns
    const one = encodeFitActivity({ startTime: new Date('2024-03-01T07:00:00Z'), samples: steadyRunSamples({ seconds: 3600, speedMps: 3, cadenceSpm: 172 }) });
    const [activity] = await parseActivities(one);
    let columnBytes = 0;
    for (const col of Object.values(activity!.samples)) if (ArrayBuffer.isView(col)) columnBytes += col.byteLength;
    expect(columnBytes).toBeGreaterThan(100_000); // 3601 samples × several 4–8 byte columns

    // one pass first, so compiled code and lazily loaded modules are not counted
    await analyzeExport(bigPath, { workers: 1 });
    const before = await liveBytes(gc);
    const r = await analyzeExport(bigPath, { workers: 1 });
    const after = await liveBytes(gc);
    expect(r.summaries).toHaveLength(24);
    // keeping the samples would add 24 × columnBytes (about 6.5 MB; a deliberate leak of them measured +11.8 MB); summaries are a few KB each
    expect(after - before).toBeLessThan(0.25 * 24 * columnBytes);
  });
});
