// fast-check generators for every kind of TransitNode, including the awkward corners: strings and keyword names
// that start with Transit's markers ("~", "^", "`"), "__proto__", unicode, extreme and negative numbers.
import fc from 'fast-check';
import { encodeTransit, isKeyword, kw, mapOf, PENPOT_TRANSIT_TAGS, type TransitNode } from '../../../src/transit';

/** Tags the decoder turns into typed nodes (or ground values); a `tagged` node never carries one of these. */
const DECODED_TAGS = new Set(['_', '?', 'i', 'd', ':', '$', 'u', 'n', 'f', 'r', 'b', 'c', 'm', 't', 'set', 'list', 'cmap', "'"]);

const awkwardString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string().map((s) => '~' + s),
  fc.string().map((s) => '^' + s),
  fc.string().map((s) => '`' + s),
  fc.constantFrom('', '~', '^', '^ ', '^0', '~~', '~:kw', '~#tag', '~#set', '~uabc', '~m123', '`', '__proto__', 'constructor', '~type', '日本語 🎨'),
);

const number = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 2 ** 53, 2 ** 53 + 2, -(2 ** 60), 1e21, -1.5e-300, Number.MAX_VALUE, Number.MIN_VALUE, 0.1),
);

const tag = fc.oneof(
  fc.constantFrom(...Object.keys(PENPOT_TRANSIT_TAGS), 'foo/bar', 'x', 'link', 'z', 'penpot/unknown'),
  fc.string().filter((t) => !DECODED_TAGS.has(t)),
);

const isoInstant = fc
  .date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true })
  .map((date) => date.toISOString());

const scalar: fc.Arbitrary<TransitNode> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  number,
  awkwardString,
  awkwardString.map((name) => kw(name)),
  awkwardString.map((name): TransitNode => ({ '~type': 'symbol', name })),
  fc.oneof(fc.uuid(), awkwardString).map((value): TransitNode => ({ '~type': 'uuid', value })),
  // Canonical ISO strings (written as "~m") and anything else (kept verbatim through "~t").
  fc.oneof(isoInstant, fc.constantFrom('2026-07-24T12:08:41.123456Z', '2026-07-24T12:08:41Z'), awkwardString).map(
    (value): TransitNode => ({ '~type': 'instant', value }),
  ),
  fc
    .tuple(fc.constantFrom('bigint', 'decimal', 'uri', 'binary', 'char'), awkwardString)
    .map(([type, value]) => ({ '~type': type, value })),
);

/** Entries with distinct keys, compared on their verbose encoding (the form a JSON object key takes). */
function uniqueEntries(key: fc.Arbitrary<TransitNode>, value: fc.Arbitrary<TransitNode>) {
  return fc.uniqueArray(fc.tuple(key, value), {
    maxLength: 6,
    selector: ([k]) => encodeTransit(k, { verbose: true }),
  });
}

const { node } = fc.letrec<{ node: TransitNode }>((tie) => {
  const child = tie('node');
  return {
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(child, { maxLength: 5 }),
      // Keyword-keyed map → plain object (mapOf escapes names starting with "~").
      uniqueEntries(awkwardString.map((name) => kw(name)), child).map((entries) => mapOf(entries)),
      // Any other map: at least one key that is not a keyword, keys scalar (a "^ " map) or composite (a cmap).
      uniqueEntries(fc.oneof(scalar, child), child)
        .filter((entries) => entries.some(([k]) => !isKeyword(k)))
        .map((entries): TransitNode => ({ '~type': 'map', entries })),
      fc.array(child, { maxLength: 5 }).map((items): TransitNode => ({ '~type': 'set', items })),
      fc.array(child, { maxLength: 5 }).map((items): TransitNode => ({ '~type': 'list', items })),
      fc.tuple(tag, child).map(([t, value]): TransitNode => ({ '~type': 'tagged', tag: t, value })),
    ),
  };
});

export const transitNode = node;
