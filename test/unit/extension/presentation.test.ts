// How webhooks, tokens and servers read in the extension's views and prompts (pure functions, no VS Code).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Team, Webhook } from '../../../src/penpot/types';
import {
  DELIVERY_FAILURE_RULE, escapeMarkdown, pointsAtOtherHost, receivesFromText, webhooksOfReceiver, EXPIRY_CHOICES, formatRpcLine, stateSentence, lastDeliveryWords, normalizeServerUrl, sendsTokenInClear, serverLabel, tokenExpiry,
  validateAccessTokenInput, validateTokenName, validateWebhookUri, webhookDescription, webhookLabel, webhookState,
  webhookTooltipLines,
} from '../../../src/extension/presentation';

function webhook(fields: Partial<Webhook>): Webhook {
  return {
    id: 'w', uri: 'https://hooks.example.com/p', mtype: 'application/json', isActive: true,
    errorCode: null, errorCount: 0, profileId: 'someone', ...fields,
  };
}

const viewerTeam: Team = {
  id: 't', name: 'Marketing', isDefault: false,
  permissions: { isOwner: false, isAdmin: false, canEdit: false },
};

describe('server URL', () => {
  it('normalises what people type and refuses what is not an http(s) server', () => {
    assert.deepEqual(normalizeServerUrl('  https://penpot.example.com/// '), { url: 'https://penpot.example.com' });
    assert.deepEqual(normalizeServerUrl('https://example.com/penpot/'), { url: 'https://example.com/penpot' });
    assert.ok('error' in normalizeServerUrl(''));
    assert.ok('error' in normalizeServerUrl('penpot.example.com'));
    assert.ok('error' in normalizeServerUrl('ftp://penpot.example.com'));
    assert.ok('error' in normalizeServerUrl('https://user:pw@penpot.example.com'));
  });

  it('warns only for plain http to another machine', () => {
    assert.equal(sendsTokenInClear('http://penpot.internal'), true);
    assert.equal(sendsTokenInClear('http://192.168.1.10:9001'), true);
    assert.equal(sendsTokenInClear('http://localhost:9001'), false);
    assert.equal(sendsTokenInClear('http://127.0.0.1:9001'), false);
    assert.equal(sendsTokenInClear('http://[::1]:9001'), false);
    assert.equal(sendsTokenInClear('https://penpot.internal'), false);
  });

  it('labels a server by host and path', () => {
    assert.equal(serverLabel('https://design.penpot.app'), 'design.penpot.app');
    assert.equal(serverLabel('http://127.0.0.1:9001/penpot'), '127.0.0.1:9001/penpot');
  });

  it('logs an RPC call as command, status, error kind, time and server', () => {
    assert.equal(formatRpcLine({ command: 'get-teams', method: 'POST', status: 200, ms: 41, path: 'current' }, 'https://design.penpot.app'),
      'get-teams 200 41ms [design.penpot.app]');
    assert.equal(
      formatRpcLine({ command: 'get-profile', method: 'POST', ms: 3, path: 'legacy', error: 'unreachable' }, 'http://127.0.0.1:9001'),
      'get-profile no answer unreachable 3ms [127.0.0.1:9001] (legacy path)');
  });

  it('checks a pasted token for the obvious mistakes only', () => {
    assert.ok(validateAccessTokenInput('   '));
    assert.ok(validateAccessTokenInput('abc def'));
    assert.equal(validateAccessTokenInput(' eyJ.abc.def '), undefined);
  });
});

describe('webhooks', () => {
  it('tells the four states apart; auto-disabled means switched off after 3 errors', () => {
    assert.equal(webhookState(webhook({})), 'healthy');
    assert.equal(webhookState(webhook({ errorCode: 'connection-error', errorCount: 1 })), 'failing');
    assert.equal(webhookState(webhook({ isActive: false, errorCode: 'unexpected-status:500', errorCount: 3 })), 'auto-disabled');
    assert.equal(webhookState(webhook({ isActive: false, errorCode: 'timeout', errorCount: 2 })), 'inactive');
    assert.equal(webhookState(webhook({ isActive: false })), 'inactive');
  });

  it('labels with host and path, describes with format and state', () => {
    assert.equal(webhookLabel('https://hooks.example.com:8443/a/b?x=1'), 'hooks.example.com:8443/a/b');
    assert.equal(webhookLabel('https://hooks.example.com/'), 'hooks.example.com');
    assert.equal(webhookLabel('not a url'), 'not a url');
    assert.equal(webhookDescription(webhook({})), 'JSON · Active');
    assert.equal(webhookDescription(webhook({ mtype: 'application/transit+json', isActive: false })), 'Transit · Inactive');
  });

  it('words the last delivery as Penpot\'s webhook list does (§6.1)', () => {
    assert.equal(lastDeliveryWords(null), 'Last delivery was successful.');
    assert.equal(lastDeliveryWords('ssl-validation-error'), 'Last delivery was not successful. Error on SSL validation.');
    assert.equal(lastDeliveryWords('unexpected-status:404'), 'Last delivery was not successful. Unexpected status 404');
    assert.equal(lastDeliveryWords('timeout'), 'Last delivery was not successful. Unexpected error on validating (timeout)');
  });

  it('says why a webhook cannot be changed, with the role', () => {
    const lines = webhookTooltipLines(webhook({ errorCount: 2, errorCode: 'timeout' }), false, viewerTeam).join('\n');
    assert.match(lines, /2 of 3/);
    assert.match(lines, /You only can delete or modify webhooks created by you/);
    assert.match(lines, /your role in Marketing: viewer/);
    assert.doesNotMatch(webhookTooltipLines(webhook({}), true, viewerTeam).join('\n'), /only can delete/);
  });

  it('escapes every Penpot-provided string put into the tooltip\'s Markdown', () => {
    assert.equal(escapeMarkdown('[x](https://evil.example/a.png) *b* `c` <img>'), '\\[x\\]\\(https\\:\\/\\/evil\\.example\\/a\\.png\\) \\*b\\* \\`c\\` \\<img\\>');
    assert.equal(escapeMarkdown('line\n# heading'), 'line \\# heading');
    assert.equal(escapeMarkdown('Plain Team 1'), 'Plain Team 1');
    const hostile = { ...viewerTeam, name: '![track](https://evil.example/p.gif)' };
    const lines = webhookTooltipLines(webhook({ errorCode: 'x](https://evil.example)' }), false, hostile).join('\n');
    assert.ok(!lines.includes('](https'), lines);
    assert.match(lines, /\\!\\\[track\\\]/);
  });

  it('says what Penpot counts toward the auto-disable as it runs: never an answered request', () => {
    assert.match(DELIVERY_FAILURE_RULE, /Penpot 2\.15–2\.17 counts only deliveries that cannot reach the endpoint/);
    assert.match(DELIVERY_FAILURE_RULE, /any answer resets the count/);
    assert.doesNotMatch(stateSentence('auto-disabled'), /200 or 204/);
    assert.match(stateSentence('auto-disabled'), /could not reach the endpoint/);
    assert.match(webhookTooltipLines(webhook({}), true, viewerTeam).join('\n'), /any answer resets the count/);
  });

  it('validates the payload URL as Penpot\'s form does', () => {
    assert.equal(validateWebhookUri('https://hooks.example.com/x'), undefined);
    assert.match(String(validateWebhookUri('hooks.example.com/x')), /http:\/\/ or https:\/\//);
    assert.match(String(validateWebhookUri('ftp://hooks.example.com/x')), /http:\/\/ or https:\/\//);
    assert.match(String(validateWebhookUri('')), /Enter the URL/);
    assert.match(String(validateWebhookUri(`https://h.example.com/${'a'.repeat(4069)}`)), /at most 4069/);
    assert.equal(validateWebhookUri(`https://h.example.com/${'a'.repeat(4000)}`), undefined);
  });
});

describe('the team webhooks that deliver to the receiver', () => {
  const secret = 'S3cretS3cretS3cretS3cret';
  const team = (id: string, name: string): Team => ({ ...viewerTeam, id, name });
  const design = team('t1', 'Design');
  const marketing = team('t2', 'Marketing');
  const entries = [
    {
      team: design, webhooks: [
        webhook({ id: 'a', uri: `http://127.0.0.1:8787/hooks/${secret}`, profileId: 'me' }),
        webhook({ id: 'b', uri: 'https://other.example/hooks/SomeoneElsesReceiver0000' }),
        webhook({ id: 'c', uri: `https://abc.trycloudflare.com/hooks/${secret}`, profileId: 'a teammate' }),
      ],
    },
    { team: marketing, webhooks: [webhook({ id: 'd', uri: `https://abc.trycloudflare.com/hooks/${secret}/` })] },
    { team: team('t3', 'Not loaded') },
  ];

  it('finds every webhook carrying the receiver\'s secret path, whoever made it and whatever the host', () => {
    const found = webhooksOfReceiver(entries, secret);
    assert.deepEqual(found.map((f) => `${f.team.name}:${f.webhook.id}`), ['Design:a', 'Design:c', 'Marketing:d']);
    assert.deepEqual(webhooksOfReceiver(entries, 'AnotherSecretAnotherSecret'), []);
  });

  it('counts webhooks and teams with plurals that fit', () => {
    const found = webhooksOfReceiver(entries, secret);
    assert.equal(receivesFromText(found), '3 webhooks in 2 teams');
    assert.equal(receivesFromText(found.slice(0, 1)), '1 webhook in 1 team');
    assert.equal(receivesFromText(found.slice(0, 2)), '2 webhooks in 1 team');
  });

  it('tells a webhook still naming a former host or port of the receiver', () => {
    assert.equal(pointsAtOtherHost(`http://127.0.0.1:8787/hooks/${secret}`, `http://127.0.0.1:8787/hooks/${secret}`), false);
    assert.equal(pointsAtOtherHost(`http://127.0.0.1:8787/hooks/${secret}`, `http://127.0.0.1:9000/hooks/${secret}`), true);
    assert.equal(pointsAtOtherHost('not a url', `http://127.0.0.1:8787/hooks/${secret}`), true);
  });
});

describe('access tokens', () => {
  const now = new Date('2026-03-10T12:00:00Z');

  it('words expiry as Penpot\'s Integrations page and flags expired and soon-expiring tokens', () => {
    assert.deepEqual(tokenExpiry(null, now, 'en-US'), { text: 'No expiration', level: 'never' });
    assert.deepEqual(tokenExpiry('2026-03-01T00:00:00Z', now, 'en-US'), { text: 'Expired on Mar 1, 2026', level: 'expired' });
    assert.deepEqual(tokenExpiry('2026-03-15T00:00:00Z', now, 'en-US'), { text: 'Expires on Mar 15, 2026', level: 'soon' });
    assert.deepEqual(tokenExpiry('2026-03-17T12:00:00Z', now, 'en-US').level, 'soon', 'exactly 7 days is still soon');
    assert.deepEqual(tokenExpiry('2026-03-17T12:00:01Z', now, 'en-US').level, 'ok');
    assert.deepEqual(tokenExpiry('2026-06-01T00:00:00Z', now, 'en-US'), { text: 'Expires on Jun 1, 2026', level: 'ok' });
  });

  it('limits names to 1–250 characters and offers Penpot\'s expiry choices', () => {
    assert.ok(validateTokenName('  '));
    assert.equal(validateTokenName('x'.repeat(250)), undefined);
    assert.match(String(validateTokenName('x'.repeat(251))), /at most 250/);
    assert.deepEqual(EXPIRY_CHOICES.map((c) => c.expiry), ['never', '30', '60', '90', '180']);
  });
});
