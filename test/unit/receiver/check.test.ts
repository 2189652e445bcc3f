// Every received event checked against Penpot's contract: the status and label the list shows per row, the report
// the detail shows, for bodies posted over loopback to a real receiver as well as for decoded values.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildPenpotEvent, encodePenpotEvent } from '../../../src/penpot/events';
import { checkReceived, checkReport, summaryLabel } from '../../../src/receiver/check';
import { decodeBody, listFieldsOf } from '../../../src/receiver/decode';
import { EventStore } from '../../../src/receiver/store';
import { post, startTestReceiver } from './helpers';

function body(name: string, format: 'json' | 'transit', props: Record<string, unknown> = {}): { text: string; contentType: string } {
  const { body: text, contentType } = encodePenpotEvent(buildPenpotEvent(name, { props: props as never }), format);
  return { text, contentType };
}

function decodedJson(text: string): ReturnType<typeof decodeBody> {
  return decodeBody(Buffer.from(text), 'application/json');
}

describe('contract check of received events', () => {
  it('a generated event matches in both forms, with the file name as its label', () => {
    for (const format of ['json', 'transit'] as const) {
      const { text, contentType } = body('rename-file', format, { name: 'Q3 onboarding flow' });
      const check = checkReceived(decodeBody(Buffer.from(text), contentType));
      assert.deepEqual(check, { status: 'match', event: 'rename-file', shape: '2.15+', problems: 0, label: 'Q3 onboarding flow' }, format);
    }
  });

  it('an extra field is drift, a wrong type or a missing prop is invalid, an unknown name is unknown', () => {
    const sample = JSON.parse(body('create-project', 'json').text) as Record<string, any>;
    const withExtra = { ...sample, props: { ...sample.props, colour: 'teal' } };
    const drift = checkReport(decodedJson(JSON.stringify(withExtra)));
    assert.equal(drift.status, 'drift');
    assert.deepEqual(drift.problems, ['props.colour: a field Penpot does not send with create-project']);

    const wrongType = checkReport(decodedJson(JSON.stringify({ ...sample, props: { ...sample.props, name: 42 } })));
    assert.equal(wrongType.status, 'invalid');
    assert.deepEqual(wrongType.problems, ['props.name: expected string, got number 42']);

    const { teamId: _dropped, ...withoutTeam } = sample.props as Record<string, unknown>;
    const missing = checkReport(decodedJson(JSON.stringify({ ...sample, props: withoutTeam })));
    assert.equal(missing.status, 'invalid');
    assert.match(missing.problems.join('\n'), /^props\.teamId: missing/m);

    const unknown = checkReceived(decodedJson(JSON.stringify({ ...sample, name: 'paint-the-fence' })));
    assert.equal(unknown.status, 'unknown');
    assert.equal(unknown.event, undefined);
    assert.equal(unknown.label, undefined, 'no catalog entry, so nothing to label the row with');
  });

  it('equal checks are one shared, frozen object (100,000 events of one file cost one)', () => {
    const one = body('update-file', 'json', { name: 'Shared file' });
    const first = checkReceived(decodeBody(Buffer.from(one.text), one.contentType));
    const again = body('update-file', 'json', { name: 'Shared file' });
    assert.equal(checkReceived(decodeBody(Buffer.from(again.text), again.contentType)), first);
    assert.ok(Object.isFrozen(first));
    const other = body('update-file', 'json', { name: 'Another file' });
    assert.notEqual(checkReceived(decodeBody(Buffer.from(other.text), other.contentType)), first);
  });

  it('a body with no JSON or Transit payload is undecodable', () => {
    assert.equal(checkReceived(decodeBody(Buffer.from('hello'), 'text/plain')).status, 'undecodable');
    assert.equal(checkReceived(decodeBody(Buffer.from('{"name":'), 'application/json')).status, 'undecodable');
    assert.equal(checkReceived(decodeBody(Buffer.alloc(0), '')).status, 'undecodable');
  });

  it('the label follows the catalog: a project name, a comment, nothing for an event without a name prop', () => {
    const label = (name: string, props: Record<string, unknown> = {}): string | undefined => {
      const decoded = decodedJson(body(name, 'json', props).text).decoded;
      assert.ok(decoded);
      return summaryLabel(decoded);
    };
    assert.equal(label('create-project', { name: 'Marketing' }), 'Marketing');
    assert.equal(label('create-comment', { content: 'Can we   make\nthis bigger?' }), 'Can we make this bigger?');
    assert.equal(label('move-files'), undefined);
    assert.equal(label('rename-file', { name: 'x'.repeat(200) })?.length, 60);
  });

  it('the receiver keeps the check with the list fields, after the answer', async (t) => {
    const receiver = await startTestReceiver(t);
    const matching = body('rename-file', 'json', { name: 'Design system' });
    const sample = JSON.parse(matching.text) as Record<string, any>;
    await post(receiver.url, matching.text, { 'content-type': matching.contentType });
    await post(receiver.url, JSON.stringify({ ...sample, props: { ...sample.props, name: true } }), { 'content-type': 'application/json' });
    await post(receiver.url, JSON.stringify({ ...sample, release: '3.0' }), { 'content-type': 'application/json' });
    const events = receiver.store.list();
    assert.deepEqual(events.map((e) => [e.check?.status, e.check?.label]), [
      ['match', 'Design system'], ['invalid', undefined], ['drift', 'Design system'],
    ]);
    assert.equal(events[1].check?.problems, 1);
  });

  it('with a listener, the check is made when read, in the listener or later from the history file, and is the same', async (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'receiver-check-'));
    t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const store = EventStore.open({ file: path.join(dir, 'history.jsonl') });
    t.after(() => store.close());
    const receiver = await startTestReceiver(t, { store });
    const matching = body('rename-file', 'transit', { name: 'Design system' });
    const sample = JSON.parse(body('rename-file', 'json').text) as Record<string, any>;
    const sent = [
      { text: matching.text, contentType: matching.contentType },
      { text: JSON.stringify({ ...sample, props: { ...sample.props, name: true } }), contentType: 'application/json' },
      { text: JSON.stringify({ ...sample, release: '3.0' }), contentType: 'application/json' },
    ];
    const seenInListener: (string | undefined)[] = [];
    const heard = new Promise<void>((resolve) => {
      store.onEvent((event) => {
        // Like the viewer for the first event; like `listen` (summary only) for the others.
        seenInListener.push(event.summary.eventName);
        if (event.seq === 1) seenInListener.push(event.check?.status);
        if (seenInListener.length === sent.length + 1) resolve();
      });
    });
    for (const { text, contentType } of sent) await post(receiver.url, text, { 'content-type': contentType });
    await heard;
    assert.deepEqual(seenInListener, ['rename-file', 'match', 'rename-file', 'rename-file']);
    const events = store.list();
    for (const [i, event] of events.entries()) {
      const expected = checkReceived(decodeBody(Buffer.from(sent[i].text), sent[i].contentType));
      assert.deepEqual(event.check, expected, `event ${event.seq}`);
    }
    assert.deepEqual(events.map((e) => e.check?.status), ['match', 'invalid', 'drift']);
  });

  it('listFieldsOf carries the check; a large Transit body read shallowly is left for when it is shown', () => {
    const small = body('update-file', 'transit');
    assert.equal(listFieldsOf(Buffer.from(small.text), small.contentType).check?.status, 'match');
    const large = body('update-file', 'transit', { name: 'y'.repeat(300 * 1024) });
    const fields = listFieldsOf(Buffer.from(large.text), large.contentType);
    assert.equal(fields.check, undefined);
    assert.equal(checkReceived(decodeBody(Buffer.from(large.text), large.contentType)).status, 'match');
  });
});
