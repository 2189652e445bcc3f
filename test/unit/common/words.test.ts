// Counted nouns: the one helper behind "1 event" / "2 events" in every message.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { itOrThem, plural } from '../../../src/common/words';

describe('counted nouns', () => {
  it('uses the singular for exactly one and the plural otherwise, zero included', () => {
    assert.equal(plural(1, 'event'), '1 event');
    assert.equal(plural(0, 'event'), '0 events');
    assert.equal(plural(2, 'active webhook'), '2 active webhooks');
    assert.equal(plural(2, 'entry', 'entries'), '2 entries');
    assert.equal(plural(1, 'entry', 'entries'), '1 entry');
  });

  it('says it for one thing and them for several', () => {
    assert.equal(itOrThem(1), 'it');
    assert.equal(itOrThem(3), 'them');
  });
});
