// The receiver recognises which Penpot versions' payload shape an event has (conformance finding 4).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPenpotEvent, encodePenpotEvent } from '../../../src/penpot/events';
import { recognizeShape } from '../../../src/receiver/shape';
import { decodeTransit } from '../../../src/transit';

describe('recognizeShape', () => {
  it('names the shape of each Penpot version, from JSON and from Transit', () => {
    for (const [version, shape] of [['2.17', '2.15+'], ['2.14', '2.14'], ['2.13', '2.2–2.13'], ['2.0', '2.0–2.1']] as const) {
      const event = buildPenpotEvent('rename-file', { penpotVersion: version });
      assert.equal(recognizeShape({ kind: 'json', value: JSON.parse(encodePenpotEvent(event, 'json').body) }), shape, version);
      assert.equal(recognizeShape({ kind: 'transit', value: decodeTransit(encodePenpotEvent(event, 'transit').body) }), shape, version);
    }
  });

  it('says unknown for anything else', () => {
    assert.equal(recognizeShape(undefined), 'unknown');
    assert.equal(recognizeShape({ kind: 'json', value: { hello: 'world' } }), 'unknown');
    assert.equal(recognizeShape({ kind: 'json', value: { name: 'x', props: {}, extra: 1 } }), 'unknown');
    assert.equal(recognizeShape({ kind: 'json', value: [1, 2] }), 'unknown');
  });
});
