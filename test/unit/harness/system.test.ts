// The harness's system-package decision and its kerberos adjustment, without touching the machine's packages.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeKerberosOptional } from '../../harness/install';
import { ensureSystemPackages, MissingSystemPackagesError, type SystemPackage, type SystemProbe } from '../../harness/system';

function probe(options: { root: boolean; apt: boolean; installs?: () => void; status?: number }) {
  const calls: string[] = [];
  const lines: string[] = [];
  const system: SystemProbe = {
    isRoot: () => options.root,
    hasAptGet: () => options.apt,
    run: (command, args) => {
      calls.push([command, ...args].join(' '));
      if (args[0] === 'install') options.installs?.();
      return options.status ?? 0;
    },
    log: (line) => lines.push(line),
  };
  return { system, calls, lines };
}

function pkg(present: () => boolean): SystemPackage {
  return { name: 'chromium', reason: 'the browser the tests drive', present };
}

describe('ensureSystemPackages', () => {
  it('runs nothing when the package is present', () => {
    const { system, calls } = probe({ root: true, apt: true });
    ensureSystemPackages([pkg(() => true)], system);
    assert.deepEqual(calls, []);
  });

  it('as root installs the missing package with apt-get after saying what and why', () => {
    let installed = false;
    const { system, calls, lines } = probe({ root: true, apt: true, installs: () => (installed = true) });
    ensureSystemPackages([pkg(() => installed)], system);
    assert.deepEqual(calls, ['apt-get update', 'apt-get install -y chromium']);
    assert.match(lines.join('\n'), /installing Debian package\(s\) chromium .*the browser the tests drive/);
  });

  it('without root stops at once with the exact command, running nothing', () => {
    const { system, calls } = probe({ root: false, apt: true });
    assert.throws(
      () => ensureSystemPackages([pkg(() => false)], system),
      (error: Error) => error instanceof MissingSystemPackagesError && error.message.includes("sudo sh -c 'apt-get update && apt-get install -y chromium'"),
    );
    assert.deepEqual(calls, []);
  });

  it('without apt-get names what is missing and the CHROMIUM_PATH way out', () => {
    const { system } = probe({ root: true, apt: false });
    assert.throws(() => ensureSystemPackages([pkg(() => false)], system), /no apt-get.*CHROMIUM_PATH/);
  });

  it('reports a failed apt-get with the command to retry', () => {
    const { system } = probe({ root: true, apt: true, status: 100 });
    assert.throws(() => ensureSystemPackages([pkg(() => false)], system), /apt-get could not install chromium; try: apt-get update/);
  });
});

describe('makeKerberosOptional', () => {
  it('moves kerberos to optionalDependencies in the manifest and marks it optional in the shrinkwrap', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kerberos-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ dependencies: { kerberos: '2.1.1', ws: '^8' } }));
    writeFileSync(
      join(dir, 'npm-shrinkwrap.json'),
      JSON.stringify({
        packages: {
          '': { dependencies: { kerberos: '2.1.1', ws: '^8' } },
          'node_modules/kerberos': { version: '2.1.1' },
          'node_modules/kerberos/node_modules/node-addon-api': { version: '7.1.0' },
          'node_modules/ws': { version: '8.0.0' },
        },
      }),
    );
    makeKerberosOptional(dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    assert.deepEqual(manifest, { dependencies: { ws: '^8' }, optionalDependencies: { kerberos: '2.1.1' } });
    const lock = JSON.parse(readFileSync(join(dir, 'npm-shrinkwrap.json'), 'utf8'));
    assert.deepEqual(lock.packages[''], { dependencies: { ws: '^8' }, optionalDependencies: { kerberos: '2.1.1' } });
    assert.equal(lock.packages['node_modules/kerberos'].optional, true);
    assert.equal(lock.packages['node_modules/kerberos/node_modules/node-addon-api'].optional, true);
    assert.equal(lock.packages['node_modules/ws'].optional, undefined);
  });
});
