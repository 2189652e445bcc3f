// The one error-to-text helper.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorMessage } from '../../../src/common/errors';
import { PenpotError } from '../../../src/penpot/errors';
import { messageOf } from '../../../src/receiver/decode';

describe('errorMessage', () => {
  it('gives an Error\'s message, PenpotError\'s sentence included, and anything else as text', () => {
    assert.equal(errorMessage(new Error('disk full')), 'disk full');
    assert.equal(errorMessage(new PenpotError({ kind: 'timeout', message: 'Penpot did not answer in 30 s.', command: 'get-teams' })), 'Penpot did not answer in 30 s.');
    assert.equal(errorMessage('plain text'), 'plain text');
    assert.equal(errorMessage(404), '404');
    assert.equal(messageOf, errorMessage, 'the receiver\'s name for it is the same function');
  });
});
