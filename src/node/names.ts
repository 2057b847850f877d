/**
 * Names of files and archive entries: decoding, labels, and which names are
 * skipped without being read (hidden files, documents, pictures).
 */

const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

/**
 * Decodes a zip entry name: UTF-8 when the entry says so (general purpose
 * bit 11), else CP437 as the zip specification requires. Backslashes (written
 * by some Windows tools) become `/`; control characters become U+FFFD so that
 * a hostile name cannot disturb a terminal. The result is only a label.
 *
 * @example decodeEntryName(new TextEncoder().encode('a\\b.fit'), true) // 'a/b.fit'
 */
export function decodeEntryName(bytes: Uint8Array, utf8: boolean): string {
  let text: string;
  if (utf8) text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  else {
    let s = '';
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      s += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80]!;
    }
    text = s;
  }
  return cleanLabel(text.replace(/\\/g, '/'));
}

/**
 * Replaces control characters (C0, DEL, C1) by U+FFFD.
 *
 * @example cleanLabel('a\u001b[31m.fit') // 'a\ufffd[31m.fit'
 */
export function cleanLabel(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd');
}

/**
 * Extensions of files that are never activities and are skipped unread (lower case, without dot).
 *
 * @example SKIPPED_EXTENSIONS.has('json') // true
 */
export const SKIPPED_EXTENSIONS: ReadonlySet<string> = new Set([
  'csv', 'tsv', 'json', 'txt', 'md', 'markdown', 'html', 'htm', 'pdf', 'log', 'ini', 'yaml', 'yml', 'js', 'css',
  'png', 'jpg', 'jpeg', 'gif', 'heic', 'heif', 'webp', 'bmp', 'tif', 'tiff', 'svg', 'mp4', 'mov', 'm4v', 'avi', 'mp3',
  'm4a', 'wav', 'db', 'sqlite', 'plist', 'xlsx', 'xls', 'doc', 'docx', 'exe', 'dll',
]);

/**
 * True when a file or entry name is skipped without reading it: a hidden name
 * (any path segment starting with `.`, and macOS `__MACOSX` folders), a folder
 * entry, or a document/picture extension from {@link SKIPPED_EXTENSIONS}
 * (also under `.gz`). Activity formats are never decided by name: everything
 * else is read and recognised from its content.
 *
 * @example isSkippedName('activities/123.fit.gz') // false
 * @example isSkippedName('__MACOSX/._123.fit') // true
 */
export function isSkippedName(name: string): boolean {
  if (name.endsWith('/')) return true;
  const segments = name.split('/').filter((s) => s !== '');
  if (segments.length === 0 || isHiddenPath(name)) return true;
  const base = segments[segments.length - 1]!.toLowerCase();
  const parts = base.split('.');
  if (parts.length < 2) return false;
  let ext = parts[parts.length - 1]!;
  if (ext === 'gz' && parts.length >= 3) ext = parts[parts.length - 2]!;
  return SKIPPED_EXTENSIONS.has(ext);
}

/**
 * True when any folder or file segment of the name is hidden (starts with `.`) or is `__MACOSX`.
 *
 * @example isHiddenPath('a/.git/b.fit') // true
 */
export function isHiddenPath(name: string): boolean {
  return name.split('/').some((s) => (s.startsWith('.') && s !== '.' && s !== '..') || s === '__MACOSX');
}

/**
 * True when the name ends in `.zip` (any case).
 *
 * @example hasZipExtension('UploadedFiles_0-_Part1.ZIP') // true
 */
export function hasZipExtension(name: string): boolean {
  return name.toLowerCase().endsWith('.zip');
}

/**
 * True when bytes start with a zip local header (`PK\x03\x04`) or an empty archive's end record (`PK\x05\x06`).
 *
 * @example hasZipMagic(new Uint8Array([0x50, 0x4b, 3, 4])) // true
 */
export function hasZipMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}
