/**
 * Hostile XML against the reader shared by the GPX and TCX parsers:
 * entity expansion, external entities, deep nesting, huge values, and
 * element/attribute names that could pollute objects.
 */
import { describe, expect, it } from 'vitest';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { encodeTcx } from '../../fixtures/lib/tcx-writer.js';
import { runSpec } from '../../fixtures/gpx/specs.js';
import { ParseError } from '../../src/errors.js';
import { parseActivities, type ParseOptions } from '../../src/parse/index.js';
import { readXml, stripXmlPreamble } from '../../src/parse/xml/reader.js';
import { DEFAULT_PARSE_LIMITS } from '../../src/parse/limits.js';

async function failure(text: string, options: ParseOptions = {}): Promise<ParseError> {
  try {
    await parseActivities(text, options);
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error('expected a ParseError');
}

const point = '<trkpt lat="46" lon="7"><time>2024-05-01T06:00:00Z</time></trkpt>';

describe('XML safety: DOCTYPE and entities are refused', () => {
  it('billion laughs → XML_ENTITY_REFUSED, quickly and without expansion', async () => {
    const lol =
      '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY lol "lol">' +
      Array.from({ length: 9 }, (_, k) => `<!ENTITY lol${k + 1} "${`&lol${k === 0 ? '' : k};`.repeat(10)}">`).join('') +
      `]><gpx version="1.1"><trk><name>&lol9;</name><trkseg>${point}</trkseg></trk></gpx>`;
    const t0 = performance.now();
    const e = await failure(lol);
    expect(e.code).toBe('XML_ENTITY_REFUSED');
    expect(e.format).toBe('gpx');
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('external entity (file://) → XML_ENTITY_REFUSED', async () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
      `<gpx version="1.1"><trk><name>&xxe;</name><trkseg>${point}</trkseg></trk></gpx>`;
    expect((await failure(xxe)).code).toBe('XML_ENTITY_REFUSED');
  });

  it('an external DTD reference alone is refused too (TCX)', async () => {
    const tcx = encodeTcx(runSpec({ n: 3 })).replace(
      '<TrainingCenterDatabase',
      '<!DOCTYPE TrainingCenterDatabase SYSTEM "http://example.invalid/tcx.dtd"><TrainingCenterDatabase',
    );
    const e = await failure(tcx);
    expect(e.code).toBe('XML_ENTITY_REFUSED');
    expect(e.format).toBe('tcx');
  });

  it('predefined entities and character references are decoded', async () => {
    const text = encodeGpx(runSpec({ n: 3, name: 'Tom & Jerry <3' })).replace('Tom &amp; Jerry', 'Tom &#38; Jerry');
    const [a] = await parseActivities(text);
    expect(a!.name).toBe('Tom & Jerry <3');
  });
});

describe('XML safety: structural limits', () => {
  it('nesting deeper than maxXmlDepth → XML_TOO_DEEP', async () => {
    const deep = `${'<x>'.repeat(200)}${'</x>'.repeat(200)}`;
    const text = `<gpx version="1.1"><trk><trkseg>${point}</trkseg><extensions>${deep}</extensions></trk></gpx>`;
    expect((await failure(text)).code).toBe('XML_TOO_DEEP');
    // With a higher limit the same file parses (the depth is 203).
    const acts = await parseActivities(text, { limits: { maxXmlDepth: 210 } });
    expect(acts[0]!.samples.length).toBe(1);
  });

  it('a custom maxXmlDepth is honoured exactly', async () => {
    // <gpx><trk><trkseg><trkpt><time> is 5 levels deep.
    const text = `<gpx version="1.1"><trk><trkseg>${point}</trkseg></trk></gpx>`;
    expect((await failure(text, { limits: { maxXmlDepth: 4 } })).code).toBe('XML_TOO_DEEP');
    expect(await parseActivities(text, { limits: { maxXmlDepth: 5 } })).toHaveLength(1);
  });

  it('a text value longer than maxXmlValueChars → XML_VALUE_TOO_LARGE', async () => {
    const text = encodeGpx(runSpec({ n: 3, name: 'x'.repeat(2000) }));
    expect((await failure(text, { limits: { maxXmlValueChars: 1000 } })).code).toBe('XML_VALUE_TOO_LARGE');
    expect(await parseActivities(text, { limits: { maxXmlValueChars: 2000 } })).toHaveLength(1);
  });

  it('an attribute value longer than maxXmlValueChars → XML_VALUE_TOO_LARGE', async () => {
    const text = encodeGpx(runSpec({ n: 3 }), { creator: 'c'.repeat(5000) });
    expect((await failure(text, { limits: { maxXmlValueChars: 4096 } })).code).toBe('XML_VALUE_TOO_LARGE');
  });

  it('text split by CDATA sections counts as one value', async () => {
    const text = encodeGpx(runSpec({ n: 3, name: 'N' })).replace('<name>N</name>', `<name>${'<![CDATA[abcdefghij]]>'.repeat(20)}</name>`);
    expect((await failure(text, { limits: { maxXmlValueChars: 150 } })).code).toBe('XML_VALUE_TOO_LARGE');
    const [a] = await parseActivities(text);
    expect(a!.name).toBe('abcdefghij'.repeat(20));
  });
});

describe('XML safety: names cannot pollute objects', () => {
  it('__proto__ / constructor / prototype elements and attributes are inert', async () => {
    const hostile =
      '<gpx version="1.1" creator="t" __proto__="x" constructor="y"><trk><__proto__><polluted>yes</polluted></__proto__>' +
      '<constructor><prototype><polluted>yes</polluted></prototype></constructor><trkseg>' +
      '<trkpt lat="46" lon="7" __proto__="1"><time>2024-05-01T06:00:00Z</time><extensions><__proto__>1</__proto__>' +
      '<ns3:constructor>2</ns3:constructor><hr>150</hr></extensions></trkpt>' +
      '</trkseg></trk></gpx>';
    const [a] = await parseActivities(hostile);
    expect(a!.samples.length).toBe(1);
    expect(a!.samples.heartRateBpm[0]).toBe(150);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(typeof ({}).constructor).toBe('function');
  });

  it('the reader hands attributes over in prototype-less objects', () => {
    const seen: Array<Readonly<Record<string, string>>> = [];
    readXml('<a __proto__="x" b="1"/>', { open: (_n, attrs) => seen.push(attrs), close: () => {} }, 'gpx', DEFAULT_PARSE_LIMITS);
    expect(Object.getPrototypeOf(seen[0])).toBeNull();
    expect(seen[0]!['b']).toBe('1');
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});

describe('XML reader basics', () => {
  it('reports local names, parents and leaf text', () => {
    const events: string[] = [];
    const outcome = readXml(
      '<r xmlns:p="urn:x"><p:a k="v">1<b>2</b>3</p:a></r>',
      {
        open: (n, _a, parent) => events.push(`open ${n} in ${parent || '-'}`),
        close: (n, parent, text) => events.push(`close ${n} in ${parent || '-'} "${text}"`),
      },
      'gpx',
      DEFAULT_PARSE_LIMITS,
    );
    expect(outcome).toEqual({ ok: true });
    expect(events).toEqual(['open r in -', 'open a in r', 'open b in a', 'close b in a "2"', 'close a in r "3"', 'close r in - ""']);
  });

  it('stops at the first well-formedness error and says whether the root had closed', () => {
    const sink = { open: () => {}, close: () => {} };
    const cut = readXml('<r><a>1</a><b>', sink, 'gpx', DEFAULT_PARSE_LIMITS);
    expect(cut.ok).toBe(false);
    expect(cut.ok === false && cut.afterRoot).toBe(false);
    const trailing = readXml('<r/>junk', sink, 'gpx', DEFAULT_PARSE_LIMITS);
    expect(trailing.ok === false && trailing.afterRoot).toBe(true);
  });

  it('stripXmlPreamble removes a BOM and leading whitespace only', () => {
    expect(stripXmlPreamble('\uFEFF \r\n\t<?xml version="1.0"?><a/> ')).toBe('<?xml version="1.0"?><a/> ');
    expect(stripXmlPreamble('<a/>')).toBe('<a/>');
  });
});
