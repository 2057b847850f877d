/**
 * Ways to damage a file, as fast-check arbitraries: each yields a function
 * from the original bytes to damaged bytes plus a label saying exactly what
 * was done (so a failing case can be rebuilt by hand).
 *
 * FIT mutations know the message layout (via `fitMessageBoundaries`) so they
 * can cut inside a header, a definition, a data message or the CRC, duplicate
 * or reorder whole messages, and write absurd counts into headers and
 * definitions. XML mutations cut inside a tag name, an attribute value or
 * text, duplicate and reorder elements, and plant hostile tokens.
 */
import fc from 'fast-check';
import { fitMessageBoundaries } from '../../fixtures/lib/fit-writer.js';
import { concatBytes } from '../../src/parse/bytes.js';

/** A damaged input and how it was made. */
export interface Mutated {
  readonly bytes: Uint8Array;
  readonly label: string;
}

/** A mutation: applied to the original bytes (never modified). */
export type Mutation = (original: Uint8Array) => Mutated;

/** One FIT message: `[start, end)` offsets and the global message number (-1 for a definition). */
export interface FitMessageSpan {
  readonly start: number;
  readonly end: number;
  readonly global: number;
}

/** The messages of a FIT file's first part, in order. */
export function fitMessageSpans(bytes: Uint8Array): FitMessageSpan[] {
  const spans: FitMessageSpan[] = [];
  let start = bytes[0] ?? 14;
  for (const b of fitMessageBoundaries(bytes)) {
    spans.push({ start, end: b.end, global: b.globalMessage });
    start = b.end;
  }
  return spans;
}

/** Joined copy of two or more parts (every call here passes at least two, so the result is always new). */
const concat = (...parts: readonly Uint8Array[]): Uint8Array => concatBytes(parts);

function setU32LE(bytes: Uint8Array, o: number, v: number): void {
  bytes[o] = v & 0xff;
  bytes[o + 1] = (v >>> 8) & 0xff;
  bytes[o + 2] = (v >>> 16) & 0xff;
  bytes[o + 3] = (v >>> 24) & 0xff;
}

/** Rewrites the FIT header's data size to `dataSize` (header CRC cleared), in a copy. */
export function withFitDataSize(bytes: Uint8Array, dataSize: number): Uint8Array {
  const out = bytes.slice();
  setU32LE(out, 4, dataSize);
  if (out[0] === 14 && out.length >= 14) {
    out[12] = 0;
    out[13] = 0;
  }
  return out;
}

/**
 * A fraction in [0, 1) used to pick a position in whatever the input turns out
 * to be: uniform (not `fc.double`, whose values crowd near 0, nor fast-check's
 * default bias towards small integers), so cuts and flips land anywhere.
 */
const fraction = fc.noBias(fc.integer({ min: 0, max: 2 ** 30 - 1 })).map((k) => k / 2 ** 30);

/** `n` bit flips anywhere. */
export const bitFlips: fc.Arbitrary<Mutation> = fc
  .array(fc.tuple(fraction, fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 16 })
  .map((flips) => (original) => {
    const out = original.slice();
    const at: string[] = [];
    for (const [f, bit] of flips) {
      const i = Math.floor(f * out.length);
      out[i] = out[i]! ^ (1 << bit);
      at.push(`${i}.${bit}`);
    }
    return { bytes: out, label: `bit flips at ${at.join(',')}` };
  });

/** Random bytes overwritten or inserted somewhere. */
export const byteNoise: fc.Arbitrary<Mutation> = fc
  .tuple(fraction, fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.boolean())
  .map(([f, noise, insert]) => (original) => {
    const i = Math.floor(f * original.length);
    if (insert) return { bytes: concat(original.subarray(0, i), noise, original.subarray(i)), label: `${noise.length} random bytes inserted at ${i}` };
    const out = original.slice();
    out.set(noise.subarray(0, Math.max(0, out.length - i)), i);
    return { bytes: out, label: `${noise.length} random bytes written at ${i}` };
  });

/** Cut after `f` of the bytes. */
export const truncation: fc.Arbitrary<Mutation> = fraction.map((f) => (original) => {
  const n = Math.floor(f * original.length);
  return { bytes: original.slice(0, n), label: `cut at byte ${n} of ${original.length}` };
});

/** The first `f` of one file followed by the last part of another (or the same) file. */
export function splice(other: Uint8Array): fc.Arbitrary<Mutation> {
  return fc.tuple(fraction, fraction).map(([fa, fb]) => (original) => {
    const a = Math.floor(fa * original.length);
    const b = Math.floor(fb * other.length);
    return { bytes: concat(original.subarray(0, a), other.subarray(b)), label: `first ${a} bytes spliced onto another file from byte ${b}` };
  });
}

// ---------------------------------------------------------------- FIT

/** Kinds of place a FIT file can be cut at. */
export type FitCutKind = 'header' | 'definition' | 'data' | 'boundary' | 'crc';

/** Cuts a FIT file inside its header, inside a definition or data message, exactly between messages, or inside the CRC. */
export const fitCut: fc.Arbitrary<Mutation> = fc
  .tuple(fc.constantFrom<FitCutKind>('header', 'definition', 'data', 'boundary', 'crc'), fraction, fraction)
  .map(([kind, f, g]) => (original) => {
    const spans = fitMessageSpans(original);
    const headerSize = original[0]!;
    const pick = (list: readonly FitMessageSpan[]): FitMessageSpan | undefined => list[Math.floor(f * list.length)];
    let at: number;
    if (kind === 'header') at = Math.floor(f * headerSize);
    else if (kind === 'crc') at = original.length - 1 - Math.floor(f * 2);
    else if (kind === 'boundary') at = pick(spans)?.end ?? headerSize;
    else {
      const m = pick(spans.filter((s) => (kind === 'definition' ? s.global < 0 : s.global >= 0)));
      at = m === undefined ? headerSize : m.start + 1 + Math.floor(g * Math.max(1, m.end - m.start - 1));
    }
    return { bytes: original.slice(0, at), label: `FIT cut in ${kind} at byte ${at} of ${original.length}` };
  });

/** Copies one message (or a run of them) right after itself; with `fixSize` the header's data size is updated to match. */
export const fitDuplicate: fc.Arbitrary<Mutation> = fc
  .tuple(fraction, fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 50 }), fc.boolean())
  .map(([f, count, times, fixSize]) => (original) => {
    const spans = fitMessageSpans(original);
    const i = Math.floor(f * spans.length);
    const first = spans[i];
    const last = spans[Math.min(spans.length - 1, i + count - 1)];
    if (first === undefined || last === undefined) return { bytes: original.slice(), label: 'no message to duplicate' };
    const block = original.subarray(first.start, last.end);
    const dataEnd = spans[spans.length - 1]!.end;
    const copies = Array.from({ length: times }, () => block);
    let out = concat(original.subarray(0, last.end), ...copies, original.subarray(last.end));
    const dataSize = dataEnd - original[0]! + block.length * times;
    if (fixSize) out = withFitDataSize(out, dataSize);
    return { bytes: out, label: `FIT messages ${i}..${i + count - 1} repeated ${times}× ${fixSize ? '(data size updated)' : '(header unchanged)'}` };
  });

/** Swaps two messages (the data size stays right; definitions may now come after their data). */
export const fitSwap: fc.Arbitrary<Mutation> = fc.tuple(fraction, fraction).map(([f, g]) => (original) => {
  const spans = fitMessageSpans(original);
  let i = Math.floor(f * spans.length);
  let j = Math.floor(g * spans.length);
  if (i > j) [i, j] = [j, i];
  const a = spans[i];
  const b = spans[j];
  if (a === undefined || b === undefined || i === j) return { bytes: original.slice(), label: 'nothing swapped' };
  const out = concat(
    original.subarray(0, a.start),
    original.subarray(b.start, b.end),
    original.subarray(a.end, b.start),
    original.subarray(a.start, a.end),
    original.subarray(b.end),
  );
  return { bytes: out, label: `FIT messages ${i} and ${j} swapped` };
});

/** Absurd counts: data size 0xFFFFFFFF or 0, a field size of 255, 255 fields, 255 developer fields, odd header sizes. */
export type FitHugeKind = 'dataSize-max' | 'dataSize-zero' | 'field-size-255' | 'field-count-255' | 'dev-count-255' | 'header-size';

export const fitHuge: fc.Arbitrary<Mutation> = fc
  .tuple(fc.constantFrom<FitHugeKind>('dataSize-max', 'dataSize-zero', 'field-size-255', 'field-count-255', 'dev-count-255', 'header-size'), fraction, fc.integer({ min: 0, max: 255 }))
  .map(([kind, f, value]) => (original) => {
    const out = original.slice();
    const defs = fitMessageSpans(original).filter((s) => s.global < 0);
    const def = defs[Math.floor(f * defs.length)];
    switch (kind) {
      case 'dataSize-max':
        return { bytes: withFitDataSize(original, 0xffffffff), label: 'FIT header data size 0xFFFFFFFF' };
      case 'dataSize-zero':
        return { bytes: withFitDataSize(original, 0), label: 'FIT header data size 0' };
      case 'header-size':
        out[0] = value;
        return { bytes: out, label: `FIT header size byte ${value}` };
      case 'field-size-255': {
        if (def === undefined) break;
        const nFields = out[def.start + 5]!;
        const k = Math.floor(f * 997) % Math.max(1, nFields);
        out[def.start + 7 + k * 3] = 255;
        return { bytes: out, label: `FIT definition at ${def.start}: field ${k} size 255` };
      }
      case 'field-count-255':
        if (def === undefined) break;
        out[def.start + 5] = 255;
        return { bytes: out, label: `FIT definition at ${def.start}: 255 fields` };
      case 'dev-count-255': {
        if (def === undefined) break;
        out[def.start] = out[def.start]! | 0x20;
        const nFields = out[def.start + 5]!;
        const at = def.start + 6 + nFields * 3;
        const tail = concat(out.subarray(0, at), Uint8Array.of(255), out.subarray(at));
        return { bytes: tail, label: `FIT definition at ${def.start}: developer flag set, 255 developer fields` };
      }
    }
    return { bytes: out, label: `${kind}: no definition to change` };
  });

/** Every FIT mutation, weighted towards the structural ones. */
export const fitMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fitCut, weight: 3 },
  { arbitrary: bitFlips, weight: 3 },
  { arbitrary: fitDuplicate, weight: 2 },
  { arbitrary: fitSwap, weight: 2 },
  { arbitrary: fitHuge, weight: 2 },
  { arbitrary: byteNoise, weight: 1 },
  { arbitrary: truncation, weight: 1 },
);

// ---------------------------------------------------------------- XML

/** Kinds of place an XML file can be cut at. */
export type XmlCutKind = 'tag-name' | 'attribute-value' | 'text' | 'entity' | 'anywhere';

function positionsOf(text: string, kind: XmlCutKind): number[] {
  const out: number[] = [];
  if (kind === 'anywhere') return [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (kind === 'tag-name' && c === '<' && i + 2 < text.length) out.push(i + 2);
    else if (kind === 'attribute-value' && c === '"' && text[i - 1] === '=') out.push(i + 2);
    else if (kind === 'text' && c === '>' && text[i + 1] !== '<' && text[i + 1] !== '\n' && i + 2 < text.length) out.push(i + 2);
    else if (kind === 'entity' && c === '&') out.push(i + 2);
  }
  return out;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Cuts XML inside a tag name, an attribute value, text, an entity reference, or anywhere. */
export const xmlCut: fc.Arbitrary<Mutation> = fc
  .tuple(fc.constantFrom<XmlCutKind>('tag-name', 'attribute-value', 'text', 'entity', 'anywhere'), fraction)
  .map(([kind, f]) => (original) => {
    const text = dec.decode(original);
    const candidates = positionsOf(text, kind);
    const at = candidates.length > 0 ? candidates[Math.floor(f * candidates.length)]! : Math.floor(f * text.length);
    return { bytes: enc.encode(text.slice(0, at)), label: `XML cut in ${kind} at char ${at} of ${text.length}` };
  });

/** The complete `<name …>…</name>` blocks of an element (not nested in itself). */
export function elementBlocks(text: string, name: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const open = new RegExp(`<(?:[\\w.-]+:)?${name}[\\s>/]`, 'g');
  let m: RegExpExecArray | null;
  while ((m = open.exec(text)) !== null) {
    const prefixEnd = text.indexOf(name, m.index);
    const qname = text.slice(m.index + 1, prefixEnd + name.length);
    const close = `</${qname}>`;
    const selfClose = text.indexOf('/>', m.index);
    const gt = text.indexOf('>', m.index);
    if (selfClose >= 0 && selfClose + 1 === gt) {
      out.push({ start: m.index, end: gt + 1 });
      continue;
    }
    const e = text.indexOf(close, m.index);
    if (e < 0) break;
    out.push({ start: m.index, end: e + close.length });
    open.lastIndex = e + close.length;
  }
  return out;
}

/** Elements worth duplicating or swapping in GPX and TCX. */
const XML_ELEMENTS = ['trkpt', 'trkseg', 'trk', 'Trackpoint', 'Track', 'Lap', 'Activity', 'extensions', 'time', 'Time'] as const;

/** Repeats an element block (times collide) or swaps two (time goes back). */
export const xmlShuffle: fc.Arbitrary<Mutation> = fc
  .tuple(fc.constantFrom(...XML_ELEMENTS), fraction, fraction, fc.constantFrom('duplicate', 'swap'), fc.integer({ min: 1, max: 20 }))
  .map(([name, f, g, how, times]) => (original) => {
    const text = dec.decode(original);
    const blocks = elementBlocks(text, name);
    if (blocks.length === 0) return { bytes: original.slice(), label: `no <${name}> to ${how}` };
    let i = Math.floor(f * blocks.length);
    let j = Math.floor(g * blocks.length);
    if (how === 'duplicate') {
      const b = blocks[i]!;
      const block = text.slice(b.start, b.end);
      return { bytes: enc.encode(text.slice(0, b.end) + block.repeat(times) + text.slice(b.end)), label: `<${name}> ${i} repeated ${times}×` };
    }
    if (i > j) [i, j] = [j, i];
    if (i === j) return { bytes: original.slice(), label: `<${name}>: nothing swapped` };
    const a = blocks[i]!;
    const b = blocks[j]!;
    if (a.end > b.start) return { bytes: original.slice(), label: `<${name}>: overlapping blocks` };
    const out = text.slice(0, a.start) + text.slice(b.start, b.end) + text.slice(a.end, b.start) + text.slice(a.start, a.end) + text.slice(b.end);
    return { bytes: enc.encode(out), label: `<${name}> ${i} and ${j} swapped` };
  });

/** Tokens that trouble XML readers and naive object building. */
export const HOSTILE_XML_TOKENS = [
  '<!DOCTYPE gpx [<!ENTITY a "aaaaaaaaaa">]>',
  '<!DOCTYPE x SYSTEM "file:///etc/passwd">',
  '&a;',
  '&#0;',
  '&#x110000;',
  '&#xD800;',
  ']]>',
  '<![CDATA[',
  '<?xml version="1.0"?>',
  '<?xml version="1.0" encoding="UTF-16"?>',
  '<?xml version="1.0" encoding="ISO-8859-1"?>',
  '<?xml version="1.0" encoding="x-bogus-9"?>',
  '\uFEFF',
  '<__proto__ polluted="yes">1</__proto__>',
  '<constructor><prototype>1</prototype></constructor>',
  '<trkpt lat="1e308" lon="-1e308"><time>9999-99-99T99:99:99Z</time></trkpt>',
  '<trkpt lat="NaN" lon="Infinity"><ele>-Infinity</ele></trkpt>',
  '<Trackpoint><Time>0000-00-00T00:00:00Z</Time><DistanceMeters>1e400</DistanceMeters></Trackpoint>',
  '<time>2024-02-30T25:61:61Z</time>',
  '<cad>-5</cad><hr>99999999999</hr>',
  '\u0000',
  '\uFFFF',
  '<a:b:c>',
  '</gpx>',
  '</TrainingCenterDatabase>',
] as const;

/** Plants a hostile token somewhere. */
export const xmlPlant: fc.Arbitrary<Mutation> = fc
  .tuple(fc.constantFrom(...HOSTILE_XML_TOKENS), fraction, fc.constantFrom('anywhere', 'after-tag'))
  .map(([token, f, where]) => (original) => {
    const text = dec.decode(original);
    let at = Math.floor(f * text.length);
    if (where === 'after-tag') {
      const next = text.indexOf('>', at);
      at = next < 0 ? text.length : next + 1;
    }
    return { bytes: enc.encode(text.slice(0, at) + token + text.slice(at)), label: `planted ${JSON.stringify(token)} at char ${at}` };
  });

/** The document re-encoded: UTF-16 LE/BE with or without BOM, or its declaration lying about the encoding. */
export const xmlEncodingLie: fc.Arbitrary<Mutation> = fc
  .constantFrom('utf-16le+bom', 'utf-16be+bom', 'utf-16le', 'declared-utf-16', 'declared-latin1', 'declared-bogus')
  .map((how) => (original) => {
    const text = dec.decode(original);
    const utf16 = (t: string, bigEndian: boolean, bom: boolean): Uint8Array => {
      const src = (bom ? '\uFEFF' : '') + t;
      const out = new Uint8Array(src.length * 2);
      for (let i = 0; i < src.length; i++) {
        const c = src.charCodeAt(i);
        out[2 * i + (bigEndian ? 1 : 0)] = c & 0xff;
        out[2 * i + (bigEndian ? 0 : 1)] = c >> 8;
      }
      return out;
    };
    const declare = (enc2: string): Uint8Array =>
      enc.encode(text.replace(/<\?xml[^?]*\?>/, `<?xml version="1.0" encoding="${enc2}"?>`));
    const bytes =
      how === 'utf-16le+bom' ? utf16(text, false, true)
      : how === 'utf-16be+bom' ? utf16(text, true, true)
      : how === 'utf-16le' ? utf16(text, false, false)
      : how === 'declared-utf-16' ? declare('UTF-16')
      : how === 'declared-latin1' ? declare('ISO-8859-1')
      : declare('x-bogus-9');
    return { bytes, label: `re-encoded: ${how}` };
  });

/** Every XML mutation. */
export const xmlMutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: xmlEncodingLie, weight: 1 },
  { arbitrary: xmlCut, weight: 3 },
  { arbitrary: xmlShuffle, weight: 2 },
  { arbitrary: xmlPlant, weight: 2 },
  { arbitrary: bitFlips, weight: 2 },
  { arbitrary: byteNoise, weight: 1 },
);
