/**
 * The streaming XML layer shared by the GPX and TCX parsers: saxes underneath,
 * with the security rules built in and element names reduced to local names.
 *
 * - Any DOCTYPE (and so any entity declaration) is refused with
 *   `XML_ENTITY_REFUSED`: no entity expansion, no external entities. Only the
 *   five predefined entities and character references are decoded.
 * - Nesting deeper than `limits.maxXmlDepth` fails with `XML_TOO_DEEP`.
 * - A text or attribute value longer than `limits.maxXmlValueChars` fails
 *   with `XML_VALUE_TOO_LARGE`.
 * - Element names reach the sink as strings only (the sink switches on them);
 *   nothing is ever stored under an element or attribute name, so names such
 *   as `__proto__` or `constructor` are inert.
 *
 * Malformed XML is not thrown: {@link readXml} stops at the first error and
 * reports it, so that a format parser can keep what came before a cut
 * (warning `TRUNCATED`) or fail with `INVALID_XML` when nothing usable came.
 */
import { SaxesParser, type SaxesAttributeNS, type SaxesTagPlain } from 'saxes';
import { ParseError, type SourceFormat } from '../../errors.js';
import type { ParseLimits } from '../limits.js';

/** Receives the elements of a document, by local name (namespace prefix removed). */
export interface XmlSink {
  /**
   * An element opened. `attributes` has no prototype; its keys are the
   * attribute names as written (with prefix). `parent` is the local name of
   * the enclosing element (`''` for the root).
   */
  open(name: string, attributes: Readonly<Record<string, string>>, parent: string): void;
  /**
   * An element closed. `text` is the character data directly inside it that
   * followed its last child element (for leaf elements: all of their text,
   * entities decoded, not trimmed).
   */
  close(name: string, parent: string, text: string): void;
}

/** How reading ended. */
export type XmlReadOutcome =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** What was wrong, as saxes reports it, with the line number. */
      readonly message: string;
      /** True when the error came after the root element had closed (trailing junk). */
      readonly afterRoot: boolean;
    };

/** Maximum number of distinct qualified names whose local name is memoised per document. */
const MAX_NAME_CACHE = 2048;

/**
 * Strips a leading byte-order mark and whitespace (Strava writes blank lines
 * before the XML declaration, which XML forbids).
 *
 * @example stripXmlPreamble('\uFEFF\n  <?xml version="1.0"?><gpx/>') // '<?xml version="1.0"?><gpx/>'
 */
export function stripXmlPreamble(text: string): string {
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0xfeff || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
    else break;
  }
  return i === 0 ? text : text.slice(i);
}

/** 1-based line number of character `offset` of `text`. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

class StopReading extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * Streams `text` through `sink`. Throws {@link ParseError} for refused
 * content (DOCTYPE/entities, depth, value size) and rethrows anything the
 * sink throws; returns `{ ok: false }` at the first well-formedness error.
 *
 * @example
 * const names: string[] = [];
 * readXml('<a><b>1</b></a>', { open: (n) => names.push(n), close: () => {} }, 'gpx', DEFAULT_PARSE_LIMITS);
 * // names = ['a', 'b']
 */
export function readXml(text: string, sink: XmlSink, format: SourceFormat, limits: ParseLimits): XmlReadOutcome {
  const maxDepth = limits.maxXmlDepth;
  const maxValue = limits.maxXmlValueChars;
  // Position tracking costs per character; the line of an error is counted only when one occurs.
  const parser = new SaxesParser({ position: false, xmlns: false });
  const input = stripXmlPreamble(text);
  const line = (): number => lineAt(input, parser.position);
  const stack: string[] = [];
  const localNames = new Map<string, string>();
  let depth = 0;
  let rootClosed = false;
  let buffer = '';

  const localName = (qname: string): string => {
    const colon = qname.indexOf(':');
    if (colon < 0) return qname;
    const known = localNames.get(qname);
    if (known !== undefined) return known;
    const local = qname.slice(colon + 1);
    if (localNames.size < MAX_NAME_CACHE) localNames.set(qname, local);
    return local;
  };
  const tooLarge = (what: string, length: number): ParseError =>
    new ParseError(
      'XML_VALUE_TOO_LARGE',
      `an XML ${what} of ${length} characters (line ${line()}) is over the limit of ${maxValue}`,
      { format },
    );

  parser.on('doctype', () => {
    throw new ParseError(
      'XML_ENTITY_REFUSED',
      `the document declares a DOCTYPE (line ${line()}); DOCTYPE and entity declarations are refused`,
      { format },
    );
  });
  parser.on('attribute', (attribute: { name: string; value: string } | SaxesAttributeNS) => {
    if (attribute.value.length > maxValue) throw tooLarge('attribute value', attribute.value.length);
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (depth >= maxDepth) {
      throw new ParseError(
        'XML_TOO_DEEP',
        `XML elements nest deeper than ${maxDepth} levels (line ${line()})`,
        { format },
      );
    }
    const name = localName(tag.name);
    const parent = depth === 0 ? '' : stack[depth - 1]!;
    stack[depth++] = name;
    buffer = '';
    // Self-closing tags get their closetag event from saxes too.
    sink.open(name, tag.attributes as Record<string, string>, parent);
  });
  const onText = (t: string): void => {
    if (depth === 0) return;
    if (buffer.length + t.length > maxValue) throw tooLarge('text', buffer.length + t.length);
    buffer = buffer.length === 0 ? t : buffer + t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const name = stack[--depth]!;
    const parent = depth === 0 ? '' : stack[depth - 1]!;
    const text = buffer;
    buffer = '';
    sink.close(name, parent, text);
    if (depth === 0) rootClosed = true;
  });
  parser.on('error', (error: Error) => {
    throw new StopReading(`line ${line()}: ${error.message}`);
  });

  try {
    parser.write(input);
    parser.close();
    return { ok: true };
  } catch (error) {
    if (error instanceof StopReading) return { ok: false, message: error.reason, afterRoot: rootClosed };
    throw error;
  }
}
