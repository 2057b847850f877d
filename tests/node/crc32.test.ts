/**
 * The two CRC-32s (zlib's where Node has it, the table-driven one the page
 * uses) give the same checksums, whole or continued chunk by chunk.
 */
import { describe, expect, it } from 'vitest';
import { updateCrc32 } from '../../src/node/crc32.js';
import { updateCrc32 as tableCrc32 } from '../../src/node/crc32-table.js';

describe('CRC-32', () => {
  it('the check value of "123456789" is 0xcbf43926 (the CRC-32/ISO-HDLC catalogue value) for both', () => {
    const bytes = new TextEncoder().encode('123456789');
    expect(updateCrc32(0, bytes)).toBe(0xcbf43926);
    expect(tableCrc32(0, bytes)).toBe(0xcbf43926);
  });

  it('the table-driven one equals the other on 100 kB of varied bytes, continued over uneven chunks', () => {
    const data = new Uint8Array(100_000);
    let x = 12345;
    for (let i = 0; i < data.length; i++) data[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    let a = 0;
    let b = 0;
    for (let at = 0, step = 1; at < data.length; at += step, step = (step * 7) % 5003 + 1) {
      a = updateCrc32(a, data.subarray(at, at + step));
      b = tableCrc32(b, data.subarray(at, at + step));
    }
    expect(b).toBe(a);
    expect(tableCrc32(0, data)).toBe(updateCrc32(0, data));
  });
});
