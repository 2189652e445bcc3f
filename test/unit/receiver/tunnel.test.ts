// Tunnels with stand-in cloudflared and ngrok executables: finding the tool, reading the URL, stopping it, the
// tools' own errors, and `listen --tunnel`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../../src/cli/main';
import { findTunnelTool, parseCloudflaredLine, parseNgrokLine, remoteReachAdvice, startTunnel } from '../../../src/receiver/tunnel';
import { STANDIN_CLOUDFLARED_HOST, STANDIN_NGROK_URL, writeStandIns, type StandIns } from './tunnel-standins';

// A bound on waiting for child processes, generous: the machines here are shared (2 cores, other suites running).
const until = async (condition: () => boolean, ms = 20_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('tunnel', () => {
  let standIns: StandIns;
  let env: NodeJS.ProcessEnv;
  before(() => {
    standIns = writeStandIns();
    env = { PATH: standIns.dir, STANDIN_LOG_DIR: standIns.dir };
  });
  after(() => standIns.cleanup());

  it('parses the URL out of what the tools print, and nothing else', () => {
    assert.equal(parseCloudflaredLine('2026-01-01T00:00:00Z INF |  https://a-b-c.trycloudflare.com          |'), 'https://a-b-c.trycloudflare.com');
    assert.equal(parseCloudflaredLine('INF Requesting new quick Tunnel on trycloudflare.com...'), undefined);
    assert.equal(parseCloudflaredLine('INF ... following: https://developers.cloudflare.com/cloudflare-one/'), undefined);
    assert.deepEqual(parseNgrokLine('{"lvl":"info","msg":"started tunnel","url":"https://x.ngrok-free.app"}'), { url: 'https://x.ngrok-free.app' });
    assert.deepEqual(parseNgrokLine('{"lvl":"info","msg":"open config file","err":"<nil>"}'), {});
    assert.deepEqual(parseNgrokLine('not json'), {});
    assert.match(parseNgrokLine('{"lvl":"eror","msg":"session closing","err":"authentication failed\\r\\nERR_NGROK_4018\\r\\n"}').error ?? '', /ERR_NGROK_4018$/);
  });

  it('finds a tool on PATH or at a configured absolute path, and not elsewhere', () => {
    assert.equal(findTunnelTool('cloudflared', undefined, env), join(standIns.dir, 'cloudflared'));
    assert.equal(findTunnelTool('ngrok', join(standIns.dir, 'ngrok'), { PATH: '' }), join(standIns.dir, 'ngrok'));
    assert.equal(findTunnelTool('ngrok', undefined, { PATH: '/nonexistent-dir' }), undefined);
    assert.equal(findTunnelTool('ngrok', 'ngrok', env), undefined, 'a configured path must be absolute');
  });

  for (const [tool, expected, args] of [
    ['cloudflared', `https://${STANDIN_CLOUDFLARED_HOST}`, ['tunnel', '--no-autoupdate', '--url', 'http://127.0.0.1:8123']],
    ['ngrok', STANDIN_NGROK_URL, ['http', '8123', '--log', 'stdout', '--log-format', 'json']],
  ] as const) {
    it(`starts ${tool} for the port, reads its public URL, and stops it`, async () => {
      const tunnel = await startTunnel({ tool, port: 8123, env });
      assert.equal(tunnel.publicUrl, expected);
      const log = standIns.logFile(tool);
      assert.deepEqual(JSON.parse(readFileSync(log, 'utf8').split('\n')[0]), args);
      await tunnel.stop();
      await until(() => readFileSync(log, 'utf8').includes('stopped'));
    });
  }

  it('names a missing tool and how to install it, and shows ngrok\'s own authtoken error', async () => {
    await assert.rejects(startTunnel({ tool: 'cloudflared', port: 1, env: { PATH: '/nonexistent-dir' } }),
      /^TunnelError: cloudflared was not found on PATH\. Install it from https:\/\/developers\.cloudflare\.com.*\(e\.g\. "brew install cloudflared"/);
    await assert.rejects(startTunnel({ tool: 'ngrok', port: 1, executable: '/nonexistent-dir/ngrok', env }),
      /ngrok was not found at \/nonexistent-dir\/ngrok \(the configured path\)\. .*then run "ngrok config add-authtoken <your token>" once/);
    await assert.rejects(startTunnel({ tool: 'ngrok', port: 1, env: { ...env, STANDIN_NGROK_NO_AUTHTOKEN: '1' } }),
      /ngrok stopped before giving a public URL \(exit code 1\): authentication failed: Usage of ngrok requires a verified account and authtoken\.[\s\S]*ERR_NGROK_4018/);
  });

  it('listen --tunnel cloudflared adds publicUrl to the first JSON line and stops the tool with the receiver', async () => {
    const root = resolve(__dirname, '..', '..', '..');
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'listen', '--port', '0', '--json', '--tunnel', 'cloudflared'], {
      cwd: root, env: { ...env, PATH: `${standIns.dir}:${process.env.PATH ?? ''}` }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await until(() => stdout.includes('\n'), 20_000).catch(() => assert.fail(`no first line; stderr: ${stderr}`));
    const first = JSON.parse(stdout.split('\n')[0]) as { type: string; url: string; publicUrl: string };
    assert.equal(first.type, 'listening');
    assert.equal(first.publicUrl, `https://${STANDIN_CLOUDFLARED_HOST}${new URL(first.url).pathname}`);
    assert.match(first.publicUrl, /\/hooks\/[A-Za-z0-9_-]{22,}$/);
    const closed = new Promise((r) => child.once('close', r));
    child.kill('SIGTERM');
    await closed;
    await until(() => existsSync(standIns.logFile('cloudflared')) && readFileSync(standIns.logFile('cloudflared'), 'utf8').includes('stopped'));
  });

  it('listen --tunnel refuses an unknown tool', async () => {
    let stderr = '';
    const code = await runCli(['listen', '--tunnel', 'frp'], { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, env: {} });
    assert.equal(code, 2);
    assert.match(stderr, /--tunnel must be one of cloudflared, ngrok/);
  });
});

describe('remote windows', () => {
  it('says nothing in a local window', () => {
    assert.equal(remoteReachAdvice({ remoteName: undefined, tunnelRunning: false }), undefined);
    assert.equal(remoteReachAdvice({ remoteName: '', tunnelRunning: true }), undefined);
    // A workbench served from this machine (code-server, `code serve-web` on localhost) names its host:port.
    for (const remoteName of ['127.0.0.1:34301', 'localhost:8080', '[::1]:8080']) {
      assert.equal(remoteReachAdvice({ remoteName, tunnelRunning: false }), undefined, remoteName);
    }
  });

  it('in a Codespace or a Remote Tunnel: make the forwarded port public, or start a tunnel', () => {
    const external = 'https://fluffy-space-8080.app.github.dev/hooks/abc';
    const codespace = remoteReachAdvice({ remoteName: 'codespaces', tunnelRunning: false, externalUrl: external });
    assert.equal(codespace, 'This window is remote (a Codespace): the receiver runs on that machine, next to the extension host. ' +
      `VS Code forwards its port to this computer as ${external}, for you only. For Penpot's cloud to reach it, make the forwarded port ` +
      'public (Ports view → right-click the port → Port Visibility → Public) and use that address as the public URL, or start a public tunnel.');
    assert.match(remoteReachAdvice({ remoteName: 'tunnel', tunnelRunning: false }) ?? '', /^This window is remote \(a Remote Tunnel\).*VS Code forwards its port to this computer, for you only\. .*Port Visibility → Public/);
  });

  it('over SSH, WSL or in a container, where a forwarded port cannot be public: start a tunnel', () => {
    for (const [remoteName, label] of [['ssh-remote', 'SSH'], ['wsl', 'WSL'], ['dev-container', 'a dev container'], ['some-new-remote', 'some-new-remote'], ['code.example.com:8443', 'a VS Code server at code.example.com']]) {
      const advice = remoteReachAdvice({ remoteName, tunnelRunning: false }) ?? '';
      assert.ok(advice.startsWith(`This window is remote (${label}): `), advice);
      assert.match(advice, /Penpot's cloud cannot reach a forwarded port here: start a public tunnel \(it runs next to the receiver\)\.$/);
      assert.ok(!advice.includes('Port Visibility'), advice);
    }
  });

  it('with a tunnel running there, no port needs to be public', () => {
    assert.equal(remoteReachAdvice({ remoteName: 'ssh-remote', tunnelRunning: true, externalUrl: 'http://localhost:1234/hooks/x' }),
      'This window is remote (SSH): the receiver runs on that machine, next to the extension host. The public tunnel runs there too, so Penpot reaches the receiver through it; no port needs to be public.');
  });
});
