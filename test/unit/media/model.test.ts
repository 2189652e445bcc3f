// The webview's row model: chunked opening, changes applied by their net effect, counts kept per facet, and the
// filters (event name, format, check status) combining with each other and with the search.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_NAME, NOT_MATCHING, RowModel, isFiltered } from '../../../media/viewer/model';
import type { EventRow } from '../../../src/extension/viewer/protocol';
import type { CheckStatus } from '../../../src/receiver/checkStatus';

function row(seq: number, eventName: string | undefined, format: EventRow['format'] = 'json', check?: CheckStatus): EventRow {
  return {
    id: String(seq), seq, receivedAt: new Date(0).toISOString(), method: 'POST', eventName, format, contentType: 'application/json',
    size: 10, responseStatus: 204, simulated: false, decodeError: false, check,
  };
}

describe('viewer row model', () => {
  it('opens from the newest rows, then older chunks, counting the rows still to come', () => {
    const model = new RowModel();
    model.init([row(9, 'a'), row(10, 'b')], 10);
    assert.equal(model.total, 10);
    assert.ok(model.loading);
    model.prependOlder([row(5, 'a'), row(6, 'a'), row(7, 'b'), row(8, 'b')], false);
    assert.equal(model.total, 10);
    model.prependOlder([row(1, undefined), row(2, 'a'), row(3, 'a'), row(4, 'b')], true);
    assert.equal(model.loading, false);
    assert.equal(model.total, 10);
    assert.deepEqual(model.filtered({}, undefined).map((r) => r.seq), [10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    assert.equal(model.count('eventName', 'a'), 5);
    assert.equal(model.count('eventName', NO_NAME), 1);
  });

  it('applies a full ring\'s change as one step: the count never passes through "N − 1"', () => {
    const model = new RowModel();
    model.init(Array.from({ length: 1000 }, (_, i) => row(i + 1, 'old')), 1000);
    model.apply({ removed: Array.from({ length: 300 }, (_, i) => String(i + 1)), added: Array.from({ length: 300 }, (_, i) => row(1001 + i, 'new')), updated: [] });
    assert.equal(model.size, 1000);
    assert.equal(model.count('eventName', 'old'), 700);
    assert.equal(model.count('eventName', 'new'), 300);
    const shown = model.filtered({}, undefined);
    assert.equal(shown[0].seq, 1300);
    assert.equal(shown[999].seq, 301);
    model.facetsChanged = false;
    model.apply({ removed: [], added: [], updated: [{ ...row(500, 'old'), check: 'drift' }] });
    assert.ok(model.facetsChanged, 'a new check value needs a new menu option');
    assert.equal(model.count('check', 'drift'), 1);
    assert.equal(model.get('500')?.check, 'drift');
    assert.equal(model.filtered({}, undefined).length, 1000, 'an update keeps the row in place, once');
    model.apply({ cleared: true, removed: [], added: [row(2000, 'x')], updated: [] });
    assert.deepEqual(model.filtered({}, undefined).map((r) => r.seq), [2000]);
    assert.equal(model.count('eventName', 'old'), 0);
  });

  it('combines the event-name, format and check filters with the search', () => {
    const model = new RowModel();
    model.init([row(1, 'a', 'json', 'match'), row(2, 'a', 'transit', 'drift'), row(3, 'b', 'transit', 'drift'), row(4, 'a', 'transit')], 4);
    const seqs = (rows: EventRow[]) => rows.map((r) => r.seq);
    assert.deepEqual(seqs(model.filtered({ eventName: 'a' }, undefined)), [4, 2, 1]);
    assert.deepEqual(seqs(model.filtered({ eventName: 'a', format: 'transit' }, undefined)), [4, 2]);
    assert.deepEqual(seqs(model.filtered({ eventName: 'a', format: 'transit', check: 'drift' }, undefined)), [2]);
    assert.deepEqual(seqs(model.filtered({ format: 'transit' }, new Set(['3', '4']))), [4, 3]);
    assert.deepEqual(seqs(model.filtered({ eventName: 'b', format: 'json' }, undefined)), []);
    assert.equal(isFiltered({ eventName: '' }, undefined), false);
  });

  it('"Does not match" keeps every checked row that is not a match, and combines with the other filters', () => {
    const model = new RowModel();
    model.init([
      row(1, 'a', 'json', 'match'), row(2, 'a', 'json', 'drift'), row(3, 'b', 'transit', 'invalid'),
      row(4, undefined, 'text', 'undecodable'), row(5, 'zz', 'json', 'unknown'), row(6, 'a', 'transit'),
    ], 6);
    const seqs = (rows: EventRow[]) => rows.map((r) => r.seq);
    assert.deepEqual(seqs(model.filtered({ check: NOT_MATCHING }, undefined)), [5, 4, 3, 2], 'a row not checked yet is not counted as a mismatch');
    assert.equal(model.count('check', NOT_MATCHING), 4);
    assert.deepEqual(seqs(model.filtered({ check: NOT_MATCHING, eventName: 'a' }, undefined)), [2]);
    assert.deepEqual(seqs(model.filtered({ check: NOT_MATCHING, format: 'json' }, new Set(['1', '5']))), [5]);
    model.apply({ removed: ['2'], added: [], updated: [{ ...row(5, 'zz', 'json'), check: 'match' }] });
    assert.equal(model.count('check', NOT_MATCHING), 2);
    assert.equal(isFiltered({}, new Set()), true);
  });
});
