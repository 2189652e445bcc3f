// Pure parts of the webview front end: display formatting and how Transit nodes look in the Decoded tree.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base64ToBytes, bytesToText, hexDump, statusLabel } from '../../../media/viewer/format';
import { describeTransitNode, transitPreview } from '../../../media/viewer/transitBadges';
import { decodeTransit } from '../../../src/transit';

describe('viewer formatting', () => {
  it('colours forward and replay answers by Penpot\'s rule: 200 and 204 pass, another 2xx is a warning', () => {
    assert.deepEqual(statusLabel(200), { text: '200', tone: 'ok' });
    assert.deepEqual(statusLabel(204), { text: '204', tone: 'ok' });
    for (const status of [201, 202, 206]) {
      const label = statusLabel(status);
      assert.deepEqual([label.text, label.tone], [String(status), 'warn']);
      assert.match(label.note ?? '', new RegExp(`Penpot would count ${status} as a failed delivery: only 200 and 204`));
    }
    assert.deepEqual(statusLabel(302), { text: '302', tone: 'bad' });
    assert.deepEqual(statusLabel(500), { text: '500', tone: 'bad' });
    assert.deepEqual(statusLabel(undefined, 'refused'), { text: 'ERR', tone: 'bad' });
    assert.deepEqual(statusLabel(undefined), { text: '—', tone: 'bad' });
  });

  it('decodes base64 bodies and dumps binary as hex', () => {
    const bytes = base64ToBytes(Buffer.from([0x41, 0x00, 0xff, 0x7e]).toString('base64'));
    assert.deepEqual([...bytes], [0x41, 0x00, 0xff, 0x7e]);
    assert.equal(bytesToText(base64ToBytes(Buffer.from('héllo <script>').toString('base64'))), 'héllo <script>');
    assert.equal(hexDump(bytes), `00000000  ${'41 00 ff 7e'.padEnd(47)}  A..~`);
    const long = new Uint8Array(40);
    assert.equal(hexDump(long, 16).split('\n').length, 2);
    assert.match(hexDump(long, 16), /… 24 more bytes$/);
  });
});

describe('Transit nodes in the Decoded tree', () => {
  it('badges Transit types and shows their values', () => {
    const tree = decodeTransit(JSON.stringify(['^ ',
      '~:name', 'rename-file',
      '~:profile-id', '~u5ee1e9a4-3e0b-4d2f-9b46-0e6a9ad5d5a1',
      '~:created-at', '~m1784894921650',
      '~:kind', '~:file',
      '~:ids', ['~#set', ['~u5ee1e9a4-3e0b-4d2f-9b46-0e6a9ad5d5a2']],
      '~:wait', ['~#duration', 1000],
      '~:mystery', ['~#no-such-tag', 'x'],
    ]));
    const root = describeTransitNode(tree);
    assert.equal(root.badge, undefined);
    const entries = new Map(root.entries);
    assert.deepEqual([...entries.keys()], ['name', 'profile-id', 'created-at', 'kind', 'ids', 'wait', 'mystery']);
    const view = (key: string) => describeTransitNode(entries.get(key)!);
    assert.deepEqual(view('name'), { kind: 'string', scalar: '"rename-file"' });
    assert.equal(view('profile-id').badge, 'uuid');
    assert.equal(view('profile-id').scalar, '5ee1e9a4-3e0b-4d2f-9b46-0e6a9ad5d5a1');
    assert.equal(view('created-at').badge, 'instant');
    assert.equal(view('created-at').scalar, new Date(1784894921650).toISOString());
    assert.deepEqual([view('kind').badge, view('kind').scalar], ['keyword', ':file']);
    assert.equal(view('ids').badge, 'set');
    assert.equal(view('ids').items?.length, 1);
    assert.equal(view('wait').badge, '#duration');
    assert.match(view('wait').badgeTitle ?? '', /Duration/);
    assert.equal(view('wait').scalar, '1000');
    assert.equal(view('mystery').badge, '#no-such-tag');
    assert.match(view('mystery').badgeTitle ?? '', /unknown/i);
  });

  it('labels non-keyword map keys by their preview', () => {
    const tree = decodeTransit(JSON.stringify(['~#cmap', [['~#set', [1]], 'a', 'plain', 'b']]));
    const view = describeTransitNode(tree);
    assert.equal(view.badge, 'map');
    assert.deepEqual(view.entries?.map(([k]) => k), ['[1]', '"plain"']);
    assert.equal(transitPreview(tree), '{2}');
  });
});
