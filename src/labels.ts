/**
 * Labels shown to a person: file paths, archive entry names, activity names
 * and error messages all come from files or their names, so they are user
 * input. Every renderer that shows one (text report, HTML report, the
 * command's stderr lines) passes it through {@link displayLabel} or
 * {@link displayMessage}: control characters (ESC and with it ANSI/OSC
 * sequences, C1 controls, line and paragraph separators) and bidirectional
 * controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C, which can
 * make `run.fit` display as something else) become U+FFFD, and the length is
 * capped with an ellipsis in the middle, so a 60,000-character entry name
 * costs a line, not megabytes. Data reports (JSON) keep labels as they are,
 * with only a length cap.
 */

/** Longest label shown, in characters (a long Garmin export path is about 120). */
export const MAX_LABEL_CHARS = 240;
/** Longest error message shown, in characters. */
export const MAX_MESSAGE_CHARS = 600;

/**
 * C0 controls (line feed and tab included: a label is one line), DEL, C1
 * controls, line/paragraph separators, bidi embeddings, overrides and
 * isolates, LRM/RLM/ALM, and lone surrogates.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `text` cut to at most `maxChars` characters (UTF-16 units), keeping its
 * start and end (where a file name's extension is) around a `…`; surrogate
 * pairs are never split. Text within the cap is returned as is.
 *
 * @example capLength('a'.repeat(10) + '.fit', 9) // 'aaaa….fit'
 */
export function capLength(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const room = Math.max(0, maxChars - 1);
  let head = Math.ceil((room * 2) / 3);
  let tail = room - head;
  const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;
  const isLow = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;
  if (head > 0 && isHigh(text.charCodeAt(head - 1))) head--;
  if (tail > 0 && isLow(text.charCodeAt(text.length - tail))) tail--;
  return `${text.slice(0, head)}…${tail > 0 ? text.slice(text.length - tail) : ''}`;
}

/**
 * `text` with every control, bidi control and lone surrogate replaced by
 * U+FFFD, length not changed.
 *
 * @example neutralize('a\u001b]0;title\u0007.fit') // 'a\ufffd]0;title\ufffd.fit'
 */
export function neutralize(text: string): string {
  return text.replace(UNSAFE, '\ufffd');
}

/**
 * A file path, entry name or activity name made safe to show: capped to
 * `maxChars` (before neutralising, so the work is bounded by the cap), then
 * neutralised ({@link neutralize}).
 *
 * @example displayLabel('evil\u202Etxt.fit') // 'evil\ufffdtxt.fit'
 * @example displayLabel('x'.repeat(60_000)).length // 240
 */
export function displayLabel(text: string, maxChars: number = MAX_LABEL_CHARS): string {
  return neutralize(capLength(text, maxChars));
}

/**
 * An error or warning message made safe to show, as {@link displayLabel}
 * with the longer {@link MAX_MESSAGE_CHARS} cap.
 *
 * @example displayMessage('the input is empty (a\u001b[2J.fit)') // 'the input is empty (a\ufffd[2J.fit)'
 */
export function displayMessage(text: string, maxChars: number = MAX_MESSAGE_CHARS): string {
  return neutralize(capLength(text, maxChars));
}
