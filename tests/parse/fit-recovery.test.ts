/**
 * Generated counterpart of the real-file check "recovers the activity whose
 * first definition was removed" (tests/corpus/fit-corpus.test.ts, fit4s
 * 610464_no_defmsg.fit): the same file with and without its first definition
 * message gives the same samples, id and summary, with warning DAMAGED_DATA.
 */
import { describe, expect, it } from 'vitest';
import { encodeFitActivity, fitMessageBoundaries, steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { parseActivities } from '../../src/parse/index.js';

/** `bytes` without the message that ends at boundary `k` (header data size adjusted; the CRC no longer matches). */
function withoutMessage(bytes: Uint8Array, k: number): Uint8Array {
  const bounds = fitMessageBoundaries(bytes);
  const start = k === 0 ? bytes[0]! : bounds[k - 1]!.end;
  const end = bounds[k]!.end;
  const out = new Uint8Array(bytes.length - (end - start));
  out.set(bytes.subarray(0, start));
  out.set(bytes.subarray(end), start);
  const size = (bytes[4]! | (bytes[5]! << 8) | (bytes[6]! << 16)) - (end - start);
  out[4] = size & 0xff;
  out[5] = (size >> 8) & 0xff;
  out[6] = (size >> 16) & 0xff;
  return out;
}

describe('FIT with its first definition message removed', () => {
  const bytes = encodeFitActivity({
    startTime: new Date('2024-05-27T06:00:00Z'),
    sport: 'running',
    samples: steadyRunSamples({ seconds: 300, speedMps: 3, cadenceSpm: 172 }),
    manufacturer: 1,
    product: 2691,
    summary: { avgCadenceSpm: 172 },
  });

  it('is the intact activity, less the file_id the definition described, with warning DAMAGED_DATA', async () => {
    const bounds = fitMessageBoundaries(bytes);
    // the writer starts with the file_id definition (-1) and its data message (global 0)
    expect(bounds.slice(0, 2).map((b) => b.globalMessage)).toEqual([-1, 0]);
    const [intact] = await parseActivities(bytes);
    const [damaged, ...rest] = await parseActivities(withoutMessage(bytes, 0));
    expect(rest).toEqual([]);
    expect(damaged!.warnings.map((w) => w.code)).toEqual(['DAMAGED_DATA']);
    expect(damaged!.samples).toEqual(intact!.samples);
    expect(damaged!.samples.length).toBe(301); // 0..300 s at 1 Hz
    expect(damaged!.deviceSummary).toEqual(intact!.deviceSummary);
    expect(damaged!.id).toBe(intact!.id);
    expect(intact!.source.creator).toBe('garmin fr935');
    expect(damaged!.source.creator).toBeUndefined(); // the file_id message was the unreadable one
  });
});
