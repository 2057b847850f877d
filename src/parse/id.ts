import type { Sport } from '../activity.js';
import type { ActivityFormat } from '../errors.js';

/**
 * 32-bit FNV-1a hash of bytes (or of a string's UTF-16 code units), as 8 hex digits. Used for ids of activities
 * that carry no time.
 */
export function fnv1aHex(bytes: Uint8Array | string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= typeof bytes === 'string' ? bytes.charCodeAt(i) : bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * Stable activity id: `<format>-<UTC start yyyymmddThhmmssZ>-<sport>-<index>`,
 * or `<format>-h<content hash>-<sport>-<index>` when the activity has no time.
 * The same file always gives the same ids; the same run exported twice in
 * the same format gives the same id too.
 *
 * @example makeActivityId('fit', new Date('2024-05-27T06:15:00Z'), 'running', 0, () => '') // 'fit-20240527T061500Z-running-0'
 */
export function makeActivityId(
  format: ActivityFormat,
  startTime: Date | undefined,
  sport: Sport,
  indexInFile: number,
  contentHash: () => string,
): string {
  const t =
    startTime !== undefined && Number.isFinite(startTime.getTime())
      ? startTime.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
      : `h${contentHash()}`;
  return `${format}-${t}-${sport}-${indexInFile}`;
}
