/**
 * CRC-32 (IEEE 802.3, the zip checksum), table-driven, without Node
 * built-ins: the fallback of `crc32.ts` where Node has no `zlib.crc32`, and
 * what the page's build uses in its place.
 */

const TABLE: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * Continues a CRC-32 over `data`, starting from `crc` (0 for a new checksum).
 *
 * @example updateCrc32(0, new TextEncoder().encode('123456789')) // 0xcbf43926
 */
export function updateCrc32(crc: number, data: Uint8Array): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
