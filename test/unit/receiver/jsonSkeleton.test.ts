// The shallow read of large bodies (src/receiver/decode.ts jsonSkeleton): it accepts exactly what JSON.parse accepts,
// bounds nesting, and gives the list fields a full decode gives, at a fraction of the event-loop time (issue 14 row 4).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBody, jsonSkeleton, listFieldsOf, SHALLOW_LIST_FIELDS_BYTES } from '../../../src/receiver/decode';
import { MAX_NESTING, nestingWithin } from '../../../src/transit/decode';
import { DEEP_EVENT_SUMMARY, deepTransit, largestDeepTransit } from './deepTransit';

const SAMPLES = [
  '0', '-0', '1.5e+3', '-12.25E-2', '"a"', '"\\u00e9\\n\\"\\\\\\/"', 'true', 'false', 'null', '[]', '{}', ' [ 1 , 2 ] ',
  '{"a":{"b":[1,{"c":null}]},"d":"x"}', '["^ ","~:name","rename-file","~:props",["^ ","~:team-id","~u1"]]',
  '[1,]', '[,1]', '{"a" 1}', '{"a":1,}', '{a:1}', '[01]', '[1.]', '[.5]', '[1e]', '[+1]', '"\\x"', '"\\u12G4"', '"a\nb"',
  '[1] 2', '', ' ', '[', ']', '{"a":', '[tru]', '[nul]', 'True', '-', '"', '["a]', '{"a":1}}', '[1 2]', '\ufeff[1]', '[1]\u00a0',
];

/** Deterministic mutations of the samples: characters dropped, doubled or replaced by JSON punctuation. */
function mutations(): string[] {
  let seed = 14;
  const random = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  const out: string[] = [];
  for (const sample of SAMPLES) {
    for (let k = 0; k < 40 && sample.length > 0; k++) {
      const at = random(sample.length);
      const kind = random(3);
      const piece = '[]{}",:\\ 0e-.tn'[random(16)];
      out.push(kind === 0 ? sample.slice(0, at) + sample.slice(at + 1)
        : kind === 1 ? sample.slice(0, at) + sample[at] + sample.slice(at)
        : sample.slice(0, at) + piece + sample.slice(at + 1));
    }
  }
  return out;
}

test('jsonSkeleton accepts exactly what JSON.parse accepts, and builds the same value when every level is kept', () => {
  let valid = 0;
  for (const text of [...SAMPLES, ...mutations()]) {
    let parsed: unknown;
    let parses = true;
    try {
      parsed = JSON.parse(text);
    } catch {
      parses = false;
    }
    const read = jsonSkeleton(text, MAX_NESTING, MAX_NESTING);
    assert.equal('syntaxError' in read, !parses, `${JSON.stringify(text)}: ${JSON.stringify(read)}`);
    if (parses) {
      valid++;
      assert.ok('value' in read);
      assert.deepEqual(read.value, parsed, JSON.stringify(text));
    }
  }
  assert.ok(valid > 100, `${valid} valid texts among the samples and mutations`);
});

test('jsonSkeleton builds only the kept levels and refuses nesting past the bound, like nestingWithin', () => {
  assert.deepEqual(jsonSkeleton('{"a":{"b":[1,{"c":2}],"s":"x"},"n":1}', 10, 2), { value: { a: { b: null, s: 'x' }, n: 1 } });
  assert.deepEqual(jsonSkeleton('[[[1]],2]', 10, 1), { value: [null, 2] });
  for (const depth of [MAX_NESTING - 1, MAX_NESTING, MAX_NESTING + 1, 5000]) {
    const text = '['.repeat(depth) + ']'.repeat(depth);
    assert.equal('tooDeep' in jsonSkeleton(text, MAX_NESTING, 2), !nestingWithin(text, MAX_NESTING), `depth ${depth}`);
  }
  // Broken text deep down is still found, though nothing there is built.
  assert.ok('syntaxError' in jsonSkeleton(`[[[[[1,]]]]]`, 10, 1));
});

test('the list fields of a large body from the shallow read match those of a full decode', () => {
  const deep = largestDeepTransit();
  const wide = deepTransit(3, 12_000);
  const jsonEvent = JSON.stringify({ name: 'update-file', profileId: 'p1', props: { teamId: 't1', fileId: 'f1', data: JSON.parse(deepTransit(40, 300)) as unknown } });
  const cases: [string, string][] = [
    [deep, 'application/transit+json'], [wide, 'application/transit+json'], [wide, ''], [jsonEvent, 'application/json'],
    [jsonEvent, 'application/octet-stream'], [`${wide.slice(0, -1)},]`, 'application/transit+json'],
    [`${jsonEvent.slice(0, -1)}`, 'application/json'], [`${jsonEvent.slice(0, -1)}`, ''],
    ['['.repeat(1200) + ']'.repeat(1200) + ' '.repeat(SHALLOW_LIST_FIELDS_BYTES), 'application/json'],
  ];
  for (const [text, contentType] of cases) {
    const body = Buffer.from(text);
    assert.ok(body.length > SHALLOW_LIST_FIELDS_BYTES);
    const shallow = listFieldsOf(body, contentType);
    const full = decodeBody(body, contentType);
    const label = `${contentType || 'no type'}, ${body.length} bytes`;
    assert.equal(shallow.format, full.format, label);
    assert.deepEqual(shallow.summary, full.summary, label);
    assert.equal(shallow.decodeError === undefined, full.decodeError === undefined, `${label}: ${shallow.decodeError} / ${full.decodeError}`);
    assert.equal(shallow.decoded, undefined, 'the list fields never carry a payload');
  }
  assert.deepEqual(listFieldsOf(Buffer.from(deep), 'application/transit+json').summary, DEEP_EVENT_SUMMARY);
});
