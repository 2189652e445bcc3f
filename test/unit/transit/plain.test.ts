// toPlainJson (Copy JSON, search, event names), the viewer's type labels, and the node builders.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeTransit,
  describeNodeType,
  instant,
  kw,
  listOf,
  mapOf,
  PENPOT_TRANSIT_TAGS,
  setOf,
  tagged,
  toPlainJson,
  uuid,
  type TransitNode,
} from '../../../src/transit';

const PROFILE_ID = 'db601c95-045f-808b-8002-361312e63531';

describe('toPlainJson', () => {
  it('gives a Penpot event the shape a person expects', () => {
    const event = decodeTransit(
      '["^ ","~:name","update-file","~:profile-id","~u' + PROFILE_ID + '","~:props",["^ ","~:features",' +
        '["~#set",["components/v2"]],"~:kind","~:file","~:uri",["~#uri","https://example.com/hook"],' +
        '"~:ttl",["~#duration",1000]],"~:created-at","~m1784894921650"]',
    );
    assert.deepStrictEqual(toPlainJson(event), {
      name: 'update-file',
      'profile-id': PROFILE_ID,
      props: { features: ['components/v2'], kind: 'file', uri: 'https://example.com/hook', ttl: 1000 },
      'created-at': '2026-07-24T12:08:41.650Z',
    });
  });

  it('turns every scalar node into its text and lists into arrays', () => {
    const node: TransitNode = [
      { '~type': 'symbol', name: 'ns/sym' },
      { '~type': 'bigint', value: '12345678901234567890' },
      { '~type': 'decimal', value: '1.50' },
      { '~type': 'uri', value: 'https://penpot.app' },
      { '~type': 'binary', value: 'AAE=' },
      { '~type': 'char', value: 'c' },
      listOf([1, kw('a')]),
    ];
    assert.deepStrictEqual(toPlainJson(node), ['ns/sym', '12345678901234567890', '1.50', 'https://penpot.app', 'AAE=', 'c', [1, 'a']]);
  });

  it('unescapes "~~" keyword keys and stringifies non-string map keys', () => {
    const keywordMap = mapOf([[kw('~type'), 1], [kw('__proto__'), 2]]);
    const plain = toPlainJson(keywordMap) as Record<string, unknown>;
    assert.deepStrictEqual(Object.keys(plain), ['~type', '__proto__']);
    assert.equal(Object.getPrototypeOf(plain), Object.prototype);

    const id = 'a0000000-0000-4000-8000-000000000001';
    const map: TransitNode = {
      '~type': 'map',
      entries: [
        [uuid(id), { name: 'A' }],
        [7, 'seven'],
        [null, 'nil'],
        [true, 'yes'],
        [tagged('point', { x: 1, y: 2 }), 'point'],
        [setOf([1, 2]), 'set'],
      ],
    };
    assert.deepStrictEqual(toPlainJson(map), {
      [id]: { name: 'A' },
      '7': 'seven',
      null: 'nil',
      true: 'yes',
      '{"x":1,"y":2}': 'point',
      '[1,2]': 'set',
    });
  });
});

describe('describeNodeType and PENPOT_TRANSIT_TAGS', () => {
  it('labels each kind of node', () => {
    const cases: [TransitNode, string][] = [
      [null, 'nil'],
      [true, 'boolean'],
      [1.5, 'number'],
      ['s', 'string'],
      [[1], 'vector'],
      [{ a: 1 }, 'map'],
      [{ '~type': 'map', entries: [[1, 2]] }, 'map'],
      [kw('a'), 'keyword'],
      [uuid(PROFILE_ID), 'uuid'],
      [instant(0), 'instant'],
      [setOf([]), 'set'],
      [listOf([]), 'list'],
      [tagged('duration', 5), '#duration'],
      [tagged('foo/bar', null), '#foo/bar'],
    ];
    for (const [node, label] of cases) assert.equal(describeNodeType(node), label, JSON.stringify(node));
  });

  it("describes every tag Penpot writes (§9)", () => {
    const section9 = [
      'duration', 'uri', 'ordered-map', 'ordered-set', 'penpot/pointer', 'file', 'path', 'point', 'rect', 'matrix',
      'shape', 'penpot/fills', 'penpot/path-data', 'penpot/objects-map/v2', 'penpot/tokens-lib', 'penpot/token-set',
      'penpot/token-theme', 'penpot/token',
    ];
    assert.deepStrictEqual(Object.keys(PENPOT_TRANSIT_TAGS).sort(), [...section9].sort());
    assert.equal(PENPOT_TRANSIT_TAGS.duration, 'Duration (ms)');
  });
});

describe('node builders', () => {
  it('build Penpot-shaped values', () => {
    assert.deepStrictEqual(uuid(PROFILE_ID), { '~type': 'uuid', value: PROFILE_ID });
    assert.deepStrictEqual(instant(new Date(1784894921650)), { '~type': 'instant', value: '2026-07-24T12:08:41.650Z' });
    assert.deepStrictEqual(instant(1784894921650), instant('2026-07-24T12:08:41.650Z'));
    assert.deepStrictEqual(instant('2026-07-24T12:08:41.123456Z'), { '~type': 'instant', value: '2026-07-24T12:08:41.123456Z' });
    assert.deepStrictEqual(setOf(new Set(['a'])), { '~type': 'set', items: ['a'] });
    assert.deepStrictEqual(tagged('duration', 5), { '~type': 'tagged', tag: 'duration', value: 5 });
  });

  it('reject values that would write broken Transit', () => {
    assert.throws(() => uuid('not-a-uuid'), /uuid\(\): "not-a-uuid" is not a UUID/);
    assert.throws(() => instant('yesterday'), /instant\(\): yesterday is not a valid date/);
    assert.throws(() => instant(new Date(NaN)), RangeError);
  });

  it('mapOf gives the canonical form the decoder produces', () => {
    assert.deepStrictEqual(mapOf([[kw('a'), 1], [kw('~b'), 2]]), { a: 1, '~~b': 2 });
    assert.deepStrictEqual(mapOf([[kw('a'), 1], ['b', 2]]), { '~type': 'map', entries: [[kw('a'), 1], ['b', 2]] });
    assert.deepStrictEqual(mapOf([]), {});
  });
});
