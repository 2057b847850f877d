/**
 * Classic XML attacks against both XML formats, raw and gzip-compressed:
 * entity expansion, external and parameter entities, deep nesting, huge
 * values and names, and element, attribute and value names that could
 * pollute `Object.prototype` anywhere down the pipeline (parse → summary →
 * history → rules → report).
 */
import { gzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeGpx } from '../../fixtures/lib/gpx-writer.js';
import { encodeTcx } from '../../fixtures/lib/tcx-writer.js';
import { steadyRunSamples } from '../../fixtures/lib/fit-writer.js';
import { analyzeHistory, summarizeActivity } from '../../src/analysis/index.js';
import { parseActivities } from '../../src/parse/index.js';
import { buildReport, renderHtml, renderJson, renderText } from '../../src/report/index.js';
import { evaluateRules } from '../../src/rules/index.js';
import { checkInput } from './check.js';
import { ParseHarness } from './harness.js';

const harness = new ParseHarness('xml-attacks');
afterAll(() => harness.close());

const enc = new TextEncoder();
const START = new Date('2024-05-27T06:00:00Z');
const run = steadyRunSamples({ seconds: 30, speedMps: 3, cadenceSpm: 170 });
const GPX = encodeGpx({ startTime: START, sport: 'running', name: 'Run', ...run });
const TCX = encodeTcx({ startTime: START, sport: 'running', ...run });

/** Puts `doctype` before the root element of `xml`. */
function withDoctype(xml: string, doctype: string): string {
  const root = xml.search(/<(gpx|TrainingCenterDatabase)[\s>]/);
  return xml.slice(0, root) + doctype + xml.slice(root);
}

/** Each document as GPX and TCX text and as gzip bytes. */
function variants(make: (xml: string, root: string) => string): { label: string; input: string | Uint8Array }[] {
  const out: { label: string; input: string | Uint8Array }[] = [];
  for (const [fmt, xml, root] of [
    ['GPX', GPX, 'gpx'],
    ['TCX', TCX, 'TrainingCenterDatabase'],
  ] as const) {
    const text = make(xml, root);
    out.push({ label: fmt, input: text }, { label: `${fmt}.gz`, input: gzipSync(enc.encode(text)) });
  }
  return out;
}

async function expectCode(label: string, input: string | Uint8Array, code: string): Promise<string> {
  const o = await harness.check(input, label);
  expect(o.kind === 'error' ? o.code : `${o.activities} activities`, label).toBe(code);
  return o.kind;
}

describe('entities are never expanded or fetched', () => {
  const lol = (root: string): string =>
    `<!DOCTYPE ${root} [<!ENTITY lol "lol">` +
    Array.from({ length: 9 }, (_, k) => `<!ENTITY lol${k + 1} "${`&lol${k === 0 ? '' : k};`.repeat(10)}">`).join('') +
    ']>';

  it('billion laughs (10^9 expansions declared) → XML_ENTITY_REFUSED, GPX and TCX, raw and gzip', async () => {
    for (const v of variants((xml, root) => withDoctype(xml, lol(root)).replace('<name>Run</name>', '<name>&lol9;</name>'))) {
      await expectCode(`billion laughs ${v.label}`, v.input, 'XML_ENTITY_REFUSED');
    }
  });

  it('quadratic blowup (one entity referenced 10,000 times) → XML_ENTITY_REFUSED, with a 1 kB or a 100 kB entity', async () => {
    for (const v of variants((xml, root) =>
      withDoctype(xml, `<!DOCTYPE ${root} [<!ENTITY big "${'x'.repeat(1000)}">]>`).replace('<name>Run</name>', `<name>${'&big;'.repeat(10_000)}</name>`),
    )) {
      await expectCode(`quadratic blowup, 1 kB entity, ${v.label}`, v.input, 'XML_ENTITY_REFUSED');
    }
    // detectFormat skips a DOCTYPE of any size up to 1 MiB to find the root element, so the 100 kB one is refused by the XML reader too.
    for (const v of variants((xml, root) =>
      withDoctype(xml, `<!DOCTYPE ${root} [<!ENTITY big "${'x'.repeat(100_000)}">]>`).replace('<name>Run</name>', `<name>${'&big;'.repeat(10_000)}</name>`),
    )) {
      await expectCode(`quadratic blowup, 100 kB entity, ${v.label}`, v.input, 'XML_ENTITY_REFUSED');
    }
  });

  it('external entity SYSTEM file:///etc/passwd → XML_ENTITY_REFUSED, and nothing of the file appears in the message', async () => {
    for (const v of variants((xml, root) =>
      withDoctype(xml, `<!DOCTYPE ${root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>`).replace('<name>Run</name>', '<name>&xxe;</name>'),
    )) {
      await expectCode(`XXE ${v.label}`, v.input, 'XML_ENTITY_REFUSED');
      const e = await parseActivities(v.input).catch((x: unknown) => x as Error);
      expect(String((e as Error).message)).not.toMatch(/root:|nologin|\/bin\/(ba)?sh/);
    }
  });

  it('parameter entities and an external DTD over http → XML_ENTITY_REFUSED', async () => {
    for (const v of variants((xml, root) => withDoctype(xml, `<!DOCTYPE ${root} [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>`))) {
      await expectCode(`parameter entity ${v.label}`, v.input, 'XML_ENTITY_REFUSED');
    }
    for (const v of variants((xml, root) => withDoctype(xml, `<!DOCTYPE ${root} SYSTEM "http://127.0.0.1:9/x.dtd">`))) {
      await expectCode(`external DTD ${v.label}`, v.input, 'XML_ENTITY_REFUSED');
    }
  });

  it('an undeclared entity reference without any DOCTYPE is malformed XML, never expanded', async () => {
    const gpx = GPX.replace('<name>Run</name>', '<name>&xxe;</name>');
    const o = await harness.check(gpx, 'undeclared entity in <name>');
    // The reader stops at the bad reference; the points come after it, so nothing usable precedes the error.
    expect(o.kind === 'error' ? o.code : 'activities').toBe('INVALID_XML');
  });
});

describe('structure and size are bounded', () => {
  it('100,000 nested elements → XML_TOO_DEEP, GPX and TCX', async () => {
    for (const v of variants((xml) => {
      const at = xml.indexOf('</trkpt>') >= 0 ? xml.indexOf('</trkpt>') : xml.indexOf('</Trackpoint>');
      return xml.slice(0, at) + '<x>'.repeat(100_000) + '</x>'.repeat(100_000) + xml.slice(at);
    })) {
      await expectCode(`deep nesting ${v.label}`, v.input, 'XML_TOO_DEEP');
    }
  });

  it('nesting just inside the limit (64 levels in all) is read', async () => {
    // GPX: gpx > trk > trkseg > trkpt > extensions = 5 levels; 59 more reach 64 exactly.
    const at = GPX.indexOf('</extensions>');
    const gpx = GPX.slice(0, at) + '<x>'.repeat(59) + '</x>'.repeat(59) + GPX.slice(at);
    const o = await harness.check(gpx, 'GPX nested to exactly 64 levels');
    expect(o.kind).toBe('activities');
    const over = GPX.slice(0, at) + '<x>'.repeat(60) + '</x>'.repeat(60) + GPX.slice(at);
    await expectCode('GPX nested to 65 levels', over, 'XML_TOO_DEEP');
  });

  it('a 2 MB attribute value or text → XML_VALUE_TOO_LARGE (limit 1,048,576 characters)', async () => {
    await expectCode('2 MB lat attribute', GPX.replace(/lat="[^"]*"/, `lat="${'4'.repeat(2_000_000)}"`), 'XML_VALUE_TOO_LARGE');
    await expectCode('2 MB <name>', GPX.replace('<name>Run</name>', `<name>${'n'.repeat(2_000_000)}</name>`), 'XML_VALUE_TOO_LARGE');
    await expectCode('2 MB TCX <Notes>', TCX.replace('<Lap ', `<Notes>${'n'.repeat(2_000_000)}</Notes><Lap `), 'XML_VALUE_TOO_LARGE');
    await expectCode('2 MB of CDATA in <name>', GPX.replace('<name>Run</name>', `<name><![CDATA[${'c'.repeat(2_000_000)}]]></name>`), 'XML_VALUE_TOO_LARGE');
  });

  it('huge names, 100,000 attributes, a million siblings, 20 MB comments: linear time, a typed outcome', async () => {
    const at = GPX.indexOf('</extensions>');
    const put = (s: string): string => GPX.slice(0, at) + s + GPX.slice(at);
    let attrs = '';
    for (let i = 0; i < 100_000; i++) attrs += ` a${i}="1"`;
    const cases: [string, string][] = [
      ['5 MB element name', put(`<${'a'.repeat(5_000_000)}/>`)],
      ['5 MB attribute name', put(`<x ${'b'.repeat(5_000_000)}="1"/>`)],
      ['100,000 attributes on one element', put(`<x${attrs}/>`)],
      ['1,000,000 empty siblings', put('<x/>'.repeat(1_000_000))],
      ['100,000 distinct prefixes', put(Array.from({ length: 100_000 }, (_, i) => `<p${i}:x/>`).join(''))],
      ['20 MB comment', put(`<!--${'c'.repeat(20_000_000)}-->`)],
      ['20 MB processing instruction', put(`<?pi ${'c'.repeat(20_000_000)}?>`)],
      ['duplicate attributes', GPX.replace('<trkpt ', '<trkpt lat="1" ')],
    ];
    for (const [label, text] of cases) await harness.check(text, label);
  });
});

describe('names cannot pollute objects anywhere in the pipeline', () => {
  const POISON = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__'];

  function snapshotPrototypes(): string {
    const describeProto = (o: object): string =>
      Object.getOwnPropertyNames(o)
        .sort()
        .map((k) => `${k}:${typeof (Object.getOwnPropertyDescriptor(o, k)?.value ?? 'accessor')}`)
        .join(',');
    return [Object.prototype, Array.prototype, Function.prototype, String.prototype].map(describeProto).join('|');
  }

  it('poisoned element names, attribute names, sports, names and creators give plain activities and leave every prototype as it was', async () => {
    const before = snapshotPrototypes();
    const docs: string[] = [];
    for (const p of POISON) {
      const ext = `<${p} ${p}="polluted"><${p}>1</${p}></${p}><gpxtpx:${p}>2</gpxtpx:${p}>`;
      docs.push(
        GPX.replace('<name>Run</name>', `<name>${p}</name><type>${p}</type>`)
          .replace('creator="', `${p}="x" creator="${p}`)
          .replace('</extensions>', `${ext}</extensions>`),
        TCX.replace('Sport="Running"', `Sport="${p}" ${p}="x"`)
          .replace('<Name>', `<Name>${p}`)
          .replace('</Trackpoint>', `<${p}><${p}>3</${p}></${p}></Trackpoint>`),
      );
    }
    const summaries = [];
    for (const d of docs) {
      const o = await checkInput(d);
      expect(o.violations, d.slice(0, 200)).toEqual([]);
      for (const a of await parseActivities(d)) {
        expect(typeof a.sport).toBe('string');
        expect(Object.getPrototypeOf(a.samples)).toBe(Object.prototype);
        if (a.name !== undefined) expect(typeof a.name).toBe('string');
        summaries.push(summarizeActivity(a));
      }
    }
    const history = analyzeHistory(summaries);
    const findings = evaluateRules(history, summaries);
    const report = buildReport({ summaries, history, findings } as Parameters<typeof buildReport>[0]);
    expect(renderJson(report).length).toBeGreaterThan(0);
    expect(renderText(report).length).toBeGreaterThan(0);
    expect(renderHtml(report).length).toBeGreaterThan(0);
    expect(snapshotPrototypes()).toBe(before);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype.toString.call([])).toBe('[object Array]');
  });
});
