// Penpot's JSON dialect: cuerdas key styles, the data.json writer's exact text, URI records, JSON request keys.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoisedKeyStyle, camelKey, isoInstant, kebabKey, readPenpotJson, uriRecord, writePenpotJson } from '../../../src/penpot/json';
import { instant, kw, listOf, mapOf, setOf, tagged, uuid } from '../../../src/transit';

describe('key styles (cuerdas)', () => {
  it('camelCases like str/camel', () => {
    const cases: [string, string][] = [
      ['profile-id', 'profileId'], ['is-shared', 'isShared'], ['name', 'name'], ['createdAt', 'createdAt'],
      ['include-libraries', 'includeLibraries'], ['team_id', 'teamId'], ['x', 'x'], ['HTTPServer', 'httpserver'],
    ];
    for (const [input, expected] of cases) assert.equal(camelKey(input), expected, input);
  });

  it('kebab-cases like str/kebab', () => {
    const cases: [string, string][] = [
      ['teamId', 'team-id'], ['team_id', 'team-id'], ['team-id', 'team-id'], ['isActive', 'is-active'], ['ID', 'id'], ['name', 'name'],
    ];
    for (const [input, expected] of cases) assert.equal(kebabKey(input), expected, input);
  });
});

describe('MemoisedKeyStyle', () => {
  it('gives what the key style gives, and holds no more names than its limit', () => {
    const memo = new MemoisedKeyStyle(kebabKey, 100);
    for (let i = 0; i < 1000; i++) {
      const name = `someKey${i}Name`;
      assert.equal(memo.of(name), kebabKey(name), name);
      assert.equal(memo.of(name), kebabKey(name), `${name}, again`);
      assert.ok(memo.size <= 100, `${memo.size} names held after ${i + 1}`);
    }
    assert.ok(memo.size > 0);
  });
});

describe('writePenpotJson', () => {
  it('writes compact JSON with camelCase keys at every depth and Penpot value encodings (§1.5)', () => {
    const tree = {
      'team-id': uuid('db601c95-045f-808b-8002-361312e63531'),
      permissions: { type: kw('membership'), 'can-edit': true },
      features: setOf(['components/v2']),
      'created-at': instant('2026-07-24T12:08:41.650Z'),
      items: listOf([1, 2.5, null]),
      'string-keys': mapOf([['already-Kebab', 1]]),
    };
    assert.equal(
      writePenpotJson(tree),
      '{"teamId":"db601c95-045f-808b-8002-361312e63531","permissions":{"type":"membership","canEdit":true},'
        + '"features":["components\\/v2"],"createdAt":"2026-07-24T12:08:41.650Z","items":[1,2.5,null],"stringKeys":{"already-Kebab":1}}',
    );
  });

  it('indents like data.json :indent true: newline and two spaces per level, ": " after keys, empty collections inline', () => {
    const tree = { name: 'x', props: { ids: setOf([1, 2]), empty: {}, none: [] } };
    assert.equal(
      writePenpotJson(tree, { indent: true }),
      '{\n  "name": "x",\n  "props": {\n    "ids": [\n      1,\n      2\n    ],\n    "empty": {},\n    "none": []\n  }\n}',
    );
  });

  it('escapes like data.json: \\/, lower-case \\uXXXX for non-ASCII and controls, surrogate pairs, DEL as is', () => {
    assert.equal(writePenpotJson('a/b "q" \\ é 日 🎨 \n\t\u0001\u007f\u2028'), '"a\\/b \\"q\\" \\\\ \\u00e9 \\u65e5 \\ud83c\\udfa8 \\n\\t\\u0001\u007f\\u2028"');
    assert.equal(JSON.parse(writePenpotJson('a/b é 🎨')), 'a/b é 🎨');
  });

  it('writes numbers as the JVM prints them', () => {
    assert.equal(writePenpotJson([0, -3, 1.5, 0.001, 1e-4, 12345678.9, 2 ** 53]), '[0,-3,1.5,0.001,1.0E-4,1.23456789E7,9007199254740992]');
    assert.throws(() => writePenpotJson(Number.NaN), /cannot represent/);
  });

  it('writes a Penpot URI record as the record object and other records as their fields (§1.6)', () => {
    assert.equal(
      writePenpotJson(tagged('uri', 'https://user:pw@example.com:8443/hook?a=1#top')),
      '{"scheme":"https","user":"user","password":"pw","host":"example.com","port":"8443","path":"\\/hook","query":"a=1","fragment":"top"}',
    );
    // a point's fields are Java doubles: data.json writes them with a fraction (conformance finding 10)
    assert.equal(writePenpotJson(tagged('point', { x: 1, y: 2 })), '{"x":1.0,"y":2.0}');
    assert.equal(writePenpotJson(tagged('rect', { x: 412.5, y: 188, width: 1e7 })), '{"x":412.5,"y":188.0,"width":1.0E7}');
    assert.equal(writePenpotJson(tagged('other', { x: 1 })), '{"x":1}');
  });

  it('writes keyword names without their namespace, like (name kw)', () => {
    assert.equal(writePenpotJson({ 'app.main/type': kw('app.main/penpot') }), '{"type":"penpot"}');
  });
});

describe('isoInstant', () => {
  it('formats like ISO_INSTANT: UTC, fraction in groups of three digits, none when zero', () => {
    assert.equal(isoInstant('2026-07-24T12:08:41.000Z'), '2026-07-24T12:08:41Z');
    assert.equal(isoInstant('2026-07-24T12:08:41.120Z'), '2026-07-24T12:08:41.120Z');
    assert.equal(isoInstant('2026-07-24T12:08:41.1234Z'), '2026-07-24T12:08:41.123400Z');
    assert.equal(isoInstant('2026-07-24T12:08:41.123456Z'), '2026-07-24T12:08:41.123456Z');
    assert.equal(isoInstant('2026-07-24T14:08:41.5+02:00'), '2026-07-24T12:08:41.500Z');
  });
});

describe('uriRecord', () => {
  it('parses like lambdaisland.uri/parse', () => {
    assert.deepEqual(uriRecord('https://example.com/hook'), {
      scheme: 'https', user: null, password: null, host: 'example.com', port: null, path: '/hook', query: null, fragment: null,
    });
    assert.deepEqual(uriRecord('http://localhost:8080'), {
      scheme: 'http', user: null, password: null, host: 'localhost', port: '8080', path: null, query: null, fragment: null,
    });
    assert.equal(uriRecord('not a uri').path, 'not a uri');
  });
});

describe('readPenpotJson', () => {
  it('kebab-cases keys at every depth, keeps keys with "/", and keeps values as JSON gave them (§1.3)', () => {
    assert.deepEqual(readPenpotJson('{"teamId":"x","nested":{"is_active":"true"},"list":[{"fileId":2}]}'), {
      'team-id': 'x', nested: { 'is-active': 'true' }, list: [{ 'file-id': 2 }],
    });
    const withSlash = readPenpotJson('{"teamId":"x","a/b":1}');
    assert.deepEqual(withSlash, mapOf([[kw('team-id'), 'x'], ['a/b', 1]]));
    assert.equal(writePenpotJson(withSlash), '{"teamId":"x","a\\/b":1}', 'a string key is not camelCased');
  });

  it('reads a "__proto__" key as the harmless keyword proto, leaving prototypes alone', () => {
    const tree = readPenpotJson('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    assert.ok(Object.prototype.hasOwnProperty.call(tree, 'proto'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
