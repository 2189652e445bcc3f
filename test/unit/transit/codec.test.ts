// Example tests for decodeTransit / encodeTransit: Penpot's compact event (§4.2), each tag family of §9, verbose
// input, malformed input, and compatibility of our "^N" cache codes with transit-js's own writer and reader.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as transit from 'transit-js';
import {
  decodeTransit,
  encodeTransit,
  instant,
  kw,
  setOf,
  tagged,
  TransitDecodeError,
  uuid,
  type TransitNode,
} from '../../../src/transit';

const PROFILE_ID = 'db601c95-045f-808b-8002-361312e63531';
const FILE_ID = 'db601c95-045f-808b-8002-362f08fcb621';
const PROJECT_ID = 'db601c95-045f-808b-8002-362f08fcb622';

// A `rename-file` event as Penpot's `t/encode-str` writes it (§4.2): "^0" is ~:name, "^5" is ~:created-at.
const RENAME_FILE_EVENT =
  '["^ ","~:name","rename-file","~:profile-id","~u' + PROFILE_ID + '","~:props",' +
  '["^ ","~:id","~u' + FILE_ID + '","^0","New name","~:project-id","~u' + PROJECT_ID + '",' +
  '"~:created-at","~m1784887200123","~:modified-at","~m1784894921654"],' +
  '"^5","~m1784894921650","~:tracked-at","~m1784894921650"]';

const RENAME_FILE_TREE: TransitNode = {
  name: 'rename-file',
  'profile-id': { '~type': 'uuid', value: PROFILE_ID },
  props: {
    id: { '~type': 'uuid', value: FILE_ID },
    name: 'New name',
    'project-id': { '~type': 'uuid', value: PROJECT_ID },
    'created-at': { '~type': 'instant', value: '2026-07-24T10:00:00.123Z' },
    'modified-at': { '~type': 'instant', value: '2026-07-24T12:08:41.654Z' },
  },
  'created-at': { '~type': 'instant', value: '2026-07-24T12:08:41.650Z' },
  'tracked-at': { '~type': 'instant', value: '2026-07-24T12:08:41.650Z' },
};

function decodeError(text: string): TransitDecodeError {
  try {
    decodeTransit(text);
  } catch (error) {
    assert.ok(error instanceof TransitDecodeError, `expected a TransitDecodeError, got ${String(error)}`);
    assert.equal(error.name, 'TransitDecodeError');
    return error;
  }
  assert.fail(`decoding ${JSON.stringify(text)} did not throw`);
}

describe('decodeTransit', () => {
  it('decodes the compact Penpot event with its cache codes', () => {
    assert.deepStrictEqual(decodeTransit(RENAME_FILE_EVENT), RENAME_FILE_TREE);
  });

  it('writes the Penpot event back byte for byte, as transit-js does', () => {
    assert.equal(encodeTransit(RENAME_FILE_TREE), RENAME_FILE_EVENT);
    const k = transit.keyword;
    const viaTransitJs = transit.writer('json').write(
      transit.map([
        k('name'), 'rename-file',
        k('profile-id'), transit.uuid(PROFILE_ID),
        k('props'), transit.map([
          k('id'), transit.uuid(FILE_ID), k('name'), 'New name', k('project-id'), transit.uuid(PROJECT_ID),
          k('created-at'), new Date(1784887200123), k('modified-at'), new Date(1784894921654),
        ]),
        k('created-at'), new Date(1784894921650),
        k('tracked-at'), new Date(1784894921650),
      ]),
    );
    assert.equal(viaTransitJs, RENAME_FILE_EVENT);
  });

  it('turns ~m milliseconds into an ISO string and keeps ~t text verbatim', () => {
    assert.deepStrictEqual(decodeTransit('["~#\'","~m0"]'), { '~type': 'instant', value: '1970-01-01T00:00:00.000Z' });
    assert.deepStrictEqual(decodeTransit('["~#\'","~m-1000"]'), { '~type': 'instant', value: '1969-12-31T23:59:59.000Z' });
    // Microseconds, as in Penpot's JSON (§1.5), survive; compact output then keeps "~t" so nothing is lost.
    const micro = decodeTransit('["~#\'","~t2026-07-24T12:08:41.123456Z"]');
    assert.deepStrictEqual(micro, { '~type': 'instant', value: '2026-07-24T12:08:41.123456Z' });
    assert.equal(encodeTransit(micro), '["~#\'","~t2026-07-24T12:08:41.123456Z"]');
    assert.equal(encodeTransit(instant(0)), '["~#\'","~m0"]');
  });

  it('keeps an unreadable ~m as a tagged value rather than failing', () => {
    const node = decodeTransit('["^ ","~:at","~mnot-a-number"]');
    assert.deepStrictEqual(node, { at: { '~type': 'tagged', tag: 'm', value: 'not-a-number' } });
    assert.deepStrictEqual(decodeTransit(encodeTransit(node)), node);
  });

  it('decodes sets and lists', () => {
    assert.deepStrictEqual(decodeTransit('["^ ","~:features",["~#set",["fdata/shape-data-type","components/v2"]]]'), {
      features: { '~type': 'set', items: ['fdata/shape-data-type', 'components/v2'] },
    });
    assert.deepStrictEqual(decodeTransit('["~#list",[1,"~:a"]]'), { '~type': 'list', items: [1, kw('a')] });
  });

  it("keeps Penpot's own tags as tagged values: uri, duration, point", () => {
    assert.deepStrictEqual(decodeTransit('["^ ","~:uri",["~#uri","https://example.com/hook"]]'), {
      uri: { '~type': 'tagged', tag: 'uri', value: 'https://example.com/hook' },
    });
    assert.deepStrictEqual(decodeTransit('["~#duration",2592000000]'), { '~type': 'tagged', tag: 'duration', value: 2592000000 });
    assert.deepStrictEqual(decodeTransit('["~#point",["^ ","~:x",10.5,"~:y",-3]]'), {
      '~type': 'tagged', tag: 'point', value: { x: 10.5, y: -3 },
    });
    // The standard Transit URI (~r) is its own node kind.
    assert.deepStrictEqual(decodeTransit('["~#\'","~rhttps://penpot.app"]'), { '~type': 'uri', value: 'https://penpot.app' });
  });

  it('keeps an unknown tag, a tag whose value is tagged, and an unknown scalar code', () => {
    assert.deepStrictEqual(decodeTransit('["~#foo/bar",["^ ","~:a",1]]'), { '~type': 'tagged', tag: 'foo/bar', value: { a: 1 } });
    assert.deepStrictEqual(decodeTransit('["~#penpot/pointer",["~#uri","x"]]'), {
      '~type': 'tagged', tag: 'penpot/pointer', value: { '~type': 'tagged', tag: 'uri', value: 'x' },
    });
    assert.deepStrictEqual(decodeTransit('["~#\'","~xabc"]'), { '~type': 'tagged', tag: 'x', value: 'abc' });
    assert.deepStrictEqual(decodeTransit('["~#link",["^ ","~:href","/x"]]'), { '~type': 'tagged', tag: 'link', value: { href: '/x' } });
  });

  it('decodes a map with UUID keys as entries, and a composite-key cmap', () => {
    const a = 'a0000000-0000-4000-8000-000000000001';
    const b = 'b0000000-0000-4000-8000-000000000002';
    const node = decodeTransit(`["^ ","~u${a}",["^ ","~:name","A"],"~u${b}",["^ ","^1","B"]]`);
    assert.deepStrictEqual(node, {
      '~type': 'map',
      entries: [
        [uuid(a), { name: 'A' }],
        [uuid(b), { name: 'B' }],
      ],
    });
    assert.deepStrictEqual(decodeTransit('["~#cmap",[["~#set",[1]],"one",["^ ","~:k",2],"two"]]'), {
      '~type': 'map',
      entries: [
        [setOf([1]), 'one'],
        [{ k: 2 }, 'two'],
      ],
    });
  });

  it('decodes the other scalar codes losslessly', () => {
    const node = decodeTransit(
      '["^ ","~:big","~i9007199254740993","~:small","~i42","~:n","~n123456789012345678901234567890",' +
        '"~:f","~f1.50","~:b","~bAAEC/w==","~:c","~cx","~:s","~$my.ns/sym","~:d","~d2.5","~:esc","~~#not-a-tag",' +
        '"~:caret","~^0","~:tick","~`x"]',
    );
    assert.deepStrictEqual(node, {
      big: { '~type': 'bigint', value: '9007199254740993' },
      small: 42,
      n: { '~type': 'bigint', value: '123456789012345678901234567890' },
      f: { '~type': 'decimal', value: '1.50' },
      b: { '~type': 'binary', value: 'AAEC/w==' },
      c: { '~type': 'char', value: 'x' },
      s: { '~type': 'symbol', name: 'my.ns/sym' },
      d: 2.5,
      esc: '~#not-a-tag',
      caret: '^0',
      tick: '`x',
    });
  });

  it('decodes map keys that are not keywords: strings, numbers, booleans, nil', () => {
    assert.deepStrictEqual(decodeTransit('["^ ","plain",1,"~i7",2,"~?t",3,"~_",4]'), {
      '~type': 'map',
      entries: [
        ['plain', 1],
        [7, 2],
        [true, 3],
        [null, 4],
      ],
    });
  });

  it('escapes a keyword key that starts with "~" and keeps "__proto__" as data', () => {
    const node = decodeTransit('["^ ","~:~type","x","~:__proto__",1]') as Record<string, TransitNode>;
    assert.deepStrictEqual(Object.keys(node), ['~~type', '__proto__']);
    assert.equal(Object.getPrototypeOf(node), Object.prototype);
    assert.equal(node['~~type'], 'x');
    assert.equal(encodeTransit(node), '["^ ","~:~type","x","~:__proto__",1]');
  });

  it('reads JSON-verbose input', () => {
    const verbose = JSON.stringify({
      '~:name': 'rename-file',
      '~:profile-id': '~u' + PROFILE_ID,
      '~:created-at': '~t2026-07-24T12:08:41.650Z',
      '~:features': { '~#set': ['a'] },
      '~:pos': { '~#point': { '~:x': 1, '~:y': 2 } },
    });
    assert.deepStrictEqual(decodeTransit(verbose), {
      name: 'rename-file',
      'profile-id': uuid(PROFILE_ID),
      'created-at': instant('2026-07-24T12:08:41.650Z'),
      features: setOf(['a']),
      pos: tagged('point', { x: 1, y: 2 }),
    });
  });

  it('gives every repeated value its own object', () => {
    const node = decodeTransit('[["^ ","~:type","~:rect"],["^ ","^0","^1"]]') as { type: { name: string } }[];
    assert.deepStrictEqual(node, [{ type: kw('rect') }, { type: kw('rect') }]);
    assert.notEqual(node[0].type, node[1].type);
  });

  it('explains malformed input in a sentence', () => {
    assert.equal(decodeError('').message, 'Not valid Transit: the text is empty.');
    assert.equal(decodeError('  \n').message, 'Not valid Transit: the text is empty.');
    assert.match(decodeError(RENAME_FILE_EVENT.slice(0, 60)).message, /^Not valid Transit: .*JSON.*position \d+\.$/);
    assert.match(decodeError('name=rename-file').message, /^Not valid Transit: Unexpected token .*not valid JSON\.$/);
    assert.equal(decodeError('["^ ","~:a",1,"~:b"]').message, 'Not valid Transit: a map ["^ ", …] has a key without a value.');
    assert.equal(decodeError('["^ ","^3",1]').message, 'Not valid Transit: the cache reference "^3" points to no earlier value.');
    assert.match(decodeError('["^ ","~:a","^hello"]').message, /"\^hello" starts with "\^" but is not a cache reference/);
    assert.equal(decodeError('["~#set"]').message, 'Not valid Transit: the tag "~#set" is not followed by a value.');
  });

  it('refuses nesting deeper than 1000 levels, counting only brackets outside strings', () => {
    const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
    assert.equal((decodeTransit(nested(1000)) as unknown[]).length, 1);
    assert.equal(decodeError(nested(1001)).message, 'Not valid Transit: it nests deeper than 1000 levels.');
    const bracketsInStrings = JSON.stringify(['\\"' + '['.repeat(2000), '{'.repeat(2000) + '\\', '\\\\']);
    assert.equal((decodeTransit(bracketsInStrings) as string[])[1], '{'.repeat(2000) + '\\');
  });

  it('recovers after a failed decode (the cache is reset)', () => {
    decodeError('["^ ","~:first-key",["^ ","^0","^9"]]');
    assert.deepStrictEqual(decodeTransit('["^ ","~:other",1,"~:next",["^ ","^0",2]]'), { other: 1, next: { other: 2 } });
  });
});

describe('encodeTransit', () => {
  it('writes verbose Transit without cache codes', () => {
    const text = encodeTransit(RENAME_FILE_TREE, { verbose: true });
    assert.ok(!text.includes('"^'), text);
    // Penpot's `m` handler has no verbose form: instants stay "~m<millis>" (conformance finding 18)
    assert.deepStrictEqual(JSON.parse(text)['~:created-at'], '~m1784894921650');
    assert.deepStrictEqual(decodeTransit(text), RENAME_FILE_TREE);
  });

  it('numbers cache codes as transit-js does, across the wrap after 1936 entries', () => {
    const names = Array.from({ length: 2500 }, (_, i) => `k${i}`);
    const ours = encodeTransit([...names, ...names].map((name) => kw(name)));
    const theirs = transit.writer('json').write([...names, ...names].map((name) => transit.keyword(name)));
    assert.equal(ours, theirs);
    const read = transit.reader('json').read(ours) as { name(): string }[];
    assert.deepStrictEqual(read.map((keyword) => keyword.name()), [...names, ...names]);
  });

  it('quotes top-level scalars', () => {
    assert.equal(encodeTransit('hello'), '["~#\'","hello"]');
    assert.equal(encodeTransit(kw('a'), { verbose: true }), '{"~#\'":"~:a"}');
    assert.equal(encodeTransit(null), '["~#\'",null]');
  });

  it('does not touch Object.prototype for keys named "__proto__" or "constructor"', () => {
    const node: TransitNode = { '~type': 'map', entries: [['__proto__', 1], ['constructor', 2], ['__proto__x', 3], [1, 4]] };
    const text = encodeTransit([node, node]);
    assert.equal(({} as Record<number, unknown>)[0], undefined);
    assert.equal(({} as Record<number, unknown>)[1], undefined);
    assert.deepStrictEqual(decodeTransit(text), [node, node]);
  });

  it('rejects what is not a TransitNode', () => {
    assert.throws(() => encodeTransit(undefined as unknown as TransitNode), /encodeTransit: cannot encode undefined/);
    assert.throws(() => encodeTransit({ '~type': 'nope' }), /cannot encode an object with "~type": "nope"/);
    assert.throws(() => encodeTransit({ '~type': 'set', items: 'x' }), TypeError);
  });

  it('skips undefined values in a keyword map, as JSON does', () => {
    assert.equal(encodeTransit({ a: 1, b: undefined } as unknown as TransitNode), '["^ ","~:a",1]');
  });
});
