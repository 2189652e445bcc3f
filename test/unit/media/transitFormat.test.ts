// The catalog's Transit indenter adds whitespace only: the tokens stay as Penpot wrote them (doubles keep ".0",
// cache codes stay), a Transit map gets a key and its value per line, and text that is not JSON is left alone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PAYLOAD_SHAPES, PENPOT_EVENTS } from '../../../src/penpot/catalog';
import { buildPenpotEvent, encodePenpotEvent } from '../../../src/penpot/events';
import { indentTransit } from '../../../media/catalog/transitFormat';

describe('indentTransit', () => {
  it('only adds whitespace outside strings, for every event and shape', () => {
    for (const shape of PAYLOAD_SHAPES) {
      for (const info of PENPOT_EVENTS) {
        const compact = encodePenpotEvent(buildPenpotEvent(info.name, { shape }), 'transit').body;
        const indented = indentTransit(compact);
        assert.notEqual(indented, compact, `${info.name} was not indented`);
        // Removing what was added gives the bytes back (the generator writes no whitespace of its own outside strings).
        assert.equal(indented.replace(/\n\s*/g, '').replace(/, /g, ','), compact.replace(/, /g, ','), `${shape} ${info.name}`);
      }
    }
  });

  it('puts each key and value of a Transit map on a line, and keeps a tagged value and a double as written', () => {
    const text = '["^ ","~:name","create-comment-thread","~:props",["^ ","~:position",["~#point",["^ ","~:x",412.5,"~:y",188.0]],"~:mentions",["~#set",[]]]]';
    assert.equal(indentTransit(text), [
      '["^ ",',
      '  "~:name", "create-comment-thread",',
      '  "~:props", ["^ ",',
      '    "~:position", ["~#point", ["^ ",',
      '      "~:x", 412.5,',
      '      "~:y", 188.0',
      '    ]],',
      '    "~:mentions", ["~#set", []]',
      '  ]',
      ']',
    ].join('\n'));
  });

  it('keeps strings with brackets, commas and escaped quotes intact, and leaves malformed text unchanged', () => {
    const tricky = '["^ ","~:content","a [b], \\"c\\": {d}"]';
    assert.equal(indentTransit(tricky), '["^ ",\n  "~:content", "a [b], \\"c\\": {d}"\n]');
    for (const bad of ['["^ ","~:name"', 'not json', '["a" "b"]', '']) assert.equal(indentTransit(bad), bad);
  });
});
