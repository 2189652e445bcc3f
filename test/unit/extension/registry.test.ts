// package.json against the registry of names (src/extension/registry.ts), both ways: contributed commands, menus,
// when clauses, welcome views and views; and no command id or context key spelled out anywhere else in the code.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { Command, ContextKey, ViewId } from '../../../src/extension/registry';
import { TOOLBAR_COMMANDS } from '../../../src/extension/viewer/protocol';

const root = join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const contributes = manifest.contributes;

const commandIds = new Set<string>(Object.values(Command));
const contextKeys = new Set<string>(Object.values(ContextKey));
const viewIds = new Set<string>(Object.values(ViewId));

/** Context keys VS Code itself sets, as far as the manifest uses them. */
const BUILT_IN_CONTEXT_KEYS = new Set(['view', 'viewItem', 'resourceFilename']);
/** VS Code's own commands the welcome views link to. */
const BUILT_IN_COMMANDS = new Set(['workbench.action.openSettings']);

/** The context keys a when clause reads: the left side of every term (`key`, `!key`, `key == v`, `key =~ /re/`). */
function keysOf(when: string): string[] {
  const withoutRegexes = when.replace(/=~\s*\/(?:\\.|[^/])*\//g, '=~ REGEX');
  return withoutRegexes.split(/&&|\|\|/).map((term) => term.trim().replace(/^[!(\s]+/, '').replace(/[)\s]+$/, ''))
    .map((term) => /^([A-Za-z_][\w.-]*)/.exec(term)?.[1])
    .filter((key): key is string => key !== undefined && key !== 'true' && key !== 'false');
}

interface WhenSite {
  where: string;
  when: string;
}

function whenClauses(): WhenSite[] {
  const sites: WhenSite[] = [];
  for (const [menu, items] of Object.entries<Array<{ command: string; when?: string }>>(contributes.menus)) {
    for (const item of items) if (item.when) sites.push({ where: `menus.${menu} ${item.command}`, when: item.when });
  }
  for (const command of contributes.commands) {
    if (command.enablement) sites.push({ where: `enablement of ${command.command}`, when: command.enablement });
  }
  for (const view of contributes.views.penpot) if (view.when) sites.push({ where: `view ${view.id}`, when: view.when });
  for (const welcome of contributes.viewsWelcome) if (welcome.when) sites.push({ where: `viewsWelcome ${welcome.view}`, when: welcome.when });
  for (const binding of contributes.keybindings ?? []) if (binding.when) sites.push({ where: `keybinding ${binding.command}`, when: binding.when });
  return sites;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

describe('registry of command ids and context keys', () => {
  it('lists exactly the commands package.json contributes', () => {
    const contributed = new Set<string>(contributes.commands.map((c: { command: string }) => c.command));
    assert.deepEqual([...commandIds].filter((id) => !contributed.has(id)), [], 'in the registry but not contributed');
    assert.deepEqual([...contributed].filter((id) => !commandIds.has(id)), [], 'contributed but not in the registry');
    assert.equal(commandIds.size, Object.keys(Command).length, 'two names for one id');
  });

  it('has every menu item run a registered command', () => {
    const unknown = Object.entries<Array<{ command: string }>>(contributes.menus)
      .flatMap(([menu, items]) => items.filter((item) => !commandIds.has(item.command)).map((item) => `${menu}: ${item.command}`));
    assert.deepEqual(unknown, []);
  });

  it('reads only registry context keys (or VS Code\'s own) in when clauses, enablement and welcome views', () => {
    const sites = whenClauses();
    assert.ok(sites.length > 20, `expected the manifest's when clauses, found ${sites.length}`);
    const unknown = sites.flatMap((site) => keysOf(site.when)
      .filter((key) => !contextKeys.has(key) && !BUILT_IN_CONTEXT_KEYS.has(key)).map((key) => `${site.where}: ${key}`));
    assert.deepEqual(unknown, []);
    // Every registry key is read somewhere, or it is dead weight.
    const read = new Set(sites.flatMap((site) => keysOf(site.when)));
    assert.deepEqual([...contextKeys].filter((key) => !read.has(key)), [], 'registry keys no when clause reads');
  });

  it('finds the keys of a when clause, not its values or regexes', () => {
    assert.deepEqual(keysOf('view == penpot.teams && viewItem =~ /^webhook:(healthy|failing):editable$/'), ['view', 'viewItem']);
    assert.deepEqual(keysOf('!penpot.receiver.running || (penpot.signedIn && penpot.teams.empty)'), ['penpot.receiver.running', 'penpot.signedIn', 'penpot.teams.empty']);
    assert.deepEqual(keysOf('false'), []);
  });

  it('names only contributed views, and welcome views link only to registered commands', () => {
    const contributedViews = new Set<string>(contributes.views.penpot.map((v: { id: string }) => v.id));
    assert.deepEqual([...viewIds].sort(), [...contributedViews].sort());
    const viewsInWhen = whenClauses().flatMap((site) => [...site.when.matchAll(/\bview\s*==\s*([\w.-]+)/g)].map((m) => m[1]));
    assert.deepEqual(viewsInWhen.filter((view) => !viewIds.has(view)), []);
    for (const welcome of contributes.viewsWelcome) {
      assert.ok(viewIds.has(welcome.view), welcome.view);
      for (const [, command] of welcome.contents.matchAll(/\(command:([\w.-]+)/g)) {
        assert.ok(commandIds.has(command) || BUILT_IN_COMMANDS.has(command), `${welcome.view} links to ${command}`);
      }
    }
  });

  it('is the only place the extension spells out a command id or context key (comments aside)', () => {
    const names = new Set([...commandIds, ...contextKeys]);
    // The webview protocol is compiled for the browser too, so it cannot import the registry; checked below instead.
    const exempt = new Set([join(root, 'src', 'extension', 'registry.ts'), join(root, 'src', 'extension', 'viewer', 'protocol.ts')]);
    const spelled = sourceFiles(join(root, 'src', 'extension')).filter((file) => !exempt.has(file)).flatMap((file) =>
      readFileSync(file, 'utf8').split('\n').filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line)).flatMap((line) =>
        [...line.matchAll(/['"`](penpot\.[\w.]+)['"`]/g)].filter((m) => names.has(m[1])).map((m) => `${relative(root, file)}: ${m[1]}`)));
    assert.deepEqual(spelled, []);
  });

  it('lets the viewer\'s toolbar run registered commands only', () => {
    assert.ok(TOOLBAR_COMMANDS.length > 0);
    assert.deepEqual(TOOLBAR_COMMANDS.filter((id) => !commandIds.has(id)), []);
  });

  it('gives the core\'s suggested fixes (doctor actions) registered commands', () => {
    const doctor = readFileSync(join(root, 'src', 'penpot', 'doctor.ts'), 'utf8');
    const actions = [...doctor.matchAll(/command:\s*'([\w.]+)'/g)].map((m) => m[1]);
    assert.ok(actions.length > 0, 'the doctor suggests commands');
    assert.deepEqual(actions.filter((id) => !commandIds.has(id) && !BUILT_IN_COMMANDS.has(id)), []);
  });
});
