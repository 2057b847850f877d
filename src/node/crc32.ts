/**
 * CRC-32 (IEEE 802.3, the zip checksum). Uses `zlib.crc32` where Node has it
 * (20.15+), else the table-driven one of `crc32-table.ts` (same results).
 */
import * as zlib from 'node:zlib';
import { updateCrc32 as tableCrc32 } from './crc32-table.js';

type Crc32Fn = (data: Uint8Array, value?: number) => number;

const native: Crc32Fn | undefined = (zlib as unknown as { crc32?: Crc32Fn }).crc32;

/**
 * Continues a CRC-32 over `data`, starting from `crc` (0 for a new checksum).
 *
 * @example updateCrc32(0, new TextEncoder().encode('123456789')) // 0xcbf43926
 */
export function updateCrc32(crc: number, data: Uint8Array): number {
  return native !== undefined ? native(data, crc) >>> 0 : tableCrc32(crc, data);
}
