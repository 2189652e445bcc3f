// The account, the Teams and Access Tokens views and every management command, run through
// vscode.commands.executeCommand inside a real VS Code against the Penpot twin (started here, in the extension host).
// The suite ends with a full-scenario check that no access token reached the log, globalState or settings.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { PenpotIntegrationsApi } from '../../src/extension/extension';
import { startTwin, type RunningTwin } from '../../src/twin';

const EXTENSION_ID = 'penpot-integrations.penpot-integrations';

// Ids from src/twin/demo-seed.json.
const ADA_ID = '04b37cc6-6077-46b4-9913-e221fee79994';
const TEAM_YOURS = '03d59eb4-1d28-4e78-ba19-bdf94070412e';
const TEAM_DESIGN_SYSTEM = '03b78a74-7743-4313-8c92-096b40a7cc8e';
const TEAM_MARKETING = '9d58984a-04eb-4205-977a-b628a35c02bf';
const TEAM_AGENCY = '5175a5ef-69ff-4f93-a5f0-461b62dd6e75';
const HOOK_HEALTHY = 'c1d7f70e-b98e-4151-bfdf-0ce7c1f99c71';
const HOOK_INACTIVE = '90a4a9f7-324e-44d6-8c57-8a08eeac2311';
const HOOK_AUTO_DISABLED = 'fc9e2d35-cab1-4b36-8c05-9aae9c9c468d';
const HOOK_FAILING = '0d1b5380-f044-4afc-afc9-10f5e36ab225';
const HOOK_TEAMMATES = 'a86a20db-c91d-4366-a084-3de6fa48faa2';
const TOKEN_CI = 'caf5cd26-bd98-4acb-8d22-92b40f402cfc';

interface Result {
  ok: boolean;
  message?: string;
  [key: string]: unknown;
}

interface Row {
  label: string;
  description: string;
  icon: string | undefined;
  contextValue: string | undefined;
  tooltip: string;
  node: vscode.TreeItem;
}

let api: PenpotIntegrationsApi;
let twin: RunningTwin;
/** Every token value the scenario handled, for the leak check at the end. */
const tokensSeen = new Set<string>();

function run(command: string, ...args: unknown[]): Thenable<Result> {
  return vscode.commands.executeCommand<Result>(command, ...args);
}

function toRow(node: vscode.TreeItem): Row {
  const tooltip = node.tooltip instanceof vscode.MarkdownString ? node.tooltip.value : String(node.tooltip ?? '');
  return {
    label: typeof node.label === 'string' ? node.label : node.label?.label ?? '',
    description: String(node.description ?? ''),
    icon: node.iconPath instanceof vscode.ThemeIcon ? node.iconPath.id : undefined,
    contextValue: node.contextValue,
    tooltip,
    node,
  };
}

async function teamRows(): Promise<Row[]> {
  return (await api.teams.getChildren()).map(toRow);
}

async function webhookRows(teamName: string): Promise<Row[]> {
  const team = (await api.teams.getChildren()).find((n) => n.label === teamName);
  assert.ok(team, `no team row "${teamName}"`);
  return (await api.teams.getChildren(team)).map(toRow);
}

async function tokenRows(): Promise<Row[]> {
  return (await api.tokens.getChildren()).map(toRow);
}

function byLabel(rows: Row[], label: string): Row {
  const row = rows.find((r) => r.label === label);
  assert.ok(row, `no row "${label}" in ${JSON.stringify(rows.map((r) => r.label))}`);
  return row;
}

function twinWebhook(id: string) {
  return twin.state.webhooks.find((w) => w.id === id);
}

async function signInDemo(): Promise<void> {
  tokensSeen.add(twin.demoToken);
  const result = await run('penpot.signIn', { serverUrl: twin.url, token: twin.demoToken });
  assert.equal(result.ok, true, result.message);
}

/** A local endpoint that answers Penpot's HEAD check with 200, so webhook creation passes validation (§3.6). */
async function startHookTarget(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    res.writeHead(req.method === 'HEAD' || req.method === 'POST' ? 200 : 405);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesBelow(full) : [full];
  });
}

describe('Penpot account, views and commands (against the twin)', function () {
  this.timeout(30_000);

  before(async () => {
    const extension = vscode.extensions.getExtension<PenpotIntegrationsApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    api = await extension.activate();
    await api.accountLoaded;
    twin = await startTwin();
    for (const token of twin.state.tokens) tokensSeen.add(token.value);
    if (api.signedIn()) await run('penpot.signOut');
  });

  after(async () => {
    if (api?.signedIn()) await run('penpot.signOut');
    await vscode.workspace.getConfiguration().update('penpot.serverUrl', undefined, vscode.ConfigurationTarget.Global);
    await twin?.close();
  });

  describe('sign in', () => {
    it('signed out, both views are empty so their welcome views (Sign In) show', async () => {
      assert.equal(api.signedIn(), undefined);
      assert.deepEqual(await teamRows(), []);
      assert.deepEqual(await tokenRows(), []);
      assert.equal(api.teams.current.kind, 'signed-out');
    });

    it('rejects a token Penpot does not accept, with the reason and the self-hosted hint', async () => {
      const bad = 'definitely-not-a-penpot-token';
      tokensSeen.add(bad);
      const result = await run('penpot.signIn', { serverUrl: twin.url, token: bad });
      assert.equal(result.ok, false);
      assert.match(String(result.message), /did not accept the access token/);
      assert.match(String(result.message), /enable-access-tokens/);
      assert.ok(!String(result.message).includes(bad), 'the message repeats the token');
      assert.equal(api.signedIn(), undefined);
    });

    it('reports a server that cannot be reached', async () => {
      const result = await run('penpot.signIn', { serverUrl: `http://127.0.0.1:${await closedPort()}`, token: twin.demoToken });
      assert.equal(result.ok, false);
      assert.match(String(result.message), /Connection refused/);
      assert.equal(api.signedIn(), undefined);
    });

    it('refuses a server address that is not http(s) before sending anything', async () => {
      const result = await run('penpot.signIn', { serverUrl: 'ftp://penpot.example.com', token: twin.demoToken });
      assert.equal(result.ok, false);
      assert.match(String(result.message), /http:\/\/ or https:\/\//);
    });

    it('signs in with a good token: who and where, the remembered server, the Accounts-menu account', async () => {
      await signInDemo();
      assert.deepEqual(api.signedIn(), { serverUrl: twin.url, fullname: 'Ada Lovelace', email: 'ada@example.com' });
      assert.equal(vscode.workspace.getConfiguration().get('penpot.serverUrl'), twin.url);
      const accounts = await vscode.authentication.getAccounts('penpot');
      assert.ok(accounts.some((a) => a.label === `Ada Lovelace (${new URL(twin.url).host})`),
        `not in the Accounts menu: ${JSON.stringify(accounts)}`);
    });
  });

  describe('Teams view', () => {
    before(signInDemo);

    it('lists the seeded teams with their webhook count out of 8 and the user\'s role', async () => {
      const rows = await teamRows();
      assert.deepEqual(rows.map((r) => [r.label, r.description]), [
        ['Your Penpot', '0/8 webhooks · owner'],
        ['Design System', '4/8 webhooks · owner'],
        ['Marketing', '1/8 webhooks · viewer'],
        ['Agency Clients', '8/8 webhooks · admin'],
      ]);
      assert.equal(byLabel(rows, 'Agency Clients').contextValue, 'team:full', 'a full team must grey out Create');
      assert.match(byLabel(rows, 'Agency Clients').tooltip, /already has 8 webhooks/);
      assert.equal(byLabel(rows, 'Design System').contextValue, 'team');
    });

    it('shows each webhook as host + path, format · state, and an icon per state', async () => {
      const rows = await webhookRows('Design System');
      const view = (label: string) => {
        const row = byLabel(rows, label);
        return [row.description, row.icon, row.contextValue];
      };
      assert.deepEqual(view('hooks.example.com/penpot/design-system'), ['JSON · Active', 'pass', 'webhook:healthy:editable']);
      assert.deepEqual(view('ci.example.org/hooks/penpot-transit'), ['Transit · Inactive', 'circle-slash', 'webhook:inactive:editable']);
      assert.deepEqual(view('builds.example.net/penpot/rebuild-tokens'), ['JSON · Inactive', 'error', 'webhook:auto-disabled:editable']);
      // Created by a teammate, but Ada owns the team: still editable (§3.7).
      assert.deepEqual(view('status.example.com/penpot'), ['JSON · Active', 'warning', 'webhook:failing:editable']);
    });

    it('explains a webhook in its tooltip: full URI, format, Penpot\'s words for the last error, errors out of 3', async () => {
      const autoDisabled = byLabel(await webhookRows('Design System'), 'builds.example.net/penpot/rebuild-tokens');
      assert.match(autoDisabled.tooltip, /https:\/\/builds\.example\.net\/penpot\/rebuild-tokens/);
      // Penpot-provided text is Markdown-escaped (a backslash before each punctuation character)
      const plain = (markdown: string) => markdown.replace(/\\([!-/:-@[-`{-~])/g, '$1');
      assert.match(plain(autoDisabled.tooltip), /application\/json/);
      assert.match(plain(autoDisabled.tooltip), /Last delivery was not successful\. Unexpected error on validating \(connection-error\)/);
      assert.match(autoDisabled.tooltip, /3 of 3/);
      assert.match(plain(autoDisabled.tooltip), /counts only deliveries that cannot reach the endpoint/);
      const failing = byLabel(await webhookRows('Design System'), 'status.example.com/penpot');
      assert.match(plain(failing.tooltip), /connection-error/);
      assert.match(failing.tooltip, /1 of 3/);
    });

    it('does not offer changes on a teammate\'s webhook in a team where the user is a viewer', async () => {
      const [row] = await webhookRows('Marketing');
      assert.equal(row.contextValue, 'webhook:healthy:readonly');
      assert.match(row.tooltip, /You only can delete or modify webhooks created by you/);
      assert.match(row.tooltip, /viewer/);
    });

    it('shows an empty team with Penpot\'s "no webhooks" note', async () => {
      const rows = await webhookRows('Your Penpot');
      assert.deepEqual(rows.map((r) => r.label), ['No webhooks created so far.']);
    });
  });

  describe('webhook actions', () => {
    let target: { url: string; close(): Promise<void> };
    let createdId = '';

    before(async () => {
      target = await startHookTarget();
      await signInDemo();
    });
    after(() => target?.close());

    it('creates a webhook: Penpot stores it as asked and the team row and children follow', async () => {
      const uri = `${target.url}/penpot-hook`;
      const result = await run('penpot.webhook.create', { teamId: TEAM_YOURS, uri, format: 'transit', isActive: true });
      assert.equal(result.ok, true, result.message);
      createdId = String(result.webhookId);
      const stored = twinWebhook(createdId);
      assert.ok(stored, 'the twin has no such webhook');
      assert.deepEqual(
        [stored.teamId, stored.uri, stored.mtype, stored.isActive, stored.profileId],
        [TEAM_YOURS, uri, 'application/transit+json', true, ADA_ID],
      );
      assert.equal(byLabel(await teamRows(), 'Your Penpot').description, '1/8 webhooks · owner');
      const row = byLabel(await webhookRows('Your Penpot'), `${new URL(target.url).host}/penpot-hook`);
      assert.deepEqual([row.description, row.icon], ['Transit · Active', 'pass']);
    });

    it('shows Penpot\'s validation words and the SSRF advice when Penpot refuses the URL', async () => {
      const before = twin.state.webhooks.length;
      const result = await run('penpot.webhook.create', { teamId: TEAM_YOURS, uri: 'http://10.20.30.40/hook', format: 'json', isActive: true });
      assert.equal(result.ok, false);
      assert.match(String(result.message), /Connection error, URL not reacheable/);
      assert.match(String(result.message), /PENPOT_SSRF_ALLOWED_HOSTS/);
      assert.equal(twin.state.webhooks.length, before);
    });

    it('checks the URL before asking Penpot (http/https only)', async () => {
      const result = await run('penpot.webhook.create', { teamId: TEAM_YOURS, uri: 'ftp://files.example.com/x', format: 'json', isActive: true });
      assert.equal(result.ok, false);
      assert.match(String(result.message), /must start with http:\/\/ or https:\/\//);
    });

    it('refuses to create a ninth webhook, with the reason', async () => {
      const before = twin.state.webhooks.filter((w) => w.teamId === TEAM_AGENCY).length;
      const result = await run('penpot.webhook.create', { teamId: TEAM_AGENCY, uri: `${target.url}/ninth`, format: 'json', isActive: true });
      assert.equal(result.ok, false);
      assert.match(String(result.message), /Agency Clients already has 8 webhooks/);
      assert.equal(twin.state.webhooks.filter((w) => w.teamId === TEAM_AGENCY).length, before);
    });

    it('edits URI, format and active state', async () => {
      const uri = `${target.url}/edited`;
      const result = await run('penpot.webhook.edit', { webhookId: createdId, uri, format: 'json', isActive: false });
      assert.equal(result.ok, true, result.message);
      const stored = twinWebhook(createdId);
      assert.deepEqual([stored?.uri, stored?.mtype, stored?.isActive], [uri, 'application/json', false]);
      const row = byLabel(await webhookRows('Your Penpot'), `${new URL(target.url).host}/edited`);
      assert.deepEqual([row.description, row.icon], ['JSON · Inactive', 'circle-slash']);
    });

    it('disables and enables a webhook', async () => {
      assert.equal((await run('penpot.webhook.disable', { webhookId: HOOK_HEALTHY })).ok, true);
      assert.equal(twinWebhook(HOOK_HEALTHY)?.isActive, false);
      assert.equal(byLabel(await webhookRows('Design System'), 'hooks.example.com/penpot/design-system').description, 'JSON · Inactive');
      assert.equal((await run('penpot.webhook.toggle', { webhookId: HOOK_HEALTHY })).ok, true);
      assert.equal(twinWebhook(HOOK_HEALTHY)?.isActive, true);
      assert.equal((await run('penpot.webhook.enable', { webhookId: HOOK_INACTIVE })).ok, true);
      assert.equal(twinWebhook(HOOK_INACTIVE)?.isActive, true);
    });

    it('re-enables an auto-disabled webhook, which resets its error count', async () => {
      const result = await run('penpot.webhook.reenable', { webhookId: HOOK_AUTO_DISABLED });
      assert.equal(result.ok, true, result.message);
      const stored = twinWebhook(HOOK_AUTO_DISABLED);
      assert.deepEqual([stored?.isActive, stored?.errorCount, stored?.errorCode], [true, 0, null]);
      const row = byLabel(await webhookRows('Design System'), 'builds.example.net/penpot/rebuild-tokens');
      assert.deepEqual([row.description, row.icon, row.contextValue], ['JSON · Active', 'pass', 'webhook:healthy:editable']);
    });

    it('copies the full URL', async () => {
      const result = await run('penpot.webhook.copyUrl', { webhookId: HOOK_FAILING });
      assert.equal(result.ok, true, result.message);
      assert.equal(await vscode.env.clipboard.readText(), 'https://status.example.com/penpot');
    });

    it('refuses to change a teammate\'s webhook as a viewer, in Penpot\'s words, and leaves it alone', async () => {
      const result = await run('penpot.webhook.disable', { webhookId: HOOK_TEAMMATES });
      assert.equal(result.ok, false);
      assert.match(String(result.message), /You only can delete or modify webhooks created by you/);
      assert.match(String(result.message), /your role in Marketing is viewer/);
      assert.equal(twinWebhook(HOOK_TEAMMATES)?.isActive, true);
    });

    it('reports Penpot\'s "not found" for a webhook deleted elsewhere, and drops it from the tree', async () => {
      assert.ok(byLabel(await webhookRows('Design System'), 'status.example.com/penpot'));
      twin.state.webhooks.splice(twin.state.webhooks.findIndex((w) => w.id === HOOK_FAILING), 1);
      const result = await run('penpot.webhook.disable', { webhookId: HOOK_FAILING });
      assert.equal(result.ok, false);
      assert.match(String(result.message), /not found, or you don't have permission/);
      await api.teams.refreshTeam(TEAM_DESIGN_SYSTEM);
      assert.ok(!(await webhookRows('Design System')).some((r) => r.label === 'status.example.com/penpot'));
    });

    it('deletes a webhook (confirmation skipped from code)', async () => {
      const result = await run('penpot.webhook.delete', { webhookId: createdId, confirm: true });
      assert.equal(result.ok, true, result.message);
      assert.equal(twinWebhook(createdId), undefined);
      assert.equal(byLabel(await teamRows(), 'Your Penpot').description, '0/8 webhooks · owner');
    });

    it('does not touch the webhooks of a team it does not know', async () => {
      const result = await run('penpot.webhook.create', { teamId: TEAM_MARKETING.replace(/.$/, '0'), uri: `${target.url}/x`, format: 'json', isActive: true });
      assert.equal(result.ok, false);
      assert.match(String(result.message), /No team with id/);
    });
  });

  describe('Access Tokens view and actions', () => {
    let createdTokenId = '';

    before(signInDemo);

    it('lists the tokens with Penpot\'s expiry wording and warning styling', async () => {
      const rows = await tokenRows();
      const expiresOn = /^Expires on \w/;
      const ci = byLabel(rows, 'CI pipeline');
      assert.match(ci.description, expiresOn);
      assert.equal(ci.icon, 'warning', 'expiring within 7 days');
      const old = byLabel(rows, 'Old laptop');
      assert.match(old.description, /^Expired on \w/);
      assert.equal(old.icon, 'error');
      assert.equal(byLabel(rows, 'Design tokens sync').description, 'No expiration');
      assert.equal(byLabel(rows, 'Design tokens sync').icon, 'key');
      const demo = byLabel(rows, 'VS Code (demo)');
      assert.match(demo.description, expiresOn);
      assert.equal(demo.icon, 'key');
      assert.match(byLabel(rows, 'MCP').description, /· MCP key$/);
      // Penpot's order: soonest expiry first, never-expiring last (§3.11).
      assert.equal(rows.at(-1)?.label, 'Design tokens sync');
    });

    it('creates a token that expires in 90 days and signs in with it', async () => {
      const result = await run('penpot.token.create', { name: 'Integration test', expiry: '90', then: 'signIn' });
      assert.equal(result.ok, true, result.message);
      assert.ok(!JSON.stringify(result).includes('token":'), 'the command returned the token value');
      createdTokenId = String(result.tokenId);
      const stored = twin.state.tokens.find((t) => t.id === createdTokenId);
      assert.ok(stored);
      tokensSeen.add(stored.value);
      const days = ((stored.expiresAt?.getTime() ?? 0) - Date.now()) / 86_400_000;
      assert.ok(days > 89 && days <= 90, `expires in ${days} days`);
      assert.equal(api.signedIn()?.tokenId, createdTokenId);
      const row = byLabel(await tokenRows(), 'Integration test');
      assert.match(row.description, /signed in here/);
      assert.equal(row.contextValue, 'token:session');
    });

    it('refuses a name longer than Penpot allows', async () => {
      const result = await run('penpot.token.create', { name: 'x'.repeat(251), expiry: 'never', then: 'copy' });
      assert.equal(result.ok, false);
      assert.match(String(result.message), /at most 250/);
    });

    it('deletes another token and stays signed in', async () => {
      const result = await run('penpot.token.delete', { tokenId: TOKEN_CI, confirm: true });
      assert.equal(result.ok, true, result.message);
      assert.equal(result.signedOut, false);
      assert.equal(twin.state.tokens.some((t) => t.id === TOKEN_CI), false);
      assert.ok(!(await tokenRows()).some((r) => r.label === 'CI pipeline'));
      assert.ok(api.signedIn());
    });

    it('deleting the token VS Code signed in with signs out and clears the views', async () => {
      const result = await run('penpot.token.delete', { tokenId: createdTokenId, confirm: true });
      assert.equal(result.ok, true, result.message);
      assert.equal(result.signedOut, true);
      assert.equal(twin.state.tokens.some((t) => t.id === createdTokenId), false);
      assert.equal(api.signedIn(), undefined);
      assert.deepEqual(await tokenRows(), []);
      assert.deepEqual(await teamRows(), []);
    });
  });

  describe('load failures', () => {
    it('a server that stops answering turns the Teams view into the "unreachable" welcome, with the reason', async () => {
      const shortLived = await startTwin();
      tokensSeen.add(shortLived.demoToken);
      const result = await run('penpot.signIn', { serverUrl: shortLived.url, token: shortLived.demoToken });
      assert.equal(result.ok, true, result.message);
      assert.equal((await teamRows()).length, 4);
      await shortLived.close();
      await run('penpot.refresh');
      assert.equal(api.teams.current.kind, 'unreachable');
      assert.deepEqual(await teamRows(), []);
      await run('penpot.signOut');
    });

    it('a token revoked elsewhere becomes an error row with Sign In Again, not a pop-up per view', async () => {
      await signInDemo();
      const demo = twin.state.tokens.find((t) => t.value === twin.demoToken);
      assert.ok(demo);
      const saved = [...twin.state.tokens];
      twin.state.tokens.splice(twin.state.tokens.indexOf(demo), 1);
      try {
        await run('penpot.refresh');
        const [row, ...rest] = await teamRows();
        assert.equal(rest.length, 0);
        assert.match(row.label, /^Could not load teams: /);
        assert.equal(row.contextValue, 'message:error:penpot.signIn');
        assert.equal(row.node.command?.command, 'penpot.signIn');
      } finally {
        twin.state.tokens.splice(0, twin.state.tokens.length, ...saved);
      }
      await run('penpot.refresh');
      assert.equal((await teamRows()).length, 4);
    });
  });

  describe('sign out', () => {
    it('clears the views and the Accounts-menu account', async () => {
      if (!api.signedIn()) await signInDemo();
      const result = await run('penpot.signOut');
      assert.equal(result.ok, true, result.message);
      assert.equal(api.signedIn(), undefined);
      assert.deepEqual(await teamRows(), []);
      assert.deepEqual(await tokenRows(), []);
      const accounts = await vscode.authentication.getAccounts('penpot');
      assert.ok(!accounts.some((a) => a.label.endsWith(`(${new URL(twin.url).host})`)), JSON.stringify(accounts));
    });
  });

  describe('no token leaks (after the whole scenario above)', () => {
    it('no token appears in the Penpot log, which did record the RPC calls', () => {
      // The extension's log folder holds the "Penpot" output channel's file.
      const files = filesBelow(api.logUri.fsPath);
      const text = files.map((f) => readFileSync(f, 'utf8')).join('\n');
      assert.match(text, /get-teams 200 \d+ms/, `no RPC lines found in ${files.join(', ') || api.logUri.fsPath}`);
      for (const token of tokensSeen) assert.ok(!text.includes(token), 'a token is in the log');
    });

    it('no token appears in globalState or in the user settings', () => {
      const state = JSON.stringify(api.globalState());
      const settingsFile = join(api.globalStorageUri.fsPath, '..', '..', 'settings.json');
      const settings = existsSync(settingsFile) ? readFileSync(settingsFile, 'utf8') : '';
      assert.match(settings, /penpot\.serverUrl/, `not the user settings file: ${settingsFile}`);
      for (const token of tokensSeen) {
        assert.ok(!state.includes(token), 'a token is in globalState');
        assert.ok(!settings.includes(token), 'a token is in settings.json');
      }
    });
  });
});
