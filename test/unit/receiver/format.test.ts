// Display formatting shared by the CLI's `listen` lines and the payload viewer.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDate, formatDateTime, formatSize, formatTime } from '../../../src/receiver/format';

describe('event display formatting', () => {
  it('formats sizes in B, KB and MB', () => {
    assert.equal(formatSize(0), '0 B');
    assert.equal(formatSize(512), '512 B');
    assert.equal(formatSize(1023), '1023 B');
    assert.equal(formatSize(2048), '2.0 KB');
    assert.equal(formatSize(3 * 1024 * 1024), '3.0 MB');
  });

  it('formats local times with milliseconds, leaving text that is not a date unchanged', () => {
    assert.match(formatTime('2026-07-24T12:08:41.045Z'), /^\d\d:\d\d:41\.045$/);
    assert.equal(formatTime('not a date'), 'not a date');
    assert.ok(formatDateTime('2026-07-24T12:08:41.045Z').endsWith(` ${formatTime('2026-07-24T12:08:41.045Z')}`));
    assert.equal(formatDateTime('not a date'), 'not a date');
  });

  it('writes dates in one style, the one of Penpot\'s settings page, also inside date-times', () => {
    assert.equal(formatDate('2026-07-24T12:08:41.045Z', 'en-US'), 'Jul 24, 2026');
    assert.equal(formatDateTime('2026-07-24T12:08:41.045Z', 'en-US'), `Jul 24, 2026 ${formatTime('2026-07-24T12:08:41.045Z')}`);
    assert.equal(formatDate('soon'), 'soon');
  });
});
